/* FormatMessage from the system table knows COM's HRESULTs as Windows does: a class that is
   not registered (what CoCreateInstance answers here) is "Class not registered", not an
   empty message (mpv printed "win_event_loop_fn: 0x80040154 - "). */
#include <windows.h>
#include <stdio.h>

static void show(DWORD code)
{
    WCHAR *text = NULL;
    DWORD n = FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
                             FORMAT_MESSAGE_IGNORE_INSERTS, NULL, code,
                             MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), (WCHAR *)&text, 0, NULL);
    if (!n) {
        printf("%08lx: none %lu\n", code, GetLastError());
        return;
    }
    while (n && (text[n - 1] == L'\r' || text[n - 1] == L'\n'))
        text[--n] = 0;
    printf("%08lx: %ls\n", code, text);
    LocalFree(text);
}

int main(void)
{
    static const GUID nothing = {0x12345678, 0x1234, 0x1234, {1, 2, 3, 4, 5, 6, 7, 8}};
    void *obj = (void *)1;
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    HRESULT hr = CoCreateInstance(&nothing, NULL, CLSCTX_ALL, &IID_IUnknown, &obj);
    show((DWORD)hr);
    show(0x80004001);
    show(0x80004002);
    show(0x80004005);
    show(0x8000FFFF);
    show(0x800401F0);
    show(0x80070005);
    char narrow[100];
    DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
                             0x80004002, 0, narrow, sizeof narrow, NULL);
    printf("A %lu\n", n);
    show(0x80041234);
    CoUninitialize();
    return 0;
}
