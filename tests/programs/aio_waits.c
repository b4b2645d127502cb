/* Waits in io_getevents as Linux ends them: io_destroy by another thread wakes a waiter with
 * EINVAL (it crashed the whole machine: the wake-up read the unmapped ring); a wait a signal
 * interrupts (EINTR) leaves no deadline behind for the next call. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/aio_abi.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static aio_context_t ctx;
static long waited;
static int waited_errno;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void *waiter(void *arg)
{
    struct io_event ev[1];
    (void)arg;
    waited = syscall(SYS_io_getevents, ctx, 1, 1, ev, NULL);
    waited_errno = errno;
    return NULL;
}

static void handler(int sig)
{
    (void)sig;
}

int main(void)
{
    pthread_t t;
    struct io_event ev[1];
    syscall(SYS_io_setup, 4, &ctx);
    pthread_create(&t, NULL, waiter, NULL);
    usleep(100000);
    long rc = syscall(SYS_io_destroy, ctx);
    pthread_join(t, NULL);
    printf("destroy %ld, waiter %ld %s\n", rc, waited, strerror(waited_errno));

    ctx = 0;
    syscall(SYS_io_setup, 4, &ctx);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigaction(SIGALRM, &sa, NULL);
    ualarm(100000, 0);
    struct timespec two = {2, 0}, half = {0, 500000000};
    rc = syscall(SYS_io_getevents, ctx, 1, 1, ev, &two);
    printf("interrupted: %ld %s\n", rc, strerror(errno));
    usleep(2100000);                 /* past the first wait's deadline */
    double t0 = now();
    rc = syscall(SYS_io_getevents, ctx, 1, 1, ev, &half);
    printf("next wait: %ld, its own half second: %s\n", rc, now() - t0 >= 0.45 ? "yes" : "no");
    return 0;
}
