/* rt_sigprocmask as C answers it (nothing pending that the change would unblock) and as
 * Python does (it would): results, errors and the order of the checks, as Linux gives them. */
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
    return 0;
}
