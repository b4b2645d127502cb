/* What a Windows program sees of how it was started: argv[0], the command line, and its
 * current directory. */
#include <windows.h>
#include <stdio.h>

int main(int argc, char **argv) {
    char cwd[MAX_PATH];
    GetCurrentDirectoryA(sizeof cwd, cwd);
    printf("argv0=%s\ncmdline=%s\ncwd=%s\n", argv[0], GetCommandLineA(), cwd);
    return 0;
}
