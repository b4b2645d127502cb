/* Runs its arguments as a command line with CreateProcessA (standard handles inherited),
   waits for it and prints the exit code GetExitCodeProcess gives. */
#include <windows.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    char line[1024] = "";
    STARTUPINFOA si;
    PROCESS_INFORMATION pi;
    DWORD code = 0;
    for (int i = 1; i < argc; i++) {
        strcat(line, i > 1 ? " " : "");
        strcat(line, argv[i]);
    }
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    if (!CreateProcessA(NULL, line, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
        printf("CreateProcess failed: %lu\n", GetLastError());
        return 1;
    }
    WaitForSingleObject(pi.hProcess, INFINITE);
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    fflush(stdout);
    printf("exit code %#lx\n", code);
    return 0;
}
