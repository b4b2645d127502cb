/* Win32 files inside the root: create, write, read back, close; a path escaping the root fails. */
#include <stdio.h>
#include <windows.h>

int main(void)
{
    DWORD n;
    char buf[64] = {0};
    HANDLE h = CreateFileA("C:\\data.txt", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    if (h == INVALID_HANDLE_VALUE) { printf("create failed %lu\n", GetLastError()); return 1; }
    WriteFile(h, "written by windows\n", 19, &n, NULL);
    CloseHandle(h);
    h = CreateFileA("c:/DATA.TXT", GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    if (h == INVALID_HANDLE_VALUE) { printf("open failed %lu\n", GetLastError()); return 2; }
    ReadFile(h, buf, sizeof buf - 1, &n, NULL);
    CloseHandle(h);
    printf("read back %lu: %s", n, buf);
    h = CreateFileA("\\\\?\\C:\\..\\..\\outside.txt", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    printf("escape: %s %lu\n", h == INVALID_HANDLE_VALUE ? "refused" : "opened", GetLastError());
    h = CreateFileA("C:\\missing\\x.txt", GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    printf("missing dir: %lu\n", GetLastError());
    return 0;
}
