/* The time calls answered in C: clock_gettime for clock ids 0..12 (whether it accepts each,
 * beside clock_getres, which Python answers: the two must agree), time, gettimeofday, and
 * EFAULT for a pointer into nothing. Prints the host time it read, for the test to compare. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    struct timespec ts, res;
    for (long clk = 0; clk <= 12; clk++) {
        long a = syscall(SYS_clock_gettime, clk, &ts);
        int ea = a ? errno : 0;
        long b = syscall(SYS_clock_getres, clk, &res);
        int eb = b ? errno : 0;
        printf("clock %ld gettime=%d getres=%d ok=%d\n", clk, ea, eb,
               a == 0 ? ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000 : 1);
    }
    long bad = syscall(SYS_clock_gettime, CLOCK_MONOTONIC, (void *)16);
    printf("efault=%d\n", bad < 0 && errno == EFAULT);
    struct timeval tv;
    struct timezone tz = {99, 99};
    long g = syscall(SYS_gettimeofday, &tv, &tz);
    printf("gettimeofday=%ld usec_ok=%d tz=%d,%d\n", g, tv.tv_usec >= 0 && tv.tv_usec < 1000000,
           tz.tz_minuteswest, tz.tz_dsttime);
    bad = syscall(SYS_gettimeofday, (void *)16, NULL);
    printf("gettimeofday efault=%d\n", bad < 0 && errno == EFAULT);
    time_t stored = 0;
    long now = syscall(SYS_time, &stored);
    printf("time stored=%d\n", (long)stored == now);
    syscall(SYS_clock_gettime, CLOCK_REALTIME, &ts);
    printf("realtime %lld %ld\n", (long long)ts.tv_sec, (long)tv.tv_sec);
    return 0;
}
