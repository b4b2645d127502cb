/* Walk C:\ and everything under it with FindFirstFileW/FindNextFileW, as a tool that scans a
 * whole drive does: the drive shows only what the root holds (no Linux /dev or /proc), and
 * a folder asked for by name is still listed. */
#include <windows.h>
#include <stdio.h>

static int entries;

static void walk(const wchar_t *dir, int depth) {
    wchar_t pattern[1024];
    WIN32_FIND_DATAW fd;
    swprintf(pattern, 1024, L"%ls\\*", dir);
    HANDLE h = FindFirstFileW(pattern, &fd);
    if (h == INVALID_HANDLE_VALUE)
        return;
    do {
        if (!wcscmp(fd.cFileName, L".") || !wcscmp(fd.cFileName, L".."))
            continue;
        entries++;
        wchar_t sub[1024];
        swprintf(sub, 1024, L"%ls\\%ls", dir, fd.cFileName);
        if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY && depth < 4)
            walk(sub, depth + 1);
    } while (FindNextFileW(h, &fd));
    FindClose(h);
}

int main(void) {
    WIN32_FIND_DATAW fd;
    HANDLE h = FindFirstFileW(L"C:\\*", &fd);
    printf("C:\\ holds:");
    do
        printf(" %ls", fd.cFileName);
    while (FindNextFileW(h, &fd));
    printf("\n");
    FindClose(h);
    walk(L"C:", 0);
    printf("walked the drive: %d\n", entries);
    entries = 0;
    walk(L"C:\\proc", 0);
    printf("C:\\proc asked for by name: %d\n", entries > 10);
    return 0;
}
