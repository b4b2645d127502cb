/* /proc/net/sockstat, snmp and the network's sysctls (ss -s, netstat -s, sysctl net.*): the
 * machine's sockets by protocol, a connection established, Linux's port range. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void show(const char *path, const char *prefix)
{
    char line[4096];
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("%s: missing\n", path);
        return;
    }
    int values = 0;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, prefix, strlen(prefix)) && (values++ || strncmp(prefix, "Tcp:", 4)))
            fputs(line, stdout);   /* for snmp's Tcp group: the values line only */
    fclose(f);
}

int main(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    int listener = socket(AF_INET, SOCK_STREAM, 0), udp = socket(AF_INET, SOCK_DGRAM, 0);
    bind(listener, (struct sockaddr *)&a, sizeof a);
    listen(listener, 1);
    getsockname(listener, (struct sockaddr *)&a, &len);
    int client = socket(AF_INET, SOCK_STREAM, 0);
    connect(client, (struct sockaddr *)&a, sizeof a);
    int server = accept(listener, NULL, NULL);
    a.sin_port = 0;
    bind(udp, (struct sockaddr *)&a, sizeof a);
    show("/proc/net/sockstat", "TCP:");
    show("/proc/net/sockstat", "UDP:");
    show("/proc/net/snmp", "Tcp:");
    show("/proc/sys/net/ipv4/ip_local_port_range", "");
    show("/proc/sys/net/core/somaxconn", "");
    close(server);
    return 0;
}
