/* CreateProcess with PROC_THREAD_ATTRIBUTE_HANDLE_LIST: of two inheritable pipes and two
 * inheritable events, the child holds only the pipe and the event the list names. The child
 * (argv[1] == "child") says which of the handles it was given are open. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>

static int is_open(HANDLE h) {
    DWORD flags;
    return GetHandleInformation(h, &flags) != 0;
}

int main(int argc, char **argv) {
    if (argc == 6 && !strcmp(argv[1], "child")) {
        for (int i = 2; i < 6; i++)
            printf("%s%d", i > 2 ? " " : "child holds ",
                   is_open((HANDLE)(ULONG_PTR)strtoull(argv[i], NULL, 16)));
        printf("\n");
        return 0;
    }
    SECURITY_ATTRIBUTES inherit = {sizeof inherit, NULL, TRUE};
    HANDLE r1, w1, r2, w2;
    CreatePipe(&r1, &w1, &inherit, 0);
    CreatePipe(&r2, &w2, &inherit, 0);
    HANDLE e1 = CreateEventA(&inherit, TRUE, FALSE, NULL);
    HANDLE e2 = CreateEventA(&inherit, TRUE, FALSE, NULL);
    HANDLE listed[2] = {r1, e1};
    SIZE_T size = 0;
    InitializeProcThreadAttributeList(NULL, 1, 0, &size);
    LPPROC_THREAD_ATTRIBUTE_LIST list = malloc(size);
    if (!InitializeProcThreadAttributeList(list, 1, 0, &size) ||
        !UpdateProcThreadAttribute(list, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, listed,
                                   sizeof listed, NULL, NULL))
        return 2;
    STARTUPINFOEXA si = {0};
    si.StartupInfo.cb = sizeof si;
    si.lpAttributeList = list;
    PROCESS_INFORMATION pi;
    char self[MAX_PATH], cmd[2 * MAX_PATH];
    GetModuleFileNameA(NULL, self, sizeof self);
    snprintf(cmd, sizeof cmd, "\"%s\" child %p %p %p %p", self, r1, r2, e1, e2);
    fflush(stdout);
    if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, EXTENDED_STARTUPINFO_PRESENT, NULL, NULL,
                        &si.StartupInfo, &pi))
        return 3;
    WaitForSingleObject(pi.hProcess, INFINITE);
    /* Without the list the child inherits all four. */
    snprintf(cmd, sizeof cmd, "\"%s\" child %p %p %p %p", self, r1, r2, e1, e2);
    STARTUPINFOA plain = {sizeof plain};
    if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &plain, &pi))
        return 4;
    WaitForSingleObject(pi.hProcess, INFINITE);
    DeleteProcThreadAttributeList(list);
    return 0;
}
