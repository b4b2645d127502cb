/* vm.overcommit_memory as Linux applies it, in a process run with --max-memory 64M (its
 * "memory"): under the default heuristic (0) mappings larger in sum than the memory succeed
 * and only one request larger than it fails; RLIMIT_AS bounds the sum in every mode; under
 * strict accounting (2) the sum is bounded; touching more than the memory is the OOM
 * killer's (SIGKILL, see tests/test_mm.py).
 *
 *   overcommit            the mapping checks, then writes 2 to the sysctl and checks again
 *   overcommit touch N    maps and writes N MiB, then prints "touched"
 *   overcommit read N     maps and reads N MiB, then prints "read" */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define MIB (1ul << 20)

static void *map(size_t mib)
{
    return mmap(NULL, mib * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

/* n mappings of mib MiB each, unmapped again unless keep */
static void try_maps(const char *tag, int n, size_t mib, int keep)
{
    void *got[8];
    printf("%s:", tag);
    for (int i = 0; i < n; i++) {
        got[i] = map(mib);
        printf(" %s", got[i] == MAP_FAILED ? strerror(errno) : "ok");
    }
    printf("\n");
    for (int i = 0; i < n && !keep; i++)
        if (got[i] != MAP_FAILED)
            munmap(got[i], mib * MIB);
}

static int mode(void)
{
    int m = -1;
    FILE *f = fopen("/proc/sys/vm/overcommit_memory", "r");
    if (f) {
        if (fscanf(f, "%d", &m) != 1)
            m = -1;
        fclose(f);
    }
    return m;
}

static void set_mode(const char *m)
{
    FILE *f = fopen("/proc/sys/vm/overcommit_memory", "w");
    if (!f || fputs(m, f) < 0 || fclose(f) != 0)
        perror("overcommit_memory");
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 2) {   /* in 16 MiB mappings: each request is within the memory */
        size_t mib = strtoul(argv[2], NULL, 10);
        int reading = strcmp(argv[1], "read") == 0;
        volatile unsigned sum = 0;
        for (size_t done = 0; done < mib; done += 16) {
            char *p = map(16);
            if (p == MAP_FAILED) {
                perror("mmap");
                return 1;
            }
            for (size_t i = 0; i < 16 * MIB; i += 4096) {
                if (reading)
                    sum += (unsigned char)p[i];   /* reads hold nothing new: zeros */
                else
                    p[i] = 1;
            }
        }
        printf("%s\n", reading ? "read" : "touched");
        return 0;
    }
    printf("mode %d\n", mode());
    pid_t child = fork();
    if (child == 0) {   /* RLIMIT_AS: the sum, whatever the mode */
        struct rlimit rl = {56 * MIB, 56 * MIB};
        setrlimit(RLIMIT_AS, &rl);
        try_maps("rlimit 3 x 20 MiB", 3, 20, 1);
        _exit(0);
    }
    waitpid(child, NULL, 0);
    try_maps("heuristic 4 x 40 MiB", 4, 40, 0);
    try_maps("heuristic 80 MiB", 1, 80, 0);
    set_mode("2");
    printf("mode %d\n", mode());
    try_maps("strict 4 x 20 MiB", 4, 20, 0);
    set_mode("1");
    printf("mode %d\n", mode());
    try_maps("always 100 MiB", 1, 100, 0);
    set_mode("0");
    return 0;
}
