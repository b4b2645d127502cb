/* An i386 process on a 64-bit kernel has nearly 4 GiB of address space: reservations fill
 * it top-down, then any hole below the program, then above the stack. */
#include <stdio.h>
#include <sys/mman.h>

int main(void)
{
    size_t mib = 0;
    for (size_t size = 256 << 20; size >= 1 << 20;) {
        void *p = mmap(0, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED)
            size /= 2;
        else
            mib += size >> 20;
    }
    printf("reserved more than 3.9 GiB: %d\n", mib > 3900);
    return 0;
}
