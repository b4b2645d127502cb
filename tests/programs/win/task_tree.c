/* taskkill /PID n /T /F from system(), as node's tree-kill ends a dev server: the child
   and the grandchild it started both end; tasklist finds the child by PID first. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>

static PROCESS_INFORMATION start(const char *mode)
{
    char self[MAX_PATH], command[MAX_PATH + 32];
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    GetModuleFileNameA(NULL, self, sizeof self);
    snprintf(command, sizeof command, "\"%s\" %s", self, mode);
    CreateProcessA(NULL, command, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi);
    return pi;
}

int main(int argc, char **argv)
{
    if (argc > 1) {                          /* the child: a grandchild, then a long sleep */
        if (!strcmp(argv[1], "child")) {
            PROCESS_INFORMATION grandchild = start("grandchild");
            printf("grandchild %lu\n", grandchild.dwProcessId);
            fflush(stdout);
        }
        Sleep(60000);
        return 0;
    }
    PROCESS_INFORMATION child = start("child");
    Sleep(500);
    char command[128];
    snprintf(command, sizeof command, "tasklist /FI \"PID eq %lu\" /FO CSV /NH", child.dwProcessId);
    fflush(stdout);
    system(command);
    snprintf(command, sizeof command, "taskkill /PID %lu /T /F > NUL", child.dwProcessId);
    int status = system(command);
    DWORD waited = WaitForSingleObject(child.hProcess, 5000), code = 0;
    GetExitCodeProcess(child.hProcess, &code);
    printf("taskkill %d child ended %d code %lu\n", status, waited == WAIT_OBJECT_0, code);
    return 0;
}
