/* What an SA_RESTART handler does to a call it interrupts, as Linux decides it: a pipe write
 * that moved part of its bytes returns that count (it is not run again to the end), and a
 * socket wait with SO_RCVTIMEO ends with EINTR (sock_intr_errno: a timed wait is never
 * restarted); a wait without a timeout is restarted. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void handler(int sig)
{
    (void)sig;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void alarm_in(long usec)
{
    struct itimerval it = {{0, 0}, {0, usec}};
    setitimer(ITIMER_REAL, &it, NULL);
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    setvbuf(stdout, NULL, _IONBF, 0);

    int q[2];
    pipe(q);
    fcntl(q[1], F_SETPIPE_SZ, 4096);
    pid_t child = fork();
    if (child == 0) {
        close(q[1]);
        usleep(500000);
        char d[8192];
        ssize_t n = 0, r;
        while ((r = read(q[0], d, sizeof d)) > 0)
            n += r;
        printf("reader got %zd\n", n);
        _exit(0);
    }
    close(q[0]);
    static char big[8192];
    alarm_in(150000);
    printf("pipe write of 8192 into 4096: %zd\n", write(q[1], big, sizeof big));
    close(q[1]);
    waitpid(child, NULL, 0);

    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    struct timeval tv = {1, 0};
    setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char b;
    alarm_in(200000);
    double t0 = now();
    ssize_t r = recv(sv[0], &b, 1, 0);
    printf("recv with SO_RCVTIMEO: %zd %s, early: %s\n", r, strerror(errno),
           now() - t0 < 0.8 ? "yes" : "no");
    child = fork();
    if (child == 0) {
        usleep(400000);
        write(sv[1], "x", 1);
        _exit(0);
    }
    alarm_in(200000);
    r = read(sv[0], &b, 1);   /* SO_RCVTIMEO applies to read too: EINTR again */
    printf("read with SO_RCVTIMEO: %zd %s\n", r, strerror(errno));
    tv.tv_sec = 0;
    setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    alarm_in(100000);
    errno = 0;
    r = read(sv[0], &b, 1);   /* no timeout: restarted, then the byte */
    printf("read without a timeout: %zd %c\n", r, r == 1 ? b : '-');
    waitpid(child, NULL, 0);
    return 0;
}
