/* What a descriptor does not grant (hostile36 6 000/00): a user attribute is written only
   with write permission on the file, and read only with read permission, whatever the
   descriptor was opened for (xattr_permission); an O_PATH descriptor is EBADF to the
   f*xattr calls; inotify needs read permission on what it watches; only the file's owner
   (or CAP_LEASE) takes a lease. Root makes the files, a child as uid 1000 tries. Run in a
   root with an empty /tmp; prints Linux's lines. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>

#define R(what, expr) do { errno = 0; long r_ = (long)(expr); \
    printf("%s %ld %s\n", what, r_ < 0 ? -1L : r_, r_ < 0 ? strerrorname_np(errno) : ""); } while (0)

static void make(const char *path, int mode)
{
    close(open(path, O_CREAT | O_WRONLY, 0600));
    chmod(path, mode);
}

int main(void)
{
    setvbuf(stdout, 0, _IONBF, 0);
    chmod("/tmp", 01777);
    mkdir("/tmp/p", 0755);
    make("/tmp/p/pub", 0644);
    make("/tmp/p/secret", 0600);
    make("/tmp/p/drop", 0602);
    char buf[64];
    pid_t c = fork();
    if (c == 0) {
        setgid(1000);
        setuid(1000);
        int ro = open("/tmp/p/pub", O_RDONLY);
        R("fsetxattr user.y on root's 0644 file, read-only fd", fsetxattr(ro, "user.y", "v", 1, 0));
        R("fremovexattr on it", fremovexattr(ro, "user.y"));
        int wo = open("/tmp/p/drop", O_WRONLY);
        R("fgetxattr on root's 0602 file, write-only fd", fgetxattr(wo, "user.y", buf, sizeof buf));
        int op = open("/tmp/p/pub", O_PATH);
        R("fgetxattr on an O_PATH fd", fgetxattr(op, "user.y", buf, sizeof buf));
        R("flistxattr on an O_PATH fd", flistxattr(op, buf, sizeof buf));
        R("fsetxattr on an O_PATH fd", fsetxattr(op, "user.y", "v", 1, 0));
        int in = inotify_init1(0);
        R("inotify_add_watch root's 0600 file", inotify_add_watch(in, "/tmp/p/secret", IN_MODIFY));
        R("inotify_add_watch root's 0644 file", inotify_add_watch(in, "/tmp/p/pub", IN_MODIFY));
        R("F_SETLEASE F_RDLCK on root's file", fcntl(ro, F_SETLEASE, F_RDLCK));
        R("F_SETLEASE F_UNLCK on root's file", fcntl(ro, F_SETLEASE, F_UNLCK));
        R("F_SETLEASE 7 on root's file", fcntl(ro, F_SETLEASE, 7));
        R("F_GETLEASE on root's file", fcntl(ro, F_GETLEASE));
        make("/tmp/mine", 0644);
        int own = open("/tmp/mine", O_RDONLY);
        R("F_SETLEASE F_RDLCK on its own file", fcntl(own, F_SETLEASE, F_RDLCK));
        R("F_GETLEASE", fcntl(own, F_GETLEASE));
        _exit(0);
    }
    waitpid(c, 0, 0);
    int ro = open("/tmp/p/pub", O_RDONLY);
    R("root: F_SETLEASE F_RDLCK", fcntl(ro, F_SETLEASE, F_RDLCK));
    R("root: inotify_add_watch 0600 file", inotify_add_watch(inotify_init1(0), "/tmp/p/secret", IN_MODIFY));
    return 0;
}
