/* What a fault's signal handler learns: si_code and si_addr of a write to nothing, to a
 * PROT_NONE page and to a read-only page, a jump to nothing, a divide by zero and an invalid
 * opcode (each relative to what the program knows), as Linux's trap handlers give them. */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

static sigjmp_buf back;
static volatile int got_sig, got_code;
static void *volatile got_addr;

static void handler(int sig, siginfo_t *info, void *ctx)
{
    (void)ctx;
    got_sig = sig;
    got_code = info->si_code;
    got_addr = info->si_addr;
    siglongjmp(back, 1);
}

static void report(const char *what, void *expect)
{
    printf("%s sig=%d code=%d addr=%s\n", what, got_sig, got_code,
           got_addr == expect ? "expected" : "other");
}

static volatile int zero = 0;

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);

    char *none = mmap(NULL, 8192, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *gone = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(gone, 4096);

    if (!sigsetjmp(back, 1))
        gone[100] = 1;
    report("unmapped_write", gone + 100);
    if (!sigsetjmp(back, 1))
        (void)*(volatile char *)(none + 4097);
    report("prot_none_read", none + 4097);
    if (!sigsetjmp(back, 1))
        ro[7] = 1;
    report("read_only_write", ro + 7);
    if (!sigsetjmp(back, 1))
        ((void (*)(void))(uintptr_t)gone)();
    report("jump_to_nothing", gone);
    if (!sigsetjmp(back, 1))
        printf("%d\n", 7 / zero);
    printf("divide sig=%d code=%d\n", got_sig, got_code);
    if (!sigsetjmp(back, 1))
        __asm__ volatile("ud2");
    printf("ud2 sig=%d code=%d\n", got_sig, got_code);
    mprotect(none, 8192, PROT_READ | PROT_WRITE);
    none[4097] = 5;
    printf("after mprotect %d %d\n", none[4097], none[0]);
    return 0;
}
