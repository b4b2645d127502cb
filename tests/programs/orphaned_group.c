/* A stopped job whose group is orphaned when its parent exits gets SIGHUP and SIGCONT
   (POSIX; Linux's kill_orphaned_pgrp): a child makes its own group and forks a grandchild
   that stops itself; the child waits until it is stopped and exits; the grandchild hears
   both signals and goes on. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int out;

static void heard(int sig)
{
    char line[32];
    int n = snprintf(line, sizeof line, "grandchild got %s\n", sig == SIGHUP ? "SIGHUP" : "SIGCONT");
    write(out, line, n);
}

int main(void)
{
    int pipefd[2];
    pipe(pipefd);
    pid_t child = fork();
    if (child == 0) {
        setpgid(0, 0);
        pid_t grandchild = fork();
        if (grandchild == 0) {
            out = pipefd[1];
            signal(SIGHUP, heard);
            signal(SIGCONT, heard);
            raise(SIGSTOP);
            write(out, "grandchild goes on\n", 19);
            _exit(0);
        }
        int status;
        waitpid(grandchild, &status, WUNTRACED);
        printf("child: grandchild stopped %d\n", WIFSTOPPED(status));
        fflush(stdout);
        _exit(0);
    }
    close(pipefd[1]);
    waitpid(child, NULL, 0);
    char buf[256];
    int n, got = 0;
    while ((n = read(pipefd[0], buf + got, sizeof buf - 1 - got)) > 0)
        got += n;
    buf[got] = 0;
    fputs(buf, stdout);
    return 0;
}
