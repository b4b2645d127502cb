/* The tracing half of ptrace, as strace and gdb use it: PTRACE_TRACEME and the stop it
 * waits in, PTRACE_SETOPTIONS (TRACESYSGOOD, TRACEEXIT), PTRACE_SYSCALL's entry and exit
 * stops with PTRACE_GET_SYSCALL_INFO and orig_ax, a call skipped and one changed by writing
 * orig_ax and ax (SETREGS, POKEUSER), PTRACE_SINGLESTEP, PTRACE_EVENT_EXIT and the exit the
 * tracer's wait reports; then PTRACE_SEIZE, PTRACE_INTERRUPT and a fork auto-attached with
 * PTRACE_O_TRACEFORK (PTRACE_GETEVENTMSG names the child). Prints what happened, no
 * addresses or pids: the output is the same on Linux and here. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PTRACE_GET_SYSCALL_INFO
#define PTRACE_GET_SYSCALL_INFO 0x420e
#endif
#ifndef PTRACE_EVENT_STOP
#define PTRACE_EVENT_STOP 128
#endif

struct info {                 /* struct ptrace_syscall_info */
    unsigned char op, pad[3];
    unsigned int arch;
    unsigned long long ip, sp;
    union {
        struct { unsigned long long nr, args[6]; } entry;
        struct { long long rval; unsigned char is_error; } exit;
    };
};

#if defined(__x86_64__)
#define AX rax
#define ORIG_AX orig_rax
#define IP rip
#else
#define AX eax
#define ORIG_AX orig_eax
#define IP eip
#endif

static const char *stop(int status)
{
    static char text[64];
    if (WIFEXITED(status))
        snprintf(text, sizeof text, "exited %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(text, sizeof text, "killed %d", WTERMSIG(status));
    else if (status >> 16)
        snprintf(text, sizeof text, "event %d sig %d", status >> 16, WSTOPSIG(status));
    else
        snprintf(text, sizeof text, "stopped %#x", WSTOPSIG(status));
    return text;
}

static int next_stop(pid_t pid, int request, int sig)
{
    int status;
    if (ptrace(request, pid, 0, sig) < 0)
        perror("resume");
    if (waitpid(pid, &status, __WALL) != pid)
        perror("waitpid");
    return status;
}

/* Runs until the call nr's entry stop (the calls before it are let through). */
static int to_entry(pid_t pid, long nr)
{
    for (;;) {
        int status = next_stop(pid, PTRACE_SYSCALL, 0);
        if (!WIFSTOPPED(status))
            return status;
        struct info info;
        memset(&info, 0xff, sizeof info);
        long size = ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof info, &info);
        if (size > 0 && info.op == 1 && info.entry.nr == (unsigned long long)nr)
            return status;
    }
}

static void traced_child(void)
{
    ptrace(PTRACE_TRACEME, 0, 0, 0);
    raise(SIGSTOP);
    syscall(SYS_getppid);                 /* traced: entry and exit */
    long skipped = syscall(SYS_getpid);   /* the tracer skips it: 42 */
    long changed = syscall(SYS_getuid);   /* the tracer makes it getpid */
    char line[80];
    int n = snprintf(line, sizeof line, "child: skipped call gave %ld, changed call gave its "
                     "pid: %d\n", skipped, changed == getpid());
    syscall(SYS_write, 1, line, n);       /* (musl's stdio writes with writev) */
    volatile int x = 1;
    x += 2;                                /* single-stepped */
    _exit(x + 4);
}

static void syscall_stops(void)
{
    pid_t pid = fork();
    if (pid == 0)
        traced_child();
    int status;
    waitpid(pid, &status, 0);
    printf("first stop: %s\n", stop(status));
    if (ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXIT) < 0)
        perror("SETOPTIONS");
    struct info info;
    long size = ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof info, &info);
    printf("signal stop info: size %ld op %d\n", size, info.op);

    status = to_entry(pid, SYS_getppid);
    size = ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof info, &info);
    struct user_regs_struct regs;
    ptrace(PTRACE_GETREGS, pid, 0, &regs);
    printf("getppid entry: %s size %ld op %d nr ok %d orig_ax ok %d ax %ld ip matches %d\n",
           stop(status), size, info.op, info.entry.nr == SYS_getppid,
           (long)regs.ORIG_AX == SYS_getppid, (long)regs.AX,
           info.ip == (unsigned long long)regs.IP);
    status = next_stop(pid, PTRACE_SYSCALL, 0);
    size = ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof info, &info);
    ptrace(PTRACE_GETREGS, pid, 0, &regs);
    printf("getppid exit: %s size %ld op %d rval ok %d is_error %d orig_ax ok %d\n",
           stop(status), size, info.op, info.exit.rval == getpid(), info.exit.is_error,
           (long)regs.ORIG_AX == SYS_getppid);

    /* skip getpid: orig_ax -1 (POKEUSER), the result 42 (SETREGS) */
    to_entry(pid, SYS_getpid);
    ptrace(PTRACE_POKEUSER, pid, offsetof(struct user_regs_struct, ORIG_AX), -1L);
    ptrace(PTRACE_GETREGS, pid, 0, &regs);
    regs.AX = 42;
    ptrace(PTRACE_SETREGS, pid, 0, &regs);
    status = next_stop(pid, PTRACE_SYSCALL, 0);
    size = ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof info, &info);
    printf("skipped call's exit: %s op %d rval %lld\n", stop(status), info.op,
           info.exit.rval);

    /* getuid becomes getpid */
    to_entry(pid, SYS_getuid);
    ptrace(PTRACE_GETREGS, pid, 0, &regs);
    regs.ORIG_AX = SYS_getpid;
    ptrace(PTRACE_SETREGS, pid, 0, &regs);
    status = next_stop(pid, PTRACE_SYSCALL, 0);
    size = ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof info, &info);
    printf("changed call's exit: %s rval is the pid %d\n", stop(status),
           info.exit.rval == pid);

    /* to the write's exit, then single steps until the exit_group's entry */
    to_entry(pid, SYS_write);
    next_stop(pid, PTRACE_SYSCALL, 0);
    int steps = 0, moved = 0;
    unsigned long last = 0;
    for (; steps < 100000; steps++) {
        status = next_stop(pid, PTRACE_SINGLESTEP, 0);
        if (!WIFSTOPPED(status) || WSTOPSIG(status) != SIGTRAP || status >> 16)
            break;
        siginfo_t si;
        ptrace(PTRACE_GETSIGINFO, pid, 0, &si);
        ptrace(PTRACE_GETREGS, pid, 0, &regs);
        moved += regs.IP != last;
        last = regs.IP;
        if (si.si_code != 2 /* TRAP_TRACE */ && si.si_code != 0x80)
            printf("step %d: si_code %d\n", steps, si.si_code);
    }
    printf("single steps: several %d, each moved on %d, then %s\n", steps > 10,
           moved == steps, stop(status));
    unsigned long msg = 0;
    ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg);
    printf("exit event message: %#lx\n", msg);
    status = next_stop(pid, PTRACE_CONT, 0);
    printf("end: %s\n", stop(status));
}

static void seize_and_fork(void)
{
    int go[2];
    pipe(go);
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        read(go[0], &c, 1);               /* blocked when interrupted: restarts */
        pid_t child = fork();
        if (child == 0)
            _exit(7);
        int status;
        waitpid(child, &status, 0);
        _exit(WEXITSTATUS(status) + 1);
    }
    printf("seize: %d\n", (int)ptrace(PTRACE_SEIZE, pid, 0, PTRACE_O_TRACEFORK));
    usleep(100000);
    printf("interrupt: %d\n", (int)ptrace(PTRACE_INTERRUPT, pid, 0, 0));
    int status;
    waitpid(pid, &status, 0);
    printf("after interrupt: %s\n", stop(status));
    ptrace(PTRACE_CONT, pid, 0, 0);
    write(go[1], "x", 1);
    waitpid(pid, &status, 0);
    unsigned long child = 0;
    ptrace(PTRACE_GETEVENTMSG, pid, 0, &child);
    printf("fork: %s\n", stop(status));
    int cstatus;
    waitpid(child, &cstatus, __WALL);
    printf("new child: %s\n", stop(cstatus));
    ptrace(PTRACE_CONT, child, 0, 0);
    ptrace(PTRACE_CONT, pid, 0, 0);
    waitpid(child, &cstatus, __WALL);
    printf("new child: %s\n", stop(cstatus));
    waitpid(pid, &status, 0);
    while (WIFSTOPPED(status)) {          /* SIGCHLD: a signal-delivery stop, passed on */
        printf("stop: %s\n", stop(status));
        ptrace(PTRACE_CONT, pid, 0, status >> 16 ? 0 : WSTOPSIG(status));
        waitpid(pid, &status, 0);
    }
    printf("end: %s\n", stop(status));
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    syscall_stops();
    seize_and_fork();
    return 0;
}
