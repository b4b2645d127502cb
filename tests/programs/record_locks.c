/* Advisory locks: POSIX record locks (conflicts between processes, F_GETLK's report, split
 * and merge, release by any close and by exit, EDEADLK for a cycle of F_SETLKW waits), OFD
 * locks (owned by the description), and flock(2). Prints what it sees. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef F_OFD_SETLK
#define F_OFD_GETLK 36
#define F_OFD_SETLK 37
#define F_OFD_SETLKW 38
#endif

static int fd;

static int lk(int f, int cmd, short type, off_t start, off_t len)
{
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
    return fcntl(f, cmd, &fl) == 0 ? 0 : errno;
}

static void getlk(const char *who, int cmd, short type, off_t start, off_t len)
{
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
    if (fcntl(fd, cmd, &fl) != 0) {
        printf("%s: getlk errno %d\n", who, errno);
        return;
    }
    printf("%s: type %d start %ld len %ld pid %s\n", who, fl.l_type, (long)fl.l_start,
           (long)fl.l_len, fl.l_pid == getppid() ? "parent" : fl.l_pid == -1 ? "-1" : "other");
}

static int child(void (*fn)(void))
{
    pid_t pid = fork();
    if (pid == 0) {
        fn();
        exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    return status;
}

static void probe(void)
{
    getlk("probe 0-9 wr", F_GETLK, F_WRLCK, 0, 10);
    getlk("probe 20-29 rd", F_GETLK, F_RDLCK, 20, 10);
    getlk("probe 20-29 wr", F_GETLK, F_WRLCK, 20, 10);
    getlk("probe 50- wr", F_GETLK, F_WRLCK, 50, 0);
    printf("probe setlk 5: %d\n", lk(fd, F_SETLK, F_WRLCK, 5, 1));
}

static void ofd_probe(void)
{
    getlk("ofd probe", F_OFD_GETLK, F_WRLCK, 0, 0);
    printf("ofd probe setlk: %d\n", lk(fd, F_OFD_SETLK, F_WRLCK, 0, 1));
}

static void flock_probe(void)
{
    int other = open("/tmp/locks", O_RDWR);
    printf("flock probe ex nb: %d\n", flock(other, LOCK_EX | LOCK_NB) ? errno : 0);
    printf("flock probe sh nb (inherited description): %d\n", flock(fd, LOCK_SH | LOCK_NB) ? errno : 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    fd = open("/tmp/locks", O_RDWR | O_CREAT | O_TRUNC, 0644);
    /* a write lock on 0-9, a read lock on 20-29 and one from 100 on */
    printf("set: %d %d %d\n", lk(fd, F_SETLK, F_WRLCK, 0, 10), lk(fd, F_SETLK, F_RDLCK, 20, 10),
           lk(fd, F_SETLK, F_RDLCK, 100, 0));
    child(probe);
    /* unlocking the middle of 0-9 splits it: 5 is free, 4 and 6 are not */
    lk(fd, F_SETLK, F_UNLCK, 5, 1);
    child(probe);
    /* any close of the file through this table drops the POSIX locks */
    int dup = open("/tmp/locks", O_RDONLY);
    close(dup);
    child(probe);
    /* a wrong access mode */
    int ro = open("/tmp/locks", O_RDONLY);
    printf("write lock on read-only fd: %d\n", lk(ro, F_SETLK, F_WRLCK, 0, 1));
    printf("bad type: %d\n", lk(ro, F_SETLK, 9, 0, 1));
    close(ro);

    /* deadlock: the child holds 1, waits for 0 (held by us); we then ask for 1 */
    lk(fd, F_SETLK, F_WRLCK, 0, 1);
    pid_t pid = fork();
    if (pid == 0) {
        lk(fd, F_SETLK, F_WRLCK, 1, 1);
        printf("child waits: %d\n", lk(fd, F_SETLKW, F_WRLCK, 0, 1));
        exit(0);
    }
    int got = EAGAIN;
    for (int i = 0; i < 20000 && got == EAGAIN; i++) {
        usleep(100);
        got = lk(fd, F_SETLK, F_WRLCK, 1, 1);    /* EAGAIN until the child holds 1 */
        if (got == 0) {                         /* the child had not run yet */
            lk(fd, F_SETLK, F_UNLCK, 1, 1);
            got = EAGAIN;
        }
    }
    printf("parent setlkw: %d\n", lk(fd, F_SETLKW, F_WRLCK, 1, 1));
    lk(fd, F_SETLK, F_UNLCK, 0, 0);             /* the child gets 0 and exits */
    int status;
    waitpid(pid, &status, 0);
    /* the child's exit released its lock on 1 */
    printf("after child exit: %d\n", lk(fd, F_SETLK, F_WRLCK, 1, 1));
    lk(fd, F_SETLK, F_UNLCK, 0, 0);

    /* OFD locks belong to the description: a forked child shares it, a new open does not */
    printf("ofd set: %d\n", lk(fd, F_OFD_SETLK, F_WRLCK, 0, 0));
    child(ofd_probe);
    int other = open("/tmp/locks", O_RDWR);
    printf("ofd other description: %d\n", lk(other, F_OFD_SETLK, F_WRLCK, 0, 1));
    printf("posix vs ofd: %d\n", lk(other, F_SETLK, F_RDLCK, 0, 1));
    close(other);
    lk(fd, F_OFD_SETLK, F_UNLCK, 0, 0);

    /* flock: whole-file, by description, apart from record locks */
    printf("flock ex: %d\n", flock(fd, LOCK_EX) ? errno : 0);
    child(flock_probe);
    printf("flock bad op: %d\n", flock(fd, 0) ? errno : 0);

    /* Locks live on inodes, a pipe's, a socket's and a device's too (make -O locks its
     * output pipe); a pipe's two ends are one inode. */
    int pp[2], sp[2], null = open("/dev/null", O_RDWR);
    pipe(pp);
    socketpair(AF_UNIX, SOCK_STREAM, 0, sp);
    int a = lk(pp[1], F_SETLK, F_WRLCK, 0, 1), b = lk(pp[0], F_SETLK, F_RDLCK, 0, 1);
    printf("pipe setlk: %d read end: %d\n", a, b);
    a = flock(pp[0], LOCK_EX | LOCK_NB) ? errno : 0;
    b = flock(pp[1], LOCK_EX | LOCK_NB) ? errno : 0;
    printf("pipe flock: %d other end: %d\n", a, b);
    a = lk(sp[0], F_SETLK, F_WRLCK, 0, 0);
    b = flock(sp[0], LOCK_EX | LOCK_NB) ? errno : 0;
    printf("socket setlk: %d flock: %d\n", a, b);
    a = lk(null, F_SETLK, F_WRLCK, 0, 0);
    b = flock(null, LOCK_SH) ? errno : 0;
    printf("device setlk: %d flock: %d\n", a, b);
    return 0;
}
