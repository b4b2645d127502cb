/* Cases where a stale translation (a TLB entry or translated code the kernel did not throw
 * away) would show. Each line prints what Linux gives. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static sigjmp_buf back;

static void on_segv(int sig)
{
    (void)sig;
    siglongjmp(back, 1);
}

/* 1 if the access faults, 0 if it works. */
static int faults(volatile char *p, int write)
{
    if (sigsetjmp(back, 1))
        return 1;
    if (write)
        *p = 1;
    else
        (void)*p;
    return 0;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_segv;
    sigaction(SIGSEGV, &sa, NULL);

    char *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    p[0] = 1, p[4096] = 2, p[8192] = 3;   /* every page is in the TLB, writable */
    mprotect(p + 4096, 4096, PROT_READ);
    printf("read-only: write %d read %d, neighbours %d %d\n", faults(p + 4096, 1),
           faults(p + 4096, 0), faults(p + 4095, 1), faults(p + 8192, 1));
    mprotect(p + 4096, 4096, PROT_READ | PROT_WRITE);
    printf("writable again: write %d\n", faults(p + 4096, 1));
    munmap(p + 8192, 4096);
    printf("unmapped: read %d, below %d\n", faults(p + 8192, 0), faults(p + 8191, 0));
    p[0] = 42;
    mmap(p, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("replaced by MAP_FIXED: %d\n", p[0]);

    /* Copy on write: the child reads first (a read-only fill of a shared page), then writes. */
    p[0] = 5;
    int status;
    if (fork() == 0) {
        int seen = p[0];
        p[0] = 6;
        _exit(seen * 10 + p[0]);
    }
    wait(&status);
    printf("child saw and wrote %d, parent sees %d\n", WEXITSTATUS(status), p[0]);

    /* The parent's writable TLB entry from before the fork must not write the shared page. */
    int go[2];
    pipe(go);
    if (fork() == 0) {
        char c;
        read(go[0], &c, 1);
        _exit(p[0]);
    }
    p[0] = 7;
    write(go[1], "x", 1);
    wait(&status);
    printf("parent wrote %d, child sees %d\n", p[0], WEXITSTATUS(status));

    /* Code the kernel rewrites (read into an executable page) runs as rewritten. */
    unsigned char *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memcpy(code, "\xb8\x01\x00\x00\x00\xc3", 6);   /* mov eax, 1; ret */
    int (*fn)(void) = (int (*)(void))code;
    int first = fn();
    int io[2];
    pipe(io);
    write(io[1], "\xb8\x02\x00\x00\x00\xc3", 6);   /* mov eax, 2; ret */
    read(io[0], code, 6);
    printf("code rewritten by read: %d then %d\n", first, fn());
    return 0;
}
