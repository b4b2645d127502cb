/* MapViewOfFile's views start on the 64 KiB allocation granularity (file and paging-file
   sections, several in a row), so memmap2's unmap at the view's address rounded down to it
   is the view's own address and succeeds. */
#include <windows.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    HANDLE f = CreateFileA("C:\\view.bin", GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                           0, NULL);
    char buf[10000];
    DWORD n;
    memset(buf, 'a', sizeof buf);
    WriteFile(f, buf, sizeof buf, &n, NULL);
    HANDLE m = CreateFileMappingA(f, NULL, PAGE_READONLY, 0, 0, NULL);
    HANDLE anon = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 12345, NULL);
    int aligned = 1;
    char *views[4];
    for (int i = 0; i < 4; i++) {
        views[i] = MapViewOfFile(i % 2 ? anon : m, i % 2 ? FILE_MAP_WRITE : FILE_MAP_READ, 0, 0, 0);
        aligned &= (ULONG_PTR)views[i] % si.dwAllocationGranularity == 0;
    }
    ULONG_PTR off = (ULONG_PTR)views[0] % si.dwAllocationGranularity;
    BOOL unmapped = UnmapViewOfFile(views[0] - off);
    printf("granularity 0x%lx aligned %d unmapped %d first byte %c\n", si.dwAllocationGranularity,
           aligned, unmapped, views[2][0]);
    return 0;
}
