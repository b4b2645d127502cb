/* An 8 GiB MAP_NORESERVE mapping (a sanitizer's shadow is terabytes of it) costs only the
 * pages touched: touched sparsely it holds, forks, changes protection, moves and unmaps as
 * any mapping does.
 *
 *   noreserve            the sparse checks
 *   noreserve touch MIB  map 8 GiB MAP_NORESERVE, write MIB MiB of it, then print "touched"
 *                        (within the process's memory fine, past it the OOM killer's) */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define MIB (1ul << 20)
#define SIZE (8ul << 30)
#define STRIDE (64 * MIB)

static char *map_big(void)
{
    return mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                -1, 0);
}

static int count(const char *p, char want)
{
    int n = 0;
    for (unsigned long at = 0; at < SIZE; at += STRIDE)
        n += p[at] == want && p[at + STRIDE / 2] == 0;
    return n;
}

static const char *child_status(pid_t pid)
{
    int status;
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status))
        return WTERMSIG(status) == SIGSEGV ? "SIGSEGV" : "another signal";
    return WEXITSTATUS(status) == 0 ? "exit 0" : "exit status";
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    char *p = map_big();
    printf("map 8 GiB noreserve: %s\n", p == MAP_FAILED ? strerror(errno) : "ok");
    if (p == MAP_FAILED)
        return 1;
    if (argc > 2 && strcmp(argv[1], "touch") == 0) {
        unsigned long mib = strtoul(argv[2], NULL, 10);
        for (unsigned long at = 0; at < mib * MIB; at += 4096)
            p[at + 3 * STRIDE] = 1;
        printf("touched\n");
        return 0;
    }
    for (unsigned long at = 0; at < SIZE; at += STRIDE)
        p[at] = 7;
    printf("touched every 64 MiB: %d of %lu hold 7\n", count(p, 7), SIZE / STRIDE);
    pid_t pid = fork();
    if (pid == 0) {
        for (unsigned long at = 0; at < SIZE; at += STRIDE)
            p[at] = 9;
        _exit(count(p, 9) == SIZE / STRIDE ? 0 : 1);
    }
    printf("a child writes its own copy: %s; the parent still sees %d\n", child_status(pid),
           count(p, 7));
    printf("mprotect the second GiB read-only: %d\n",
           mprotect(p + (1ul << 30), 1ul << 30, PROT_READ));
    pid = fork();
    if (pid == 0) {
        p[(1ul << 30) + STRIDE] = 1;
        _exit(0);
    }
    printf("a write there: %s; a read: %d\n", child_status(pid), p[(1ul << 30) + STRIDE]);
    char *moved = mremap(p + (4ul << 30), 2ul << 30, 2ul << 30, MREMAP_MAYMOVE | MREMAP_FIXED,
                         p - (4ul << 30));
    printf("mremap 2 GiB of it elsewhere: %s, holds %d %d\n",
           moved == MAP_FAILED ? strerror(errno) : "ok",
           moved == MAP_FAILED ? -1 : moved[0], moved == MAP_FAILED ? -1 : moved[STRIDE]);
    unsigned char vec[1] = {0};
    int rc = mincore(p + STRIDE, 4096, vec);
    printf("mincore of a touched page: %d %d\n", rc, vec[0] & 1);
    FILE *f = fopen("/proc/self/smaps", "r");
    char line[512];
    int lines = 0;
    while (f && fgets(line, sizeof line, f))
        lines++;
    printf("smaps read: %s\n", lines > 0 ? "yes" : "no");
    printf("munmap: %d %d\n", munmap(p, SIZE), moved == MAP_FAILED ? -1 : munmap(moved, 2ul << 30));
    return 0;
}
