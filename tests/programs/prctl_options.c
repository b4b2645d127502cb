/* prctl as Linux answers it (it returned 0 for anything and did nothing): the parent-death
 * signal, a child subreaper adopting an orphan, the bounding set, keep-caps across setresuid
 * (setpriv needs it), no_new_privs, the timer slack, and EINVAL for what it does not know. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    int pfd[2];
    pipe(pfd);
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        if (fork() == 0) {
            prctl(PR_SET_PDEATHSIG, SIGUSR1);
            int s = -1;
            prctl(PR_GET_PDEATHSIG, &s);
            sigset_t m;
            sigemptyset(&m);
            sigaddset(&m, SIGUSR1);
            sigprocmask(SIG_BLOCK, &m, 0);
            write(pfd[1], "r", 1);
            struct timespec ts = {5, 0};
            int got = sigtimedwait(&m, 0, &ts);
            printf("pdeathsig %d: %s\n", s, got == SIGUSR1 ? "SIGUSR1 when the parent ended" : "none");
            fflush(stdout);
            _exit(0);
        }
        char b;
        read(pfd[0], &b, 1);
        _exit(0);
    }
    waitpid(c, 0, 0);
    usleep(300000);

    prctl(PR_SET_CHILD_SUBREAPER, 1);
    int sr = -1;
    prctl(PR_GET_CHILD_SUBREAPER, &sr);
    fflush(stdout);
    c = fork();
    if (c == 0) {
        if (fork() == 0) {
            usleep(200000);
            _exit(7);
        }
        _exit(0);
    }
    waitpid(c, 0, 0);
    int st;
    pid_t w = waitpid(-1, &st, 0);
    printf("subreaper %d: the orphan came to us %d\n", sr, w > 0 && WEXITSTATUS(st) == 7);

    printf("bounding set: CAP_CHOWN %d\n", prctl(PR_CAPBSET_READ, CAP_CHOWN));
    int r = prctl(PR_CAPBSET_READ, 64);
    printf("bounding set 64: %d %s\n", r, strerror(errno));
    printf("timer slack %d\n", prctl(PR_GET_TIMERSLACK));
    printf("no_new_privs %d", prctl(PR_GET_NO_NEW_PRIVS));
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    printf(" then %d\n", prctl(PR_GET_NO_NEW_PRIVS));
    r = prctl(12345, 0, 0, 0, 0);
    printf("unknown option: %d %s\n", r, strerror(errno));
    char name[16] = "";
    r = prctl(PR_SET_NAME, "worker: a-very-long-process-name");    /* cut to 15 bytes */
    prctl(PR_GET_NAME, name);
    printf("long name: %d %s\n", r, name);
    char *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(page + 4096, 4096);
    memcpy(page + 4096 - 15, "fifteen-bytes-x", 15);      /* no NUL before the hole */
    r = prctl(PR_SET_NAME, page + 4096 - 15);
    prctl(PR_GET_NAME, name);
    printf("a name ending at a hole: %d %s\n", r, name);
    prctl(PR_SET_KEEPCAPS, 1);
    printf("keepcaps %d\n", prctl(PR_GET_KEEPCAPS));
    setresuid(65534, 65534, 65534);
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2];
    syscall(SYS_capget, &h, d);
    printf("after setresuid: permitted kept %d, effective %#x\n", d[0].permitted != 0,
           d[0].effective);
    h.pid = 1;                       /* init is there, as kill(1, 0) says */
    printf("capget of init: %d\n", (int)syscall(SYS_capget, &h, d));
    return 0;
}
