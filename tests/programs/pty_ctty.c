/* A session leader with no controlling terminal gets one when it opens a terminal for
 * reading, not when it opens it write-only (tty_open_proc_set_tty): /dev/tty says which. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *dev_tty(void) {
    int fd = open("/dev/tty", O_RDWR);
    if (fd < 0)
        return errno == ENXIO ? "ENXIO" : strerror(errno);
    close(fd);
    return "ok";
}

int main(void) {
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    grantpt(master);
    unlockpt(master);
    char *name = ptsname(master);
    pid_t child = fork();
    if (child == 0) {
        setsid();
        int w = open(name, O_WRONLY);
        printf("write-only open: /dev/tty %s\n", dev_tty());
        close(w);
        int rw = open(name, O_RDWR);
        printf("read-write open: /dev/tty %s\n", dev_tty());
        close(rw);
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    return 0;
}
