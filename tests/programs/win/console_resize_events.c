/* A terminal resize is a WINDOW_BUFFER_SIZE_EVENT in the console's input buffer while the
 * input mode has ENABLE_WINDOW_INPUT (tcell's and crossterm's redraws wait for it), and no
 * event without it: the first record is then the key typed after the resize. */
#include <windows.h>
#include <stdio.h>

static void say(const char *text) {
    fputs(text, stdout);
    fflush(stdout);
}

static INPUT_RECORD next_event(HANDLE in) {
    INPUT_RECORD r;
    DWORD n;
    for (;;) {
        if (!ReadConsoleInputW(in, &r, 1, &n) || n != 1) {
            printf("read failed %lu\n", GetLastError());
            ExitProcess(2);
        }
        if (r.EventType != KEY_EVENT || r.Event.KeyEvent.bKeyDown)
            return r;                       /* a key's release is not interesting here */
    }
}

int main(void) {
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    DWORD mode;
    if (!GetConsoleMode(in, &mode))
        return 1;
    SetConsoleMode(in, (mode & ~ENABLE_WINDOW_INPUT) & ~(ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT));
    say("without window input\n");
    INPUT_RECORD r = next_event(in);
    printf("first event %d char %c\n", r.EventType, (char)r.Event.KeyEvent.uChar.UnicodeChar);
    SetConsoleMode(in, mode | ENABLE_WINDOW_INPUT);
    say("with window input\n");
    r = next_event(in);
    if (r.EventType == WINDOW_BUFFER_SIZE_EVENT)
        printf("resized to %dx%d\n", r.Event.WindowBufferSizeEvent.dwSize.X,
               r.Event.WindowBufferSizeEvent.dwSize.Y);
    else
        printf("event %d\n", r.EventType);
    CONSOLE_SCREEN_BUFFER_INFO info;
    GetConsoleScreenBufferInfo(GetStdHandle(STD_OUTPUT_HANDLE), &info);
    printf("buffer %dx%d\n", info.dwSize.X, info.dwSize.Y);
    SetConsoleMode(in, mode);
    return 0;
}
