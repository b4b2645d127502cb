/* A handled signal's siginfo says who sent it and how: kill gives SI_USER with the sender's
 * pid and uid, tgkill SI_TKILL; SIGCHLD names the child that ended, with CLD_EXITED and its
 * exit code; sigtimedwait returns the same information. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile int got_code = 99, got_pid = -1, got_status = -1, got_uid = -1;

static void handler(int sig, siginfo_t *si, void *uc)
{
    (void)sig; (void)uc;
    got_code = si->si_code;
    got_pid = si->si_pid;
    got_uid = si->si_uid;
    got_status = si->si_status;
}

int main(void)
{
    struct sigaction sa = {0};
    struct timespec ts = {5, 0};
    siginfo_t si;
    sigset_t set;
    pid_t child, parent = getpid();
    int st, go[2];
    char c;

    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGCHLD, &sa, NULL);

    pipe(go);
    child = fork();
    if (child == 0) {
        kill(parent, SIGUSR1);
        read(go[0], &c, 1);     /* ends once the parent has seen the signal */
        _exit(7);
    }
    while (got_pid == -1)
        pause();
    printf("kill: code %d from child %d uid %d\n", got_code, got_pid == child, got_uid);
    got_pid = -1;
    write(go[1], "x", 1);
    while (got_pid == -1)
        pause();
    printf("SIGCHLD: code %d from child %d status %d\n", got_code, got_pid == child,
           got_status);
    waitpid(child, &st, 0);

    syscall(SYS_tgkill, getpid(), gettid(), SIGUSR1);
    printf("tgkill: code %d from self %d\n", got_code, got_pid == getpid());

    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_BLOCK, &set, NULL);
    kill(getpid(), SIGUSR2);
    printf("sigtimedwait: %d", sigtimedwait(&set, &si, &ts));
    printf(" code %d from self %d\n", si.si_code, si.si_pid == getpid());
    return 0;
}
