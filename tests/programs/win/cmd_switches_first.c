/* cmd.exe given a command line that starts with its switches, no program name before them,
 * as Go's SysProcAttr.CmdLine makes it (fzf's preview runs `cmd /v:on/s/c "..."` so):
 * cmd finds its switches from the first '/', glued together or not. */
#include <windows.h>
#include <stdio.h>

static void run(const wchar_t *line) {
    wchar_t buffer[256];
    STARTUPINFOW si = {sizeof si};
    PROCESS_INFORMATION pi;
    DWORD code = 99;
    wcscpy(buffer, line);
    fflush(stdout);
    if (!CreateProcessW(L"C:\\Windows\\System32\\cmd.exe", buffer, NULL, NULL, TRUE, 0, NULL,
                        NULL, &si, &pi)) {
        printf("CreateProcess failed %lu\n", GetLastError());
        return;
    }
    WaitForSingleObject(pi.hProcess, INFINITE);
    GetExitCodeProcess(pi.hProcess, &code);
    printf("exit %lu\n", code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
}

int main(void) {
    run(L"/s/c \"echo switches first\"");
    run(L"/v:on/s/c \"set V=delayed&& echo !V!&& exit /b 3\"");
    run(L" /d /c echo spaced");
    return 0;
}
