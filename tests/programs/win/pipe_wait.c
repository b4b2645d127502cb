/* Waiting for a named pipe's instance, as PostgreSQL's pg_ctl signals its server: the server
   answers one CallNamedPipe per instance and makes the next one only after a pause, so a
   client's second call finds every instance busy and must wait (CallNamedPipe's nTimeOut,
   WaitNamedPipe). A name no server has fails at once; a wait that outlasts its time fails
   with ERROR_SEM_TIMEOUT. */
#include <windows.h>
#include <stdio.h>

#define NAME "\\\\.\\pipe\\sysvec-wait"

static int client(void)
{
    char in = 'a', out = 0;
    DWORD n = 0;
    BOOL ok = WaitNamedPipeA("\\\\.\\pipe\\sysvec-nobody", 1000);
    printf("no server: %d error=%lu\n", ok, GetLastError());
    for (int i = 0; i < 2; i++) {
        ok = CallNamedPipeA(NAME, &in, 1, &out, 1, &n, 5000);
        printf("call %d: %d answer=%c n=%lu\n", i, ok, out, n);
        in = out;
    }
    /* The server's third instance comes after another pause: 10 ms is too short a wait. */
    ok = WaitNamedPipeA(NAME, 10);
    printf("short wait: %d error=%lu\n", ok, GetLastError());
    /* The server said 1000 ms for NMPWAIT_USE_DEFAULT_WAIT: its 300 ms pause fits. */
    ok = WaitNamedPipeA(NAME, NMPWAIT_USE_DEFAULT_WAIT);
    printf("default wait: %d\n", ok);
    ok = WaitNamedPipeA(NAME, NMPWAIT_WAIT_FOREVER);
    printf("long wait: %d\n", ok);
    ok = CallNamedPipeA(NAME, &in, 1, &out, 1, &n, 0);
    printf("call 2: %d answer=%c\n", ok, out);
    Sleep(500);              /* the server has closed its last instance: the name is gone */
    ok = WaitNamedPipeA(NAME, 1000);
    printf("gone: %d error=%lu\n", ok, GetLastError());
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        return client();
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    char line[MAX_PATH + 16];
    snprintf(line, sizeof line, "\"%s\" client", argv[0]);
    HANDLE pipe = CreateNamedPipeA(NAME, PIPE_ACCESS_DUPLEX, PIPE_TYPE_MESSAGE | PIPE_WAIT,
                                   PIPE_UNLIMITED_INSTANCES, 16, 16, 1000, NULL);
    fflush(stdout);
    CreateProcessA(NULL, line, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi);
    for (int i = 0; i < 3; i++) {
        char c;
        DWORD n = 0;
        if (!ConnectNamedPipe(pipe, NULL) && GetLastError() != ERROR_PIPE_CONNECTED)
            return 1;
        ReadFile(pipe, &c, 1, &n, NULL);
        c++;
        WriteFile(pipe, &c, 1, &n, NULL);
        FlushFileBuffers(pipe);
        Sleep(300);              /* the one instance is busy meanwhile: a client waits */
        HANDLE next = i < 2 ? CreateNamedPipeA(NAME, PIPE_ACCESS_DUPLEX,
                                               PIPE_TYPE_MESSAGE | PIPE_WAIT,
                                               PIPE_UNLIMITED_INSTANCES, 16, 16, 1000, NULL)
                            : INVALID_HANDLE_VALUE;
        DisconnectNamedPipe(pipe);
        CloseHandle(pipe);
        pipe = next;
    }
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 1;
    GetExitCodeProcess(pi.hProcess, &code);
    return (int)code;
}
