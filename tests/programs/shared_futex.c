/* A futex in a MAP_SHARED page is one futex for every process mapping it: the child waits on
 * a word of a shared file mapping and of a shared anonymous mapping, the parent wakes it. */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define FUTEX_WAIT 0   /* <linux/futex.h>, which musl-gcc's headers lack */
#define FUTEX_WAKE 1

static long futex(int *uaddr, int op, int val)
{
    return syscall(SYS_futex, uaddr, op, val, NULL, NULL, 0);
}

static void ping(int *word, const char *what)
{
    pid_t pid = fork();
    if (pid == 0) {
        long r = futex(word, FUTEX_WAIT, 0);
        printf("child woke on %s: %ld\n", what, r);
        exit(0);
    }
    /* Until the child waits, a wake finds nobody; one that finds nobody for long failed. */
    long woken = 0;
    for (int i = 0; i < 20000 && !woken; i++) {
        sched_yield();
        woken = futex(word, FUTEX_WAKE, 1);
    }
    if (!woken)
        kill(pid, SIGKILL);
    int status;
    waitpid(pid, &status, 0);
    printf("%s: woke %ld, child status %d\n", what, woken, status);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int fd = open("/tmp/futexfile", O_CREAT | O_RDWR | O_TRUNC, 0600);
    if (fd < 0 || ftruncate(fd, 4096) != 0)
        return 1;
    int *file = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    int *anon = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (file == MAP_FAILED || anon == MAP_FAILED)
        return 2;
    ping(file + 5, "file");
    ping(anon + 9, "anon");
    return 0;
}
