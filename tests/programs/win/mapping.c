/* File mappings: a file's view written and read back through the file, a read-only view,
   a copy-on-write view that leaves the file alone, memory of the paging file shared by two
   views of one named section, and the errors Windows gives. */
#include <windows.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    HANDLE file = CreateFileA("mapped.bin", GENERIC_READ | GENERIC_WRITE, 0, NULL,
                              CREATE_ALWAYS, 0, NULL);
    DWORD n;
    WriteFile(file, "hello, file", 11, &n, NULL);
    HANDLE section = CreateFileMappingA(file, NULL, PAGE_READWRITE, 0, 8192, NULL);
    char *view = MapViewOfFile(section, FILE_MAP_WRITE | FILE_MAP_READ, 0, 0, 0);
    printf("view %d reads [%.11s]\n", view != NULL, view);
    memcpy(view, "HELLO", 5);
    memcpy(view + 5000, "far", 3);
    FlushViewOfFile(view, 0);
    UnmapViewOfFile(view);
    LARGE_INTEGER size;
    GetFileSizeEx(file, &size);
    char back[16] = {0};
    SetFilePointer(file, 0, NULL, FILE_BEGIN);
    ReadFile(file, back, 11, &n, NULL);
    char distant[4] = {0};
    SetFilePointer(file, 5000, NULL, FILE_BEGIN);
    ReadFile(file, distant, 3, &n, NULL);
    printf("file grew to %lld, now [%s] and [%s]\n", (long long)size.QuadPart, back, distant);

    char *copy = MapViewOfFile(section, FILE_MAP_COPY, 0, 0, 16);
    copy[0] = 'j';
    char *reader = MapViewOfFile(section, FILE_MAP_READ, 0, 0, 16);
    printf("copy [%.5s] file view [%.5s]\n", copy, reader);
    UnmapViewOfFile(copy);
    UnmapViewOfFile(reader);
    CloseHandle(section);

    HANDLE empty = CreateFileA("empty.bin", GENERIC_READ | GENERIC_WRITE, 0, NULL,
                               CREATE_ALWAYS, 0, NULL);
    HANDLE none = CreateFileMappingA(empty, NULL, PAGE_READONLY, 0, 0, NULL);
    printf("empty file %d %lu\n", none != NULL, GetLastError());
    CloseHandle(empty);

    HANDLE shared = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 65536,
                                       "Local\\probe");
    HANDLE same = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 65536,
                                     "Local\\probe");
    DWORD existed = GetLastError();
    char *a = MapViewOfFile(shared, FILE_MAP_ALL_ACCESS, 0, 0, 0);
    char *b = MapViewOfFile(same, FILE_MAP_ALL_ACCESS, 0, 0, 0);
    strcpy(a + 4096, "seen through both");
    printf("paging file %d existed %lu [%s] zero %d\n", a != b, existed, b + 4096, b[0] == 0);
    char *misaligned = MapViewOfFile(shared, FILE_MAP_READ, 0, 4096, 0);
    DWORD alignment_error = GetLastError();
    printf("misaligned %d %lu unmap bad %d\n", misaligned != NULL, alignment_error,
           UnmapViewOfFile(a + 1));
    UnmapViewOfFile(a);
    UnmapViewOfFile(b);
    CloseHandle(same);
    CloseHandle(shared);
    CloseHandle(file);
    DeleteFileA("mapped.bin");
    DeleteFileA("empty.bin");
    return 0;
}
