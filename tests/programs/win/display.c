/* What PyInstaller's one-file bootloader asks of user32 besides its hidden window: showing
 * and hiding it, a shutdown block reason, the cursor, and the monitor a point is on. */
#include <windows.h>
#include <stdio.h>

static LRESULT CALLBACK proc(HWND w, UINT m, WPARAM wp, LPARAM lp)
{
    return DefWindowProcW(w, m, wp, lp);
}

int main(void)
{
    WNDCLASSW wc = {0};
    wc.lpfnWndProc = proc;
    wc.lpszClassName = L"probe";
    RegisterClassW(&wc);
    HWND w = CreateWindowExW(0, L"probe", L"", 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL);
    BOOL a = ShowWindow(w, SW_HIDE), b = ShowWindow(w, SW_SHOW), c = ShowWindow(w, SW_HIDE);
    printf("window %d shown before: %d %d %d\n", w != NULL, a, b != 0, c != 0);
    printf("block reason %d %d\n", ShutdownBlockReasonCreate(w, L"unpacking"),
           ShutdownBlockReasonDestroy(w));
    POINT pt = {5, 5};
    printf("cursor %d\n", GetCursorPos(&pt));
    HMONITOR m = MonitorFromPoint(pt, MONITOR_DEFAULTTOPRIMARY);
    MONITORINFOEXW mi;
    mi.cbSize = sizeof mi;
    BOOL got = GetMonitorInfoW(m, (MONITORINFO *)&mi);
    printf("monitor %d info %d primary %lu size %ldx%ld [%ls]\n", m != NULL, got,
           mi.dwFlags & MONITORINFOF_PRIMARY, mi.rcMonitor.right - mi.rcMonitor.left,
           mi.rcMonitor.bottom - mi.rcMonitor.top, mi.szDevice);
    printf("same monitor for the window %d\n", MonitorFromWindow(w, 0) == m);
    DestroyWindow(w);
    return 0;
}
