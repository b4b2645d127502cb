/* vm.max_map_count bounds the mappings mremap and shmat make, as it bounds mmap's: moving
 * the middle page out of each run of three (MREMAP_FIXED, or MREMAP_MAYMOVE growing it) cuts
 * the source mapping once per call, and each shmat adds an attach; all stop with ENOMEM
 * close to the limit. Prints the same on Linux. With an argument, the limit is first set to
 * it (so that the loops stay short; only root may). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <unistd.h>

#define P 4096L

static long limit;

static long mappings(void)      /* without stdio: at the limit, malloc's mmap fails */
{
    static char buf[1 << 16];
    int fd = open("/proc/self/maps", O_RDONLY);
    long n = 0, got;
    while ((got = read(fd, buf, sizeof buf)) > 0)
        for (long i = 0; i < got; i++)
            n += buf[i] == '\n';
    close(fd);
    return n;
}

static void report(const char *what, long made, int err)
{
    long n = mappings();
    printf("%s: stopped by ENOMEM %d, after more than %ld %d, mappings near the limit %d\n",
           what, err == ENOMEM, limit / 2, made > limit / 2, n >= limit - 8 && n <= limit + 2);
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        FILE *f = fopen("/proc/sys/vm/max_map_count", "w");
        if (!f || fprintf(f, "%s\n", argv[1]) < 0 || fclose(f) != 0)
            return 1;
    }
    FILE *f = fopen("/proc/sys/vm/max_map_count", "r");
    if (!f || fscanf(f, "%ld", &limit) != 1)
        return 1;
    fclose(f);
    long n = limit + 10, i;
    int err = 0;

    char *a = mmap(0, P * 3 * n, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *dst = mmap(0, P * 2 * n, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (i = 0; i < n; i++)
        if (mremap(a + 3 * i * P + P, P, P, MREMAP_MAYMOVE | MREMAP_FIXED,
                   dst + 2 * i * P) == MAP_FAILED) {
            err = errno;
            break;
        }
    report("mremap MREMAP_FIXED", i, err);
    munmap(a, P * 3 * n);
    munmap(dst, P * 2 * n);

    err = 0;
    char **moved = calloc(n, sizeof *moved);
    a = mmap(0, P * 3 * n, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (i = 0; i < n; i++)
        if ((moved[i] = mremap(a + 3 * i * P + P, P, 2 * P, MREMAP_MAYMOVE)) == MAP_FAILED) {
            err = errno;
            break;
        }
    report("mremap MREMAP_MAYMOVE", i, err);
    munmap(a, P * 3 * n);
    while (i-- > 0)
        munmap(moved[i], 2 * P);

    err = 0;
    int id = shmget(IPC_PRIVATE, P, IPC_CREAT | 0600);
    for (i = 0; i < n; i++)
        if (shmat(id, 0, (i & 1) ? SHM_RDONLY : 0) == (void *)-1) {
            err = errno;
            break;
        }
    shmctl(id, IPC_RMID, 0);
    report("shmat", i, err);
    return 0;
}
