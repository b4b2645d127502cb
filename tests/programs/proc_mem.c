/* /proc/self/mem as debuggers and JITs use it: read a variable at its address, patch a
   read-only page (FOLL_FORCE: the write goes through, as ptrace's), a read that runs into
   an unmapped page stops there, one that starts there is EIO. */
#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64     /* i386: addresses above 2 GiB are offsets too */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static char secret[16] = "hello proc mem";

int main(void)
{
    int fd = open("/proc/self/mem", O_RDWR);
    char buf[32] = {0};
    ssize_t n = pread(fd, buf, 15, (off_t)(unsigned long)secret);
    printf("read %zd [%s]\n", n, buf);
    long page = sysconf(_SC_PAGESIZE);
    char *ro = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    strcpy(ro, "before");
    munmap(ro + page, page);
    mprotect(ro, page, PROT_READ);
    n = pwrite(fd, "AFTER", 5, (off_t)(unsigned long)ro);
    printf("write to a read-only page %zd [%s]\n", n, ro);
    n = pread(fd, buf, 16, (off_t)(unsigned long)(ro + page - 8));
    printf("read into the hole %zd\n", n);
    errno = 0;
    n = pread(fd, buf, 8, (off_t)(unsigned long)(ro + page));
    printf("read in the hole %zd %s\n", n, errno == EIO ? "EIO" : strerror(errno));
    return 0;
}
