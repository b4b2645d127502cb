/* A periodic timer whose absolute start is already a second past: Linux counts every
   interval since (timerfd's read gives ~1000 expirations of a 1 ms timer; a POSIX timer's
   signal carries them as overruns), not one from now. */
#include <signal.h>
#include <stdio.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    struct itimerspec spec = {.it_interval = {0, 1000000},
                              .it_value = {now.tv_sec - 1, now.tv_nsec}};
    int fd = timerfd_create(CLOCK_MONOTONIC, 0);
    timerfd_settime(fd, TFD_TIMER_ABSTIME, &spec, NULL);
    unsigned long long expirations = 0;
    ssize_t n = read(fd, &expirations, sizeof expirations);
    printf("timerfd: read %zd, about a thousand expirations %d\n", n,
           expirations >= 900 && expirations < 1500);

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGRTMIN);
    sigprocmask(SIG_BLOCK, &set, NULL);
    struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN};
    timer_t timer;
    timer_create(CLOCK_MONOTONIC, &ev, &timer);
    clock_gettime(CLOCK_MONOTONIC, &now);
    spec.it_value.tv_sec = now.tv_sec - 1;
    spec.it_value.tv_nsec = now.tv_nsec;
    timer_settime(timer, TIMER_ABSTIME, &spec, NULL);
    siginfo_t info;
    int sig = sigwaitinfo(&set, &info);
    printf("posix timer: signal %d, about a thousand overruns %d\n", sig == SIGRTMIN,
           info.si_overrun >= 900 && info.si_overrun < 1500);
    return 0;
}
