/* Parent and child run the same code after fork (one copy-on-write page). */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int shared_work(int n)
{
    return n * 2;
}

int in_child(int n)
{
    return shared_work(n) + 1;
}

int main(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        printf("child %d\n", in_child(20));
        return 4;
    }
    int status = 0;
    int mine = shared_work(1);
    waitpid(pid, &status, 0);
    printf("parent %d, child status %d\n", mine, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 5;
}
