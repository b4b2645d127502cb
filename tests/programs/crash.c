/* Writes through a null pointer in crash_here, line 7. */
#include <stdio.h>

__attribute__((noinline)) void crash_here(int *p)
{
    printf("about to crash\n");
    *p = 1;
}

int main(void)
{
    crash_here(0);
    return 0;
}
