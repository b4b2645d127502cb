/* Two processes that yield to each other N times each (N = argv[1]). */
#include <sched.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 100000;
    pid_t pid = fork();
    for (long i = 0; i < n; i++)
        sched_yield();
    if (pid == 0)
        _exit(0);
    wait(NULL);
    return 0;
}
