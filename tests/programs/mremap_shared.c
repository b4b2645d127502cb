/* mremap of a shared file mapping: grown in place or moved, the pages stay the file's
 * (stores reach it, its new bytes show), including the part the growth adds (SQLite grows
 * its database mapping this way). Prints the same on Linux. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
    int fd = open("/tmp/mremap_shared", O_RDWR | O_CREAT | O_TRUNC, 0644);
    char page[4096];
    memset(page, 'a', sizeof page);
    write(fd, page, sizeof page);
    write(fd, page, sizeof page);
    char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    ftruncate(fd, 16384);
    pwrite(fd, "N", 1, 12000);
    char *q = mremap(p, 8192, 16384, MREMAP_MAYMOVE);
    printf("grown: %d, file byte in the new part %c\n", q != MAP_FAILED, q[12000]);
    q[16000] = 'Q';
    q[100] = 'X';
    char c1 = 0, c2 = 0;
    pread(fd, &c1, 1, 16000);
    pread(fd, &c2, 1, 100);
    printf("stores reach the file: %c %c\n", c1, c2);
    /* moved elsewhere with MREMAP_FIXED: still the file's pages */
    char *spot = mmap(NULL, 16384, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *r = mremap(q, 16384, 16384, MREMAP_MAYMOVE | MREMAP_FIXED, spot);
    r[200] = 'M';
    pwrite(fd, "W", 1, 300);
    char c3 = 0;
    pread(fd, &c3, 1, 200);
    printf("moved: %d, store %c, file write seen %c, kept %c %c\n", r == spot, c3, r[300],
           r[100], r[16000]);
    unlink("/tmp/mremap_shared");
    return 0;
}
