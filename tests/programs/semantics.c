/* Linux's answers where a call has several reasons to fail (the order of its checks) and
 * other semantics LTP measures. One line per check: "name: result errno". */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *ename(int e)
{
    static const struct { int e; const char *name; } names[] = {
        {EPERM, "EPERM"}, {ENOENT, "ENOENT"}, {ESRCH, "ESRCH"}, {EINTR, "EINTR"},
        {EBADF, "EBADF"}, {EAGAIN, "EAGAIN"}, {ENOMEM, "ENOMEM"}, {EACCES, "EACCES"},
        {EFAULT, "EFAULT"}, {EEXIST, "EEXIST"}, {ENOTDIR, "ENOTDIR"}, {EISDIR, "EISDIR"},
        {EINVAL, "EINVAL"}, {ESPIPE, "ESPIPE"}, {EPIPE, "EPIPE"}, {ENOSYS, "ENOSYS"},
        {EOPNOTSUPP, "EOPNOTSUPP"}, {ENXIO, "ENXIO"}, {E2BIG, "E2BIG"}, {ECHILD, "ECHILD"},
    };
    for (unsigned i = 0; i < sizeof names / sizeof *names; i++)
        if (names[i].e == e)
            return names[i].name;
    return "E?";
}

#define SHOW(name, call)                                                                    \
    do {                                                                                    \
        errno = 0;                                                                          \
        long r_ = (long)(call);                                                             \
        printf("%s: %ld %s\n", name, r_ < 0 ? -1L : r_, r_ < 0 ? ename(errno) : "-"); \
    } while (0)

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int fd = open("/tmp/f", O_CREAT | O_RDWR | O_TRUNC, 0644);
    int ro = open("/tmp/f", O_RDONLY);
    /* dup3: flags, then old == new, then the descriptors */
    SHOW("dup3 same fd", syscall(SYS_dup3, fd, fd, 0));
    SHOW("dup3 bad flags", syscall(SYS_dup3, 99, fd, -1));
    SHOW("dup3 bad old", syscall(SYS_dup3, 99, 50, O_CLOEXEC));
    /* ftruncate: a negative length or a read-only descriptor are EINVAL */
    SHOW("ftruncate read-only", ftruncate(ro, 4));
    SHOW("ftruncate negative", ftruncate(fd, -1));
    SHOW("ftruncate bad fd", ftruncate(-1, 4));
    /* a FIFO opened O_RDWR is both ends, without waiting */
    mkfifo("/tmp/fifo", 0600);
    int rw = open("/tmp/fifo", O_RDWR);
    SHOW("fifo O_RDWR write", write(rw, "abc", 3));
    char buf[8] = {0};
    SHOW("fifo O_RDWR read", read(rw, buf, sizeof buf));
    return 0;
}
