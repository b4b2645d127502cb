/* close_range (it was ENOSYS, and glibc's closefrom fell back to a /proc/self/fd loop that
 * never ended: tmux hung), and a directory read again after a rewind lists it as it is now. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static int open_fds(int upto)
{
    int n = 0;
    for (int fd = 3; fd <= upto; fd++)
        n = n * 10 + (fcntl(fd, F_GETFD) >= 0 ? 1 : 0);
    return n;
}

static int count(DIR *d)
{
    int n = 0;
    while (readdir(d))
        n++;
    return n;
}

int main(void)
{
    for (int i = 3; i <= 8; i++)
        dup2(0, i);
    printf("open 3-8: %06d\n", open_fds(8));
    long rc = syscall(SYS_close_range, 4, 6, 0);
    printf("close 4-6: %ld %06d\n", rc, open_fds(8));
    rc = syscall(SYS_close_range, 3, ~0U, 4 /* CLOSE_RANGE_CLOEXEC */);
    printf("cloexec 3-: %ld %d %d\n", rc, fcntl(3, F_GETFD), fcntl(8, F_GETFD));
    rc = syscall(SYS_close_range, 5, 4, 0);
    printf("backwards: %ld %s\n", rc, strerror(errno));
    rc = syscall(SYS_close_range, 3, 3, 1);
    printf("bad flag: %ld %s\n", rc, strerror(errno));
    rc = syscall(SYS_close_range, 7, ~0U, 2 /* CLOSE_RANGE_UNSHARE */);
    printf("unshare 7-: %ld %06d\n", rc, open_fds(8));
    closefrom(3);
    printf("closefrom 3: %06d\n", open_fds(8));

    mkdir("d", 0755);
    close(open("d/a", O_CREAT | O_WRONLY, 0644));
    DIR *d = opendir("d");
    int before = count(d);
    close(open("d/b", O_CREAT | O_WRONLY, 0644));
    int same = count(d);
    rewinddir(d);
    printf("dir: %d, %d more before the rewind, %d after\n", before, same, count(d));
    closedir(d);

    DIR *fds = opendir("/proc/self/fd");
    before = count(fds);
    int extra = dup(0);
    rewinddir(fds);
    printf("/proc/self/fd after a dup and a rewind: %d more\n", count(fds) - before);
    close(extra);
    closedir(fds);
    unlink("d/a");
    unlink("d/b");
    rmdir("d");
    return 0;
}
