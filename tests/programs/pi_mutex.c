/* Priority-inheritance mutexes (FUTEX_LOCK_PI/UNLOCK_PI/TRYLOCK_PI): contended locking
 * hands the lock over, a timed lock times out, trylock fails while held, and a robust PI
 * mutex whose owner died is EOWNERDEAD. Prints the same on Linux. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
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
    return 0;
}
