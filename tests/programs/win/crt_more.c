/* C runtime exports programs import that were missing: single-character conversions,
   _statusfp/_clearfp, msvcrt's time zone variables, and (looked up by name, as mingw's own
   library would not call the DLL) the whole floating-point environment and logb, scalbn,
   remquo and nexttoward, with C's errors in errno. */
#include <windows.h>
#include <errno.h>
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <wchar.h>

#ifndef _SW_ZERODIVIDE
#define _SW_ZERODIVIDE 0x8
#endif

typedef struct { unsigned long ctl, stat; } ucrt_fenv;
typedef int (*env_fn)(ucrt_fenv *);
typedef int (*int_fn)(int);
typedef double (*d1)(double);
typedef float (*f1)(float);
typedef double (*d_di)(double, int);
typedef float (*f_fi)(float, int);
typedef double (*d_ddq)(double, double, int *);
typedef float (*f_ffq)(float, float, int *);
typedef float (*f_fd)(float, double);
typedef double (*d_dd)(double, double);

#define FN(type, name) type name##_ = (type)GetProcAddress(crt, #name)

int main(void)
{
    wchar_t wc = 0;
    char mb[4] = {0};
    int n1 = mbtowc(&wc, "A", 1);
    int a = wc;
    int n0 = mbtowc(&wc, "", 1);
    printf("mbtowc: %d %d %d\n", n1, a, n0);
    printf("mbtowc(NULL): %d, mblen: %d\n", mbtowc(NULL, NULL, 0), mblen("xy", 2));
    int put = wctomb(mb, L'z');
    printf("wctomb: %d '%c'\n", put, mb[0]);
    errno = 0;
    int bad = wctomb(mb, 0x263A);
    printf("wctomb of a smiley: %d errno %d\n", bad, errno == EILSEQ);

    HMODULE crt = LoadLibraryA("msvcrt.dll");
    int *(*crt_errno)(void) = (int *(*)(void))GetProcAddress(crt, "_errno");
    FN(env_fn, fegetenv); FN(env_fn, fesetenv); FN(env_fn, feholdexcept);
    FN(env_fn, feupdateenv); FN(int_fn, fesetround); FN(int_fn, feraiseexcept);
    FN(int_fn, fetestexcept); FN(int_fn, feclearexcept);
    int (*fegetround_)(void) = (int (*)(void))GetProcAddress(crt, "fegetround");
    int (*mbsinit_)(const void *) = (int (*)(const void *))GetProcAddress(crt, "mbsinit");
    mbstate_t st = {0};
    printf("mbsinit: %d\n", mbsinit_(&st) != 0);

    ucrt_fenv env, held;
    feclearexcept_(0x1F);
    fegetenv_(&env);
    fesetround_(0x200);                                /* the UCRT's FE_UPWARD */
    feraiseexcept_(0x1);                               /* FE_INEXACT */
    printf("changed: round up %d inexact %d\n", fegetround_() == 0x200,
           fetestexcept_(0x1) != 0);
    fesetenv_(&env);
    printf("restored: nearest %d inexact %d\n", fegetround_() == 0, fetestexcept_(0x1) != 0);
    feraiseexcept_(0x4);                               /* FE_OVERFLOW */
    feholdexcept_(&held);
    printf("held: overflow %d\n", fetestexcept_(0x4) != 0);
    feraiseexcept_(0x2);                               /* FE_UNDERFLOW */
    feupdateenv_(&held);
    printf("updated: overflow %d underflow %d\n", fetestexcept_(0x4) != 0,
           fetestexcept_(0x2) != 0);
    feclearexcept_(0x1F);
    feraiseexcept_(0x8);                               /* FE_DIVBYZERO */
    unsigned s = _statusfp();
    unsigned c = _clearfp();
    printf("_statusfp zero divide %d, _clearfp %d, then %u\n", (s & _SW_ZERODIVIDE) != 0,
           (c & _SW_ZERODIVIDE) != 0, _statusfp());

    FN(d1, logb); FN(f1, logbf); FN(d_di, scalbn); FN(f_fi, scalbnf); FN(d_di, scalbln);
    FN(d_ddq, remquo); FN(f_ffq, remquof); FN(d_dd, nexttoward); FN(f_fd, nexttowardf);
    *crt_errno() = 0;
    double pole = logb_(0.0);
    int pole_errno = *crt_errno();
    printf("logb: %g %g %g, of 0: %g errno %d\n", logb_(10.0), logb_(0.75),
           (double)logbf_(1e-40f), pole, pole_errno == ERANGE);
    printf("scalbn: %g %g %g\n", scalbn_(3.0, 4), (double)scalbnf_(1.5f, -1),
           scalbln_(1.0, -1074));
    *crt_errno() = 0;
    double huge = scalbn_(1e300, 100);
    int huge_errno = *crt_errno();
    printf("scalbn overflow: %g errno %d\n", huge, huge_errno == ERANGE);
    int q = 0;
    double r = remquo_(10.0, 3.0, &q);
    printf("remquo(10, 3): %g %d\n", r, q);
    r = remquo_(-29.0, 3.0, &q);
    printf("remquo(-29, 3): %g %d\n", r, q & 7 ? -((-q) & 7) : 0);
    float rf = remquof_(7.5f, 2.0f, &q);
    printf("remquof(7.5, 2): %g %d\n", (double)rf, q);
    printf("nexttoward: %d %d\n", nexttoward_(1.0, 2.0) > 1.0,
           nexttowardf_(1.0f, 2.0) == 1.0f + FLT_EPSILON);

    _tzset();
    printf("tz: daylight %d timezone %ld dstbias %ld names %s %s\n", _daylight, _timezone,
           _dstbias, _tzname[0], _tzname[1]);
    return 0;
}
