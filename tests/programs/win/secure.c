/* The UCRT's _s functions and errno accessors: sized copies (and what does not fit),
   strtok_s with its context, fopen_s and _wfopen_s, getenv_s, _gmtime64_s, _get_errno/_set_errno,
   _fullpath and _wgetcwd. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

int main(void) {
    char small[4], big[32];
    errno_t e1 = strcpy_s(big, sizeof big, "fits");
    errno_t e2 = strcpy_s(small, sizeof small, "too long");
    printf("strcpy_s %d [%s] %d [%s]\n", e1, big, e2, small);
    errno_t e3 = strncpy_s(small, sizeof small, "abcdef", _TRUNCATE);
    errno_t e4 = strncpy_s(big, sizeof big, "abcdef", 2);
    errno_t e5 = strcat_s(big, sizeof big, "-cat");
    printf("strncpy_s %d [%s] %d strcat_s %d [%s]\n", e3, small, e4, e5, big);
    wchar_t wide[8];
    printf("wcscpy_s %d [%ls]\n", wcscpy_s(wide, 8, L"wide"), wide);

    char text[] = "a,b;;c", *context = NULL;
    printf("strtok_s");
    for (char *t = strtok_s(text, ",;", &context); t; t = strtok_s(NULL, ",;", &context))
        printf(" [%s]", t);
    printf("\n");

    FILE *f = NULL;
    errno_t opened = fopen_s(&f, "missing.txt", "r");
    printf("fopen_s %d %d", opened, f == NULL);
    FILE *w = NULL;
    errno_t made = _wfopen_s(&w, L"made.txt", L"w");
    errno_t wmissing = _wfopen_s(&f, L"missing.txt", L"r");
    printf(" _wfopen_s %d %d missing %d %d\n", made, w != NULL, wmissing, f == NULL);
    if (w)
        fclose(w);

    size_t needed = 0;
    char value[64];
    errno_t g1 = getenv_s(&needed, value, sizeof value, "SV_SECURE");
    printf("getenv_s %d %u [%s]", g1, (unsigned)needed, value);
    errno_t g2 = getenv_s(&needed, value, sizeof value, "SV_NOT_SET");
    printf(" unset %d %u\n", g2, (unsigned)needed);

    __time64_t t = 86400 * 365;
    struct tm tm;
    errno_t te = _gmtime64_s(&tm, &t);
    printf("_gmtime64_s %d %d-%02d-%02d\n", te, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);

    _set_errno(42);
    int got = 0;
    _get_errno(&got);
    printf("errno %d\n", got);

    char full[260];
    wchar_t wcwd[260];
    printf("fullpath [%s] ", _fullpath(full, "sub\\..\\x.txt", sizeof full));
    printf("wgetcwd %d\n", _wgetcwd(wcwd, 260) != NULL && wcwd[1] == L':');
    return 0;
}
