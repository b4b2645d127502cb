/* POSIX timers: a one-shot timer's signal with SI_TIMER and sigev_value, a periodic one's
 * overruns while its signal is blocked, timer_gettime of a SIGEV_NONE timer, an absolute
 * expiry, SIGEV_THREAD_ID, a CPU-time timer, the C library's SIGEV_THREAD, and errors. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef sigev_notify_thread_id     /* glibc before 2.35 names it only so */
#define sigev_notify_thread_id _sigev_un._tid
#endif

static volatile sig_atomic_t got_code, got_value, got_tid;

static void on_timer(int sig, siginfo_t *si, void *uc)
{
    (void)sig; (void)uc;
    got_code = si->si_code;
    got_value = si->si_value.sival_int;
    got_tid = syscall(SYS_gettid);
}

static volatile int thread_fired;

static void from_thread(union sigval v)
{
    thread_fired = v.sival_int;
}

int main(void)
{
    struct sigaction sa = {0};
    sa.sa_sigaction = on_timer;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGRTMIN, &sa, NULL);

    timer_t t;
    struct sigevent ev = {0};
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGRTMIN;
    ev.sigev_value.sival_int = 42;
    printf("create: %d\n", timer_create(CLOCK_MONOTONIC, &ev, &t));
    struct itimerspec its = {{0, 0}, {0, 50000000}};
    timer_settime(t, 0, &its, NULL);
    struct itimerspec cur;
    timer_gettime(t, &cur);
    printf("armed: %d\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0);
    while (!got_code)
        pause();
    printf("one-shot: code SI_TIMER %d value %d\n", got_code == SI_TIMER, got_value);
    timer_gettime(t, &cur);
    printf("disarmed after: %d\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0);

    /* Periodic, with its signal blocked for a while: one signal, the rest overruns. */
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGRTMIN);
    sigprocmask(SIG_BLOCK, &block, NULL);
    its = (struct itimerspec){{0, 10000000}, {0, 10000000}};
    timer_settime(t, 0, &its, NULL);
    usleep(200000);
    siginfo_t si;
    int sig = sigwaitinfo(&block, &si);
    printf("periodic: sig ok %d overrun>=5 %d getoverrun==si %d\n", sig == SIGRTMIN,
           si.si_overrun >= 5, timer_getoverrun(t) == si.si_overrun);
    its = (struct itimerspec){{0, 0}, {0, 0}};
    timer_settime(t, 0, &its, NULL);
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    int deleted = timer_delete(t);
    int again = timer_delete(t);
    printf("delete: %d, again fails: %d\n", deleted, again != 0);   /* musl: -EINVAL */

    /* SIGEV_NONE: nothing is sent, the countdown is seen. Absolute expiry. */
    ev.sigev_notify = SIGEV_NONE;
    timer_create(CLOCK_REALTIME, &ev, &t);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    its = (struct itimerspec){{0, 0}, {now.tv_sec + 5, now.tv_nsec}};
    timer_settime(t, TIMER_ABSTIME, &its, NULL);
    timer_gettime(t, &cur);
    printf("absolute: left about 5 s %d\n", cur.it_value.tv_sec == 4 || cur.it_value.tv_sec == 5);
    timer_delete(t);

    /* SIGEV_THREAD_ID: the main thread gets it. */
    got_code = 0;
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = SIGRTMIN;
    ev.sigev_notify_thread_id = syscall(SYS_gettid);
    timer_create(CLOCK_MONOTONIC, &ev, &t);
    its = (struct itimerspec){{0, 0}, {0, 20000000}};
    timer_settime(t, 0, &its, NULL);
    while (!got_code)
        pause();
    printf("thread id: to this thread %d\n", got_tid == syscall(SYS_gettid));
    timer_delete(t);

    /* CPU time: fires only while the process runs. */
    got_code = 0;
    ev.sigev_notify = SIGEV_SIGNAL;
    timer_create(CLOCK_PROCESS_CPUTIME_ID, &ev, &t);
    its = (struct itimerspec){{0, 0}, {0, 30000000}};
    timer_settime(t, 0, &its, NULL);
    volatile unsigned long spin = 0;
    while (!got_code)
        spin++;
    printf("cpu time: fired %d\n", got_code == SI_TIMER);
    timer_delete(t);

    /* The C library's SIGEV_THREAD: a function run in a thread. */
    ev.sigev_notify = SIGEV_THREAD;
    ev.sigev_notify_function = from_thread;
    ev.sigev_notify_attributes = NULL;
    ev.sigev_value.sival_int = 7;
    printf("thread create: %d\n", timer_create(CLOCK_MONOTONIC, &ev, &t));
    its = (struct itimerspec){{0, 0}, {0, 20000000}};
    timer_settime(t, 0, &its, NULL);
    for (int i = 0; i < 200 && !thread_fired; i++)
        usleep(10000);
    printf("thread notify: %d\n", thread_fired);
    timer_delete(t);

    printf("bad clock: %d\n", timer_create(12345, NULL, &t) == -1 && errno == EINVAL);
    return 0;
}
