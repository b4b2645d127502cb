/* MAP_NORESERVE mappings are not charged to the commit (VM_NORESERVE): SBCL reserves its
 * 1 GiB heap writable so, and larger ones must map as well. They stay uncharged through
 * mprotect and MADV_DONTNEED, and a PROT_NONE one made writable. Prints the same on Linux
 * (vm.overcommit_memory 0); under sysvec the two gigabytes are past the default limit of a
 * process's writable memory. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define GIB (1UL << 30)
#define NR (MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE)

static const char *rc(long r)
{
    return r == 0 ? "ok" : strerror(errno);
}

int main(void)
{
    char *heap = mmap(0, GIB, PROT_READ | PROT_WRITE | PROT_EXEC, NR, -1, 0);
    printf("1 GiB rwx: %s\n", heap == MAP_FAILED ? strerror(errno) : "ok");
    if (heap == MAP_FAILED)
        return 0;
    heap[0] = 1;
    heap[GIB - 1] = 2;
    printf("first and last page written: %d %d\n", heap[0], heap[GIB - 1]);
    char *more = mmap(0, GIB, PROT_READ | PROT_WRITE, NR, -1, 0);
    printf("another 1 GiB rw: %s\n", more == MAP_FAILED ? strerror(errno) : "ok");
    printf("mprotect none and back: %s", rc(mprotect(more, GIB / 2, PROT_NONE)));
    printf(" %s\n", rc(mprotect(more, GIB / 2, PROT_READ | PROT_WRITE)));
    more[4096] = 3;
    printf("MADV_DONTNEED: %s", rc(madvise(more, GIB, MADV_DONTNEED)));
    printf(", reads %d\n", more[4096]);
    munmap(more, GIB);
    char *none = mmap(0, GIB, PROT_NONE, NR, -1, 0);
    printf("1 GiB none made rw: %s\n", none == MAP_FAILED ? strerror(errno) :
           rc(mprotect(none, GIB, PROT_READ | PROT_WRITE)));
    none[GIB - 1] = 4;
    printf("its last page: %d\n", none[GIB - 1]);
    return 0;
}
