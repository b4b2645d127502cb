/* A pty's slave is the ptmx opener's, mode 0620 group tty: another uid cannot open it. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    grantpt(m);
    unlockpt(m);
    char name[64];
    strcpy(name, ptsname(m));
    struct stat st;
    stat(name, &st);
    printf("slave: mode %o uid %u gid %u\n", st.st_mode & 07777, st.st_uid, st.st_gid);
    int own = open(name, O_RDWR | O_NOCTTY);
    printf("owner opens it: %d\n", own >= 0);
    if (fork() == 0) {
        close(own);
        setgid(1000);
        setuid(1000);
        int fd = open(name, O_RDWR | O_NOCTTY);
        printf("uid 1000 opens it: %d %s\n", fd, fd < 0 ? strerrorname_np(errno) : "");
        _exit(0);
    }
    wait(NULL);
    return 0;
}
