/* freopen sends a stream to another file and keeps the FILE*: stdout to a log, an fopen'd
 * stream to a second file; _vscwprintf and _scwprintf count wide output. */
#include <stdarg.h>
#include <stdio.h>
#include <wchar.h>

static int count(const wchar_t *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = _vscwprintf(fmt, ap);
    va_end(ap);
    return n;
}

int main(void)
{
    printf("before\n");
    fflush(stdout);
    FILE *out = NULL;
    errno_t e = freopen_s(&out, "log.txt", "w", stdout);
    printf("into the log %d\n", 42);
    fclose(stdout);
    FILE *log = fopen("log.txt", "r");
    char line[64] = {0};
    fgets(line, sizeof line, log);
    fclose(log);
    FILE *f = fopen("a.txt", "w");
    FILE *g = freopen("b.txt", "w", f);
    fputs("bee", g);
    fclose(g);
    FILE *b = fopen("b.txt", "r");
    char text[8] = {0};
    fgets(text, sizeof text, b);
    fclose(b);
    fprintf(stderr, "freopen_s %d same %d log [%s] same stream %d b.txt [%s] counts %d %d\n", e,
            out == stdout, line, g == f, text, count(L"%d-%ls", 12345, L"ab"),
            _scwprintf(L"%5d", 7));
    return 0;
}
