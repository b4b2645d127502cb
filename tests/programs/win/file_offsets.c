/* ReadFile/WriteFile with an OVERLAPPED on a synchronous handle: the I/O happens at its
   offset, the file pointer moves past it (PostgreSQL's pg_pread/pg_pwrite), and a read past the
   end fails with ERROR_HANDLE_EOF. */
#include <windows.h>
#include <stdio.h>
int main(void) {
    HANDLE h = CreateFileA("f.bin", GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD n; OVERLAPPED o = {0};
    WriteFile(h, "0123456789", 10, &n, NULL);
    o.Offset = 2; WriteFile(h, "ab", 2, &n, &o);
    printf("pointer=%lu\n", SetFilePointer(h, 0, NULL, FILE_CURRENT));
    WriteFile(h, "XY", 2, &n, NULL);
    char buf[16] = {0}; o.Offset = 0; ReadFile(h, buf, 10, &n, &o);
    printf("read=%lu %s pointer=%lu\n", n, buf, SetFilePointer(h, 0, NULL, FILE_CURRENT));
    o.Offset = 100; SetLastError(0);
    BOOL ok = ReadFile(h, buf, 4, &n, &o);
    printf("past end ok=%d n=%lu err=%lu\n", ok, n, GetLastError());
    CloseHandle(h); DeleteFileA("f.bin");
    return 0;
}
