/* C runtime exports the export survey found programs import, looked up by name (mingw's
   own library has some): _fpclass, _dtest, Bessel functions (jq), _ui64toa_s, _ultoa_s,
   mbstowcs_s/wcstombs_s, _ctime64_s, _telli64, _cputs/_cprintf (to the console), the UCRT's
   __conio_common_vcprintf (OpenBLAS), _aligned_offset_malloc (vccorlib140), _tempnam,
   set_terminate (workerd), __dstbias, _timespec64_get, wcsrtombs, strtoumax, _strtof_l. */
#include <windows.h>
#include <fcntl.h>
#include <io.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#define FN(dll, type, name) __typeof__(type) *name##_ = \
    (__typeof__(type) *)GetProcAddress(dll, #name)

static HMODULE ucrt;

static int cprintf_via_ucrt(const char *fmt, ...)
{
    FN(ucrt, int(unsigned long long, const char *, void *, va_list), __conio_common_vcprintf);
    va_list ap;
    va_start(ap, fmt);
    int n = __conio_common_vcprintf_(0, fmt, NULL, ap);
    va_end(ap);
    return n;
}

static void on_terminate(void)
{
    fprintf(stdout, "terminate handler ran\n");
    fflush(stdout);
    ExitProcess(7);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    HMODULE crt = LoadLibraryA("msvcrt.dll");
    ucrt = LoadLibraryA("ucrtbase.dll");
    FN(crt, int(double), _fpclass);
    FN(crt, short(double *), _dtest);
    FN(crt, double(double), _j0);
    FN(crt, double(int, double), _yn);
    FN(crt, int(unsigned long long, char *, size_t, int), _ui64toa_s);
    FN(crt, int(unsigned long, char *, size_t, int), _ultoa_s);
    FN(crt, int(size_t *, wchar_t *, size_t, const char *, size_t), mbstowcs_s);
    FN(crt, int(size_t *, char *, size_t, const wchar_t *, size_t), wcstombs_s);
    FN(crt, int(char *, size_t, const long long *), _ctime64_s);
    FN(crt, long long(int), _telli64);
    FN(crt, int(const char *), _cputs);
    FN(crt, int(const char *, ...), _cprintf);
    FN(crt, void *(size_t, size_t, size_t), _aligned_offset_malloc);
    FN(crt, void(void *), _aligned_free);
    FN(crt, char *(const char *, const char *), _tempnam);
    FN(crt, void(void *), free);
    FN(ucrt, void *(void *), set_terminate);
    FN(ucrt, void(void), terminate);
    FN(ucrt, long *(void), __dstbias);
    FN(crt, int(void *, int), _timespec64_get);
    FN(crt, size_t(char *, const wchar_t **, size_t, void *), wcsrtombs);
    FN(crt, unsigned long long(const char *, char **, int), strtoumax);
    FN(crt, float(const char *, char **, void *), _strtof_l);

    double nan = 0.0 / 0.0, neg_zero = -0.0, tiny = 1e-310;
    printf("_fpclass: %#x %#x %#x %#x\n", _fpclass_(1.5), _fpclass_(neg_zero), _fpclass_(tiny),
           _fpclass_(-1.0 / 0.0));
    double one = 1.0;
    printf("_dtest: %d %d %d\n", _dtest_(&one), _dtest_(&tiny), _dtest_(&nan));
    printf("Bessel: %.6f %.6f\n", _j0_(1.0), _yn_(2, 1.5));

    char digits[8];
    int r = _ui64toa_s_(255, digits, sizeof digits, 16);
    printf("_ui64toa_s: %d %s", r, digits);
    printf(" small %d", _ui64toa_s_(1234567890ull, digits, 4, 10));
    r = _ultoa_s_(0xFFFFFFFFul, digits, sizeof digits, 36);
    printf(" _ultoa_s: %d %s", r, digits);
    printf(" radix %d\n", _ultoa_s_(5, digits, sizeof digits, 37));

    size_t count = 0;
    wchar_t wide[8];
    r = mbstowcs_s_(&count, wide, 8, "abc", (size_t)-1);
    printf("mbstowcs_s: %d %zu %ls\n", r, count, wide);
    char narrow[8];
    r = wcstombs_s_(&count, narrow, 8, L"xyz", (size_t)-1);
    printf("wcstombs_s: %d %zu %s", r, count, narrow);
    r = wcstombs_s_(&count, narrow, 8, L"\u263a", (size_t)-1);
    printf(" smiley %d\n", r);

    long long when = 86400;
    char text[32];
    r = _ctime64_s_(text, sizeof text, &when);
    printf("_ctime64_s: %d %s", r, text);
    printf("short buffer: %d\n", _ctime64_s_(text, 10, &when));

    int fd = _open("C:\\tell.txt", _O_CREAT | _O_RDWR | _O_BINARY, 0644);
    _write(fd, "12345", 5);
    printf("_telli64: %lld\n", _telli64_(fd));
    _close(fd);

    printf("console: %d\n", _cputs_("to the console\n"));
    _cprintf_("cprintf %d\n", 42);
    cprintf_via_ucrt("vcprintf %s\n", "ok");

    char *block = _aligned_offset_malloc_(100, 64, 8);
    printf("_aligned_offset_malloc: %d\n", ((size_t)(block + 8) & 63) == 0);
    _aligned_free_(block);

    char *name = _tempnam_("C:\\tmp", "pre");
    printf("_tempnam: %d\n", name != NULL && strstr(name, "\\pre") != NULL);
    free_(name);

    printf("__dstbias: %ld\n", *__dstbias_());
    struct { long long s; long ns; } ts = {0};
    int base = _timespec64_get_(&ts, 1);
    printf("_timespec64_get: %d %d %d\n", base, ts.s > 1600000000, _timespec64_get_(&ts, 2));
    const wchar_t *src = L"hi";
    char out[8] = {0};
    size_t n = wcsrtombs_(out, &src, sizeof out, NULL);
    printf("wcsrtombs: %zu %s %d\n", n, out, src == NULL);
    printf("strtoumax: %llu, _strtof_l: %g\n", strtoumax_("18446744073709551615", NULL, 10),
           (double)_strtof_l_("2.5", NULL, NULL));

    void *old = set_terminate_((void *)on_terminate);
    printf("set_terminate: %d\n", old == NULL);
    terminate_();
    return 0;
}
