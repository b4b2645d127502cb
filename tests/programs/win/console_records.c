/* The console input buffer as records: a copy of standard input and CONIN$ are input
 * handles, a wait on one ends when a key is typed, keys come as key-down/key-up records
 * with virtual-key codes (arrows from the terminal's escape sequences), Peek leaves them,
 * WriteConsoleInput adds some, and the cursor info and console window are there. */
#include <windows.h>
#include <stdio.h>

static void show(HANDLE in, int n)
{
    INPUT_RECORD r[16];
    DWORD got = 0;
    while (n > 0) {
        if (!ReadConsoleInputW(in, r, n < 16 ? n : 16, &got)) {
            printf("read failed %lu\n", GetLastError());
            return;
        }
        for (DWORD i = 0; i < got; i++)
            if (r[i].EventType == KEY_EVENT && r[i].Event.KeyEvent.bKeyDown)
                printf("key vk 0x%02x char %d ctrl 0x%lx\n", r[i].Event.KeyEvent.wVirtualKeyCode,
                       r[i].Event.KeyEvent.uChar.UnicodeChar,
                       r[i].Event.KeyEvent.dwControlKeyState);
        n -= got;
    }
}

int main(void)
{
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE), dup = NULL;
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    DuplicateHandle(GetCurrentProcess(), in, GetCurrentProcess(), &dup, 0, FALSE,
                    DUPLICATE_SAME_ACCESS);
    HANDLE conin = CreateFileW(L"CONIN$", GENERIC_READ | GENERIC_WRITE,
                               FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    DWORD mode = 0, events = 9;
    GetConsoleMode(dup, &mode);
    BOOL dup_in = GetNumberOfConsoleInputEvents(dup, &events);
    printf("dup is input: %d line %d\n", dup_in != 0, (mode & ENABLE_LINE_INPUT) != 0);
    BOOL conin_in = GetNumberOfConsoleInputEvents(conin, &events);
    printf("conin is input: %d events %lu\n", conin_in != 0, events);
    CONSOLE_CURSOR_INFO ci = {0};
    BOOL got_cursor = GetConsoleCursorInfo(out, &ci);
    printf("cursor: %d size %lu visible %d\n", got_cursor, ci.dwSize, ci.bVisible);
    printf("console window: %d\n", GetConsoleWindow() != NULL);
    printf("wait with nothing typed: 0x%lx\n", WaitForSingleObject(conin, 100));
    SetConsoleMode(in, 0);
    printf("type\n");
    fflush(stdout);
    printf("wait: 0x%lx\n", WaitForMultipleObjects(1, &conin, FALSE, INFINITE));
    INPUT_RECORD peek[4];
    DWORD peeked = 0;
    PeekConsoleInputW(dup, peek, 4, &peeked);
    GetNumberOfConsoleInputEvents(in, &events);
    printf("peeked %lu, events %lu\n", peeked, events);
    show(conin, 4);                        /* "a" and "B": down and up each */
    show(in, 2);                           /* the up arrow */
    show(dup, 2);                          /* ctrl-c as a key (processed input is off) */
    INPUT_RECORD w = {0};
    w.EventType = KEY_EVENT;
    w.Event.KeyEvent.bKeyDown = TRUE;
    w.Event.KeyEvent.wVirtualKeyCode = VK_F5;
    DWORD written = 0;
    WriteConsoleInputW(in, &w, 1, &written);
    printf("written %lu\n", written);
    show(in, 1);
    BOOL ok = WriteConsoleInputW(in, &w, 0x7FFFFFFF, &written);     /* no buffer holds that */
    printf("too many: %d %lu\n", ok, GetLastError());
    return 0;
}
