/* The scanf family's wide and stream forms, looked up in msvcrt.dll by name (mingw's own
   library would not call the DLL): swscanf (wide %s, %hs narrow, %c, %[set], %n), sscanf's
   %S, fscanf on a file, scanf on standard input, and the UCRT's __stdio_common_vswscanf. */
#include <windows.h>
#include <stdarg.h>
#include <stdio.h>
#include <wchar.h>

typedef int (*vswscanf_fn)(unsigned long long, const wchar_t *, size_t, const wchar_t *,
                           void *, va_list);
static vswscanf_fn common_vswscanf;

static int ucrt_swscanf(const wchar_t *text, const wchar_t *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = common_vswscanf(0, text, (size_t)-1, fmt, NULL, ap);
    va_end(ap);
    return n;
}

typedef int (*wscan_fn)(const wchar_t *, const wchar_t *, ...);
typedef int (*scan_fn)(const char *, const char *, ...);
typedef int (*fscan_fn)(FILE *, const char *, ...);
typedef int (*stdin_fn)(const char *, ...);

int main(void)
{
    HMODULE crt = LoadLibraryA("msvcrt.dll");
    wscan_fn swscanf_ = (wscan_fn)GetProcAddress(crt, "swscanf");
    scan_fn sscanf_ = (scan_fn)GetProcAddress(crt, "sscanf");
    fscan_fn fscanf_ = (fscan_fn)GetProcAddress(crt, "fscanf");
    stdin_fn scanf_ = (stdin_fn)GetProcAddress(crt, "scanf");
    int a = 0, used = 0;
    double d = 0;
    wchar_t word[16] = {0}, set[16] = {0}, ch = 0;
    char narrow[16] = {0};
    int n = swscanf_(L"42 3.5 h\u00e9llo world abc123 Z", L"%d %lf %ls %hs %[a-z]%n %c",
                    &a, &d, word, narrow, set, &used, &ch);
    printf("swscanf: %d %d %g %d %s %ls %d %c\n", n, a, d, wcscmp(word, L"h\u00e9llo") == 0,
           narrow, set, used, (char)ch);
    wchar_t wide[16] = {0};
    n = sscanf_("one two", "%*s %S", wide);
    printf("sscanf %%S: %d %d\n", n, wcscmp(wide, L"two") == 0);
    printf("swscanf empty: %d\n", swscanf_(L"", L"%d", &a));

    FILE *f = fopen("C:\\scan.txt", "w");
    fputs("7 8 rest\n", f);
    fclose(f);
    f = fopen("C:\\scan.txt", "r");
    int x = 0, y = 0;
    n = fscanf_(f, "%d %d", &x, &y);
    char tail[16] = {0};
    fgets(tail, sizeof tail, f);
    printf("fscanf: %d %d %d '%s'\n", n, x, y, tail);
    fclose(f);

    int from_stdin = 0;
    char name[16] = {0};
    n = scanf_("%d %15s", &from_stdin, name);
    printf("scanf: %d %d %s\n", n, from_stdin, name);

    common_vswscanf = (vswscanf_fn)GetProcAddress(LoadLibraryA("ucrtbase.dll"),
                                                   "__stdio_common_vswscanf");
    unsigned hex = 0;
    wchar_t rest[16] = {0};
    n = ucrt_swscanf(L"ff \u4e16\u754c", L"%x %ls", &hex, rest);
    printf("__stdio_common_vswscanf: %d %u %d\n", n, hex, wcscmp(rest, L"\u4e16\u754c") == 0);
    return 0;
}
