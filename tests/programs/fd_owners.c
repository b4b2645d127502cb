/* F_SETOWN/F_GETOWN, F_SETSIG/F_GETSIG and F_SETOWN_EX/F_GETOWN_EX answer on a descriptor of
 * any kind (fs/fcntl.c keeps the owner in every struct file): a signalfd took them for its
 * own and the handler failed. Prints a line per kind that answers otherwise. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

static int failures;

static void check(const char *kind, int fd)
{
    struct f_owner_ex ex = {F_OWNER_PID, getpid()}, back = {0, 0};
    int own = fcntl(fd, F_SETOWN, getpid()) == 0 && fcntl(fd, F_GETOWN) == getpid();
    int sig = fcntl(fd, F_SETSIG, SIGUSR1) == 0 && fcntl(fd, F_GETSIG) == SIGUSR1;
    int exo = fcntl(fd, F_SETOWN_EX, &ex) == 0 && fcntl(fd, F_GETOWN_EX, &back) == 0 &&
              back.type == F_OWNER_PID && back.pid == getpid();
    if (fd < 0 || !own || !sig || !exo) {
        printf("%s: fd %d owner %d signal %d owner_ex %d\n", kind, fd, own, sig, exo);
        failures++;
    }
}

int main(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    int pipes[2], pair[2];
    pipe(pipes);
    socketpair(AF_UNIX, SOCK_STREAM, 0, pair);
    check("signalfd", signalfd(-1, &set, 0));
    check("eventfd", eventfd(0, 0));
    check("timerfd", timerfd_create(CLOCK_MONOTONIC, 0));
    check("epoll", epoll_create1(0));
    check("inotify", inotify_init1(0));
    check("memfd", memfd_create("owners", 0));
    check("pipe", pipes[0]);
    check("socket", pair[0]);
    check("file", open("/", O_RDONLY | O_DIRECTORY));
    printf("%d failures\n", failures);
    return failures != 0;
}
