/* Linux details programs rely on: a blocking pipe write returns only when every byte is in;
 * the x87 control word a process starts with; CLOCK_REALTIME_COARSE; umask across fork;
 * utimensat with no times; renameat2(RENAME_NOREPLACE). One line per check. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    static char big[300000];
    int fds[2], status;
    memset(big, 'x', sizeof big);
    pipe(fds);
    pid_t child = fork();
    if (child == 0) {
        close(fds[1]);
        long total = 0;
        ssize_t n;
        char buf[4096];
        while ((n = read(fds[0], buf, sizeof buf)) > 0)
            total += n;
        printf("child read %ld\n", total);
        return 0;
    }
    close(fds[0]);
    printf("write returned %zd\n", write(fds[1], big, sizeof big));
    fflush(stdout);
    close(fds[1]);
    waitpid(child, &status, 0);

    unsigned short cw;
    __asm__ volatile("fnstcw %0" : "=m"(cw));
    printf("fcw %#x %.17g\n", cw, strtod("0.1", 0));

    struct timespec ts;
    clock_gettime(CLOCK_REALTIME_COARSE, &ts);
    printf("coarse clock is wall time: %d\n", labs((long)(ts.tv_sec - time(NULL))) < 5);

    fflush(stdout);
    umask(027);
    if (fork() == 0)
        return umask(0) == 027 ? 0 : 1;
    wait(&status);
    printf("umask inherited: %d\n", WEXITSTATUS(status) == 0);

    close(open("f1", O_CREAT | O_WRONLY, 0644));
    close(open("f2", O_CREAT | O_WRONLY, 0644));
    printf("utimensat now: %d\n", utimensat(AT_FDCWD, "f1", NULL, 0));
    long r = syscall(SYS_renameat2, AT_FDCWD, "f1", AT_FDCWD, "f2", 1 /* RENAME_NOREPLACE */);
    printf("renameat2 noreplace: %ld %s\n", r, r ? strerror(errno) : "ok");
    unlink("f1");
    unlink("f2");
    return 0;
}
