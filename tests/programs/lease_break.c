/* Leases broken as Linux breaks them: another process's conflicting open or truncate signals
 * the holder (SIGIO) and waits until the holder gives the lease up (or downgrades a write
 * lease for a reader); O_NONBLOCK says EWOULDBLOCK instead; while a writer waits the holder
 * may not downgrade. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BREAK_BY_TRUNCATE 3

static int result(long r) { return r < 0 ? -errno : (int)r; }

static void one(int lease, int how, const char *what)
{
    struct timespec ts = {5, 0};
    sigset_t set;
    int fd, st, go[2];
    char c;

    sigemptyset(&set);
    sigaddset(&set, SIGIO);
    sigprocmask(SIG_BLOCK, &set, NULL);
    pipe(go);
    fflush(stdout);
    if (fork() == 0) {
        int nonblocking = 0, r;

        read(go[0], &c, 1);
        if (how != BREAK_BY_TRUNCATE)
            nonblocking = result(open("f", how | O_NONBLOCK));
        r = how == BREAK_BY_TRUNCATE ? truncate("f", 0) : open("f", how);
        /* printed once through: the holder has printed all it will by then */
        if (how != BREAK_BY_TRUNCATE)
            printf("%s: nonblocking breaker %d\n", what, nonblocking);
        printf("%s: breaker %s\n", what, r < 0 ? "failed" : "got through");
        fflush(stdout);
        _exit(0);
    }
    fd = open("f", O_RDONLY);
    printf("%s: set lease %d\n", what, result(fcntl(fd, F_SETLEASE, lease)));
    write(go[1], "x", 1);
    printf("%s: signal %d\n", what, result(sigtimedwait(&set, NULL, &ts)));
    usleep(100000);     /* the breaker is waiting by now */
    printf("%s: get lease %d\n", what, result(fcntl(fd, F_GETLEASE)));
    printf("%s: downgrade %d\n", what, result(fcntl(fd, F_SETLEASE, F_RDLCK)));
    fflush(stdout);
    if (how != O_RDONLY)
        fcntl(fd, F_SETLEASE, F_UNLCK);
    wait(&st);
    close(fd);
}

int main(void)
{
    close(open("f", O_CREAT | O_WRONLY, 0644));
    one(F_WRLCK, O_RDONLY, "write lease, reader");
    one(F_WRLCK, O_WRONLY, "write lease, writer");
    one(F_RDLCK, BREAK_BY_TRUNCATE, "read lease, truncate");
    return 0;
}
