/* CPU-time limits: ITIMER_VIRTUAL fires SIGVTALRM after the process's own CPU time, and
 * RLIMIT_CPU sends SIGXCPU at the soft limit (then each second) and SIGKILL at the hard. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t fired;
static int report;

static void on_vtalrm(int sig)
{
    (void)sig;
    fired = 1;
}

static void on_xcpu(int sig)
{
    (void)sig;
    write(report, "x", 1);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGVTALRM, on_vtalrm);
    struct itimerval it = {{0, 0}, {0, 50000}};
    setitimer(ITIMER_VIRTUAL, &it, NULL);
    while (!fired)
        ;
    printf("SIGVTALRM after 50 ms of CPU time\n");

    int fds[2];
    pipe(fds);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        report = fds[1];
        signal(SIGXCPU, on_xcpu);
        struct rlimit rl = {1, 2};
        setrlimit(RLIMIT_CPU, &rl);
        for (;;)
            ;
    }
    close(fds[1]);
    int status;
    waitpid(pid, &status, 0);
    char buf[16];
    long n = read(fds[0], buf, sizeof buf);
    printf("child killed by %d after %s SIGXCPU\n", WIFSIGNALED(status) ? WTERMSIG(status) : 0,
           n >= 1 ? "at least one" : "no");
    return 0;
}
