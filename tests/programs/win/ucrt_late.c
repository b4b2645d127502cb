/* UCRT exports programs import (matplotlib's nan, wcstod, _recalloc, _mkgmtime64, ...),
 * called through ucrtbase.dll's own exports with the UCRT's signatures. */
#include <windows.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

typedef struct { double re, im; } dcomplex;

int main(void)
{
    HMODULE u = LoadLibraryA("ucrtbase.dll");
    double (*nan_)(const char *) = (void *)GetProcAddress(u, "nan");
    float (*nanf_)(const char *) = (void *)GetProcAddress(u, "nanf");
    double (*wcstod_)(const wchar_t *, wchar_t **) = (void *)GetProcAddress(u, "wcstod");
    float (*wcstof_)(const wchar_t *, wchar_t **) = (void *)GetProcAddress(u, "wcstof");
    void *(*malloc_)(size_t) = (void *)GetProcAddress(u, "malloc");
    void *(*recalloc)(void *, size_t, size_t) = (void *)GetProcAddress(u, "_recalloc");
    long long (*mkgmtime64)(struct tm *) = (void *)GetProcAddress(u, "_mkgmtime64");
    double (*difftime64)(long long, long long) = (void *)GetProcAddress(u, "_difftime64");
    char *(*tmpnam_)(char *) = (void *)GetProcAddress(u, "tmpnam");
    double (*lgammal_)(double) = (void *)GetProcAddress(u, "lgammal");
    dcomplex (*catan_)(dcomplex) = (void *)GetProcAddress(u, "catan");

    double n = nan_("");
    float nf = nanf_("");
    printf("nan %d %d\n", n != n, nf != nf);
    wchar_t *end;
    double d = wcstod_(L"  2.5e3xyz", &end);
    float f = wcstof_(L"-0.25", NULL);
    printf("wcstod %.1f rest %ls, wcstof %.2f\n", d, end, f);
    unsigned char *block = malloc_(4);
    memset(block, 0xAB, 4);
    block = recalloc(block, 4, 4);
    printf("_recalloc kept %02x, zeroed %d\n", block[3], block[4] == 0 && block[15] == 0);
    struct tm tm = {0};
    tm.tm_year = 100, tm.tm_mon = 13, tm.tm_mday = 1;     /* month 13: Feb 2001 */
    long long t = mkgmtime64(&tm);
    printf("_mkgmtime64 %lld, normalised %d-%02d wday %d\n", t, tm.tm_year + 1900,
           tm.tm_mon + 1, tm.tm_wday);
    printf("_difftime64 %.0f\n", difftime64(t, 1000000000LL));
    char name[MAX_PATH];
    char *given = tmpnam_(name);
    printf("tmpnam into the buffer %d, no such file %d\n", given == name,
           GetFileAttributesA(name) == INVALID_FILE_ATTRIBUTES);
    printf("lgammal(5) %.4f\n", lgammal_(5.0));
    dcomplex z = {0.0, 0.5}, w = catan_(z);
    printf("catan(0.5i) %.4f %.4f\n", w.re, w.im);
    return 0;
}
