/* setjmp/longjmp out of a 50-deep recursion, twice. */
#include <setjmp.h>
#include <stdio.h>
static jmp_buf env;
static int depth(int n) { if (n == 0) longjmp(env, 42); return depth(n - 1) + 1; }
int main(void) {
    volatile int tries = 0;
    int r = setjmp(env);
    printf("setjmp returned %d (tries %d)\n", r, tries);
    if (tries++ < 2) depth(50);
    return 0;
}
