/* Preemption: a child that spins forever without a system call must not starve its parent.
 * The child tells the parent it runs, then spins; the parent can only finish its own spin if
 * the scheduler takes the core away from the child. */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int fds[2];
    if (pipe(fds) != 0)
        return 2;
    pid_t child = fork();
    if (child == 0) {
        volatile unsigned long spin = 0;
        write(fds[1], "x", 1);
        for (;;)
            spin++;
    }
    char c;
    if (read(fds[0], &c, 1) != 1)
        return 3;
    volatile unsigned long i;
    for (i = 0; i < 3000000; i++)
        ;
    printf("parent finished its spin\n");
    kill(child, SIGKILL);
    int status;
    waitpid(child, &status, 0);
    printf("child ended by signal %d\n", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    return 0;
}
