/* The C runtime in the C locale as libc++ and other C++ runtimes use it: locale objects
   and the _l functions, the ctype classes, aligned blocks, _msize, strtof, mbsrtowcs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <wchar.h>
#include <locale.h>
#include <malloc.h>
int main(void) {
    _locale_t loc = _create_locale(LC_ALL, "C");
    printf("locale %d upper %c lower %c\n", loc != NULL, _toupper_l('a', loc), _tolower_l('Q', loc));
    printf("isw %d %d %d\n", _iswalpha_l(L'x', loc), _iswdigit_l(L'x', loc), _iswspace_l(L' ', loc));
    _free_locale(loc);
    void *a = _aligned_malloc(100, 64);
    printf("aligned %d msize %d\n", ((size_t)a & 63) == 0, (int)(_msize(malloc(40)) >= 40));
    _aligned_free(a);
    printf("blank %d %d strtof %.2f\n", isblank(' '), isblank('x'), (double)strtof("2.5x", NULL));
    const char *src = "hey";
    wchar_t wide[8];
    size_t n = mbsrtowcs(wide, &src, 8, NULL);
    printf("mbsrtowcs %u %d %lc\n", (unsigned)n, src == NULL, wide[1]);
    /* the wide setlocale (msvcp140 14.5x sets its locale so as it loads) */
    const wchar_t *set = _wsetlocale(LC_ALL, L"C"), *now = _wsetlocale(LC_ALL, NULL);
    printf("wsetlocale [%ls] [%ls] unknown %d\n", set, now, _wsetlocale(LC_ALL, L"xx-nowhere") == NULL);
    return 0;
}
