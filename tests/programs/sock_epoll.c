/* epoll over sockets: an edge-triggered server loop over 100 connections from a child,
   level-triggered and EPOLLONESHOT; eventfd (counter and semaphore), timerfd (one-shot and
   periodic, waited for through epoll and read), signalfd. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "sock_check.h"

#define CONNS 100

static void edge_triggered_server(void) {
    int l = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), on = 1;
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(7100)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(bind(l, (struct sockaddr *)&sa, sizeof sa) == 0 && listen(l, 128) == 0, "listen");
    pid_t pid = fork();
    if (pid == 0) {      /* 100 clients at once: each sends its number, expects it doubled */
        int s[CONNS];
        for (int i = 0; i < CONNS; i++) {
            s[i] = socket(AF_INET, SOCK_STREAM, 0);
            if (connect(s[i], (struct sockaddr *)&sa, sizeof sa)) _exit(1);
        }
        for (int i = 0; i < CONNS; i++) {
            char msg[16];
            int n = snprintf(msg, sizeof msg, "%d\n", i);
            if (write(s[i], msg, n) != n) _exit(2);
        }
        for (int i = 0; i < CONNS; i++) {
            char buf[16] = {0};
            int got = 0;
            while (got == 0 || buf[got - 1] != '\n') {
                ssize_t n = read(s[i], buf + got, sizeof buf - 1 - got);
                if (n <= 0) _exit(3);
                got += n;
            }
            if (atoi(buf) != 2 * i) _exit(4);
            close(s[i]);
        }
        _exit(0);
    }
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.fd = l};
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev) == 0, "add listener");
    int answered = 0, closed = 0, wakeups = 0;
    while (closed < CONNS) {
        struct epoll_event evs[32];
        int n = epoll_wait(ep, evs, 32, 10000);
        CHECK(n > 0, "epoll_wait");
        wakeups++;
        for (int i = 0; i < n; i++) {
            int fd = evs[i].data.fd;
            if (fd == l) {          /* edge-triggered: accept until EAGAIN */
                int c;
                while ((c = accept4(l, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    struct epoll_event cev = {.events = EPOLLIN | EPOLLRDHUP | EPOLLET,
                                              .data.fd = c};
                    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, c, &cev) == 0, "add connection");
                }
                CHECK(errno == EAGAIN, "accept drained");
                continue;
            }
            char buf[64];
            ssize_t r;
            while ((r = read(fd, buf, sizeof buf)) > 0) {   /* read until EAGAIN */
                char out[16];
                int len = snprintf(out, sizeof out, "%d\n", 2 * atoi(buf));
                CHECK(write(fd, out, len) == len, "answer");
                answered++;
            }
            if (r == 0) {
                close(fd);
                closed++;
            } else
                CHECK(errno == EAGAIN, "read drained");
        }
    }
    int st;
    CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0, "clients");
    CHECK(answered == CONNS, "every connection answered");
    struct epoll_event evs[4];
    CHECK(epoll_wait(ep, evs, 4, 0) == 0, "nothing left: an edge is reported once");
    close(ep);
    close(l);
    printf("ok edge-triggered loop over %d connections\n", CONNS);
}

static void level_and_oneshot(void) {
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
    int ep = epoll_create(1);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 0x1122334455667788ULL}, out[2];
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], &ev) == 0, "add");
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], &ev) == -1 && errno == EEXIST, "EEXIST");
    CHECK(epoll_wait(ep, out, 2, 0) == 0, "nothing yet");
    write(sv[0], "x", 1);
    CHECK(epoll_wait(ep, out, 2, 0) == 1 && out[0].data.u64 == 0x1122334455667788ULL &&
          out[0].events == EPOLLIN, "readable, data kept");
    CHECK(epoll_wait(ep, out, 2, 0) == 1, "level-triggered: again");
    ev.events = EPOLLIN | EPOLLONESHOT;
    CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, sv[1], &ev) == 0, "mod oneshot");
    CHECK(epoll_wait(ep, out, 2, 0) == 1 && epoll_wait(ep, out, 2, 0) == 0, "oneshot: once");
    CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, sv[1], &ev) == 0 && epoll_wait(ep, out, 2, 0) == 1,
          "re-armed by EPOLL_CTL_MOD");
    close(sv[0]);
    ev.events = EPOLLIN | EPOLLRDHUP;
    epoll_ctl(ep, EPOLL_CTL_MOD, sv[1], &ev);
    CHECK(epoll_wait(ep, out, 2, 0) == 1 && (out[0].events & (EPOLLRDHUP | EPOLLHUP)),
          "hang-up reported");
    CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, sv[1], NULL) == 0, "del");
    CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, sv[1], NULL) == -1 && errno == ENOENT, "ENOENT");
    close(sv[1]);
    close(ep);
    OK("level-triggered and oneshot");
}

static void event_and_timer_fds(void) {
    int e = eventfd(0, EFD_NONBLOCK);
    uint64_t v;
    CHECK(read(e, &v, 8) == -1 && errno == EAGAIN, "empty eventfd");
    v = 3;
    CHECK(write(e, &v, 8) == 8 && write(e, &v, 8) == 8, "add 3 twice");
    CHECK(read(e, &v, 8) == 8 && v == 6, "read the sum");
    close(e);
    e = eventfd(2, EFD_SEMAPHORE);
    CHECK(read(e, &v, 8) == 8 && v == 1 && read(e, &v, 8) == 8 && v == 1, "semaphore");
    pid_t pid = fork();
    if (pid == 0) {
        usleep(10000);
        uint64_t one = 1;
        write(e, &one, 8);
        _exit(0);
    }
    CHECK(read(e, &v, 8) == 8 && v == 1, "a blocking read waits for the child's write");
    waitpid(pid, NULL, 0);
    close(e);

    int t = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    struct itimerspec its = {.it_value = {0, 30 * 1000000}, .it_interval = {0, 10 * 1000000}};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK(timerfd_settime(t, 0, &its, NULL) == 0, "settime");
    struct itimerspec cur;
    CHECK(timerfd_gettime(t, &cur) == 0 && cur.it_value.tv_nsec > 0 &&
          cur.it_interval.tv_nsec == 10 * 1000000, "gettime");
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = t}, out;
    epoll_ctl(ep, EPOLL_CTL_ADD, t, &ev);
    CHECK(epoll_wait(ep, &out, 1, 5000) == 1 && out.data.fd == t, "epoll wakes at expiry");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    CHECK(ms >= 29, "not before the timer");
    CHECK(read(t, &v, 8) == 8 && v >= 1, "expirations");
    CHECK(read(t, &v, 8) == 8 && v >= 1, "a blocking read waits for the next period");
    close(ep);
    close(t);
    OK("eventfd and timerfd");
}

static void signal_fd(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    int s = signalfd(-1, &set, SFD_NONBLOCK);
    struct signalfd_siginfo si;
    CHECK(read(s, &si, sizeof si) == -1 && errno == EAGAIN, "nothing pending");
    kill(getpid(), SIGUSR1);
    CHECK(read(s, &si, sizeof si) == sizeof si && si.ssi_signo == SIGUSR1, "read SIGUSR1");
    close(s);
    OK("signalfd");
}

int main(void) {
    edge_triggered_server();
    level_and_oneshot();
    event_and_timer_fds();
    signal_fd();
    return 0;
}
