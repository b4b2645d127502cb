/* TerminateProcess on the calling process ends it at once, as Windows does: no FLS callback
   and no DLL_PROCESS_DETACH runs (a slot's callback here would print, then crash by
   design), and the exit code is the one given. */
#include <windows.h>
#include <stdio.h>

static VOID WINAPI cleanup(PVOID value)
{
    printf("cleanup ran with %s\n", (const char *)value);
    fflush(stdout);
    *(volatile int *)16 = 1;            /* what a program's stale callback can do */
}

int main(void)
{
    DWORD slot = FlsAlloc(cleanup);
    FlsSetValue(slot, "main data");
    printf("terminating\n");
    fflush(stdout);
    TerminateProcess(GetCurrentProcess(), 7);
    printf("still running\n");
    return 1;
}
