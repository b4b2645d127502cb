/* poll's POLLHUP means both directions are shut: a TCP peer that closed after its FIN
 * leaves this side writable (POLLIN|POLLOUT|POLLRDHUP), a unix peer's close shuts both.
 * Prints the same on Linux. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

static int revents(int fd)
{
    struct pollfd pf = {fd, POLLIN | POLLOUT | POLLRDHUP, 0};
    poll(&pf, 1, 100);
    return pf.revents;
}

int main(void)
{
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bind(l, (void *)&a, sizeof a);
    listen(l, 1);
    socklen_t al = sizeof a;
    getsockname(l, (void *)&a, &al);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, (void *)&a, sizeof a);
    int k = accept(l, 0, 0);
    shutdown(c, SHUT_WR);
    usleep(50000);
    printf("tcp peer shut writing: %#x\n", revents(k));
    close(c);
    usleep(50000);
    printf("tcp peer closed: %#x\n", revents(k));
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    close(sv[1]);
    printf("unix peer closed: %#x\n", revents(sv[0]));
    return 0;
}
