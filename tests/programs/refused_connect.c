/* A non-blocking TCP connect to a loopback port nobody listens on: EINPROGRESS, then the
 * refusal through poll and SO_ERROR (once), as Linux reports the peer's reset. A blocking
 * connect is refused in the call. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(1)};
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int r = connect(s, (struct sockaddr *)&to, sizeof to);
    printf("nonblocking connect %d %s\n", r, r ? (errno == EINPROGRESS ? "EINPROGRESS" : "other") : "");
    struct pollfd pfd = {s, POLLIN | POLLOUT, 0};
    int n = poll(&pfd, 1, 1000);
    printf("poll %d out %d err %d hup %d\n", n, !!(pfd.revents & POLLOUT),
           !!(pfd.revents & POLLERR), !!(pfd.revents & POLLHUP));
    int err = -1;
    socklen_t len = sizeof err;
    getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len);
    printf("so_error refused %d\n", err == ECONNREFUSED);
    getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len);
    printf("so_error then %d\n", err);
    close(s);
    s = socket(AF_INET, SOCK_STREAM, 0);
    r = connect(s, (struct sockaddr *)&to, sizeof to);
    printf("blocking connect %d refused %d\n", r, errno == ECONNREFUSED);
    return 0;
}
