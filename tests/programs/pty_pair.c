/* A pty pair as a terminal emulator uses one: the child runs on the slave side (its own
 * session, the slave its controlling terminal), the parent types through the master and
 * prints everything the terminal showed, escaped, so the transcript can be compared with
 * Linux's. Covers canonical mode with echo and erase, ^U, raw mode without echo, ISIG (^C
 * reaching the child's foreground group), window size, and the end of the session. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static int master;
static char seen[8192];
static size_t nseen, shown, upto;

/* Read from the master until `want` has been shown (or the terminal ends). */
static void expect(const char *want) {
    char *at;
    while (!(at = memmem(seen + upto, nseen - upto, want, strlen(want)))) {
        ssize_t n = read(master, seen + nseen, sizeof seen - nseen - 1);
        if (n <= 0) {
            printf("[read ended: %s]\n", n < 0 ? strerror(errno) : "EOF");
            return;
        }
        nseen += n;
    }
    upto = at - seen + strlen(want);
}

static void show(const char *label) {
    printf("%s: \"", label);
    for (size_t i = shown; i < upto; i++) {
        unsigned char c = seen[i];
        if (c == '\r') printf("\\r");
        else if (c == '\n') printf("\\n");
        else if (c == '\b') printf("\\b");
        else if (c < 0x20 || c >= 0x7f) printf("\\x%02x", c);
        else putchar(c);
    }
    printf("\"\n");
    shown = upto;
}

static void type(const char *keys) {
    write(master, keys, strlen(keys));
}

static void child(const char *name) {
    setsid();
    int s = open(name, O_RDWR);          /* a session leader's first terminal: its ctty */
    dup2(s, 0); dup2(s, 1); dup2(s, 2);
    if (s > 2) close(s);
    close(master);
    struct winsize w;
    ioctl(0, TIOCGWINSZ, &w);
    printf("isatty %d ttyname %s size %dx%d fg %d\n", isatty(0), ttyname(0), w.ws_row,
           w.ws_col, tcgetpgrp(0) == getpgrp());
    fflush(stdout);
    char line[128];
    for (int i = 0; i < 2 && fgets(line, sizeof line, stdin); i++) {
        line[strcspn(line, "\n")] = 0;
        printf("line [%s]\n", line);
        fflush(stdout);
    }
    struct termios t, saved;
    tcgetattr(0, &t);
    saved = t;
    t.c_lflag &= ~(ICANON | ECHO);
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    tcsetattr(0, TCSANOW, &t);
    printf("raw\n");
    fflush(stdout);
    char keys[3];
    ssize_t n = read(0, keys, 3);
    printf("keys %zd: %d %d %d\n", n, keys[0], n > 1 ? keys[1] : -1, n > 2 ? keys[2] : -1);
    tcsetattr(0, TCSANOW, &saved);
    printf("waiting for ^C\n");
    fflush(stdout);
    pause();                             /* SIGINT's default action ends it */
}

int main(void) {
    master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) || unlockpt(master)) {
        perror("posix_openpt");
        return 1;
    }
    char name[64];
    strcpy(name, ptsname(master));       /* ptsname's buffer is reused by the next call */
    printf("slave %s\n", name);
    struct winsize ws = {.ws_row = 30, .ws_col = 100};
    ioctl(master, TIOCSWINSZ, &ws);
    int locked = 1;
    int other = posix_openpt(O_RDWR | O_NOCTTY);
    ioctl(other, TIOCSPTLCK, &locked);
    char other_name[64];
    strcpy(other_name, ptsname(other));
    errno = 0;
    printf("open locked slave: %s\n", open(other_name, O_RDWR | O_NOCTTY) < 0 ? strerror(errno) : "opened");
    close(other);
    fflush(stdout);

    pid_t pid = fork();
    if (pid == 0) {
        child(name);
        return 0;
    }
    expect("fg 1\r\n");
    show("start");
    type("hello wox\x7frld\n");         /* an erase: echoed as "\b \b" */
    expect("line [");
    expect("]\r\n");
    show("line 1");
    type("junk\x15" "again\r");             /* ^U kills the line; CR arrives as NL (ICRNL) */
    expect("]\r\n");
    show("line 2");
    expect("raw\r\n");
    show("raw mode");
    type("abc");                         /* not echoed, read at once */
    expect("\r\n");
    show("keys");
    expect("waiting for ^C\r\n");
    show("waiting");
    type("\x03");                        /* ISIG: SIGINT for the foreground group, echoed */
    int status;
    waitpid(pid, &status, 0);
    expect("^C");
    show("after ^C");
    char rest[16];
    errno = 0;
    ssize_t n = read(master, rest, sizeof rest);    /* every slave closed: EIO */
    printf("master read after the child: %zd %s\n", n, n < 0 ? strerror(errno) : "");
    struct pollfd hup = {master, POLLIN, 0};
    int ready = poll(&hup, 1, 0);
    printf("master poll after the child: %d %#x\n", ready, hup.revents);
    printf("child %s %d\n", WIFSIGNALED(status) ? "killed by" : "exited",
           WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    return 0;
}
