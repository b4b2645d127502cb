/* Robust mutexes: a process or a thread that ends holding one leaves it to the next
 * locker with EOWNERDEAD (the kernel walks the robust list set_robust_list names); after
 * pthread_mutex_consistent it works on. Prints the same on Linux. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void *hold(void *m)
{
    pthread_mutex_lock(m);
    return NULL;                     /* ends without unlocking */
}

static int timed_lock(pthread_mutex_t *m)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 5;
    return pthread_mutex_timedlock(m, &ts);
}

int main(void)
{
    pthread_mutexattr_t at;
    pthread_mutexattr_init(&at);
    pthread_mutexattr_setrobust(&at, PTHREAD_MUTEX_ROBUST);
    pthread_mutexattr_setpshared(&at, PTHREAD_PROCESS_SHARED);
    pthread_mutex_t *m = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pthread_mutex_init(&m[0], &at);
    pthread_mutex_init(&m[1], &at);
    pid_t c = fork();
    if (c == 0) {
        pthread_mutex_lock(&m[0]);
        _exit(0);
    }
    waitpid(c, 0, 0);
    int r = timed_lock(&m[0]);
    printf("process died holding it: %s\n", r == EOWNERDEAD ? "EOWNERDEAD" : strerror(r));
    int consistent = pthread_mutex_consistent(&m[0]);
    int unlocked = pthread_mutex_unlock(&m[0]);
    int again = timed_lock(&m[0]);
    printf("made consistent: %d, unlock %d, lock again %d\n", consistent, unlocked, again);
    pthread_mutex_unlock(&m[0]);
    pthread_t t;
    pthread_create(&t, 0, hold, &m[1]);
    pthread_join(t, 0);
    r = timed_lock(&m[1]);
    printf("thread died holding it: %s\n", r == EOWNERDEAD ? "EOWNERDEAD" : strerror(r));
    return 0;
}
