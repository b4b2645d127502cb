/* Fill the address space with separate mappings until mmap refuses (vm.max_map_count), as
 * LTP's munmap04 does, then check what Linux answers at the limit: a munmap or mprotect that
 * would cut a mapping in two fails with ENOMEM, one that removes or changes a whole mapping
 * succeeds, and a freed slot can be mapped again. Prints only what does not depend on the
 * limit's value. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define REGION (3 * 4096)          /* three pages, a gap of one region between them */

static const char *name(int err)
{
    return err == ENOMEM ? "ENOMEM" : err == EEXIST ? "EEXIST" : strerror(err);
}

static const char *result(int rc)
{
    return rc == 0 ? "ok" : name(errno);
}

int main(void)
{
    long limit = 0;
    FILE *f = fopen("/proc/sys/vm/max_map_count", "r");
    if (!f || fscanf(f, "%ld", &limit) != 1)
        return 1;
    fclose(f);
    char **maps = calloc(limit + 16, sizeof *maps);
    long n = 0;
    int err = 0;
    for (unsigned long addr = 0x10000000UL; n < limit + 16; addr += 2 * REGION) {
        void *p = mmap((void *)addr, REGION, PROT_NONE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        if (p == MAP_FAILED && errno == EEXIST)
            continue;
        if (p == MAP_FAILED) {
            err = errno;
            break;
        }
        maps[n++] = p;
    }
    printf("mmap stopped with %s, %s the limit\n", name(err),
           n > limit - 64 && n <= limit ? "near" : "far from");
    printf("munmap of a middle page: %s\n", result(munmap(maps[2] + 4096, 4096)));
    printf("mprotect of a middle page: %s\n",
           result(mprotect(maps[2] + 4096, 4096, PROT_READ)));
    printf("mprotect of a whole mapping: %s\n", result(mprotect(maps[2], REGION, PROT_READ)));
    printf("munmap of a first page: %s\n", result(munmap(maps[3], 4096)));
    printf("munmap of a whole mapping: %s\n", result(munmap(maps[4], REGION)));
    void *again = mmap(maps[4], REGION, PROT_NONE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    printf("mmap into the freed slot: %s\n", again == maps[4] ? "ok" : name(errno));
    long bad = 0;
    for (long i = 0; i < n; i++)
        if (i != 3 && munmap(maps[i], REGION) != 0)
            bad++;
    munmap(maps[3] + 4096, REGION - 4096);
    printf("unmapped all, %ld failures\n", bad);
    void *p = mmap(NULL, REGION, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mmap afterwards: %s\n", p != MAP_FAILED ? "ok" : name(errno));
    return 0;
}
