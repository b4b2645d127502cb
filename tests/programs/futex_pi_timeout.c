/* FUTEX_LOCK_PI and FUTEX_LOCK_PI2 read their timeout before anything else (sys_futex,
   futex_init_timeout): a wild pointer is EFAULT and a bad time EINVAL whether the word is
   free (it stays free), names a missing thread, or is the caller's own; TRYLOCK_PI has no
   timeout and ignores the argument (hostile36 6b). A word held by init (pid 1) makes a
   timed lock wait and time out, leaving FUTEX_WAITERS set. Prints Linux's lines. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

#ifndef FUTEX_LOCK_PI2
#define FUTEX_LOCK_PI2 13
#endif
#define WILD ((void *)0x10)

static uint32_t word;

static long fx(int op, void *ts)
{
    return syscall(SYS_futex, &word, op, 0, ts, 0, 0);
}

#define R(what, expr) do { errno = 0; long r_ = (long)(expr); \
    printf("%s %ld %s word ", what, r_, r_ < 0 ? strerrorname_np(errno) : ""); \
    if (word == (uint32_t)gettid()) printf("= tid\n"); else printf("%x\n", word); } while (0)

int main(void)
{
    setvbuf(stdout, 0, _IONBF, 0);
    struct timespec bad = {0, 2000000000};
    word = 0;
    R("LOCK_PI free word, wild timeout", fx(FUTEX_LOCK_PI, WILD));
    R("LOCK_PI2 free word, wild timeout", fx(FUTEX_LOCK_PI2, WILD));
    R("LOCK_PI free word, bad timeout", fx(FUTEX_LOCK_PI, &bad));
    word = 0x3ffffff0;             /* a thread that does not exist */
    R("LOCK_PI missing owner, wild timeout", fx(FUTEX_LOCK_PI, WILD));
    word = 0;
    R("TRYLOCK_PI, wild argument", fx(FUTEX_TRYLOCK_PI, WILD));
    R("LOCK_PI own word, wild timeout", fx(FUTEX_LOCK_PI, WILD));
    R("LOCK_PI own word, no timeout", fx(FUTEX_LOCK_PI, 0));
    R("UNLOCK_PI", fx(FUTEX_UNLOCK_PI, 0));
    struct timespec soon;
    clock_gettime(CLOCK_REALTIME, &soon);
    soon.tv_nsec += 20000000;
    if (soon.tv_nsec >= 1000000000) {
        soon.tv_sec++;
        soon.tv_nsec -= 1000000000;
    }
    word = 1;                      /* init's: it never lets go */
    R("LOCK_PI held by init, 20 ms", fx(FUTEX_LOCK_PI, &soon));
    R("TRYLOCK_PI held by init", fx(FUTEX_TRYLOCK_PI, 0));
    return 0;
}
