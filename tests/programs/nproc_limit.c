/* RLIMIT_NPROC: a user with as many processes as the limit forks no more (EAGAIN); root is
   not held to it. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t spawn_sleeper(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        pause();
        _exit(0);
    }
    return pid;
}

int main(void)
{
    struct rlimit two = {2, 2};
    setrlimit(RLIMIT_NPROC, &two);
    pid_t a = spawn_sleeper(), b = spawn_sleeper(), c = spawn_sleeper();
    printf("root forks past the limit: %d\n", a > 0 && b > 0 && c > 0);
    kill(a, SIGKILL); kill(b, SIGKILL); kill(c, SIGKILL);
    while (wait(NULL) > 0) {}
    if (setuid(1000) != 0) {
        perror("setuid");
        return 1;
    }
    pid_t first = spawn_sleeper();
    pid_t second = fork();
    if (second == 0)
        _exit(0);
    printf("user: first %d, second %d %s\n", first > 0, second > 0,
           second < 0 && errno == EAGAIN ? "EAGAIN" : "");
    kill(first, SIGKILL);
    while (wait(NULL) > 0) {}
    pid_t third = fork();
    if (third == 0)
        _exit(0);
    printf("after one exits: %d\n", third > 0);
    while (wait(NULL) > 0) {}
    return 0;
}
