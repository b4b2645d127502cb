/* UDP on the machine's loopback: a request/response server in a child, connected and
   unconnected sockets, ECONNREFUSED on a connected socket, datagram boundaries, recvmsg
   with the source address; on i386, the same through socketcall(2). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sock_check.h"

static struct sockaddr_in loopback(int port) {
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return sa;
}

static void request_response(void) {
    int srv = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in sa = loopback(5353);
    CHECK(bind(srv, (struct sockaddr *)&sa, sizeof sa) == 0, "bind");
    pid_t pid = fork();
    if (pid == 0) {           /* answer three requests, upper-cased, to whoever asked */
        for (int i = 0; i < 3; i++) {
            char buf[64];
            struct sockaddr_in from;
            socklen_t flen = sizeof from;
            ssize_t n = recvfrom(srv, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen);
            if (n < 0) _exit(1);
            for (ssize_t j = 0; j < n; j++) buf[j] &= ~0x20;
            if (sendto(srv, buf, n, 0, (struct sockaddr *)&from, flen) != n) _exit(2);
        }
        _exit(0);
    }
    close(srv);
    int c = socket(AF_INET, SOCK_DGRAM, 0);
    char buf[64];
    CHECK(sendto(c, "query", 5, 0, (struct sockaddr *)&sa, sizeof sa) == 5, "sendto");
    struct sockaddr_in from;
    socklen_t flen = sizeof from;
    CHECK(recvfrom(c, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen) == 5 &&
          !memcmp(buf, "QUERY", 5), "response");
    CHECK(from.sin_port == htons(5353) && from.sin_addr.s_addr == htonl(INADDR_LOOPBACK),
          "from the server's address");
    CHECK(connect(c, (struct sockaddr *)&sa, sizeof sa) == 0, "connect");
    CHECK(send(c, "ab", 2, 0) == 2 && send(c, "cd", 2, 0) == 2, "two datagrams");
    CHECK(recv(c, buf, sizeof buf, 0) == 2 && !memcmp(buf, "AB", 2), "first");
    struct iovec iov = {buf, sizeof buf};
    struct msghdr m = {.msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov,
                       .msg_iovlen = 1};
    CHECK(recvmsg(c, &m, 0) == 2 && !memcmp(buf, "CD", 2) && m.msg_namelen == sizeof from,
          "recvmsg names the source");
    int st;
    CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0, "server");
    CHECK(send(c, "x", 1, 0) == 1, "send to nobody goes out");
    CHECK(recv(c, buf, sizeof buf, 0) == -1 && errno == ECONNREFUSED,
          "then the connected socket hears ECONNREFUSED");
    struct timeval tv = {0, 50000};
    CHECK(setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0, "SO_RCVTIMEO");
    CHECK(recv(c, buf, sizeof buf, 0) == -1 && errno == EAGAIN, "a receive timeout: EAGAIN");
    close(c);
    OK("UDP request/response");
}

static void socketcall_i386(void) {
#ifdef __i386__
    /* net/socket.c's multiplexer: SYS_SOCKETPAIR 8, SYS_SEND 9, SYS_RECV 10 */
    int sv[2];
    long a[4] = {AF_UNIX, SOCK_DGRAM, 0, (long)sv};
    CHECK(syscall(SYS_socketcall, 8, a) == 0, "socketcall(SOCKETPAIR)");
    long s[4] = {sv[0], (long)"via socketcall", 14, 0};
    CHECK(syscall(SYS_socketcall, 9, s) == 14, "socketcall(SEND)");
    char buf[32];
    long r[4] = {sv[1], (long)buf, sizeof buf, 0};
    CHECK(syscall(SYS_socketcall, 10, r) == 14 && !memcmp(buf, "via socketcall", 14),
          "socketcall(RECV)");
    long bad[4] = {-1, (long)buf, 1, 0};
    CHECK(syscall(SYS_socketcall, 10, bad) == -1 && errno == EBADF, "a signed descriptor");
    CHECK(syscall(SYS_socketcall, 99, bad) == -1 && errno == EINVAL, "unknown call");
    close(sv[0]);
    close(sv[1]);
    OK("socketcall");
#endif
}

int main(void) {
    request_response();
    socketcall_i386();
    return 0;
}
