/* AF_UNIX: socketpair stream/dgram/seqpacket, poll readiness, bind/listen/accept on a path
   and an abstract name, SCM_RIGHTS passing a pipe, SCM_CREDENTIALS, EPIPE, ECONNREFUSED. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sock_check.h"

static void pair_stream(void) {
    int sv[2];
    char buf[64];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
    struct pollfd pf = {sv[1], POLLIN | POLLOUT, 0};
    CHECK(poll(&pf, 1, 0) == 1 && pf.revents == POLLOUT, "fresh pair: writable only");
    CHECK(write(sv[0], "hello", 5) == 5, "write");
    CHECK(poll(&pf, 1, 0) == 1 && pf.revents == (POLLIN | POLLOUT), "readable after write");
    CHECK(recv(sv[1], buf, sizeof buf, MSG_PEEK) == 5, "peek");
    CHECK(read(sv[1], buf, 3) == 3 && !memcmp(buf, "hel", 3), "partial read");
    CHECK(read(sv[1], buf, sizeof buf) == 2 && !memcmp(buf, "lo", 2), "rest");
    pid_t pid = fork();
    if (pid == 0) {           /* child: echo upper-cased until EOF */
        close(sv[0]);
        ssize_t n;
        while ((n = read(sv[1], buf, sizeof buf)) > 0) {
            for (ssize_t i = 0; i < n; i++) buf[i] -= 32;
            write(sv[1], buf, n);
        }
        _exit(n == 0 ? 0 : 1);
    }
    close(sv[1]);
    CHECK(write(sv[0], "ping", 4) == 4, "write to child");
    CHECK(read(sv[0], buf, 4) == 4 && !memcmp(buf, "PING", 4), "child echoed (blocking read)");
    CHECK(shutdown(sv[0], SHUT_WR) == 0, "shutdown");
    int st;
    CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0, "child saw EOF");
    pf.fd = sv[0];
    pf.events = POLLIN;
    CHECK(poll(&pf, 1, 1000) == 1 && (pf.revents & POLLHUP), "POLLHUP once both are shut");
    CHECK(read(sv[0], buf, 4) == 0, "EOF after peer closed");
    signal(SIGPIPE, SIG_IGN);
    CHECK(write(sv[0], "x", 1) == -1 && errno == EPIPE, "EPIPE");
    close(sv[0]);
    OK("stream socketpair");
}

static void pair_records(int type, const char *name) {
    int sv[2];
    char buf[64];
    CHECK(socketpair(AF_UNIX, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) == 0, "socketpair");
    CHECK(fcntl(sv[0], F_GETFD) == FD_CLOEXEC, "SOCK_CLOEXEC");
    CHECK(fcntl(sv[0], F_GETFL) & O_NONBLOCK, "SOCK_NONBLOCK");
    CHECK(recv(sv[1], buf, sizeof buf, 0) == -1 && errno == EAGAIN, "EAGAIN when empty");
    CHECK(send(sv[0], "one", 3, 0) == 3 && send(sv[0], "three", 5, 0) == 5, "send two");
    CHECK(send(sv[0], "", 0, 0) == 0, "send empty");
    CHECK(recv(sv[1], buf, sizeof buf, 0) == 3, "first record whole");
    CHECK(recv(sv[1], buf, 2, 0) == 2, "second record cut");
    CHECK(recv(sv[1], buf, sizeof buf, 0) == 0, "empty record");
    CHECK(recv(sv[1], buf, sizeof buf, 0) == -1 && errno == EAGAIN, "rest of cut record gone");
    int sent = 0;
    while (send(sv[0], buf, 64, 0) == 64) sent++;
    CHECK(errno == EAGAIN && sent > 0, "full queue: EAGAIN");
    close(sv[0]);
    close(sv[1]);
    printf("ok %s boundaries\n", name);
}

static void listen_connect(const char *path, int abstract) {
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    socklen_t len;
    if (abstract) {
        memcpy(sa.sun_path + 1, path, strlen(path));
        len = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(path);
    } else {
        strcpy(sa.sun_path, path);
        len = sizeof sa;
        unlink(path);
    }
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(l >= 0, "socket");
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(connect(c, (struct sockaddr *)&sa, len) == -1 &&
          errno == (abstract ? ECONNREFUSED : ENOENT), "connect before bind");
    CHECK(bind(l, (struct sockaddr *)&sa, len) == 0, "bind");
    if (!abstract) {
        struct stat st;
        CHECK(stat(path, &st) == 0 && S_ISSOCK(st.st_mode), "a socket inode at the path");
    }
    int l2 = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(bind(l2, (struct sockaddr *)&sa, len) == -1 && errno == EADDRINUSE, "EADDRINUSE");
    close(l2);
    CHECK(connect(c, (struct sockaddr *)&sa, len) == -1 && errno == ECONNREFUSED,
          "connect before listen");
    CHECK(listen(l, 4) == 0, "listen");
    struct pollfd pf = {l, POLLIN, 0};
    CHECK(poll(&pf, 1, 0) == 0, "listener not readable yet");
    CHECK(connect(c, (struct sockaddr *)&sa, len) == 0, "connect");
    CHECK(poll(&pf, 1, 0) == 1 && pf.revents == POLLIN, "listener readable");
    struct sockaddr_un peer;
    socklen_t plen = sizeof peer;
    int a = accept(l, (struct sockaddr *)&peer, &plen);
    CHECK(a >= 0, "accept");
    CHECK(plen == offsetof(struct sockaddr_un, sun_path), "client is unnamed");
    plen = sizeof peer;
    socklen_t named = abstract ? len : offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
    CHECK(getpeername(c, (struct sockaddr *)&peer, &plen) == 0 && plen == named &&
          !memcmp(peer.sun_path, sa.sun_path, named - offsetof(struct sockaddr_un, sun_path)),
          "getpeername names the listener");
    struct ucred cr;
    socklen_t clen = sizeof cr;
    CHECK(getsockopt(a, SOL_SOCKET, SO_PEERCRED, &cr, &clen) == 0 && cr.pid == getpid(),
          "SO_PEERCRED");
    CHECK(write(c, "abc", 3) == 3, "write");
    char buf[8];
    CHECK(read(a, buf, 8) == 3, "read on accepted");
    close(a);
    close(c);
    close(l);
    if (!abstract)
        CHECK(unlink(path) == 0, "unlink the socket inode");
    printf("ok listen/connect %s\n", abstract ? "abstract" : "path");
}

static void pass_pipe(void) {
    int sv[2], pp[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
    CHECK(pipe(pp) == 0, "pipe");
    pid_t pid = fork();
    if (pid == 0) {       /* child: receive a descriptor, write through it */
        close(sv[0]);
        char byte;
        char ctl[CMSG_SPACE(sizeof(int))];
        struct iovec iov = {&byte, 1};
        struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
                           .msg_controllen = sizeof ctl};
        if (recvmsg(sv[1], &m, MSG_CMSG_CLOEXEC) != 1) _exit(2);
        struct cmsghdr *c = CMSG_FIRSTHDR(&m);
        if (!c || c->cmsg_type != SCM_RIGHTS) _exit(3);
        int fd;
        memcpy(&fd, CMSG_DATA(c), sizeof fd);
        if (fcntl(fd, F_GETFD) != FD_CLOEXEC) _exit(4);
        write(fd, "via SCM_RIGHTS", 14);
        _exit(0);
    }
    close(sv[1]);
    char byte = 'x';
    char ctl[CMSG_SPACE(sizeof(int))];
    memset(ctl, 0, sizeof ctl);
    struct iovec iov = {&byte, 1};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
                       .msg_controllen = sizeof ctl};
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &pp[1], sizeof(int));
    CHECK(sendmsg(sv[0], &m, 0) == 1, "sendmsg SCM_RIGHTS");
    close(pp[1]);
    char buf[32] = {0};
    int st;
    CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st), "child");
    CHECK(WEXITSTATUS(st) == 0, "child got the descriptor");
    CHECK(read(pp[0], buf, sizeof buf) == 14, "read the pipe");
    CHECK(read(pp[0], buf, sizeof buf) == 0, "the passed end closed with the child");
    printf("ok %s\n", buf);
}

static void credentials(void) {
    int sv[2], on = 1;
    CHECK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0, "socketpair");
    CHECK(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on) == 0, "SO_PASSCRED");
    CHECK(send(sv[0], "c", 1, 0) == 1, "send");
    char byte, ctl[CMSG_SPACE(sizeof(struct ucred))];
    struct iovec iov = {&byte, 1};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
                       .msg_controllen = sizeof ctl};
    CHECK(recvmsg(sv[1], &m, 0) == 1, "recvmsg");
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    CHECK(c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS, "creds cmsg");
    struct ucred cr;
    memcpy(&cr, CMSG_DATA(c), sizeof cr);
    CHECK(cr.pid == getpid() && cr.uid == 0, "ucred of the sender");
    OK("SCM_CREDENTIALS");
}

static void dgram_path(void) {
    const char *path = "/tmp/dgram.sock";
    unlink(path);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    strcpy(sa.sun_path, path);
    int r = socket(AF_UNIX, SOCK_DGRAM, 0), s = socket(AF_UNIX, SOCK_DGRAM, 0);
    CHECK(sendto(s, "x", 1, 0, (struct sockaddr *)&sa, sizeof sa) == -1 && errno == ENOENT,
          "sendto a missing path");
    CHECK(bind(r, (struct sockaddr *)&sa, sizeof sa) == 0, "bind dgram");
    CHECK(sendto(s, "datagram", 8, 0, (struct sockaddr *)&sa, sizeof sa) == 8, "sendto");
    char buf[16];
    struct sockaddr_un from;
    socklen_t flen = sizeof from;
    CHECK(recvfrom(r, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen) == 8, "recvfrom");
    close(r);
    CHECK(sendto(s, "x", 1, 0, (struct sockaddr *)&sa, sizeof sa) == -1 &&
          errno == ECONNREFUSED, "nobody bound: ECONNREFUSED");
    close(s);
    unlink(path);
    OK("dgram on a path");
}

int main(void) {
    pair_stream();
    pair_records(SOCK_DGRAM, "dgram");
    pair_records(SOCK_SEQPACKET, "seqpacket");
    mkdir("/tmp", 0777);
    listen_connect("/tmp/s.sock", 0);
    listen_connect("sysvec-test", 1);
    pass_pipe();
    credentials();
    dgram_path();
    return 0;
}
