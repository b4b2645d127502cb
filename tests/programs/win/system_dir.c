/* C:\Windows\System32 when the root has no Windows directory: the DLLs sysvec made, listed,
   opened and read (the file a loaded module's name gives too), any case, read-only, and a
   missing name in it "file not found" (Go's long-path probe at start-up). */
#include <windows.h>
#include <stdio.h>
#include <string.h>

int main(void) {
    char dir[MAX_PATH], path[MAX_PATH], head[2];
    UINT n = GetSystemDirectoryA(dir, sizeof dir);
    printf("system directory %u [%s]\n", n, dir);
    DWORD attrs = GetFileAttributesA("c:\\WINDOWS\\system32");
    printf("directory %d\n", attrs != INVALID_FILE_ATTRIBUTES && (attrs & FILE_ATTRIBUTE_DIRECTORY));

    WIN32_FIND_DATAA found;
    snprintf(path, sizeof path, "%s\\*.dll", dir);
    HANDLE find = FindFirstFileA(path, &found);
    int dlls = 0, kernel32 = 0;
    if (find != INVALID_HANDLE_VALUE) {
        do {
            dlls++;
            kernel32 |= _stricmp(found.cFileName, "kernel32.dll") == 0;
        } while (FindNextFileA(find, &found));
        FindClose(find);
    }
    printf("listed %d kernel32 %d\n", dlls > 5, kernel32);

    GetModuleFileNameA(GetModuleHandleA("kernel32.dll"), path, sizeof path);
    HANDLE h = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    DWORD got = 0;
    BOOL ok = h != INVALID_HANDLE_VALUE && ReadFile(h, head, 2, &got, NULL);
    printf("module file [%s] read %d %.2s size %d\n", path, ok && got == 2, head,
           GetFileSize(h, NULL) > 1024);
    CloseHandle(h);

    h = CreateFileA("C:\\Windows\\System32\\NTDLL.DLL", GENERIC_READ, FILE_SHARE_READ, NULL,
                    OPEN_EXISTING, 0, NULL);
    printf("any case %d\n", h != INVALID_HANDLE_VALUE);
    CloseHandle(h);
    SetLastError(0);
    h = CreateFileA("C:\\Windows\\System32\\nosuch.dll", GENERIC_READ, 0, NULL, OPEN_EXISTING,
                    0, NULL);
    printf("missing %d %lu\n", h == INVALID_HANDLE_VALUE, (unsigned long)GetLastError());
    h = CreateFileA("C:\\Windows\\System32\\new.txt", GENERIC_WRITE, 0, NULL, CREATE_NEW, 0,
                    NULL);
    printf("create %d %lu\n", h == INVALID_HANDLE_VALUE, (unsigned long)GetLastError());
    printf("delete %d %lu\n", DeleteFileA("C:\\Windows\\System32\\kernel32.dll"),
           (unsigned long)GetLastError());
    return 0;
}
