/* execve from a thread that is not the group leader (de_thread): the new program runs as
 * the process, pid == tid == the old pid, alone in its group, with the old parent; the
 * parent's waitpid, SIGCHLD and pidfd name the pid it forked (Go's syscall.Exec and
 * os.execv in a Python thread left their parent waiting forever). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static char *self;
static int ready[2];
static char arg[64];

static void *execer(void *a)
{
    usleep(50000);
    execl(self, self, "exec", arg, (char *)0);
    perror("execl");
    return 0;
}

static void *idle(void *a)
{
    for (;;)
        pause();
}

static void *leader_exits(void *a)
{
    usleep(100000);          /* the leader has called pthread_exit by now */
    execl(self, self, "exec", arg, (char *)0);
    perror("execl");
    return 0;
}

static long ticks_field(const char *path, int want)
{
    char line[1024];
    FILE *f = fopen(path, "r");
    if (!f || !fgets(line, sizeof line, f))
        return -1;
    fclose(f);
    char *p = strrchr(line, ')') + 2;
    int field = 3;
    for (char *tok = strtok(p, " "); tok; tok = strtok(0, " "), field++)
        if (field == want)
            return atol(tok);
    return -1;
}

/* The new program: argv[2] is "old pid,parent pid,ready fd,start time". */
static int new_image(char *what)
{
    int oldpid, parent, fd;
    long start;
    sscanf(what, "%d,%d,%d,%ld", &oldpid, &parent, &fd, &start);
    int tasks = 0;
    DIR *d = opendir("/proc/self/task");
    struct dirent *e;
    while ((e = readdir(d)))
        tasks += e->d_name[0] != '.';
    closedir(d);
    printf("new image: getpid()==old pid: %s, gettid()==getpid(): %s, getppid()==parent: %s, "
           "tasks: %d, start time kept: %s\n",
           getpid() == oldpid ? "yes" : "no", syscall(SYS_gettid) == getpid() ? "yes" : "no",
           getppid() == parent ? "yes" : "no", tasks,
           ticks_field("/proc/self/stat", 22) == start ? "yes" : "no");
    fflush(stdout);
    if (fd >= 0) {
        write(fd, "x", 1);
        usleep(200000);      /* the parent looks at its pidfd meanwhile */
    }
    return 5;
}

static void child(void *(*start)(void *), int leader_exit, int fd)
{
    snprintf(arg, sizeof arg, "%d,%d,%d,%ld", getpid(), getppid(), fd,
             ticks_field("/proc/self/stat", 22));
    pthread_t t;
    pthread_create(&t, 0, idle, 0);
    pthread_create(&t, 0, start, 0);
    if (leader_exit)
        pthread_exit(0);
    for (;;)
        pause();
}

static siginfo_t chld;
static void on_chld(int sig, siginfo_t *si, void *uc) { chld = *si; }

static void run(const char *name, void *(*start)(void *), int leader_exit)
{
    pipe(ready);
    pid_t c = fork();
    if (c == 0) {
        close(ready[0]);
        child(start, leader_exit, ready[1]);
    }
    close(ready[1]);
    int pidfd = syscall(SYS_pidfd_open, c, 0);
    char x;
    read(ready[0], &x, 1);   /* the new program runs */
    struct pollfd pfd = {pidfd, POLLIN, 0};
    int live = poll(&pfd, 1, 0);
    int st;
    pid_t r = waitpid(c, &st, 0);
    printf("%s: waitpid = %s, exit %d, pidfd readable while it ran: %d, SIGCHLD si_pid is "
           "the child: %s\n", name, r == c ? "the child" : strerror(errno), WEXITSTATUS(st),
           live, chld.si_pid == c ? "yes" : "no");
    fflush(stdout);
    close(ready[0]);
    close(pidfd);
    memset(&chld, 0, sizeof chld);
}

int main(int argc, char **argv)
{
    self = argv[0];
    if (argc == 3 && !strcmp(argv[1], "exec"))
        return new_image(argv[2]);
    if (argc == 2 && !strcmp(argv[1], "alone")) {   /* the run's own process execs */
        snprintf(arg, sizeof arg, "%d,%d,-1,%ld", getpid(), getppid(),
                 ticks_field("/proc/self/stat", 22));
        pthread_t t;
        pthread_create(&t, 0, idle, 0);
        pthread_create(&t, 0, execer, 0);
        for (;;)
            pause();
    }
    struct sigaction sa = {0};
    sa.sa_sigaction = on_chld;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGCHLD, &sa, 0);
    alarm(20);
    run("exec from a thread", execer, 0);
    run("exec after the leader's pthread_exit", leader_exits, 1);
    return 0;
}
