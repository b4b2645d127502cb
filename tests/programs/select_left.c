/* select writes the time it had left back into its timeval (Linux's select(2)): 0 after a
 * timeout, nearly all of it when a descriptor is ready at once, the rest after EINTR. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/time.h>
#include <unistd.h>

static void on_alarm(int sig) { (void)sig; }

int main(void)
{
    struct timeval tv = {0, 250000};
    int r = select(0, NULL, NULL, NULL, &tv);
    printf("timeout: %d left %ld.%06ld\n", r, (long)tv.tv_sec, (long)tv.tv_usec);
    int fds[2];
    pipe(fds);
    write(fds[1], "x", 1);
    fd_set set;
    FD_ZERO(&set);
    FD_SET(fds[0], &set);
    tv.tv_sec = 5;
    tv.tv_usec = 0;
    r = select(fds[0] + 1, &set, NULL, NULL, &tv);
    printf("ready: %d, most left %d\n", r, tv.tv_sec >= 4);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 200000}};
    setitimer(ITIMER_REAL, &it, NULL);
    tv.tv_sec = 2;
    tv.tv_usec = 0;
    r = select(0, NULL, NULL, NULL, &tv);
    double left = tv.tv_sec + tv.tv_usec / 1e6;
    printf("interrupted: %d %s, left between 1 and 1.95: %d\n", r, strerror(errno),
           left > 1.0 && left < 1.95);
    setitimer(ITIMER_REAL, &it, NULL);
    tv.tv_sec = sizeof tv.tv_sec == 8 ? LLONG_MAX : LONG_MAX;   /* forever, near enough */
    tv.tv_usec = 0;
    r = select(0, NULL, NULL, NULL, &tv);
    printf("huge timeout interrupted: %d %s, most left %d, usec valid %d\n", r, strerror(errno),
           tv.tv_sec > (sizeof tv.tv_sec == 8 ? LLONG_MAX : LONG_MAX) / 2,
           tv.tv_usec >= 0 && tv.tv_usec < 1000000);
    return 0;
}
