/* A write or truncate by a user without CAP_FSETID clears the file's set-user-ID bit (and
 * set-group-ID with group execute); root's leaves them. Prints the same on Linux, as root. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void as_user(const char *what, int how)
{
    pid_t c = fork();
    if (c == 0) {
        setgid(1000);
        setuid(1000);
        int fd = open("/tmp/setid_file", O_WRONLY | O_APPEND);
        if (how == 0)
            write(fd, "x", 1);
        else if (how == 1)
            ftruncate(fd, 1);
        else if (how == 2)
            truncate("/tmp/setid_file", 2);
        else
            fallocate(fd, 0, 0, 4096);
        _exit(0);
    }
    waitpid(c, NULL, 0);
    struct stat st;
    stat("/tmp/setid_file", &st);
    printf("%s: %04o\n", what, st.st_mode & 07777);
}

int main(void)
{
    int fd = open("/tmp/setid_file", O_CREAT | O_WRONLY | O_TRUNC, 0666);
    close(fd);
    chown("/tmp/setid_file", 1000, 1000);
    chmod("/tmp/setid_file", 04777);
    as_user("after a user's write", 0);
    chmod("/tmp/setid_file", 06777);
    as_user("setgid with group execute, after a user's truncate", 1);
    chmod("/tmp/setid_file", 02767);
    as_user("setgid without group execute, after a user's write", 0);
    chmod("/tmp/setid_file", 04777);
    as_user("after a user's truncate by path", 2);
    chmod("/tmp/setid_file", 04777);
    as_user("after a user's fallocate", 3);
    chmod("/tmp/setid_file", 04777);
    fd = open("/tmp/setid_file", O_WRONLY | O_APPEND);
    write(fd, "r", 1);
    close(fd);
    struct stat st;
    stat("/tmp/setid_file", &st);
    printf("after root's write: %04o\n", st.st_mode & 07777);
    unlink("/tmp/setid_file");
    return 0;
}
