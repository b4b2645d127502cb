/* CPython's multiprocessing waits on a message pipe with a zero-byte overlapped ReadFile,
 * and the other end wakes it with an empty message (ProcessPoolExecutor's shutdown). */
#include <windows.h>
#include <stdio.h>

static void wake(int read_first)
{
    wchar_t name[64];
    swprintf(name, 64, L"\\\\.\\pipe\\wakeup-%lu-%d", GetCurrentProcessId(), read_first);
    HANDLE server = CreateNamedPipeW(name, PIPE_ACCESS_INBOUND | FILE_FLAG_OVERLAPPED,
                                     PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_WAIT, 1, 0,
                                     0x10000, 0, NULL);
    HANDLE client = CreateFileW(name, GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    OVERLAPPED ov = {0};
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    char buf[16];
    DWORD n = 0, written = 0;
    if (!read_first)
        WriteFile(client, "", 0, &written, NULL);
    BOOL started = ReadFile(server, buf, 0, NULL, &ov);
    DWORD err = started ? 0 : GetLastError();
    if (read_first)
        WriteFile(client, "", 0, &written, NULL);
    DWORD waited = WaitForSingleObject(ov.hEvent, 5000);
    BOOL done = GetOverlappedResult(server, &ov, &n, FALSE);
    printf("%s: read %d (%lu), woken %d, result %d %lu\n",
           read_first ? "read, then an empty message" : "an empty message, then read",
           started, err, waited == WAIT_OBJECT_0, done, n);
    CloseHandle(client);
    CloseHandle(server);
}

/* An empty message read into a buffer: TRUE with 0 bytes, and the next message after it. */
static void read_into_buffer(void)
{
    wchar_t name[64];
    swprintf(name, 64, L"\\\\.\\pipe\\empty-%lu", GetCurrentProcessId());
    HANDLE server = CreateNamedPipeW(name, PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED,
                                     PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_WAIT, 1,
                                     4096, 4096, 0, NULL);
    HANDLE client = CreateFileW(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0,
                                NULL);
    DWORD mode = PIPE_READMODE_MESSAGE, n = 99, written;
    SetNamedPipeHandleState(client, &mode, NULL, NULL);
    OVERLAPPED w = {0};
    w.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    WriteFile(server, "", 0, &written, &w);
    WriteFile(server, "next", 4, &written, &w);
    char buf[100];
    BOOL ok = ReadFile(client, buf, sizeof buf, &n, NULL);
    DWORD n2 = 0;
    BOOL ok2 = ReadFile(client, buf, sizeof buf, &n2, NULL);
    printf("read of an empty message: %d %lu, then %d [%.*s]\n", ok, n, ok2, (int)n2, buf);
    CloseHandle(client);
    CloseHandle(server);
}

int main(void)
{
    wake(1);
    wake(0);
    read_into_buffer();
    return 0;
}
