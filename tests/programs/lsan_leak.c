/* LeakSanitizer at exit (on by default with -fsanitize=address): its tracer, a clone
 * sharing the memory, ptrace-attaches to every thread of its parent, reads their registers
 * and stacks, and reports the block nothing points to; the block only a thread's stack
 * holds is no leak. It died with "LeakSanitizer has encountered a fatal error" instead
 * (ptrace was ENOSYS). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void *kept;

static void *hold(void *arg)
{
    void *volatile mine = malloc(77);  /* on this thread's stack only */
    (void)mine;
    for (;;)
        pause();
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, 0, hold, 0);
    usleep(100000);
    kept = malloc(10);
    void *volatile lost = malloc(123);
    lost = 0;
    printf("leaving %p\n", (void *)lost);
    fflush(stdout);                    /* LeakSanitizer's exit does not flush it */
    return 0;
}
