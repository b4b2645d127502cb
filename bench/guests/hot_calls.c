/* The hot calls of issue 14, each made N times in a row through syscall(2); prints one line
 * per call: its name and nanoseconds per call (clock_gettime around the loop). The same
 * static program runs natively, under qemu-user and under sysvec. argv[1]: N. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long n;
static char buf[4096];

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

#define TIME(name, body)                                                  \
    do {                                                                  \
        double t0 = now_ns();                                             \
        for (long i = 0; i < n; i++) {                                    \
            body;                                                         \
        }                                                                 \
        printf("%s %.1f\n", name, (now_ns() - t0) / n);                   \
    } while (0)

int main(int argc, char **argv)
{
    n = argc > 1 ? atol(argv[1]) : 20000;
    int null = open("/dev/null", O_RDWR);
    int fds[2];
    if (null < 0 || pipe(fds) < 0) {
        perror("set-up");
        return 1;
    }
    char path[] = "hot_calls.dat";
    int file = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (file < 0 || write(file, buf, sizeof buf) != sizeof buf) {
        perror(path);
        return 1;
    }
    struct stat st;
    struct statx stx;
    struct timespec ts;
    struct timeval tv;
    sigset_t set, old;
    struct sigaction sa;
    int futex_word = 0;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);

    TIME("getpid", syscall(SYS_getpid));
    TIME("write /dev/null 1 B", syscall(SYS_write, null, buf, 1));
    TIME("read /dev/null", syscall(SYS_read, null, buf, 1));
    TIME("pipe write+read 512 B", (syscall(SYS_write, fds[1], buf, 512),
                                   syscall(SYS_read, fds[0], buf, 512)));
    TIME("file pread 512 B", syscall(SYS_pread64, file, buf, 512, 512));
    TIME("file lseek+read 512 B", (syscall(SYS_lseek, file, 1024, SEEK_SET),
                                   syscall(SYS_read, file, buf, 512)));
    TIME("file write 64 B", syscall(SYS_pwrite64, file, buf, 64, 0));
    TIME("lseek", syscall(SYS_lseek, file, 0, SEEK_CUR));
    TIME("fstat", syscall(SYS_fstat, file, &st));
    TIME("newfstatat", syscall(SYS_newfstatat, AT_FDCWD, path, &st, 0));
    TIME("statx", syscall(SYS_statx, file, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &stx));
    TIME("brk(0)", syscall(SYS_brk, 0));
    TIME("clock_gettime", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts));
    TIME("gettimeofday", syscall(SYS_gettimeofday, &tv, NULL));
    TIME("time", syscall(SYS_time, NULL));
    TIME("rt_sigprocmask", syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, &old, 8));
    TIME("rt_sigaction query", syscall(SYS_rt_sigaction, SIGUSR1, NULL, &sa, 8));
    TIME("getrandom 16 B", syscall(SYS_getrandom, buf, 16, 0));
    TIME("futex wake, no waiters", syscall(SYS_futex, &futex_word, FUTEX_WAKE_PRIVATE, 1, 0, 0, 0));
    unlink(path);
    return 0;
}
