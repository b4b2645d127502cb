/* A MAP_SHARED mapping of a file and the file's read and write calls see one page cache, as
 * on Linux: write() reaches the mapping at once, a store through the mapping is what read()
 * and pread() return (no msync needed), munmap writes nothing stale back over a pwrite, a
 * second descriptor opened later sees both, and a truncate cuts the mapping too. (SQLite's
 * mmap_size mixes pwrite with a shared mapping: munmap used to write zeros over it.) */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

int main(void) {
    int fd = open("/tmp/coherent.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
    ftruncate(fd, 8192);
    char *map = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    pwrite(fd, "pwrite", 6, 0);
    printf("mapping after pwrite: %.6s\n", map);
    lseek(fd, 4096, SEEK_SET);
    write(fd, "write", 5);
    printf("mapping after write: %.5s\n", map + 4096);
    struct iovec iov[2] = {{"wri", 3}, {"tev", 3}};
    pwritev(fd, iov, 2, 100);
    printf("mapping after pwritev: %.6s\n", map + 100);

    memcpy(map + 200, "stored", 6);
    char buf[16] = {0};
    pread(fd, buf, 6, 200);
    printf("pread of a store: %s\n", buf);
    lseek(fd, 200, SEEK_SET);
    memset(buf, 0, sizeof buf);
    read(fd, buf, 6);
    printf("read of a store: %s\n", buf);
    int other = open("/tmp/coherent.dat", O_RDONLY);
    memset(buf, 0, sizeof buf);
    pread(other, buf, 6, 200);
    printf("another descriptor: %s\n", buf);

    munmap(map, 8192);
    memset(buf, 0, sizeof buf);
    pread(other, buf, 6, 0);
    printf("after munmap: %s\n", buf);

    map = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 0);
    ftruncate(fd, 100);
    ftruncate(fd, 8192);
    printf("cut and grown: [%.2s] [%d]\n", map, map[150]);
    return 0;
}
