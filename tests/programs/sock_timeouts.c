/* SO_RCVTIMEO and SO_SNDTIMEO bound read, readv and write on sockets as they bound recv
 * and send (socket(7)): each returns EAGAIN once the timeout passes. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void report(const char *what, long r, double started)
{
    printf("%s: %ld %s, waited %d\n", what, r, r < 0 ? strerror(errno) : "",
           now() - started >= 0.15);
}

int main(void)
{
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    struct timeval tv = {0, 200000};
    setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    char buf[4096];
    double t = now();
    report("read", read(sv[0], buf, sizeof buf), t);
    struct iovec iov = {buf, sizeof buf};
    t = now();
    report("readv", readv(sv[0], &iov, 1), t);
    int flags = fcntl(sv[0], F_GETFL);
    fcntl(sv[0], F_SETFL, flags | O_NONBLOCK);
    memset(buf, 'x', sizeof buf);
    while (write(sv[0], buf, sizeof buf) > 0)
        ;
    fcntl(sv[0], F_SETFL, flags);
    t = now();
    report("write to a full socket", write(sv[0], buf, sizeof buf), t);
    write(sv[1], "ok", 2);
    t = now();
    long r = read(sv[0], buf, sizeof buf);
    printf("data still comes: %ld\n", r);
    return 0;
}
