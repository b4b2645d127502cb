/* read, write and lseek on the descriptors the C trap path answers (csrc/files.c) and on the
 * cases it hands to Python: each line is "name value" for the test to check. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static char buf[200000], back[200000];
static volatile sig_atomic_t sigpipes, sigios;

static void on_sigpipe(int sig) { (void)sig; sigpipes++; }
static void on_sigio(int sig) { (void)sig; sigios++; }

static void fill(char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (char)(seed + i * 7 + (i >> 9));
}

/* Bytes through a pipe: wrapping round its ring, mixed with the Python-handled calls (readv,
 * writev, FIONREAD) that share the ring. */
static void pipe_ring(void)
{
    int p[2];
    pipe(p);
    fill(buf, sizeof buf, 1);
    long ok = 1, n;
    for (int round = 0; round < 6; round++) {     /* 40000 in, 40000 out: the head wraps */
        n = write(p[1], buf + round * 1000, 40000);
        ok &= n == 40000;
        int avail = -1;
        ioctl(p[0], FIONREAD, &avail);
        ok &= avail == 40000;
        n = read(p[0], back, 25000);
        ok &= n == 25000;
        struct iovec iov = {back + 25000, 15000};
        n = readv(p[0], &iov, 1);
        ok &= n == 15000 && memcmp(back, buf + round * 1000, 40000) == 0;
    }
    struct iovec out[2] = {{buf, 10}, {buf + 10, 20}};
    n = writev(p[1], out, 2);
    n = read(p[0], back, sizeof back);
    ok &= n == 30 && memcmp(back, buf, 30) == 0;
    printf("ring %ld\n", ok);

    /* one write larger than the room: part now, the rest once the reader makes room */
    pid_t child = fork();
    if (child == 0) {
        close(p[0]);
        n = write(p[1], buf, 150000);
        _exit(n == 150000 ? 0 : 1);
    }
    close(p[1]);
    long got = 0;
    while ((n = read(p[0], back + got, 7000)) > 0)
        got += n;
    int status;
    waitpid(child, &status, 0);
    printf("big %d\n", got == 150000 && memcmp(back, buf, 150000) == 0 && WEXITSTATUS(status) == 0);
    printf("eof %zd\n", read(p[0], back, 10));
    close(p[0]);
}

/* What C leaves to Python: a full pipe (EAGAIN with O_NONBLOCK set by fcntl after the pipe
 * was made), no reader (SIGPIPE, EPIPE), a bad buffer (EFAULT and nothing lost). */
static void pipe_edges(void)
{
    int p[2];
    pipe(p);
    fcntl(p[1], F_SETFL, O_NONBLOCK);
    long total = 0, n;
    while ((n = write(p[1], buf, 4096)) > 0)
        total += n;
    printf("full %ld %d\n", total, n < 0 && errno == EAGAIN);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    while (read(p[0], back, sizeof back) > 0)
        ;
    n = read(p[0], back, 10);
    printf("empty %d\n", n < 0 && errno == EAGAIN);

    char *bad = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    errno = 0;
    n = write(p[1], bad, 100);
    int write_efault = n < 0 && errno == EFAULT;
    write(p[1], "abc", 3);
    errno = 0;
    n = read(p[0], bad, 3);
    int read_efault = n < 0 && errno == EFAULT;
    n = read(p[0], back, 10);
    printf("efault %d %d %d\n", write_efault, read_efault, n == 3 && memcmp(back, "abc", 3) == 0);

    /* dup2 moves the write end to fd 40: the slot follows */
    dup2(p[1], 40);
    close(p[1]);
    n = write(40, "xy", 2);
    n = read(p[0], back, 10);
    int moved = n == 2 && memcmp(back, "xy", 2) == 0;
    errno = 0;
    n = write(p[1], "z", 1);
    printf("dup2 %d %d\n", moved, n < 0 && errno == EBADF);

    /* F_SETPIPE_SZ keeps what is in the pipe */
    write(40, "hello", 5);
    int size = fcntl(40, F_SETPIPE_SZ, 8192);
    n = read(p[0], back, 10);
    printf("resize %d %d\n", size == 8192, n == 5 && memcmp(back, "hello", 5) == 0);

    /* poll sees data C wrote */
    write(40, "q", 1);
    struct pollfd pfd = {p[0], POLLIN, 0};
    int ready = poll(&pfd, 1, 0);
    printf("poll %d %d\n", ready, (pfd.revents & POLLIN) != 0);
    read(p[0], back, 10);

    signal(SIGPIPE, on_sigpipe);
    close(p[0]);
    errno = 0;
    n = write(40, "x", 1);
    printf("epipe %d %d\n", n < 0 && errno == EPIPE, (int)sigpipes);
    close(40);
}

/* O_ASYNC on the read end: each write signals the owner, so writes go through Python. */
static void pipe_async(void)
{
    int p[2];
    pipe(p);
    signal(SIGIO, on_sigio);
    fcntl(p[0], F_SETOWN, getpid());
    fcntl(p[0], F_SETFL, O_ASYNC);
    write(p[1], "a", 1);
    write(p[1], "b", 1);
    int first = sigios;
    fcntl(p[0], F_SETFL, 0);
    write(p[1], "c", 1);
    printf("async %d %d\n", first >= 1, (int)sigios == first);
    close(p[0]);
    close(p[1]);
}

static void devices_and_files(void)
{
    int null = open("/dev/null", O_RDWR), zero = open("/dev/zero", O_RDWR);
    memset(back, 1, 100);
    long wrote = write(null, buf, 12345);
    printf("null %ld %zd\n", wrote, read(null, back, 10));
    long zeros = read(zero, back, 100), all = 1;
    for (int i = 0; i < 100; i++)
        all &= back[i] == 0;
    printf("zero %ld %ld %zd\n", zeros, all, write(zero, buf, 7));
    int ro = open("/dev/null", O_RDONLY);
    errno = 0;
    printf("null_rdonly %d\n", write(ro, buf, 1) < 0 && errno == EBADF);

    int f = open("/data", O_RDWR | O_CREAT | O_TRUNC, 0644);
    fill(buf, 100000, 3);
    write(f, buf, 100000);
    long pos = lseek(f, 1000, SEEK_SET);
    long n = read(f, back, 70000);
    long cur = lseek(f, 0, SEEK_CUR), end = lseek(f, -10, SEEK_END);
    long tail = read(f, back + 70000, 100);
    errno = 0;
    long bad_whence = lseek(f, 0, 7);
    int einval = errno == EINVAL;
    printf("file %ld %ld %ld %ld %ld %d %d\n", pos, n, cur, end, tail,
           memcmp(back, buf + 1000, 70000) == 0 && memcmp(back + 70000, buf + 99990, 10) == 0,
           bad_whence < 0 && einval);
    long hole = lseek(f, 0, SEEK_HOLE), data = lseek(f, 0, SEEK_DATA);
    long at_end = lseek(f, 0, SEEK_END), eof = read(f, back, 10);
    lseek(f, 500, SEEK_SET);
    long first = pread(f, back, 10, 0);
    printf("seek_more %ld %ld %ld %ld %ld %d %ld\n", hole, data, at_end, eof, first,
           memcmp(back, buf, 10) == 0, (long)lseek(f, 0, SEEK_CUR));
    char *bad = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("rewind %ld\n", (long)lseek(f, 0, SEEK_SET));
    errno = 0;
    n = read(f, bad, 100);
    printf("file_efault %d %ld\n", n < 0 && errno == EFAULT, (long)lseek(f, 0, SEEK_CUR));
    /* a buffer whose second page is not writable: a short read up to it */
    char *half = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(half + 4096, 4096, PROT_READ);
    lseek(f, 0, SEEK_SET);
    long short_read = read(f, half + 4000, 1000);
    printf("file_short %ld %ld %d\n", short_read, (long)lseek(f, 0, SEEK_CUR),
           memcmp(half + 4000, buf, 96) == 0);
    long at = pread(f, back, 50, 99980);
    int same = memcmp(back, buf + 99980, 20) == 0;
    errno = 0;
    long neg = pread(f, back, 10, -1);
    int neg_einval = errno == EINVAL;
    int p[2];
    pipe(p);
    errno = 0;
    long spipe = pread(p[0], back, 10, 0);
    printf("pread %ld %d %d %d %ld\n", at, same, neg < 0 && neg_einval,
           spipe < 0 && errno == ESPIPE, (long)lseek(f, 0, SEEK_CUR));
    int wo = open("/data", O_WRONLY);
    errno = 0;
    printf("file_wronly %d\n", read(wo, back, 1) < 0 && errno == EBADF);
    errno = 0;
    int bad_read = read(999, back, 1) < 0 && errno == EBADF;
    errno = 0;
    printf("badfd %d %d\n", bad_read, write(-1, back, 1) < 0 && errno == EBADF);
}

static void random_bytes(void)
{
    unsigned char a[64] = {0}, b[64] = {0};
    long n = getrandom(a, sizeof a, 0), m = getrandom(b, sizeof b, GRND_NONBLOCK);
    errno = 0;
    long bad = getrandom(a, 8, 0x40);
    int einval = errno == EINVAL;
    errno = 0;
    long both = getrandom(a, 8, GRND_RANDOM | 4);   /* GRND_INSECURE too: EINVAL */
    int einval2 = errno == EINVAL;
    char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    errno = 0;
    long fault = getrandom(ro, 8, 0);
    printf("getrandom %ld %ld %d %d %d %d\n", n, m, memcmp(a, b, sizeof a) != 0,
           bad < 0 && einval, both < 0 && einval2, fault < 0 && errno == EFAULT);
}

static void raise_fd_limit(void)
{
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
}

/* a descriptor past the C slots (run with --max-fds above 1024): Python answers it */
static void high_fd(void)
{
    raise_fd_limit();
    int p[2];
    pipe(p);
    int hi = dup2(p[1], 1024);
    long n = hi == 1024 ? write(1024, "hi", 2) : -1;
    close(p[1]);
    close(1024);
    char b[4];
    long m = read(p[0], b, sizeof b);
    printf("high %d %ld %ld\n", hi == 1024, n, m);
}

/* fstat as C answers it (a slot below 1024) and as Python does (the same file at fd 1500,
 * past the slots): the same bytes, in both of the calls that stat a descriptor; then an owner
 * the guest set, which only Python's attribute store knows (run with --max-fds 2048). */
#ifdef SYS_newfstatat   /* x86-64: both calls, raw, whatever the libc prefers */
#define STAT_FD(fd, st) syscall(SYS_fstat, fd, st)
#define STAT_AT(fd, st) syscall(SYS_newfstatat, fd, "", st, AT_EMPTY_PATH)
#else
#define STAT_FD(fd, st) fstat(fd, st)
#define STAT_AT(fd, st) fstatat(fd, "", st, AT_EMPTY_PATH)
#endif

static void stats(void)
{
    raise_fd_limit();
    int p[2];
    pipe(p);
    write(p[1], "abc", 3);
    int fds[4] = {open("/data", O_RDONLY), p[0], open("/dev/null", O_RDONLY),
                  open("/dev/zero", O_RDONLY)};
    int same = 0, same_x = 0;
    for (int i = 0; i < 4; i++) {
        struct stat a, b, c, d;
        memset(&a, 1, sizeof a), memset(&b, 2, sizeof b), memset(&c, 3, sizeof c), memset(&d, 4, sizeof d);
        long ra = STAT_FD(fds[i], &a), rb = STAT_AT(fds[i], &b);
        int hi = dup2(fds[i], 1500);
        long rc = STAT_FD(hi, &c), rd = STAT_AT(hi, &d);
        same += hi == 1500 && !ra && !rb && !rc && !rd && memcmp(&a, &c, sizeof a) == 0 &&
                memcmp(&b, &d, sizeof b) == 0 && memcmp(&a, &b, sizeof a) == 0;
        unsigned char x[256], y[256];
        memset(x, 5, sizeof x), memset(y, 6, sizeof y);
        long rx = syscall(SYS_statx, fds[i], "", AT_EMPTY_PATH, 0x7ff, x);
        long ry = syscall(SYS_statx, hi, "", AT_EMPTY_PATH, 0x7ff, y);
        same_x += !rx && !ry && memcmp(x, y, sizeof x) == 0;
        close(1500);
    }
    struct stat st;
    fchown(fds[0], 1234, 5678);
    fstat(fds[0], &st);
    printf("fstat %d statx %d owner %d %d\n", same, same_x, (int)st.st_uid, (int)st.st_gid);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    pipe_ring();
    pipe_edges();
    pipe_async();
    devices_and_files();
    random_bytes();
    high_fd();
    stats();
    return 0;
}
