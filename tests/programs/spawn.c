/* fork + execve(argv[1], argv+1) + wait; prints the child's status. */
#include <sched.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    for (int round = 0; round < 3; round++) {
        printf("parent round %d\n", round);
        fflush(stdout);
        if (round == 0) {
            pid_t pid = fork();
            if (pid == 0) {
                execve(argv[1], argv + 1, environ);
                _exit(127);
            }
        }
        sched_yield();
    }
    int status;
    pid_t w = wait(&status);
    printf("child %s: exit %d signal %d\n", w > 0 ? "done" : "missing",
           WIFEXITED(status) ? WEXITSTATUS(status) : -1, WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    return 0;
}
