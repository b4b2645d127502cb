/* A file mapping's pages wholly past the end of the file (LTP's mmap13 and futex_wake05):
 * touching one raises SIGBUS (BUS_ADRERR, si_addr in the page touched), shared or private;
 * the rest of the last page reads as zeros; the kernel reading such a page answers EFAULT;
 * a shared mapping's page comes back when the file grows over it, and a futex on a page the
 * file was truncated under is EFAULT (and the page SIGBUS, in a fork's child too). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define FUTEX_WAKE 1          /* linux/futex.h, which musl's headers lack */

static sigjmp_buf env;
static volatile int got_sig, got_code;
static void *volatile got_addr;

static void on_fault(int sig, siginfo_t *info, void *ctx)
{
    (void)ctx;
    got_sig = sig;
    got_code = info->si_code;
    got_addr = info->si_addr;
    siglongjmp(env, 1);
}

/* Store to p; what happened. */
static const char *touch(char *p)
{
    got_sig = 0;
    if (sigsetjmp(env, 1) == 0)
        *(volatile char *)p = 1;
    if (!got_sig)
        return "ok";
    static char what[64];
    /* si_addr: the page (the engine reports the page an access faulted in; Linux, the byte) */
    long mask = ~(sysconf(_SC_PAGESIZE) - 1);
    snprintf(what, sizeof what, "%s code %d in %s", got_sig == SIGBUS ? "SIGBUS" : "SIGSEGV",
             got_code, ((long)got_addr & mask) == ((long)p & mask) ? "its page" : "another page");
    return what;
}

int main(void)
{
    long page = sysconf(_SC_PAGESIZE);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGSEGV, &sa, NULL);
    int fd = open("pasteof.tmp", O_RDWR | O_CREAT | O_TRUNC, 0644);
    ftruncate(fd, page / 2);
    for (int shared = 1; shared >= 0; shared--) {
        char *m = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
                       shared ? MAP_SHARED : MAP_PRIVATE, fd, 0);
        printf("%s: last page past the end reads %d\n", shared ? "shared" : "private",
               m[page - 1]);
        printf("%s: page past the end: %s\n", shared ? "shared" : "private",
               touch(m + page + 1));
        int pipefd[2];
        pipe(pipefd);
        ssize_t n = write(pipefd[1], m + page, 16);
        printf("%s: write() from it: %s\n", shared ? "shared" : "private",
               n < 0 && errno == EFAULT ? "EFAULT" : "no error");
        close(pipefd[0]);
        close(pipefd[1]);
        if (shared) {
            ftruncate(fd, 2 * page);
            printf("shared: after the file grew: %s\n", touch(m + page + 1));
            int go[2];
            pipe(go);
            fflush(stdout);
            pid_t child = fork();
            if (child == 0) {          /* maps the page too, through the fork */
                char c;
                read(go[0], &c, 1);
                printf("shared: a fork's child touching it: %s\n", touch(m));
                fflush(stdout);
                _exit(0);
            }
            ftruncate(fd, 0);
            printf("shared: touching it right after the truncate: %s\n", touch(m));
            long rc = syscall(SYS_futex, m, FUTEX_WAKE, 1, NULL, NULL, 0);
            printf("shared: futex on a page truncated away: %s\n",
                   rc < 0 && errno == EFAULT ? "EFAULT" : "no error");
            printf("shared: touching it: %s\n", touch(m));
            fflush(stdout);
            write(go[1], "x", 1);
            waitpid(child, NULL, 0);
            ftruncate(fd, page / 2);
        }
        munmap(m, 2 * page);
    }
    unlink("pasteof.tmp");
    return 0;
}
