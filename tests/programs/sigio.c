/* Signal-driven I/O: a pipe read end with O_ASYNC signals its owner (F_SETOWN, F_SETOWN_EX)
 * when data arrives, with SIGIO or the F_SETSIG signal. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int fds[2];

static void wait_for(const char *what)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGIO);
    sigaddset(&set, SIGUSR1);
    if (fork() == 0) {
        write(fds[1], "c", 1);
        exit(0);
    }
    struct timespec ts = {10, 0};
    int sig = sigtimedwait(&set, NULL, &ts);
    char c;
    read(fds[0], &c, 1);
    wait(NULL);
    printf("%s: %s\n", what, sig == SIGIO ? "SIGIO" : sig == SIGUSR1 ? "SIGUSR1" : "none");
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGIO);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    pipe(fds);
    printf("owner before: %d sig %d\n", fcntl(fds[0], F_GETOWN), fcntl(fds[0], F_GETSIG));
    fcntl(fds[0], F_SETFL, O_ASYNC);
    fcntl(fds[0], F_SETOWN, getpid());
    printf("owner is me: %d\n", fcntl(fds[0], F_GETOWN) == getpid());
    wait_for("default signal");
    fcntl(fds[0], F_SETSIG, SIGUSR1);
    wait_for("F_SETSIG");
    struct f_owner_ex ex = {F_OWNER_PGRP, getpgrp()};
    fcntl(fds[0], F_SETOWN_EX, &ex);
    printf("F_GETOWN of a group: %d\n", fcntl(fds[0], F_GETOWN) == -getpgrp());
    ex.type = 7;
    int r = fcntl(fds[0], F_SETOWN_EX, &ex);
    printf("bad owner type: %d %d\n", r, errno);
    printf("bad signal: %d\n", fcntl(fds[0], F_SETSIG, 99));
    fcntl(fds[0], F_SETFL, 0);     /* no hang-up signal to the group as the pipe closes */
    return 0;
}
