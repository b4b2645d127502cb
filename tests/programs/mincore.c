/* mincore: pages touched have memory, untouched and PROT_NONE ones do not; a hole in the
 * range is ENOMEM, an unaligned start EINVAL (it was ENOSYS). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
int main(void)
{
    long pg = sysconf(_SC_PAGESIZE);
    unsigned char v[4];
    char *m = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    m[0] = 1; m[2 * pg] = 1;
    int rc = mincore(m, 4 * pg, v);
    printf("touched: %d %d%d%d%d\n", rc, v[0] & 1, v[1] & 1, v[2] & 1, v[3] & 1);
    char *none = mmap(NULL, 2 * pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    rc = mincore(none, 2 * pg, v);
    printf("reserved: %d %d%d\n", rc, v[0] & 1, v[1] & 1);
    munmap(m + pg, pg);
    rc = mincore(m, 3 * pg, v);
    int err = errno;
    printf("hole: %d %s\n", rc, strerror(err));
    rc = mincore(m + 1, pg, v);
    err = errno;
    printf("unaligned: %d %s\n", rc, strerror(err));
    return 0;
}
