/* After fork the child's writes stay in the child; a crashing child leaves the parent alone. */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static int shared = 1;

int main(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        shared = 2;
        _exit(shared);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("parent sees %d, child exited %d\n", shared, WEXITSTATUS(status));
    pid = fork();
    if (pid == 0) {
        *(volatile int *)16 = 1;  /* SIGSEGV */
        _exit(0);
    }
    waitpid(pid, &status, 0);
    printf("crashing child: signaled=%d sig=%d\n", WIFSIGNALED(status), WTERMSIG(status));
    return 0;
}
