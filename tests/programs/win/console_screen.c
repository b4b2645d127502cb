/* A console program that draws: the screen buffer's size, a colour, a cursor move and a fill,
 * the code page it sets, and the output mode's virtual-terminal bit kept across calls. On a
 * pipe every one of these calls fails with ERROR_INVALID_HANDLE. */
#include <windows.h>
#include <stdio.h>

static void say(const char *text) {
    DWORD n;
    WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), text, (DWORD)strlen(text), &n, NULL);
}

int main(void) {
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    CONSOLE_SCREEN_BUFFER_INFO info;
    CONSOLE_SCREEN_BUFFER_INFOEX ex = {.cbSize = sizeof ex};
    DWORD mode, n;
    char line[160];
    if (!GetConsoleScreenBufferInfo(out, &info)) {
        DWORD error = GetLastError();
        BOOL colour = SetConsoleTextAttribute(out, FOREGROUND_RED);
        snprintf(line, sizeof line, "no console: error %lu, colour %d\n", error, colour);
        say(line);
        return 1;
    }
    snprintf(line, sizeof line, "size %dx%d window %d,%d-%d,%d attr %#x\n", info.dwSize.X,
             info.dwSize.Y, info.srWindow.Left, info.srWindow.Top, info.srWindow.Right,
             info.srWindow.Bottom, info.wAttributes);
    say(line);
    SetConsoleTextAttribute(out, FOREGROUND_RED | FOREGROUND_INTENSITY | BACKGROUND_BLUE);
    say("red on blue");
    GetConsoleScreenBufferInfoEx(out, &ex);
    SetConsoleTextAttribute(out, info.wAttributes);
    snprintf(line, sizeof line, "|ex attr %#x palette[7] %#lx\n", ex.wAttributes,
             ex.ColorTable[7]);
    say(line);
    COORD at = {3, 5};
    FillConsoleOutputCharacterA(out, '*', 4, at, &n);
    snprintf(line, sizeof line, "filled %lu\n", n);
    say(line);
    SetConsoleCursorPosition(out, (COORD){0, 7});
    GetConsoleMode(out, &mode);
    SetConsoleMode(out, mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING);
    GetConsoleMode(out, &mode);
    BOOL utf8 = SetConsoleOutputCP(CP_UTF8);
    snprintf(line, sizeof line, "vt %d utf8 %d cp %u\n",
             !!(mode & ENABLE_VIRTUAL_TERMINAL_PROCESSING), utf8, GetConsoleOutputCP());
    say(line);
    return 0;
}
