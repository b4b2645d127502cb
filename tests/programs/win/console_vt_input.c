/* ReadConsoleInput in virtual-terminal input mode: the terminal's text comes as it is, one
 * key-down record per character with no key code (prompt_toolkit's and crossterm's readers
 * parse the escape sequences themselves); out of that mode End's sequence is the End key. */
#include <windows.h>
#include <stdio.h>

static void say(const char *text) {
    fputs(text, stdout);
    fflush(stdout);
}

static void show(HANDLE in, int wanted) {
    while (wanted > 0) {
        INPUT_RECORD r;
        DWORD n;
        if (!ReadConsoleInputW(in, &r, 1, &n) || n != 1)
            ExitProcess(2);
        if (r.EventType != KEY_EVENT)
            continue;
        KEY_EVENT_RECORD *k = &r.Event.KeyEvent;
        printf("down %d vk 0x%02x char 0x%02x\n", k->bKeyDown, k->wVirtualKeyCode,
               k->uChar.UnicodeChar);
        wanted--;
    }
}

int main(void) {
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    DWORD mode, now;
    if (!GetConsoleMode(in, &mode))
        return 1;
    DWORD raw = mode & ~(ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT | ENABLE_PROCESSED_INPUT);
    SetConsoleMode(in, raw | ENABLE_VIRTUAL_TERMINAL_INPUT);
    GetConsoleMode(in, &now);
    printf("vt input %d\n", !!(now & ENABLE_VIRTUAL_TERMINAL_INPUT));
    say("type\n");
    show(in, 7);                    /* a, ESC [ 4 ~ (End), ESC b (Alt+b) */
    SetConsoleMode(in, raw);
    say("keys\n");
    show(in, 2);                    /* End: pressed and released */
    SetConsoleMode(in, mode);
    return 0;
}
