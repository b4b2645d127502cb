/* libzmq's signaler (make_fdpair) sends 1 MiB on a blocking loopback TCP socket before its
 * peer reads: Winsock takes a send made within the SO_SNDBUF quota whole (KB214397); the
 * next one waits until the queue is under the quota again. */
#include <winsock2.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    WSADATA wd;
    WSAStartup(MAKEWORD(2, 2), &wd);
    SOCKET l = socket(AF_INET, SOCK_STREAM, 0), w = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    int len = sizeof a;
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(l, (struct sockaddr *)&a, sizeof a);
    getsockname(l, (struct sockaddr *)&a, &len);
    listen(l, 1);
    connect(w, (struct sockaddr *)&a, sizeof a);
    SOCKET r = accept(l, NULL, NULL);
    int n = 1 << 20;
    char *buf = calloc(1, n);
    printf("blocking send of 1 MiB: %d\n", send(w, buf, n, 0));
    u_long on = 1;
    ioctlsocket(w, FIONBIO, &on);
    int again = send(w, buf, n, 0);
    printf("then, over the quota, non-blocking: %d %d\n", again,
           again < 0 && WSAGetLastError() == WSAEWOULDBLOCK);
    int got = 0, k;
    while (got < n && (k = recv(r, buf, n, 0)) > 0)
        got += k;
    printf("received %d\n", got);
    return 0;
}
