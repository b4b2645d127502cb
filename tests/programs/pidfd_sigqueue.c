/* pidfd_open, pidfd_send_signal, pidfd_getfd and waitid(P_PIDFD); sigqueue's value and the
 * rule that nobody forges a kernel or kill siginfo for another process; readahead and
 * sync_file_range (all were ENOSYS). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PIDFD_NONBLOCK
#define PIDFD_NONBLOCK O_NONBLOCK
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif

static int pidfd_open(pid_t pid, unsigned flags) { return syscall(SYS_pidfd_open, pid, flags); }

static void show(const char *what, long rc)
{
    printf("%s: %ld", what, rc);
    if (rc < 0)
        printf(" errno %d", errno);     /* (musl words some messages differently) */
    printf("\n");
}

int main(void)
{
    int fd = open("data", O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(fd, "hello", 5);
    show("readahead", syscall(SYS_readahead, fd, 0, 4096));
    int p[2];
    pipe(p);
    show("readahead of a pipe", syscall(SYS_readahead, p[0], 0, 4096));
    show("sync_file_range", sync_file_range(fd, 0, 5, SYNC_FILE_RANGE_WRITE));
    show("sync_file_range bad flags", sync_file_range(fd, 0, 5, 8));
    show("sync_file_range of a pipe", sync_file_range(p[0], 0, 5, SYNC_FILE_RANGE_WRITE));
    close(fd);
    unlink("data");

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGRTMIN);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    union sigval v = {.sival_int = 42};
    show("sigqueue to itself", sigqueue(getpid(), SIGRTMIN, v));
    siginfo_t si;
    int sig = sigwaitinfo(&set, &si);
    printf("got %s code %d value %d from itself %d\n", sig == SIGRTMIN ? "SIGRTMIN" : "?",
           si.si_code, si.si_value.sival_int, si.si_pid == getpid());

    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        pause();
        _exit(7);
    }
    siginfo_t forged;
    memset(&forged, 0, sizeof forged);
    forged.si_signo = SIGUSR1;
    forged.si_code = SI_USER;
    show("a forged SI_USER to another", syscall(SYS_rt_sigqueueinfo, child, SIGUSR1, &forged));

    int pfd = pidfd_open(child, 0);
    printf("pidfd_open: %d close-on-exec %d\n", pfd >= 0, fcntl(pfd, F_GETFD));
    struct pollfd pp = {.fd = pfd, .events = POLLIN};
    show("poll while it runs", poll(&pp, 1, 0));
    int nb = pidfd_open(child, PIDFD_NONBLOCK);
    show("waitid on a non-blocking pidfd", waitid(P_PIDFD, nb, &si, WEXITED));
    show("pidfd_send_signal SIGTERM", syscall(SYS_pidfd_send_signal, pfd, SIGTERM, NULL, 0));
    show("poll once it ended", poll(&pp, 1, 5000));
    printf("revents %#x\n", pp.revents);
    memset(&si, 0, sizeof si);
    show("waitid(P_PIDFD)", waitid(P_PIDFD, pfd, &si, WEXITED));
    printf("child %d code %d status %d\n", si.si_pid == child, si.si_code, si.si_status);
    show("pidfd_send_signal after", syscall(SYS_pidfd_send_signal, pfd, SIGTERM, NULL, 0));
    show("pidfd_open of nobody", pidfd_open(99999, 0));
    show("pidfd_send_signal on a pipe", syscall(SYS_pidfd_send_signal, p[0], 0, NULL, 0));

    int self = pidfd_open(getpid(), 0);
    int copy = syscall(SYS_pidfd_getfd, self, p[1], 0);
    printf("pidfd_getfd: %d\n", copy >= 0);
    write(copy, "x", 1);
    char c = 0;
    read(p[0], &c, 1);
    printf("through the copy: %c\n", c);
    show("pidfd_getfd of a closed fd", syscall(SYS_pidfd_getfd, self, 999, 0));
    /* the interface before pidfds: a /proc/PID directory's descriptor names the process */
    char dir[32];
    snprintf(dir, sizeof dir, "/proc/%d", getpid());
    int proc = open(dir, O_RDONLY | O_DIRECTORY);
    show("pidfd_send_signal to /proc/PID, signal 0",
         syscall(SYS_pidfd_send_signal, proc, 0, NULL, 0));
    show("pidfd_getfd of /proc/PID", syscall(SYS_pidfd_getfd, proc, 1, 0));
    return 0;
}
