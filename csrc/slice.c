/* Time slices: a ticker thread preempts a run that has lasted a whole tick, as a kernel's
 * timer interrupt does. It replaces counting basic blocks in a block hook, which costs every
 * block of every guest (~20% of a compute-bound run such as busybox sort) for what a timer
 * does for nothing. The block-count quantum stays for runs that must be deterministic.
 *
 * uc_emu_stop is what Unicorn's own emu_start timeout calls from its timer thread. The mutex
 * makes sure the ticker only stops the engine of a run in progress: sv_slice_begin/end bracket
 * uc_emu_start, and between runs (and when engines are freed) nothing is current. */
#include "sysvec.h"

#include <pthread.h>
#include <time.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static sv_cpu *current;      /* the cpu inside uc_emu_start, or NULL */
static uint64_t generation;  /* bumped by every run, so a tick can tell runs apart */
static int started;

static void *ticker(void *arg)
{
    (void)arg;
    uint64_t seen = 0;
    for (;;) {
        struct timespec ts = {SV_SLICE_MS / 1000, (long)(SV_SLICE_MS % 1000) * 1000000L};
        nanosleep(&ts, NULL);
        pthread_mutex_lock(&mu);
        /* The same run as at the last tick: it has had at least one whole tick. */
        if (current && generation == seen) {
            current->preempted = 1;
            uc_emu_stop(current->uc);
        }
        seen = generation;
        pthread_mutex_unlock(&mu);
    }
    return NULL;
}

/* Before uc_emu_start: start the ticker on first use and make this run the current one. */
int sv_slice_begin(sv_cpu *cpu)
{
    pthread_mutex_lock(&mu);
    if (!started) {
        pthread_t thread;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        pthread_attr_setstacksize(&attr, 64 * 1024);
        if (pthread_create(&thread, &attr, ticker, NULL) != 0) {
            pthread_attr_destroy(&attr);
            pthread_mutex_unlock(&mu);
            return -1;
        }
        pthread_attr_destroy(&attr);
        started = 1;
    }
    cpu->preempted = 0;
    current = cpu;
    generation++;
    pthread_mutex_unlock(&mu);
    return 0;
}

/* After uc_emu_start returns: nothing is running. */
void sv_slice_end(sv_cpu *cpu)
{
    pthread_mutex_lock(&mu);
    if (current == cpu)
        current = NULL;
    pthread_mutex_unlock(&mu);
}
