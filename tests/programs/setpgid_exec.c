/* setpgid on a child: allowed until the child execs (then EACCES), EPERM once the child is
 * in a session of its own; ioctl on an O_PATH descriptor is EBADF. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static int result(long r) { return r < 0 ? -errno : (int)r; }

int main(int argc, char **argv)
{
    int go[2], ready[2], st;
    char c;
    pid_t child;
    struct termios t;

    if (argc > 1) {                 /* the exec'd child: wait for the parent's word */
        read(0, &c, 1);
        return 0;
    }
    pipe(go);
    child = fork();
    if (child == 0) {
        read(go[0], &c, 1);
        _exit(0);
    }
    printf("before exec: %d\n", result(setpgid(child, child)));
    write(go[1], "x", 1);
    waitpid(child, &st, 0);

    pipe(go);
    pipe(ready);
    child = fork();
    if (child == 0) {
        dup2(go[0], 0);
        close(ready[0]);
        fcntl(ready[1], F_SETFD, FD_CLOEXEC);   /* closes at exec: the parent knows */
        execl("/proc/self/exe", argv[0], "child", (char *)NULL);
        _exit(127);
    }
    close(ready[1]);
    read(ready[0], &c, 1);
    printf("after exec: %d\n", result(setpgid(child, child)));
    write(go[1], "x", 1);
    waitpid(child, &st, 0);

    pipe(go);
    pipe(ready);
    child = fork();
    if (child == 0) {
        setsid();
        write(ready[1], "x", 1);
        read(go[0], &c, 1);
        _exit(0);
    }
    read(ready[0], &c, 1);
    printf("other session: %d\n", result(setpgid(child, getpgrp())));
    write(go[1], "x", 1);
    waitpid(child, &st, 0);

    int fd = open(".", O_PATH);
    printf("ioctl on O_PATH: %d\n", result(ioctl(fd, TCGETS, &t)));
    return 0;
}
