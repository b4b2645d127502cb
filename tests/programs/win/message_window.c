/* A message-only window as run loops (Qt's event dispatcher) use one: a registered class,
 * CreateWindowEx sending WM_NCCREATE and WM_CREATE, the window's own data, posted messages
 * pumped with PeekMessage/DispatchMessage, a timer that wakes MsgWaitForMultipleObjectsEx,
 * a message another thread posts, DestroyWindow's WM_DESTROY, and GetMessage's WM_QUIT. */
#include <windows.h>
#include <stdio.h>

#define WM_APP_PING (WM_APP + 1)
static int created, destroyed, pings, timers;

static LRESULT CALLBACK proc(HWND hwnd, UINT msg, WPARAM w, LPARAM l) {
    switch (msg) {
    case WM_CREATE:
        created = ((CREATESTRUCTW *)l)->lpCreateParams == (void *)0x1234;
        return 0;
    case WM_APP_PING:
        pings += (int)w;
        return 42;
    case WM_TIMER:
        timers++;
        return 0;
    case WM_DESTROY:
        destroyed = 1;
        return 0;
    }
    return DefWindowProcW(hwnd, msg, w, l);
}

static DWORD WINAPI poster(LPVOID main_thread) {
    Sleep(50);
    PostThreadMessageW((DWORD)(ULONG_PTR)main_thread, WM_APP_PING + 1, 7, 0);
    return 0;
}

int main(void) {
    WNDCLASSW wc = {0};
    wc.lpfnWndProc = proc;
    wc.lpszClassName = L"sysvec-dispatcher";
    ATOM atom = RegisterClassW(&wc);
    HWND hwnd = CreateWindowExW(0, L"sysvec-dispatcher", L"", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL,
                                NULL, (void *)0x1234);
    printf("class %d window %d created %d\n", atom != 0, hwnd != NULL, created);
    SetWindowLongPtrW(hwnd, GWLP_USERDATA, 0xBEEF);
    printf("userdata %#lx\n", (unsigned long)GetWindowLongPtrW(hwnd, GWLP_USERDATA));

    PostMessageW(hwnd, WM_APP_PING, 2, 0);
    PostMessageW(hwnd, WM_APP_PING, 3, 0);
    MSG m;
    LRESULT last = 0;
    while (PeekMessageW(&m, NULL, 0, 0, PM_REMOVE))
        last = DispatchMessageW(&m);
    printf("pings %d result %ld queue now %#lx\n", pings, (long)last,
           (unsigned long)GetQueueStatus(QS_ALLINPUT));

    SetTimer(hwnd, 1, 30, NULL);
    DWORD woke = MsgWaitForMultipleObjectsEx(0, NULL, 5000, QS_ALLINPUT, MWMO_INPUTAVAILABLE);
    while (PeekMessageW(&m, NULL, 0, 0, PM_REMOVE))
        DispatchMessageW(&m);
    KillTimer(hwnd, 1);
    printf("timer woke the wait %lu, timers %d\n", woke, timers > 0);

    HANDLE never = CreateEventW(NULL, TRUE, FALSE, NULL);
    CreateThread(NULL, 0, poster, (void *)(ULONG_PTR)GetCurrentThreadId(), 0, NULL);
    woke = MsgWaitForMultipleObjects(1, &never, FALSE, 5000, QS_ALLINPUT);
    PeekMessageW(&m, NULL, 0, 0, PM_REMOVE);
    printf("thread message woke the wait %lu: msg %#x wparam %d\n", woke, m.message,
           (int)m.wParam);

    DestroyWindow(hwnd);
    printf("destroyed %d, a window still %d\n", destroyed, IsWindow(hwnd));
    PostQuitMessage(5);
    BOOL got = GetMessageW(&m, NULL, 0, 0);
    printf("GetMessage %d quit %d code %d\n", got, m.message == WM_QUIT, (int)m.wParam);
    return 0;
}
