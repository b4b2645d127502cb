/* O_NOATIME leaves a file's access time alone on read; getdents on a directory removed
 * since it was opened is ENOENT (IS_DEADDIR). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

int main(void)
{
    struct timeval old[2] = {{1000000, 0}, {1000000, 0}};
    struct stat st;
    char buf[4096];
    int fd, dir;
    long n;

    fd = open("f", O_CREAT | O_WRONLY, 0644);
    write(fd, "data", 4);
    close(fd);
    utimes("f", old);
    fd = open("f", O_RDONLY | O_NOATIME);
    printf("read %d\n", (int)read(fd, buf, sizeof buf));
    close(fd);
    stat("f", &st);
    printf("atime kept: %d\n", st.st_atime == 1000000);

    mkdir("d", 0755);
    dir = open("d", O_RDONLY | O_DIRECTORY);
    rmdir("d");
    errno = 0;
    n = syscall(SYS_getdents64, dir, buf, sizeof buf);
    printf("getdents of a removed directory: %ld errno %d\n", n, errno);
    return 0;
}
