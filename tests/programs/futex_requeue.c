/* A thousand processes wait on one futex in a MAP_SHARED page, as in LTP's
 * futex_cmp_requeue01: the parent waits until /proc says each of them sleeps, then
 * FUTEX_CMP_REQUEUE wakes some and moves others to a second futex, and FUTEX_WAKE ends the
 * rest. Every waiter must be woken exactly once, by one of the three calls. */
#include <errno.h>
#include <linux/futex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define WAITERS 1000
#define WAKE 100
#define REQUEUE 700

static long futex(unsigned *uaddr, int op, unsigned val, unsigned long val2, unsigned *uaddr2,
                  unsigned val3)
{
    return syscall(SYS_futex, uaddr, op, val, val2, uaddr2, val3);
}

static char state_of(pid_t pid)
{
    char path[64], buf[256], state = '?';
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (f) {
        if (fgets(buf, sizeof buf, f)) {
            char *close = strrchr(buf, ')');
            if (close && close[1] == ' ')
                state = close[2];
        }
        fclose(f);
    }
    return state;
}

int main(void)
{
    unsigned *words = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                           -1, 0);
    static pid_t pids[WAITERS];
    for (int i = 0; i < WAITERS; i++) {
        pids[i] = fork();
        if (pids[i] == 0) {
            struct timespec limit = {60, 0};
            /* 0: woken; 2: the wait failed */
            _exit(futex(&words[0], FUTEX_WAIT, 0, (unsigned long)&limit, NULL, 0) == 0 ? 0 : 2);
        }
        if (pids[i] < 0) {
            perror("fork");
            return 1;
        }
    }
    for (int i = 0; i < WAITERS; i++)
        while (state_of(pids[i]) != 'S')
            usleep(1000);
    long moved = futex(&words[0], FUTEX_CMP_REQUEUE, WAKE, REQUEUE, &words[1], 0);
    long from_second = futex(&words[1], FUTEX_WAKE, WAITERS, 0, NULL, 0);
    long from_first = futex(&words[0], FUTEX_WAKE, WAITERS, 0, NULL, 0);
    printf("requeue woke or moved %ld, the second futex woke %ld, the first the other %ld\n",
           moved, from_second, from_first);
    int ok = 0;
    for (int i = 0; i < WAITERS; i++) {
        int status;
        if (waitpid(pids[i], &status, 0) == pids[i] && WIFEXITED(status) &&
            WEXITSTATUS(status) == 0)
            ok++;
    }
    printf("%d of %d waiters woken\n", ok, WAITERS);
    return 0;
}
