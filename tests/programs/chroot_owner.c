/* chroot(2) without chdir, then the owner and device-node attributes, through the libc's own
   stat structure (struct stat on x86-64, stat64 or statx on i386). Prints what it saw. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

int main(void)
{
    char buf[256];
    struct stat st;
    int fd;

    mkdir("/jail", 0755);
    mkdir("/jail/in", 0755);
    chdir("/jail/in");
    if (chroot("/jail") != 0) { perror("chroot"); return 1; }
    /* The cwd is inside the new root: getcwd shows it from there. */
    long n = syscall(SYS_getcwd, buf, sizeof buf);
    printf("cwd %s (%ld)\n", n > 0 ? buf : "?", n);
    /* `..` stops at the new root; absolute paths start there. */
    fd = open("../../../in/f", O_CREAT | O_WRONLY, 0644);
    close(fd);
    printf("/in/f %s\n", stat("/in/f", &st) == 0 ? "exists" : "missing");
    chdir("/");
    if (chroot("in") != 0) { perror("chroot in"); return 1; }
    /* Now the cwd (/jail) is outside the root: Linux says so in getcwd's answer. */
    n = syscall(SYS_getcwd, buf, sizeof buf);
    printf("cwd %s\n", n > 0 ? buf : "?");
    if (chown("/f", 1000, 2000) != 0 || stat("/f", &st) != 0) { perror("chown"); return 1; }
    printf("owner %u:%u\n", (unsigned)st.st_uid, (unsigned)st.st_gid);
    if (fchown(open("/f", O_RDONLY), -1, 7) != 0 || lstat("/f", &st) != 0) return 1;
    printf("owner %u:%u\n", (unsigned)st.st_uid, (unsigned)st.st_gid);
    if (mknod("/z", S_IFCHR | 0600, makedev(1, 5)) != 0 || stat("/z", &st) != 0) return 1;
    printf("node %s %u,%u %o\n", S_ISCHR(st.st_mode) ? "chr" : "other",
           major(st.st_rdev), minor(st.st_rdev), (unsigned)(st.st_mode & 07777));
    fd = open("/z", O_RDONLY);
    memset(buf, 'x', 4);
    n = read(fd, buf, 4);
    printf("read %ld %d\n", n, buf[0] | buf[1] | buf[2] | buf[3]);
    return 0;
}
