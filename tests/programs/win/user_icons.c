/* LoadIcon and LoadCursor: Windows' predefined ones with no module, a module's own icons by
   name or number (user_icons.rc), shared handles that stay the same and survive
   DestroyIcon, and copies that DestroyIcon ends. mpv loads its icon and a cursor for the
   window class of its media-key thread, and died on the missing LoadIconW. */
#include <windows.h>
#include <stdio.h>

static LRESULT CALLBACK proc(HWND w, UINT m, WPARAM wp, LPARAM lp)
{
    return DefWindowProcW(w, m, wp, lp);
}

static void missing(const char *what, HANDLE h)
{
    printf("%s: %s %lu\n", what, h ? "found" : "none", h ? 0 : GetLastError());
}

int main(void)
{
    HINSTANCE self = GetModuleHandleW(NULL);
    HICON app = LoadIconW(NULL, (LPCWSTR)IDI_APPLICATION);
    HICON again = LoadIconA(NULL, (LPCSTR)IDI_APPLICATION);
    HICON warning = LoadIconW(NULL, (LPCWSTR)IDI_WARNING);
    printf("app %d same %d warning differs %d\n", app != NULL, app == again,
           warning != NULL && warning != app);
    HCURSOR arrow = LoadCursorW(NULL, (LPCWSTR)IDC_ARROW);
    HCURSOR beam = LoadCursorA(NULL, (LPCSTR)IDC_IBEAM);
    printf("arrow %d beam differs %d same %d\n", arrow != NULL, beam != NULL && beam != arrow,
           arrow == LoadCursorW(NULL, (LPCWSTR)IDC_ARROW));

    HICON named = LoadIconW(self, L"IDI_ICON1");
    HICON lower = LoadIconA(self, "idi_icon1");
    HICON numbered = LoadIconW(self, MAKEINTRESOURCEW(7));
    HICON hash = LoadIconA(self, "#7");
    printf("named %d any case %d numbered %d hash %d differ %d\n", named != NULL,
           named == lower, numbered != NULL, numbered == hash, named != numbered);

    SetLastError(0);
    missing("system 5", LoadIconW(NULL, MAKEINTRESOURCEW(5)));
    missing("system cursor as icon", LoadIconW(NULL, (LPCWSTR)IDC_SIZEALL));
    missing("own 9", LoadIconW(self, MAKEINTRESOURCEW(9)));
    missing("own cursor", LoadCursorW(self, MAKEINTRESOURCEW(7)));

    printf("destroy shared %d again %d\n", DestroyIcon(named), DestroyCursor(arrow));
    printf("still %d\n", LoadIconW(self, L"IDI_ICON1") == named);
    HICON copy = CopyIcon(app);
    printf("copy %d\n", copy != NULL && copy != app);
    printf("destroy copy %d", DestroyIcon(copy));
    BOOL twice = DestroyIcon(copy);
    printf(" twice %d %lu\n", twice, twice ? 0 : GetLastError());
    SetLastError(0);
    HICON bad = CopyIcon((HICON)(ULONG_PTR)0x1234);
    printf("copy bad %d %lu\n", bad != NULL, GetLastError());

    WNDCLASSEXW wc = {sizeof wc};
    wc.lpfnWndProc = proc;
    wc.hInstance = self;
    wc.hIcon = named;
    wc.hCursor = arrow;
    wc.lpszClassName = L"icons-test";
    ATOM atom = RegisterClassExW(&wc);
    HWND w = CreateWindowExW(0, L"icons-test", L"", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, self, NULL);
    printf("class %d window %d\n", atom != 0, w != NULL);
    DestroyWindow(w);
    return 0;
}
