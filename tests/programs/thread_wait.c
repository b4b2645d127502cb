/* Children belong to the process, not to the thread that forked them: a thread waits for a
 * child the main thread forked, the main thread for one a thread forked, and a child forked
 * by a thread that has ended is still the process's; getppid is the process's id. */
#include <pthread.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t forked;

static void *wait_for_forked(void *arg)
{
    int status = 0;
    pid_t got = waitpid(forked, &status, 0);
    printf("thread waited: %d exit %d\n", got == forked, WEXITSTATUS(status));
    return arg;
}

static void *fork_one(void *arg)
{
    forked = fork();
    if (forked == 0)
        _exit(getppid() == (pid_t)(long)arg ? 7 : 1);
    return arg;
}

static void *fork_and_end(void *arg)
{
    forked = fork();
    if (forked == 0) {
        usleep(200000);     /* outlive the thread that forked it */
        _exit(getppid() == (pid_t)(long)arg ? 8 : 1);
    }
    return arg;
}

int main(void)
{
    pthread_t t;
    pid_t self = getpid();
    forked = fork();
    if (forked == 0)
        _exit(6);
    pthread_create(&t, NULL, wait_for_forked, NULL);
    pthread_join(t, NULL);

    pthread_create(&t, NULL, fork_one, (void *)(long)self);
    pthread_join(t, NULL);
    int status = 0;
    pid_t got = waitpid(forked, &status, 0);
    printf("main waited: %d exit %d\n", got == forked, WEXITSTATUS(status));

    pthread_create(&t, NULL, fork_and_end, (void *)(long)self);
    pthread_join(t, NULL);
    got = waitpid(-1, &status, 0);
    printf("after its thread ended: %d exit %d\n", got == forked, WEXITSTATUS(status));
    printf("no more: %d\n", waitpid(-1, &status, WNOHANG));
    return 0;
}
