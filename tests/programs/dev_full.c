/* /dev/full: every write fails ENOSPC, reads give zero bytes, and it is character device 1:7
 * (test suites check their write-error handling against it). An O_CREAT open of it in a
 * root that has a /dev directory opens the device. Prints the same on Linux. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <unistd.h>

static const char *err(long rc)
{
    return rc >= 0 ? "ok" : errno == ENOSPC ? "ENOSPC" : strerror(errno);
}

int main(void)
{
    struct stat st;
    int rc = stat("/dev/full", &st);
    printf("stat: %d chr %d %u:%u\n", rc, S_ISCHR(st.st_mode), major(st.st_rdev),
           minor(st.st_rdev));
    int fd = open("/dev/full", O_WRONLY | O_CREAT | O_TRUNC, 0666);
    long n = write(fd, "x", 1);
    printf("O_CREAT open %d, write: %ld %s\n", fd >= 0, n, err(n));
    n = pwrite(fd, "x", 1, 10);
    printf("pwrite: %ld %s\n", n, err(n));
    struct iovec iov[2] = {{"a", 1}, {"b", 1}};
    n = writev(fd, iov, 2);
    printf("writev: %ld %s\n", n, err(n));
    n = write(fd, "", 0);
    printf("empty write: %ld %s\n", n, err(n));
    close(fd);
    fd = open("/dev/full", O_RDWR);
    char buf[64];
    memset(buf, 'x', sizeof buf);
    n = read(fd, buf, sizeof buf);
    int zeros = 1;
    for (int i = 0; i < (int)sizeof buf; i++)
        zeros &= buf[i] == 0;
    printf("read: %ld, all zero %d, lseek %ld\n", n, zeros, (long)lseek(fd, 100, SEEK_SET));
    close(fd);
    FILE *f = fopen("/dev/full", "w");
    fprintf(f, "hello\n");
    rc = fflush(f);
    printf("fflush: %d %s\n", rc, err(rc));
    return 0;
}
