/* sigwait takes a blocked signal without a handler; sigtimedwait times out with EAGAIN. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    if (fork() == 0) {
        usleep(100000);
        kill(getppid(), SIGUSR1);
        _exit(0);
    }
    int sig = 0;
    int w = sigwait(&set, &sig);
    printf("sigwait %d -> %d\n", w, sig);
    struct timespec ts = {0, 50000000};
    siginfo_t info;
    int r = sigtimedwait(&set, &info, &ts);
    printf("sigtimedwait %d %s\n", r, r < 0 && errno == EAGAIN ? "EAGAIN" : "?");
    raise(SIGUSR1);
    printf("pending taken: %d\n", sigtimedwait(&set, &info, &ts));
    return 0;
}
