/* /proc as ps, top and pgrep read it: only processes are listed (a thread's /proc/TID still
 * resolves), /proc/PID/stat counts the group's threads (field 20) and their CPU time, its
 * start time (field 22) is in clock ticks since boot as /proc/uptime and btime count, and a
 * stopped process's state is T (ps -e listed each thread as a process, etime was the
 * machine's age for every process, top showed a stopped process as S). */
#define _GNU_SOURCE
#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Field n (1-based, as proc(5) numbers them) of a stat line; field 3 as a character. */
static long field(const char *path, int n)
{
    char line[1024];
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    if (!fgets(line, sizeof line, f)) {
        fclose(f);
        return -1;
    }
    fclose(f);
    char *p = strrchr(line, ')') + 2;
    if (n == 3)
        return *p;
    int at = 3;
    for (char *tok = strtok(p, " "); tok; tok = strtok(0, " "), at++)
        if (at == n)
            return atol(tok);
    return -1;
}

static double uptime(void)
{
    double up = -1;
    FILE *f = fopen("/proc/uptime", "r");
    fscanf(f, "%lf", &up);
    fclose(f);
    return up;
}

static long btime(void)
{
    char line[256];
    long bt = -1;
    FILE *f = fopen("/proc/stat", "r");
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "btime ", 6))
            bt = atol(line + 6);
    fclose(f);
    return bt;
}

static int first_field(const char *path)
{
    int n = -1;
    FILE *f = fopen(path, "r");
    if (f) {
        fscanf(f, "%d", &n);
        fclose(f);
    }
    return n;
}

static volatile int spun, spin_tid, stop, self_is_process, thread_self_is_thread;

static void *spin(void *a)
{
    char path[64];
    spin_tid = syscall(SYS_gettid);
    snprintf(path, sizeof path, "/proc/self/task/%d/stat", spin_tid);
    time_t until = time(0) + 20;
    volatile unsigned long n = 0;
    while (time(0) < until) {       /* until this thread has used 10 ticks of CPU */
        for (int i = 0; i < 100000; i++)
            n++;
        if (field(path, 14) + field(path, 15) >= 10)
            break;
    }
    self_is_process = first_field("/proc/self/stat") == getpid();
    thread_self_is_thread = first_field("/proc/thread-self/stat") == spin_tid;
    spun = 1;
    while (!stop)
        usleep(10000);
    return 0;
}

static void *idle(void *a)
{
    while (!stop)
        usleep(10000);
    return 0;
}

static int listed(DIR *d, int pid)
{
    struct dirent *e;
    rewinddir(d);
    while ((e = readdir(d)))
        if (atoi(e->d_name) == pid)
            return 1;
    return 0;
}

int main(void)
{
    long hz = sysconf(_SC_CLK_TCK);
    usleep(300000);
    pthread_t t1, t2;
    pthread_create(&t1, 0, idle, 0);
    pthread_create(&t2, 0, spin, 0);
    while (!spun)
        usleep(10000);

    DIR *proc = opendir("/proc");
    char path[64];
    struct stat st;
    snprintf(path, sizeof path, "/proc/%d", spin_tid);
    printf("readdir(/proc) lists the process: %d, its thread: %d; /proc/TID resolves: %s\n",
           listed(proc, getpid()), listed(proc, spin_tid), stat(path, &st) == 0 ? "yes" : "no");
    closedir(proc);

    printf("in a thread: /proc/self is the process: %s, /proc/thread-self the thread: %s\n",
           self_is_process ? "yes" : "no", thread_self_is_thread ? "yes" : "no");
    snprintf(path, sizeof path, "/proc/self/task/%d/stat", spin_tid);
    printf("num_threads: /proc/self/stat %ld, a thread's stat %ld\n",
           field("/proc/self/stat", 20), field(path, 20));
    long whole = field("/proc/self/stat", 14) + field("/proc/self/stat", 15);
    long spinner = field(path, 14) + field(path, 15);
    printf("process CPU time counts its threads': %s\n",
           spinner >= 10 && whole >= spinner ? "yes" : "no");

    long start = field("/proc/self/stat", 22);
    double age = uptime() - (double)start / hz;
    double since = (double)time(0) - (btime() + (double)start / hz);
    printf("start time: age by /proc/uptime %s, by btime %s, thread's own no earlier: %s\n",
           age >= 0.25 && age < 60 ? "ok" : "WRONG", since > -2 && since < 60 ? "ok" : "WRONG",
           field(path, 22) >= start ? "yes" : "no");
    fflush(stdout);

    int gap[2];
    pipe(gap);
    pid_t c = fork();
    if (c == 0) {
        long mine = field("/proc/self/stat", 22);
        write(gap[1], &mine, sizeof mine);
        for (;;)
            pause();
    }
    long child_start;
    read(gap[0], &child_start, sizeof child_start);
    printf("a child forked later starts later: %s\n",
           child_start - start >= 25 && child_start >= field(path, 22) ? "yes" : "no");

    kill(c, SIGSTOP);
    int status;
    waitpid(c, &status, WUNTRACED);
    snprintf(path, sizeof path, "/proc/%d/stat", c);
    char state = field(path, 3);
    snprintf(path, sizeof path, "/proc/%d/status", c);
    FILE *f = fopen(path, "r");
    char line[256], text[64] = "";
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "State:", 6))
            sscanf(line, "State:\t%63[^\n]", text);
    fclose(f);
    printf("stopped child: stat state %c, status %s\n", state, text);
    kill(c, SIGCONT);
    waitpid(c, &status, WCONTINUED);
    usleep(100000);
    snprintf(path, sizeof path, "/proc/%d/stat", c);
    printf("continued child: stat state %c\n", (char)field(path, 3));
    kill(c, SIGKILL);
    waitpid(c, &status, 0);
    stop = 1;
    pthread_join(t1, 0);
    pthread_join(t2, 0);
    return 0;
}
