/* Timed slices: preemption without the block hook.
 *
 * The block hook costs a call out of every translated block (~20% of a compute-bound guest).
 * Unless a run must be repeatable (`--quantum N`, a block budget, a debugger), a quantum is
 * timed instead: a watchdog thread calls uc_emu_stop when the running slice's time is up.
 * That is safe only because exit_checks.c turned off Unicorn's check after every memory
 * access: the stop then takes effect where a block starts (gen_tb_start's check), never
 * between an instruction's load and its store, where Unicorn would restart a read-modify-write
 * it had half done. Python keeps counting in blocks: a timed quantum of N blocks lasts
 * N * block_ns nanoseconds, and the ticks of a timed slice are its time over block_ns.
 *
 * One thread per engine, sleeping on a condition variable while no slice runs. It touches the
 * engine only under the lock and only while a slice is armed: uc_emu_stop landing just after
 * uc_emu_start returned finds the emulation done (the next start clears the request), and one
 * landing in a slice's first block makes a short slice, nothing worse. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "sysvec.h"

#define RETRY_NS 1000000   /* a slice still running this long after its stop is stopped again */

struct sv_slice_timer {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    uc_engine *uc;
    pid_t pid;          /* the host process that started the thread: a forked child has none */
    int armed;          /* a slice runs: stop it at deadline */
    int fired;          /* the last slice was stopped by this thread */
    int quit;
    int64_t started;    /* CLOCK_MONOTONIC ns, when the slice was armed */
    int64_t deadline;
};

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void *watch(void *arg)
{
    sv_slice_timer *t = arg;
    pthread_mutex_lock(&t->lock);
    while (!t->quit) {
        if (!t->armed) {
            pthread_cond_wait(&t->wake, &t->lock);
            continue;
        }
        int64_t now = now_ns();
        if (now >= t->deadline) {
            /* Until the slice ends: a stop made before uc_emu_start has cleared its stop
             * request (the thread that arms can be descheduled in between) is lost. */
            t->fired = 1;
            t->deadline = now + RETRY_NS;
            uc_emu_stop(t->uc);
            continue;
        }
        struct timespec at = {t->deadline / 1000000000, t->deadline % 1000000000};
        pthread_cond_timedwait(&t->wake, &t->lock, &at);
    }
    pthread_mutex_unlock(&t->lock);
    return NULL;
}

/* The thread blocks every signal: the host's SIGINT or SIGTERM goes to the thread that runs
 * the guests, whose Python handlers end the run (runtime/cli.py). */
static int start(sv_slice_timer *t)
{
    t->pid = getpid();
    t->armed = t->fired = t->quit = 0;
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(&t->thread, NULL, watch, t);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

static void init_sync(sv_slice_timer *t)
{
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);   /* deadlines are CLOCK_MONOTONIC */
    pthread_cond_init(&t->wake, &attr);
    pthread_condattr_destroy(&attr);
    pthread_mutex_init(&t->lock, NULL);
}

sv_slice_timer *sv_slice_timer_new(uc_engine *uc)
{
    sv_slice_timer *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    init_sync(t);
    t->uc = uc;
    if (start(t) != 0) {
        pthread_cond_destroy(&t->wake);
        pthread_mutex_destroy(&t->lock);
        free(t);
        return NULL;
    }
    return t;
}

void sv_slice_timer_free(sv_slice_timer *t)
{
    if (!t)
        return;
    if (t->pid == getpid()) {
        pthread_mutex_lock(&t->lock);
        t->quit = 1;
        pthread_cond_signal(&t->wake);
        pthread_mutex_unlock(&t->lock);
        pthread_join(t->thread, NULL);
    }
    pthread_cond_destroy(&t->wake);
    pthread_mutex_destroy(&t->lock);
    free(t);
}

/* A slice starts: stop it after ns nanoseconds. */
void sv_slice_timer_arm(sv_slice_timer *t, int64_t ns)
{
    if (t->pid != getpid()) {
        /* A forked host process has the engine but not the thread: start its own. The parent's
         * lock may have been held at the fork, so it is made anew too. */
        init_sync(t);
        start(t);
    }
    int64_t now = now_ns();
    pthread_mutex_lock(&t->lock);
    t->started = now;
    t->deadline = now + ns;
    t->armed = 1;
    t->fired = 0;
    pthread_cond_signal(&t->wake);
    pthread_mutex_unlock(&t->lock);
}

/* Bring the running slice's end forward to at most ns from now. */
void sv_slice_timer_shorten(sv_slice_timer *t, int64_t ns)
{
    int64_t at = now_ns() + ns;
    pthread_mutex_lock(&t->lock);
    if (t->armed && at < t->deadline) {
        t->deadline = at;
        pthread_cond_signal(&t->wake);
    }
    pthread_mutex_unlock(&t->lock);
}

/* The slice is over: returns how long it ran (ns), and in *fired whether the timer ended it. */
int64_t sv_slice_timer_disarm(sv_slice_timer *t, int *fired)
{
    pthread_mutex_lock(&t->lock);
    t->armed = 0;
    *fired = t->fired;
    t->fired = 0;
    pthread_mutex_unlock(&t->lock);
    return now_ns() - t->started;
}
