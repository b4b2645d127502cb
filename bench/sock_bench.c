/* Socket benchmark driver. `tcp N`: N one-byte round trips between a forked client and server
   over TCP on 127.0.0.1. `stream MIB` / `pipe MIB`: MIB MiB from a child to its parent through
   an AF_UNIX stream pair or a pipe, in 64 KiB writes. Exits 0 when everything arrived. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static int tcp(long n) {
    int l = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sa = {.sin_family = AF_INET};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    if (bind(l, (struct sockaddr *)&sa, sizeof sa) || listen(l, 1) ||
        getsockname(l, (struct sockaddr *)&sa, &len))
        return 1;
    pid_t pid = fork();
    if (pid == 0) {
        int c = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(c, (struct sockaddr *)&sa, sizeof sa)) _exit(1);
        setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        char b = 'x';
        for (long i = 0; i < n; i++)
            if (write(c, &b, 1) != 1 || read(c, &b, 1) != 1) _exit(2);
        _exit(0);
    }
    int a = accept(l, NULL, NULL);
    setsockopt(a, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    char b;
    for (long i = 0; i < n; i++)
        if (read(a, &b, 1) != 1 || write(a, &b, 1) != 1) return 3;
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 4;
}

static int bulk(int use_pipe, long mib) {
    int fds[2];
    if (use_pipe ? pipe(fds) : socketpair(AF_UNIX, SOCK_STREAM, 0, fds))
        return 1;
    static char buf[65536];
    long total = mib << 20;
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        memset(buf, 'z', sizeof buf);
        for (long sent = 0; sent < total; sent += sizeof buf)
            if (write(fds[1], buf, sizeof buf) != sizeof buf) _exit(1);
        _exit(0);
    }
    close(fds[1]);
    long got = 0;
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0)
        got += n;
    int st;
    waitpid(pid, &st, 0);
    return got == total && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 2;
}

int main(int argc, char **argv) {
    if (argc < 3) return 9;
    long n = atol(argv[2]);
    if (!strcmp(argv[1], "tcp")) return tcp(n);
    if (!strcmp(argv[1], "stream")) return bulk(0, n);
    if (!strcmp(argv[1], "pipe")) return bulk(1, n);
    return 9;
}
