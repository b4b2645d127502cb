/* Signal-driven I/O beyond arriving data (kill_fasync): a unix peer's close is POLL_HUP, its
 * shutdown and a pipe writer's close POLL_IN, a pipe reader's close POLL_OUT to an O_ASYNC
 * write end, and a TCP listener hears of each new connection. F_SETSIG's signal carries the
 * reason (si_code) and si_band. (Linux may send a TCP event more than once: the first is
 * printed.) */
#define _GNU_SOURCE
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

static volatile int count;
static volatile int first_code;
static volatile long first_band;

static void on_signal(int sig, siginfo_t *info, void *ctx)
{
    (void)sig, (void)ctx;
    if (!count++) {
        first_code = info->si_code;
        first_band = info->si_band;
    }
}

static void arm(int fd)
{
    fcntl(fd, F_SETOWN, getpid());
    fcntl(fd, F_SETSIG, SIGRTMIN);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_ASYNC);
}

static void show(const char *what)
{
    usleep(100000);
    if (count)
        printf("%s: code %d band 0x%lx\n", what, first_code, first_band);
    else
        printf("%s: no signal\n", what);
    count = 0;
}

int main(void)
{
    struct sigaction sa = {0};
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGRTMIN, &sa, 0);
    int sv[2], p[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    arm(sv[0]);
    close(sv[1]);
    show("unix peer close");
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    arm(sv[0]);
    shutdown(sv[1], SHUT_WR);
    show("unix peer shutdown");
    pipe(p);
    arm(p[0]);
    close(p[1]);
    show("pipe writer close");
    pipe(p);
    arm(p[1]);
    close(p[0]);
    show("pipe reader close");
    pipe(p);
    arm(p[1]);
    write(p[1], "x", 1);
    show("own write to a pipe");

    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    int l = socket(AF_INET, SOCK_STREAM, 0);
    bind(l, (void *)&a, sizeof a);
    listen(l, 8);
    getsockname(l, (void *)&a, &al);
    arm(l);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, (void *)&a, sizeof a);
    show("tcp connection to a listener");
    int s = accept(l, 0, 0);
    arm(s);
    close(c);
    show("tcp peer close");
    return 0;
}
