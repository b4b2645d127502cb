/* Writes (write, pwrite) to a regular file as C answers them (no file size limit, no watcher) and as Python
 * does after setrlimit(RLIMIT_FSIZE): positions, O_APPEND set and cleared by F_SETFL, shared
 * offsets of dup'd descriptors, a bad buffer, a read-only descriptor, the 16 KiB copy's edge,
 * then short writes and SIGXFSZ at the limit. Prints what it reads back. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static volatile int xfsz;

static void on_xfsz(int sig)
{
    (void)sig;
    xfsz++;
}

static long w(int fd, const void *buf, size_t n)
{
    long r = write(fd, buf, n);
    return r < 0 ? -errno : r;
}

static long pw(int fd, const void *buf, size_t n, long off)
{
    long r = pwrite(fd, buf, n, off);
    return r < 0 ? -errno : r;
}

static void show(const char *path)
{
    char buf[64];
    int fd = open(path, O_RDONLY);
    long n = read(fd, buf, sizeof buf - 1);
    struct stat st;
    fstat(fd, &st);
    buf[n > 0 ? n : 0] = 0;
    for (long i = 0; i < n; i++)
        if (buf[i] < ' ')
            buf[i] = '.';
    printf("  %s: size %lld starts \"%.40s\"\n", path, (long long)st.st_size, buf);
    close(fd);
}

int main(void)
{
    static char big[16385];
    memset(big, 'b', sizeof big);
    int fd = open("out.txt", O_CREAT | O_TRUNC | O_RDWR, 0644);
    long a = w(fd, "hello ", 6), b = w(fd, "world\n", 6);
    printf("write: %ld %ld, offset %ld\n", a, b, (long)lseek(fd, 0, SEEK_CUR));
    lseek(fd, 2, SEEK_SET);
    a = w(fd, "LL", 2);
    printf("overwrite at 2: %ld, offset %ld\n", a, (long)lseek(fd, 0, SEEK_CUR));
    int dup_fd = dup(fd);
    a = w(dup_fd, "+", 1);
    printf("through a dup: %ld, offset %ld\n", a, (long)lseek(fd, 0, SEEK_CUR));
    fcntl(fd, F_SETFL, O_APPEND);
    lseek(fd, 0, SEEK_SET);
    a = w(fd, "tail\n", 5);
    printf("append: %ld, offset %ld\n", a, (long)lseek(fd, 0, SEEK_CUR));
    fcntl(fd, F_SETFL, 0);
    lseek(fd, 0, SEEK_SET);
    a = w(fd, "H", 1);
    printf("append off again: %ld, offset %ld\n", a, (long)lseek(fd, 0, SEEK_CUR));
    printf("zero bytes: %ld\n", w(fd, "", 0));
    fcntl(fd, F_SETFL, O_APPEND);
    a = w(fd, "", 0);
    printf("zero bytes with O_APPEND: %ld, offset %ld\n", a, (long)lseek(fd, 0, SEEK_CUR));
    fcntl(fd, F_SETFL, 0);
    void *none = mmap(NULL, 8192, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *half = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memcpy(half + 4090, "abcdef", 6);
    mprotect(half + 4096, 4096, PROT_NONE);
    long at = (long)lseek(fd, 0, SEEK_CUR);
    a = w(fd, none, 10);
    b = w(fd, half + 4090, 10);   /* the readable part goes in: 6 bytes */
    printf("bad buffer: %ld, straddling one: %ld, offset moved %ld\n", a, b,
           (long)lseek(fd, 0, SEEK_CUR) - at);
    int ro = open("out.txt", O_RDONLY);
    printf("read-only descriptor: %ld\n", w(ro, "x", 1));
    /* pwrite: at its offset, the position untouched; O_APPEND appends whatever it says */
    lseek(fd, 3, SEEK_SET);
    a = pw(fd, "P", 1, 8);
    b = pw(fd, "Q", 1, -1);
    printf("pwrite: %ld, negative offset %ld, position %ld\n", a, b, (long)lseek(fd, 0, SEEK_CUR));
    fcntl(fd, F_SETFL, O_APPEND);
    a = pw(fd, "A", 1, 0);
    printf("pwrite O_APPEND: %ld, position %ld, size %ld\n", a, (long)lseek(fd, 0, SEEK_CUR),
           (long)lseek(ro, 0, SEEK_END));
    fcntl(fd, F_SETFL, 0);
    a = pw(fd, half + 4090, 10, 9);
    printf("pwrite straddling: %ld, read-only %ld\n", a, pw(ro, "x", 1, 0));
    lseek(fd, 0, SEEK_END);
    a = w(fd, big, 16384);
    b = w(fd, big, 16385);
    printf("16384: %ld, 16385: %ld\n", a, b);
    int empty = open("empty.txt", O_CREAT | O_TRUNC | O_WRONLY | O_APPEND, 0644);
    a = w(empty, "first", 5);
    b = w(empty, "second", 6);
    printf("append to an empty file: %ld %ld, offset %ld\n", a, b, (long)lseek(empty, 0, SEEK_CUR));
    close(empty);
    show("empty.txt");
    show("out.txt");
    /* a file size limit: writes stop at it, and one wholly past it gets SIGXFSZ and EFBIG */
    signal(SIGXFSZ, on_xfsz);
    struct rlimit rl = {40000, RLIM_INFINITY};
    setrlimit(RLIMIT_FSIZE, &rl);
    long a2 = w(fd, big, 10000), b2 = w(fd, "x", 1);
    printf("at the limit: %ld, past it: %ld, SIGXFSZ %d\n", a2, b2, xfsz);
    show("out.txt");
    close(fd);
    close(dup_fd);
    close(ro);
    return 0;
}
