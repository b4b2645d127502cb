/* More C runtime exports programs import, looked up by name in msvcrt.dll (mingw's own
   library has some of them): _i64toa, rotations, tmpfile, _strerror/_wcserror/_wperror,
   _get/_setmaxstdio, _access_s, _mktemp_s, strtold, _strftime_l, _ecvt and _fcvt. */
#include <windows.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#define FN(type, name) __typeof__(type) *name##_ = (__typeof__(type) *)GetProcAddress(crt, #name)

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    HMODULE crt = LoadLibraryA("msvcrt.dll");
    FN(int *(void), _errno);
    FN(char *(long long, char *, int), _i64toa);
    FN(char *(unsigned long long, char *, int), _ui64toa);
    FN(unsigned (unsigned, int), _rotl);
    FN(unsigned (unsigned, int), _rotr);
    FN(unsigned long long (unsigned long long, int), _rotl64);
    FN(unsigned long long (unsigned long long, int), _rotr64);
    FN(FILE *(void), tmpfile);
    FN(int (FILE **), tmpfile_s);
    FN(char *(const char *), _strerror);
    FN(wchar_t *(int), _wcserror);
    FN(void (const wchar_t *), _wperror);
    FN(int (void), _getmaxstdio);
    FN(int (int), _setmaxstdio);
    FN(int (const char *, int), _access_s);
    FN(int (char *, size_t), _mktemp_s);
    FN(double (const char *, char **), strtold);
    FN(size_t (char *, size_t, const char *, const struct tm *, void *), _strftime_l);
    FN(char *(double, int, int *, int *), _ecvt);
    FN(char *(double, int, int *, int *), _fcvt);
    FN(int (FILE *, const char *, ...), fprintf);
    FN(int (FILE *), fflush);
    FN(int (FILE *), fclose);
    FN(void (FILE *), rewind);
    FN(char *(char *, int, FILE *), fgets);

    char buf[80];
    printf("_i64toa: %s %s\n", _i64toa_(-9000000000LL, buf, 10), _ui64toa_(255, buf + 40, 16));
    printf("rotations: %#x %#x %#llx %#llx\n", _rotl_(0x80000001u, 1), _rotr_(1, 4),
           _rotl64_(0x8000000000000001ull, 4), _rotr64_(0x10, 8));

    FILE *t = tmpfile_();
    fprintf_(t, "kept %d\n", 42);
    fflush_(t);
    rewind_(t);
    printf("tmpfile: '%s'", fgets_(buf, sizeof buf, t));
    fclose_(t);
    FILE *t2 = NULL;
    int opened = tmpfile_s_(&t2);
    printf("tmpfile_s: %d %d\n", opened, t2 != NULL);
    fclose_(t2);
    WIN32_FIND_DATAA fd;
    HANDLE find = FindFirstFileA("C:\\tmp\\*.tmp", &fd);
    printf("temporary files left: %d\n", find != INVALID_HANDLE_VALUE);

    *_errno_() = 2;
    printf("_strerror: %s", _strerror_("opening"));
    printf("_wcserror: %ls\n", _wcserror_(13));
    *_errno_() = 22;
    _wperror_(L"wide");

    printf("maxstdio: %d", _getmaxstdio_());
    int set = _setmaxstdio_(2048);
    printf(" set 2048: %d now %d", set, _getmaxstdio_());
    printf(" set 9000: %d\n", _setmaxstdio_(9000));

    printf("_access_s: %d %d\n", _access_s_("C:\\tmp", 0), _access_s_("C:\\nope", 0));
    char tmpl[] = "C:\\tmp\\fileXXXXXX";
    int made = _mktemp_s_(tmpl, sizeof tmpl);
    printf("_mktemp_s: %d %d", made, strncmp(tmpl, "C:\\tmp\\file", 11) == 0 &&
           !strstr(tmpl, "XXXXXX"));
    char small[] = "abcXXXXXX";
    printf(" wrong size: %d\n", _mktemp_s_(small, 3));

    printf("strtold: %g\n", strtold_("2.5e3x", NULL));
    struct tm when = {.tm_year = 124, .tm_mon = 1, .tm_mday = 29, .tm_hour = 13};
    _strftime_l_(buf, sizeof buf, "%Y-%m-%d %H:%M %A", &when, NULL);
    printf("_strftime_l: %s\n", buf);

    int dec = 0, sign = 0;
    char *e = _ecvt_(3.14159, 4, &dec, &sign);
    printf("_ecvt: %s %d %d", e, dec, sign);
    e = _ecvt_(-0.00125, 3, &dec, &sign);
    printf(" %s %d %d", e, dec, sign);
    e = _ecvt_(0.0, 3, &dec, &sign);
    printf(" %s %d\n", e, dec);
    e = _fcvt_(3.14159, 2, &dec, &sign);
    printf("_fcvt: %s %d", e, dec);
    e = _fcvt_(0.001234, 5, &dec, &sign);
    printf(" %s %d", e, dec);
    e = _fcvt_(-1234.56, 1, &dec, &sign);
    printf(" %s %d %d\n", e, dec, sign);
    return 0;
}
