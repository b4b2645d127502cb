/* 64-bit file offsets past 4 GiB: pwrite64/pread64 and ftruncate64/truncate64, which the i386
 * ABI passes as register pairs. Prints what it read back and the sizes it saw. */
#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void)
{
    const off_t far = ((off_t)1 << 32) + 10;
    char buf[8] = {0};
    struct stat st;
    int fd = open("/big", O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        perror("open");
        return 1;
    }
    if (pwrite(fd, "far", 3, far) != 3) {
        perror("pwrite");
        return 1;
    }
    if (pread(fd, buf, 3, far) != 3) {
        perror("pread");
        return 1;
    }
    fstat(fd, &st);
    printf("read %s size %lld\n", buf, (long long)st.st_size);
    if (ftruncate(fd, far + 100) != 0) {
        perror("ftruncate");
        return 1;
    }
    fstat(fd, &st);
    printf("ftruncate size %lld\n", (long long)st.st_size);
    if (truncate("/big", 5) != 0) {
        perror("truncate");
        return 1;
    }
    stat("/big", &st);
    printf("truncate size %lld\n", (long long)st.st_size);
    printf("pread past the end %zd\n", pread(fd, buf, 3, far));
    return 0;
}
