/* Timed waits never end before their time: the scheduler wakes a sleeper a little early and
 * the call waits out the rest itself (runtime/block.py's EARLY_WAKE). Each line counts the
 * waits of one kind that came back early, and the ones that did not time out. */
#define _GNU_SOURCE
#include <poll.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define FUTEX_WAIT_PRIVATE 128   /* FUTEX_WAIT | FUTEX_PRIVATE_FLAG (musl has no linux/ headers) */
#define ROUNDS 20
#define WAIT_US 2000

static long now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000L + t.tv_nsec / 1000;
}

static void report(const char *what, int early, int wrong)
{
    printf("%s: early %d, not a timeout %d\n", what, early, wrong);
}

int main(void)
{
    int early, wrong, p[2], word = 0, ep = epoll_create1(0);
    struct timespec ts = {0, WAIT_US * 1000};
    pipe(p);
    struct epoll_event ev = {.events = EPOLLIN};
    epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);

    early = wrong = 0;
    for (int i = 0; i < ROUNDS; i++) {
        long t = now_us();
        wrong += nanosleep(&ts, NULL) != 0;
        early += now_us() - t < WAIT_US;
    }
    report("nanosleep", early, wrong);

    early = wrong = 0;
    for (int i = 0; i < ROUNDS; i++) {
        struct timespec at;
        clock_gettime(CLOCK_MONOTONIC, &at);
        long t = at.tv_sec * 1000000L + at.tv_nsec / 1000;
        at.tv_nsec += WAIT_US * 1000;
        if (at.tv_nsec >= 1000000000) at.tv_sec++, at.tv_nsec -= 1000000000;
        wrong += clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL) != 0;
        early += now_us() - t < WAIT_US;
    }
    report("clock_nanosleep absolute", early, wrong);

    early = wrong = 0;
    for (int i = 0; i < ROUNDS; i++) {
        struct pollfd pfd = {p[0], POLLIN, 0};
        long t = now_us();
        wrong += poll(&pfd, 1, WAIT_US / 1000) != 0;
        early += now_us() - t < WAIT_US;
    }
    report("poll", early, wrong);

    early = wrong = 0;
    for (int i = 0; i < ROUNDS; i++) {
        fd_set r;
        FD_ZERO(&r);
        FD_SET(p[0], &r);
        struct timeval tv = {0, WAIT_US};
        long t = now_us();
        wrong += select(p[0] + 1, &r, NULL, NULL, &tv) != 0;
        early += now_us() - t < WAIT_US;
    }
    report("select", early, wrong);

    early = wrong = 0;
    for (int i = 0; i < ROUNDS; i++) {
        long t = now_us();
        wrong += epoll_wait(ep, &ev, 1, WAIT_US / 1000) != 0;
        early += now_us() - t < WAIT_US;
    }
    report("epoll_wait", early, wrong);

    early = wrong = 0;
    for (int i = 0; i < ROUNDS; i++) {
        long t = now_us();
        wrong += syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, &ts, NULL, 0) != -1;
        early += now_us() - t < WAIT_US;
    }
    report("futex wait", early, wrong);
    return 0;
}
