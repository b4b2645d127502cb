/* A named pipe between two processes: the server makes \\.\pipe\sysvec-test, starts
   itself as the client, and waits in a blocking ConnectNamedPipe until the client (another
   process) opens the name; a message each way. */
#include <windows.h>
#include <stdio.h>

#define NAME "\\\\.\\pipe\\sysvec-test"

int main(int argc, char **argv)
{
    char buf[64];
    DWORD n = 0;
    if (argc > 1) {                                 /* the client */
        HANDLE h = CreateFileA(NAME, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0,
                               NULL);
        if (h == INVALID_HANDLE_VALUE) {
            printf("client open failed %lu\n", GetLastError());
            return 1;
        }
        WriteFile(h, "ping", 4, &n, NULL);
        ReadFile(h, buf, sizeof buf - 1, &n, NULL);
        buf[n] = 0;
        printf("client got %s\n", buf);
        return 0;
    }
    HANDLE pipe = CreateNamedPipeA(NAME, PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE | PIPE_WAIT, 1, 64,
                                   64, 0, NULL);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    char line[MAX_PATH + 16];
    snprintf(line, sizeof line, "\"%s\" client", argv[0]);
    fflush(stdout);
    CreateProcessA(NULL, line, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi);
    BOOL connected = ConnectNamedPipe(pipe, NULL) || GetLastError() == ERROR_PIPE_CONNECTED;
    ReadFile(pipe, buf, sizeof buf - 1, &n, NULL);
    buf[n] = 0;
    printf("server connected=%d got %s\n", connected, buf);
    fflush(stdout);
    WriteFile(pipe, "pong", 4, &n, NULL);
    WaitForSingleObject(pi.hProcess, INFINITE);
    CloseHandle(pipe);
    return 0;
}
