/* A Windows process always has a temporary directory: GetTempPath names one that exists and
   a file made there can be written and read back (Bun unpacks native modules there). */
#include <windows.h>
#include <stdio.h>

int main(void)
{
    char dir[MAX_PATH], name[MAX_PATH], back[16] = "";
    DWORD n = GetTempPathA(sizeof dir, dir);
    DWORD attributes = GetFileAttributesA(dir);
    printf("TEMP set %d, a directory %d\n", GetEnvironmentVariableA("TEMP", NULL, 0) > 0,
           n > 0 && attributes != INVALID_FILE_ATTRIBUTES &&
           (attributes & FILE_ATTRIBUTE_DIRECTORY) != 0);
    GetTempFileNameA(dir, "sv", 0, name);
    HANDLE h = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD done;
    WriteFile(h, "temporary", 9, &done, NULL);
    SetFilePointer(h, 0, NULL, FILE_BEGIN);
    ReadFile(h, back, 9, &done, NULL);
    CloseHandle(h);
    printf("read back [%s], deleted %d\n", back, DeleteFileA(name));
    return 0;
}
