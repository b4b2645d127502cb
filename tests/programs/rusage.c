/* User time: wait4's rusage of a child, getrusage(SELF/CHILDREN) and times() agree. */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <unistd.h>

static long us(struct timeval tv) { return tv.tv_sec * 1000000L + tv.tv_usec; }

int main(void)
{
    volatile unsigned long i;
    pid_t c = fork();
    if (c == 0) {
        for (i = 0; i < 20000000; i++)
            ;
        return 0;
    }
    for (i = 0; i < 5000000; i++)
        ;
    int status;
    struct rusage child, self, kids;
    wait4(c, &status, 0, &child);
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &kids);
    struct tms t;
    clock_t now = times(&t);
    printf("child ran: %d\n", us(child.ru_utime) > 0);
    printf("self ran: %d\n", us(self.ru_utime) > 0);
    printf("children = child: %d\n", us(kids.ru_utime) == us(child.ru_utime));
    printf("times: %d %d\n", now > 0, t.tms_cutime * 10000L <= us(kids.ru_utime));
    printf("bad who: %d\n", getrusage(7, &self));
    return 0;
}
