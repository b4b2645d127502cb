/* The ANSI forms of the message-window calls (node, cpack, ffmpeg and Pillow import them):
   a class registered and a message-only window made by ANSI names, messages posted, got,
   peeked and dispatched to its procedure, DefWindowProcA for the rest. */
#include <windows.h>
#include <stdio.h>

static int seen;

static LRESULT CALLBACK proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    if (msg == WM_APP) {
        seen += (int)wp;
        return 7;
    }
    return DefWindowProcA(hwnd, msg, wp, lp);
}

int main(void)
{
    WNDCLASSEXA wc = {.cbSize = sizeof wc, .lpfnWndProc = proc, .lpszClassName = "AnsiClass"};
    ATOM atom = RegisterClassExA(&wc);
    HWND hwnd = CreateWindowExA(0, "AnsiClass", "title", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL,
                                NULL, NULL);
    printf("class %d window %d\n", atom != 0, hwnd != NULL);
    PostMessageA(hwnd, WM_APP, 5, 0);
    PostMessageA(hwnd, WM_APP, 10, 0);
    MSG msg;
    BOOL got = GetMessageA(&msg, NULL, 0, 0);
    LRESULT r = DispatchMessageA(&msg);
    printf("got %d dispatched %ld seen %d\n", got, (long)r, seen);
    BOOL peeked = PeekMessageA(&msg, NULL, 0, 0, PM_REMOVE);
    DispatchMessageA(&msg);
    printf("peeked %d seen %d, empty %d\n", peeked, seen, PeekMessageA(&msg, NULL, 0, 0, PM_REMOVE));
    PostThreadMessageA(GetCurrentThreadId(), WM_QUIT + 0, 0, 0);
    printf("quit: %d\n", GetMessageA(&msg, NULL, 0, 0));
    DestroyWindow(hwnd);
    printf("unregister: %d\n", UnregisterClassA("AnsiClass", NULL));
    WNDCLASSA old = {.lpfnWndProc = proc, .lpszClassName = "Plain"};
    printf("RegisterClassA: %d\n", RegisterClassA(&old) != 0);
    return 0;
}
