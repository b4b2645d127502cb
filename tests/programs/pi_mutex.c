/* Priority-inheritance mutexes (FUTEX_LOCK_PI/UNLOCK_PI/TRYLOCK_PI): contended locking
 * hands the lock over, a timed lock times out, trylock fails while held, and a robust PI
 * mutex whose owner died is EOWNERDEAD; a raw lock word whose owner ended goes to its waiter.
 * Prints the same on Linux. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t m, r;
static volatile int counter, locked_by_thread;

static void *worker(void *arg)
{
    for (int i = 0; i < 1000; i++) {
        pthread_mutex_lock(&m);
        counter++;
        pthread_mutex_unlock(&m);
    }
    return NULL;
}

static void *hold_and_die(void *arg)
{
    pthread_mutex_lock(&r);
    locked_by_thread = 1;
    return NULL;
}

static void *blocked(void *arg)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 100000000;
    if (ts.tv_nsec >= 1000000000) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000;
    }
    return (void *)(long)pthread_mutex_timedlock(&m, &ts);
}

#define FUTEX_LOCK_PI 6               /* <linux/futex.h>, which musl's headers lack */
#define FUTEX_OWNER_DIED 0x40000000
#define FUTEX_TID_MASK 0x3fffffff

static uint32_t word;

static void *lock_and_end(void *arg)
{
    (void)arg;
    syscall(SYS_futex, &word, FUTEX_LOCK_PI, 0, NULL, NULL, 0);
    usleep(200000);          /* ends holding it while main waits: no robust list */
    return NULL;
}

/* exit_pi_state_list hands a PI lock whose owner ended to its waiter, marked
 * FUTEX_OWNER_DIED; a word naming a thread that is gone, with nobody waiting, is ESRCH. */
static void raw_word_of_a_dead_owner(void)
{
    pthread_t t;
    pthread_create(&t, NULL, lock_and_end, NULL);
    usleep(50000);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 5;
    long rc = syscall(SYS_futex, &word, FUTEX_LOCK_PI, 0, &ts, NULL, 0);
    pthread_join(t, NULL);
    printf("waiter after the owner ended: %ld, owner died %d, mine %d\n", rc,
           (word & FUTEX_OWNER_DIED) != 0, (word & FUTEX_TID_MASK) == (uint32_t)syscall(SYS_gettid));
    word = 0;
    pthread_create(&t, NULL, lock_and_end, NULL);
    pthread_join(t, NULL);
    rc = syscall(SYS_futex, &word, FUTEX_LOCK_PI, 0, NULL, NULL, 0);
    printf("lock of a gone owner's word: %ld %s\n", rc, rc ? strerror(errno) : "");
}

int main(void)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    printf("protocol: %d\n", pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT));
    printf("init: %d\n", pthread_mutex_init(&m, &a));
    pthread_t t[3];
    for (int i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, worker, NULL);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    printf("counter: %d\n", counter);
    pthread_mutex_lock(&m);
    void *res;
    pthread_create(&t[0], NULL, blocked, NULL);
    pthread_join(t[0], &res);
    printf("timed lock while held: ETIMEDOUT %d\n", (int)(long)res == ETIMEDOUT);
    pthread_create(&t[0], NULL, (void *(*)(void *))pthread_mutex_trylock, &m);
    pthread_join(t[0], &res);
    printf("trylock while held: EBUSY %d\n", (int)(long)res == EBUSY);
    pthread_mutex_unlock(&m);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&r, &a);
    pthread_create(&t[0], NULL, hold_and_die, NULL);
    pthread_join(t[0], NULL);
    int rc = pthread_mutex_lock(&r);
    printf("robust PI after the owner died: %s\n", rc == EOWNERDEAD ? "EOWNERDEAD" : strerror(rc));
    raw_word_of_a_dead_owner();
    return 0;
}
