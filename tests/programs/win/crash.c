/* A Windows program that dereferences a wild pointer. */
#include <stdio.h>

int main(void)
{
    printf("before the crash\n");
    fflush(stdout);
    return *(volatile int *)16;
}
