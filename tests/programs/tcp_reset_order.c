/* A TCP reset is the socket's pending error (hostile36 6k): whichever of read, write or
   SO_ERROR comes first reports ECONNRESET, once (reading another option leaves it); then reads see the end and writes EPIPE;
   shutdown of the closed connection is ENOTCONN; recv(MSG_OOB) with no urgent data is
   EINVAL; TCP_MAXSEG and SO_LINGER check their values; TCP_DEFER_ACCEPT reads back the time
   of the retransmissions that cover it. Prints Linux's lines. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#define R(what, expr) do { errno = 0; long r_ = (long)(expr); \
    printf("%s %ld %s\n", what, r_, r_ < 0 ? strerrorname_np(errno) : ""); } while (0)

static int l;
static struct sockaddr_in a = {.sin_family = AF_INET};

/* a connection whose server end closes with our data unread: a reset comes back */
static int reset_connection(void)
{
    int c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, (void *)&a, sizeof a);
    int s = accept(l, 0, 0);
    write(c, "data", 4);
    usleep(20000);
    close(s);
    usleep(20000);
    return c;
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    setvbuf(stdout, 0, _IONBF, 0);
    char b[16];
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t al = sizeof a;
    l = socket(AF_INET, SOCK_STREAM, 0);
    bind(l, (void *)&a, sizeof a);
    listen(l, 8);
    getsockname(l, (void *)&a, &al);

    int c = reset_connection();
    R("write after the reset", write(c, "y", 1));
    R("read", read(c, b, sizeof b));
    R("write again", write(c, "y", 1));
    R("shutdown", shutdown(c, SHUT_RDWR));
    R("recv MSG_OOB", recv(c, b, sizeof b, MSG_OOB));
    close(c);

    c = reset_connection();
    R("read after the reset", read(c, b, sizeof b));
    R("read again", read(c, b, sizeof b));
    R("send", send(c, "y", 1, 0));
    close(c);

    c = reset_connection();
    int e = -1, t;
    socklen_t el = sizeof e, tl = sizeof t;
    getsockopt(c, SOL_SOCKET, SO_TYPE, &t, &tl);     /* another option reads no error */
    getsockopt(c, SOL_SOCKET, SO_ERROR, &e, &el);
    printf("SO_ERROR after the reset: %s\n", e ? strerrorname_np(e) : "0");
    R("read", read(c, b, sizeof b));
    close(c);

    c = reset_connection();
    struct iovec iov = {.iov_base = "v", .iov_len = 1};
    R("writev after the reset", writev(c, &iov, 1));
    close(c);

    c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, (void *)&a, sizeof a);
    int s = accept(l, 0, 0);
    R("recv MSG_OOB, nothing urgent", recv(c, b, sizeof b, MSG_OOB | MSG_DONTWAIT));
    R("recv MSG_OOB on the listener", recv(l, b, sizeof b, MSG_OOB));
    int v = -1;
    R("TCP_MAXSEG -1", setsockopt(c, IPPROTO_TCP, TCP_MAXSEG, &v, sizeof v));
    v = 87;
    R("TCP_MAXSEG 87", setsockopt(c, IPPROTO_TCP, TCP_MAXSEG, &v, sizeof v));
    v = 88;
    R("TCP_MAXSEG 88", setsockopt(c, IPPROTO_TCP, TCP_MAXSEG, &v, sizeof v));
    v = 32768;
    R("TCP_MAXSEG 32768", setsockopt(c, IPPROTO_TCP, TCP_MAXSEG, &v, sizeof v));
    v = 0;
    R("TCP_MAXSEG 0", setsockopt(c, IPPROTO_TCP, TCP_MAXSEG, &v, sizeof v));
    struct linger lg = {1, 5};
    R("SO_LINGER optlen 2", setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, 2));
    R("SO_LINGER", setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof lg));
    int secs[] = {5, 1, 0, -3, 100, 1000};
    for (int i = 0; i < 6; i++) {
        int got = -1;
        socklen_t gl = sizeof got;
        setsockopt(l, IPPROTO_TCP, TCP_DEFER_ACCEPT, &secs[i], sizeof secs[i]);
        getsockopt(l, IPPROTO_TCP, TCP_DEFER_ACCEPT, &got, &gl);
        printf("TCP_DEFER_ACCEPT %d reads %d\n", secs[i], got);
    }
    close(s);
    return 0;
}
