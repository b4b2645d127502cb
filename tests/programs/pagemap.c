/* /proc/self/pagemap: one 8-byte entry per page; mapped pages are present (private ones
 * exclusive, shared ones file-backed), an unmapped hole is not; reads are whole entries. */
#include <stdio.h>
#include <stdint.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
int main(void) {
    long page = 4096;
    char *a = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    char *s = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    munmap(a + page, page);
    a[0] = 1; a[2 * page] = 1; s[0] = 1;
    int pm = open("/proc/self/pagemap", O_RDONLY);
    uint64_t e[3], es;
    pread(pm, e, sizeof e, (uintptr_t)a / page * 8);
    pread(pm, &es, 8, (uintptr_t)s / page * 8);
    printf("present %d %d %d\n", (int)(e[0] >> 63), (int)(e[1] >> 63), (int)(e[2] >> 63));
    printf("exclusive %d shared-file %d\n", (int)(e[0] >> 56 & 1), (int)(es >> 61 & 1));
    printf("misaligned read: %ld\n", (long)pread(pm, e, 8, 3));
    return 0;
}
