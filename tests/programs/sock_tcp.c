/* AF_INET/AF_INET6 TCP on the machine's loopback: a pre-forking echo server with N clients,
   ECONNREFUSED, EADDRINUSE, ephemeral ports, half-close, reset on close with unread data,
   EPIPE, non-blocking accept, names and options. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/select.h>
#include <time.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sock_check.h"

#define WORKERS 3
#define CLIENTS 8

static struct sockaddr_in loopback(int port) {
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return sa;
}

static int listener(int port, int backlog) {
    int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), on = 1;
    CHECK(l >= 0, "socket");
    CHECK(setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) == 0, "SO_REUSEADDR");
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
    CHECK(bind(l, (struct sockaddr *)&sa, sizeof sa) == 0, "bind");
    CHECK(listen(l, backlog) == 0, "listen");
    return l;
}

static void echo_server(void) {
    int l = listener(7000, 16);
    pid_t workers[WORKERS];
    for (int w = 0; w < WORKERS; w++) {
        if ((workers[w] = fork()) == 0) {          /* pre-forked: all accept on l */
            for (;;) {
                int c = accept(l, NULL, NULL);
                if (c < 0) _exit(1);
                char buf[256];
                ssize_t n;
                while ((n = read(c, buf, sizeof buf)) > 0)
                    if (write(c, buf, n) != n) _exit(2);
                close(c);
            }
        }
    }
    close(l);
    pid_t clients[CLIENTS];
    for (int i = 0; i < CLIENTS; i++) {
        if ((clients[i] = fork()) == 0) {
            int s = socket(AF_INET, SOCK_STREAM, 0);
            struct sockaddr_in sa = loopback(7000);
            if (connect(s, (struct sockaddr *)&sa, sizeof sa) != 0) _exit(3);
            char msg[64], back[64];
            int len = snprintf(msg, sizeof msg, "client %d says hello", i);
            for (int round = 0; round < 20; round++) {
                if (write(s, msg, len) != len) _exit(4);
                int got = 0;
                while (got < len) {
                    ssize_t n = read(s, back + got, len - got);
                    if (n <= 0) _exit(5);
                    got += n;
                }
                if (memcmp(msg, back, len)) _exit(6);
            }
            _exit(0);
        }
    }
    int good = 0, st;
    for (int i = 0; i < CLIENTS; i++)
        if (waitpid(clients[i], &st, 0) == clients[i] && WIFEXITED(st) && WEXITSTATUS(st) == 0)
            good++;
    for (int w = 0; w < WORKERS; w++) {
        kill(workers[w], SIGTERM);
        waitpid(workers[w], &st, 0);
    }
    CHECK(good == CLIENTS, "every client echoed");
    printf("ok pre-forked echo server, %d workers, %d clients\n", WORKERS, CLIENTS);
}

static void refused_and_in_use(void) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = loopback(7999);
    CHECK(connect(s, (struct sockaddr *)&sa, sizeof sa) == -1 && errno == ECONNREFUSED,
          "connect to a closed port: ECONNREFUSED");
    close(s);
    int l = listener(7001, 1);
    int l2 = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in any = {.sin_family = AF_INET, .sin_port = htons(7001)};
    CHECK(bind(l2, (struct sockaddr *)&any, sizeof any) == -1 && errno == EADDRINUSE,
          "EADDRINUSE");
    struct sockaddr_in far = {.sin_family = AF_INET, .sin_port = htons(80)};
    far.sin_addr.s_addr = inet_addr("192.0.2.1");
    CHECK(connect(l2, (struct sockaddr *)&far, sizeof far) == -1 && errno == ENETUNREACH,
          "off the machine: ENETUNREACH");
    CHECK(bind(l2, (struct sockaddr *)&far, sizeof far) == -1 && errno == EADDRNOTAVAIL,
          "bind to a foreign address: EADDRNOTAVAIL");
    close(l2);
    close(l);
    OK("ECONNREFUSED, EADDRINUSE, ENETUNREACH");
}

static void conversation(void) {
    int l = listener(0, 4);
    struct sockaddr_in la;
    socklen_t len = sizeof la;
    CHECK(getsockname(l, (struct sockaddr *)&la, &len) == 0 && ntohs(la.sin_port) >= 32768,
          "bind to port 0 gives an ephemeral port");
    int c = socket(AF_INET, SOCK_STREAM, 0);
    la.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(connect(c, (struct sockaddr *)&la, sizeof la) == 0, "connect");
    struct sockaddr_in peer, me;
    len = sizeof peer;
    int a = accept4(l, (struct sockaddr *)&peer, &len, SOCK_NONBLOCK);
    CHECK(a >= 0, "accept4");
    len = sizeof me;
    CHECK(getsockname(c, (struct sockaddr *)&me, &len) == 0 && me.sin_port == peer.sin_port &&
          me.sin_addr.s_addr == htonl(INADDR_LOOPBACK), "accept names the client's address");
    int one = 1, v;
    socklen_t vl = sizeof v;
    CHECK(setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) == 0, "TCP_NODELAY");
    CHECK(getsockopt(c, IPPROTO_TCP, TCP_NODELAY, &v, &vl) == 0 && v == 1, "read back");
    CHECK(getsockopt(c, SOL_SOCKET, SO_TYPE, &v, &vl) == 0 && v == SOCK_STREAM, "SO_TYPE");
    CHECK(getsockopt(c, SOL_SOCKET, SO_ERROR, &v, &vl) == 0 && v == 0, "SO_ERROR");
    char buf[16];
    CHECK(read(a, buf, sizeof buf) == -1 && errno == EAGAIN, "non-blocking accepted socket");
    CHECK(write(c, "half", 4) == 4 && shutdown(c, SHUT_WR) == 0, "half-close");
    CHECK(read(a, buf, sizeof buf) == 4 && read(a, buf, sizeof buf) == 0, "data then EOF");
    CHECK(write(a, "still open", 10) == 10, "the other half still works");
    CHECK(read(c, buf, sizeof buf) == 10, "read after half-close");
    close(a);
    CHECK(read(c, buf, sizeof buf) == 0, "EOF");
    CHECK(write(c, "x", 1) == -1 && errno == EPIPE, "EPIPE after both halves closed");
    close(c);

    c = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(connect(c, (struct sockaddr *)&la, sizeof la) == 0, "connect again");
    a = accept(l, NULL, NULL);
    CHECK(write(c, "unread", 6) == 6, "write");
    close(a);                       /* closed with data unread: the peer is reset */
    CHECK(read(c, buf, sizeof buf) == -1 && errno == ECONNRESET, "ECONNRESET");
    close(c);
    close(l);
    OK("half-close, reset, options, names");
}

static void ipv6(void) {
    int l = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 sa = {.sin6_family = AF_INET6, .sin6_port = htons(7002)};
    sa.sin6_addr = in6addr_any;
    CHECK(bind(l, (struct sockaddr *)&sa, sizeof sa) == 0 && listen(l, 4) == 0, "listen on ::");
    int c6 = socket(AF_INET6, SOCK_STREAM, 0);
    sa.sin6_addr = in6addr_loopback;
    CHECK(connect(c6, (struct sockaddr *)&sa, sizeof sa) == 0, "connect to ::1");
    int c4 = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa4 = loopback(7002);
    CHECK(connect(c4, (struct sockaddr *)&sa4, sizeof sa4) == 0, "IPv4 reaches a :: listener");
    struct sockaddr_in6 peer;
    socklen_t len = sizeof peer;
    int a6 = accept(l, (struct sockaddr *)&peer, &len);
    CHECK(a6 >= 0 && IN6_IS_ADDR_LOOPBACK(&peer.sin6_addr), "peer ::1");
    len = sizeof peer;
    int a4 = accept(l, (struct sockaddr *)&peer, &len);
    CHECK(a4 >= 0 && IN6_IS_ADDR_V4MAPPED(&peer.sin6_addr), "peer ::ffff:127.0.0.1");
    char buf[4];
    CHECK(write(c4, "v4", 2) == 2 && read(a4, buf, 4) == 2, "data over the mapped connection");
    close(a6); close(a4); close(c6); close(c4); close(l);
    OK("IPv6 loopback and dual stack");
}

static void nonblocking_accept_poll(void) {
    int l = listener(7003, 4);
    fcntl(l, F_SETFL, O_NONBLOCK);
    CHECK(accept(l, NULL, NULL) == -1 && errno == EAGAIN, "EAGAIN with no connection");
    if (fork() == 0) {
        usleep(20000);
        int c = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in sa = loopback(7003);
        connect(c, (struct sockaddr *)&sa, sizeof sa);
        write(c, "late", 4);
        _exit(0);
    }
    struct pollfd pf = {l, POLLIN, 0};
    CHECK(poll(&pf, 1, 5000) == 1 && pf.revents == POLLIN, "poll wakes on a connection");
    int a = accept(l, NULL, NULL);
    CHECK(a >= 0, "accept");
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(a, &rd);
    struct timeval tv = {5, 0};
    CHECK(select(a + 1, &rd, NULL, NULL, &tv) == 1, "select sees the data");
    char buf[8];
    CHECK(read(a, buf, 8) == 4, "read");
    wait(NULL);
    close(a);
    close(l);
    OK("non-blocking accept, poll and select");
}

static void peer_dies(void) {
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
    pid_t pid = fork();
    if (pid == 0) {                 /* writes until killed */
        char buf[4096] = {0};
        for (;;) write(sv[1], buf, sizeof buf);
    }
    close(sv[1]);
    char buf[4096];
    CHECK(read(sv[0], buf, sizeof buf) > 0, "data flows");
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    long n, total = 0;
    while ((n = read(sv[0], buf, sizeof buf)) > 0) total += n;
    CHECK(n == 0, "what was sent, then EOF when the writer died");
    close(sv[0]);

    int l = listener(7004, 1);
    pid = fork();
    if (pid == 0) {                 /* a reader that dies with data unread */
        int a = accept(l, NULL, NULL);
        char b;
        read(a, &b, 1);
        pause();
    }
    int c = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = loopback(7004);
    CHECK(connect(c, (struct sockaddr *)&sa, sizeof sa) == 0, "connect");
    CHECK(write(c, "12345", 5) == 5, "write");
    usleep(20000);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    errno = 0;
    while (write(c, buf, sizeof buf) > 0) ;
    CHECK(errno == EPIPE || errno == ECONNRESET, "the writer hears of the dead reader");
    close(c);
    close(l);

    if ((pid = fork()) == 0) {      /* SIGPIPE's default action ends a writer */
        signal(SIGPIPE, SIG_DFL);
        int p[2];
        socketpair(AF_UNIX, SOCK_STREAM, 0, p);
        close(p[1]);
        write(p[0], "x", 1);
        _exit(0);
    }
    int st;
    CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE, "SIGPIPE");
    OK("a peer that dies: EOF, EPIPE/ECONNRESET, SIGPIPE");
}

static void ppoll_pselect(void) {
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    struct pollfd pf = {sv[0], POLLIN, 0};
    struct timespec ts = {0, 20 * 1000000};
    sigset_t mask;
    sigemptyset(&mask);
    CHECK(ppoll(&pf, 1, &ts, &mask) == 0, "ppoll times out");
    write(sv[1], "y", 1);
    CHECK(ppoll(&pf, 1, NULL, NULL) == 1 && pf.revents == POLLIN, "ppoll sees data");
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(sv[0], &rd);
    CHECK(pselect(sv[0] + 1, &rd, NULL, NULL, &ts, &mask) == 1 && FD_ISSET(sv[0], &rd), "pselect");
    close(sv[0]);
    close(sv[1]);
    OK("ppoll and pselect");
}

int main(void) {
    signal(SIGPIPE, SIG_IGN);
    echo_server();
    refused_and_in_use();
    conversation();
    ipv6();
    nonblocking_accept_poll();
    peer_dies();
    ppoll_pselect();
    return 0;
}
