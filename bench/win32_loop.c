/* The Win32 call-rate loop: N calls of a cheap kernel32 function (N from the command line). */
#include <windows.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1;
    DWORD sum = 0;
    for (long i = 0; i < n; i++)
        sum += GetCurrentProcessId();
    return sum == 0;   /* 0: the calls answered */
}
