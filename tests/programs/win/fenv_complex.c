/* The UCRT's <fenv.h> flags (numpy tests them after every loop), its C99 complex functions
 * with MSVC's complex types (reached through ucrtbase, as MSVC-built code imports them),
 * nextafterf, modff, _dpcomp and _byteswap_uint64. */
#include <windows.h>
#include <math.h>
#include <stdio.h>

typedef struct { double v[2]; } dcomplex;
typedef struct { float v[2]; } fcomplex;

int main(void)
{
    HMODULE u = LoadLibraryW(L"ucrtbase.dll");
    int (__cdecl *testx)(int) = (void *)GetProcAddress(u, "fetestexcept");
    int (__cdecl *clearx)(int) = (void *)GetProcAddress(u, "feclearexcept");
    int (__cdecl *getround)(void) = (void *)GetProcAddress(u, "fegetround");
    int (__cdecl *raisex)(int) = (void *)GetProcAddress(u, "feraiseexcept");
    clearx(0x1F);
    raisex(0x04);                             /* FE_OVERFLOW */
    int raised = testx(0x1F), asked = testx(0x08);
    clearx(0x1F);
    int cleared = testx(0x1F);
    printf("fenv: raised %#x, divbyzero %#x, cleared %#x, round %d\n", raised, asked, cleared,
           getround());
    double (__cdecl *creal_)(dcomplex) = (void *)GetProcAddress(u, "creal");
    double (__cdecl *cabs_)(dcomplex) = (void *)GetProcAddress(u, "cabs");
    float (__cdecl *cimagf_)(fcomplex) = (void *)GetProcAddress(u, "cimagf");
    dcomplex (__cdecl *cexp_)(dcomplex) = (void *)GetProcAddress(u, "cexp");
    dcomplex (__cdecl *cpow_)(dcomplex, dcomplex) = (void *)GetProcAddress(u, "cpow");
    fcomplex (__cdecl *csqrtf_)(fcomplex) = (void *)GetProcAddress(u, "csqrtf");
    dcomplex z = {{3.0, 4.0}}, i_pi = {{0.0, 3.141592653589793}}, two = {{2.0, 0.0}};
    fcomplex f = {{-4.0f, 0.0f}};
    dcomplex e = cexp_(i_pi), sq = cpow_(z, two);
    fcomplex s = csqrtf_(f);
    printf("creal %g cabs %g cimagf %g\n", creal_(z), cabs_(z), (double)cimagf_(f));
    printf("cexp(i pi) %.3f %.3f, (3+4i)^2 %.1f %.1f, csqrtf(-4) %.1f %.1f\n", e.v[0], e.v[1],
           sq.v[0], sq.v[1], (double)s.v[0], (double)s.v[1]);
    float (__cdecl *nextf)(float, float) = (void *)GetProcAddress(u, "nextafterf");
    float (__cdecl *modf_)(float, float *) = (void *)GetProcAddress(u, "modff");
    int (__cdecl *dpcomp)(double, double) = (void *)GetProcAddress(u, "_dpcomp");
    unsigned long long (__cdecl *swap64)(unsigned long long) =
        (void *)GetProcAddress(u, "_byteswap_uint64");
    float whole;
    float frac = modf_(-2.75f, &whole);
    printf("nextafterf %.9g %.3g, modff %g %g, _dpcomp %d %d %d, swap %016llx\n",
           (double)nextf(1.0f, 2.0f), (double)nextf(0.0f, 1.0f), (double)frac, (double)whole,
           dpcomp(1.0, 2.0), dpcomp(2.0, 2.0), dpcomp(NAN, 1.0),
           swap64(0x0102030405060708ULL));
    return 0;
}
