/* cmd's dir and the attributes: hidden and system files are listed only with /A; /A:H lists
   only hidden ones, /A:-D no folders, /A:DH hidden folders. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    CreateDirectoryA("d", NULL);
    SetCurrentDirectoryA("d");
    CloseHandle(CreateFileA("plain.txt", GENERIC_WRITE, 0, NULL, CREATE_NEW, 0, NULL));
    CloseHandle(CreateFileA("hidden.txt", GENERIC_WRITE, 0, NULL, CREATE_NEW,
                            FILE_ATTRIBUTE_HIDDEN, NULL));
    CloseHandle(CreateFileA("system.sys", GENERIC_WRITE, 0, NULL, CREATE_NEW, 0, NULL));
    SetFileAttributesA("system.sys", FILE_ATTRIBUTE_SYSTEM);
    CreateDirectoryA("sub", NULL);
    CreateDirectoryA("secret", NULL);
    SetFileAttributesA("secret", FILE_ATTRIBUTE_HIDDEN);
    const char *commands[] = {"dir /b", "dir /b /a", "dir /b /a:h", "dir /b /a-d",
                              "dir /b /adh"};
    for (int i = 0; i < 5; i++) {
        printf("[%s]\n", commands[i]);
        fflush(stdout);
        char line[64];
        snprintf(line, sizeof line, "cmd /c %s", commands[i]);
        system(line);
    }
    return 0;
}
