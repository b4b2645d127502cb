/* mmap of 64 TiB, munmap of the whole user half, then a 10**10 s nanosleep: each must answer
 * at once (or the time limit end it), never walk page by page or hang the host. */
#include <stdio.h>
#include <sys/mman.h>
#include <time.h>
int main(void) {
    void *p = mmap(0, 1UL << 46, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mmap 64 TiB: %s\n", p == MAP_FAILED ? "failed" : "mapped");
    printf("munmap far: %d\n", munmap((void *)0x100000000000UL, 0x500000000000UL));
    fflush(stdout);
    struct timespec ts = {10000000000L, 0};
    nanosleep(&ts, 0);
    return 0;
}