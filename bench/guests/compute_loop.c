/* A compute-bound loop for the realworld benchmark: a pseudo-random walk over a 16 KiB
 * table, no system calls until the result is printed. argv[1]: iterations. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint32_t table[4096];

int main(int argc, char **argv)
{
    unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 20000000ul;
    uint32_t x = 1, sum = 0;
    for (unsigned long i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        table[(x >> 20) & 4095] += x;
        sum ^= table[(x >> 8) & 4095] + (uint32_t)i;
    }
    printf("%u\n", sum);
    return 0;
}
