/* fcntl(F_NOTIFY): a watched directory's owner gets its F_SETSIG signal, with si_fd naming
 * the watching descriptor, for the events it asked: an entry created, an attribute change of
 * the directory itself or of an entry, a rename inside it (not one out of it), a write to an
 * entry; without DN_MULTISHOT only the first event. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static volatile int events[64], last_fd = -1;

static void handler(int sig, siginfo_t *si, void *uc)
{
    (void)sig; (void)uc;
    if (si->si_fd >= 0 && si->si_fd < 64)
        events[si->si_fd]++;
    last_fd = si->si_fd;
}

static int take(int fd)
{
    int n = events[fd];

    events[fd] = 0;
    return n;
}

int main(void)
{
    struct sigaction sa = {0};
    int dir, sub, once, fd;

    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGRTMIN + 1, &sa, NULL);
    mkdir("d", 0755);
    mkdir("d/sub", 0755);
    dir = open("d", O_RDONLY);
    sub = open("d/sub", O_RDONLY);
    once = open("d", O_RDONLY);
    for (fd = dir; fd <= once; fd++)
        fcntl(fd, F_SETSIG, SIGRTMIN + 1);
    printf("notify on a file: %d\n", fcntl(0, F_NOTIFY, DN_CREATE) == -1);
    fcntl(dir, F_NOTIFY, DN_CREATE | DN_ATTRIB | DN_RENAME | DN_MODIFY | DN_MULTISHOT);
    fcntl(sub, F_NOTIFY, DN_ATTRIB | DN_RENAME | DN_MULTISHOT);
    fcntl(once, F_NOTIFY, DN_CREATE | DN_ATTRIB);

    close(open("d/f", O_CREAT | O_WRONLY, 0644));
    printf("create: dir %d sub %d once %d\n", take(dir), take(sub), take(once));
    chmod("d/sub", 0700);
    printf("chmod sub: dir %d sub %d once %d\n", take(dir), take(sub), take(once));
    rename("d/f", "d/g");
    printf("rename inside: dir %d sub %d\n", take(dir), take(sub));
    rename("d/g", "d/sub/g");
    printf("rename out: dir %d sub %d\n", take(dir), take(sub));
    fd = open("d/h", O_CREAT | O_WRONLY, 0644);
    take(dir);
    write(fd, "x", 1);
    printf("write: dir %d si_fd is the watcher %d\n", take(dir), last_fd == dir);
    return 0;
}
