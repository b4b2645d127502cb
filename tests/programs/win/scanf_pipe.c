/* The CRT's scanf (UCRT's __stdio_common_vfscanf, what MSVC's scanf calls) on a pipe whose
   writer pauses: a number cut between two writes is read whole, and what a scan took but
   did not use stays for the next one (a newline for %c), as the CRT's getc-driven scan
   does. */
#include <windows.h>
#include <stdarg.h>
#include <stdio.h>

typedef int (__cdecl *common_vfscanf)(unsigned long long, FILE *, const char *, void *, va_list);
typedef FILE *(__cdecl *iob_func)(unsigned);
static common_vfscanf vfscanf_;
static FILE *in;

static int uscanf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vfscanf_(0, in, fmt, NULL, ap);
    va_end(ap);
    return n;
}

int main(void)
{
    HMODULE ucrt = LoadLibraryA("ucrtbase.dll");
    vfscanf_ = (common_vfscanf)GetProcAddress(ucrt, "__stdio_common_vfscanf");
    in = ((iob_func)GetProcAddress(ucrt, "__acrt_iob_func"))(0);
    int x;
    for (int i = 0; i < 3 && uscanf("%d", &x) == 1; i++) {
        printf("number %d\n", x);
        fflush(stdout);
    }
    char a = 0, b = 0;
    int got = uscanf("%c", &a);
    got += uscanf("%c", &b);
    printf("chars %d [%s] [%c]\n", got, a == '\n' ? "\\n" : "?", b);
    printf("then %d\n", uscanf("%d", &x));
    return 0;
}
