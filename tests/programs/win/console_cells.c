/* A full-screen console program's calls (tcell's, curses ports'): the largest window, a
 * window set to the buffer's size (and one too large), the buffer's size, a rectangle of
 * cells with their colours, characters at a position, and a scroll of rows. */
#include <windows.h>
#include <stdio.h>

static void say(const char *text) {
    DWORD n;
    WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), text, (DWORD)strlen(text), &n, NULL);
}

int main(void) {
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    char line[160];
    COORD largest = GetLargestConsoleWindowSize(out);
    SMALL_RECT window = {0, 0, largest.X - 1, largest.Y - 1}, big = {0, 0, largest.X, 5};
    BOOL fits = SetConsoleWindowInfo(out, TRUE, &window);
    BOOL too_big = SetConsoleWindowInfo(out, TRUE, &big);
    DWORD error = GetLastError();
    BOOL same = SetConsoleScreenBufferSize(out, largest);
    BOOL smaller = SetConsoleScreenBufferSize(out, (COORD){10, 5});
    snprintf(line, sizeof line, "largest %dx%d window %d %d (%lu) buffer %d %d\n", largest.X,
             largest.Y, fits, too_big, error, same, smaller);
    say(line);

    CHAR_INFO cells[4] = {{.Char.UnicodeChar = L'a', .Attributes = FOREGROUND_RED},
                          {.Char.UnicodeChar = L'b', .Attributes = FOREGROUND_RED},
                          {.Char.UnicodeChar = 0x263A, .Attributes = BACKGROUND_BLUE | 0x07},
                          {.Char.UnicodeChar = L'd', .Attributes = 0x07}};
    SMALL_RECT region = {2, 1, 3, 2};
    BOOL drew = WriteConsoleOutputW(out, cells, (COORD){2, 2}, (COORD){0, 0}, &region);
    snprintf(line, sizeof line, "cells %d region %d,%d-%d,%d\n", drew, region.Left,
             region.Top, region.Right, region.Bottom);
    say(line);
    DWORD n = 0;
    WriteConsoleOutputCharacterA(out, "xyz", 3, (COORD){5, 3}, &n);
    snprintf(line, sizeof line, "characters %lu\n", n);
    say(line);
    SMALL_RECT rows = {0, 1, largest.X - 1, 4};
    CHAR_INFO blank = {.Char.UnicodeChar = L' ', .Attributes = 0x07};
    BOOL scrolled = ScrollConsoleScreenBufferW(out, &rows, NULL, (COORD){0, 0}, &blank);
    snprintf(line, sizeof line, "scrolled %d\n", scrolled);
    say(line);
    return 0;
}
