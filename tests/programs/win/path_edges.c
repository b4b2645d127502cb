/* Names CreateFile refuses, as Windows does: an empty one (ERROR_PATH_NOT_FOUND) and one
 * longer than a UNICODE_STRING holds (ERROR_FILENAME_EXCED_RANGE), each INVALID_HANDLE_VALUE,
 * never NULL; the current directory set to the drive's root keeps its backslash, and a file
 * is no directory to change to (ERROR_DIRECTORY). */
#include <windows.h>
#include <stdio.h>
#include <string.h>

static char name[70000];

static void try_open(const char *what, const char *path)
{
    HANDLE h = CreateFileA(path, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    printf("%s invalid %d null %d error %lu\n", what, h == INVALID_HANDLE_VALUE, h == NULL,
           GetLastError());
}

int main(void)
{
    try_open("empty", "");
    memset(name, 'a', sizeof name - 1);
    memcpy(name, "C:\\", 3);
    try_open("40000 chars", (name[40000] = 0, name));
    memset(name, 'a', sizeof name - 1);
    name[sizeof name - 1] = 0;
    memcpy(name, "C:\\", 3);
    try_open("69999 chars", name);
    char dir[MAX_PATH];
    SetCurrentDirectoryA("\\");
    DWORD n = GetCurrentDirectoryA(MAX_PATH, dir);
    printf("root [%s] %lu\n", dir, n);
    CloseHandle(CreateFileA("f.txt", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL));
    BOOL ok = SetCurrentDirectoryA("f.txt");
    printf("to a file %d error %lu\n", ok, GetLastError());
    return 0;
}
