/* One named-pipe instance serving client after client: ConnectNamedPipe, read, answer,
   DisconnectNamedPipe, connect again on the same handle (PostgreSQL's signal pipe, the
   single-instance server of the Windows documentation); the clients use CallNamedPipe. */
#include <windows.h>
#include <stdio.h>

#define NAME "\\\\.\\pipe\\sysvec-reuse"

static DWORD WINAPI serve(LPVOID arg)
{
    HANDLE pipe = (HANDLE)arg;
    for (int i = 0; i < 3; i++) {
        BOOL connected = ConnectNamedPipe(pipe, NULL) || GetLastError() == ERROR_PIPE_CONNECTED;
        BYTE b = 0;
        DWORD n = 0;
        BOOL got = ReadFile(pipe, &b, 1, &n, NULL);
        b += 100;
        WriteFile(pipe, &b, 1, &n, NULL);
        FlushFileBuffers(pipe);
        BOOL disconnected = DisconnectNamedPipe(pipe);
        printf("server %d: connected %d read %d disconnected %d\n", i, connected, got, disconnected);
        fflush(stdout);
    }
    return 0;
}

int main(void)
{
    HANDLE pipe = CreateNamedPipeA(NAME, PIPE_ACCESS_DUPLEX,
                                   PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_WAIT,
                                   PIPE_UNLIMITED_INSTANCES, 16, 16, 1000, NULL);
    HANDLE thread = CreateThread(NULL, 0, serve, pipe, 0, NULL);
    for (int i = 0; i < 3; i++) {
        BYTE request = (BYTE)i, reply = 0;
        DWORD n = 0;
        BOOL ok = CallNamedPipeA(NAME, &request, 1, &reply, 1, &n, 2000);
        printf("client %d: %d reply %d\n", i, ok, reply);
        fflush(stdout);
        Sleep(100);
    }
    printf("server done %d\n", WaitForSingleObject(thread, 5000) == WAIT_OBJECT_0);
    BOOL refused = DisconnectNamedPipe(GetStdHandle(STD_ERROR_HANDLE));
    DWORD error = GetLastError();
    printf("not a pipe %d %lu\n", refused, error);
    return 0;
}
