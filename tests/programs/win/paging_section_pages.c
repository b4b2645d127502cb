/* A paging-file section's size is whole pages, as NT rounds it (its prototype PTEs cover
   whole pages): a view of a named 100-byte section may be a page long, and the page's tail
   past the 100 bytes is the section's too. CPython's multiprocessing.shared_memory opens a
   block by name so: VirtualQuery says how long the view is (a page), then maps that much.
   A file's section stays the file's size. */
#include <windows.h>
#include <stdio.h>

int main(void)
{
    HANDLE made = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 100,
                                     L"sysvec_paging_section");
    unsigned char *view = MapViewOfFile(made, FILE_MAP_WRITE, 0, 0, 100);
    view[0] = 7;
    view[4000] = 9;                       /* past the 100 bytes, in the page */
    printf("made %d view %d\n", made != NULL, view != NULL);

    HANDLE opened = OpenFileMappingW(FILE_MAP_READ, FALSE, L"sysvec_paging_section");
    unsigned char *whole = MapViewOfFile(opened, FILE_MAP_READ, 0, 0, 0);
    MEMORY_BASIC_INFORMATION mbi;
    VirtualQuery(whole, &mbi, sizeof mbi);
    printf("whole view %lu bytes\n", (unsigned long)mbi.RegionSize);
    UnmapViewOfFile(whole);

    HANDLE again = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096,
                                      L"sysvec_paging_section");
    DWORD existed = GetLastError();
    unsigned char *page = MapViewOfFile(again, FILE_MAP_WRITE, 0, 0, 4096);
    printf("again existed %d page %d\n", existed == ERROR_ALREADY_EXISTS, page != NULL);
    if (page)
        printf("shared %d %d\n", page[0], page[4000]);
    SetLastError(0);
    unsigned char *beyond = MapViewOfFile(again, FILE_MAP_WRITE, 0, 0, 4097);
    printf("beyond the page %d error %lu\n", beyond != NULL, GetLastError());

    HANDLE file = CreateFileW(L"hundred.bin", GENERIC_READ | GENERIC_WRITE, 0, NULL,
                              CREATE_ALWAYS, 0, NULL);
    char data[100] = {0};
    DWORD done;
    WriteFile(file, data, sizeof data, &done, NULL);
    HANDLE of_file = CreateFileMappingW(file, NULL, PAGE_READONLY, 0, 0, NULL);
    SetLastError(0);
    void *file_page = MapViewOfFile(of_file, FILE_MAP_READ, 0, 0, 4096);
    printf("file's page %d error %lu\n", file_page != NULL, GetLastError());
    return 0;
}
