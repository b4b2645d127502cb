/* /proc/self/stat's scheduling and signal fields, and status's signal masks, after the
   process changes them: nice 10 (setpriority), then SCHED_FIFO at 10; SIGUSR1 caught,
   SIGPIPE ignored, SIGTERM blocked. Prints the field count, fields 18 19 40 41, 31-34,
   SigBlk/SigIgn/SigCgt and /proc/self/wchan, one thing a line. */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

static void on_usr1(int sig) { (void)sig; }

static int slurp(const char *path, char *buf, size_t size) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    ssize_t n = read(fd, buf, size - 1);
    close(fd);
    if (n < 0) return -1;
    buf[n] = 0;
    return (int)n;
}

/* The fields after "(comm)", numbered as proc(5) numbers them (state is 3). */
static int stat_fields(char fields[][32], int max) {
    char buf[4096];
    if (slurp("/proc/self/stat", buf, sizeof buf) < 0) return -1;
    char *p = strrchr(buf, ')');
    int n = 2;
    for (char *tok = strtok(p + 1, " \n"); tok && n < max; tok = strtok(NULL, " \n")) {
        n++;
        snprintf(fields[n], sizeof fields[n], "%s", tok);
    }
    return n;
}

static void show_sched(const char *when) {
    char f[64][32];
    int n = stat_fields(f, 64);
    printf("%s: fields %d prio %s nice %s rt_priority %s policy %s\n",
           when, n, f[18], f[19], f[40], f[41]);
}

static void status_line(const char *status, const char *key) {
    const char *at = strstr(status, key);
    if (at) printf("%.*s\n", (int)strcspn(at, "\n"), at);
}

int main(void) {
    show_sched("start");
    if (setpriority(PRIO_PROCESS, 0, 10) != 0) perror("setpriority");
    show_sched("nice");
    struct sched_param sp = { .sched_priority = 10 };
    /* the raw call: musl's sched_setscheduler() says ENOSYS without asking the kernel */
    if (syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, &sp) != 0) perror("sched_setscheduler");
    show_sched("fifo");

    struct sigaction sa = { .sa_handler = on_usr1 };
    sigaction(SIGUSR1, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigprocmask(SIG_BLOCK, &set, NULL);
    raise(SIGTERM);                 /* blocked: it stays pending */

    char f[64][32];
    stat_fields(f, 64);
    printf("signals: pending %s blocked %s ignored %s caught %s\n", f[31], f[32], f[33], f[34]);
    char status[4096];
    slurp("/proc/self/status", status, sizeof status);
    status_line(status, "SigPnd:");
    status_line(status, "SigBlk:");
    status_line(status, "SigIgn:");
    status_line(status, "SigCgt:");
    char wchan[64];
    printf("wchan: [%s]\n", slurp("/proc/self/wchan", wchan, sizeof wchan) < 0 ? "missing" : wchan);
    return 0;
}
