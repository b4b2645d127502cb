/* ptrace's attach-and-inspect part, as a parent uses it on its child (and LeakSanitizer's
 * tracer on its own parent): PTRACE_ATTACH stops the tracee with SIGSTOP, seen by the
 * tracer's waitpid; its memory is peeked and poked and its registers read while it is
 * stopped; a signal sent to it stops it for the tracer first (PTRACE_GETSIGINFO tells
 * which), PTRACE_CONT passes it on or not; PTRACE_DETACH lets it go, and the read it was
 * blocked in goes on as if nothing had happened. It was ENOSYS. */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef __x86_64__
#define SP(r) ((r).rsp)
#else
#define SP(r) ((r).esp)
#endif

static volatile long marker = 1;
static volatile sig_atomic_t got_usr1;

static void on_usr1(int sig)
{
    (void)sig;
    got_usr1 = 1;
}

static int err(long r)
{
    return r == -1 ? errno : 0;
}

static void stop_report(const char *what, pid_t c)
{
    int st = 0;
    pid_t w = waitpid(c, &st, 0);
    printf("%s: %s stopped %d sig %d\n", what, w == c ? "child" : "other", WIFSTOPPED(st),
           WIFSTOPPED(st) ? WSTOPSIG(st) : -1);
}

int main(void)
{
    int to_child[2], to_parent[2];
    if (pipe(to_child) || pipe(to_parent))
        return 1;
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        signal(SIGUSR1, on_usr1);      /* SA_RESTART: the read goes on after the handler */
        marker = 0x5eed;
        long here = 0;
        long addr = (long)&here;
        write(to_parent[1], &addr, sizeof addr);
        char b = '-';
        ssize_t n = read(to_child[0], &b, 1);
        printf("child: read %zd '%c' errno %d marker %#lx usr1 %d\n", n, b,
               n < 0 ? errno : 0, (unsigned long)marker, (int)got_usr1);
        fflush(stdout);
        _exit(3);
    }
    long child_local = 0;
    read(to_parent[0], &child_local, sizeof child_local);
    usleep(100000);                    /* the child waits in its read */

    printf("attach to itself: %d\n", err(ptrace(PTRACE_ATTACH, getpid(), 0, 0)));
    errno = 0;
    ptrace(PTRACE_PEEKDATA, c, &marker, 0);
    printf("peek before attaching: %d\n", errno);
    printf("attach: %d\n", err(ptrace(PTRACE_ATTACH, c, 0, 0)));
    stop_report("attach stop", c);
    printf("attach again: %d\n", err(ptrace(PTRACE_ATTACH, c, 0, 0)));
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)c);
    FILE *f = fopen(path, "r");
    while (f && fgets(line, sizeof line, f)) {
        int tracer;
        if (!strncmp(line, "State:", 6))
            printf("%s", line);
        else if (sscanf(line, "TracerPid: %d", &tracer) == 1)
            printf("TracerPid is the tracer: %d\n", tracer == getpid());
    }
    if (f)
        fclose(f);

    errno = 0;
    long v = ptrace(PTRACE_PEEKDATA, c, &marker, 0);
    printf("peek: %#lx errno %d (the tracer's own: %#lx)\n", (unsigned long)v, errno,
           (unsigned long)marker);
    printf("poke: %d\n", err(ptrace(PTRACE_POKEDATA, c, &marker, (void *)0xbeefL)));
    errno = 0;
    v = ptrace(PTRACE_PEEKTEXT, c, &marker, 0);
    printf("peek after poke: %#lx\n", (unsigned long)v);
    errno = 0;
    ptrace(PTRACE_PEEKDATA, c, (void *)8, 0);
    printf("peek at 8: %d\n", errno);

    struct user_regs_struct regs, set;
    memset(&regs, 0, sizeof regs);
    printf("getregs: %d\n", err(ptrace(PTRACE_GETREGS, c, 0, &regs)));
    unsigned long sp = SP(regs);
    printf("sp just below the child's local: %d\n",
           sp <= (unsigned long)child_local && (unsigned long)child_local - sp < 65536);
    memset(&set, 0, sizeof set);
    struct iovec io = {&set, sizeof set};
    int e = err(ptrace(PTRACE_GETREGSET, c, (void *)NT_PRSTATUS, &io));
    printf("getregset prstatus: %d, full size %d, same sp %d\n", e, io.iov_len == sizeof set,
           SP(set) == sp);
    printf("getregset 0x999: %d\n", err(ptrace(PTRACE_GETREGSET, c, (void *)0x999, &io)));

    kill(c, SIGUSR1);                  /* pending while it is stopped */
    printf("cont: %d\n", err(ptrace(PTRACE_CONT, c, 0, 0)));
    stop_report("signal stop", c);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    e = err(ptrace(PTRACE_GETSIGINFO, c, 0, &si));
    printf("getsiginfo: %d signo %d code %d from us %d\n", e, si.si_signo, si.si_code,
           si.si_pid == getpid());
    printf("cont with it: %d\n", err(ptrace(PTRACE_CONT, c, 0, (void *)SIGUSR1)));
    usleep(100000);                    /* its handler runs; its read waits again */
    errno = 0;
    ptrace(PTRACE_PEEKDATA, c, &marker, 0);
    printf("peek while it runs: %d\n", errno);
    printf("detach while it runs: %d\n", err(ptrace(PTRACE_DETACH, c, 0, 0)));
    kill(c, SIGSTOP);
    stop_report("sigstop stop", c);
    printf("cont with a bad signal: %d\n", err(ptrace(PTRACE_CONT, c, 0, (void *)100)));
    printf("detach: %d\n", err(ptrace(PTRACE_DETACH, c, 0, 0)));
    errno = 0;
    ptrace(PTRACE_PEEKDATA, c, &marker, 0);
    printf("peek after detach: %d\n", errno);
    fflush(stdout);

    write(to_child[1], "x", 1);
    int st = 0;
    waitpid(c, &st, 0);
    printf("child exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st));
    return 0;
}
