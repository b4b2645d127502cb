/* alarm() interrupts a blocking read with SIGALRM (EINTR), and a second alarm's default
 * action ends a busy loop with the SIGALRM status. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t rang;
static void on_alarm(int sig) { rang = sig; }

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;          /* no SA_RESTART: the read fails with EINTR */
    sigaction(SIGALRM, &sa, NULL);
    int fds[2];
    pipe(fds);
    alarm(1);
    char c;
    ssize_t n = read(fds[0], &c, 1);
    printf("read=%zd %s rang=%d\n", n, n < 0 && errno == EINTR ? "EINTR" : "?", rang);
    fflush(stdout);
    signal(SIGALRM, SIG_DFL);
    alarm(1);
    for (;;)
        ;
}
