/* Code on a recycled physical page: unmap more than 8192 pages at once (the quarantine the
 * kernel recycles in one go), the code page last, so its physical page is the first handed
 * out again; map the same address, let the kernel fill it (read, into a page that is not
 * executable yet) and run it. Stale translated code would still say 1. The quarantine is
 * recycled when a time slice starts: sched_yield ends this one (a process running alone
 * may otherwise go on in the same slice and get a fresh page). */
#include <stdio.h>
#include <string.h>
#include <sched.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGES 9000

int main(void)
{
    char *data = mmap(NULL, (PAGES + 1) * 4096L, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (long i = 0; i < PAGES; i++)
        data[i * 4096] = 1;
    unsigned char *code = (unsigned char *)data + PAGES * 4096L;
    mprotect(code, 4096, PROT_READ | PROT_WRITE | PROT_EXEC);
    memcpy(code, "\xb8\x01\x00\x00\x00\xc3", 6);   /* mov eax, 1; ret */
    int (*fn)(void) = (int (*)(void))code;
    int before = fn();
    munmap(data, (PAGES + 1) * 4096L);
    sched_yield();
    mmap(code, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    int io[2];
    pipe(io);
    write(io[1], "\xb8\x02\x00\x00\x00\xc3", 6);   /* mov eax, 2; ret */
    read(io[0], code, 6);
    mprotect(code, 4096, PROT_READ | PROT_EXEC);
    printf("before %d, after recycling %d\n", before, fn());
    return 0;
}
