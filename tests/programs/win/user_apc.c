/* QueueUserAPC: a routine runs in its thread at the next alertable wait only; every queued
   one runs (in order) before the wait returns WAIT_IO_COMPLETION, and a signalled object
   wins over them; a thread already waiting
   alertably is woken for one; a bad handle fails. */
#include <windows.h>
#include <stdio.h>

static char order[16];
static int n_order;
static DWORD ran_in;

static void CALLBACK note(ULONG_PTR data)
{
    order[n_order++] = (char)data;
    ran_in = GetCurrentThreadId();
}

static DWORD WINAPI sleeper(LPVOID arg)
{
    DWORD r = SleepEx(INFINITE, TRUE);
    printf("other thread: SleepEx %#lx ran %s in itself %d\n", r, order,
           ran_in == GetCurrentThreadId());
    HANDLE never = CreateEventA(NULL, TRUE, FALSE, NULL);
    r = WaitForSingleObjectEx(never, INFINITE, TRUE);
    printf("other thread: WaitForSingleObjectEx %#lx ran %s\n", r, order);
    return 0;
}

int main(void)
{
    printf("queue: %d\n", (int)QueueUserAPC(note, GetCurrentThread(), 'a'));
    QueueUserAPC(note, GetCurrentThread(), 'b');
    Sleep(5);
    printf("after a plain Sleep: '%s'\n", order);
    DWORD r = SleepEx(0, TRUE);
    printf("SleepEx: %#lx ran '%s'\n", r, order);
    printf("again: %#lx\n", SleepEx(0, TRUE));

    HANDLE ev = CreateEventA(NULL, TRUE, TRUE, NULL);
    QueueUserAPC(note, GetCurrentThread(), 'c');
    printf("signalled, not alertable: %#lx ran '%s'\n", WaitForSingleObject(ev, 0), order);
    printf("signalled, alertable: %#lx ran '%s'\n", WaitForSingleObjectEx(ev, 0, TRUE), order);
    ResetEvent(ev);
    printf("unsignalled, alertable: %#lx ran '%s'\n", WaitForSingleObjectEx(ev, 0, TRUE), order);

    n_order = 0;
    memset(order, 0, sizeof order);
    HANDLE t = CreateThread(NULL, 0, sleeper, NULL, 0, NULL);
    Sleep(50);
    QueueUserAPC(note, t, 'x');
    Sleep(50);
    QueueUserAPC(note, t, 'y');
    printf("thread ended: %lu\n", WaitForSingleObject(t, 5000));

    SetLastError(0);
    int ok = (int)QueueUserAPC(note, (HANDLE)0x1234, 1);
    printf("bad handle: %d error %lu\n", ok, GetLastError());
    return 0;
}
