/* pipe + fork + wait: the child writes into the pipe and exits 4; the parent reads it. */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int fds[2];
    if (pipe(fds) != 0)
        return 1;
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        const char *msg = "ping from child";
        write(fds[1], msg, strlen(msg));
        _exit(4);
    }
    close(fds[1]);
    char buf[64] = {0};
    ssize_t n, total = 0;
    while ((n = read(fds[0], buf + total, sizeof buf - 1 - total)) > 0)
        total += n;
    int status = 0;
    pid_t w = waitpid(pid, &status, 0);
    printf("parent read '%s', child %s, exit %d\n", buf, w == pid ? "reaped" : "lost",
           WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 0;
}
