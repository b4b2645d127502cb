/* A console program that reads single keys: it turns ENABLE_LINE_INPUT and ENABLE_ECHO_INPUT
 * off with SetConsoleMode, reads three keys one ReadFile each and Enter, then restores the
 * mode and reads a line. */
#include <windows.h>
#include <stdio.h>

static void say(const char *text) {
    fputs(text, stdout);
    fflush(stdout);
}

int main(void) {
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    DWORD mode, n;
    char buf[64];
    if (!GetConsoleMode(in, &mode)) {
        printf("not a console: error %lu\n", GetLastError());
        return 1;
    }
    printf("line %d echo %d processed %d\n", !!(mode & ENABLE_LINE_INPUT),
           !!(mode & ENABLE_ECHO_INPUT), !!(mode & ENABLE_PROCESSED_INPUT));
    SetConsoleMode(in, mode & ~(ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT));
    GetConsoleMode(in, &n);
    printf("now line %d echo %d\n", !!(n & ENABLE_LINE_INPUT), !!(n & ENABLE_ECHO_INPUT));
    say("single keys\n");
    for (int i = 0; i < 3; i++) {
        char c;
        if (!ReadFile(in, &c, 1, &n, NULL) || n != 1)
            return 2;
        printf("key %c\n", c);
        fflush(stdout);
    }
    char enter;                    /* Enter, read raw: a CR, as conhost gives it */
    if (!ReadFile(in, &enter, 1, &n, NULL) || n != 1)
        return 2;
    printf("enter 0x%02x\n", (unsigned char)enter);
    SetConsoleMode(in, mode);
    say("a line\n");
    if (!ReadFile(in, buf, sizeof buf - 1, &n, NULL))
        return 3;
    buf[n] = 0;
    buf[strcspn(buf, "\r\n")] = 0;
    printf("line [%s]\n", buf);
    return 0;
}
