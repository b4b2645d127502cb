/* A MAP_GROWSDOWN mapping grows down when something touches the pages below it (LTP's
 * mmap18): within the free space below, the stores succeed; a mapping placed just below it
 * (inside the 256-page stack guard gap) stops the growth with SIGSEGV. */
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MAP_GROWSDOWN
#define MAP_GROWSDOWN 0x100
#endif

static const char *grow(int blocker)
{
    long page = sysconf(_SC_PAGESIZE);
    long reserved = 512 * page;
    pid_t pid = fork();
    if (pid == 0) {
        char *start = mmap(NULL, reserved, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        munmap(start, reserved);
        char *top = start + reserved;
        if (mmap(top - 4 * page, 4 * page, PROT_READ | PROT_WRITE,
                 MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0) == MAP_FAILED)
            _exit(3);
        char *bottom = top - 64 * page;   /* grow 60 pages */
        if (blocker && mmap(bottom - 2 * page, page, PROT_READ | PROT_WRITE,
                            MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED)
            _exit(4);
        for (char *p = top - page; p >= bottom; p -= page)
            *(volatile char *)p = 1;
        _exit(*(volatile char *)bottom == 1 ? 0 : 5);
    }
    int status;
    waitpid(pid, &status, 0);
    if (WIFEXITED(status))
        return WEXITSTATUS(status) == 0 ? "grew" : "exit status";
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV ? "SIGSEGV" : "other signal";
}

int main(void)
{
    printf("free space below: %s\n", grow(0));
    printf("a mapping in the guard gap: %s\n", grow(1));
    return 0;
}
