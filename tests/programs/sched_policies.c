/* Scheduling policies, priorities, attributes, affinity and I/O priorities as a thread
 * sets and reads them back (they were ENOSYS: chrt, ionice and taskset failed). */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct attr { uint32_t size, policy; uint64_t flags; int32_t nice; uint32_t priority;
              uint64_t runtime, deadline, period; uint32_t util_min, util_max; };

static void show(const char *what, long rc)
{
    printf("%s: %ld %s\n", what, rc, rc < 0 ? strerror(errno) : "");
}

int main(void)
{
    struct sched_param sp = {0};
    show("policy", sched_getscheduler(0));
    show("max fifo", sched_get_priority_max(SCHED_FIFO));
    show("min rr", sched_get_priority_min(SCHED_RR));
    show("max other", sched_get_priority_max(SCHED_OTHER));
    show("max bad", sched_get_priority_max(42));
    sp.sched_priority = 5;
    show("other with 5", sched_setscheduler(0, SCHED_OTHER, &sp));
    show("rr 5", sched_setscheduler(0, SCHED_RR, &sp));
    show("policy now", sched_getscheduler(0));
    sp.sched_priority = 0;
    show("getparam", sched_getparam(0, &sp));
    printf("priority %d\n", sp.sched_priority);
    struct timespec ts;
    show("rr interval", sched_rr_get_interval(0, &ts));
    printf("slice %ld ms\n", ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
    sp.sched_priority = 7;
    show("setparam 7", sched_setparam(0, &sp));
    show("reset on fork", sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &sp));
    show("policy now", sched_getscheduler(0));
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        printf("child policy: %d\n", sched_getscheduler(0));
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    struct attr a = {0};
    show("getattr", syscall(SYS_sched_getattr, 0, &a, sizeof a, 0));
    printf("attr size %u policy %u flags %llu priority %u\n", a.size, a.policy,
           (unsigned long long)a.flags, a.priority);
    memset(&a, 0, sizeof a);
    a.size = sizeof a;
    a.policy = SCHED_BATCH;
    a.nice = 3;
    show("setattr batch nice 3", syscall(SYS_sched_setattr, 0, &a, 0));
    show("policy now", sched_getscheduler(0));
    memset(&a, 0, sizeof a);
    syscall(SYS_sched_getattr, 0, &a, sizeof a, 0);
    printf("nice %d\n", a.nice);
    a.size = 8;
    show("setattr too small", syscall(SYS_sched_setattr, 0, &a, 0));
    printf("size now %u\n", a.size);
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(0, &set);
    show("affinity cpu 0", sched_setaffinity(0, sizeof set, &set));
    CPU_ZERO(&set);
    show("affinity none", sched_setaffinity(0, sizeof set, &set));
    show("no such pid", sched_getscheduler(99999));
    show("ioprio get", syscall(SYS_ioprio_get, 1, 0));
    show("ioprio set be 4", syscall(SYS_ioprio_set, 1, 0, 2 << 13 | 4));
    show("ioprio get", syscall(SYS_ioprio_get, 1, 0));
    show("ioprio set be 9", syscall(SYS_ioprio_set, 1, 0, 2 << 13 | 9));
    show("ioprio bad which", syscall(SYS_ioprio_get, 7, 0));
    return 0;
}
