/* Sessions and process groups as Linux keeps them: setsid, setpgid, getpgid, getsid,
 * /dev/tty without a controlling terminal, TIOCSCTTY, tcsetpgrp and SIGTTOU/SIGTTIN. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static const char *err(int rc) {
    if (rc >= 0) return "ok";
    switch (errno) {
    case EPERM: return "EPERM";
    case ESRCH: return "ESRCH";
    case EIO: return "EIO";
    case ENXIO: return "ENXIO";
    case ENOTTY: return "ENOTTY";
    default: return strerror(errno);
    }
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    /* A group leader cannot start a session. */
    setpgid(0, 0);
    printf("setsid as group leader: %s\n", err(setsid()));
    int go[2], back[2];
    pipe(go);
    pipe(back);
    pid_t child = fork();
    if (child == 0) {
        char c;
        read(go[0], &c, 1);
        const char *made = err(setsid());
        printf("child setsid: %s, sid is pid %d\n", made, getsid(0) == getpid());
        write(back[1], "x", 1);
        read(go[0], &c, 1);
        printf("child /dev/tty without a terminal: %s\n", err(open("/dev/tty", O_RDWR)));
        int m = posix_openpt(O_RDWR | O_NOCTTY);
        unlockpt(m);
        int s = open(ptsname(m), O_RDWR | O_NOCTTY);
        printf("tcgetpgrp before TIOCSCTTY: %s\n", err(tcgetpgrp(s)));
        printf("TIOCSCTTY: %s\n", err(ioctl(s, TIOCSCTTY, 0)));
        printf("foreground is mine %d, TIOCGSID is me %d\n", tcgetpgrp(s) == getpgrp(),
               tcgetsid(s) == getpid());
        pid_t bg = fork();
        if (bg == 0) {
            setpgid(0, 0);           /* a background group of the same session */
            signal(SIGTTOU, SIG_IGN);
            printf("background tcsetpgrp, SIGTTOU ignored: %s\n", err(tcsetpgrp(s, getpgrp())));
            printf("now foreground %d\n", tcgetpgrp(s) == getpgrp());
            _exit(0);
        }
        int st;
        waitpid(bg, &st, 0);
        /* The session leader is background now: its read of the terminal stops it. */
        pid_t reader = fork();
        if (reader == 0) {
            char buf[4];
            read(s, buf, sizeof buf);
            _exit(0);
        }
        waitpid(reader, &st, WUNTRACED);
        printf("reader in the background: %s %d\n", WIFSTOPPED(st) ? "stopped by" : "ended",
               WIFSTOPPED(st) ? WSTOPSIG(st) : st);
        kill(reader, SIGKILL);
        waitpid(reader, &st, 0);
        signal(SIGTTIN, SIG_IGN);
        char buf[4];
        printf("background read, SIGTTIN ignored: %s\n", err(read(s, buf, sizeof buf)));
        _exit(0);
    }
    printf("getpgid(child) is mine %d\n", getpgid(child) == getpgrp());
    printf("setpgid(child) into a missing group: %s\n", err(setpgid(child, 99999)));
    write(go[1], "x", 1);
    char c;
    read(back[0], &c, 1);
    printf("setpgid of a child in another session: %s\n", err(setpgid(child, child)));
    write(go[1], "x", 1);
    int st;
    waitpid(child, &st, 0);
    printf("setpgid of a reaped child: %s\n", err(setpgid(child, 0)));
    printf("getsid of a missing pid: %s\n", err(getsid(99999)));
    return 0;
}
