/* Memory-bound read-modify-write: a[(i*31) % N] += a[i] over 1 MB, 300 passes, hashed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t fnv(const unsigned char *p, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ULL;
    return h;
}

int main(void)
{
    size_t n = 1 << 20;
    unsigned char *a = malloc(n);
    uint64_t h = 0;
    for (size_t i = 0; i < n; i++)
        a[i] = (unsigned char)(i * 7 + (i >> 9));
    for (int it = 0; it < 300; it++) {
        for (size_t i = 0; i < n; i += 64) {
            unsigned x = a[i];
            a[(i * 31) % n] += x;
        }
        h += fnv(a, 256);
    }
    printf("h=%016llx\n", (unsigned long long)(h ^ fnv(a, n)));
    return 0;
}
