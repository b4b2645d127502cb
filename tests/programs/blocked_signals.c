/* Signals that are blocked when sent stay pending whatever their action: an ignored-by-default
 * SIGCHLD for sigtimedwait and signalfd, SIGWINCH, and a stop signal, which stops the process
 * only when it is unblocked. SIGCONT discards a pending stop signal. */
#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void show_pending(const char *when)
{
    sigset_t p;
    sigpending(&p);
    printf("%s: CHLD=%d TSTP=%d WINCH=%d CONT=%d\n", when, sigismember(&p, SIGCHLD),
           sigismember(&p, SIGTSTP), sigismember(&p, SIGWINCH), sigismember(&p, SIGCONT));
}

int main(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigaddset(&set, SIGTSTP);
    sigaddset(&set, SIGWINCH);
    sigprocmask(SIG_BLOCK, &set, NULL);

    pid_t pid = fork();
    if (pid == 0)
        _exit(3);
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    struct timespec two = {2, 0};
    printf("sigtimedwait: %d\n", sigtimedwait(&chld, NULL, &two));
    int status;
    waitpid(pid, &status, 0);

    pid = fork();
    if (pid == 0)
        _exit(4);
    int sfd = signalfd(-1, &chld, SFD_CLOEXEC);
    struct pollfd pfd = {sfd, POLLIN, 0};
    printf("signalfd poll: %d\n", poll(&pfd, 1, 2000));
    struct signalfd_siginfo si;
    if (read(sfd, &si, sizeof si) == sizeof si)
        printf("signalfd: signo=%u status=%d\n", si.ssi_signo, si.ssi_status);
    waitpid(pid, &status, 0);

    raise(SIGWINCH);
    raise(SIGTSTP);
    show_pending("raised");
    kill(getpid(), SIGCONT);
    show_pending("after SIGCONT");
    fflush(stdout);

    /* A child unblocks a pending SIGTSTP: it stops then, and runs on when continued. */
    pid = fork();
    if (pid == 0) {
        show_pending("child");
        raise(SIGTSTP);
        fflush(stdout);
        sigprocmask(SIG_UNBLOCK, &set, NULL);
        printf("child continued\n");
        _exit(5);
    }
    waitpid(pid, &status, WUNTRACED);
    printf("child stopped: %d by %d\n", WIFSTOPPED(status), WSTOPSIG(status));
    fflush(stdout);
    kill(pid, SIGCONT);
    waitpid(pid, &status, 0);
    printf("child exit: %d\n", WEXITSTATUS(status));
    return 0;
}
