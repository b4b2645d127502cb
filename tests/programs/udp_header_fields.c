/* The TTL, TOS, hop limit and traffic class a receiver learns (IP_RECVTTL, IP_RECVTOS,
   IPV6_RECVHOPLIMIT, IPV6_RECVTCLASS) are what the sender set: its socket options, or a
   sendmsg's cmsgs for that packet. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void receive(int r, const char *what)
{
    char data[16], control[256];
    struct iovec iov = {data, sizeof data};
    struct msghdr m = {0};
    m.msg_iov = &iov; m.msg_iovlen = 1;
    m.msg_control = control; m.msg_controllen = sizeof control;
    recvmsg(r, &m, 0);
    printf("%s:", what);
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
        int v = c->cmsg_len == CMSG_LEN(1) ? *CMSG_DATA(c) : *(int *)CMSG_DATA(c);
        const char *name = c->cmsg_level == IPPROTO_IP ? (c->cmsg_type == IP_TTL ? "ttl" : "tos")
                           : c->cmsg_type == IPV6_HOPLIMIT ? "hops" : "tclass";
        printf(" %s %#x", name, v);
    }
    printf("\n");
}

int main(void)
{
    int one = 1, ttl = 5, tos = 0x10, hops = 7;
    int r = socket(AF_INET, SOCK_DGRAM, 0), s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    bind(r, (void *)&a, sizeof a);
    getsockname(r, (void *)&a, &len);
    setsockopt(r, IPPROTO_IP, IP_RECVTTL, &one, sizeof one);
    setsockopt(r, IPPROTO_IP, IP_RECVTOS, &one, sizeof one);
    sendto(s, "x", 1, 0, (void *)&a, sizeof a);
    receive(r, "ipv4 default");
    setsockopt(s, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl);
    setsockopt(s, IPPROTO_IP, IP_TOS, &tos, sizeof tos);
    sendto(s, "x", 1, 0, (void *)&a, sizeof a);
    receive(r, "ipv4 options");

    int r6 = socket(AF_INET6, SOCK_DGRAM, 0), s6 = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 b = {.sin6_family = AF_INET6, .sin6_addr = in6addr_loopback};
    len = sizeof b;
    bind(r6, (void *)&b, sizeof b);
    getsockname(r6, (void *)&b, &len);
    setsockopt(r6, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &one, sizeof one);
    setsockopt(r6, IPPROTO_IPV6, IPV6_RECVTCLASS, &one, sizeof one);
    sendto(s6, "x", 1, 0, (void *)&b, sizeof b);
    receive(r6, "ipv6 default");
    char control[CMSG_SPACE(sizeof(int)) * 2] = {0};
    struct iovec iov = {"x", 1};
    struct msghdr m = {.msg_name = &b, .msg_namelen = sizeof b, .msg_iov = &iov,
                       .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control};
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = IPPROTO_IPV6; c->cmsg_type = IPV6_HOPLIMIT; c->cmsg_len = CMSG_LEN(sizeof(int));
    *(int *)CMSG_DATA(c) = 2;
    c = CMSG_NXTHDR(&m, c);
    c->cmsg_level = IPPROTO_IPV6; c->cmsg_type = IPV6_TCLASS; c->cmsg_len = CMSG_LEN(sizeof(int));
    *(int *)CMSG_DATA(c) = 0x20;
    sendmsg(s6, &m, 0);
    receive(r6, "ipv6 cmsgs");
    setsockopt(s6, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof hops);
    sendto(s6, "x", 1, 0, (void *)&b, sizeof b);
    receive(r6, "ipv6 option");
    return 0;
}
