/* Run with --cwd /tmp/s: the directory it started in is removed and made again; the
   process's cwd is the removed one (Linux's lines). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

int main(void)
{
    char b[256];
    struct stat st;
    rmdir("/tmp/s");
    mkdir("/tmp/s", 0755);
    errno = 0;
    int fd = open("x", O_CREAT | O_WRONLY, 0644);
    printf("create: %s\n", fd < 0 ? strerrorname_np(errno) : "ok");
    errno = 0;
    printf("getcwd: %s\n", getcwd(b, sizeof b) ? b : strerrorname_np(errno));
    printf("in the new /tmp/s: %d\n", stat("/tmp/s/x", &st) == 0);
    return 0;
}
