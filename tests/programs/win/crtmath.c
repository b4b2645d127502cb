/* The UCRT's <math.h> as MSVC-built programs reach it: each function looked up in
   ucrtbase.dll and called through a pointer (so no compiler builtin or static library
   stands in), with C's errno on a domain error, a pole and an overflow. */
#include <windows.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>

typedef double (*unary)(double);
typedef double (*binary)(double, double);
typedef float (*unaryf)(float);
typedef float (*binaryf)(float, float);

static HMODULE ucrt;

static FARPROC fn(const char *name)
{
    FARPROC f = GetProcAddress(ucrt, name);
    if (!f) {
        printf("missing %s\n", name);
        ExitProcess(2);
    }
    return f;
}

static int *error(void)
{
    return ((int *(*)(void))fn("_errno"))();
}

int main(void)
{
    ucrt = LoadLibraryA("ucrtbase.dll");
    const char *unaries[] = {"ceil", "floor", "trunc", "round", "sqrt", "exp", "log", "log2",
                             "log10", "sin", "cos", "tan", "asin", "acos", "atan", "sinh",
                             "cosh", "tanh", "cbrt", "fabs", "expm1", "log1p"};
    for (unsigned i = 0; i < sizeof unaries / sizeof *unaries; i++)
        printf("%s(0.5)=%.9g %s(-2.5)=%.9g\n", unaries[i], ((unary)fn(unaries[i]))(0.5),
               unaries[i], ((unary)fn(unaries[i]))(-2.5));
    const char *binaries[] = {"pow", "fmod", "atan2", "hypot", "copysign", "fmin", "fmax"};
    for (unsigned i = 0; i < sizeof binaries / sizeof *binaries; i++)
        printf("%s(2.5,-1.5)=%.9g\n", binaries[i], ((binary)fn(binaries[i]))(2.5, -1.5));
    printf("floats %.6g %.6g %.6g\n", (double)((unaryf)fn("sqrtf"))(2.0f),
           (double)((binaryf)fn("powf"))(1.5f, 3.0f), (double)((unaryf)fn("floorf"))(-0.5f));

    *error() = 0;
    double r = ((unary)fn("sqrt"))(-1.0);
    int edom = *error() == EDOM;
    *error() = 0;
    double pole = ((unary)fn("log"))(0.0);
    int erange = *error() == ERANGE;
    *error() = 0;
    double big = ((unary)fn("exp"))(1000.0);
    int overflow = *error() == ERANGE;
    printf("sqrt(-1) nan %d negative %d edom %d; log(0) %g erange %d; exp(1000) %g erange %d\n",
           r != r, signbit(r) != 0, edom, pole, erange, big, overflow);

    int e = 0;
    double m = ((double (*)(double, int *))fn("frexp"))(48.0, &e);
    double whole = 0;
    double frac = ((double (*)(double, double *))fn("modf"))(-3.75, &whole);
    double scaled = ((double (*)(double, int))fn("ldexp"))(0.75, 4);
    printf("frexp %g %d modf %g %g ldexp %g\n", m, e, frac, whole, scaled);
    return 0;
}
