/* Four POSIX threads (mingw-w64's winpthreads, over CreateThread) share a counter behind a
   mutex and hand work over through a condition variable; the main thread joins them. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#define THREADS 4
#define ROUNDS 200

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_changed = PTHREAD_COND_INITIALIZER;
static int counter, turn;

static void *worker(void *arg)
{
    int id = (int)(intptr_t)arg;
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&lock);
        while (turn != id)                     /* strict rotation: each waits for its turn */
            pthread_cond_wait(&turn_changed, &lock);
        counter++;
        turn = (turn + 1) % THREADS;
        pthread_cond_broadcast(&turn_changed);
        pthread_mutex_unlock(&lock);
    }
    return (void *)(intptr_t)(id * 10);
}

int main(void)
{
    pthread_t threads[THREADS];
    long total = 0;
    for (intptr_t i = 0; i < THREADS; i++)
        if (pthread_create(&threads[i], NULL, worker, (void *)i) != 0) {
            printf("pthread_create failed\n");
            return 1;
        }
    for (int i = 0; i < THREADS; i++) {
        void *result;
        pthread_join(threads[i], &result);
        total += (long)(intptr_t)result;
    }
    printf("counter %d (expected %d), results %ld\n", counter, THREADS * ROUNDS, total);
    return counter == THREADS * ROUNDS ? 0 : 1;
}
