/* TCP on loopback as Linux answers: a non-blocking connect is EINPROGRESS (then writable,
 * SO_ERROR 0, EISCONN again); SO_LINGER {1, 0} makes close a reset (the peer reads the data
 * sent before it, then ECONNRESET, and getpeername is ENOTCONN at once); a send to a peer
 * that closed goes out (the peer answers with a reset), the next one is EPIPE. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int listener(struct sockaddr_in *addr) {
    int l = socket(AF_INET, SOCK_STREAM, 0);
    socklen_t len = sizeof *addr;
    memset(addr, 0, sizeof *addr);
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(l, (struct sockaddr *)addr, sizeof *addr);
    listen(l, 4);
    getsockname(l, (struct sockaddr *)addr, &len);
    return l;
}

static const char *err(long r) {
    if (r >= 0)
        return "ok";
    switch (errno) {     /* by name: the C libraries' texts differ */
    case EINPROGRESS: return "EINPROGRESS";
    case ENOTCONN: return "ENOTCONN";
    case ECONNRESET: return "ECONNRESET";
    case EPIPE: return "EPIPE";
    case EISCONN: return "EISCONN";
    default: return strerror(errno);
    }
}

int main(void) {
    struct sockaddr_in addr;
    int l = listener(&addr);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    fcntl(c, F_SETFL, O_NONBLOCK);
    int r = connect(c, (struct sockaddr *)&addr, sizeof addr);
    printf("nonblocking connect: %s\n", err(r));
    struct pollfd pfd = {c, POLLOUT, 0};
    poll(&pfd, 1, 5000);
    int so_error = -1;
    socklen_t len = sizeof so_error;
    getsockopt(c, SOL_SOCKET, SO_ERROR, &so_error, &len);
    printf("writable %d so_error %d\n", !!(pfd.revents & POLLOUT), so_error);
    r = connect(c, (struct sockaddr *)&addr, sizeof addr);
    printf("connect again: %s\n", err(r));
    int s = accept(l, NULL, NULL);
    fcntl(c, F_SETFL, 0);

    struct linger abort_close = {1, 0};
    setsockopt(c, SOL_SOCKET, SO_LINGER, &abort_close, sizeof abort_close);
    send(c, "DATA", 4, 0);
    close(c);
    usleep(100000);
    struct sockaddr_in peer;
    len = sizeof peer;
    r = getpeername(s, (struct sockaddr *)&peer, &len);
    printf("getpeername after reset: %s\n", err(r));
    char buf[16];
    long n = recv(s, buf, sizeof buf, 0);
    printf("recv: %ld %.*s\n", n, n > 0 ? (int)n : 0, buf);
    n = recv(s, buf, sizeof buf, 0);
    printf("recv: %s\n", err(n));
    n = recv(s, buf, sizeof buf, 0);
    printf("recv: %ld\n", n);
    close(s);

    c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, (struct sockaddr *)&addr, sizeof addr);
    s = accept(l, NULL, NULL);
    close(c);
    usleep(100000);
    n = recv(s, buf, sizeof buf, 0);
    printf("after the peer's close: recv %ld\n", n);
    n = send(s, "", 0, MSG_NOSIGNAL);
    printf("send nothing: %ld\n", n);
    n = send(s, "x", 1, MSG_NOSIGNAL);
    printf("send x: %ld\n", n);
    usleep(100000);
    n = send(s, "y", 1, MSG_NOSIGNAL);
    printf("send y: %s\n", err(n));

    /* a large send into a closed peer: what the send buffer takes, and then EPIPE */
    c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, (struct sockaddr *)&addr, sizeof addr);
    s = accept(l, NULL, NULL);
    close(c);
    usleep(100000);
    static char big[262145];
    n = send(s, big, sizeof big, MSG_NOSIGNAL | MSG_DONTWAIT);
    printf("large send: %d\n", n > 0);
    n = send(s, big, sizeof big, MSG_NOSIGNAL | MSG_DONTWAIT);
    printf("then: %s\n", err(n));
    return 0;
}
