/* __fastfail ends the process at once with STATUS_STACK_BUFFER_OVERRUN: no vectored or
 * structured handler runs (Rust's panic=abort and MSVC's /GS failures end this way).
 *   fastfail          installs a vectored handler, then __fastfail(7)
 *   fastfail parent   runs "fastfail" as a child and prints its exit code */
#include <stdio.h>
#include <string.h>
#include <windows.h>

static LONG CALLBACK vectored(EXCEPTION_POINTERS *info)
{
    printf("handler ran: %#lx\n", info->ExceptionRecord->ExceptionCode);
    fflush(stdout);
    return EXCEPTION_CONTINUE_SEARCH;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "parent") == 0) {
        char cmd[MAX_PATH + 16];
        STARTUPINFOA si = {sizeof si};
        PROCESS_INFORMATION pi;
        DWORD code = 0;
        snprintf(cmd, sizeof cmd, "\"%s\"", argv[0]);
        if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi))
            return 2;
        WaitForSingleObject(pi.hProcess, INFINITE);
        GetExitCodeProcess(pi.hProcess, &code);
        printf("child exit code %#lx\n", code);
        return 0;
    }
    AddVectoredExceptionHandler(1, vectored);
    printf("before\n");
    fflush(stdout);
    __asm__ volatile("int $0x29" : : "c"(7));   /* __fastfail(7), as MSVC emits it */
    printf("after\n");
    return 0;
}
