/* POSIX message queues (ipc/mqueue.c): open, priorities, non-blocking and timed calls,
   notification by a signal, poll, attributes, unlink and errors. Prints what it saw. */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile int got_sig, got_code, got_pid, got_value;

static void on_usr1(int sig, siginfo_t *si, void *ctx)
{
    (void)ctx;
    got_sig = sig;
    got_code = si->si_code;
    got_pid = si->si_pid;
    got_value = si->si_value.sival_int;
}

static void on_alarm(int sig) { (void)sig; }

static const char *err(int rc)
{
    static const struct { int no; const char *name; } names[] = {
        {EEXIST, "EEXIST"}, {ENOENT, "ENOENT"}, {EACCES, "EACCES"}, {ENAMETOOLONG, "ENAMETOOLONG"},
        {EINVAL, "EINVAL"}, {EMFILE, "EMFILE"}, {EAGAIN, "EAGAIN"}, {EMSGSIZE, "EMSGSIZE"},
        {ETIMEDOUT, "ETIMEDOUT"}, {EINTR, "EINTR"}, {EBUSY, "EBUSY"}, {EBADF, "EBADF"},
        {EPERM, "EPERM"}, {ENOSPC, "ENOSPC"}};
    if (rc != -1)
        return "ok";
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].no == errno)
            return names[i].name;
    return strerror(errno);
}

static void show_attr(const char *what, mqd_t q)
{
    struct mq_attr a;
    if (mq_getattr(q, &a) == -1) {
        printf("%s getattr %s\n", what, strerror(errno));
        return;
    }
    printf("%s flags %ld maxmsg %ld msgsize %ld curmsgs %ld\n", what, a.mq_flags, a.mq_maxmsg,
           a.mq_msgsize, a.mq_curmsgs);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct timespec in_ms(int ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += (long)ms * 1000000;
    ts.tv_sec += ts.tv_nsec / 1000000000;
    ts.tv_nsec %= 1000000000;
    return ts;
}

int main(void)
{
    char buf[8192 + 1], name[300];
    unsigned prio;
    struct mq_attr attr = {0};
    mq_unlink("/svq_a");
    mq_unlink("/svq_d");
    mq_unlink("/svq_u");
    setvbuf(stdout, NULL, _IONBF, 0);

    /* defaults, and the descriptor's close-on-exec bit */
    mqd_t d = mq_open("/svq_d", O_CREAT | O_RDWR, 0666, NULL);
    show_attr("default", d);
    struct stat st;
    fstat(d, &st);
    printf("fstat regular %d mode %o cloexec %d\n", S_ISREG(st.st_mode), st.st_mode & 07777,
           fcntl(d, F_GETFD) & FD_CLOEXEC);
    mqd_t d2 = mq_open("/svq_d", O_RDONLY | O_CLOEXEC);
    printf("reopen cloexec %d\n", fcntl(d2, F_GETFD) & FD_CLOEXEC);
    mq_close(d2);
    mq_close(d);
    mq_unlink("/svq_d");

    /* errors of mq_open */
    attr.mq_maxmsg = 4;
    attr.mq_msgsize = 64;
    mqd_t q = mq_open("/svq_a", O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
    show_attr("created", q);
    printf("excl again: %s\n", err(mq_open("/svq_a", O_CREAT | O_EXCL | O_RDWR, 0600, &attr)));
    printf("missing: %s\n", err(mq_open("/svq_none", O_RDWR)));
    printf("slash inside: %s\n", err(mq_open("/a/b", O_CREAT | O_RDWR, 0600, NULL)));
    printf("empty: %s\n", err(mq_open("/", O_CREAT | O_RDWR, 0600, NULL)));
    name[0] = '/';
    memset(name + 1, 'n', 256);
    name[257] = 0;
    printf("256 long: %s\n", err(mq_open(name, O_CREAT | O_RDWR, 0600, NULL)));
    printf("accmode 3 existing: %s\n", err(mq_open("/svq_a", O_RDWR | O_WRONLY)));
    struct mq_attr bad = {.mq_maxmsg = 0, .mq_msgsize = 8};
    printf("maxmsg 0: %s\n", err(mq_open("/svq_b", O_CREAT | O_RDWR, 0600, &bad)));
    bad.mq_maxmsg = 1, bad.mq_msgsize = -1;
    printf("msgsize -1: %s\n", err(mq_open("/svq_b", O_CREAT | O_RDWR, 0600, &bad)));
    bad.mq_maxmsg = 65537, bad.mq_msgsize = 1;
    printf("maxmsg 65537: %s\n", err(mq_open("/svq_b", O_CREAT | O_RDWR, 0600, &bad)));
    printf("unlink missing: %s\n", err(mq_unlink("/svq_b")));

    /* priorities: highest first, FIFO within one */
    mq_send(q, "low", 3, 1);
    mq_send(q, "high", 4, 5);
    mq_send(q, "mid", 3, 3);
    mq_send(q, "high2", 5, 5);
    show_attr("full", q);
    memset(buf, 0, sizeof buf);
    ssize_t n = read(q, buf, sizeof buf);
    printf("read %d: %s", (int)n, buf);
    struct pollfd pfd = {q, POLLIN | POLLOUT, 0};
    int ready = poll(&pfd, 1, 0);
    printf("poll full %d revents %#x\n", ready, pfd.revents);
    struct mq_attr nb = {.mq_flags = O_NONBLOCK}, old;
    mq_setattr(q, &nb, &old);
    printf("setattr old flags %ld\n", old.mq_flags);
    show_attr("nonblocking", q);
    printf("send full: %s\n", err(mq_send(q, "x", 1, 0)));
    printf("too big: %s\n", err(mq_send(q, buf, 65, 0)));
    printf("prio 32768: %s\n", err(mq_send(q, "x", 1, 32768)));
    printf("small buffer: %s\n", err(mq_receive(q, buf, 63, &prio)));
    for (int i = 0; i < 4; i++) {
        n = mq_receive(q, buf, sizeof buf, &prio);
        printf("got %.*s prio %u\n", (int)n, buf, prio);
    }
    printf("empty: %s\n", err(mq_receive(q, buf, sizeof buf, &prio)));
    pfd.revents = 0;
    ready = poll(&pfd, 1, 0);
    printf("poll empty %d revents %#x\n", ready, pfd.revents);
    nb.mq_flags = O_NONBLOCK | O_APPEND;
    printf("setattr other flag: %s\n", err(mq_setattr(q, &nb, NULL)));
    nb.mq_flags = 0;
    mq_setattr(q, &nb, NULL);

    /* timed calls */
    struct timespec ts = in_ms(100);
    double t0 = now();
    printf("timed receive: %s", err(mq_timedreceive(q, buf, sizeof buf, &prio, &ts)));
    printf(" after >= 90 ms %d\n", now() - t0 >= 0.09);
    ts.tv_nsec = 1000000000;
    printf("bad timeout: %s\n", err(mq_timedreceive(q, buf, sizeof buf, &prio, &ts)));
    ts = in_ms(0);
    ts.tv_sec -= 1;
    mq_send(q, "old", 3, 0);
    printf("past timeout, a message: %s\n", err(mq_timedreceive(q, buf, sizeof buf, &prio, &ts)));

    /* a signal ends a wait, or restarts it with SA_RESTART */
    struct sigaction sa = {0};
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 50000}};
    setitimer(ITIMER_REAL, &it, NULL);
    printf("interrupted: %s\n", err(mq_receive(q, buf, sizeof buf, &prio)));
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    setitimer(ITIMER_REAL, &it, NULL);
    ts = in_ms(200);
    printf("restarted: %s\n", err(mq_timedreceive(q, buf, sizeof buf, &prio, &ts)));

    /* a blocked receiver is woken by another process's send */
    pid_t child = fork();
    if (child == 0) {
        usleep(50000);
        mq_send(q, "wake", 4, 2);
        _exit(0);
    }
    n = mq_receive(q, buf, sizeof buf, &prio);
    printf("woken by %.*s prio %u\n", (int)n, buf, prio);
    waitpid(child, NULL, 0);

    /* notification */
    sa.sa_sigaction = on_usr1;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    sigset_t block, orig;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, &orig);
    struct sigevent sev = {0};
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = SIGUSR1;
    sev.sigev_value.sival_int = 42;
    printf("notify: %s\n", err(mq_notify(q, &sev)));
    printf("notify again: %s\n", err(mq_notify(q, &sev)));
    child = fork();
    if (child == 0) {
        printf("child notify: %s\n", err(mq_notify(q, &sev)));
        mq_send(q, "ping", 4, 0);
        _exit(0);
    }
    while (!got_sig)
        sigsuspend(&orig);
    waitpid(child, NULL, 0);
    printf("signal %d code %d from child %d value %d\n", got_sig, got_code, got_pid == child,
           got_value);
    mq_receive(q, buf, sizeof buf, &prio);
    printf("notify after it fired: %s\n", err(mq_notify(q, &sev)));
    printf("remove: %s\n", err(mq_notify(q, NULL)));
    printf("remove none: %s\n", err(mq_notify(q, NULL)));
    sev.sigev_notify = SIGEV_NONE;
    printf("none: %s\n", err(mq_notify(q, &sev)));
    mqd_t q2 = mq_open("/svq_a", O_WRONLY);
    mq_close(q2);
    printf("after closing another descriptor: %s\n", err(mq_notify(q, &sev)));
    mq_notify(q, NULL);
    sev.sigev_notify = 99;
    printf("notify kind 99: %s\n", err(mq_notify(q, &sev)));
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = 65;
    printf("signal 65: %s\n", err(mq_notify(q, &sev)));
    sev.sigev_signo = SIGUSR1;
    printf("notify on stdin: %s\n", err(mq_notify(0, &sev)));
    printf("getattr on stdin: %s\n", err(mq_getattr(0, &attr)));
    printf("getattr on 99: %s\n", err(mq_getattr(99, &attr)));

    /* access modes */
    mqd_t w = mq_open("/svq_a", O_WRONLY);
    printf("receive on O_WRONLY: %s\n", err(mq_receive(w, buf, sizeof buf, &prio)));
    mqd_t r = mq_open("/svq_a", O_RDONLY);
    printf("send on O_RDONLY: %s\n", err(mq_send(r, "x", 1, 0)));
    mq_close(w);
    mq_close(r);

    /* as a user: modes, limits, the sticky directory */
    child = fork();
    if (child == 0) {
        setuid(65534);
        printf("user opens 0600: %s\n", err(mq_open("/svq_a", O_RDONLY)));
        printf("user unlinks root's: %s\n", err(mq_unlink("/svq_a")));
        bad.mq_maxmsg = 11, bad.mq_msgsize = 8;
        printf("user past msg_max: %s\n", err(mq_open("/svq_u", O_CREAT | O_RDWR, 0600, &bad)));
        bad.mq_maxmsg = 10, bad.mq_msgsize = 8193;
        printf("user past msgsize_max: %s\n",
               err(mq_open("/svq_u", O_CREAT | O_RDWR, 0600, &bad)));
        char qname[16];
        mqd_t made[12];
        int count = 0;
        for (int i = 0; i < 12; i++) {
            snprintf(qname, sizeof qname, "/svq_u%d", i);
            mq_unlink(qname);
            if ((made[count] = mq_open(qname, O_CREAT | O_RDWR, 0600, NULL)) == -1) {
                printf("user's queue %d: %s\n", i, err(-1));
                break;
            }
            count++;
        }
        for (int i = 0; i < count; i++) {
            snprintf(qname, sizeof qname, "/svq_u%d", i);
            mq_unlink(qname);
            mq_close(made[i]);
        }
        mqd_t u = mq_open("/svq_u", O_CREAT | O_RDWR, 0666, NULL);
        fstat(u, &st);
        printf("user's own mode %o\n", st.st_mode & 07777);
        printf("user unlinks own: %s\n", err(mq_unlink("/svq_u")));
        _exit(0);
    }
    waitpid(child, NULL, 0);

    /* an unlinked queue lives on while open; the name is free for a new one */
    mq_send(q, "kept", 4, 0);
    printf("unlink: %s\n", err(mq_unlink("/svq_a")));
    printf("open after unlink: %s\n", err(mq_open("/svq_a", O_RDWR)));
    mqd_t fresh = mq_open("/svq_a", O_CREAT | O_EXCL | O_RDWR, 0600, NULL);
    show_attr("fresh", fresh);
    n = mq_receive(q, buf, sizeof buf, &prio);
    printf("old queue still has %.*s\n", (int)n, buf);
    mq_close(fresh);
    mq_unlink("/svq_a");
    mq_close(q);
    return 0;
}
