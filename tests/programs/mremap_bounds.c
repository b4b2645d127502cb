/* mremap stays in the user half: a move whose end passes TASK_SIZE is EINVAL (on i386 it
 * would have covered the GDT page), and a huge reservation (no pages behind it) moves in
 * one step. MREMAP_DONTUNMAP moves the pages and leaves the old range mapped, empty.
 * Prints the same on Linux. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

int main(void)
{
    char *p = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uintptr_t top = sizeof(void *) == 4 ? 0xFFFFF000u : 0x7ffffffff000ul;
    void *r = mremap(p, 4096, 4096, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)top);
    printf("move past the top: %s\n", r == MAP_FAILED && errno == EINVAL ? "EINVAL" : "moved");
    errno = 0;
    r = mremap(p, 4096, 8192, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)(top - 4096));
    printf("grown to end past the top: %s\n", r == MAP_FAILED ? "failed" : "moved");
    size_t huge = sizeof(void *) == 4 ? (size_t)1 << 30 : (size_t)8 << 40;
    char *res = mmap(0, huge, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (res == MAP_FAILED) {
        printf("reserve failed %d\n", errno);
        return 1;
    }
    char *other = mmap(0, huge, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    char *to = mremap(res, huge, huge, MREMAP_MAYMOVE | MREMAP_FIXED, other);
    printf("huge reservation moved: %d\n", to == other);
    int rc = munmap(to, huge);
    printf("unmapped: %d %d\n", rc, rc ? errno : 0);
    /* (the raw call: a C library may pass no new address without MREMAP_FIXED) */
    char *a = mmap(0, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    a[0] = 'X';
    char *b = (char *)syscall(SYS_mremap, a, 1 << 20, 1 << 20, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0);
    printf("DONTUNMAP: moved %d, new %c, old %d\n", b != a && b != MAP_FAILED,
           b != MAP_FAILED ? b[0] : '-', a[0]);
    b = (char *)syscall(SYS_mremap, a, 1 << 20, 2 << 20, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0);
    printf("DONTUNMAP growing: %s\n", b == MAP_FAILED ? strerror(errno) : "moved");
    /* a mapping grown by a move is one mapping: it moves and grows again (stress-ng) */
    char *area = mmap(0, 1 << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(area, 1 << 20);
    char *small = mmap(area + 0x5000, 8192, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    small[0] = 'Y';
    char *grown = mremap(small, 8192, 16384, MREMAP_MAYMOVE | MREMAP_FIXED, area);
    char *hinted = (char *)syscall(SYS_mremap, grown, 16384, 16384,
                                   MREMAP_MAYMOVE | MREMAP_DONTUNMAP, grown);
    printf("DONTUNMAP with a hint inside the old range: %s\n",
           hinted == MAP_FAILED ? strerror(errno) : "moved");
    char *again = mremap(grown, 16384, 32768, MREMAP_MAYMOVE);
    printf("grown by a move, then grown again: %s %c\n", again == MAP_FAILED ? strerror(errno)
                                                                          : "ok",
           again == MAP_FAILED ? '-' : again[0]);
    return 0;
}
