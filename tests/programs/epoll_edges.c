/* epoll edges (hostile36 6c): an unwritable buffer is EFAULT and the ready event stays
   ready; the descriptor is checked before maxevents (ep_check_params); devices with no poll
   operation cannot be watched (EPERM). Prints Linux's lines. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>

#define R(what, expr) do { errno = 0; long r_ = (long)(expr); \
    printf("%s %ld %s\n", what, r_, r_ < 0 ? strerrorname_np(errno) : ""); } while (0)
static struct epoll_event *volatile wild = (struct epoll_event *)0x10;
#define WILD wild

int main(void)
{
    setvbuf(stdout, 0, _IONBF, 0);
    int ep = epoll_create1(0), p[2];
    struct epoll_event ev = {.events = EPOLLIN}, out[4];
    pipe(p);
    R("epoll_ctl ADD pipe", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
    write(p[1], "x", 1);
    R("epoll_wait wild buffer, one ready", epoll_wait(ep, WILD, 4, 0));
    R("epoll_wait the event is still there", epoll_wait(ep, out, 4, 0));
    R("epoll_wait maxevents 0, bad descriptor", epoll_wait(-1, out, 0, 0));
    R("epoll_wait bad descriptor", epoll_wait(-1, out, 4, 0));
    R("epoll_wait on a pipe", epoll_wait(p[0], out, 4, 0));
    const char *devices[] = {"/dev/null", "/dev/zero", "/dev/full", "/dev/urandom", "/dev/random"};
    for (int i = 0; i < 5; i++) {
        int fd = open(devices[i], O_RDONLY);
        char what[64];
        snprintf(what, sizeof what, "epoll_ctl ADD %s", devices[i]);
        R(what, epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
    }
    return 0;
}
