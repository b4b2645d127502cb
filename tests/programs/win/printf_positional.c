/* The _p printf family's positional arguments, through the UCRT's own entries
   (__stdio_common_vsprintf_p, __stdio_common_vswprintf_p; austin imports the fprintf one):
   arguments named out of order, of mixed widths (a double, a 64-bit integer, a string). */
#include <stdarg.h>
#include <stdio.h>
#include <wchar.h>

int __cdecl __stdio_common_vsprintf_p(unsigned long long, char *, size_t, const char *,
                                      _locale_t, va_list);
int __cdecl __stdio_common_vswprintf_p(unsigned long long, wchar_t *, size_t, const wchar_t *,
                                       _locale_t, va_list);

static int narrow(char *out, size_t n, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    int r = __stdio_common_vsprintf_p(0, out, n, format, NULL, args);
    va_end(args);
    return r;
}

static int wide(wchar_t *out, size_t n, const wchar_t *format, ...)
{
    va_list args;
    va_start(args, format);
    int r = __stdio_common_vswprintf_p(0, out, n, format, NULL, args);
    va_end(args);
    return r;
}

int main(void)
{
    char text[128];
    wchar_t wtext[128];
    int n = narrow(text, sizeof text, "%3$s %1$d %2$.2f %4$lld", 7, 2.5, "third", 1LL << 40);
    printf("%d [%s]\n", n, text);
    n = wide(wtext, 128, L"%2$ls-%1$d", 42, L"answer");
    printf("%d [%ls]\n", n, wtext);
    return 0;
}
