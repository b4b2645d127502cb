/* The main thread's stack grows down as far as RLIMIT_STACK lets it, measured from its top:
 * set before exec (ulimit -s's way) or after it (GCC's cc1 raises its own, then recurses).
 *
 *   stack_limit run [FRAME]        recurse in FRAME-byte frames (default 512; only a frame's
 *                                  lowest byte is touched) until SIGSEGV, which a handler on
 *                                  an alternate stack reports: "depth N KiB"
 *   stack_limit exec KIB ARGS...   set RLIMIT_STACK to KIB (unlimited: "inf"), then exec
 *                                  this program with ARGS
 *   stack_limit set KIB [FRAME]    set RLIMIT_STACK to KIB in this process, then "run"
 *   stack_limit crash              print the stack's top, then recurse with no handler:
 *                                  SIGSEGV ends the process
 *   stack_limit kernel             the kernel is first below the stack (under a 16 MiB limit):
 *                                  reads into buffers 10 and 11 MiB below it, a signal frame
 *                                  pushed 9 MiB below it
 *   stack_limit layout             where mmap puts a mapping: below the stack's limit
 *                                  (top-down) or low in the address space (bottom-up) */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

static char *top;
static volatile char *low;
static size_t frame = 512;

static void report(int sig)
{
    char msg[64];
    int n = snprintf(msg, sizeof msg, "depth %ld KiB\n", (long)(top - (char *)low) / 1024);
    write(1, msg, n);
    _exit(sig == SIGSEGV ? 0 : 1);
}

static int recurse(int n)
{
    volatile char *buf = __builtin_alloca(frame);
    buf[0] = (char)n;
    low = buf;
    return recurse(n + 1) + buf[0];
}

static int run(int handled)
{
    char here;
    top = &here;
    if (handled) {
        static char alt[65536];
        stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt};
        struct sigaction sa = {0};
        sigaltstack(&ss, NULL);
        sa.sa_handler = report;
        sa.sa_flags = SA_ONSTACK;
        sigaction(SIGSEGV, &sa, NULL);
    }
    return recurse(0);
}

static void set_limit(const char *kib)
{
    struct rlimit rl;
    getrlimit(RLIMIT_STACK, &rl);
    rl.rlim_cur = strcmp(kib, "inf") == 0 ? RLIM_INFINITY : strtoul(kib, NULL, 10) * 1024;
    if (rl.rlim_max != RLIM_INFINITY && rl.rlim_cur > rl.rlim_max)
        rl.rlim_max = rl.rlim_cur;
    if (setrlimit(RLIMIT_STACK, &rl) != 0)
        perror("setrlimit");
}

static volatile sig_atomic_t handled_sig;

static void on_usr1(int sig)
{
    volatile char local[256];
    local[0] = (char)sig;
    handled_sig = local[0];
}

/* kill(getpid(), SIGUSR1) with the stack pointer 9 MiB below where it was, no page of it
 * touched: the signal frame is the first thing written there. */
static long kill_far_below(int sig)
{
    long ret, pid = getpid();
#if defined(__x86_64__)
    __asm__ volatile("mov %%rsp, %%r12\n\t"
                     "sub $0x900000, %%rsp\n\t"
                     "syscall\n\t"
                     "mov %%r12, %%rsp"
                     : "=a"(ret)
                     : "0"((long)SYS_kill), "D"(pid), "S"((long)sig)
                     : "rcx", "r11", "r12", "memory");
#else
    __asm__ volatile("mov %%esp, %%esi\n\t"
                     "sub $0x900000, %%esp\n\t"
                     "int $0x80\n\t"
                     "mov %%esi, %%esp"
                     : "=a"(ret)
                     : "0"((long)SYS_kill), "b"(pid), "c"((long)sig)
                     : "esi", "memory");
#endif
    return ret;
}

/* addr - bytes, as a pointer the compiler cannot see the origin of */
static char *below(void *addr, unsigned long bytes)
{
    char *p = (char *)addr - bytes;
    __asm__("" : "+r"(p));
    return p;
}

static void kernel_first(void)
{
    char here;
    int fds[2];
    char *buf = below(&here, 10 << 20);     /* never touched by this program */
    if (pipe(fds) != 0 || write(fds[1], "through the pipe", 17) != 17)
        perror("pipe");
    ssize_t n = read(fds[0], buf, 17);
    printf("a read 10 MiB below the stack: %zd %s\n", n, n == 17 ? buf : "");
    int zero = open("/dev/zero", O_RDONLY);
    buf = below(&here, 11 << 20);
    n = read(zero, buf, 1 << 20);
    printf("/dev/zero read 11 MiB below: %zd\n", n);
    struct sigaction sa = {0};
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    long rc = kill_far_below(SIGUSR1);
    printf("a signal frame 9 MiB below the stack: kill %ld, handler saw %d\n", rc,
           (int)handled_sig);
}

static void layout(void)
{
    char here;
    struct rlimit rl;
    getrlimit(RLIMIT_STACK, &rl);
    char *m = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (rl.rlim_cur == RLIM_INFINITY)
        printf("mmap: %s\n", m < &here - ((unsigned long)&here >> 1) ? "bottom-up" : "top-down");
    else
        printf("mmap: %s the stack's limit\n",
               (unsigned long)(&here - m) >= rl.rlim_cur ? "below" : "within");
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 2 && strcmp(argv[1], "exec") == 0) {
        set_limit(argv[2]);
        argv[2] = argv[0];
        execv("/proc/self/exe", argv + 2);
        perror("execv");
        return 127;
    }
    if (argc > 1 && strcmp(argv[1], "crash") == 0) {
        char here;
        printf("top %p\n", (void *)&here);
        return run(0);
    }
    if (argc > 1 && strcmp(argv[1], "kernel") == 0) {
        kernel_first();
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "layout") == 0) {
        layout();
        return 0;
    }
    if (argc > 2 && strcmp(argv[1], "set") == 0) {
        set_limit(argv[2]);
        if (argc > 3)
            frame = strtoul(argv[3], NULL, 10);
        return run(1);
    }
    if (argc > 2 && strcmp(argv[1], "run") == 0)
        frame = strtoul(argv[2], NULL, 10);
    return run(1);
}
