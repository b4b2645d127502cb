/* System time is the time the kernel spends on the caller's calls: a loop of system calls
 * gathers it (times and getrusage), a loop of arithmetic gathers user time, and a child's
 * both reach its parent's children times once waited for. */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned long sink;

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void burn(int syscalls)      /* for 0.3 s: 30 clock ticks */
{
    double start = now();
    struct tms t;

    while (now() - start < 0.3) {
        for (int i = 0; i < 1000; i++) {
            if (syscalls)
                times(&t);
            else
                sink += i * 7;
        }
    }
}

int main(void)
{
    struct tms a, b, c;
    struct rusage ru;
    int st;

    times(&a);
    burn(0);
    burn(1);
    times(&b);
    getrusage(RUSAGE_SELF, &ru);
    printf("user grew: %d\n", b.tms_utime > a.tms_utime);
    printf("system grew: %d\n", b.tms_stime > a.tms_stime);
    printf("rusage system: %d\n", ru.ru_stime.tv_sec > 0 || ru.ru_stime.tv_usec > 0);
    printf("no children yet: %d %d\n", (int)b.tms_cutime, (int)b.tms_cstime);
    if (fork() == 0) {
        burn(1);
        _exit(0);
    }
    wait(&st);
    times(&c);
    printf("children system: %d\n", c.tms_cstime > 0);
    return 0;
}
