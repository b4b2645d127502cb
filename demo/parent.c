/* The demo's parent, a linux_x86_64 program: it forks; the child execs a program of the
 * custom `mysys` platform; both write in a loop, interleaved on one emulated core. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        char *argv[] = {"/bin/hello.mysys", NULL};
        execv(argv[0], argv);
        perror("execv");
        _exit(127);
    }
    for (int i = 0; i < 3; i++) {
        printf("linux parent says hello (%d)\n", i);
        fflush(stdout);
        sched_yield();
    }
    int status;
    waitpid(pid, &status, 0);
    printf("mysys child exited with %d\n", WEXITSTATUS(status));
    return 0;
}
