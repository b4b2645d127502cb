/* unshare and clone's namespace flags, as Linux answers a process without CAP_SYS_ADMIN
 * (the machine makes no namespaces): a new namespace is EPERM from clone as from unshare,
 * after copy_process's and check_unshare_flags' own EINVAL checks; unshare of what is not
 * a namespace works (a descriptor table or fs_struct shared by CLONE_FILES or CLONE_FS
 * becomes the caller's own, CLONE_SYSVSEM gives back the semaphore undos as exit does).
 * clone with CLONE_NEWPID had made an ordinary child (bubblewrap's "sandbox" ran in the
 * caller's namespaces), and every unshare was EPERM. One line a check. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static char stack[65536] __attribute__((aligned(16)));
static int fd = -1;

static const char *result(long rc)
{
    return rc < 0 ? strerror(errno) : "ok";
}

/* clone as fork does (no new stack): the child returns 0 here and leaves at once. */
static void try_clone(const char *what, unsigned long flags)
{
    long pid = syscall(SYS_clone, flags, 0, 0, 0, 0);
    if (pid == 0)
        _exit(0);
    printf("clone %s: %s\n", what, result(pid));
    if (pid > 0)
        waitpid(pid, NULL, __WALL);
}

static void try_unshare(const char *what, int flags)
{
    printf("unshare %s: %s\n", what, result(unshare(flags)));
}

static int close_after_unshare(void *arg)
{
    if (arg != NULL && unshare(CLONE_FILES) != 0)
        return 1;
    close(fd);
    return 0;
}

static int chdir_after_unshare(void *arg)
{
    if (arg != NULL && unshare(CLONE_FS) != 0)
        return 1;
    umask(077);
    return chdir("/") != 0;
}

static void in_child(const char *what, int (*fn)(void *), int flags, void *arg)
{
    int status;
    pid_t pid = clone(fn, stack + sizeof stack, flags | SIGCHLD, arg);
    waitpid(pid, &status, 0);
    printf("%s: child %d", what, WEXITSTATUS(status));
}

int main(void)
{
    char cwd[4096];
    setvbuf(stdout, NULL, _IONBF, 0);
    try_clone("NEWPID", CLONE_NEWPID | SIGCHLD);
    try_clone("NEWNS", CLONE_NEWNS | SIGCHLD);
    try_clone("NEWUTS|NEWIPC|NEWNET", CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | SIGCHLD);
    try_clone("NEWNS|FS", CLONE_NEWNS | CLONE_FS | SIGCHLD);
    try_clone("NEWUSER|FS", CLONE_NEWUSER | CLONE_FS | SIGCHLD);
    try_clone("THREAD|NEWPID", CLONE_THREAD | CLONE_SIGHAND | CLONE_VM | CLONE_NEWPID);

    try_unshare("nothing", 0);
    try_unshare("NEWNS", CLONE_NEWNS);
    try_unshare("NEWPID|FILES", CLONE_NEWPID | CLONE_FILES);
    try_unshare("PIDFD", 0x1000);
    try_unshare("THREAD|VM|SIGHAND", CLONE_THREAD | CLONE_VM | CLONE_SIGHAND);
    try_unshare("FS|FILES", CLONE_FS | CLONE_FILES);

    /* A table shared by CLONE_FILES: the child's close reaches the parent's descriptor
     * unless the child unshared the table first. */
    fd = open("/dev/null", O_RDONLY);
    in_child("shared table", close_after_unshare, CLONE_FILES, NULL);
    printf(", parent's descriptor %s\n", fcntl(fd, F_GETFD) < 0 ? "closed" : "open");
    fd = open("/dev/null", O_RDONLY);
    in_child("unshared table", close_after_unshare, CLONE_FILES, "x");
    printf(", parent's descriptor %s\n", fcntl(fd, F_GETFD) < 0 ? "closed" : "open");

    /* The working directory and umask of CLONE_FS, the same way. */
    if (chdir("/tmp") != 0)
        return 1;
    umask(022);
    in_child("shared fs", chdir_after_unshare, CLONE_FS, NULL);
    printf(", parent in %s umask %03o\n", getcwd(cwd, sizeof cwd), umask(022));
    if (chdir("/tmp") != 0)
        return 1;
    in_child("unshared fs", chdir_after_unshare, CLONE_FS, "x");
    printf(", parent in %s umask %03o\n", getcwd(cwd, sizeof cwd), umask(022));

    /* CLONE_SYSVSEM: the undo list is applied and dropped at once, as at exit. */
    int sem = semget(IPC_PRIVATE, 1, 0600);
    struct sembuf up = {0, 1, SEM_UNDO};
    semop(sem, &up, 1);
    printf("semaphore after up: %d\n", semctl(sem, 0, GETVAL));
    try_unshare("SYSVSEM", CLONE_SYSVSEM);
    printf("semaphore after unshare: %d\n", semctl(sem, 0, GETVAL));
    semctl(sem, 0, IPC_RMID);
    return 0;
}
