/* clone's sharing flags between processes (not threads) and its exit signal, as Linux
 * answers them: CLONE_FILES, CLONE_SIGHAND (and exec unsharing both), CLONE_PARENT, an exit
 * signal other than SIGCHLD or none, and which children wait's __WCLONE and __WALL take.
 * Prints one line a check; tests/test_processes.py compares them with the host's. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static char stack[65536] __attribute__((aligned(16)));
static int opened = -1;
static const char *self;

static int open_null(void *arg)
{
    (void)arg;
    opened = open("/dev/null", O_RDONLY);
    return 0;
}

static int ignore_usr2(void *arg)
{
    (void)arg;
    signal(SIGUSR2, SIG_IGN);
    return 0;
}

static int exec_self(void *arg)
{
    (void)arg;
    execl(self, self, "noop", (char *)NULL);
    return 127;
}

static int quit(void *arg)
{
    return (int)(long)arg;
}

static int close_all_unshared(void *arg)
{
    (void)arg;
    return (int)syscall(SYS_close_range, 3, ~0u, 2 /* CLOSE_RANGE_UNSHARE */);
}

static void handler(int sig)
{
    (void)sig;
}

static const char *result(long rc)
{
    return rc < 0 ? strerror(errno) : "ok";
}

static pid_t spawn(int (*fn)(void *), int flags, void *arg)
{
    return clone(fn, stack + sizeof stack, flags, arg);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        return 0;   /* "noop": what exec_self runs */
    self = argv[0];
    setvbuf(stdout, NULL, _IONBF, 0);
    int status;

    /* CLONE_FILES: the child's open is the parent's; its exit closes nothing */
    pid_t p = spawn(open_null, CLONE_VM | CLONE_FILES | SIGCHLD, NULL);
    waitpid(p, &status, 0);
    printf("files shared: %s\n", fcntl(opened, F_GETFD) >= 0 ? "yes" : "no");
    close(opened);
    p = spawn(open_null, CLONE_VM | SIGCHLD, NULL);
    waitpid(p, &status, 0);
    printf("files copied: %s\n", fcntl(opened, F_GETFD) >= 0 ? "shared" : "own");

    /* CLONE_SIGHAND: the child's sigaction is the parent's */
    p = spawn(ignore_usr2, CLONE_VM | CLONE_SIGHAND | SIGCHLD, NULL);
    waitpid(p, &status, 0);
    struct sigaction sa;
    sigaction(SIGUSR2, NULL, &sa);
    printf("sighand shared: %s\n", sa.sa_handler == SIG_IGN ? "yes" : "no");
    printf("sighand without vm: %s\n", result(spawn(ignore_usr2, CLONE_SIGHAND | SIGCHLD, NULL)));

    /* exec by a child sharing both: the parent keeps its handler and its descriptors */
    signal(SIGUSR1, handler);
    int keep = open("/dev/null", O_RDONLY);
    p = spawn(exec_self, CLONE_VM | CLONE_VFORK | CLONE_FILES | CLONE_SIGHAND | SIGCHLD, NULL);
    waitpid(p, &status, 0);
    sigaction(SIGUSR1, NULL, &sa);
    printf("after the child's exec: handler %s, descriptor %s, child status %d\n",
           sa.sa_handler == handler ? "kept" : "lost", fcntl(keep, F_GETFD) >= 0 ? "kept" : "lost",
           WEXITSTATUS(status));

    /* an exit signal of its own: a "clone child" */
    sigset_t usr1, pending;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    p = spawn(quit, SIGUSR1, (void *)7);
    printf("wait without __WCLONE: %s\n", result(waitpid(p, &status, 0)));
    long rc = waitpid(p, &status, __WCLONE);
    printf("wait with __WCLONE: %s, status %d\n", result(rc), WEXITSTATUS(status));
    sigpending(&pending);
    printf("SIGUSR1 pending: %s\n", sigismember(&pending, SIGUSR1) ? "yes" : "no");
    p = spawn(quit, SIGCHLD, (void *)3);
    printf("fork-like child, __WCLONE: %s\n", result(waitpid(p, &status, __WCLONE)));
    rc = waitpid(p, &status, 0);
    printf("fork-like child, no flag: %s, status %d\n", result(rc), WEXITSTATUS(status));
    p = spawn(quit, 0, (void *)5);
    rc = waitpid(p, &status, __WALL);
    printf("no exit signal, __WALL: %s, status %d\n", result(rc), WEXITSTATUS(status));
    p = syscall(SYS_clone, 65, 0, 0, 0, 0);   /* no such signal: taken, sent to nobody */
    if (p == 0)
        _exit(6);
    rc = waitpid(p, &status, __WALL);
    printf("exit signal 65: %s, status %d\n", result(rc), WEXITSTATUS(status));

    /* CLONE_PARENT: the grandchild is the caller's sibling */
    pid_t middle = fork();
    if (middle == 0) {
        pid_t c = spawn(quit, CLONE_PARENT | SIGCHLD, (void *)0);
        _exit(c > 0 && waitpid(c, NULL, 0) < 0 && errno == ECHILD ? 0 : 1);
    }
    waitpid(middle, &status, 0);
    int extra = 0;
    while (waitpid(-1, NULL, 0) > 0)
        extra++;
    printf("CLONE_PARENT: the middle process has no such child: %s; reaped here: %d\n",
           WEXITSTATUS(status) == 0 ? "yes" : "no", extra);

    /* CLONE_PARENT from an orphan (its parent gone, init's child now): allowed; and a
     * child sharing the table unsharing it with close_range leaves the parent's alone */
    int pipefd[2], done[2];
    pipe(pipefd);
    pipe(done);
    middle = fork();
    if (middle == 0) {
        if (fork() == 0) {
            char byte;
            read(pipefd[0], &byte, 1);   /* until the middle process is gone */
            pid_t c = spawn(quit, CLONE_PARENT | SIGCHLD, (void *)0);
            printf("CLONE_PARENT from an orphan: %s\n", c > 0 ? "a pid" : strerror(errno));
            write(done[1], "x", 1);
            _exit(0);
        }
        _exit(0);
    }
    waitpid(middle, NULL, 0);
    write(pipefd[1], "x", 1);
    char byte;
    read(done[0], &byte, 1);
    int fd = open("/dev/null", O_RDONLY);
    p = spawn(close_all_unshared, CLONE_VM | CLONE_FILES | SIGCHLD, NULL);
    waitpid(p, &status, 0);
    printf("close_range(UNSHARE) in a CLONE_FILES child: parent's descriptor %s\n",
           fcntl(fd, F_GETFD) >= 0 ? "kept" : "closed");
    return 0;
}
