/* i386 math entry points MSVC's compiler calls with register conventions of their own:
 * _CIpow/_CIatan2/_CIsqrt (x87 stack in, x87 stack out) and _libm_sse2_pow_precise and
 * _libm_sse2_sqrt_precise (xmm0/xmm1 in, xmm0 out), taken from msvcrt.dll by name. */
#include <windows.h>
#include <stdio.h>

static double ci2(FARPROC fn, double x, double y)
{
    double r;
    __asm__ volatile("fldl %1\n\tfldl %2\n\tcall *%3\n\tfstpl %0"
                     : "=m"(r) : "m"(x), "m"(y), "r"(fn) : "eax", "ecx", "edx", "memory", "st");
    return r;
}

static double ci1(FARPROC fn, double x)
{
    double r;
    __asm__ volatile("fldl %1\n\tcall *%2\n\tfstpl %0"
                     : "=m"(r) : "m"(x), "r"(fn) : "eax", "ecx", "edx", "memory", "st");
    return r;
}

static double sse2(FARPROC fn, double x, double y)
{
    double r;
    __asm__ volatile("movsd %1, %%xmm0\n\tmovsd %2, %%xmm1\n\tcall *%3\n\tmovsd %%xmm0, %0"
                     : "=m"(r) : "m"(x), "m"(y), "r"(fn)
                     : "eax", "ecx", "edx", "xmm0", "xmm1", "memory");
    return r;
}

int main(void)
{
    HMODULE crt = LoadLibraryA("msvcrt.dll");
    FARPROC pow_ci = GetProcAddress(crt, "_CIpow"), atan2_ci = GetProcAddress(crt, "_CIatan2");
    FARPROC sqrt_ci = GetProcAddress(crt, "_CIsqrt");
    FARPROC pow_sse = GetProcAddress(crt, "_libm_sse2_pow_precise");
    FARPROC sqrt_sse = GetProcAddress(crt, "_libm_sse2_sqrt_precise");
    unsigned short before, after;
    __asm__ volatile("fnstsw %0" : "=m"(before));
    printf("CIpow %.6g CIatan2 %.6f CIsqrt %.6g\n", ci2(pow_ci, 2.0, 10.0),
           ci2(atan2_ci, 1.0, 1.0), ci1(sqrt_ci, 2.25));
    __asm__ volatile("fnstsw %0" : "=m"(after));
    printf("x87 stack balanced %d\n", ((before >> 11) & 7) == ((after >> 11) & 7));
    printf("sse2 pow %.6g sqrt %.6g\n", sse2(pow_sse, 3.0, 4.0), sse2(sqrt_sse, 6.25, 0.0));
    double bad = ci1(sqrt_ci, -1.0);
    printf("CIsqrt(-1) nan %d\n", bad != bad);
    return 0;
}
