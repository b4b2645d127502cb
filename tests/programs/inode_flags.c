/* Inode flags (chattr): an immutable file can be neither written, renamed, removed, linked
 * nor chmod'ed, even by root; an append-only one only appended to; flags a file system lacks
 * are EOPNOTSUPP; clearing the flags gives the file back. */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

static int result(long r) { return r < 0 ? -errno : (int)r; }

static void set(const char *path, int flags)
{
    int fd = open(path, O_RDONLY);

    printf("set %s %#x: %d\n", path, flags, result(ioctl(fd, FS_IOC_SETFLAGS, &flags)));
    close(fd);
}

int main(void)
{
    int fd, flags = 0;

    close(open("imm", O_CREAT | O_WRONLY, 0644));
    close(open("app", O_CREAT | O_WRONLY, 0644));
    fd = open("imm", O_RDONLY);
    printf("get: %d flags %#x\n", result(ioctl(fd, FS_IOC_GETFLAGS, &flags)), flags);
    close(fd);
    set("imm", FS_IMMUTABLE_FL);
    set("app", FS_APPEND_FL);
    set("app", FS_APPEND_FL | FS_COMPR_FL);
    printf("immutable: write %d unlink %d rename %d link %d chmod %d truncate %d\n",
           result(open("imm", O_WRONLY)), result(unlink("imm")), result(rename("imm", "x")),
           result(link("imm", "y")), result(chmod("imm", 0600)), result(truncate("imm", 0)));
    fd = open("app", O_WRONLY | O_APPEND);
    printf("append-only: append %d write %d unlink %d truncate %d\n",
           result(write(fd, "a", 1)), result(open("app", O_WRONLY)), result(unlink("app")),
           result(truncate("app", 0)));
    close(fd);
    set("imm", 0);
    set("app", 0);
    printf("cleared: unlink %d %d\n", result(unlink("imm")), result(unlink("app")));
    return 0;
}
