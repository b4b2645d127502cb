/* Ctrl+S and Ctrl+Q with line input off: conhost pauses output at Ctrl+S only in line input
 * mode, so a program that turns ENABLE_LINE_INPUT off (an editor's save and quit keys) reads
 * both as keys. Then the mode comes back as it was. */
#include <windows.h>
#include <stdio.h>

int main(void) {
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    DWORD mode, n;
    if (!GetConsoleMode(in, &mode)) {
        printf("not a console: error %lu\n", GetLastError());
        return 1;
    }
    SetConsoleMode(in, mode & ~(ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT | ENABLE_PROCESSED_INPUT));
    fputs("keys\n", stdout);
    fflush(stdout);
    for (int i = 0; i < 2; i++) {
        unsigned char c;
        if (!ReadFile(in, &c, 1, &n, NULL) || n != 1)
            return 2;
        printf("key 0x%02x\n", c);
        fflush(stdout);
    }
    SetConsoleMode(in, mode);
    DWORD now;
    GetConsoleMode(in, &now);
    printf("mode back %d\n", now == mode);
    return 0;
}
