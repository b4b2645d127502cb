/* Job control: a child stops itself; the parent sees the stop (WUNTRACED), continues it
 * (WCONTINUED), and reaps its exit; a second child is stopped by the parent, then killed. */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int st;
    pid_t c = fork();
    if (c == 0) {
        raise(SIGSTOP);
        printf("child continued\n");
        fflush(stdout);
        _exit(7);
    }
    waitpid(c, &st, WUNTRACED);
    printf("stopped: %d by %d\n", WIFSTOPPED(st), WSTOPSIG(st));
    fflush(stdout);
    kill(c, SIGCONT);
    waitpid(c, &st, WCONTINUED);
    printf("continued: %d\n", WIFCONTINUED(st));
    fflush(stdout);
    waitpid(c, &st, 0);
    printf("exited: %d\n", WEXITSTATUS(st));

    pid_t d = fork();
    if (d == 0) {
        for (;;)
            pause();
    }
    kill(d, SIGTSTP);
    waitpid(d, &st, WUNTRACED);
    printf("second stopped: %d by %d\n", WIFSTOPPED(st), WSTOPSIG(st));
    kill(d, SIGKILL);
    waitpid(d, &st, 0);
    printf("second killed: %d\n", WTERMSIG(st));
    return 0;
}
