/* Built with -fsanitize=address: a hello, and with an argument a write one byte past a
 * 10-byte heap block, which AddressSanitizer reports (heap-buffer-overflow, exit 1). */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    volatile char *p = malloc(10);
    p[0] = 'x';
    printf("asan ok %c\n", p[0]);
    fflush(stdout);
    if (argc > 1)
        p[10] = 1;
    free((char *)p);
    return 0;
}
