/* Address space without memory behind it, as Go and Java take it: a PROT_NONE reservation
 * and a read-only mapping, each larger than the process's memory limit (1 GiB by default),
 * made accessible a piece at a time; a writable mapping that large fails, as does making
 * the read-only one writable whole. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define GiB (1ul << 30)

int main(void)
{
    char *none = mmap(NULL, 4 * GiB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("reserve 4 GiB: %s\n", none == MAP_FAILED ? strerror(errno) : "ok");
    char *ro = mmap(NULL, 2 * GiB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("read-only 2 GiB: %s, reads %d %d\n", ro == MAP_FAILED ? strerror(errno) : "ok",
           ro[0], ro[2 * GiB - 1]);
    char *rw = mmap(NULL, 2 * GiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("writable 2 GiB: %s\n", rw == MAP_FAILED ? strerror(errno) : "ok");
    printf("read-only made writable: %s\n",
           mprotect(ro, 2 * GiB, PROT_READ | PROT_WRITE) ? strerror(errno) : "ok");

    /* commit pieces: by mprotect, by mmap MAP_FIXED */
    char *piece = none + GiB;
    printf("mprotect 1 MiB: %s\n",
           mprotect(piece, 1 << 20, PROT_READ | PROT_WRITE) ? strerror(errno) : "ok");
    memset(piece, 7, 1 << 20);
    char *fixed = mmap(none + 3 * GiB, 4096, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    fixed[0] = 9;
    printf("pieces hold %d %d %d, madvise %d\n", piece[0], piece[(1 << 20) - 1], fixed[0],
           madvise(none, 4096, MADV_DONTNEED));

    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        printf("child sees %d\n", piece[5]);
        fflush(stdout);
        (void)*(volatile char *)(none + 8192);   /* still reserved: SIGSEGV */
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    printf("child: %s %d\n", WIFSIGNALED(status) ? "signal" : "exit",
           WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));

    FILE *maps = fopen("/proc/self/maps", "r");
    char line[256], want[32];
    snprintf(want, sizeof want, "%lx-", (unsigned long)none);
    while (fgets(line, sizeof line, maps))
        if (strncmp(line, want, strlen(want)) == 0)
            printf("maps: %.4s\n", strchr(line, ' ') + 1);
    printf("munmap: %d\n", munmap(none, 4 * GiB));
    return 0;
}
