/* madvise: MADV_DONTNEED gives private anonymous memory zero pages, MADV_WIPEONFORK gives a
 * child zero pages where the parent keeps its data; its checks in Linux's order. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MADV_WIPEONFORK
#define MADV_WIPEONFORK 18
#endif

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    char *a = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(a, 7, 3 * 4096);
    int r = madvise(a + 4096, 4096, MADV_DONTNEED);
    printf("dontneed: %d, then %d %d\n", r, a[4096], a[0]);
    memset(a, 7, 3 * 4096);
    r = madvise(a, 4096, MADV_WIPEONFORK);
    printf("wipeonfork: %d\n", r);
    if (fork() == 0) {
        printf("child sees %d %d\n", a[0], a[4096]);
        exit(0);
    }
    wait(NULL);
    printf("parent sees %d\n", a[0]);
    char *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    r = madvise(shared, 4096, MADV_WIPEONFORK);
    printf("wipeonfork shared: %d %d\n", r, errno);
    r = madvise(a + 1, 4096, MADV_NORMAL);
    printf("unaligned: %d %d\n", r, errno);
    r = madvise(a, 4096, 1212);
    printf("bad advice: %d %d\n", r, errno);
    munmap(a + 4096, 4096);
    r = madvise(a, 3 * 4096, MADV_NORMAL);
    printf("hole: %d %d\n", r, errno);
    return 0;
}
