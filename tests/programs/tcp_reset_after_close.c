/* A TCP peer that closed gets one write; its kernel answers with a reset, so the writer's
   socket is closed: poll says POLLERR|POLLHUP, SO_ERROR is EPIPE once, read sees the FIN's
   end of file and the next write fails EPIPE (tcp_reset in CLOSE_WAIT). */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *name(int e) { return e == EPIPE ? "EPIPE" : e ? strerror(e) : "0"; }

static int revents(int fd) {
    struct pollfd p = { fd, POLLIN | POLLOUT, 0 };
    poll(&p, 1, 0);
    return p.revents;
}

int main(void) {
    signal(SIGPIPE, SIG_IGN);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t al = sizeof a;
    int l = socket(AF_INET, SOCK_STREAM, 0);
    bind(l, (void *)&a, sizeof a);
    listen(l, 8);
    getsockname(l, (void *)&a, &al);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, (void *)&a, sizeof a);
    int s = accept(l, 0, 0);
    close(c);
    usleep(50000);
    printf("poll after the peer's FIN 0x%x\n", revents(s));
    printf("first write %zd\n", write(s, "x", 1));
    usleep(50000);
    printf("poll after the reset 0x%x\n", revents(s));
    int e = 0;
    socklen_t el = sizeof e;
    getsockopt(s, SOL_SOCKET, SO_ERROR, &e, &el);
    printf("SO_ERROR %s\n", name(e));
    getsockopt(s, SOL_SOCKET, SO_ERROR, &e, &el);
    printf("SO_ERROR again %d, poll 0x%x\n", e, revents(s));
    char b[4];
    printf("read %zd\n", read(s, b, sizeof b));
    errno = 0;
    ssize_t r = write(s, "y", 1);
    printf("second write %zd %s\n", r, r < 0 ? name(errno) : "");
    return 0;
}
