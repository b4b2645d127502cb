/* A wmain program (mingw's -municode, msvcrt's __wgetmainargs): its wide arguments and
 * environment, and msvcrt's wide printf family (mingw's C99 wprintf formats itself and
 * writes the pieces through msvcrt's fwprintf: %.*s for wide text, %.*S for narrow). */
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

int wmain(int argc, wchar_t **argv, wchar_t **envp) {
    for (int i = 1; i < argc; i++)
        wprintf(L"arg %d [%ls] %d chars\n", i, argv[i], (int)wcslen(argv[i]));
    int found = 0;
    for (wchar_t **e = envp; *e; e++)
        found |= !wcsncmp(*e, L"WIDE_VAR=", 9);
    fwprintf(stdout, L"envp has WIDE_VAR: %d, _wgetenv: %ls\n", found, _wgetenv(L"WIDE_VAR"));
    wchar_t buf[8];
    int n = _snwprintf(buf, 8, L"%ls", L"abc");
    int cut = _snwprintf(buf, 4, L"%ls", L"abcdef");
    fwprintf(stderr, L"to stderr\n");
    wprintf(L"snwprintf %d [%ls] cut %d [%.4ls] and narrow [%s]\n", n, L"abc", cut, buf, "bytes");
    return 0;
}
