/* Grows the heap by 500 brk calls, splits an anonymous mapping with mprotect and joins it
 * again, then prints how many lines of /proc/self/maps are heap and how many cover the
 * anonymous mapping; last, mremap grows a mapping in place when the range after it is free. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static char maps[65536];

static void count(const char *what, unsigned long lo, unsigned long hi)
{
    int fd = open("/proc/self/maps", O_RDONLY);
    ssize_t n = 0, r;
    while (fd >= 0 && (r = read(fd, maps + n, sizeof maps - 1 - n)) > 0)
        n += r;
    maps[n > 0 ? n : 0] = 0;
    close(fd);
    int heap = 0, anon = 0;
    for (char *line = strtok(maps, "\n"); line; line = strtok(NULL, "\n")) {
        unsigned long start, end;
        if (strstr(line, "[heap]"))
            heap++;
        if (sscanf(line, "%lx-%lx", &start, &end) == 2 && start < hi && end > lo)
            anon++;
    }
    printf("%s heap=%d anon=%d\n", what, heap, anon);
}

int main(void)
{
    /* brk(2) itself: musl's sbrk only answers sbrk(0). */
    char *top = (char *)syscall(SYS_brk, 0);
    for (int i = 0; i < 500; i++) {
        char *next = (char *)syscall(SYS_brk, top + 4096);
        if (next != top + 4096)
            return 1;
        top[0] = (char)i;   /* touched: each piece is backed */
        top = next;
    }
    size_t len = 16 * 4096;
    char *m = mmap(NULL, len + 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                   -1, 0);
    if (m == MAP_FAILED || munmap(m + len, 4 * 4096) != 0)
        return 2;
    unsigned long lo = (unsigned long)m, hi = lo + len;
    count("grown", lo, hi);
    if (mprotect(m + 4 * 4096, 4096, PROT_READ) != 0)
        return 3;
    count("split", lo, hi);
    if (mprotect(m + 4 * 4096, 4096, PROT_READ | PROT_WRITE) != 0)
        return 4;
    count("joined", lo, hi);
    /* Grow it into the pages freed above it, without moving. */
    m[0] = 42;
    char *g = mremap(m, len, len + 4 * 4096, 0);
    printf("grown in place=%d kept=%d\n", g == m, g != MAP_FAILED && g[0] == 42);
    return 0;
}
