/* Fiber-local storage: a slot's callback runs with the value a thread left in it when that
   thread exits, and for the main thread when the process exits. */
#include <windows.h>
#include <stdio.h>

static DWORD slot;

static VOID WINAPI cleanup(PVOID value)
{
    printf("cleanup %s\n", (const char *)value);
    fflush(stdout);
}

static DWORD WINAPI worker(LPVOID arg)
{
    FlsSetValue(slot, "worker data");
    return 5;
}

int main(void)
{
    DWORD code = 0;
    HANDLE thread;
    slot = FlsAlloc(cleanup);
    FlsSetValue(slot, "main data");
    thread = CreateThread(NULL, 0, worker, NULL, 0, NULL);
    WaitForSingleObject(thread, INFINITE);
    GetExitCodeThread(thread, &code);
    printf("worker exited with %lu, main still has \"%s\"\n", code,
           (const char *)FlsGetValue(slot));
    fflush(stdout);
    ExitProcess(0);
}
