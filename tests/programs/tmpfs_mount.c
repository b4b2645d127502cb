/* A tmpfs mounted over a directory, filled, remounted read-only, then unmounted: what each
 * change answers on the read-only mount (EROFS, in the order Linux checks), the mount's own
 * statfs and /proc/mounts line, EXDEV across mounts, EBUSY for a mountpoint in use. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHOW(what, call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%s: errno %d\n", what, errno); else printf("%s: ok\n", what); } while (0)

int main(void)
{
    struct statfs sf;
    struct stat a, b;
    char buf[4096];
    int fd, n, status;

    mkdir("/tmp/m", 0777);
    SHOW("unknown type", mount("none", "/tmp/m", "nosuchfs", 0, NULL));
    SHOW("missing target", mount("none", "/tmp/absent", "tmpfs", 0, NULL));
    fflush(stdout);
    if (fork() == 0) {
        setuid(65534);
        SHOW("mount as nobody", mount("none", "/tmp/m", "tmpfs", 0, NULL));
        fflush(stdout);
        _exit(0);
    }
    wait(&status);
    SHOW("mount", mount("none", "/tmp/m", "tmpfs", 0, NULL));
    stat("/tmp/m", &a);
    printf("root mode %o\n", (unsigned)a.st_mode & 07777);
    SHOW("mkdir", mkdir("/tmp/m/dir", 0777));
    fd = open("/tmp/m/file", O_CREAT | O_WRONLY, 0777);
    SHOW("write", write(fd, "hi", 2));
    close(fd);
    SHOW("rename across mounts", rename("/tmp/m/file", "/tmp/moved"));
    SHOW("rmdir mountpoint", rmdir("/tmp/m"));
    SHOW("remount ro", mount("none", "/tmp/m", "tmpfs", MS_REMOUNT | MS_RDONLY, NULL));
    statfs("/tmp/m/file", &sf);
    printf("statfs type %lx rdonly %d\n", (long)sf.f_type, (int)(sf.f_flags & ST_RDONLY));
    SHOW("access W_OK", access("/tmp/m/file", W_OK));
    SHOW("access R_OK", access("/tmp/m/file", R_OK));
    SHOW("creat", open("/tmp/m/new", O_CREAT | O_WRONLY, 0666));
    SHOW("open O_RDWR", open("/tmp/m/file", O_RDWR));
    SHOW("mkdir existing", mkdir("/tmp/m/dir", 0777));
    SHOW("mkdir new", mkdir("/tmp/m/d2", 0777));
    SHOW("unlink missing", unlink("/tmp/m/absent"));
    SHOW("rmdir", rmdir("/tmp/m/dir"));
    SHOW("chmod", chmod("/tmp/m/file", 0644));
    SHOW("chown", chown("/tmp/m/file", 1, 1));
    SHOW("link", link("/tmp/m/file", "/tmp/m/f2"));
    SHOW("symlink", symlink("file", "/tmp/m/sl"));
    SHOW("truncate", truncate("/tmp/m/file", 0));
    fd = open("/tmp/m/file", O_RDONLY);
    n = read(fd, buf, sizeof buf);
    printf("read %d\n", n);
    SHOW("fchmod", fchmod(fd, 0600));
    SHOW("fchown", fchown(fd, 1, 1));
    stat("/tmp/m/..", &a);
    stat("/tmp", &b);
    printf("dotdot is the parent: %d\n", a.st_ino == b.st_ino && a.st_dev == b.st_dev);
    SHOW("umount with a file open", umount("/tmp/m"));
    close(fd);
    fd = open("/proc/mounts", O_RDONLY);
    n = read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[n > 0 ? n : 0] = 0;
    printf("proc mounts: %s", strstr(buf, "none /tmp/m ") ? strstr(buf, "none /tmp/m ") : "-\n");
    chdir("/tmp/m");
    SHOW("umount from inside", umount("/tmp/m"));
    chdir("/");
    SHOW("remount rw", mount("none", "/tmp/m", "tmpfs", MS_REMOUNT, NULL));
    fd = open("/tmp/m/new", O_CREAT | O_WRONLY, 0666);
    SHOW("creat after rw", fd);
    close(fd);
    SHOW("umount", umount("/tmp/m"));
    SHOW("umount again", umount("/tmp/m"));
    SHOW("gone with it", access("/tmp/m/file", F_OK));
    return 0;
}
