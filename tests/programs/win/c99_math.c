/* C99 math functions the UCRT exports and MSVC-built programs import (mingw's own library
 * would not call the DLL, so they are looked up by name): fdim, remainder, tgamma, lgamma,
 * ilogb and strtoimax, with C's errors in errno. */
#include <windows.h>
#include <errno.h>
#include <stdio.h>

typedef double (*d1)(double);
typedef double (*d2)(double, double);
typedef int (*i1)(double);
typedef long long (*s3)(const char *, char **, int);

int main(void)
{
    HMODULE crt = LoadLibraryA("msvcrt.dll");
    int *(*crt_errno)(void) = (int *(*)(void))GetProcAddress(crt, "_errno");
    d2 fdim_ = (d2)GetProcAddress(crt, "fdim"), remainder_ = (d2)GetProcAddress(crt, "remainder");
    d1 tgamma_ = (d1)GetProcAddress(crt, "tgamma"), lgamma_ = (d1)GetProcAddress(crt, "lgamma");
    i1 ilogb_ = (i1)GetProcAddress(crt, "ilogb");
    s3 strtoimax_ = (s3)GetProcAddress(crt, "strtoimax");
    printf("fdim %g %g remainder %g\n", fdim_(5, 3), fdim_(3, 5), remainder_(10, 3));
    printf("tgamma %g lgamma %.6f\n", tgamma_(5), lgamma_(10));
    *crt_errno() = 0;
    double pole = tgamma_(0);
    printf("tgamma(0) %g erange %d\n", pole, *crt_errno() == ERANGE);
    *crt_errno() = 0;
    int zero = ilogb_(0);
    printf("ilogb %d %d, of 0 %d edom %d\n", ilogb_(1024), ilogb_(0.1), zero == (int)0x80000000,
           *crt_errno() == EDOM);
    printf("strtoimax %lld\n", strtoimax_("-9000000000xyz", NULL, 10));
    return 0;
}
