/* A listening socket opened the way Haskell's network package opens one (pandoc server,
 * warp): socket(AF_INET) then IP_MTU_DISCOVER = IP_PMTUDISC_DO, the "DontFragment" every
 * IPv4 socket gets. Where that option fails, network closes the handle but its Socket's
 * GC finalizer still holds the number; the AF_INET6 socket tried next is given the same
 * handle value, and the finalizer's late closesocket closes the listener under the server
 * (its next accept: WSAENOTSOCK). Here the finalizer is the explicit closesocket(stale).
 *
 * Prints:
 *   pmtud tcp: default D set S get G bad E   (D = 0, S = 0, G = 1, E = WSAEINVAL for 4)
 *   pmtud udp: ...
 *   pmtud6: default D set S get G            (IPPROTO_IPV6's IPV6_MTU_DISCOVER)
 *   server: family F served N [err E]        (F = 2, N = 2 on Windows 10 and later) */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <stdio.h>

#ifndef IP_MTU_DISCOVER
#define IP_MTU_DISCOVER 71
#endif
#ifndef IPV6_MTU_DISCOVER
#define IPV6_MTU_DISCOVER 71
#endif
#define PMTUDISC_DO 1
#define PMTUDISC_DONT 2
#define PMTUDISC_MAX 4

static int get_int(SOCKET s, int level, int name)
{
    DWORD v = 0xdeadbeef;
    int len = sizeof v;
    if (getsockopt(s, level, name, (char *)&v, &len))
        return -WSAGetLastError();
    return (int)v;
}

static int set_int(SOCKET s, int level, int name, DWORD v)
{
    return setsockopt(s, level, name, (const char *)&v, sizeof v) ? WSAGetLastError() : 0;
}

static void pmtud(const char *label, int type)
{
    SOCKET s = socket(AF_INET, type, 0);
    int dflt = get_int(s, IPPROTO_IP, IP_MTU_DISCOVER);
    int set = set_int(s, IPPROTO_IP, IP_MTU_DISCOVER, PMTUDISC_DO);
    int got = get_int(s, IPPROTO_IP, IP_MTU_DISCOVER);
    int bad = set_int(s, IPPROTO_IP, IP_MTU_DISCOVER, PMTUDISC_MAX);
    printf("pmtud %s: default %d set %d get %d bad %d\n", label, dflt, set, got, bad);
    closesocket(s);
}

/* network's socket(): a socket whose option fails is closed and the next family tried. */
static SOCKET open_listener(SOCKET *stale, int *family)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    *stale = INVALID_SOCKET;
    *family = AF_INET;
    if (set_int(s, IPPROTO_IP, IP_MTU_DISCOVER, PMTUDISC_DO) == 0) {
        struct sockaddr_in a = {0};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bind(s, (struct sockaddr *)&a, sizeof a);
    } else {
        struct sockaddr_in6 a = {0};
        DWORD off = 0;
        closesocket(s);
        *stale = s;                 /* what the finalizer still holds */
        s = socket(AF_INET6, SOCK_STREAM, 0);
        *family = AF_INET6;
        setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, (const char *)&off, sizeof off);
        a.sin6_family = AF_INET6;
        bind(s, (struct sockaddr *)&a, sizeof a);
    }
    listen(s, SOMAXCONN);
    return s;
}

static int connect_to(SOCKET listener)
{
    struct sockaddr_storage ss;
    struct sockaddr_in to = {0};
    int len = sizeof ss;
    SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
    getsockname(listener, (struct sockaddr *)&ss, &len);
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    to.sin_port = ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                           : ((struct sockaddr_in *)&ss)->sin_port;
    return connect(c, (struct sockaddr *)&to, sizeof to) ? -1 : (int)c;
}

static void server(void)
{
    SOCKET stale, l;
    int family, served = 0, err = 0;
    l = open_listener(&stale, &family);
    for (int i = 0; i < 2; i++) {
        SOCKET a;
        if (connect_to(l) < 0) {
            err = WSAGetLastError();
            break;
        }
        if (i == 1 && stale != INVALID_SOCKET)
            closesocket(stale);     /* the garbage collector runs the finalizer */
        a = accept(l, NULL, NULL);
        if (a == INVALID_SOCKET) {
            err = WSAGetLastError();
            break;
        }
        served++;
        closesocket(a);
    }
    if (err)
        printf("server: family %d served %d err %d\n", family, served, err);
    else
        printf("server: family %d served %d\n", family, served);
}

int main(void)
{
    WSADATA wsa;
    SOCKET s6;
    WSAStartup(MAKEWORD(2, 2), &wsa);
    pmtud("tcp", SOCK_STREAM);
    pmtud("udp", SOCK_DGRAM);
    s6 = socket(AF_INET6, SOCK_STREAM, 0);
    {
        int dflt = get_int(s6, IPPROTO_IPV6, IPV6_MTU_DISCOVER);
        int set = set_int(s6, IPPROTO_IPV6, IPV6_MTU_DISCOVER, PMTUDISC_DONT);
        int got = get_int(s6, IPPROTO_IPV6, IPV6_MTU_DISCOVER);
        printf("pmtud6: default %d set %d get %d\n", dflt, set, got);
    }
    closesocket(s6);
    server();
    WSACleanup();
    return 0;
}
