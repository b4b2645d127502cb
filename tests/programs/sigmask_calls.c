/* rt_sigprocmask as C answers it (nothing pending that the change would unblock) and as
 * Python does (it would), and rt_sigaction's query (C) after changes (Python): results, errors
 * and the order of the checks, as Linux gives them. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile int caught;

static void on_usr1(int sig)
{
    (void)sig;
    caught++;
}

static long mask_call(int how, const void *set, void *old, long size)
{
    long r = syscall(SYS_rt_sigprocmask, how, set, old, size);
    return r < 0 ? -errno : r;
}

static uint64_t bits(int a, int b)
{
    return (a ? 1ull << (a - 1) : 0) | (b ? 1ull << (b - 1) : 0);
}

/* The kernel's struct sigaction for this word size: handler, flags, restorer, 64-bit mask. */
struct kernel_sigaction {
    uintptr_t handler;
    unsigned long flags;
    uintptr_t restorer;
    uint32_t mask[2];
};

static long action_call(int sig, const void *act, void *old, long size)
{
    long r = syscall(SYS_rt_sigaction, sig, act, old, size);
    return r < 0 ? -errno : r;
}

static void show_action(const char *what, int sig)
{
    struct kernel_sigaction k;
    memset(&k, 0xAA, sizeof k);
    long r = action_call(sig, NULL, &k, 8);
    /* SA_RESTORER and the restorer left out: i386 glibc sets them only without a vDSO */
    printf("%s: %ld handler %s flags %lx mask %x %x\n", what, r,
           k.handler == (uintptr_t)on_usr1 ? "on_usr1" : k.handler < 2 ? (k.handler ? "IGN" : "DFL")
                                                                        : "other",
           k.flags & ~0x04000000ul, k.mask[0], k.mask[1]);
}

static void actions(void)
{
    show_action("usr1", SIGUSR1);
    show_action("usr2 never set", SIGUSR2);
    signal(SIGUSR2, SIG_IGN);
    show_action("usr2 ignored", SIGUSR2);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sa.sa_flags = SA_RESTART | SA_NODEFER;
    sigaddset(&sa.sa_mask, SIGINT);
    sigaddset(&sa.sa_mask, 40);
    sigaction(SIGTERM, &sa, NULL);
    show_action("term", SIGTERM);
    show_action("rt 64", 64);
    show_action("hup, the first", SIGHUP);
    struct kernel_sigaction k;
    void *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("query: size 16 %ld, sig 0 %ld, sig 65 %ld, no old %ld, old read-only %ld, "
           "kill %ld\n", action_call(SIGUSR1, NULL, &k, 16), action_call(0, NULL, &k, 8),
           action_call(65, NULL, &k, 8), action_call(SIGUSR1, NULL, NULL, 8),
           action_call(SIGUSR1, NULL, ro, 8), action_call(SIGKILL, NULL, &k, 8));
    sigaction(SIGTERM, &(struct sigaction){.sa_handler = SIG_DFL}, NULL);
    show_action("term back to default", SIGTERM);
}

int main(void)
{
    uint64_t set = bits(SIGUSR1, SIGUSR2), old = 0, cur = 0;
    signal(SIGUSR1, on_usr1);
    mask_call(SIG_SETMASK, &(uint64_t){0}, NULL, 8);
    printf("block: %ld", mask_call(SIG_BLOCK, &set, &old, 8));
    mask_call(SIG_BLOCK, NULL, &cur, 8);
    printf(" old %llx now %llx\n", (unsigned long long)old, (unsigned long long)cur);
    uint64_t kill_stop = bits(SIGKILL, SIGSTOP) | bits(SIGINT, 0);
    printf("kill and stop: %ld", mask_call(SIG_BLOCK, &kill_stop, NULL, 8));
    mask_call(SIG_BLOCK, NULL, &cur, 8);
    printf(" now %llx\n", (unsigned long long)cur);
    uint64_t usr2 = bits(SIGUSR2, 0);
    printf("unblock usr2: %ld", mask_call(SIG_UNBLOCK, &usr2, &old, 8));
    mask_call(SIG_BLOCK, NULL, &cur, 8);
    printf(" old %llx now %llx\n", (unsigned long long)old, (unsigned long long)cur);
    /* the checks and their order */
    void *none = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    void *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("size 4: %ld, size 16: %ld, size 4 bad set: %ld\n", mask_call(SIG_BLOCK, &set, NULL, 4),
           mask_call(SIG_BLOCK, &set, NULL, 16), mask_call(SIG_BLOCK, none, NULL, 4));
    printf("bad how: %ld, bad how bad set: %ld, bad how no set: %ld\n",
           mask_call(7, &set, NULL, 8), mask_call(7, none, NULL, 8), mask_call(7, NULL, &old, 8));
    cur = 0;
    printf("bad old: %ld", mask_call(SIG_BLOCK, &usr2, ro, 8));
    mask_call(SIG_BLOCK, NULL, &cur, 8);
    printf(" (the mask changed anyway: now %llx)\n", (unsigned long long)cur);
    /* a pending signal the change unblocks is delivered before the call returns */
    raise(SIGUSR1);
    printf("pending while blocked: caught %d\n", caught);
    long r = mask_call(SIG_UNBLOCK, &set, &old, 8);
    printf("unblock: %ld caught %d\n", r, caught);
    r = mask_call(SIG_SETMASK, &set, &old, 8);
    raise(SIGUSR1);
    r = mask_call(SIG_SETMASK, &(uint64_t){0}, &old, 8);
    printf("setmask: %ld old %llx caught %d\n", r, (unsigned long long)old, caught);
    /* many calls that change nothing pending: C's */
    for (int i = 0; i < 1000; i++) {
        mask_call(SIG_BLOCK, &set, &old, 8);
        mask_call(SIG_SETMASK, &old, NULL, 8);
    }
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    sigprocmask(SIG_BLOCK, &s, NULL);
    pid_t pid = getpid();
    kill(pid, SIGUSR1);
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    printf("libc sigprocmask: caught %d\n", caught);
    actions();
    return 0;
}
