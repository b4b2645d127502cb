/* A pty master in packet mode (TIOCPKT, as screen and rlogind use it): each read starts with
 * a status byte, TIOCPKT_DATA before the slave's output, or an event alone: the slave's
 * queues flushed, ^S/^Q flow control turned off and on. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

static void take(const char *what, int m)
{
    unsigned char b[32];
    struct pollfd pfd = {m, POLLIN | POLLPRI, 0};
    int ready = poll(&pfd, 1, 200);
    int n = read(m, b, sizeof b);
    printf("%s: poll %d pri %d read %d status %d", what, ready, !!(pfd.revents & POLLPRI), n,
           n > 0 ? b[0] : -1);
    if (n > 1)
        printf(" [%.*s]", n - 1, (char *)b + 1);
    printf("\n");
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int m = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK);
    grantpt(m);
    unlockpt(m);
    int on = 1, got = -1;
    printf("TIOCPKT %d\n", ioctl(m, TIOCPKT, &on));
    ioctl(m, TIOCGPKT, &got);
    printf("TIOCGPKT %d\n", got);
    int s = open(ptsname(m), O_RDWR | O_NOCTTY);
    struct termios t;
    tcgetattr(s, &t);
    cfmakeraw(&t);
    t.c_iflag |= IXON;
    tcsetattr(s, TCSANOW, &t);
    take("raw with ixon", m);
    write(s, "hi", 2);
    take("data", m);
    tcflush(s, TCIFLUSH);
    take("input flushed", m);
    t.c_iflag &= ~IXON;
    tcsetattr(s, TCSANOW, &t);
    take("ixon off", m);
    t.c_iflag |= IXON;
    tcsetattr(s, TCSANOW, &t);
    take("ixon on", m);
    return 0;
}
