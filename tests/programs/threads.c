/* pthreads: four threads add to a counter under a mutex, signal a condition variable, and are
 * joined; a thread's getpid is the process's, its gettid its own. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static long counter, finished;
static int same_pid = 1, distinct_tid = 1;

static void *work(void *arg)
{
    if (getpid() != *(pid_t *)arg)
        same_pid = 0;
    if (syscall(SYS_gettid) == getpid())
        distinct_tid = 0;
    for (int i = 0; i < 10000; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
    }
    pthread_mutex_lock(&lock);
    finished++;
    pthread_cond_signal(&cond);
    pthread_mutex_unlock(&lock);
    return (void *)(long)7;
}

int main(void)
{
    pid_t pid = getpid();
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, work, &pid);
    pthread_mutex_lock(&lock);
    while (finished < 4)
        pthread_cond_wait(&cond, &lock);
    pthread_mutex_unlock(&lock);
    long sum = 0;
    for (int i = 0; i < 4; i++) {
        void *ret;
        pthread_join(t[i], &ret);
        sum += (long)ret;
    }
    printf("counter=%ld joined=%ld same_pid=%d distinct_tid=%d\n", counter, sum, same_pid,
           distinct_tid);
    return 0;
}
