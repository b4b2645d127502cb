/* The program's own sockets as /proc/net lists them: a TCP listener, both ends of a TCP
 * connection, a UDP socket, an IPv6 listener, a unix stream listener on a path, a unix
 * datagram socket with an abstract name. Each line found by the socket's inode is printed
 * without the inode and the ports the program does not know, so the output is the host's. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static unsigned long ino_of(int fd)
{
    struct stat st;
    fstat(fd, &st);
    return (unsigned long)st.st_ino;
}

/* The line of file whose inode column (column `col`, from 0) is ino, fields from `from` to
 * `to` printed. */
static void show(const char *file, const char *what, int fd, int col, int from, int to)
{
    char line[512], *field[32];
    FILE *f = fopen(file, "r");
    unsigned long ino = ino_of(fd);
    int found = 0;
    fgets(line, sizeof line, f);   /* the header */
    while (fgets(line, sizeof line, f)) {
        int n = 0;
        for (char *tok = strtok(line, " \n"); tok && n < 32; tok = strtok(NULL, " \n"))
            field[n++] = tok;
        if (n > col && strtoul(field[col], NULL, 10) == ino) {
            printf("%s:", what);
            for (int i = from; i <= to && i < n; i++)
                printf(" %s", field[i]);
            printf("\n");
            found = 1;
        }
    }
    if (!found)
        printf("%s: not listed\n", what);
    fclose(f);
}

int main(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(47123)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int lis = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(lis, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(lis, (struct sockaddr *)&a, sizeof a) || listen(lis, 5))
        return 1;
    int cli = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(cli, (struct sockaddr *)&a, sizeof a))
        return 2;
    int srv = accept(lis, NULL, NULL);
    write(cli, "hello", 5);

    struct sockaddr_in u = {.sin_family = AF_INET, .sin_port = htons(47124)};
    u.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int udp = socket(AF_INET, SOCK_DGRAM, 0);
    bind(udp, (struct sockaddr *)&u, sizeof u);

    struct sockaddr_in6 s6 = {.sin6_family = AF_INET6, .sin6_port = htons(47125)};
    s6.sin6_addr = in6addr_loopback;
    int lis6 = socket(AF_INET6, SOCK_STREAM, 0);
    bind(lis6, (struct sockaddr *)&s6, sizeof s6);
    listen(lis6, 1);

    struct sockaddr_un un = {.sun_family = AF_UNIX};
    snprintf(un.sun_path, sizeof un.sun_path, "proc_net.sock");
    unlink(un.sun_path);
    int ulis = socket(AF_UNIX, SOCK_STREAM, 0);
    bind(ulis, (struct sockaddr *)&un, sizeof un);
    listen(ulis, 1);
    struct sockaddr_un ab = {.sun_family = AF_UNIX};
    memcpy(ab.sun_path, "\0proc_net_abstract", 18);
    int udg = socket(AF_UNIX, SOCK_DGRAM, 0);
    bind(udg, (struct sockaddr *)&ab, offsetof(struct sockaddr_un, sun_path) + 18);

    /* tcp: sl local rem st tx:rx tr when retr uid timeout inode */
    show("/proc/net/tcp", "tcp listener", lis, 9, 1, 3);
    show("/proc/net/tcp", "tcp server end", srv, 9, 1, 1);
    show("/proc/net/tcp", "tcp server state", srv, 9, 3, 4);
    show("/proc/net/tcp", "tcp client peer", cli, 9, 2, 3);
    show("/proc/net/udp", "udp", udp, 9, 1, 3);
    show("/proc/net/tcp6", "tcp6 listener", lis6, 9, 1, 3);
    show("/proc/net/tcp", "tcp6 listener in tcp", lis6, 9, 1, 1);
    /* unix: num refcount protocol flags type st inode path */
    show("/proc/net/unix", "unix listener", ulis, 6, 3, 5);
    show("/proc/net/unix", "unix listener path", ulis, 6, 7, 7);
    show("/proc/net/unix", "unix abstract", udg, 6, 4, 5);
    show("/proc/net/unix", "unix abstract name", udg, 6, 7, 7);
    unlink(un.sun_path);
    return 0;
}
