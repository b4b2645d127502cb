/* Windows message pipes: messages keep their boundaries; a read in message mode stops at a
 * message's end, a smaller buffer gets ERROR_MORE_DATA and PeekNamedPipe the bytes left of
 * it; byte-mode reads run across messages; message reads on a byte pipe are refused. */
#include <windows.h>
#include <stdio.h>

int main(void)
{
    const char *name = "\\\\.\\pipe\\sysvec-msg-test";
    HANDLE server = CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX,
                                     PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_WAIT,
                                     1, 4096, 4096, 0, NULL);
    HANDLE client = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0,
                                NULL);
    DWORD mode = PIPE_READMODE_MESSAGE;
    BOOL set = SetNamedPipeHandleState(client, &mode, NULL, NULL);
    static char big[100000];
    memset(big, 'b', sizeof big);
    DWORD n = 0;
    WriteFile(server, "first", 5, &n, NULL);
    WriteFile(server, big, sizeof big, &n, NULL);
    WriteFile(server, "third message", 13, &n, NULL);
    printf("message mode %d, wrote %lu\n", set, n);

    char buf[200000];
    BOOL ok = ReadFile(client, buf, sizeof buf, &n, NULL);
    printf("read %d %lu [%.*s]\n", ok, n, (int)n, buf);
    ok = ReadFile(client, buf, 1000, &n, NULL);
    DWORD err = GetLastError(), avail = 0, left = 0;
    PeekNamedPipe(client, NULL, 0, NULL, &avail, &left);
    printf("short read %d %lu more_data %d left %lu\n", ok, n, err == ERROR_MORE_DATA, left);
    ok = ReadFile(client, buf, left, &n, NULL);
    printf("rest %d %lu\n", ok, n);
    mode = PIPE_READMODE_BYTE;
    SetNamedPipeHandleState(client, &mode, NULL, NULL);
    ok = ReadFile(client, buf, 5, &n, NULL);
    printf("byte mode %d [%.*s]\n", ok, (int)n, buf);
    mode = PIPE_READMODE_MESSAGE;
    SetNamedPipeHandleState(client, &mode, NULL, NULL);
    ok = ReadFile(client, buf, sizeof buf, &n, NULL);
    printf("rest of the message %d [%.*s]\n", ok, (int)n, buf);
    /* an empty message is one (multiprocessing wakes a waiting reader with one) */
    WriteFile(server, "", 0, &n, NULL);
    WriteFile(server, "after", 5, &n, NULL);
    DWORD got_empty = 99;
    BOOL empty_ok = ReadFile(client, buf, sizeof buf, &got_empty, NULL);
    ok = ReadFile(client, buf, sizeof buf, &n, NULL);
    printf("empty message %d %lu, then %d [%.*s]\n", empty_ok, got_empty, ok, (int)n, buf);

    HANDLE r, w;
    CreatePipe(&r, &w, NULL, 0);
    SetLastError(0);
    set = SetNamedPipeHandleState(r, &mode, NULL, NULL);
    printf("message reads on a byte pipe %d %lu\n", set, GetLastError());
    return 0;
}
