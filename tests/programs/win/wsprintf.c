/* user32's wsprintf family: GNU make formats "make (e=2): ..." with wsprintfA. */
#include <windows.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int narrow_v(char *buf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = wvsprintfA(buf, fmt, ap);
    va_end(ap);
    return n;
}

static int wide_v(WCHAR *buf, const WCHAR *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = wvsprintfW(buf, fmt, ap);
    va_end(ap);
    return n;
}

int main(void)
{
    static char buf[2048], big[1500];
    static WCHAR wbuf[2048];
    int n = wsprintfA(buf, "%s (e=%d): %s", "make", 2, "The system cannot find the file specified.");
    printf("%d [%s]\n", n, buf);
    n = wsprintfA(buf, "%-4s|%05d|%#x|%lu|%c|%ls|%hs|%.0d", "ab", -42, 255, 4000000000UL, 'z',
                  L"wide", "short", 0);
    printf("%d [%s]\n", n, buf);
    n = wsprintfA(buf, "no float %f %5.2e %d%%", 7);
    printf("%d [%s]\n", n, buf);
    n = wsprintfA(buf, "%I64d %I64X %s", (LONGLONG)-5, (ULONGLONG)0x123456789ULL, "after");
    printf("%d [%s]\n", n, buf);
    memset(big, 'a', sizeof big - 1);
    n = wsprintfA(buf, "%s", big);
    printf("%d %d\n", n, (int)strlen(buf));
    n = wsprintfW(wbuf, L"%s=%d %S %c", L"wide", 7, "narrow", L'w');
    printf("%d [%ls]\n", n, wbuf);
    n = narrow_v(buf, "%d-%s-%x", 3, "v", 0xbeef);
    printf("%d [%s]\n", n, buf);
    n = wide_v(wbuf, L"%d-%s-%X", 4, L"w", 0xbeef);
    printf("%d [%ls]\n", n, wbuf);
    return 0;
}
