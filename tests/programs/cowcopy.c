/* Kernel copy-outs into copy-on-write pages after fork.
 *
 * The parent backs a buffer of pages, forks a child that keeps them shared (it blocks on a
 * pipe), then for each copy-out path: loads from a fresh page (the engine now caches a
 * read-only translation of the shared frame), lets the kernel write into that page, and checks
 * what its own loads see. A stale translation shows the old bytes. The child checks it still
 * sees the old bytes (the kernel's write went to the parent's copy only). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096
#define NPAGES 16

static unsigned char pages[NPAGES][PAGE] __attribute__((aligned(PAGE)));
static int failures;

/* A load the compiler cannot drop: it fills the engine's TLB for the page. */
static unsigned char touch(volatile unsigned char *p)
{
    return *p;
}

static void expect(const char *path, int ok)
{
    printf("%s: %s\n", path, ok ? "ok" : "STALE");
    if (!ok)
        failures++;
}

int main(void)
{
    const char *msg = "written by the kernel";
    size_t len = strlen(msg);
    for (int i = 0; i < NPAGES; i++)
        memset(pages[i], 'x', PAGE);

    int file = open("cowcopy.data", O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (file < 0 || write(file, msg, len) != (ssize_t)len)
        return 2;
    int hold[2], back[2];
    if (pipe(hold) || pipe(back))
        return 3;

    pid_t child = fork();
    if (child == 0) {
        char c;
        read(hold[0], &c, 1);   /* keeps every page shared until the parent is done */
        int same = 1;
        for (int i = 0; i < NPAGES; i++)
            same &= pages[i][0] == 'x' && pages[i][PAGE - 1] == 'x';
        _exit(same ? 0 : 1);
    }

    int n = 0;
    unsigned char *p;

    p = pages[n++];
    touch(p);
    lseek(file, 0, SEEK_SET);
    expect("read", read(file, p, len) == (ssize_t)len && memcmp(p, msg, len) == 0);

    p = pages[n++];
    touch(p);
    expect("pread", pread(file, p, len, 0) == (ssize_t)len && memcmp(p, msg, len) == 0);

    p = pages[n++];
    touch(p);
    struct iovec iov[2] = {{p, 7}, {p + 100, len - 7}};
    expect("readv", preadv(file, iov, 2, 0) == (ssize_t)len && memcmp(p, msg, 7) == 0 &&
                        memcmp(p + 100, msg + 7, len - 7) == 0);

    p = pages[n++];
    touch(p);
    struct stat *st = (struct stat *)p;
    expect("fstat", fstat(file, st) == 0 && st->st_size == (off_t)len);

    p = pages[n++];
    touch(p);
    struct timespec *ts = (struct timespec *)p;
    expect("clock_gettime", clock_gettime(CLOCK_REALTIME, ts) == 0 && ts->tv_sec > 1000000000);

    p = pages[n++];
    touch(p);
    write(back[1], msg, len);
    expect("pipe read", read(back[0], p, len) == (ssize_t)len && memcmp(p, msg, len) == 0);

    p = pages[n++];
    touch(p);
    int *fds = (int *)p;
    expect("pipe", pipe(fds) == 0 && fds[0] > 2 && fds[1] > 2 && fds[0] != fds[1]);

    p = pages[n++];
    touch(p);
    expect("getcwd", getcwd((char *)p, 256) != NULL && p[0] == '/');

    /* A store by the guest itself after a kernel copy-out into the same page. */
    p = pages[n++];
    touch(p);
    lseek(file, 0, SEEK_SET);
    read(file, p, len);
    p[len] = '!';
    expect("read then store", memcmp(p, msg, len) == 0 && p[len] == '!' && p[len + 1] == 'x');

    write(hold[1], "g", 1);
    int status = 0;
    waitpid(child, &status, 0);
    expect("child kept the old bytes", WIFEXITED(status) && WEXITSTATUS(status) == 0);
    unlink("cowcopy.data");
    return failures;
}
