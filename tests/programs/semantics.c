/* Linux's answers where a call has several reasons to fail (the order of its checks) and
 * other semantics LTP measures. One line per check: "name: result errno". */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <time.h>
#include <sys/personality.h>
#include <sys/uio.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
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
        {EOPNOTSUPP, "EOPNOTSUPP"}, {EFBIG, "EFBIG"}, {ETIMEDOUT, "ETIMEDOUT"}, {EOVERFLOW, "EOVERFLOW"}, {ENXIO, "ENXIO"}, {E2BIG, "E2BIG"}, {ECHILD, "ECHILD"}, {ENOEXEC, "ENOEXEC"},
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

static void on_usr1(int sig)
{
    (void)sig;
}

static long proc_long(const char *path)
{
    FILE *f = fopen(path, "r");
    long v = -1;
    if (f) {
        if (fscanf(f, "%ld", &v) != 1)
            v = -2;
        fclose(f);
    }
    return v;
}

static long status_kb(const char *field)
{
    static char buf[8192];
    int fd = open("/proc/self/status", O_RDONLY);
    long n = read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[n > 0 ? n : 0] = 0;
    char *at = strstr(buf, field);
    return at ? strtol(at + strlen(field), NULL, 10) : -1;
}

static int status_has(const char *line)
{
    static char buf[8192];
    int fd = open("/proc/self/status", O_RDONLY);
    long n = read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[n > 0 ? n : 0] = 0;
    return strstr(buf, line) != NULL;
}

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
    /* pipe sizes */
    int pfd[2];
    pipe(pfd);
    SHOW("F_GETPIPE_SZ", fcntl(pfd[0], F_GETPIPE_SZ));
    SHOW("F_SETPIPE_SZ 5000", fcntl(pfd[1], F_SETPIPE_SZ, 5000));
    SHOW("F_GETPIPE_SZ file", fcntl(fd, F_GETPIPE_SZ));
    /* /proc: the tunables and status fields programs read */
    SHOW("pid_max > getpid", proc_long("/proc/sys/kernel/pid_max") > getpid());
    SHOW("pipe-max-size", proc_long("/proc/sys/fs/pipe-max-size") >= 65536);
    SHOW("ngroups_max", proc_long("/proc/sys/kernel/ngroups_max"));
    SHOW("status Uid", status_has("Uid:\t0\t0\t0\t0\n"));
    SHOW("status CapEff", status_has("\nCapEff:\t"));
    char task[64];
    snprintf(task, sizeof task, "/proc/self/task/%d/stat", getpid());
    SHOW("task stat", access(task, R_OK));
    /* the machine's pid 1, priorities, limits, execution domain, timers */
    SHOW("getpgid(1)", getpgid(1));
    SHOW("getsid(1)", getsid(1));
    SHOW("kill(1, 0)", kill(1, 0));
    SHOW("getpriority raw", syscall(SYS_getpriority, PRIO_PROCESS, 0));
    SHOW("setpriority 5", setpriority(PRIO_PROCESS, 0, 5));
    SHOW("getpriority raw after", syscall(SYS_getpriority, PRIO_PROCESS, 0));
    SHOW("getpriority bad which", syscall(SYS_getpriority, 7, 0));
    SHOW("personality query", personality(0xffffffff));
    SHOW("personality set", personality(0x0008));
    SHOW("personality again", personality(0xffffffff));
    struct rlimit rl;
    SHOW("getrlimit bad resource", syscall(SYS_getrlimit, 99, &rl));
    getrlimit(RLIMIT_FSIZE, &rl);
    rl.rlim_cur = 10;
    signal(SIGXFSZ, SIG_IGN);
    SHOW("setrlimit FSIZE", setrlimit(RLIMIT_FSIZE, &rl));
    int big = open("/tmp/big", O_CREAT | O_RDWR | O_TRUNC, 0644);
    SHOW("write past FSIZE", write(big, "0123456789abcdef", 16));
    SHOW("write at FSIZE", write(big, "x", 1));
    int app = open("/tmp/big", O_WRONLY | O_APPEND);
    rl.rlim_cur = RLIM_INFINITY;
    SHOW("setrlimit FSIZE raise", setrlimit(RLIMIT_FSIZE, &rl));
    SHOW("pwrite O_APPEND", pwrite(app, "zz", 2, 0));
    SHOW("size", lseek(big, 0, SEEK_END));
    struct itimerval it = {{0, 0}, {100, 0}};
    SHOW("setitimer virtual", setitimer(ITIMER_VIRTUAL, &it, NULL));
    SHOW("getitimer virtual", getitimer(ITIMER_VIRTUAL, &it));
    SHOW("virtual left <= 100 s", it.it_value.tv_sec <= 100 && it.it_value.tv_sec >= 99);
    SHOW("setitimer bad old", syscall(SYS_setitimer, ITIMER_PROF, &it, (void *)8));
    SHOW("getitimer bad which", getitimer(9, &it));
    /* mmap's checks in order: offset, descriptor, length, type, the file's open mode */
    SHOW("mmap bad offset + fd", mmap(NULL, 4096, PROT_READ, MAP_SHARED, -1, 1) == MAP_FAILED ? -1 : 0);
    SHOW("mmap closed fd", mmap(NULL, 4096, PROT_READ, MAP_SHARED, 99, 0) == MAP_FAILED ? -1 : 0);
    SHOW("mmap zero length", mmap(NULL, 0, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED ? -1 : 0);
    SHOW("mmap no type", mmap(NULL, 4096, PROT_READ, 0, fd, 0) == MAP_FAILED ? -1 : 0);
    SHOW("mmap shared write on read-only", mmap(NULL, 4096, PROT_WRITE, MAP_SHARED, ro, 0) == MAP_FAILED ? -1 : 0);
    SHOW("mmap validate unknown flag", mmap(NULL, 4096, PROT_READ, 0x03 | 0x200000, fd, 0) == MAP_FAILED ? -1 : 0);
    /* mremap */
    char *m = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(m + 4096, 4096);
    SHOW("mremap FIXED without MAYMOVE", mremap(m, 4096, 4096, MREMAP_FIXED, m + 8192) == MAP_FAILED ? -1 : 0);
    SHOW("mremap overlapping FIXED", mremap(m, 4096, 8192, MREMAP_FIXED | MREMAP_MAYMOVE, m) == MAP_FAILED ? -1 : 0);
    SHOW("mremap past the mapping", mremap(m, 2 * 4096, 4 * 4096, MREMAP_MAYMOVE) == MAP_FAILED ? -1 : 0);
    m[0] = 42;
    SHOW("mremap FIXED moves", mremap(m, 4096, 4096, MREMAP_FIXED | MREMAP_MAYMOVE, m + 8192) == m + 8192 ? m[8192] : -1);
    /* futex: bad counts, unmapped words */
    int word = 0;
    SHOW("futex requeue negative", syscall(SYS_futex, &word, 4 /* CMP_REQUEUE */, 1, -1, &word, 0));
    SHOW("futex wake unmapped", syscall(SYS_futex, m + 4096, 1, 1, NULL, NULL, 0));
    SHOW("futex wake misaligned", syscall(SYS_futex, (char *)&word + 1, 1, 1, NULL, NULL, 0));
    /* waitpid options, writev lengths */
    SHOW("waitpid bad options", waitpid(-1, NULL, 0x100));
    SHOW("waitpid INT_MIN", waitpid(-2147483647 - 1, NULL, 0));
    struct iovec bad[2] = {{"a", 1}, {"b", (size_t)-1}};
    SHOW("writev negative length", writev(fd, bad, 2));
    /* SA_RESETHAND puts back SIG_DFL only */
    struct sigaction sa = {0}, old;
    sa.sa_sigaction = (void (*)(int, siginfo_t *, void *))SIG_IGN;
    sa.sa_handler = on_usr1;
    sa.sa_flags = SA_RESETHAND | SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    sigaction(SIGUSR1, NULL, &old);
    SHOW("SA_RESETHAND handler default", old.sa_handler == SIG_DFL);
    SHOW("SA_RESETHAND keeps SA_SIGINFO", !!(old.sa_flags & SA_SIGINFO));
    /* more orders: sigsetsize, clocks without nsleep, NULL paths, O_PATH descriptors */
    SHOW("rt_sigaction sigsetsize 4", syscall(SYS_rt_sigaction, SIGUSR1, NULL, NULL, 4));
    struct timespec ts = {0, 1000};
    SHOW("clock_nanosleep thread clock", syscall(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, &ts, NULL));
    SHOW("clock_nanosleep clock 10", syscall(SYS_clock_nanosleep, 10, 0, &ts, NULL));
    struct stat stbuf;
    SHOW("fstatat NULL path", fstatat(AT_FDCWD, NULL, &stbuf, 0));
    SHOW("F_SETPIPE_SZ 0", fcntl(pfd[1], F_SETPIPE_SZ, 0));
    int opath = open("/tmp/f", O_PATH);
    SHOW("fchmod O_PATH", syscall(SYS_fchmod, opath, 0600));  /* musl falls back to /proc */
    SHOW("fstat O_PATH", fstat(opath, &stbuf));
    getrlimit(RLIMIT_FSIZE, &rl);
    rl.rlim_cur = 100;
    setrlimit(RLIMIT_FSIZE, &rl);
    SHOW("truncate past FSIZE", truncate("/tmp/f", 1000));
    SHOW("ftruncate past FSIZE", ftruncate(fd, 1000));
    SHOW("truncate within FSIZE", truncate("/tmp/f", 50));
    SHOW("fallocate past FSIZE", fallocate(fd, 0, 0, 1000));
    SHOW("fallocate past FSIZE keeping the size", fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 1000));
    SHOW("fallocate within FSIZE", fallocate(fd, 0, 0, 80));
    /* O_TMPFILE: an unnamed file, named later by linkat unless O_EXCL */
    SHOW("O_TMPFILE read-only", open("/tmp", O_TMPFILE | O_RDONLY, 0600));
    SHOW("O_TMPFILE on a file", open("/tmp/f", O_TMPFILE | O_RDWR, 0600) < 0 ? -1 : 0);
    int tmp = open("/tmp", O_TMPFILE | O_RDWR, 0640);
    SHOW("O_TMPFILE write", write(tmp, "hidden", 6));
    char procfd[64];
    snprintf(procfd, sizeof procfd, "/proc/self/fd/%d", tmp);
    SHOW("linkat /proc/self/fd", linkat(AT_FDCWD, procfd, AT_FDCWD, "/tmp/named", AT_SYMLINK_FOLLOW));
    struct stat named;
    SHOW("named mode", stat("/tmp/named", &named) == 0 ? (long)(named.st_mode & 07777) : -1);
    SHOW("named size", (long)named.st_size);
    int tmp2 = open("/tmp", O_TMPFILE | O_WRONLY, 0600);
    SHOW("linkat AT_EMPTY_PATH", linkat(tmp2, "", AT_FDCWD, "/tmp/named2", AT_EMPTY_PATH));
    int excl = open("/tmp", O_TMPFILE | O_WRONLY | O_EXCL, 0600);
    snprintf(procfd, sizeof procfd, "/proc/self/fd/%d", excl);
    SHOW("linkat O_EXCL tmpfile", linkat(AT_FDCWD, procfd, AT_FDCWD, "/tmp/named3", AT_SYMLINK_FOLLOW));
    /* MAP_SHARED | MAP_FIXED over a private mapping; /proc/self/maps says 's' */
    char *two = mmap(NULL, 2 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *over = mmap(two + 4096, 4096, PROT_READ, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    SHOW("shared over private", over == two + 4096);
    char line[256], want[64];
    snprintf(want, sizeof want, "%lx-%lx r--s", (unsigned long)over, (unsigned long)over + 4096);
    FILE *maps = fopen("/proc/self/maps", "r");
    int seen = 0;
    while (fgets(line, sizeof line, maps))
        seen |= strncmp(line, want, strlen(want)) == 0;
    SHOW("maps shows r--s", seen);
    /* readv past a zero-length buffer (at an address nobody may touch) */
    char rbuf[8] = {0};
    struct iovec zl[2] = {{(void *)8, 0}, {rbuf, sizeof rbuf}};
    int rd = open("/tmp/named", O_RDONLY);
    SHOW("readv zero-length first", readv(rd, zl, 2));
    SHOW("readv filled the second", rbuf[0] == 'h' && rbuf[5] == 'n');
    /* leases: a write lease needs the file open nowhere else */
    int l1 = open("/tmp/lease", O_CREAT | O_RDWR, 0644);
    int l2 = open("/tmp/lease", O_RDONLY);
    SHOW("write lease, file open twice", fcntl(l1, F_SETLEASE, F_WRLCK));
    SHOW("read lease, a writer open", fcntl(l2, F_SETLEASE, F_RDLCK));
    close(l2);
    SHOW("write lease, alone", fcntl(l1, F_SETLEASE, F_WRLCK));
    SHOW("F_GETLEASE", fcntl(l1, F_GETLEASE));
    SHOW("unlease", fcntl(l1, F_SETLEASE, F_UNLCK));
    /* locked memory is what VmLck counts */
    long before = status_kb("VmLck:");
    char *lk = mmap(NULL, 16 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
    SHOW("VmLck after MAP_LOCKED", status_kb("VmLck:") - before);
    SHOW("munlock half", munlock(lk, 8 * 4096));
    SHOW("VmLck after munlock", status_kb("VmLck:") - before);
    SHOW("mlock a hole", mlock(two - 4096 * 1000, 4096));
    munmap(lk, 16 * 4096);
    SHOW("VmLck after munmap", status_kb("VmLck:") - before);
    /* futex_waitv: its checks, a value that changed, a timeout */
    struct { unsigned long long val, uaddr; unsigned flags, reserved; } wv = {0, (unsigned long)&word, 2 | 128, 0};
    struct timespec abs_to;
    clock_gettime(CLOCK_MONOTONIC, &abs_to);
    abs_to.tv_nsec += 20000000;
    if (abs_to.tv_nsec >= 1000000000) { abs_to.tv_sec++; abs_to.tv_nsec -= 1000000000; }
    SHOW("futex_waitv no waiters", syscall(449, NULL, 1, 0, &abs_to, CLOCK_MONOTONIC));
    SHOW("futex_waitv 129", syscall(449, &wv, 129, 0, &abs_to, CLOCK_MONOTONIC));
    SHOW("futex_waitv bad clock", syscall(449, &wv, 1, 0, &abs_to, CLOCK_TAI));
    wv.flags = 128;
    SHOW("futex_waitv no size", syscall(449, &wv, 1, 0, &abs_to, CLOCK_MONOTONIC));
    wv.flags = 2 | 128;
    wv.val = 5;
    SHOW("futex_waitv changed", syscall(449, &wv, 1, 0, &abs_to, CLOCK_MONOTONIC));
    wv.val = word;
    SHOW("futex_waitv times out", syscall(449, &wv, 1, 0, &abs_to, CLOCK_MONOTONIC));
    /* sendfile needs a source it can splice from: not a pipe (Go's io.Copy then falls back
     * to read and write), and an offset only where it can seek */
    int sp[2], sv[2];
    off_t soff = 0;
    pipe(sp);
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    write(sp[1], "ab", 2);
    SHOW("sendfile from a pipe", sendfile(sv[0], sp[0], NULL, 2));
    SHOW("sendfile from a pipe at an offset", sendfile(sv[0], sp[0], &soff, 2));
    SHOW("sendfile from a write end", sendfile(sv[0], sp[1], NULL, 2));
    /* an exited child not yet reaped is still there for setpgid and getpgid */
    pid_t z = fork();
    if (z == 0)
        _exit(0);
    siginfo_t zi;
    waitid(P_PID, z, &zi, WEXITED | WNOWAIT);
    SHOW("setpgid of a zombie child", setpgid(z, z));
    SHOW("getpgid of a zombie child is itself", getpgid(z) == z);
    waitpid(z, NULL, 0);
    SHOW("setpgid once reaped", setpgid(z, z));
    /* a #! line whose interpreter path runs past the 256 bytes exec reads; cut short by the
     * file size limit set above (100 bytes), the path just names no file */
    char *sargv[] = {"long.sh", NULL};
    for (int pass = 0; pass < 2; pass++) {
        if (pass) {
            struct rlimit unlimited = {RLIM_INFINITY, RLIM_INFINITY};
            setrlimit(RLIMIT_FSIZE, &unlimited);
        }
        FILE *sh = fopen("/tmp/long.sh", "w");
        fputs("#!/", sh);
        for (int i = 0; i < 300; i++)
            fputc('x', sh);
        fputs("\necho hi\n", sh);
        fclose(sh);
        chmod("/tmp/long.sh", 0755);
        SHOW(pass ? "exec of a #! path longer than 256 bytes"
                  : "exec of a #! line cut at 100 bytes", execv("/tmp/long.sh", sargv));
    }
    return 0;
}
