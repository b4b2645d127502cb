/* The UDP options quic-go and msquic set on a dual-stack socket (don't-fragment, packet
 * info, ECN reception): Windows takes each, and getsockopt reads it back. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <stdio.h>

static void set_and_read(SOCKET s, const char *what, int level, int name)
{
    DWORD one = 1, back = 0;
    int len = sizeof back;
    int set = setsockopt(s, level, name, (const char *)&one, sizeof one);
    int got = getsockopt(s, level, name, (char *)&back, &len);
    printf("%s: set %d read %d %lu\n", what, set, got, (unsigned long)back);
}

int main(void)
{
    WSADATA data;
    WSAStartup(MAKEWORD(2, 2), &data);
    SOCKET s = socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
    DWORD zero = 0;
    setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, (const char *)&zero, sizeof zero);
    set_and_read(s, "IP_DONTFRAGMENT", IPPROTO_IP, 14);
    set_and_read(s, "IPV6_DONTFRAG", IPPROTO_IPV6, 14);
    set_and_read(s, "IP_PKTINFO", IPPROTO_IP, 19);
    set_and_read(s, "IPV6_PKTINFO", IPPROTO_IPV6, 19);
    set_and_read(s, "IPV6_RECVECN", IPPROTO_IPV6, 50);
    return 0;
}
