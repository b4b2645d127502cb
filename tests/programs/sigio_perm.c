/* O_ASYNC's signal reaches the owner F_SETOWN named only as kill would let the setter
 * signal it (sigio_perm): a child that dropped to another uid cannot SIGKILL its root
 * parent through F_SETSIG; F_SETOWN of a process or group that does not exist is ESRCH. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    int r = fcntl(sv[0], F_SETOWN, 999999);
    printf("F_SETOWN missing pid: %d %d\n", r, errno);
    errno = 0;
    r = fcntl(sv[0], F_SETOWN, -999999);
    printf("F_SETOWN missing group: %d %d\n", r, errno);
    pid_t parent = getpid();
    pid_t child = fork();
    if (child == 0) {
        setgid(1000);
        setuid(1000);
        fcntl(sv[0], F_SETOWN, parent);
        fcntl(sv[0], F_SETSIG, SIGKILL);
        fcntl(sv[0], F_SETFL, O_ASYNC | O_NONBLOCK);
        write(sv[1], "x", 1);
        usleep(100000);
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    printf("parent alive after the child's O_ASYNC\n");
    signal(SIGUSR1, SIG_IGN);
    fcntl(sv[0], F_SETOWN, getpid());          /* root's own: its signal does come */
    fcntl(sv[0], F_SETSIG, SIGUSR1);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    write(sv[1], "y", 1);
    sigset_t pending;
    sigpending(&pending);
    printf("own signal pending: %d\n", sigismember(&pending, SIGUSR1));
    return 0;
}
