/* A memfd is host memory: its growth stops at the machine's budget (--max-total-memory)
 * with ENOSPC, as a full tmpfs says, whether by fallocate or by writing; a sparse size costs
 * nothing, and overwriting what it holds always works. Run with --max-total-memory 64M. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
    int fd = memfd_create("hog", 0);
    int r = fallocate(fd, 0, 0, 1L << 40);
    printf("fallocate 1 TiB %d %s\n", r, r ? strerror(errno) : "");
    printf("fallocate 16 MiB %d\n", fallocate(fd, 0, 0, 16 << 20));
    printf("sparse 1 TiB %d\n", ftruncate(fd, 1L << 40));
    ftruncate(fd, 0);
    static char chunk[1 << 20];
    memset(chunk, 'x', sizeof chunk);
    long total = 0;
    ssize_t n;
    while ((n = write(fd, chunk, sizeof chunk)) > 0 && total < (1L << 31))
        total += n;
    int why = errno;
    printf("wrote until %s, at most the budget %d\n", n < 0 ? strerror(why) : "the end",
           total <= (64L << 20) && total >= (32L << 20));
    printf("overwrite %zd\n", pwrite(fd, chunk, 4096, 0));
    int other = memfd_create("second", 0);
    r = fallocate(other, 0, 0, 32 << 20);
    printf("a second memfd shares the budget %d %s\n", r, r ? strerror(errno) : "");
    close(fd);
    printf("room again after close %d\n", fallocate(other, 0, 0, 32 << 20));
    return 0;
}
