/* A TCP socket bound to the wildcard (0.0.0.0:0 or [::]:0, as libuv and Go bind before
   connecting) takes the address routing picks when it connects: its getsockname and the
   server's accept show 127.0.0.1 (::1), the port kept. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void try_family(int family)
{
    struct sockaddr_storage at = {0}, client = {0}, seen = {0}, wild = {0};
    socklen_t n = sizeof at;
    if (family == AF_INET) {
        struct sockaddr_in *a = (void *)&at;
        a->sin_family = AF_INET;
        a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    } else {
        struct sockaddr_in6 *a = (void *)&at;
        a->sin6_family = AF_INET6;
        a->sin6_addr = in6addr_loopback;
    }
    wild.ss_family = family;
    int l = socket(family, SOCK_STREAM, 0);
    bind(l, (void *)&at, family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6));
    listen(l, 1);
    getsockname(l, (void *)&at, &n);
    int c = socket(family, SOCK_STREAM, 0);
    bind(c, (void *)&wild, family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6));
    struct sockaddr_storage before = {0};
    n = sizeof before;
    getsockname(c, (void *)&before, &n);
    int rc = connect(c, (void *)&at, n);
    n = sizeof client;
    getsockname(c, (void *)&client, &n);
    n = sizeof seen;
    int s = accept(l, (void *)&seen, &n);
    char mine[64], theirs[64];
    int port_kept;
    if (family == AF_INET) {
        struct sockaddr_in *m = (void *)&client, *t = (void *)&seen, *b = (void *)&before;
        inet_ntop(AF_INET, &m->sin_addr, mine, sizeof mine);
        inet_ntop(AF_INET, &t->sin_addr, theirs, sizeof theirs);
        port_kept = m->sin_port == b->sin_port && m->sin_port == t->sin_port;
    } else {
        struct sockaddr_in6 *m = (void *)&client, *t = (void *)&seen, *b = (void *)&before;
        inet_ntop(AF_INET6, &m->sin6_addr, mine, sizeof mine);
        inet_ntop(AF_INET6, &t->sin6_addr, theirs, sizeof theirs);
        port_kept = m->sin6_port == b->sin6_port && m->sin6_port == t->sin6_port;
    }
    printf("%s: connect %d client %s server sees %s port kept %d\n",
           family == AF_INET ? "ipv4" : "ipv6", rc, mine, theirs, port_kept);
    close(s);
    close(c);
    close(l);
}

int main(void)
{
    try_family(AF_INET);
    try_family(AF_INET6);
    return 0;
}
