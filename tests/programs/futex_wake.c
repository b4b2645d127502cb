/* FUTEX_WAKE with and without waiters: what C answers (no waiter anywhere on the machine) and
 * what it leaves to Python (a thread or a process waiting) must both be what Linux answers. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* <linux/futex.h>'s (musl-gcc has no kernel headers) */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129

static int word;
static volatile int waiting;

static long futex(void *addr, int op, int val)
{
    long r = syscall(SYS_futex, addr, op, val, NULL, NULL, 0);
    return r < 0 ? -errno : r;
}

static void wakes(const char *when)
{
    void *none = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("%s: private %ld shared %ld misaligned %ld unmapped %ld prot-none private %ld "
           "prot-none shared %ld kernel address %ld\n", when,
           futex(&word, FUTEX_WAKE_PRIVATE, 1), futex(&word, FUTEX_WAKE, 1),
           futex((char *)&word + 1, FUTEX_WAKE_PRIVATE, 1),
           futex((void *)16, FUTEX_WAKE_PRIVATE, 1), futex(none, FUTEX_WAKE_PRIVATE, 1),
           futex(none, FUTEX_WAKE, 1), futex((void *)(uintptr_t)-4096, FUTEX_WAKE_PRIVATE, 1));
    munmap(none, 4096);
    /* the last word below x86-64's TASK_SIZE_MAX is a user address (not on i386: no such word) */
    long top = sizeof(void *) == 8 ? futex((void *)(uintptr_t)0x7fffffffeffcull, FUTEX_WAKE_PRIVATE, 1)
                                   : 0;
    printf("%s: last user word %ld\n", when, top);
}

static void *waiter(void *arg)
{
    (void)arg;
    waiting = 1;
    while (__atomic_load_n(&word, __ATOMIC_SEQ_CST) == 0)
        futex(&word, FUTEX_WAIT_PRIVATE, 0);
    return NULL;
}

int main(void)
{
    wakes("alone");
    /* a thread waits: the wake reaches it (after it is queued, it is the only one woken) */
    pthread_t t;
    pthread_create(&t, NULL, waiter, NULL);
    while (!waiting)
        usleep(1000);
    usleep(50000);
    __atomic_store_n(&word, 1, __ATOMIC_SEQ_CST);
    long woken = 0;
    while (!woken)
        woken = futex(&word, FUTEX_WAKE_PRIVATE, 1);
    pthread_join(t, NULL);
    printf("thread woken: %ld\n", woken);
    word = 0;
    wakes("after the thread");
    /* a process waits on a shared word */
    int *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pid_t child = fork();
    if (child == 0) {
        shared[1] = 1;
        while (__atomic_load_n(&shared[0], __ATOMIC_SEQ_CST) == 0)
            futex(&shared[0], FUTEX_WAIT, 0);
        _exit(7);
    }
    while (!shared[1])
        usleep(1000);
    usleep(50000);
    __atomic_store_n(&shared[0], 1, __ATOMIC_SEQ_CST);
    woken = 0;
    while (!woken && waitpid(child, NULL, WNOHANG) == 0)
        woken = futex(&shared[0], FUTEX_WAKE, 1);
    int status;
    waitpid(child, &status, 0);
    printf("process woken: %ld, exit %d\n", woken, WEXITSTATUS(status));
    wakes("after the process");
    return 0;
}
