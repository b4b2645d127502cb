/* Writes to a pipe whose reader has gone: WriteFile fails with ERROR_NO_DATA ("the pipe is
 * being closed"), and the CRT's _write sets errno EINVAL with _doserrno 232, as on Windows
 * (LLVM's raw_ostream and Rust's std read those to tell a closed pipe). The parent (the test)
 * reads the first line and closes its end. Reports on stderr. */
#include <errno.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <windows.h>

int main(void)
{
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    DWORD wrote;
    WriteFile(out, "first\n", 6, &wrote, NULL);
    for (int i = 0; i < 100000; i++) {
        if (!WriteFile(out, "more\n", 5, &wrote, NULL)) {
            fprintf(stderr, "WriteFile: error %lu\n", GetLastError());
            break;
        }
        Sleep(1);
    }
    SetLastError(0);
    int rc = _write(1, "again\n", 6);
    DWORD error = GetLastError();
    fprintf(stderr, "_write: %d errno %d doserrno %lu last error %lu\n", rc, errno, _doserrno,
            error);
    return 0;
}
