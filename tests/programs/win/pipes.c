/* CreatePipe to a child's standard output (STARTUPINFO handles, inherited), read to the end;
   then a child stopped by TerminateProcess with the exit code given. */
#include <windows.h>
#include <stdio.h>
#include <string.h>

static HANDLE start(char *line, HANDLE out, PROCESS_INFORMATION *pi)
{
    STARTUPINFOA si;
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = out;
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    return CreateProcessA(NULL, line, NULL, NULL, TRUE, 0, NULL, NULL, &si, pi) ? pi->hProcess : NULL;
}

int main(void)
{
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    HANDLE r, w;
    PROCESS_INFORMATION pi;
    char buf[256], echo[] = "/bin/busybox echo through the pipe", sleeper[] = "/bin/busybox sleep 30";
    DWORD n, total = 0, code = 0;
    CreatePipe(&r, &w, &sa, 0);
    if (!start(echo, w, &pi))
        return 1;
    CloseHandle(w);                       /* the child holds the only write end now */
    while (ReadFile(r, buf + total, sizeof buf - 1 - total, &n, NULL) && n)
        total += n;
    buf[total] = 0;
    WaitForSingleObject(pi.hProcess, INFINITE);
    printf("read %lu bytes: %s", total, buf);
    if (!start(sleeper, GetStdHandle(STD_OUTPUT_HANDLE), &pi))
        return 1;
    printf("wait 50 ms: %s\n", WaitForSingleObject(pi.hProcess, 50) == WAIT_TIMEOUT ? "timeout" : "?");
    TerminateProcess(pi.hProcess, 9);
    WaitForSingleObject(pi.hProcess, INFINITE);
    GetExitCodeProcess(pi.hProcess, &code);
    printf("terminated with %lu\n", code);
    return 0;
}
