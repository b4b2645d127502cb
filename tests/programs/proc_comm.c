/* /proc/PID/comm and /proc/PID/task/TID/comm are writable by the process itself: glibc's and
 * musl's pthread_setname_np of another thread write the thread's file. Linux's comm_write
 * keeps the first 15 bytes (a newline among them), and refuses another process's writes
 * with EINVAL, or at open with EACCES when it belongs to another user. Prints the same on
 * Linux, run as root. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile long worker_tid;

static void *idle(void *arg)
{
    (void)arg;
    worker_tid = syscall(SYS_gettid);
    pause();
    return NULL;
}

static void show(const char *what, const char *path)
{
    char buf[64] = "";
    int fd = open(path, O_RDONLY);
    long n = read(fd, buf, sizeof buf - 1);
    close(fd);
    printf("%s: ", what);
    for (long i = 0; i < n; i++)
        printf(buf[i] == '\n' ? "\\n" : "%c", buf[i]);
    printf("\n");
}

static const char *write_comm(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY);
    if (fd < 0)
        return errno == EACCES ? "open EACCES" : strerror(errno);
    long n = write(fd, text, strlen(text));
    int e = errno;
    close(fd);
    return n == (long)strlen(text) ? "written" : e == EINVAL ? "write EINVAL" : strerror(e);
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, idle, NULL);
    while (!worker_tid)
        usleep(1000);
    int rc = pthread_setname_np(t, "worker-1");
    char name[32] = "";
    pthread_getname_np(t, name, sizeof name);
    printf("setname of another thread: %d, getname %s\n", rc, name);
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%ld/comm", worker_tid);
    show("the thread's comm", path);
    show("the process's comm", "/proc/self/comm");

    printf("write a line: %s\n", write_comm("/proc/self/comm", "abc\n"));
    show("comm", "/proc/self/comm");
    printf("write 20 bytes: %s\n", write_comm("/proc/self/comm", "0123456789abcdefghij"));
    show("comm", "/proc/self/comm");

    char parent[64];
    snprintf(parent, sizeof parent, "/proc/%d/comm", getpid());
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        printf("another process writes it: %s\n", write_comm(parent, "intruder"));
        if (setuid(1000) == 0)
            printf("another user writes it: %s\n", write_comm(parent, "intruder"));
        fflush(stdout);
        _exit(0);
    }
    waitpid(child, NULL, 0);
    show("comm after", "/proc/self/comm");
    return 0;
}
