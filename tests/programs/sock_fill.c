/* Fill a non-blocking stream pair until EAGAIN and print how many bytes went in. */
#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void) {
    int sv[2];
    static char chunk[1000];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv)) return 1;
    long total = 0;
    ssize_t n;
    while ((n = write(sv[0], chunk, sizeof chunk)) > 0) total += n;
    printf("%ld %s\n", total, errno == EAGAIN ? "EAGAIN" : "other");
    return 0;
}
