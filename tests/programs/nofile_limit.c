/* RLIMIT_NOFILE as the machine can honour it: the soft limit bounds the descriptors, the hard
 * one is no more than the machine's nr_open, raising the soft limit to it lets the process
 * open that many, and past nr_open setrlimit is EPERM. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

static int fill(void)
{
    int n = 0;

    while (open("/dev/null", O_RDONLY) >= 0)
        n++;
    return errno == EMFILE ? n : -1;
}

int main(void)
{
    struct rlimit r;
    int rc;

    getrlimit(RLIMIT_NOFILE, &r);
    printf("soft %lu hard %lu\n", (unsigned long)r.rlim_cur, (unsigned long)r.rlim_max);
    printf("opened %d\n", fill());
    r.rlim_cur = r.rlim_max;
    printf("raise to hard: %d\n", setrlimit(RLIMIT_NOFILE, &r));
    printf("opened %d more\n", fill());
    r.rlim_cur = ++r.rlim_max;
    rc = setrlimit(RLIMIT_NOFILE, &r);
    printf("past nr_open: %d errno %d\n", rc, errno);
    return 0;
}
