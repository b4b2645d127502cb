/* Built with -fsanitize=thread: two threads increment one int without a lock, which
 * ThreadSanitizer reports as a data race (exit 66). */
#include <pthread.h>
#include <stdio.h>

static int shared;

static void *bump(void *arg)
{
    shared++;
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, bump, NULL);
    shared++;
    pthread_join(t, NULL);
    printf("shared %d\n", shared);
    return 0;
}
