/* Data moved between descriptors by the kernel: copy_file_range (offsets by pointer and by
 * descriptor, overlapping ranges refused), splice file -> pipe -> file, SPLICE_F_NONBLOCK on
 * an empty pipe, tee leaving the data in its source, and renameat2(RENAME_EXCHANGE). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE 2
#endif

static void show(const char *what, const char *path)
{
    char buf[64] = {0};
    int fd = open(path, O_RDONLY);
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    printf("%s: %zd \"%s\"\n", what, n, buf);
}

int main(void)
{
    int src = open("src", O_RDWR | O_CREAT | O_TRUNC, 0644);
    write(src, "0123456789abcdef", 16);
    int dst = open("dst", O_RDWR | O_CREAT | O_TRUNC, 0644);
    loff_t in = 4, out = 0;
    ssize_t n = copy_file_range(src, &in, dst, &out, 6, 0);
    printf("copy by pointer: %zd in %lld out %lld pos %lld\n", n, (long long)in,
           (long long)out, (long long)lseek(src, 0, SEEK_CUR));
    lseek(src, 10, SEEK_SET);
    n = copy_file_range(src, NULL, dst, NULL, 100, 0);
    printf("copy by offset: %zd src at %lld dst at %lld\n", n, (long long)lseek(src, 0, SEEK_CUR),
           (long long)lseek(dst, 0, SEEK_CUR));
    show("dst", "dst");
    in = 0, out = 4;
    n = copy_file_range(src, &in, src, &out, 8, 0);
    int err = errno;
    printf("overlap: %zd %s\n", n, strerror(err));

    int p[2];
    pipe(p);
    in = 2;
    n = splice(src, &in, p[1], NULL, 5, 0);
    printf("file to pipe: %zd in %lld\n", n, (long long)in);
    int tp[2];
    pipe(tp);
    printf("tee: %zd\n", tee(p[0], tp[1], 100, 0));
    int out_fd = open("spliced", O_RDWR | O_CREAT | O_TRUNC, 0644);
    n = splice(p[0], NULL, out_fd, NULL, 100, 0);
    printf("pipe to file: %zd\n", n);
    show("spliced", "spliced");
    char teed[16] = {0};
    printf("tee copy: %zd %s\n", read(tp[0], teed, sizeof teed - 1), teed);
    n = splice(p[0], NULL, out_fd, NULL, 100, SPLICE_F_NONBLOCK);
    err = errno;
    printf("empty nonblock: %zd %s\n", n, strerror(err));
    n = splice(src, NULL, dst, NULL, 10, 0);
    err = errno;
    printf("no pipe: %zd %s\n", n, strerror(err));

    int d1 = open("one", O_WRONLY | O_CREAT | O_TRUNC, 0644), d2;
    write(d1, "first", 5);
    close(d1);
    mkdir("two", 0755);
    printf("exchange: %ld\n", syscall(SYS_renameat2, AT_FDCWD, "one", AT_FDCWD, "two", RENAME_EXCHANGE));
    struct stat st;
    stat("one", &st);
    printf("one is a directory: %d\n", S_ISDIR(st.st_mode));
    show("two", "two");
    long rc = syscall(SYS_renameat2, AT_FDCWD, "one", AT_FDCWD, "none", RENAME_EXCHANGE);
    err = errno;
    printf("exchange with nothing: %ld %s\n", rc, strerror(err));
    (void)d2;
    rmdir("one");
    unlink("two");

    /* A pipe gives a socket only what it takes: a full one takes nothing (haproxy lost the
     * rest of a response so). */
    int sv[2], pp[2], queued = 0;
    char big[65536];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pipe(pp);
    fcntl(sv[0], F_SETFL, O_NONBLOCK);
    memset(big, 'x', sizeof big);
    while (write(sv[0], big, sizeof big) > 0)
        ;
    write(pp[1], "0123456789", 10);
    n = splice(pp[0], NULL, sv[0], NULL, 10, SPLICE_F_NONBLOCK);
    err = errno;
    ioctl(pp[0], FIONREAD, &queued);
    printf("into a full socket: %zd %s, the pipe keeps %d\n", n, strerror(err), queued);
    fcntl(sv[1], F_SETFL, O_NONBLOCK);
    while (read(sv[1], big, sizeof big) > 0)
        ;
    n = splice(pp[0], NULL, sv[0], NULL, 10, SPLICE_F_NONBLOCK);
    ssize_t got = read(sv[1], big, sizeof big);
    printf("once drained: %zd, the peer reads %.*s\n", n, (int)(got > 0 ? got : 0), big);
    return 0;
}
