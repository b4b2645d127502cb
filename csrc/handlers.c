/* System calls simple and hot enough to answer in C, without entering Python.
 * The runtime keeps cpu->pid, tid and ppid current across context switches. */
#include "sysvec.h"

#include <errno.h>
#include <signal.h>
#include <sys/random.h>
#include <time.h>

#ifndef GRND_INSECURE
#define GRND_INSECURE 4   /* Linux 5.6 */
#endif
#define FUTEX_WAKE 1
#define FUTEX_PRIVATE 128
#define NO_SHARED_PAGE 0xffffffffu   /* sv_as_shared_page: not a MAP_SHARED page */
#define TASK_SIZE_MAX 0x7ffffffff000ull   /* x86-64's user address limit */
#define UNBLOCKABLE ((1ull << (SIGKILL - 1)) | (1ull << (SIGSTOP - 1)))
#define SIGNALS 64   /* the actions runtime/pcb.py's SigActions keeps: signals 1..NSIG */

int64_t sv_c_getpid(sv_cpu *cpu, const uint64_t *args)
{
    (void)args;
    return cpu->pid;
}

int64_t sv_c_getppid(sv_cpu *cpu, const uint64_t *args)
{
    (void)args;
    return cpu->ppid;
}

int64_t sv_c_gettid(sv_cpu *cpu, const uint64_t *args)
{
    (void)args;
    return cpu->tid;
}

/* --- time: the host's clocks, as the Python handlers of runtime/linux/time.py read them ------ */

/* The host clock behind a Linux clock id (the mapping of time.py's _clock); -1: none. */
static clockid_t host_clock(uint64_t clk)
{
    switch (clk) {
    case 0: case 5: case 8: case 11:   /* REALTIME, REALTIME_COARSE, REALTIME_ALARM, TAI */
        return CLOCK_REALTIME;
    case 2: case 3:                    /* process and thread CPU time: the machine's */
        return CLOCK_PROCESS_CPUTIME_ID;
    default:
        return clk <= 11 ? CLOCK_MONOTONIC : (clockid_t)-1;
    }
}

/* Copy a value out to the guest as copy_to_user would: -EFAULT (the table's) or -ENOMEM. */
static int64_t copy_out(sv_cpu *cpu, uint64_t addr, const void *buf, uint64_t len)
{
    int rc = sv_as_write(cpu->aspace, addr, buf, len);
    if (rc == 0)
        return 0;
    return rc == -2 ? -ENOMEM : cpu->table->efault_result;
}

/* Copy a value in from the guest as copy_from_user would: -EFAULT (the table's) or -ENOMEM. */
static int64_t copy_in(sv_cpu *cpu, uint64_t addr, void *buf, uint64_t len)
{
    int rc = sv_as_read(cpu->aspace, addr, buf, len);
    if (rc == 0)
        return 0;
    return rc == -2 ? -ENOMEM : cpu->table->efault_result;
}

/* A pair of words (timespec, timeval) in the table's word size. */
static int64_t copy_out_pair(sv_cpu *cpu, uint64_t addr, int64_t a, int64_t b)
{
    if (cpu->table->word_size == 8) {
        int64_t v[2] = {a, b};
        return copy_out(cpu, addr, v, sizeof v);
    }
    int32_t v[2] = {(int32_t)a, (int32_t)b};
    return copy_out(cpu, addr, v, sizeof v);
}

int64_t sv_c_clock_gettime(sv_cpu *cpu, const uint64_t *args)
{
    if ((int32_t)args[0] < 0)          /* a process's or thread's CPU clock: by id, in Python */
        return SV_DECLINE;
    clockid_t id = host_clock(args[0]);
    struct timespec ts;
    if (id == (clockid_t)-1)
        return -EINVAL;
    clock_gettime(id, &ts);
    return copy_out_pair(cpu, args[1], ts.tv_sec, ts.tv_nsec);
}

int64_t sv_c_gettimeofday(sv_cpu *cpu, const uint64_t *args)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (args[0]) {
        int64_t rc = copy_out_pair(cpu, args[0], ts.tv_sec, ts.tv_nsec / 1000);
        if (rc)
            return rc;
    }
    if (args[1]) {
        int32_t tz[2] = {0, 0};   /* minutes west, dst: UTC */
        return copy_out(cpu, args[1], tz, sizeof tz);
    }
    return 0;
}

/* brk(0) and brk(the break): the break, as runtime/mm.py keeps it; a move is Python's. */
int64_t sv_c_brk(sv_cpu *cpu, const uint64_t *args)
{
    uint64_t brk = cpu->aspace->brk;
    return args[0] == 0 || args[0] == brk ? (int64_t)brk : SV_DECLINE;
}

/* getrandom: the host's pool, as urandom; GRND_RANDOM and GRND_NONBLOCK never wait here. */
int64_t sv_c_getrandom(sv_cpu *cpu, const uint64_t *args)
{
    uint32_t flags = (uint32_t)args[2];
    uint64_t count = args[1], done = 0;
    uint8_t chunk[256];
    if ((flags & ~(uint32_t)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) ||
        (flags & (GRND_RANDOM | GRND_INSECURE)) == (GRND_RANDOM | GRND_INSECURE))
        return -EINVAL;
    if (count > (1u << 25))
        count = 1u << 25;   /* a short read, as a signal would make one */
    while (done < count) {
        size_t want = count - done < sizeof chunk ? (size_t)(count - done) : sizeof chunk;
        ssize_t got = getrandom(chunk, want, 0);
        if (got <= 0)
            return done ? (int64_t)done : -errno;
        int64_t rc = copy_out(cpu, args[0] + done, chunk, (uint64_t)got);
        if (rc)
            return done ? (int64_t)done : rc;
        done += (uint64_t)got;
    }
    return (int64_t)done;
}

int64_t sv_c_time(sv_cpu *cpu, const uint64_t *args)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (args[0]) {
        int64_t now = ts.tv_sec;
        int64_t rc = copy_out(cpu, args[0], &now, cpu->table->word_size);
        if (rc)
            return rc;
    }
    return ts.tv_sec;
}

/* futex(FUTEX_WAKE) while no thread of the machine waits on any futex: nothing to wake, 0,
 * after the checks Linux's get_futex_key makes: an aligned user address, and for a shared
 * futex a readable mapping with a page behind it (a private one is keyed by address alone).
 * A word in a shared page (whose file may have shrunk), other operations and flags, and any
 * wake while someone waits are Python's (runtime/linux/misc.py). */
int64_t sv_c_futex(sv_cpu *cpu, const uint64_t *args)
{
    uint32_t op = (uint32_t)args[1];
    if ((op & ~(uint32_t)FUTEX_PRIVATE) != FUTEX_WAKE || !cpu->futex_waiting ||
        *cpu->futex_waiting)
        return SV_DECLINE;
    uint64_t uaddr = args[0];
    if (uaddr % 4)
        return -EINVAL;
    if (uaddr + 4 > TASK_SIZE_MAX)   /* access_ok: every 32-bit address passes */
        return -EFAULT;
    if (op & FUTEX_PRIVATE)
        return 0;
    if (sv_as_shared_page(cpu->aspace, uaddr) != NO_SHARED_PAGE)
        return SV_DECLINE;
    uint32_t prot = 0;
    if (sv_as_query(cpu->aspace, uaddr, &prot) != 0 || !(prot & SV_PROT_R) ||
        sv_as_sigbus(cpu->aspace, uaddr))
        return -EFAULT;
    return 0;
}

/* rt_sigprocmask, in Linux's order: the set's size, the new set read (SIGKILL and SIGSTOP never
 * blocked), how, the old mask written. A change that unblocks a pending signal is Python's:
 * the signal is delivered on the way back to the guest. */
int64_t sv_c_rt_sigprocmask(sv_cpu *cpu, const uint64_t *args)
{
    uint64_t *words = cpu->signal_words;   /* [0] blocked, [1] pending */
    if (!words)
        return SV_DECLINE;
    if (args[3] != sizeof(uint64_t))
        return -EINVAL;
    uint64_t old = words[0], mask = old;
    if (args[1]) {
        uint64_t set;
        int64_t rc = copy_in(cpu, args[1], &set, sizeof set);
        if (rc)
            return rc;
        switch (args[0]) {
        case SIG_BLOCK: mask |= set; break;
        case SIG_UNBLOCK: mask &= ~set; break;
        case SIG_SETMASK: mask = set; break;
        default: return -EINVAL;
        }
        mask &= ~UNBLOCKABLE;
        if (words[1] & ~mask)
            return SV_DECLINE;
        words[0] = mask;
    }
    return args[2] ? copy_out(cpu, args[2], &old, sizeof old) : 0;
}

/* rt_sigaction when it only asks (no new action): the set's size and the signal checked as
 * Linux does, then the action as the process's copy of them holds it (runtime/pcb.py), in the
 * caller's layout: handler, flags, restorer and mask in words, or i386's three 32-bit words
 * and the 64-bit mask. Setting an action is Python's. */
int64_t sv_c_rt_sigaction(sv_cpu *cpu, const uint64_t *args)
{
    const uint64_t *actions = cpu->sigaction_words;
    if (!actions || args[1])
        return SV_DECLINE;
    if (args[3] != sizeof(uint64_t))
        return -EINVAL;
    int sig = (int)args[0];
    if (sig < 1 || sig > SIGNALS)
        return -EINVAL;
    if (!args[2])
        return 0;
    const uint64_t *a = actions + (sig - 1) * 4;
    if (cpu->table->word_size == 8)
        return copy_out(cpu, args[2], a, 4 * sizeof *a);
    uint32_t compat[5] = {(uint32_t)a[0], (uint32_t)a[1], (uint32_t)a[2], (uint32_t)a[3],
                          (uint32_t)(a[3] >> 32)};
    return copy_out(cpu, args[2], compat, sizeof compat);
}
