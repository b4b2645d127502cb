/* adjtimex and clock_adjtime asked, not told: busybox adjtimex, glibc's ntp_gettime and
 * chrony's probes read the clock's discipline this way (they were ENOSYS). A change needs
 * CAP_SYS_TIME over the host's clock. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/timex.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    struct timex t = {0};
    int r = adjtimex(&t);
    printf("adjtimex %d status %#x maxerror %ld esterror %ld constant %ld precision %ld "
           "tolerance %ld tick %ld, time set %d\n", r, t.status, t.maxerror, t.esterror,
           t.constant, t.precision, t.tolerance, t.tick, t.time.tv_sec > 1600000000);
    struct timex set = {.modes = ADJ_FREQUENCY, .freq = 1};
    errno = 0;
    r = adjtimex(&set);
    printf("set the frequency %d errno %d\n", r, errno);
    struct timex c = {0};
    errno = 0;
    r = syscall(SYS_clock_adjtime, CLOCK_MONOTONIC, &c);
    printf("CLOCK_MONOTONIC %d errno %d\n", r, errno);
    r = syscall(SYS_clock_adjtime, CLOCK_REALTIME, &c);
    printf("CLOCK_REALTIME %d status %#x\n", r, c.status);
    errno = 0;
    r = syscall(SYS_clock_adjtime, 99, &c);
    printf("clock 99 %d errno %d\n", r, errno);
    return 0;
}
