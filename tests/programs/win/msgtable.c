/* FormatMessage from the program's own message table (msgtable.mc, by windmc and windres):
 * inserts from an argument array with a printf format, the system's messages behind the
 * module's when both are asked for, and an ID neither has. */
#include <windows.h>
#include <stdio.h>
#include <wchar.h>

static wchar_t *trim(wchar_t *s) {          /* the line end the message carries */
    size_t n = wcslen(s);
    while (n && (s[n - 1] == L'\n' || s[n - 1] == L'\r')) s[--n] = 0;
    return s;
}

int main(void) {
    wchar_t buf[128];
    DWORD_PTR hello_args[] = {(DWORD_PTR)L"world"};
    DWORD n1 = FormatMessageW(FORMAT_MESSAGE_FROM_HMODULE | FORMAT_MESSAGE_ARGUMENT_ARRAY, NULL,
                              0x100, 0, buf, 128, (va_list *)hello_args);
    printf("hello %lu [%ls]\n", n1, trim(buf));
    DWORD_PTR count_args[] = {42, (DWORD_PTR)L"C:\\data"};
    DWORD n2 = FormatMessageW(FORMAT_MESSAGE_FROM_HMODULE | FORMAT_MESSAGE_ARGUMENT_ARRAY, NULL,
                              0x101, 0, buf, 128, (va_list *)count_args);
    printf("count %lu [%ls]\n", n2, trim(buf));
    DWORD n3 = FormatMessageW(FORMAT_MESSAGE_FROM_HMODULE | FORMAT_MESSAGE_FROM_SYSTEM |
                              FORMAT_MESSAGE_IGNORE_INSERTS, NULL, 2, 0, buf, 128, NULL);
    printf("system %lu [%ls]\n", n3, trim(buf));
    DWORD n4 = FormatMessageW(FORMAT_MESSAGE_FROM_HMODULE | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
                              2, 0, buf, 128, NULL);
    printf("missing %lu %lu\n", n4, GetLastError());
    return 0;
}
