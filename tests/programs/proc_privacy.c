/* /proc/PID's private files (environ, maps, fd, the cwd link) are for the process's own user,
 * as Linux's ptrace READ check says: a uid-1000 child cannot see into its root parent, nor
 * into an undumpable process of its own uid, but reads its own and their public stat; root
 * sees into everyone. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *try_open(pid_t pid, const char *leaf) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, leaf);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return errno == EACCES ? "EACCES" : strerror(errno);
    close(fd);
    return "ok";
}

static const char *try_link(pid_t pid, const char *leaf) {
    char path[64], target[256];
    snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, leaf);
    return readlink(path, target, sizeof target) < 0 ? (errno == EACCES ? "EACCES" : "error")
                                                     : "ok";
}

int main(void) {
    pid_t parent = getpid();
    int ready[2];
    pipe(ready);
    pid_t hidden = fork();
    if (hidden == 0) {            /* uid 1000, undumpable */
        setgid(1000);
        setuid(1000);
        prctl(PR_SET_DUMPABLE, 0);
        write(ready[1], "x", 1);
        pause();
        _exit(0);
    }
    char c;
    read(ready[0], &c, 1);
    pid_t child = fork();
    if (child == 0) {
        setgid(1000);
        setuid(1000);
        printf("parent environ %s maps %s fd %s cwd %s stat %s\n", try_open(parent, "environ"),
               try_open(parent, "maps"), try_open(parent, "fd"), try_link(parent, "cwd"),
               try_open(parent, "stat"));
        printf("undumpable sibling environ %s stat %s\n", try_open(hidden, "environ"),
               try_open(hidden, "stat"));
        printf("own environ %s fd %s\n", try_open(getpid(), "environ"),
               try_open(getpid(), "fd"));
        fflush(stdout);
        _exit(0);
    }
    waitpid(child, NULL, 0);
    printf("root sees the sibling's environ %s\n", try_open(hidden, "environ"));
    kill(hidden, SIGKILL);
    waitpid(hidden, NULL, 0);
    return 0;
}
