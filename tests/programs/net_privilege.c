/* What a socket may do without network capabilities (hostile36 1f): root's SO_REUSEPORT
   listener shares its port with root's sockets only, not with another user's; ports below
   1024 and SO_PRIORITY above 6 or SO_MARK need capabilities; SO_PEERCRED names the peer's
   real owner. Prints one line per check; root's lines first, then a child's as uid 1000. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#define R(what, expr) do { errno = 0; long r_ = (long)(expr); \
    printf("%s %ld %s\n", what, r_, r_ < 0 ? strerrorname_np(errno) : ""); } while (0)

static int tcp(int reuseport)
{
    int one = 1, s = socket(AF_INET, SOCK_STREAM, 0);
    if (reuseport)
        setsockopt(s, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    return s;
}

static struct sockaddr_in at(int port, in_addr_t ip)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(ip);
    return a;
}

int main(void)
{
    setvbuf(stdout, 0, _IONBF, 0);
    struct sockaddr_in a = at(18090, INADDR_LOOPBACK), low = at(80, INADDR_ANY);
    int rs = tcp(1), rs2 = tcp(1), seven = 7, six = 6;
    R("root reuseport bind", bind(rs, (void *)&a, sizeof a));
    listen(rs, 16);
    R("root second reuseport bind", bind(rs2, (void *)&a, sizeof a));
    R("root bind port 80", bind(tcp(0), (void *)&low, sizeof low));
    R("root SO_PRIORITY 7", setsockopt(rs, SOL_SOCKET, SO_PRIORITY, &seven, 4));
    R("root SO_MARK", setsockopt(rs, SOL_SOCKET, SO_MARK, &seven, 4));
    struct sockaddr_un un = {.sun_family = AF_UNIX, .sun_path = "\0peercred"};
    int us = socket(AF_UNIX, SOCK_STREAM, 0);
    bind(us, (void *)&un, sizeof un);
    listen(us, 4);
    pid_t child = fork();
    if (child == 0) {
        setgid(1000);
        setuid(1000);
        int s = tcp(1);
        R("user reuseport bind on root's port", bind(s, (void *)&a, sizeof a));
        struct sockaddr_in mine = at(18091, INADDR_LOOPBACK);
        R("user reuseport bind", bind(s, (void *)&mine, sizeof mine));
        R("user second reuseport bind", bind(tcp(1), (void *)&mine, sizeof mine));
        R("user bind port 80", bind(tcp(0), (void *)&low, sizeof low));
        struct sockaddr_in low_lo = at(1023, INADDR_LOOPBACK), high = at(1024, INADDR_ANY);
        R("user bind port 1023", bind(tcp(0), (void *)&low_lo, sizeof low_lo));
        R("user bind port 1024", bind(tcp(0), (void *)&high, sizeof high));
        R("user SO_PRIORITY 6", setsockopt(s, SOL_SOCKET, SO_PRIORITY, &six, 4));
        R("user SO_PRIORITY 7", setsockopt(s, SOL_SOCKET, SO_PRIORITY, &seven, 4));
        R("user SO_MARK", setsockopt(s, SOL_SOCKET, SO_MARK, &seven, 4));
        R("user packet socket", socket(AF_PACKET, SOCK_RAW, 0));
        R("user raw socket", socket(AF_INET, SOCK_RAW, IPPROTO_ICMP));
        int c = socket(AF_UNIX, SOCK_STREAM, 0);
        R("user connect", connect(c, (void *)&un, sizeof un));
        write(c, "x", 1);              /* printed: the parent may go on */
        pause();
        _exit(0);
    }
    int conn = accept(us, 0, 0);
    char x;
    read(conn, &x, 1);
    struct ucred cr;
    socklen_t len = sizeof cr;
    getsockopt(conn, SOL_SOCKET, SO_PEERCRED, &cr, &len);
    printf("root's peer: uid %u gid %u %s\n", cr.uid, cr.gid, cr.pid == child ? "pid ok" : "pid wrong");
    kill(child, 9);
    waitpid(child, 0, 0);
    return 0;
}
