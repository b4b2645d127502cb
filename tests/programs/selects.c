/* select: a timeout-only sleep, a ready pipe, and a pipe that a child fills later. */
#include <stdio.h>
#include <sys/select.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    struct timeval tv = {0, 50000};
    int n = select(0, NULL, NULL, NULL, &tv);
    int fds[2];
    pipe(fds);
    fd_set r;
    FD_ZERO(&r);
    FD_SET(fds[0], &r);
    tv.tv_sec = 0;
    tv.tv_usec = 0;
    int empty = select(fds[0] + 1, &r, NULL, NULL, &tv);
    if (fork() == 0) {
        usleep(100000);
        write(fds[1], "x", 1);
        _exit(0);
    }
    FD_ZERO(&r);
    FD_SET(fds[0], &r);
    int later = select(fds[0] + 1, &r, NULL, NULL, NULL);
    printf("timeout=%d empty=%d later=%d isset=%d\n", n, empty, later, FD_ISSET(fds[0], &r) != 0);
    wait(NULL);
    return 0;
}
