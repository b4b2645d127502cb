/* Linux answers by id: the CPU clocks of a thread and of a process (pthread_getcpuclockid,
 * clock_getcpuclockid, a child's), EINVAL for an id that names none; sched_getaffinity of a
 * negative pid (ESRCH) and its size; fsync and fdatasync of a closed descriptor (EBADF). */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int readable(clockid_t id) {
    struct timespec ts = {-1, -1};
    if (clock_gettime(id, &ts) != 0)
        return errno;
    return ts.tv_sec >= 0 && ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000 ? 0 : -1;
}

int main(void) {
    volatile unsigned long spin = 0;
    for (unsigned long i = 0; i < 3000000; i++)
        spin += i;
    clockid_t thread_clock, self_clock, child_clock;
    pthread_getcpuclockid(pthread_self(), &thread_clock);
    clock_getcpuclockid(getpid(), &self_clock);
    struct timespec t;
    clock_gettime(thread_clock, &t);
    printf("thread clock: %d, ran %d\n", readable(thread_clock), t.tv_sec > 0 || t.tv_nsec > 0);
    printf("process clock: %d\n", readable(self_clock));
    struct timespec res;
    printf("resolution: %d\n", clock_getres(self_clock, &res));
    pid_t child = fork();
    if (child == 0) {
        pause();
        _exit(0);
    }
    clock_getcpuclockid(child, &child_clock);
    printf("child's clock: %d\n", readable(child_clock));
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    printf("reaped child's clock: %d\n", readable(child_clock));
    /* a thread clock of a process outside the group */
    printf("thread clock of another process: %d\n", readable((~(clockid_t)child << 3) | 6));
    printf("clock 3 of a process (CPUCLOCK_MAX): %d\n", readable((~(clockid_t)0 << 3) | 3));

    cpu_set_t set;
    int r = sched_getaffinity(-1, sizeof set, &set);
    int e = errno;
    printf("affinity of -1: %d %s\n", r, strerror(e));
    r = sched_getaffinity(0, sizeof set, &set);
    printf("affinity: %d cpu0 %d count %d\n", r, CPU_ISSET(0, &set), CPU_COUNT(&set));
    int fd = dup(1);
    close(fd);
    r = fsync(fd);
    e = errno;
    printf("fsync closed: %d %s\n", r, strerror(e));
    r = fdatasync(fd);
    e = errno;
    printf("fdatasync closed: %d %s\n", r, strerror(e));
    return 0;
}
