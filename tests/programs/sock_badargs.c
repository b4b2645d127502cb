/* Bad arguments to socket calls get Linux's errors, never a crash: bad pointers, lengths,
   families, descriptors, option levels and control messages. */
#define _GNU_SOURCE
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>
#include "sock_check.h"

static void *volatile bad_pointer = (void *)16;   /* volatile: no compile-time warnings */
#define BAD bad_pointer
#define FAILS(call, err, what) CHECK((call) == -1 && errno == (err), what)

int main(void) {
    int s = socket(AF_INET, SOCK_STREAM, 0), u = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(1)};
    FAILS(socket(12345, SOCK_STREAM, 0), EAFNOSUPPORT, "unknown family");
    FAILS(socket(AF_INET, 77, 0), EINVAL, "a type past SOCK_MAX");
    FAILS(socket(AF_INET, SOCK_RDM, 0), ESOCKTNOSUPPORT, "a type inet lacks");
    FAILS(socket(AF_INET, SOCK_STREAM | 0x100000, 0), EINVAL, "unknown type flags");
    FAILS(socket(AF_UNIX, SOCK_STREAM, 9), EPROTONOSUPPORT, "unix protocol");
    FAILS(socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), EACCES, "a ping socket, no group may");
    FAILS(socket(AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6), EACCES, "an IPv6 ping socket");
    FAILS(socketpair(AF_INET, SOCK_STREAM, 0, BAD), EOPNOTSUPP, "inet socketpair");
    int sv[2];
    FAILS(socketpair(AF_UNIX, SOCK_STREAM, 0, BAD), EFAULT, "socketpair to a bad pointer");
    FAILS(bind(s, BAD, sizeof sa), EFAULT, "bind: bad address pointer");
    FAILS(bind(s, (struct sockaddr *)&sa, 1), EINVAL, "bind: short length");
    FAILS(bind(s, (struct sockaddr *)&sa, 4096), EINVAL, "bind: huge length");
    FAILS(bind(s, (struct sockaddr *)&sa, -1), EINVAL, "bind: negative length");
    FAILS(connect(u, (struct sockaddr *)&sa, sizeof sa), EINVAL, "unix connect to an inet address");
    FAILS(connect(0, (struct sockaddr *)&sa, sizeof sa), ENOTSOCK, "not a socket");
    FAILS(connect(999, (struct sockaddr *)&sa, sizeof sa), EBADF, "not a descriptor");
    FAILS(listen(u, 1), EOPNOTSUPP, "listen on a datagram socket");
    FAILS(accept(s, NULL, NULL), EINVAL, "accept on a socket that does not listen");
    FAILS(send(s, "x", 1, 0), ENOTCONN, "send before connect");
    char buf[8];
    FAILS(recv(s, buf, 8, 0), ENOTCONN, "recv before connect");
    FAILS(recv(u, BAD, 8, MSG_DONTWAIT), EFAULT, "recv into a bad buffer");
    socklen_t len = sizeof sa;
    FAILS(getpeername(s, (struct sockaddr *)&sa, &len), ENOTCONN, "getpeername unconnected");
    FAILS(getsockname(s, BAD, &len), EFAULT, "getsockname to a bad pointer");
    len = -1;
    FAILS(getsockname(s, (struct sockaddr *)&sa, &len), EINVAL, "negative length");
    int v = 1;
    FAILS(setsockopt(s, 999, 1, &v, sizeof v), ENOPROTOOPT, "unknown level");
    FAILS(setsockopt(s, SOL_SOCKET, 9999, &v, sizeof v), ENOPROTOOPT, "unknown option");
    FAILS(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, BAD, sizeof v), EFAULT, "bad option pointer");
    FAILS(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, 1), EINVAL, "short option");
    len = sizeof v;
    FAILS(getsockopt(s, SOL_SOCKET, SO_TYPE, &v, BAD), EFAULT, "bad optlen pointer");
    FAILS(shutdown(s, 7), EINVAL, "bad shutdown how");
    FAILS(shutdown(s, SHUT_RDWR), ENOTCONN, "shutdown unconnected");
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
    /* raw calls: libc wrappers may copy the msghdr themselves first */
    FAILS(syscall(SYS_sendmsg, sv[0], BAD, 0), EFAULT, "sendmsg: bad msghdr");
    FAILS(syscall(SYS_recvmsg, sv[1], BAD, MSG_DONTWAIT), EFAULT, "recvmsg: bad msghdr");
    struct iovec iov = {"x", 1};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 5000};
    FAILS(sendmsg(sv[0], &m, 0), EINVAL, "sendmsg: too many iovecs");
    char ctl[CMSG_SPACE(sizeof(int))] = {0};
    m.msg_iovlen = 1;
    m.msg_control = ctl;
    m.msg_controllen = sizeof ctl;
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    int bad = 4242;
    memcpy(CMSG_DATA(c), &bad, sizeof bad);
    FAILS(sendmsg(sv[0], &m, 0), EBADF, "SCM_RIGHTS of a closed descriptor");
    c->cmsg_len = 4000;
    FAILS(sendmsg(sv[0], &m, 0), EINVAL, "a control message longer than the buffer");
    c->cmsg_type = 77;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    FAILS(sendmsg(sv[0], &m, 0), EINVAL, "unknown control message");
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN};
    FAILS(epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], BAD), EFAULT, "epoll_ctl: bad event");
    FAILS(epoll_ctl(ep, 99, sv[0], &ev), EINVAL, "epoll_ctl: bad op");
    FAILS(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev), EINVAL, "epoll on itself");
    FAILS(epoll_ctl(sv[0], EPOLL_CTL_ADD, sv[1], &ev), EINVAL, "not an epoll descriptor");
    FAILS(epoll_wait(ep, BAD, 4, 0), EFAULT, "epoll_wait: bad buffer");
    FAILS(epoll_wait(ep, &ev, 0, 0), EINVAL, "epoll_wait: no room");
#ifdef __i386__
    FAILS(syscall(SYS_socketcall, 1, BAD), EFAULT, "socketcall: bad argument block");
#endif
    OK("bad arguments");
    return 0;
}
