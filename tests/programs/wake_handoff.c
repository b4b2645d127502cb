/* A thread woken on a futex runs before the waker goes on: the main thread hands a writer
 * thread its last line and ends the process at once (Rust's tracing writers, taplo). On
 * several CPUs the writer runs alongside; on sysvec's one, it runs next. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static char msg[64];
static volatile int waiting;
static void *writer(void *a) {
    pthread_mutex_lock(&m);
    waiting = 1;    /* set under the lock that cond_wait releases: main sees it waiting */
    while (!msg[0]) pthread_cond_wait(&c, &m);
    pthread_mutex_unlock(&m);
    write(1, msg, strlen(msg));
    return a;
}
int main(void) {
    pthread_t t;
    pthread_create(&t, NULL, writer, NULL);
    for (;;) {      /* not a fixed sleep: a loaded host may not run the writer in time */
        pthread_mutex_lock(&m);
        if (waiting)
            break;
        pthread_mutex_unlock(&m);
        usleep(10000);
    }
    strcpy(msg, "last line\n");
    pthread_cond_signal(&c);
    pthread_mutex_unlock(&m);
    _exit(0);   /* exit_group at once: the writer must have run to print */
}
