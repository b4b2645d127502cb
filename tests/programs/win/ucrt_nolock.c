/* UCRT's unlocked stream calls (MSVC's own code calls them inside its locked wrappers),
 * lldiv (a 16-byte result through a hidden pointer) and _Exit. Built with -lucrt. */
#include <stdio.h>
#include <stdlib.h>

#undef _fgetc_nolock   /* mingw's macros reach into the FILE; the UCRT's are functions */
#undef _fputc_nolock
size_t __cdecl _fwrite_nolock(const void *, size_t, size_t, FILE *);
size_t __cdecl _fread_nolock(void *, size_t, size_t, FILE *);
int __cdecl _fseek_nolock(FILE *, long, int);
long __cdecl _ftell_nolock(FILE *);
int __cdecl _fgetc_nolock(FILE *);
int __cdecl _fputc_nolock(int, FILE *);
int __cdecl _ungetc_nolock(int, FILE *);
int __cdecl _fclose_nolock(FILE *);
__int64 __cdecl _ftelli64_nolock(FILE *);
void __cdecl _Exit(int);

int main(void)
{
    FILE *f = fopen("nolock.txt", "w+b");
    size_t wrote = _fwrite_nolock("hello nolock", 1, 12, f);
    _fputc_nolock('!', f);
    printf("wrote %u, tell %ld\n", (unsigned)wrote, _ftell_nolock(f));
    _fseek_nolock(f, 6, SEEK_SET);
    char buf[8] = {0};
    size_t got = _fread_nolock(buf, 1, 6, f);
    int next = _fgetc_nolock(f);
    _ungetc_nolock(next, f);
    printf("read %u '%s', next '%c', at %lld\n", (unsigned)got, buf, _fgetc_nolock(f),
           (long long)_ftelli64_nolock(f));
    printf("closed %d\n", _fclose_nolock(f));
    lldiv_t q = lldiv(-100000000007LL, 10);
    printf("lldiv %lld %lld\n", q.quot, q.rem);
    fflush(stdout);
    _Exit(3);
}
