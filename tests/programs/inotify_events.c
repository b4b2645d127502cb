/* inotify as Linux reports this process's own changes: entries made, written, changed,
 * moved (one cookie for both halves), deleted, in a watched directory; a watched file's own
 * changes, deletion and IN_IGNORED; IN_ONESHOT; FIONREAD; a blocking read woken by another
 * process's write; a buffer too small for an event; opens and last closes. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int in, wd_dir, wd_file;
static unsigned last_cookie;

static void drain(const char *step)
{
    char buf[4096] __attribute__((aligned(8)));
    int avail = 0;
    ioctl(in, FIONREAD, &avail);
    ssize_t n = read(in, buf, sizeof buf);
    printf("%s: %d bytes queued\n", step, avail);
    for (char *at = buf; n > 0 && at < buf + n;) {
        struct inotify_event *e = (struct inotify_event *)at;
        const char *who = e->wd == wd_dir ? "dir" : e->wd == wd_file ? "file" : "other";
        const char *cookie = "";
        if (e->cookie) {
            cookie = e->mask & IN_MOVED_TO && e->cookie == last_cookie ? " cookie=same" : " cookie";
            last_cookie = e->cookie;
        }
        printf("  %s mask=%#x len%%16=%u name=%s%s\n", who, e->mask, e->len % 16,
               e->len ? e->name : "-", cookie);
        at += sizeof *e + e->len;
    }
}

int main(void)
{
    mkdir("watched", 0755);
    in = inotify_init1(IN_NONBLOCK);
    wd_dir = inotify_add_watch(in, "watched", IN_ALL_EVENTS & ~(IN_OPEN | IN_CLOSE | IN_ACCESS));
    ssize_t got = read(in, (char[64]){0}, 64);
    printf("empty read: %zd %s\n", got, strerror(errno));

    int fd = open("watched/a", O_CREAT | O_WRONLY, 0644);
    write(fd, "hello", 5);
    close(fd);
    chmod("watched/a", 0600);
    drain("create, write, chmod");

    wd_file = inotify_add_watch(in, "watched/a", IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF);
    printf("same inode, same wd: %d\n", inotify_add_watch(in, "watched/a", IN_MODIFY | IN_MASK_ADD) == wd_file);
    fd = open("watched/a", O_WRONLY | O_APPEND);
    write(fd, "!", 1);
    close(fd);
    rename("watched/a", "watched/b");
    mkdir("watched/sub", 0755);
    rmdir("watched/sub");
    drain("append, rename, mkdir, rmdir");

    unlink("watched/b");
    drain("unlink");

    int wd_once = inotify_add_watch(in, "watched", IN_CREATE | IN_ONESHOT);
    printf("oneshot replaces the mask: %d\n", wd_once == wd_dir);
    close(open("watched/c", O_CREAT | O_WRONLY, 0644));
    close(open("watched/d", O_CREAT | O_WRONLY, 0644));
    drain("oneshot");

    /* A blocking read waits for another process's change. */
    int blocking = inotify_init();
    inotify_add_watch(blocking, "watched/c", IN_MODIFY);
    pid_t pid = fork();
    if (pid == 0) {
        usleep(100000);
        int w = open("watched/c", O_WRONLY);
        write(w, "x", 1);
        _exit(0);
    }
    char small[8];
    got = read(blocking, small, sizeof small);
    printf("too small: %zd %s\n", got, strerror(errno));
    struct inotify_event e[4];
    ssize_t n = read(blocking, e, sizeof e);
    printf("woken: %zd mask=%#x\n", n, n > 0 ? e[0].mask : 0);
    waitpid(pid, NULL, 0);
    /* Uses: opens, and the last close of a description (a dup keeps it open). */
    mkdir("used", 0755);
    close(open("used/f", O_CREAT | O_WRONLY, 0644));
    wd_dir = inotify_add_watch(in, "used", IN_OPEN | IN_CLOSE);
    wd_file = inotify_add_watch(in, "used/f", IN_ALL_EVENTS);
    drain("watch uses");
    fd = open("used/f", O_WRONLY);
    int twin = dup(fd);
    close(fd);
    drain("open for writing, close one of two");
    write(twin, "y", 1);
    close(twin);
    close(open("used/f", O_RDONLY));
    int d = open("used", O_RDONLY | O_DIRECTORY);
    close(d);
    close(open("used/f", O_PATH));
    drain("close, open to read, the directory, O_PATH");
    unlink("used/f");
    rmdir("used");

    int rc = inotify_rm_watch(in, 999);
    printf("rm_watch of nothing: %d %s\n", rc, strerror(errno));
    unlink("watched/c");
    unlink("watched/d");
    rmdir("watched");
    return 0;
}
