/* The demo's parent, a linux_x86_64 program. It forks twice: one child execs a program of the
 * custom `mysys` platform, the other a Windows program (nt_x86, int 0x2e). All three write
 * in a loop, interleaved on one emulated core, each through its own system-call table. */
#include <sched.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t spawn(char *path)
{
    pid_t pid = fork();
    if (pid == 0) {
        char *argv[] = {path, NULL};
        execv(path, argv);
        perror("execv");
        _exit(127);
    }
    return pid;
}

int main(void)
{
    pid_t mysys = spawn("/bin/hello.mysys");
    pid_t windows = spawn("/bin/hello.exe");
    for (int i = 0; i < 3; i++) {
        printf("linux parent says hello (%d)\n", i);
        fflush(stdout);
        sched_yield();
    }
    int status;
    waitpid(mysys, &status, 0);
    printf("mysys child exited with %d\n", WEXITSTATUS(status));
    waitpid(windows, &status, 0);
    printf("windows child exited with %d\n", WEXITSTATUS(status));
    return 0;
}
