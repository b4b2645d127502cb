/* A read-only view of a DLL in C:\Windows\System32 (the ones sysvec generates, which have no
   host file under them) maps: PyInstaller reads every DLL's headers through pefile's mmap and
   found none of System32's (MapViewOfFile: ERROR_ACCESS_DENIED). A view asking to write a
   file opened for reading is still refused. */
#include <windows.h>
#include <stdio.h>

int main(void)
{
    char path[MAX_PATH];
    GetSystemDirectoryA(path, sizeof path);
    strcat(path, "\\version.dll");
    HANDLE f = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    DWORD size = GetFileSize(f, NULL);
    HANDLE section = CreateFileMappingA(f, NULL, PAGE_READONLY, 0, 0, NULL);
    const unsigned char *view = MapViewOfFile(section, FILE_MAP_READ, 0, 0, 0);
    printf("view %d %lu\n", view != NULL, view ? 0 : GetLastError());
    if (view) {
        DWORD pe = *(const DWORD *)(view + 0x3C);
        printf("%c%c %s\n", view[0], view[1], pe < size && !memcmp(view + pe, "PE\0\0", 4)
                                               ? "PE" : "?");
        char first[2];
        DWORD got;
        ReadFile(f, first, 2, &got, NULL);
        printf("same as read %d\n", got == 2 && !memcmp(first, view, 2));
        MEMORY_BASIC_INFORMATION mbi;
        VirtualQuery(view, &mbi, sizeof mbi);
        printf("mapped %d readonly %d\n", mbi.Type == MEM_MAPPED, mbi.Protect == PAGE_READONLY);
        UnmapViewOfFile(view);
    }
    SetLastError(0);
    void *write = MapViewOfFile(section, FILE_MAP_WRITE, 0, 0, 0);
    printf("write view %d %lu\n", write != NULL, GetLastError());
    CloseHandle(section);
    CloseHandle(f);
    return 0;
}
