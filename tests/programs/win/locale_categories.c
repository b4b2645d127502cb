/* setlocale by category: "" is the machine's language (English_United States.1252), a
   mixed state reads back per category, lconv follows LC_NUMERIC and LC_MONETARY (en-US's
   separators, currency and sign places), a language with no conventions here is NULL. */
#include <windows.h>
#include <locale.h>
#include <stdio.h>

static void show(const char *label)
{
    struct lconv *c = localeconv();
    printf("%s [%s][%s][%s] frac %d sign %d\n", label, c->decimal_point, c->thousands_sep,
           c->currency_symbol, c->frac_digits, c->n_sign_posn);
}

int main(void)
{
    printf("start %s\n", setlocale(LC_ALL, NULL));
    show("C");
    printf("ctype %s\n", setlocale(LC_CTYPE, ""));
    char saved[256];
    snprintf(saved, sizeof saved, "%s", setlocale(LC_ALL, NULL));
    printf("mixed %s\n", saved);
    setlocale(LC_ALL, "C");
    const char *restored = setlocale(LC_ALL, saved);
    printf("restored %d ctype %s\n", restored != NULL, setlocale(LC_CTYPE, NULL));
    printf("all %s\n", setlocale(LC_ALL, ""));
    show("en-US");
    printf("numeric %s\n", setlocale(LC_NUMERIC, "C"));
    show("numeric C");
    printf("utf8 %s\n", setlocale(LC_ALL, ".UTF8"));
    const char *other = setlocale(LC_ALL, "German_Germany.1252");
    printf("german %s then %s\n", other ? other : "(null)", setlocale(LC_ALL, NULL));
    /* what msvcp140 asks of the C runtime, after all that */
    typedef wchar_t **(*names_fn)(void);
    names_fn names = (names_fn)GetProcAddress(GetModuleHandleA("msvcrt.dll"),
                                              "___lc_locale_name_func");
    printf("per-category names %d\n", names != NULL && names() != NULL);
    return 0;
}
