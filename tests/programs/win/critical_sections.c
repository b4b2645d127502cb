/* Critical sections under contention: four threads add to one counter inside a section,
   yielding while they hold it so the others must wait; recursion (entered twice, left
   twice); TryEnterCriticalSection from another thread while it is held fails, and succeeds
   once it is free. (The generated kernel32 takes and leaves a free section in machine code;
   a waiter goes through the trap.) */
#include <windows.h>
#include <stdio.h>

static CRITICAL_SECTION cs;
static volatile long counter, inside, overlap;

static DWORD WINAPI adder(void *arg)
{
    for (int i = 0; i < 2000; i++) {
        EnterCriticalSection(&cs);
        if (InterlockedIncrement(&inside) != 1)
            overlap++;
        long v = counter;
        if (i % 50 == 0)
            Sleep(0);                        /* hold it across a switch: others wait */
        counter = v + 1;
        InterlockedDecrement(&inside);
        LeaveCriticalSection(&cs);
    }
    return 0;
}

static DWORD WINAPI try_other(void *arg)
{
    return TryEnterCriticalSection(&cs) ? (LeaveCriticalSection(&cs), 1) : 0;
}

int main(void)
{
    InitializeCriticalSection(&cs);
    HANDLE t[4];
    for (int i = 0; i < 4; i++)
        t[i] = CreateThread(NULL, 0, adder, NULL, 0, NULL);
    WaitForMultipleObjects(4, t, TRUE, INFINITE);
    printf("counter=%ld overlap=%ld\n", counter, overlap);

    EnterCriticalSection(&cs);
    EnterCriticalSection(&cs);                /* recursion */
    LeaveCriticalSection(&cs);
    DWORD code;
    HANDLE h = CreateThread(NULL, 0, try_other, NULL, 0, NULL);
    WaitForSingleObject(h, INFINITE);
    GetExitCodeThread(h, &code);
    printf("held once more: other try=%lu\n", code);
    LeaveCriticalSection(&cs);
    h = CreateThread(NULL, 0, try_other, NULL, 0, NULL);
    WaitForSingleObject(h, INFINITE);
    GetExitCodeThread(h, &code);
    printf("free: other try=%lu own try=%d\n", code, TryEnterCriticalSection(&cs));
    LeaveCriticalSection(&cs);
    DeleteCriticalSection(&cs);
    return 0;
}
