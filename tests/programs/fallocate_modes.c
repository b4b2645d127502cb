/* fallocate's modes on a regular file (the host's file system does them): keep size, punch
 * a hole (only with keep size), zero a range. They were EOPNOTSUPP (fallocate -p, -z, -n). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifndef FALLOC_FL_KEEP_SIZE       /* (musl's headers have no linux/falloc.h) */
#define FALLOC_FL_KEEP_SIZE 0x01
#define FALLOC_FL_PUNCH_HOLE 0x02
#endif
#ifndef FALLOC_FL_ZERO_RANGE
#define FALLOC_FL_ZERO_RANGE 0x10
#endif
static void show(const char *what, int r) {
    printf("%s: %s\n", what, !r ? "ok" : errno == EOPNOTSUPP ? "EOPNOTSUPP" : strerror(errno));
}
int main(void) {
    int fd = open("/tmp/fa.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
    char block[8192]; memset(block, 'x', sizeof block);
    write(fd, block, sizeof block);
    show("keep size", fallocate(fd, FALLOC_FL_KEEP_SIZE, 8192, 65536));
    struct stat st; fstat(fd, &st);
    printf("size %ld\n", (long)st.st_size);
    show("punch hole", fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 4096));
    char c; pread(fd, &c, 1, 100); printf("punched reads %d\n", c);
    show("punch without keep size", fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 4096));
    show("zero range", fallocate(fd, FALLOC_FL_ZERO_RANGE, 4096, 100));
    pread(fd, &c, 1, 4100); printf("zeroed reads %d\n", c);
    return 0;
}
