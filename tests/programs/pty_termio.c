/* The SysV termio ioctls (TCGETA, TCSETA*), the termios lock (TIOC[GS]LCKTRMIOS) and the
 * break ioctls on a pseudo-terminal. Prints the same on Linux, as root. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>

#ifndef TCGETA               /* <termio.h>'s, which musl has not */
#define TCGETA 0x5405
#define TCSETA 0x5406
#endif

struct sysv_termio {         /* struct termio, which musl has not either */
    unsigned short c_iflag, c_oflag, c_cflag, c_lflag;
    unsigned char c_line, c_cc[8];
};
#include <unistd.h>

int main(void)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    grantpt(master);
    unlockpt(master);
    int s = open(ptsname(master), O_RDWR | O_NOCTTY);
    struct sysv_termio t;
    struct termios ts;
    int r = ioctl(s, TCGETA, &t);
    printf("TCGETA %d: canonical %d, intr %d\n", r, !!(t.c_lflag & ICANON), t.c_cc[VINTR]);
    t.c_lflag &= ~ICANON;
    t.c_cc[VINTR] = 7;
    r = ioctl(s, TCSETA, &t);
    printf("TCSETA %d", r);
    tcgetattr(s, &ts);
    printf(": canonical %d, intr %d, iexten kept %d\n", !!(ts.c_lflag & ICANON), ts.c_cc[VINTR],
           !!(ts.c_lflag & IEXTEN));
    struct termios lock = {0};
    lock.c_lflag = ECHO;
    r = ioctl(s, TIOCSLCKTRMIOS, &lock);
    printf("TIOCSLCKTRMIOS %d", r);
    ts.c_lflag &= ~(ECHO | ISIG);
    tcsetattr(s, TCSANOW, &ts);
    tcgetattr(s, &ts);
    printf(": echo locked on %d, isig off %d\n", !!(ts.c_lflag & ECHO), !(ts.c_lflag & ISIG));
    struct termios got;
    r = ioctl(s, TIOCGLCKTRMIOS, &got);
    printf("TIOCGLCKTRMIOS %d: lflag lock %#x\n", r, (unsigned)got.c_lflag);
    r = ioctl(s, TIOCSBRK, 0);
    printf("TIOCSBRK %d TIOCCBRK %d\n", r, ioctl(s, TIOCCBRK, 0));
    return 0;
}
