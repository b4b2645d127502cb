/* The C runtime's wide classification, _isnan/_finite, wcstombs and _mktemp. */
#include <float.h>
#include <io.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

int main(void)
{
    const wchar_t probe[] = L"aZ5 ,\t\x00e9";
    for (const wchar_t *c = probe; *c; c++)
        printf("%d%d%d%d%d%d%d%d ", !!iswalpha(*c), !!iswdigit(*c), !!iswspace(*c),
               !!iswupper(*c), !!iswlower(*c), !!iswpunct(*c), !!iswalnum(*c), !!iswxdigit(*c));
    printf("\n");
    volatile double zero = 0.0;
    printf("isnan %d %d finite %d %d %d\n", !!_isnan(zero / zero), !!_isnan(1.5),
           !!_finite(2.0), !!_finite(1.0 / zero), !!_finite(zero / zero));
    char narrow[16];
    size_t n = wcstombs(narrow, L"plain", sizeof narrow);
    size_t bad = wcstombs(narrow, L"\x263a", sizeof narrow);
    printf("wcstombs %d %s %d\n", (int)n, narrow, bad == (size_t)-1);
    char name[] = "tmpXXXXXX";
    char *made = _mktemp(name);
    FILE *f = fopen(made, "w");
    fclose(f);
    char again[] = "tmpXXXXXX";
    char *second = _mktemp(again);
    printf("mktemp %d %d %d\n", made != NULL && strncmp(made, "tmpa", 4) == 0,
           second != NULL && strcmp(made, second) != 0, _mktemp(strcpy(again, "bad")) == NULL);
    remove(made);
    return 0;
}
