/* ICMP echo ("ping") sockets, as iputils' ping opens them: socket(AF_INET, SOCK_DGRAM,
 * IPPROTO_ICMP) and the ICMPv6 twin. A send is one echo request (the kernel writes the
 * socket's identifier into it), the machine answers, and the reply comes back without IP
 * header from the address pinged, its checksum right; only echo requests go out (EINVAL),
 * and net.ipv4.ping_group_range says who may open one (EACCES outside it). Every ping
 * socket had been EACCES, so ping could not reach 127.0.0.1. One line a check. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static unsigned sum16(const unsigned char *p, size_t n, unsigned total)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        total += (unsigned)p[i] << 8 | p[i + 1];
    if (n % 2)
        total += (unsigned)p[n - 1] << 8;
    return total;
}

static unsigned fold(unsigned total)
{
    while (total >> 16)
        total = (total & 0xffff) + (total >> 16);
    return total;
}

static const char *result(long rc)
{
    return rc < 0 ? strerror(errno) : "ok";
}

static int set_range(const char *range)
{
    int fd = open("/proc/sys/net/ipv4/ping_group_range", O_WRONLY);
    if (fd < 0)
        return -1;
    long n = write(fd, range, strlen(range));
    close(fd);
    return n < 0 ? -1 : 0;
}

static void echo(int family)
{
    int v6 = family == AF_INET6;
    int s = socket(family, SOCK_DGRAM, v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
    printf("%s socket: %s\n", v6 ? "icmpv6" : "icmp", result(s));
    if (s < 0)
        return;
    struct sockaddr_storage to = {0}, from, me;
    socklen_t tolen;
    if (v6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&to;
        a->sin6_family = AF_INET6;
        a->sin6_addr = in6addr_loopback;
        tolen = sizeof *a;
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&to;
        a->sin_family = AF_INET;
        a->sin_addr.s_addr = htonl(0x7f000002);     /* 127.0.0.2: the machine's too */
        tolen = sizeof *a;
    }
    unsigned char req[24] = {v6 ? 128 : 8, 0, 0, 0, 0x12, 0x34, 0, 7, 'p', 'a', 'y', 'l', 'o',
                             'a', 'd'};
    unsigned char bad[8] = {v6 ? 129 : 0, 0};
    printf("  echo reply sent: %s\n", result(sendto(s, bad, sizeof bad, 0,
                                                    (struct sockaddr *)&to, tolen)));
    printf("  4-byte request: %s\n", result(sendto(s, req, 4, 0, (struct sockaddr *)&to,
                                                   tolen)));
    printf("  no address: %s\n", result(send(s, req, sizeof req, 0)));
    printf("  request: %s\n", result(sendto(s, req, sizeof req, 0, (struct sockaddr *)&to,
                                            tolen)));
    socklen_t melen = sizeof me;
    getsockname(s, (struct sockaddr *)&me, &melen);
    unsigned ident = ntohs(v6 ? ((struct sockaddr_in6 *)&me)->sin6_port
                              : ((struct sockaddr_in *)&me)->sin_port);
    struct pollfd pfd = {s, POLLIN, 0};
    printf("  readable: %d\n", poll(&pfd, 1, 1000));
    unsigned char got[64];
    socklen_t fromlen = sizeof from;
    long n = recvfrom(s, got, sizeof got, 0, (struct sockaddr *)&from, &fromlen);
    char host[64];
    unsigned port;
    if (v6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&from;
        inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
        port = ntohs(a->sin6_port);
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&from;
        inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
        port = ntohs(a->sin_port);
    }
    unsigned csum;
    if (v6) {   /* the pseudo-header: source, destination, length, next header */
        unsigned char pseudo[40] = {0};
        pseudo[15] = 1;
        pseudo[31] = 1;
        pseudo[35] = (unsigned char)n;
        pseudo[39] = IPPROTO_ICMPV6;
        csum = fold(sum16(got, n, sum16(pseudo, sizeof pseudo, 0)));
    } else {
        csum = fold(sum16(got, n, 0));
    }
    printf("  reply: %ld bytes from %s port %u, type %d code %d, id is the socket's %d, "
           "seq %d, payload %s, checksum %s\n", n, host, port, got[0], got[1],
           (got[4] << 8 | got[5]) == (int)ident, got[6] << 8 | got[7],
           memcmp(got + 8, req + 8, sizeof req - 8) == 0 ? "same" : "differs",
           csum == 0xffff ? "right" : "wrong");
    printf("  connect: %s\n", result(connect(s, (struct sockaddr *)&to, tolen)));
    printf("  send: %s\n", result(send(s, req, sizeof req, 0)));
    printf("  recv: %ld\n", recv(s, got, sizeof got, 0));
    close(s);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (set_range("0 2147483647") != 0)
        return 1;
    echo(AF_INET);
    echo(AF_INET6);
    if (set_range("1 0") != 0)
        return 1;
    int s = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
    printf("socket outside ping_group_range: %s\n", result(s));
    set_range("0 2147483647");
    return 0;
}
