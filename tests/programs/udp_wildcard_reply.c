/* A UDP server bound to the wildcard (0.0.0.0, [::], dual stack) answers a client that
 * connected its socket: the reply leaves from the address routing picks, which is the
 * client's peer (DNS servers and the resolvers that ask them). Prints the same on Linux. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void exchange(const char *what, int family, int server_family, int v6only)
{
    struct sockaddr_storage ss = {0}, peer;
    socklen_t len = server_family == AF_INET ? sizeof(struct sockaddr_in)
                                             : sizeof(struct sockaddr_in6);
    int server = socket(server_family, SOCK_DGRAM, 0);
    if (server_family == AF_INET6)
        setsockopt(server, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only);
    ss.ss_family = server_family;                  /* the wildcard, any port */
    bind(server, (struct sockaddr *)&ss, len);
    getsockname(server, (struct sockaddr *)&ss, &len);
    int port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
    int client = socket(family, SOCK_DGRAM, 0);
    struct sockaddr_storage to = {0};
    socklen_t to_len;
    if (family == AF_INET) {
        struct sockaddr_in *a = (struct sockaddr_in *)&to;
        a->sin_family = AF_INET, a->sin_port = htons(port);
        a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        to_len = sizeof *a;
    } else {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&to;
        a->sin6_family = AF_INET6, a->sin6_port = htons(port), a->sin6_addr = in6addr_loopback;
        to_len = sizeof *a;
    }
    connect(client, (struct sockaddr *)&to, to_len);
    send(client, "ping", 4, 0);
    char buf[16];
    socklen_t plen = sizeof peer;
    ssize_t n = recvfrom(server, buf, sizeof buf, 0, (struct sockaddr *)&peer, &plen);
    sendto(server, "pong", 4, 0, (struct sockaddr *)&peer, plen);
    struct pollfd p = {client, POLLIN, 0};
    int ready = poll(&p, 1, 2000);
    n = ready > 0 ? recv(client, buf, sizeof buf, 0) : -1;
    printf("%s: reply %.*s\n", what, n > 0 ? (int)n : 4, n > 0 ? buf : "none");
    close(client);
    close(server);
}

int main(void)
{
    exchange("0.0.0.0 server, connected IPv4 client", AF_INET, AF_INET, 0);
    exchange("[::] server, connected IPv6 client", AF_INET6, AF_INET6, 1);
    exchange("dual-stack [::] server, connected IPv4 client", AF_INET, AF_INET6, 0);
    return 0;
}
