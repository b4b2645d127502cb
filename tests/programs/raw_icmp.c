/* Raw ICMP sockets, as root's ping (iputils, busybox) opens them: socket(AF_INET,
 * SOCK_RAW, IPPROTO_ICMP) and the ICMPv6 one need CAP_NET_RAW, not a ping_group_range.
 * What a raw socket sends arrives on lo as sent: every raw ICMP socket hears it (IPv4 with
 * the IP header, IPv6 without) unless its ICMP filter drops the type, and the machine
 * answers an echo request whose checksum is right with an echo reply heard the same way;
 * the kernel makes ICMPv6's checksum. Every raw socket had been EPERM, so root's ping
 * failed ("socket: Operation not permitted"). One line a check. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef ICMP_FILTER
#define ICMP_FILTER 1
#endif

static const char *result(long rc)
{
    return rc < 0 ? strerror(errno) : "ok";
}

static unsigned csum(const unsigned char *p, size_t n)
{
    unsigned total = 0;
    for (size_t i = 0; i + 1 < n; i += 2)
        total += (unsigned)p[i] << 8 | p[i + 1];
    if (n % 2)
        total += (unsigned)p[n - 1] << 8;
    while (total >> 16)
        total = (total & 0xffff) + (total >> 16);
    return ~total & 0xffff;
}

/* What the socket hears next, without waiting: "type T id I" after the IP header. */
static void heard(int s, const char *what, int v6)
{
    unsigned char got[256];
    struct sockaddr_storage from;
    socklen_t fromlen = sizeof from;
    long n = recvfrom(s, got, sizeof got, MSG_DONTWAIT, (struct sockaddr *)&from, &fromlen);
    if (n < 0) {
        printf("  %s: %s\n", what, strerror(errno));
        return;
    }
    char host[64];
    if (v6) {
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&from)->sin6_addr, host, sizeof host);
        printf("  %s: %ld bytes from %s, type %d id %d, checksum %s\n", what, n, host, got[0],
               got[4] << 8 | got[5], (got[2] | got[3]) ? "made" : "none");
        return;
    }
    inet_ntop(AF_INET, &((struct sockaddr_in *)&from)->sin_addr, host, sizeof host);
    int ihl = (got[0] & 15) * 4;
    printf("  %s: %ld bytes from %s, version %d header %d total %d ttl %d protocol %d "
           "header checksum %s, type %d id %d, checksum %s\n", what, n, host, got[0] >> 4, ihl,
           got[2] << 8 | got[3], got[8], got[9], csum(got, ihl) == 0 ? "right" : "wrong",
           got[ihl], got[ihl + 4] << 8 | got[ihl + 5],
           csum(got + ihl, n - ihl) == 0 ? "right" : "wrong");
}

static void v4(void)
{
    int s = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    int other = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    printf("icmp raw socket: %s\n", result(s));
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    unsigned char req[16] = {8, 0, 0, 0, 0x43, 0x21, 0, 1, 'r', 'a', 'w'};
    unsigned sum = csum(req, sizeof req);
    req[2] = sum >> 8;
    req[3] = sum & 0xff;
    printf("  no address: %s\n", result(send(s, req, sizeof req, 0)));
    printf("  request: %s\n", result(sendto(s, req, sizeof req, 0, (struct sockaddr *)&to,
                                            sizeof to)));
    heard(s, "request heard", 0);
    heard(s, "reply heard", 0);
    heard(s, "then", 0);
    heard(other, "another socket hears the request", 0);
    heard(other, "and the reply", 0);
    /* a filter dropping echo requests (type 8), as ping sets one */
    unsigned filter = 1u << 8, back = 0;
    socklen_t len = sizeof back;
    printf("  ICMP_FILTER: %s", result(setsockopt(s, SOL_RAW, ICMP_FILTER, &filter,
                                                  sizeof filter)));
    getsockopt(s, SOL_RAW, ICMP_FILTER, &back, &len);
    printf(", reads back %#x\n", back);
    req[7] = 2;
    sum = csum((req[2] = req[3] = 0, req), sizeof req);
    req[2] = sum >> 8;
    req[3] = sum & 0xff;
    sendto(s, req, sizeof req, 0, (struct sockaddr *)&to, sizeof to);
    heard(s, "filtered: first heard", 0);
    heard(s, "then", 0);
    req[3] ^= 1;                /* a wrong checksum: heard, and no reply */
    sendto(other, req, sizeof req, 0, (struct sockaddr *)&to, sizeof to);
    heard(other, "(request 2)", 0);
    heard(other, "(reply 2)", 0);
    heard(other, "bad checksum heard", 0);
    heard(other, "then", 0);
    int six = 6;
    printf("  ICMPv6 filter on it: %s\n", result(setsockopt(s, IPPROTO_ICMPV6, ICMP6_FILTER,
                                                            &six, sizeof six)));
    close(s);
    close(other);
}

static void v6(void)
{
    int s = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
    printf("icmpv6 raw socket: %s\n", result(s));
    struct sockaddr_in6 to = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    unsigned char req[12] = {128, 0, 0, 0, 0x43, 0x21, 0, 1, 's', 'i', 'x'};
    printf("  request: %s\n", result(sendto(s, req, sizeof req, 0, (struct sockaddr *)&to,
                                            sizeof to)));
    heard(s, "request heard", 1);
    heard(s, "reply heard", 1);
    struct icmp6_filter filter;
    ICMP6_FILTER_SETPASSALL(&filter);
    ICMP6_FILTER_SETBLOCK(ICMP6_ECHO_REQUEST, &filter);
    printf("  ICMP6_FILTER: %s\n", result(setsockopt(s, IPPROTO_ICMPV6, ICMP6_FILTER, &filter,
                                                     sizeof filter)));
    int offset = 3;
    printf("  odd IPV6_CHECKSUM: %s\n", result(setsockopt(s, SOL_RAW, IPV6_CHECKSUM, &offset,
                                                          sizeof offset)));
    req[7] = 2;
    sendto(s, req, sizeof req, 0, (struct sockaddr *)&to, sizeof to);
    heard(s, "filtered: first heard", 1);
    heard(s, "then", 1);
    close(s);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("protocol 0: %s\n", result(socket(AF_INET, SOCK_RAW, 0)));
    v4();
    v6();
    pid_t pid = fork();
    if (pid == 0) {
        if (setuid(1000) != 0)
            _exit(1);
        printf("user's raw socket: %s\n", result(socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)));
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    return 0;
}
