/* Call system calls with random numbers and random arguments (pointers into a scratch page,
 * wild pointers, small and huge integers), skipping the ones that would end, replace or stall
 * the process. The kernel must answer every call; the test checks it never fails inside. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static const long skip[] = {SYS_exit, SYS_exit_group, SYS_kill, SYS_tkill, SYS_tgkill,
    SYS_fork, SYS_vfork, SYS_clone, SYS_clone3, SYS_execve, SYS_execveat, SYS_rt_sigreturn,
    SYS_pause, SYS_rt_sigsuspend, SYS_rt_sigtimedwait, SYS_nanosleep, SYS_clock_nanosleep, SYS_select,
    SYS_pselect6, SYS_poll, SYS_ppoll, SYS_futex, SYS_read, SYS_readv, SYS_pread64,
    SYS_wait4, SYS_waitid, SYS_munmap, SYS_mprotect, SYS_mremap, SYS_brk, SYS_mmap,
    SYS_rt_sigaction, SYS_rt_sigprocmask, SYS_sigaltstack, SYS_alarm, SYS_setitimer,
    SYS_arch_prctl, SYS_set_tid_address, SYS_close, SYS_dup2, SYS_dup3, SYS_exit,
    SYS_unlink, SYS_unlinkat, SYS_rmdir, SYS_rename, SYS_renameat, SYS_renameat2,
    SYS_chdir, SYS_fchdir, SYS_setsid, SYS_setpgid, SYS_prctl, SYS_sched_yield, SYS_sendfile,
    SYS_write, SYS_writev, SYS_pwrite64, SYS_ftruncate, SYS_truncate, SYS_open, SYS_openat,
    SYS_creat, SYS_mkdir, SYS_mkdirat, SYS_symlink, SYS_symlinkat, SYS_link, SYS_linkat,
    SYS_chmod, SYS_fchmod, SYS_fchmodat, SYS_utimensat,
    SYS_setrlimit, SYS_prlimit64,    /* RLIMIT_CPU's hard limit ends a process with SIGKILL */
    SYS_rt_sigqueueinfo, SYS_rt_tgsigqueueinfo, SYS_pidfd_send_signal, SYS_close_range,
#ifdef SYS_futex_waitv
    SYS_futex_waitv,
#endif
    /* Waits on a message queue, a semaphore or a pipe, a timer's signal (as on Linux) */
    SYS_msgsnd, SYS_msgrcv, SYS_splice, SYS_tee, SYS_copy_file_range, SYS_timer_settime,
#ifdef SYS_semop
    SYS_semop, SYS_semtimedop,
#endif
#ifdef SYS_ipc
    SYS_ipc, SYS_semtimedop_time64, SYS_timer_settime64,
#endif
#ifdef SYS_sigreturn   /* i386's own calls that end or rewire the process */
    SYS_sigreturn, SYS_mmap2, SYS_set_thread_area, SYS_sigaction, SYS_signal,
    SYS_sigsuspend, SYS__newselect, SYS_waitpid, SYS_sigprocmask, SYS_ssetmask,
    SYS_clock_nanosleep_time64, SYS_pselect6_time64, SYS_ppoll_time64, SYS_futex_time64,
    SYS_rt_sigtimedwait_time64,
    SYS_mmap,
#endif
};

static int skipped(long nr)
{
    for (unsigned i = 0; i < sizeof skip / sizeof skip[0]; i++)
        if (skip[i] == nr)
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    static char scratch[8192];
    unsigned seed = argc > 1 ? (unsigned)atoi(argv[1]) : 1;
    srand(seed);
    long interesting[] = {0, 1, 2, -1, 0x7fffffff, 0x80000000L, -4096, 4096, 65536,
                          (long)scratch, (long)scratch + 4000, 0x10, 0xffff800000000000L,
                          (long)"/", (long)"/dev/null", (long)argv};
    int n = sizeof interesting / sizeof interesting[0];
    int calls = 0;
    for (int i = 0; i < 3000; i++) {
        long nr = rand() % 460;
        if (skipped(nr))
            continue;
        long a[6];
        for (int k = 0; k < 6; k++)
            a[k] = rand() % 4 ? interesting[rand() % n] : (long)rand();
        syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
        calls++;
    }
    printf("%d calls answered\n", calls);
    return 0;
}
