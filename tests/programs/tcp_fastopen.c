/* TCP Fast Open from the client's side (debsweep7 5): sendto(MSG_FASTOPEN) on an unconnected
   socket connects and sends (wget2 and curl --tcp-fastopen do this; ENOTCONN made wget2
   spin); a non-blocking one starts the connect (EINPROGRESS) and a repeat, once writable,
   sends; a connected socket is EISCONN; sendmsg does it too; the options are accepted. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#ifndef MSG_FASTOPEN
#define MSG_FASTOPEN 0x20000000
#endif

#define R(what, expr) do { errno = 0; long r_ = (long)(expr); \
    printf("%s %ld %s\n", what, r_, r_ < 0 ? strerrorname_np(errno) : ""); } while (0)

static void got(int l, const char *what)
{
    int s = accept(l, 0, 0);
    char b[32] = {0};
    ssize_t n = recv(s, b, sizeof b - 1, 0);
    printf("%s: server got %zd '%s'\n", what, n, b);
    close(s);
}

int main(void)
{
    setvbuf(stdout, 0, _IONBF, 0);
    int l = socket(AF_INET, SOCK_STREAM, 0), one = 1, two = 2, five = 5;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    bind(l, (void *)&a, sizeof a);
    R("listener TCP_FASTOPEN 5", setsockopt(l, IPPROTO_TCP, TCP_FASTOPEN, &five, 4));
    listen(l, 8);
    getsockname(l, (void *)&a, &al);

    int c = socket(AF_INET, SOCK_STREAM, 0);
    R("sendto MSG_FASTOPEN", sendto(c, "hello", 5, MSG_FASTOPEN, (void *)&a, sizeof a));
    got(l, "blocking");
    R("again on the connected socket", sendto(c, "x", 1, MSG_FASTOPEN, (void *)&a, sizeof a));
    R("plain send after", send(c, "y", 1, 0));
    close(c);

    c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    R("non-blocking sendto MSG_FASTOPEN", sendto(c, "hi", 2, MSG_FASTOPEN, (void *)&a, sizeof a));
    struct pollfd pf = {.fd = c, .events = POLLOUT};
    R("poll writable", poll(&pf, 1, 5000));
    R("repeat MSG_FASTOPEN", sendto(c, "hi", 2, MSG_FASTOPEN, (void *)&a, sizeof a));
    got(l, "non-blocking");
    close(c);

    c = socket(AF_INET, SOCK_STREAM, 0);
    R("MSG_FASTOPEN with no address", sendto(c, "z", 1, MSG_FASTOPEN, 0, 0));
    struct iovec iov = {.iov_base = "msg", .iov_len = 3};
    struct msghdr m = {.msg_name = &a, .msg_namelen = sizeof a, .msg_iov = &iov, .msg_iovlen = 1};
    R("sendmsg MSG_FASTOPEN", sendmsg(c, &m, MSG_FASTOPEN));
    got(l, "sendmsg");
    close(c);

    c = socket(AF_INET, SOCK_STREAM, 0);
    R("TCP_FASTOPEN_CONNECT 1", setsockopt(c, IPPROTO_TCP, TCP_FASTOPEN_CONNECT, &one, 4));
    R("TCP_FASTOPEN_CONNECT 2", setsockopt(c, IPPROTO_TCP, TCP_FASTOPEN_CONNECT, &two, 4));
    R("connect", connect(c, (void *)&a, sizeof a));
    R("write", write(c, "tfoc", 4));
    got(l, "TCP_FASTOPEN_CONNECT");
    int v = -1;
    socklen_t vl = sizeof v;
    getsockopt(c, IPPROTO_TCP, TCP_FASTOPEN_CONNECT, &v, &vl);
    printf("TCP_FASTOPEN_CONNECT reads %d\n", v);
    int minus = -1;
    R("connected TCP_FASTOPEN 5", setsockopt(c, IPPROTO_TCP, TCP_FASTOPEN, &five, 4));
    R("listener TCP_FASTOPEN -1", setsockopt(l, IPPROTO_TCP, TCP_FASTOPEN, &minus, 4));

    int u = socket(AF_INET, SOCK_DGRAM, 0);
    R("udp sendto MSG_FASTOPEN", sendto(u, "d", 1, MSG_FASTOPEN, (void *)&a, sizeof a));
    return 0;
}
