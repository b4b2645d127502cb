/* Every system call number, each in a child of its own, called ITER times with arguments drawn
 * from values a hostile program would pass: 0, -1, small and huge integers, wild pointers
 * (0x1000, the kernel half), a PROT_NONE page, a read-only page, 8 bytes before an unmapped
 * page, iovecs and message headers aiming at those, and descriptors of every kind. A child may
 * do anything to itself (unmap its code, exit, change its signals); the parent waits for it
 * with a deadline (a call that blocks is killed), then reports how each child ended. The
 * runtime must answer every call: a child ending with SIGSYS is a handler that failed inside.
 *
 * usage: sysfuzz_each SEED ITER [FIRST LAST]  */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096L

/* Calls that would end the machine's other processes: they are still made, with a pid that is
 * the child's own (kill(-1) would reach the parent, and Linux's answer to that is right). */
static const long signalling[] = {SYS_kill, SYS_tkill, SYS_tgkill, SYS_rt_sigqueueinfo,
                                  SYS_rt_tgsigqueueinfo, SYS_ptrace, SYS_setpgid,
                                  SYS_prlimit64, SYS_process_vm_writev,
#ifdef SYS_pidfd_open
                                  SYS_pidfd_open,
#endif
#ifdef SYS_waitpid
                                  SYS_waitpid,
#endif
                                  SYS_wait4, SYS_waitid};

static unsigned long long rng;

static unsigned long next(void)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned long)(rng >> 17);
}

static long values[96];
static int nvalues;

static void add(long v)
{
    values[nvalues++] = v;
}

static void setup_values(void)
{
    char *area = mmap(NULL, 6 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *rw = area, *none = area + PAGE, *ro = area + 2 * PAGE, *edge = area + 3 * PAGE;
    char *gone = area + 4 * PAGE;
    memset(rw, 0x41, PAGE);
    strcpy(ro, "/tmp/fz");
    for (int i = 0; i < PAGE; i += 8)       /* random-looking bytes a struct read may take */
        *(unsigned long *)(edge + i) = next() * 2654435761UL;
    mprotect(none, PAGE, PROT_NONE);
    mprotect(ro, PAGE, PROT_READ);
    munmap(gone, 2 * PAGE);
    struct iovec *iov = (struct iovec *)(rw + 2048);
    iov[0] = (struct iovec){rw, 16};
    iov[1] = (struct iovec){(void *)0x1000, 16};
    iov[2] = (struct iovec){none, PAGE};
    iov[3] = (struct iovec){edge + PAGE - 8, 64};
    iov[4] = (struct iovec){rw, (size_t)-1 / 2};
    struct msghdr *msg = (struct msghdr *)(rw + 1024);
    *msg = (struct msghdr){.msg_name = edge + PAGE - 4, .msg_namelen = 128, .msg_iov = iov,
                           .msg_iovlen = 5, .msg_control = ro, .msg_controllen = 4096};
    char **argvish = (char **)(rw + 3072);
    argvish[0] = "/dev/null";
    argvish[1] = (char *)0x1000;
    argvish[2] = none;
    argvish[3] = NULL;

    add(0); add(1); add(2); add(3); add(-1); add(-2); add(7); add(16); add(64);
    add(0x7fffffff); add((long)0x80000000UL); add((long)0xffffffffUL); add(-4096); add(4096);
    add(65536); add(-100 /* AT_FDCWD */);
    add(0x1000); add((long)0xc0000000UL);
#if __SIZEOF_LONG__ == 8
    add((long)0xffff800000000000UL); add(0x7fffffffffffffffL); add((long)0x8000000000000000UL);
    add(1L << 40); add(0x00007ffffffff000L);
#endif
    add((long)rw); add((long)rw + 4000); add((long)none); add((long)ro);
    add((long)edge + PAGE - 8); add((long)edge + PAGE - 1); add((long)gone);
    add((long)edge); add((long)iov); add((long)msg); add((long)argvish);
    add((long)"/"); add((long)"/tmp"); add((long)"/dev/null"); add((long)"fz");
    add((long)"/proc/self/maps"); add((long)"/tmp/fz/../../..");
    add((long)"\x01\x02");
    /* Descriptors of every kind the runtime keeps. */
    int p[2], s[2];
    add(open("/tmp/fzfile", O_RDWR | O_CREAT, 0644));
    add(open("/tmp", O_RDONLY | O_DIRECTORY));
    add(open("/", O_PATH));
    if (pipe(p) == 0) { add(p[0]); add(p[1]); }
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, s) == 0) { add(s[0]); add(s[1]); }
    if (socketpair(AF_UNIX, SOCK_DGRAM, 0, s) == 0) add(s[0]);
    add(socket(AF_INET, SOCK_STREAM, 0));
    add(socket(AF_INET6, SOCK_DGRAM, 0));
    add(socket(AF_NETLINK, SOCK_RAW, 0));
    add(eventfd(3, EFD_NONBLOCK));
    add(epoll_create1(0));
    add(syscall(SYS_timerfd_create, CLOCK_MONOTONIC, 0));
    add(syscall(SYS_memfd_create, "fz", 0));
    add(syscall(SYS_inotify_init1, 0));
    int ptmx = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_NONBLOCK);
    if (ptmx >= 0) {
        unsigned n = 0, unlock = 0;
        ioctl(ptmx, TIOCSPTLCK, &unlock);
        ioctl(ptmx, TIOCGPTN, &n);
        char name[32];
        snprintf(name, sizeof name, "/dev/pts/%u", n);
        add(ptmx);
        add(open(name, O_RDWR | O_NOCTTY | O_NONBLOCK));
    }
#ifdef SYS_pidfd_open
    add(syscall(SYS_pidfd_open, getpid(), 0));
#endif
}

/* Requests the runtime knows (tty, socket, block, file and pidfd ioctls): a random number
   would almost never be one */
static const unsigned long ioctls[] = {0x1260, 0x1261, 0x1268, 0x40045431, 0x40046602,
    0x40049409, 0x40086602, 0x4020940D, 0x5401, 0x5402, 0x5403, 0x5404, 0x5405, 0x5406, 0x5407,
    0x5408, 0x5409, 0x540A, 0x540B, 0x540C, 0x540D, 0x540E, 0x540F, 0x5410, 0x5411, 0x5413,
    0x5414, 0x5415, 0x5416, 0x5417, 0x5418, 0x541B, 0x541C, 0x541D, 0x5420, 0x5421, 0x5422,
    0x5423, 0x5424, 0x5425, 0x5427, 0x5428, 0x5429, 0x542A, 0x5432, 0x5441, 0x5450, 0x5451,
    0x5452, 0x5456, 0x5457, 0x80045430, 0x80045432, 0x80045438, 0x80045439, 0x80046601,
    0x80086601, 0x80108907, 0x8905, 0x8906, 0x890B, 0x890C, 0x8910, 0x8912, 0x8913, 0x8914,
    0x8915, 0x8916, 0x8918, 0x8919, 0x891A, 0x891B, 0x891C, 0x891D, 0x891E, 0x8921, 0x8922,
    0x8923, 0x8924, 0x8927, 0x8933, 0x8936, 0x8942, 0x8943, 0xC0ED0000, 0x4B3A, 0x4B33,
    0x5600, 0x5601, 0x5603, 0x5606, 0xFF01, 0x94C9, 0xC0189436, 0x40086607, 0x80086602};
static const int levels[] = {0, 1, 6, 17, 41, 58, 255, 263, 270, 273, 274, 280, 281, 136};

/* The argument that selects what a multiplexing call does, drawn from what it knows. */
static void pick_operation(long nr, long *a)
{
    if (nr == SYS_ioctl && next() % 4)
        a[1] = (long)ioctls[next() % (sizeof ioctls / sizeof ioctls[0])];
    else if (nr == SYS_fcntl && next() % 4)
        a[1] = next() % 2 ? next() % 48 : 1024 + next() % 20;
    else if ((nr == SYS_setsockopt || nr == SYS_getsockopt) && next() % 4)
        a[1] = levels[next() % (sizeof levels / sizeof levels[0])], a[2] = next() % 80;
    else if (nr == SYS_prctl && next() % 4)
        a[0] = next() % 80;
    else if ((nr == SYS_socket || nr == SYS_socketpair) && next() % 4)
        a[0] = next() % 46, a[1] = (next() % 11) | (next() % 2 ? 0x80800 : 0),
        a[2] = next() % 3 ? 0 : next() % 300;
#ifdef SYS_fcntl64
    else if (nr == SYS_fcntl64 && next() % 4)
        a[1] = next() % 2 ? next() % 48 : 1024 + next() % 20;
#endif
}

static int is_signalling(long nr)
{
    for (unsigned i = 0; i < sizeof signalling / sizeof signalling[0]; i++)
        if (signalling[i] == nr)
            return 1;
    return 0;
}

static long draw(void)
{
    switch (next() % 8) {
    case 0: return (long)next() * (long)(next() | 1);
    case 1: return (long)(next() % 4096);
    default: return values[next() % nvalues];
    }
}

static void child(long nr, int iter)
{
    int null = open("/dev/null", O_RDWR);
    dup2(null, 0); dup2(null, 1); dup2(null, 2);
    setpgid(0, 0);
    for (int sig = 1; sig < 65; sig++)
        if (sig != SIGKILL && sig != SIGSTOP)
            signal(sig, SIG_IGN);
    /* SIGSYS stays ignored: the runtime ends a process whose handler failed with it all the
       same, and a kill(self, SIGSYS) the fuzzer made is not mistaken for one */
    signal(SIGSEGV, SIG_DFL); signal(SIGBUS, SIG_DFL); signal(SIGILL, SIG_DFL);
    signal(SIGFPE, SIG_DFL);
    signal(SIGALRM, SIG_DFL);     /* alarm() with a random count ends the child, not a hang */
    /* The host's disk is the guest's: files stop at 16 MiB (the limit stays: setrlimit and
       prlimit64 leave RLIMIT_FSIZE alone, fallocate asks for at most 16 MiB, which
       FALLOC_FL_KEEP_SIZE allocates past the limit, as on Linux) */
    struct rlimit fsize = {16 << 20, 16 << 20};
    setrlimit(RLIMIT_FSIZE, &fsize);
    pid_t self = getpid();
    for (int i = 0; i < iter; i++) {
        long a[6];
        for (int k = 0; k < 6; k++)
            a[k] = draw();
        pick_operation(nr, a);
        if (is_signalling(nr)) {
            /* the pid argument (first for most, second for tgkill's tid, process_vm's first)
               is the child itself or its own group */
            a[0] = next() % 2 ? self : 0;
            if (nr == SYS_tgkill || nr == SYS_rt_tgsigqueueinfo)
                a[0] = self, a[1] = self;
            if (nr == SYS_ptrace || nr == SYS_waitid || nr == SYS_prlimit64)
                a[1] = self;
            if (nr == SYS_waitid)
                a[0] = next() % 2;          /* P_ALL or P_PID: never P_PGID of another */
        }
        if ((nr == SYS_setrlimit || nr == SYS_prlimit64) && (a[0] == RLIMIT_FSIZE ||
                                                             a[1] == RLIMIT_FSIZE))
            continue;
        if (nr == SYS_fallocate) {
#if __SIZEOF_LONG__ == 8
            a[3] &= 0xffffff;
#else
            a[4] &= 0xffffff, a[5] = 0;       /* (fd, mode, offset lo, hi, len lo, hi) */
#endif
        }
        if (nr == SYS_exit || nr == SYS_exit_group)
            if (i + 1 < iter)
                continue;
        syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
    }
    _exit(0);
}

int main(int argc, char **argv)
{
    unsigned seed = argc > 1 ? (unsigned)atoi(argv[1]) : 1;
    int iter = argc > 2 ? atoi(argv[2]) : 20;
    long first = argc > 3 ? atol(argv[3]) : 0, last = argc > 4 ? atol(argv[4]) : 460;
    mkdir("/tmp", 0777);
    rng = seed;
    setup_values();
    int ended[6] = {0};      /* finished, exited early, signal, timed out, SIGSYS, no fork */
    for (long nr = first; nr <= last; nr++) {
        rng = (unsigned long long)seed * 1000003ULL + (unsigned long long)nr;
        pid_t pid = fork();
        if (pid < 0) {
            ended[5]++;
            continue;
        }
        if (pid == 0)
            child(nr, iter);
        int status = 0, waited = 0;
        for (int tick = 0; tick < 50; tick++) {         /* half a second of the machine's time */
            pid_t got = waitpid(pid, &status, WNOHANG);
            if (got == pid) { waited = 1; break; }
            struct timespec ts = {0, 10 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
        if (!waited) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            ended[3]++;
        } else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS) {
            ended[4]++;
            printf("call %ld: SIGSYS\n", nr);
        } else if (WIFSIGNALED(status)) {
            ended[2]++;
        } else {
            ended[WEXITSTATUS(status) == 0 ? 0 : 1]++;
        }
        kill(-pid, SIGKILL);                 /* whatever the child left running */
        while (waitpid(-1, &status, WNOHANG) > 0)
            ;
    }
    printf("finished %d, exited %d, signalled %d, timed out %d, sigsys %d, no fork %d\n",
           ended[0], ended[1], ended[2], ended[3], ended[4], ended[5]);
    return ended[4] != 0;
}
