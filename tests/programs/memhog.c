/* Map argv[1] MiB and touch every page; print how far it got. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

int main(int argc, char **argv)
{
    size_t mib = strtoull(argv[1], NULL, 10);
    char *p = mmap(NULL, mib << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        printf("mmap failed\n");
        return 3;
    }
    for (size_t i = 0; i < (mib << 20); i += 4096)
        p[i] = 1;
    printf("touched %zu MiB\n", mib);
    return 0;
}
