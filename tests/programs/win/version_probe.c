/* GetFileVersionInfoSizeA and GetFileVersionInfoA of the file named on the command line:
   its size and error, and the version's file-version numbers when there is one. */
#include <windows.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    DWORD handle = 0;
    DWORD size = GetFileVersionInfoSizeA(argv[1], &handle);
    DWORD err = GetLastError();
    printf("size %d error %lu\n", size > 0, size ? 0 : err);
    if (size) {
        static char data[65536];
        VS_FIXEDFILEINFO *info = NULL;
        UINT len = 0;
        GetFileVersionInfoA(argv[1], 0, sizeof data, data);
        VerQueryValueA(data, "\\", (void **)&info, &len);
        printf("version %lu.%lu\n", HIWORD(info->dwFileVersionMS), LOWORD(info->dwFileVersionMS));
    }
    return 0;
}
