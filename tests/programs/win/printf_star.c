/* A width or precision given by `*` may be negative: a negative width is the - flag and its
   size, a negative precision is as if none were given (C11 7.21.6.1). Through UCRT's
   __stdio_common_vsprintf (what MSVC's sprintf calls) and msvcrt's _snprintf. */
#include <windows.h>
#include <stdarg.h>
#include <stdio.h>

typedef int (__cdecl *common_vsprintf)(unsigned long long, char *, size_t, const char *,
                                       void *, va_list);
static common_vsprintf ucrt_vsprintf;

static int ucrt(char *buf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = ucrt_vsprintf(0, buf, 100, fmt, NULL, ap);
    va_end(ap);
    return n;
}

typedef int (__cdecl *snprintf_fn)(char *, size_t, const char *, ...);

int main(void)
{
    ucrt_vsprintf = (common_vsprintf)GetProcAddress(LoadLibraryA("ucrtbase.dll"),
                                                    "__stdio_common_vsprintf");
    snprintf_fn legacy = (snprintf_fn)GetProcAddress(LoadLibraryA("msvcrt.dll"), "_snprintf");
    char buf[100];
    int n;
    n = ucrt(buf, "[%*.*s]", 8, -1, "YYEOF");   printf("ucrt %d %s\n", n, buf);
    n = ucrt(buf, "[%*s]", -8, "ab");            printf("ucrt %d %s\n", n, buf);
    n = ucrt(buf, "[%.*d]", -1, 42);             printf("ucrt %d %s\n", n, buf);
    n = ucrt(buf, "[%.*f]", -1, 1.5);            printf("ucrt %d %s\n", n, buf);
    n = ucrt(buf, "[%-*d]", -5, 7);              printf("ucrt %d %s\n", n, buf);
    n = legacy(buf, 100, "[%*.*s]", 8, -1, "YYEOF");   printf("msvcrt %d %s\n", n, buf);
    n = legacy(buf, 100, "[%*s]", -8, "ab");            printf("msvcrt %d %s\n", n, buf);
    return 0;
}
