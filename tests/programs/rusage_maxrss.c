/* ru_maxrss: a process's peak resident size, and its children's through wait4 and
 * RUSAGE_CHILDREN (they were 0: /usr/bin/time -v said 0 kB). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    struct rusage ru;
    volatile char *big = malloc(48 << 20);
    for (int i = 0; i < 48 << 20; i += 4096)
        big[i] = 1;
    getrusage(RUSAGE_SELF, &ru);
    printf("self holds 48 MiB: %d\n", ru.ru_maxrss >= 48 * 1024 && ru.ru_maxrss < 200 * 1024);
    free((char *)big);
    getrusage(RUSAGE_SELF, &ru);
    printf("the peak stays: %d\n", ru.ru_maxrss >= 48 * 1024);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        volatile char *more = malloc(96 << 20);
        for (int i = 0; i < 96 << 20; i += 4096)
            more[i] = 2;
        int ok = more[4096] == 2;
        free((char *)more);      /* the peak is what counts, not what is left at exit */
        _exit(ok ? 0 : 1);
    }
    int status;
    wait4(pid, &status, 0, &ru);
    printf("child from wait4: %d\n", ru.ru_maxrss >= 96 * 1024 && ru.ru_maxrss < 300 * 1024);
    getrusage(RUSAGE_CHILDREN, &ru);
    printf("children: %d\n", ru.ru_maxrss >= 96 * 1024);
    return 0;
}
