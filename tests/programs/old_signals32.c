/* i386's old signal calls, as a 32-bit program on a 64-bit kernel answers them: sigaction
 * (67) after an exec from a 64-bit parent (exec flushes every kept action's flags, mask and
 * restorer), sigprocmask (126) on the first word only, sigpending (73), sigsuspend (72),
 * signal (48) and sgetmask/ssetmask (68/69). Run with "exec" it execs itself as a 64-bit
 * parent would; the output is the same on the host. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

struct old_sigaction { unsigned handler, mask, flags, restorer; };

static volatile int caught;
static void on_signal(int sig) { caught = sig; }

int main(int argc, char **argv)
{
    (void)argc; (void)argv;
    struct old_sigaction q;
    memset(&q, 0xAA, sizeof q);
    long rc = syscall(67, SIGUSR1, 0, &q);
    printf("inherited SIGUSR1: rc %ld handler %u flags %#x mask %#x restorer %#x\n", rc,
           q.handler, q.flags, q.mask, q.restorer);

    struct old_sigaction ign = {(unsigned)(long)SIG_IGN, 1u << (SIGTERM - 1), 0, 0};
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR2);
    sigaddset(&block, SIGRTMIN + 2);
    sigprocmask(SIG_BLOCK, &block, 0);
    raise(SIGUSR2);
    unsigned pending = 0;
    rc = syscall(73, &pending);
    printf("sigpending: rc %ld SIGUSR2 %d\n", rc, !!(pending & (1u << (SIGUSR2 - 1))));
    rc = syscall(67, SIGUSR2, &ign, 0);
    syscall(73, &pending);
    printf("ignored: rc %ld, SIGUSR2 pending %d\n", rc, !!(pending & (1u << (SIGUSR2 - 1))));

    unsigned none = 0;
    rc = syscall(126, SIG_SETMASK, &none, 0);
    sigset_t now;
    sigprocmask(SIG_SETMASK, 0, &now);
    printf("old SIG_SETMASK 0: rc %ld, SIGRTMIN+2 still blocked %d\n", rc,
           sigismember(&now, SIGRTMIN + 2));
    errno = 0;
    rc = syscall(126, 7, &none, 0);
    printf("bad how: %ld errno %d\n", rc, errno);

    unsigned old = syscall(69, 1u << (SIGHUP - 1));
    printf("ssetmask: old %#x, sgetmask %#lx\n", old, syscall(68));
    syscall(69, 0);

    long prev = syscall(48, SIGUSR1, on_signal);
    raise(SIGUSR1);
    syscall(67, SIGUSR1, 0, &q);
    printf("signal(): old %ld, caught %d, handler reset %d\n", prev, caught, q.handler == 0);

    signal(SIGALRM, on_signal);
    struct itimerval soon = {{0, 0}, {0, 50000}};
    setitimer(ITIMER_REAL, &soon, 0);
    caught = 0;
    errno = 0;
    rc = syscall(72, 0, 0, 0);
    printf("sigsuspend: %ld errno %d caught %d\n", rc, errno, caught);
    return 0;
}
