/* What the threads of a process share on Linux: the working directory, root and umask
 * (pthread_create's CLONE_FS), the resource limits and the interval timers (the process's).
 * The main thread changes each after its thread has started; the thread reports what it
 * sees, and opens a relative name. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <fcntl.h>
#include <unistd.h>

static pthread_barrier_t changed, seen;

static void *reader(void *arg) {
    (void)arg;
    pthread_barrier_wait(&changed);
    char cwd[256];
    getcwd(cwd, sizeof cwd);
    mode_t mask = umask(0);
    umask(mask);
    struct rlimit lim;
    getrlimit(RLIMIT_NOFILE, &lim);
    struct itimerval timer;
    getitimer(ITIMER_REAL, &timer);
    printf("thread: cwd %s umask %03o nofile %ld/%ld timer armed %d interval %ld\n", cwd,
           (unsigned)mask, (long)lim.rlim_cur, (long)lim.rlim_max,
           timer.it_value.tv_sec > 0 || timer.it_value.tv_usec > 0,
           (long)timer.it_interval.tv_sec);
    int fd = open("made-by-thread", O_CREAT | O_WRONLY, 0666);
    close(fd);
    chdir("/");          /* the main thread follows this one too */
    umask(022);
    pthread_barrier_wait(&seen);
    return NULL;
}

int main(void) {
    pthread_t t;
    pthread_barrier_init(&changed, NULL, 2);
    pthread_barrier_init(&seen, NULL, 2);
    mkdir("/tmp/work", 0755);
    pthread_create(&t, NULL, reader, NULL);
    chdir("/tmp/work");
    umask(077);
    struct rlimit lim = {100, 200};
    setrlimit(RLIMIT_NOFILE, &lim);
    struct itimerval timer = {{5, 0}, {60, 0}};
    setitimer(ITIMER_REAL, &timer, NULL);
    pthread_barrier_wait(&changed);
    pthread_barrier_wait(&seen);
    pthread_join(t, NULL);
    struct stat st;
    int made = stat("/tmp/work/made-by-thread", &st) == 0;
    char cwd[256];
    getcwd(cwd, sizeof cwd);
    mode_t mask = umask(0);
    printf("main: made in /tmp/work %d mode %03o, then cwd %s umask %03o\n", made,
           made ? (unsigned)(st.st_mode & 0777) : 0, cwd, (unsigned)mask);
    return 0;
}
