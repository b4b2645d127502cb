/* What a thread-pool callback asks to happen as it returns: the critical section it holds
   left, its mutex released, a semaphore released, an event set (last of the four, so the
   waiter it wakes finds the locks free) and a library's reference let go. */
#define _WIN32_WINNT 0x0601
#include <windows.h>
#include <stdio.h>

static CRITICAL_SECTION cs;
static HANDLE done, mutex, semaphore;

static VOID CALLBACK work(PTP_CALLBACK_INSTANCE instance, PVOID ctx, PTP_WORK w)
{
    SetEventWhenCallbackReturns(instance, done);
    EnterCriticalSection(&cs);
    LeaveCriticalSectionWhenCallbackReturns(instance, &cs);
    WaitForSingleObject(mutex, INFINITE);
    ReleaseMutexWhenCallbackReturns(instance, mutex);
    ReleaseSemaphoreWhenCallbackReturns(instance, semaphore, 2);
    FreeLibraryWhenCallbackReturns(instance, LoadLibraryA("advapi32.dll"));
}

int main(void)
{
    InitializeCriticalSection(&cs);
    done = CreateEventA(NULL, TRUE, FALSE, NULL);
    mutex = CreateMutexA(NULL, FALSE, NULL);
    semaphore = CreateSemaphoreA(NULL, 0, 5, NULL);
    PTP_WORK w = CreateThreadpoolWork(work, NULL, NULL);
    SubmitThreadpoolWork(w);
    printf("event set: %d\n", WaitForSingleObject(done, 5000) == WAIT_OBJECT_0);
    printf("critical section left: %d\n", TryEnterCriticalSection(&cs));
    printf("mutex released: %d\n", WaitForSingleObject(mutex, 0) == WAIT_OBJECT_0);
    int first = WaitForSingleObject(semaphore, 0) == WAIT_OBJECT_0;
    int second = WaitForSingleObject(semaphore, 0) == WAIT_OBJECT_0;
    int third = WaitForSingleObject(semaphore, 0) == WAIT_TIMEOUT;
    printf("semaphore released twice: %d %d %d\n", first, second, third);
    WaitForThreadpoolWorkCallbacks(w, FALSE);
    CloseThreadpoolWork(w);
    printf("library still loaded: %d\n", GetModuleHandleA("advapi32.dll") != NULL);
    return 0;
}
