/* waitid: WNOWAIT peeks, then WEXITED reaps; a killed child reports CLD_KILLED. */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    siginfo_t si;
    pid_t c = fork();
    if (c == 0)
        _exit(5);
    int r = waitid(P_PID, c, &si, WEXITED | WNOWAIT);
    printf("peek %d: pid ok %d code %d status %d\n", r, si.si_pid == c, si.si_code, si.si_status);
    r = waitid(P_ALL, 0, &si, WEXITED);
    printf("reap %d: pid ok %d code %d status %d\n", r, si.si_pid == c, si.si_code, si.si_status);
    pid_t d = fork();
    if (d == 0)
        for (;;)
            pause();
    kill(d, SIGTERM);
    r = waitid(P_PID, d, &si, WEXITED);
    printf("killed %d: code %d status %d\n", r, si.si_code, si.si_status);
    printf("none left: %d\n", waitid(P_ALL, 0, &si, WEXITED) == -1);
    return 0;
}
