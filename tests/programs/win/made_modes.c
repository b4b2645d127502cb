/* Makes directories and files every way a Windows program does: CreateDirectory, the CRT's
 * _mkdir, CreateFile, fopen and a cmd.exe `md` with a redirection; the test reads their
 * modes on the host. */
#include <windows.h>
#include <direct.h>
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    int ok = CreateDirectoryA("by_create_directory", NULL) && _mkdir("by_mkdir") == 0;
    HANDLE h = CreateFileA("by_create_file", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                           FILE_ATTRIBUTE_NORMAL, NULL);
    ok = ok && h != INVALID_HANDLE_VALUE && CloseHandle(h);
    FILE *f = fopen("by_fopen", "w");
    ok = ok && f && fclose(f) == 0;
    ok = ok && system("md by_cmd_md && echo x > by_cmd_redirect") == 0;
    printf("made %d\n", ok);
    return !ok;
}
