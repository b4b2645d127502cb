/* A user handler for SIGUSR1, SIGCHLD from a child, and SIGPIPE ignored -> EPIPE. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got_usr1, got_chld;

static void on_usr1(int sig) { got_usr1 = sig; }
static void on_chld(int sig) { got_chld = sig; }

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    sa.sa_handler = on_chld;
    sigaction(SIGCHLD, &sa, NULL);
    kill(getpid(), SIGUSR1);
    printf("caught SIGUSR1: %d\n", got_usr1);
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    int status;
    waitpid(pid, &status, 0);
    printf("caught SIGCHLD: %d\n", got_chld);
    signal(SIGPIPE, SIG_IGN);
    int fds[2];
    pipe(fds);
    close(fds[0]);
    ssize_t n = write(fds[1], "x", 1);
    printf("write to closed pipe: %zd %s\n", n, n < 0 && errno == EPIPE ? "EPIPE" : "?");
    return 0;
}
