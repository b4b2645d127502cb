/* Socket queue details: MSG_TRUNC gives a seqpacket message's whole length, MSG_WAITALL
 * does not wait when the call may not (MSG_DONTWAIT, O_NONBLOCK) and a signal ends its wait
 * with the bytes already there, SIOCOUTQ and SIOCATMARK answer on TCP. Prints the same on
 * Linux. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef SIOCOUTQ
#define SIOCOUTQ 0x5411        /* <linux/sockios.h>, which musl's headers do not bring */
#endif
#ifndef SIOCATMARK
#define SIOCATMARK 0x8905
#endif

static void on_alarm(int sig)
{
    (void)sig;
}

int main(void)
{
    int sp[2];
    char b[16];
    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sp);
    write(sp[0], "abcdef", 6);
    printf("seqpacket MSG_TRUNC: %zd\n", recv(sp[1], b, 2, MSG_TRUNC));
    int st[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, st);
    write(st[0], "12345", 5);
    printf("WAITALL|DONTWAIT: %zd\n", recv(st[1], b, 10, MSG_WAITALL | MSG_DONTWAIT));
    write(st[0], "12345", 5);
    fcntl(st[1], F_SETFL, O_NONBLOCK);
    printf("WAITALL on O_NONBLOCK: %zd\n", recv(st[1], b, 10, MSG_WAITALL));
    int w[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, w);
    struct sigaction sa = {.sa_handler = on_alarm};   /* no SA_RESTART */
    sigaction(SIGALRM, &sa, 0);
    write(w[0], "12345", 5);
    alarm(1);
    printf("WAITALL ended by a signal: %zd\n", recv(w[1], b, 10, MSG_WAITALL));
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bind(l, (void *)&a, sizeof a);
    listen(l, 1);
    socklen_t al = sizeof a;
    getsockname(l, (void *)&a, &al);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, (void *)&a, sizeof a);
    int k = accept(l, 0, 0);
    write(c, "xyz", 3);
    usleep(50000);
    int outq = -1, mark = -1;
    int r1 = ioctl(c, SIOCOUTQ, &outq), r2 = ioctl(k, SIOCATMARK, &mark);
    printf("tcp SIOCOUTQ %d %d, SIOCATMARK %d %d\n", r1, outq, r2, mark);
    return 0;
}
