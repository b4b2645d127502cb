/* The thread pool's waits and timers and winmm's multimedia timers: a wait fires when its
 * event is set (taking an auto-reset signal) or times out, and is one-shot; a timer fires
 * once or with a period; timeSetEvent calls back or sets an event; closing cancels. */
#include <windows.h>
#include <mmsystem.h>
#include <stdio.h>

static volatile LONG fired, timeouts, ticks, mm_calls;
static HANDLE done;

static VOID CALLBACK on_wait(PTP_CALLBACK_INSTANCE i, PVOID ctx, PTP_WAIT w, TP_WAIT_RESULT r)
{
    if (r == WAIT_OBJECT_0)
        InterlockedIncrement(&fired);
    else if (r == WAIT_TIMEOUT)
        InterlockedIncrement(&timeouts);
    SetEvent(done);
}

static VOID CALLBACK on_timer(PTP_CALLBACK_INSTANCE i, PVOID ctx, PTP_TIMER t)
{
    if (InterlockedIncrement(&ticks) == *(LONG *)ctx)
        SetEvent(done);
}

static void CALLBACK on_mm(UINT id, UINT msg, DWORD_PTR user, DWORD_PTR a, DWORD_PTR b)
{
    if (InterlockedIncrement(&mm_calls) == 3)
        SetEvent((HANDLE)user);
}

static FILETIME after_ms(LONGLONG ms)
{
    ULARGE_INTEGER due;
    due.QuadPart = (ULONGLONG)(-ms * 10000);
    FILETIME ft = {due.LowPart, due.HighPart};
    return ft;
}

int main(void)
{
    done = CreateEventW(NULL, FALSE, FALSE, NULL);
    HANDLE ev = CreateEventW(NULL, FALSE, FALSE, NULL);
    PTP_WAIT w = CreateThreadpoolWait(on_wait, NULL, NULL);
    SetThreadpoolWait(w, ev, NULL);
    SetEvent(ev);
    WaitForSingleObject(done, 10000);
    printf("wait fired %ld, event taken %d\n", fired,
           WaitForSingleObject(ev, 0) == WAIT_TIMEOUT);
    SetEvent(ev);                           /* not set again: the wait is one-shot */
    Sleep(100);
    printf("one-shot: fired %ld\n", fired);
    ResetEvent(ev);
    FILETIME t = after_ms(50);
    SetThreadpoolWait(w, ev, &t);
    WaitForSingleObject(done, 10000);
    printf("timed out %ld\n", timeouts);
    WaitForThreadpoolWaitCallbacks(w, FALSE);
    CloseThreadpoolWait(w);

    LONG want = 3;
    PTP_TIMER tm = CreateThreadpoolTimer(on_timer, &want, NULL);
    printf("set before: %d\n", IsThreadpoolTimerSet(tm));
    t = after_ms(10);
    SetThreadpoolTimer(tm, &t, 20, 0);
    printf("set: %d\n", IsThreadpoolTimerSet(tm));
    WaitForSingleObject(done, 10000);
    SetThreadpoolTimer(tm, NULL, 0, 0);
    WaitForThreadpoolTimerCallbacks(tm, TRUE);
    LONG seen = ticks;
    Sleep(100);
    printf("ticks %ld, stopped %d\n", seen, ticks == seen);
    CloseThreadpoolTimer(tm);

    HANDLE mm_done = CreateEventW(NULL, FALSE, FALSE, NULL);
    UINT id = timeSetEvent(10, 1, on_mm, (DWORD_PTR)mm_done, TIME_PERIODIC | TIME_CALLBACK_FUNCTION);
    DWORD woke = WaitForSingleObject(mm_done, 10000);
    printf("timeSetEvent: %d, woke %d\n", id != 0, woke == 0);
    MMRESULT kill = timeKillEvent(id);
    printf("kill: %u, again: %u\n", kill, timeKillEvent(id));
    HANDLE mm_ev = CreateEventW(NULL, FALSE, FALSE, NULL);
    id = timeSetEvent(20, 1, (LPTIMECALLBACK)mm_ev, 0, TIME_ONESHOT | TIME_CALLBACK_EVENT_SET);
    printf("event timer set it: %d\n", WaitForSingleObject(mm_ev, 10000) == 0);
    return 0;
}
