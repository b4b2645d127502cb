/* The C runtime's secure environment readers (_wgetenv_s, _dupenv_s, _wdupenv_s) and
 * user32's sent messages: to a window of the caller's (its procedure's result comes back)
 * and a broadcast, as installers send after changing the user's PATH. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

static LRESULT CALLBACK proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    if (msg == WM_USER + 1)
        return (LRESULT)(wp + lp);
    return DefWindowProcW(hwnd, msg, wp, lp);
}

int main(void)
{
    size_t need = 99;
    wchar_t wbuf[64];
    _wputenv_s(L"SV_TEST", L"value-1");
    errno_t e = _wgetenv_s(&need, NULL, 0, L"SV_TEST");
    printf("_wgetenv_s size: %d %u\n", e, (unsigned)need);
    e = _wgetenv_s(&need, wbuf, 64, L"sv_test");
    printf("_wgetenv_s: %d %ls\n", e, wbuf);
    e = _wgetenv_s(&need, wbuf, 3, L"SV_TEST");
    printf("_wgetenv_s small: %d\n", e == ERANGE);
    e = _wgetenv_s(&need, wbuf, 64, L"SV_MISSING");
    printf("_wgetenv_s missing: %d %u\n", e, (unsigned)need);
    char *s = NULL;
    size_t n = 0;
    e = _dupenv_s(&s, &n, "SV_TEST");
    printf("_dupenv_s: %d %s %u\n", e, s, (unsigned)n);
    free(s);
    e = _dupenv_s(&s, &n, "SV_MISSING");
    printf("_dupenv_s missing: %d %d %u\n", e, s == NULL, (unsigned)n);
    wchar_t *ws = NULL;
    e = _wdupenv_s(&ws, &n, L"SV_TEST");
    printf("_wdupenv_s: %d %ls %u\n", e, ws, (unsigned)n);
    free(ws);

    WNDCLASSW wc = {0};
    wc.lpfnWndProc = proc;
    wc.lpszClassName = L"svsend";
    RegisterClassW(&wc);
    HWND w = CreateWindowExW(0, L"svsend", L"", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, NULL, NULL);
    printf("SendMessageW: %d\n", (int)SendMessageW(w, WM_USER + 1, 40, 2));
    DWORD_PTR result = 7;
    LRESULT ok = SendMessageTimeoutW(w, WM_USER + 1, 1, 2, SMTO_ABORTIFHUNG, 1000, &result);
    printf("SendMessageTimeoutW: %d %d\n", ok != 0, (int)result);
    ok = SendMessageTimeoutW(HWND_BROADCAST, WM_SETTINGCHANGE, 0, (LPARAM)L"Environment",
                             SMTO_ABORTIFHUNG, 5000, &result);
    printf("broadcast: %d %d\n", ok != 0, (int)result);
    SetLastError(0);
    ok = SendMessageTimeoutW((HWND)0x7777, WM_USER, 0, 0, 0, 100, &result);
    printf("bad window: %d %lu\n", (int)ok, GetLastError());
    return 0;
}
