/* Winsock over the machine's loopback: blocking TCP in two threads, non-blocking sockets
 * with select and WSAPoll, UDP, names, options, the errors programs test for, and the
 * overlapped path libuv and Go take (AcceptEx, ConnectEx, WSARecv/WSASend on a completion
 * port, a zero-byte receive that waits for data). Prints one line per step. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <stdio.h>
#include <string.h>

static unsigned short port_of(SOCKET s) {
    struct sockaddr_in a; int len = sizeof a;
    if (getsockname(s, (struct sockaddr *)&a, &len) != 0) return 0;
    return ntohs(a.sin_port);
}

static SOCKET listener(int family) {
    SOCKET s = socket(family, SOCK_STREAM, IPPROTO_TCP);
    struct sockaddr_storage ss; memset(&ss, 0, sizeof ss);
    int len;
    if (family == AF_INET) {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET; a->sin_addr.s_addr = htonl(INADDR_LOOPBACK); len = sizeof *a;
    } else {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6; a->sin6_addr = in6addr_loopback; len = sizeof *a;
    }
    if (bind(s, (struct sockaddr *)&ss, len) || listen(s, 16)) printf("listen failed %d\n", WSAGetLastError());
    return s;
}

static int connect_to(SOCKET s, unsigned short port) {
    struct sockaddr_in a; memset(&a, 0, sizeof a);
    a.sin_family = AF_INET; a.sin_port = htons(port); a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return connect(s, (struct sockaddr *)&a, sizeof a);
}

static DWORD WINAPI echo_server(LPVOID arg) {
    SOCKET l = (SOCKET)arg, c = accept(l, NULL, NULL);
    char buf[64]; int n;
    while ((n = recv(c, buf, sizeof buf, 0)) > 0) {
        for (int i = 0; i < n; i++) buf[i] = (char)toupper(buf[i]);
        send(c, buf, n, 0);
    }
    closesocket(c);
    return n;
}

static void blocking_tcp(void) {
    SOCKET l = listener(AF_INET);
    unsigned short port = port_of(l);
    HANDLE t = CreateThread(NULL, 0, echo_server, (LPVOID)l, 0, NULL);
    SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
    int rc = connect_to(c, port);
    char buf[64] = {0};
    send(c, "hello", 5, 0);
    int n = recv(c, buf, sizeof buf, 0);
    struct sockaddr_in peer; int plen = sizeof peer;
    getpeername(c, (struct sockaddr *)&peer, &plen);
    shutdown(c, SD_SEND);
    DWORD code = 9; WaitForSingleObject(t, 10000); GetExitCodeThread(t, &code);
    int end = recv(c, buf + 10, 10, 0);
    printf("tcp connect %d got %d [%.*s] peer %s:%d end %d server %lu\n", rc, n, n, buf,
           inet_ntoa(peer.sin_addr), ntohs(peer.sin_port) == port, end, code);
    closesocket(c); closesocket(l);
}

static void nonblocking_select(void) {
    SOCKET l = listener(AF_INET);
    u_long on = 1;
    ioctlsocket(l, FIONBIO, &on);
    SOCKET none = accept(l, NULL, NULL);
    int e1 = WSAGetLastError();
    SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
    connect_to(c, port_of(l));
    fd_set rd; FD_ZERO(&rd); FD_SET(l, &rd);
    struct timeval tv = {1, 0};
    int ready = select(0, &rd, NULL, NULL, &tv);
    int isset = FD_ISSET(l, &rd) != 0;
    SOCKET a = accept(l, NULL, NULL);
    char buf[16];
    int r = recv(a, buf, sizeof buf, 0);
    int e2 = WSAGetLastError();
    FD_ZERO(&rd); FD_SET(a, &rd);
    tv.tv_sec = 0; tv.tv_usec = 20000;
    int idle = select(0, &rd, NULL, NULL, &tv);
    send(c, "ping", 4, 0);
    WSAPOLLFD pfd = {a, POLLRDNORM, 0};
    int polled = WSAPoll(&pfd, 1, 1000);
    u_long waiting = 0; ioctlsocket(a, FIONREAD, &waiting);
    fd_set wr; FD_ZERO(&wr); FD_SET(c, &wr);
    int wready = select(0, NULL, &wr, NULL, &tv);
    printf("nonblocking accept %d err %d select %d %d recv %d err %d idle %d poll %d %#x fionread %lu writable %d\n",
           none == INVALID_SOCKET, e1, ready, isset, r, e2, idle, polled,
           pfd.revents, waiting, wready);
    closesocket(a); closesocket(c);
    /* a non-blocking connect says WSAEWOULDBLOCK even on the loopback; select says when */
    SOCKET nb = socket(AF_INET, SOCK_STREAM, 0);
    ioctlsocket(nb, FIONBIO, &on);
    struct sockaddr_in to = {0};
    to.sin_family = AF_INET; to.sin_addr.s_addr = htonl(INADDR_LOOPBACK); to.sin_port = htons(port_of(l));
    int started = connect(nb, (struct sockaddr *)&to, sizeof to);
    int e3 = WSAGetLastError();
    FD_ZERO(&wr); FD_SET(nb, &wr);
    tv.tv_sec = 1;
    int connected = select(0, NULL, &wr, NULL, &tv);
    printf("nonblocking connect %d err %d writable %d sent %d\n", started, e3, connected,
           send(nb, "x", 1, 0));
    closesocket(nb); closesocket(l);
}

static void udp(void) {
    SOCKET a = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP), b = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in addr; memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET; addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(a, (struct sockaddr *)&addr, sizeof addr);
    int len = sizeof addr; getsockname(a, (struct sockaddr *)&addr, &len);
    int sent = sendto(b, "datagram", 8, 0, (struct sockaddr *)&addr, sizeof addr);
    char buf[4]; struct sockaddr_in from; int flen = sizeof from;
    int n = recvfrom(a, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen);
    printf("udp sent %d got %d err %d [%.4s] from %s\n", sent, n, WSAGetLastError(), buf,
           inet_ntoa(from.sin_addr));
    closesocket(a); closesocket(b);
    /* a's port is closed now: the port-unreachable comes back as WSAECONNRESET */
    SOCKET c = socket(AF_INET, SOCK_DGRAM, 0);
    connect(c, (struct sockaddr *)&addr, sizeof addr);
    int once = send(c, "x", 1, 0);
    int r = recv(c, buf, sizeof buf, 0);
    printf("udp unreachable sent %d recv %d err %d\n", once, r, WSAGetLastError());
    closesocket(c);
}

static void names(void) {
    struct addrinfo hints, *res = NULL, *p;
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    int rc = getaddrinfo("localhost", "8080", &hints, &res);
    printf("getaddrinfo %d:", rc);
    for (p = res; p; p = p->ai_next) {
        char host[64], serv[16];
        getnameinfo(p->ai_addr, (int)p->ai_addrlen, host, sizeof host, serv, sizeof serv,
                    NI_NUMERICHOST | NI_NUMERICSERV);
        printf(" %d %s %s", p->ai_family, host, serv);
    }
    freeaddrinfo(res);
    int missing = getaddrinfo("nowhere.example", NULL, &hints, &res);
    IN6_ADDR six; char text[64];
    int ok = inet_pton(AF_INET6, "fe80::1:2", &six);
    inet_ntop(AF_INET6, &six, text, sizeof text);
    char host[64]; gethostname(host, sizeof host);
    printf(" | missing %d | pton %d %s | addr %#lx | host %d\n", missing, ok, text,
           (unsigned long)inet_addr("127.0.0.1"), strlen(host) > 0);
    struct servent *http = getservbyname("http", "tcp");
    int http_port = http ? ntohs(http->s_port) : -1;
    struct servent *https = getservbyport(htons(443), "tcp");
    IN_ADDR lo; lo.s_addr = htonl(INADDR_LOOPBACK);
    struct hostent *he = gethostbyaddr((const char *)&lo, 4, AF_INET);
    printf("services %d %s %s | reverse %s\n", http_port, https ? https->s_name : "-",
           https ? https->s_proto : "-", he ? he->h_name : "-");
}

static void errors(void) {
    SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
    int refused = connect_to(c, 1);
    int e1 = WSAGetLastError();
    char b;
    int bad = recv((SOCKET)0x7777, &b, 1, 0);
    int e2 = WSAGetLastError();
    closesocket(c);
    int twice = closesocket(c);
    int e3 = WSAGetLastError();
    SOCKET v6 = socket(AF_INET6, SOCK_STREAM, 0);
    DWORD only = 7; int olen = sizeof only;
    getsockopt(v6, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&only, &olen);
    int type = 0, tlen = sizeof type;
    getsockopt(v6, SOL_SOCKET, SO_TYPE, (char *)&type, &tlen);
    BOOL nodelay = TRUE;
    int set = setsockopt(v6, IPPROTO_TCP, TCP_NODELAY, (char *)&nodelay, sizeof nodelay);
    int unbound = getsockname(v6, (struct sockaddr *)&(struct sockaddr_in6){0}, &(int){28});
    int e4 = WSAGetLastError();
    closesocket(v6);
    printf("errors refused %d %d bad %d %d twice %d %d v6only %lu type %d nodelay %d unbound %d %d\n",
           refused, e1, bad, e2, twice, e3, only, type, set, unbound, e4);
    /* wild pointers are WSAEFAULT, never a crash of the process */
    SOCKET w = socket(AF_INET, SOCK_STREAM, 0);
    int wild_connect = connect(w, (struct sockaddr *)(ULONG_PTR)0x10, 16);
    int f1 = WSAGetLastError();
    int wild_select = select(0, (fd_set *)(ULONG_PTR)0x10, NULL, NULL, NULL);
    int f2 = WSAGetLastError();
    int wild_opt = getsockopt(w, SOL_SOCKET, SO_TYPE, (char *)(ULONG_PTR)0x10, &(int){4});
    int f3 = WSAGetLastError();
    closesocket(w);
    printf("wild %d %d %d %d %d %d\n", wild_connect, f1, wild_select, f2, wild_opt, f3);
    /* a blocking recv gives up after SO_RCVTIMEO's milliseconds */
    SOCKET l = listener(AF_INET), t = socket(AF_INET, SOCK_STREAM, 0);
    connect_to(t, port_of(l));
    DWORD ms = 50;
    setsockopt(t, SOL_SOCKET, SO_RCVTIMEO, (const char *)&ms, sizeof ms);
    DWORD start = GetTickCount();
    char b2;
    int timed = recv(t, &b2, 1, 0);
    int f4 = WSAGetLastError();
    DWORD took = GetTickCount() - start;
    printf("timeout %d %d waited %d\n", timed, f4, took >= 40 && took < 5000);
    closesocket(t); closesocket(l);
}

static void overlapped(void) {
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    SOCKET l = listener(AF_INET);
    GUID acceptex_id = WSAID_ACCEPTEX, connectex_id = WSAID_CONNECTEX;
    LPFN_ACCEPTEX acceptex = NULL; LPFN_CONNECTEX connectex = NULL; DWORD got = 0;
    WSAIoctl(l, SIO_GET_EXTENSION_FUNCTION_POINTER, &acceptex_id, sizeof acceptex_id,
             &acceptex, sizeof acceptex, &got, NULL, NULL);
    WSAIoctl(l, SIO_GET_EXTENSION_FUNCTION_POINTER, &connectex_id, sizeof connectex_id,
             &connectex, sizeof connectex, &got, NULL, NULL);
    CreateIoCompletionPort((HANDLE)l, port, 1, 0);
    SOCKET as = WSASocketW(AF_INET, SOCK_STREAM, 0, NULL, 0, WSA_FLAG_OVERLAPPED);
    char abuf[2 * (sizeof(struct sockaddr_in6) + 16)];
    OVERLAPPED aov; memset(&aov, 0, sizeof aov);
    BOOL a1 = acceptex(l, as, abuf, 0, sizeof(struct sockaddr_in6) + 16,
                       sizeof(struct sockaddr_in6) + 16, &got, &aov);
    int ae = WSAGetLastError();
    SOCKET c = WSASocketW(AF_INET, SOCK_STREAM, 0, NULL, 0, WSA_FLAG_OVERLAPPED);
    struct sockaddr_in any; memset(&any, 0, sizeof any); any.sin_family = AF_INET;
    bind(c, (struct sockaddr *)&any, sizeof any);
    CreateIoCompletionPort((HANDLE)c, port, 2, 0);
    SetFileCompletionNotificationModes((HANDLE)c, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS);
    struct sockaddr_in to; memset(&to, 0, sizeof to);
    to.sin_family = AF_INET; to.sin_port = htons(port_of(l)); to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    OVERLAPPED cov; memset(&cov, 0, sizeof cov);
    BOOL c1 = connectex(c, (struct sockaddr *)&to, sizeof to, NULL, 0, &got, &cov);
    DWORD bytes; ULONG_PTR key; LPOVERLAPPED done;
    BOOL q1 = GetQueuedCompletionStatus(port, &bytes, &key, &done, 2000);
    int accepted = q1 && key == 1 && done == &aov;
    setsockopt(as, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&l, sizeof l);
    struct sockaddr *local, *remote; int llen, rlen;
    GetAcceptExSockaddrs(abuf, 0, sizeof(struct sockaddr_in6) + 16, sizeof(struct sockaddr_in6) + 16,
                         &local, &llen, &remote, &rlen);
    CreateIoCompletionPort((HANDLE)as, port, 3, 0);
    /* a zero-byte read waits for data; a send completes at once (and, with the skip mode, posts nothing) */
    WSABUF zero = {0, NULL}; DWORD flags = 0, n = 0;
    OVERLAPPED rov; memset(&rov, 0, sizeof rov);
    int r1 = WSARecv(as, &zero, 1, &n, &flags, &rov, NULL);
    int re = WSAGetLastError();
    WSABUF out = {6, "stream"}; OVERLAPPED sov; memset(&sov, 0, sizeof sov);
    int s1 = WSASend(c, &out, 1, &n, 0, &sov, NULL);
    BOOL q2 = GetQueuedCompletionStatus(port, &bytes, &key, &done, 2000);
    char data[16] = {0}; WSABUF in = {sizeof data, data}; flags = 0;
    int r2 = WSARecv(as, &in, 1, &n, &flags, NULL, NULL);
    BOOL q3 = GetQueuedCompletionStatus(port, &bytes, &key, &done, 0);
    DWORD werr = GetLastError();
    /* a pending read the peer's close completes with 0 bytes */
    OVERLAPPED eov; memset(&eov, 0, sizeof eov); in.len = sizeof data;
    int r3 = WSARecv(as, &in, 1, &n, &flags, &eov, NULL);
    int e3 = WSAGetLastError();
    closesocket(c);
    BOOL q4 = GetQueuedCompletionStatus(port, &bytes, &key, &done, 2000);
    DWORD xfer = 99, xflags;
    BOOL q5 = WSAGetOverlappedResult(as, &eov, &xfer, FALSE, &xflags);
    printf("overlapped accept %d %d queued %d connect %d local %d remote %d | zero read %d %d "
           "send %d woke %d key %lu bytes %lu | data %d [%s] nothing %d %lu | end %d %d %d key %lu bytes %lu %d %lu\n",
           a1, ae, accepted, c1, local->sa_family, remote->sa_family, r1, re, s1, q2,
           (unsigned long)key, bytes, r2 == 0 ? (int)n : -1, data, q3, werr, r3, e3, q4,
           (unsigned long)key, bytes, q5, xfer);
    closesocket(as); closesocket(l); CloseHandle(port);
}

static void transmit(void) {
    HANDLE file = CreateFileA("body.txt", GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD n; WriteFile(file, "0123456789file body", 19, &n, NULL);
    SetFilePointer(file, 10, NULL, FILE_BEGIN);
    SOCKET l = listener(AF_INET), c = socket(AF_INET, SOCK_STREAM, 0);
    connect_to(c, port_of(l));
    SOCKET a = accept(l, NULL, NULL);
    TRANSMIT_FILE_BUFFERS around = {"<", 1, ">", 1};
    BOOL ok = TransmitFile(a, file, 0, 0, NULL, &around, 0);
    shutdown(a, SD_SEND);
    char buf[64]; int got = 0, r;
    while ((r = recv(c, buf + got, (int)sizeof buf - got, 0)) > 0) got += r;
    printf("transmit %d [%.*s]\n", ok, got, buf);
    CloseHandle(file); closesocket(a); closesocket(c); closesocket(l);
}

static void events(void) {
    SOCKET l = listener(AF_INET);
    WSAEVENT ev = WSACreateEvent();
    int sel = WSAEventSelect(l, ev, FD_ACCEPT);
    DWORD idle = WSAWaitForMultipleEvents(1, &ev, FALSE, 20, FALSE);
    SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
    connect_to(c, port_of(l));
    DWORD woke = WSAWaitForMultipleEvents(1, &ev, FALSE, 2000, FALSE);
    WSANETWORKEVENTS ne;
    WSAEnumNetworkEvents(l, ev, &ne);
    long accept_bits = ne.lNetworkEvents;
    SOCKET a = accept(l, NULL, NULL);
    WSAEVENT ev2 = WSACreateEvent();
    WSAEventSelect(a, ev2, FD_READ | FD_WRITE | FD_CLOSE);
    WSAEnumNetworkEvents(a, ev2, &ne);
    long first = ne.lNetworkEvents;                  /* writable at once */
    DWORD quiet = WSAWaitForMultipleEvents(1, &ev2, FALSE, 20, FALSE);
    send(c, "evt", 3, 0);
    DWORD data = WSAWaitForMultipleEvents(1, &ev2, FALSE, 2000, FALSE);
    WSAEnumNetworkEvents(a, ev2, &ne);
    long read_bits = ne.lNetworkEvents;
    char buf[8]; int n = recv(a, buf, sizeof buf, 0);
    /* the duplicate is the same connection: what one handle sends, the peer reads */
    WSAPROTOCOL_INFOW info;
    int dup = WSADuplicateSocketW(c, GetCurrentProcessId(), &info);
    SOCKET twin = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, 0);
    send(twin, "twin", 4, 0);
    closesocket(twin);
    WSAWaitForMultipleEvents(1, &ev2, FALSE, 2000, FALSE);
    WSAEnumNetworkEvents(a, ev2, &ne);
    int m = recv(a, buf + n, sizeof buf - n, 0);
    closesocket(c);
    DWORD closed = WSAWaitForMultipleEvents(1, &ev2, FALSE, 2000, FALSE);
    WSAEnumNetworkEvents(a, ev2, &ne);
    printf("events %d idle %lu woke %lu accept %#lx first %#lx quiet %lu data %lu read %#lx "
           "[%.*s] dup %d %d close %lu %#lx\n", sel, idle, woke, accept_bits, first, quiet, data,
           read_bits, n + m, buf, dup, twin != INVALID_SOCKET, closed, ne.lNetworkEvents);
    WSACloseEvent(ev); WSACloseEvent(ev2); closesocket(a); closesocket(l);
}

int main(void) {
    WSADATA wsa;
    if (WSAStartup(MAKEWORD(2, 2), &wsa)) return 1;
    setvbuf(stdout, NULL, _IONBF, 0);
    blocking_tcp();
    nonblocking_select();
    udp();
    names();
    errors();
    overlapped();
    transmit();
    events();
    WSACleanup();
    return 0;
}
