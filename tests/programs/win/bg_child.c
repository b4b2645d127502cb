/* A console program that starts a child and exits without waiting for it (flow's client
 * leaving its server, `start /b`): `tblc run` returns with the program, as a Windows
 * console or Wine does; the machine ends the child.
 *   bg_child          starts "bg_child sleep", prints "parent-done", exits 3
 *   bg_child sleep    sleeps 60 s */
#include <stdio.h>
#include <string.h>
#include <windows.h>

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "sleep") == 0) {
        Sleep(60000);
        return 0;
    }
    char cmd[MAX_PATH + 16];
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    snprintf(cmd, sizeof cmd, "\"%s\" sleep", argv[0]);
    if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi))
        return 2;
    printf("parent-done\n");
    return 3;
}
