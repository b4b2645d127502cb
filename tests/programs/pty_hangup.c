/* A pty slave after its master closes, and a master after its slave closes, as Linux answers
 * them. The master's last close hangs the slave up (pty_close -> tty_vhangup): every slave
 * descriptor becomes a hung-up file whose poll says IN|OUT|ERR|HUP, whose reads give end of
 * file (unread input is gone), whose writes and ioctls give EIO. The slave's last close
 * leaves the master readable until its output is read, then EIO and POLLHUP; a slave opened
 * again clears that. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static int pair(int *slave, char *name) {
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    grantpt(m);
    unlockpt(m);
    strcpy(name, ptsname(m));
    *slave = open(name, O_RDWR | O_NOCTTY);
    return m;
}

static const char *err(long r) {
    return r < 0 ? strerror(errno) : "ok";
}

static int revents(int fd, short events) {
    struct pollfd pf = {fd, events, 0};
    int n = poll(&pf, 1, 0);
    return n == 1 ? pf.revents : -n;
}

static void io(const char *label, int fd) {
    char b[64];
    long n = read(fd, b, sizeof b);
    printf("%s read %ld %s\n", label, n, err(n));
    n = write(fd, "x", 1);
    printf("%s write %ld %s\n", label, n, err(n));
}

static void hung_up_slave(void) {
    int s;
    char name[64];
    int m = pair(&s, name);
    write(m, "ab\n", 3);
    close(m);
    printf("poll in %#x in|out %#x none %#x\n", revents(s, POLLIN), revents(s, POLLIN | POLLOUT),
           revents(s, 0));
    fd_set r, w, x;
    FD_ZERO(&r); FD_ZERO(&w); FD_ZERO(&x);
    FD_SET(s, &r); FD_SET(s, &w); FD_SET(s, &x);
    struct timeval tv = {0, 0};
    int n = select(s + 1, &r, &w, &x, &tv);
    printf("select %d read %d write %d except %d\n", n, FD_ISSET(s, &r), FD_ISSET(s, &w),
           FD_ISSET(s, &x));
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT}, got;
    epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev);
    n = epoll_wait(ep, &got, 1, 0);
    printf("epoll %d %#x\n", n, n == 1 ? got.events : 0);
    close(ep);
    struct termios t;
    int r1 = tcgetattr(s, &t);
    printf("tcgetattr %d %s\n", r1, err(r1));
    printf("isatty %d\n", isatty(s));
    int q = 0;
    r1 = ioctl(s, FIONREAD, &q);
    printf("FIONREAD %d %s\n", r1, err(r1));
    pid_t pg = getpgrp();
    r1 = ioctl(s, TIOCSPGRP, &pg);
    printf("TIOCSPGRP %d %s\n", r1, err(r1));
    struct stat st;
    r1 = fstat(s, &st);
    printf("fstat %d %s\n", r1, err(r1));
    io("slave", s);
    io("slave again", s);
    int again = open(name, O_RDWR | O_NOCTTY);
    printf("open slave again %d %s\n", again < 0 ? -1 : 0, err(again));
    close(s);
}

static void blocked_reader_wakes(void) {
    int s;
    char name[64];
    int m = pair(&s, name);
    pid_t child = fork();
    if (child == 0) {
        close(m);
        char b[16];
        long n = read(s, b, sizeof b);
        printf("blocked read %ld %s\n", n, err(n));
        fflush(stdout);
        _exit(0);
    }
    close(s);
    usleep(200 * 1000);
    close(m);
    waitpid(child, 0, 0);
}

static void last_master_close_hangs_up(void) {
    int s;
    char name[64];
    int m = pair(&s, name);
    int m2 = dup(m);
    close(m);
    printf("one master copy closed: poll %#x\n", revents(s, POLLIN | POLLOUT));
    long n = write(s, "y", 1);
    printf("slave write %ld %s\n", n, err(n));
    close(m2);
    printf("last copy closed: poll %#x\n", revents(s, POLLIN | POLLOUT));
    close(s);
}

static void master_after_slave(void) {
    int s;
    char name[64];
    int m = pair(&s, name);
    write(s, "hi", 2);
    close(s);
    printf("master poll %#x\n", revents(m, POLLIN | POLLOUT));
    char b[16];
    long n = read(m, b, sizeof b);
    printf("master read %ld %s\n", n, err(n));
    printf("master poll %#x\n", revents(m, POLLIN | POLLOUT));
    n = read(m, b, sizeof b);
    printf("master read %ld %s\n", n, err(n));
    n = write(m, "k\n", 2);
    printf("master write %ld %s\n", n, err(n));
    s = open(name, O_RDWR | O_NOCTTY);
    printf("slave opened again %d: master poll %#x\n", s >= 0, revents(m, POLLIN | POLLOUT));
    n = read(s, b, sizeof b);
    printf("slave reads %ld %s\n", n, err(n));
    close(s);
    close(m);
}

static int report;

static void on_hup(int sig) {
    (void)sig;
    char c = 'F';                     /* the foreground group */
    if (getsid(0) == getpid())        /* the leader: with no controlling terminal now? */
        c = open("/dev/tty", O_RDWR) < 0 && errno == ENXIO ? 'N' : 'L';
    write(report, &c, 1);
    if (c == 'F')
        _exit(0);
}

static void on_alarm(int sig) {
    (void)sig;
    write(report, "?", 1);
    _exit(0);
}

/* A session on the slave whose foreground group is not the leader's: the hangup signals the
 * session leader (tty_signal_session_leader) and leaves the foreground group to hear it
 * when the leader exits (tty_old_pgrp, disassociate_ctty). */
static void who_hears_the_hangup(void) {
    int s;
    char name[64];
    int m = pair(&s, name);
    close(s);
    int pipes[2], ready[2];
    pipe(pipes);
    pipe(ready);
    report = pipes[1];
    pid_t leader = fork();
    if (leader == 0) {
        close(m);
        close(pipes[0]);
        close(ready[0]);
        setsid();
        s = open(name, O_RDWR);
        signal(SIGHUP, on_hup);
        signal(SIGALRM, on_alarm);
        signal(SIGTTOU, SIG_IGN);
        alarm(10);
        if (fork() == 0) {
            setpgid(0, 0);
            tcsetpgrp(s, getpgrp());
            close(ready[1]);
            for (;;) pause();
        }
        close(ready[1]);
        for (;;) pause();
    }
    close(pipes[1]);
    close(ready[1]);
    char b;
    while (read(ready[0], &b, 1) > 0) {}   /* both are set up: their copies are closed */
    close(m);
    read(pipes[0], &b, 1);
    printf("hangup heard by %c\n", b);
    kill(leader, SIGKILL);
    waitpid(leader, 0, 0);
    read(pipes[0], &b, 1);
    printf("leader gone, heard by %c\n", b);
    while (wait(0) > 0) {}
}

int main(void) {
    setvbuf(stdout, 0, _IONBF, 0);
    signal(SIGHUP, SIG_IGN);
    hung_up_slave();
    blocked_reader_wakes();
    last_master_close_hangs_up();
    master_after_slave();
    who_hears_the_hangup();
    return 0;
}
