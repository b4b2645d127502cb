/* Canonical line editing's literal-next (^V) and reprint (^R) keys on a pseudo-terminal:
 * ^V takes the next key as it is (no signal, no erase) and echoes "^\b" for it to overwrite;
 * ^R shows the line again on a new line. Prints what the reader got and what was echoed. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

static void show(const char *what, const unsigned char *s, ssize_t n)
{
    printf("%s:", what);
    for (ssize_t i = 0; i < n; i++)
        printf(s[i] >= 0x20 && s[i] < 0x7f ? " %c" : " \\x%02x", s[i]);
    printf("\n");
}

int main(void)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    grantpt(master);
    unlockpt(master);
    int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
    struct termios t;
    tcgetattr(slave, &t);
    t.c_lflag |= ICANON | ECHO | ECHOCTL | ECHOE | IEXTEN | ISIG;
    t.c_oflag |= OPOST | ONLCR;
    tcsetattr(slave, TCSANOW, &t);
    /* x y ^V ^A z ^V ^C q ^V DEL w ^R newline */
    const char keys[] = "xy\x16\x01z\x16\x03q\x16\x7fw\x12\n";
    write(master, keys, sizeof keys - 1);
    unsigned char buf[256];
    ssize_t n = read(slave, buf, sizeof buf);
    show("line", buf, n);
    usleep(100000);
    struct pollfd p = {master, POLLIN, 0};
    n = poll(&p, 1, 1000) > 0 ? read(master, buf, sizeof buf) : 0;
    show("echo", buf, n);
    return 0;
}
