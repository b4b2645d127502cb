/* An overlapped read resets its OVERLAPPED's event as it starts: a reader that reuses one
   manual-reset event waits for its second read's data, not the first read's completion
   (pywinpty's reader thread took the stale signal for the end of the output). */
#include <windows.h>
#include <stdio.h>

int main(void)
{
    const char *name = "\\\\.\\pipe\\overlapped-reset";
    HANDLE server = CreateNamedPipeA(name, PIPE_ACCESS_INBOUND | FILE_FLAG_OVERLAPPED,
                                     PIPE_TYPE_BYTE | PIPE_WAIT, 1, 4096, 4096, 0, NULL);
    HANDLE client = CreateFileA(name, GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    OVERLAPPED ov = {.hEvent = event};
    char buf[16];
    DWORD n = 0;
    WriteFile(client, "one", 3, &n, NULL);
    BOOL ok = ReadFile(server, buf, sizeof buf, NULL, &ov);
    GetOverlappedResult(server, &ov, &n, TRUE);
    printf("first: %d %lu, event set %d\n", ok, n, WaitForSingleObject(event, 0) == 0);
    ok = ReadFile(server, buf, sizeof buf, NULL, &ov);
    DWORD err = GetLastError();
    printf("second pending: %d %lu, event reset %d\n", ok, err,
           WaitForSingleObject(event, 50) == WAIT_TIMEOUT);
    WriteFile(client, "two!", 4, &n, NULL);
    printf("second done: event set %d", WaitForSingleObject(event, 5000) == 0);
    GetOverlappedResult(server, &ov, &n, FALSE);
    printf(" %lu '%.*s'\n", n, (int)n, buf);
    return 0;
}
