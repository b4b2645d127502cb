/* msvcrt's div family on a zero divisor or an overflowing quotient: the CPU's idiv fault,
   which Windows raises as STATUS_INTEGER_DIVIDE_BY_ZERO or STATUS_INTEGER_OVERFLOW for the
   program's exception handlers (not the C runtime's SIGFPE). argv[1] picks the case. */
#include <windows.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static LONG CALLBACK seen(PEXCEPTION_POINTERS info)
{
    printf("caught %08lx\n", (unsigned long)info->ExceptionRecord->ExceptionCode);
    fflush(stdout);
    ExitProcess(0);
    return EXCEPTION_CONTINUE_SEARCH;
}

int main(int argc, char **argv)
{
    div_t (*divide)(int, int) = div;
    lldiv_t (*lldivide)(long long, long long) = lldiv;
    volatile int zero = 0, minus_one = -1;
    AddVectoredExceptionHandler(1, seen);
    div_t fine = divide(-7, 2);
    printf("div(-7, 2) = %d rem %d\n", fine.quot, fine.rem);
    fflush(stdout);
    if (!strcmp(argv[1], "zero"))
        divide(7, zero);
    else if (!strcmp(argv[1], "overflow"))
        divide(INT_MIN, minus_one);
    else if (!strcmp(argv[1], "llzero"))
        lldivide(7, zero);
    printf("no exception\n");
    return 1;
}
