/* What a UDP socket hears of each packet's IP header when it asks (IP_PKTINFO, IP_RECVTTL,
 * IP_RECVTOS; IPv6's RECVPKTINFO, RECVHOPLIMIT, RECVTCLASS), and MSG_CTRUNC when the
 * control buffer is too small. DNS servers read the destination address so. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void receive(int s, size_t room, const char *label) {
    char data[16], control[256];
    struct iovec iov = {data, sizeof data};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
                       .msg_controllen = room};
    long n = recvmsg(s, &m, 0);
    printf("%s: %ld bytes, ctrunc %d:", label, n, !!(m.msg_flags & MSG_CTRUNC));
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
        printf(" (%d,%d,%zu", c->cmsg_level, c->cmsg_type, (size_t)c->cmsg_len - CMSG_LEN(0));
        if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
            struct in_pktinfo *pi = (void *)CMSG_DATA(c);
            printf(" if %d dst %s", pi->ipi_ifindex, inet_ntoa(pi->ipi_addr));
        } else if (c->cmsg_type == IP_TTL || c->cmsg_type == IPV6_HOPLIMIT) {
            printf(" %d", *(int *)CMSG_DATA(c));
        } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
            struct in6_pktinfo *pi = (void *)CMSG_DATA(c);
            char text[64];
            printf(" if %d dst %s", pi->ipi6_ifindex,
                   inet_ntop(AF_INET6, &pi->ipi6_addr, text, sizeof text));
        }
        printf(")");
    }
    printf("\n");
}

int main(void) {
    int one = 1;
    int r = socket(AF_INET, SOCK_DGRAM, 0), w = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = {AF_INET, 0, {htonl(INADDR_LOOPBACK)}};
    socklen_t len = sizeof a;
    bind(r, (struct sockaddr *)&a, sizeof a);
    getsockname(r, (struct sockaddr *)&a, &len);
    setsockopt(r, IPPROTO_IP, IP_PKTINFO, &one, sizeof one);
    setsockopt(r, IPPROTO_IP, IP_RECVTTL, &one, sizeof one);
    setsockopt(r, IPPROTO_IP, IP_RECVTOS, &one, sizeof one);
    sendto(w, "hello", 5, 0, (struct sockaddr *)&a, sizeof a);
    receive(r, 256, "v4");
    sendto(w, "hello", 5, 0, (struct sockaddr *)&a, sizeof a);
    receive(r, CMSG_SPACE(sizeof(struct in_pktinfo)) + 4, "v4 small");

    int r6 = socket(AF_INET6, SOCK_DGRAM, 0), w6 = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 b = {AF_INET6, 0};
    b.sin6_addr = in6addr_loopback;
    len = sizeof b;
    bind(r6, (struct sockaddr *)&b, sizeof b);
    getsockname(r6, (struct sockaddr *)&b, &len);
    setsockopt(r6, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof one);
    setsockopt(r6, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &one, sizeof one);
    setsockopt(r6, IPPROTO_IPV6, IPV6_RECVTCLASS, &one, sizeof one);
    sendto(w6, "hi", 2, 0, (struct sockaddr *)&b, sizeof b);
    receive(r6, 256, "v6");
    return 0;
}
