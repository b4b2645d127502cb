"""Linux time calls: the i386 time64 variants of clock_gettime, nanosleep, clock_nanosleep,
clock_getres. Sleeps block the process, not the machine. clock_gettime, gettimeofday and time
are answered in C (csrc/handlers.c), with the clock mapping of _clock."""
from __future__ import annotations

import errno
import struct
import time as host_time

from ..errors import KernelError
from ..block import deadline_passed
from ..kernel import Block

CLOCK_REALTIME, CLOCK_MONOTONIC = 0, 1
TIMER_ABSTIME = 1


def _clock(clk: int) -> float:
    """The host time a Linux clock id reads (csrc/handlers.c host_clock maps them alike)."""
    if clk in (CLOCK_REALTIME, 5, 8, 11):  # REALTIME, REALTIME_COARSE, REALTIME_ALARM, TAI
        return host_time.time()
    if clk in (2, 3):                    # process / thread CPU time
        return host_time.process_time()
    if 0 <= clk <= 11:
        return host_time.monotonic()
    raise KernelError(errno.EINVAL)


def _timespec(p, value: float, wide: bool | None = None) -> bytes:
    sec = int(value)
    nsec = int((value - sec) * 1e9)
    if wide is None:
        wide = p.sysvec.word_bits == 64
    return struct.pack("<qq", sec, nsec) if wide else struct.pack("<ii", sec, nsec)


def _read_timespec(p, addr, wide: bool | None = None) -> float:
    if wide is None:
        wide = p.sysvec.word_bits == 64
    sec, nsec = struct.unpack("<qq", p.mm.read(addr, 16)) if wide else \
        struct.unpack("<ii", p.mm.read(addr, 8))
    if sec < 0 or not 0 <= nsec < 1_000_000_000:
        raise KernelError(errno.EINVAL)
    return sec + nsec / 1e9


# A negative clock id is a CPU clock: MAKE_PROCESS_CPUCLOCK(pid, which) is ~pid << 3 | which,
# a thread's with bit 2 (pthread_getcpuclockid, clock_getcpuclockid); pid 0 is the caller.
CPUCLOCK_PROF, CPUCLOCK_VIRT, CPUCLOCK_SCHED, CPUCLOCK_MAX = 0, 1, 2, 3
CPUCLOCK_PERTHREAD = 4


def _signed_clock(clk: int) -> int:
    return ((clk & 0xFFFFFFFF) ^ 0x80000000) - 0x80000000


def _cpu_clock_seconds(p, clk: int) -> float:
    """pid_for_clock: a thread's clock must be a thread of the caller's group, a process's
    a process (the caller's own thread id names its process); EINVAL for any other."""
    pid, which, thread = ~(clk >> 3), clk & 3, clk & CPUCLOCK_PERTHREAD
    if which >= CPUCLOCK_MAX:
        raise KernelError(errno.EINVAL)
    if pid == 0:
        target = p
    else:
        target = p.kernel.procs.get(pid)
        if target is None or not target.alive or \
                (target.tgid != p.tgid if thread else target.pid != target.tgid and target is not p):
            raise KernelError(errno.EINVAL)
    if thread:
        target.settle_times()
        total, system = target.cpu_ns, target.sys_ns
    else:
        total, system = target.group_cpu_ns(), target.group_sys_ns()
    return (total - system if which == CPUCLOCK_VIRT else total) / 1e9


def _read_clock(p, clk: int) -> float:
    clk = _signed_clock(clk)
    return _cpu_clock_seconds(p, clk) if clk < 0 else _clock(clk)


def sys_clock_gettime(p, clk, tp):
    """What the C handler declines: the CPU clocks of a process or thread by id."""
    p.mm.write(tp, _timespec(p, _read_clock(p, clk)))
    return 0


def sys_clock_gettime64(p, clk, tp):
    p.mm.write(tp, _timespec(p, _read_clock(p, clk), wide=True))
    return 0


def sys_clock_getres(p, clk, tp):
    _read_clock(p, clk)
    if tp:
        p.mm.write(tp, _timespec(p, 1e-9))
    return 0


def sys_clock_getres_time64(p, clk, tp):
    _read_clock(p, clk)
    if tp:
        p.mm.write(tp, _timespec(p, 1e-9, wide=True))
    return 0


def _sleep_until(p, deadline: float, rem: int, wide=None):
    """Block until deadline (monotonic); the restarted call then finds it has passed."""
    state = p.linux
    restarted = state.sleep_until is not None
    if not restarted:
        state.sleep_until = deadline
    if deadline_passed(state.sleep_until, restarted):
        state.sleep_until = None
        return 0
    if p.pending:
        from .. import signals
        if signals.deliverable(p):
            left = max(0.0, state.sleep_until - host_time.monotonic())
            state.sleep_until = None
            if rem:
                p.mm.write(rem, _timespec(p, left, wide))
            raise KernelError(errno.EINTR)
    raise Block(None, deadline=state.sleep_until, restartable=False, precise=True)


def sys_nanosleep(p, req, rem):
    if p.linux.sleep_until is None:
        return _sleep_until(p, host_time.monotonic() + _read_timespec(p, req), rem)
    return _sleep_until(p, p.linux.sleep_until, rem)


def sys_clock_nanosleep(p, clk, flags, req, rem):
    return _clock_nanosleep(p, clk, flags, req, rem, None)


NSLEEP_CLOCKS = {0, 1, 2, 7, 8, 9, 11}   # the clocks whose k_clock has nsleep
KNOWN_CLOCKS = set(range(12)) - {10}


def _clock_nanosleep(p, clk, flags, req, rem, wide):
    if p.linux.sleep_until is None:
        clk = ((clk & 0xFFFFFFFF) ^ 0x80000000) - 0x80000000
        if clk not in KNOWN_CLOCKS:
            raise KernelError(errno.EINVAL)
        if clk not in NSLEEP_CLOCKS:        # the thread CPU clock, the raw and coarse ones
            raise KernelError(errno.EOPNOTSUPP)
        value = _read_timespec(p, req, wide)
        if flags & TIMER_ABSTIME:
            value = value - _clock(clk)
        return _sleep_until(p, host_time.monotonic() + max(0.0, value), rem, wide)
    return _sleep_until(p, p.linux.sleep_until, rem, wide)


def sys_clock_nanosleep_time64(p, clk, flags, req, rem):
    return _clock_nanosleep(p, clk, flags, req, rem, True)


# --- ITIMER_REAL: the scheduler sends SIGALRM when a process's alarm is due ------------------

ITIMER_REAL = 0


def _timeval(p, seconds: float) -> bytes:
    sec = int(seconds)
    usec = int(round((seconds - sec) * 1e6))
    fmt = "<qq" if p.sysvec.word_bits == 64 else "<ii"
    return struct.pack(fmt, sec, usec)


def _read_timeval(p, addr) -> float:
    wide = p.sysvec.word_bits == 64
    sec, usec = struct.unpack("<qq", p.mm.read(addr, 16)) if wide else \
        struct.unpack("<ii", p.mm.read(addr, 8))
    if sec < 0 or not 0 <= usec < 1_000_000:
        raise KernelError(errno.EINVAL)
    return sec + usec / 1e6


def _remaining(p) -> float:
    return max(0.0, p.alarm_at - host_time.monotonic()) if p.alarm_at is not None else 0.0


def sys_alarm(p, seconds):
    """The process's timer (every thread of it sees the one ITIMER_REAL): kept on its
    leader, as Linux keeps it in the signal_struct the threads share."""
    p = p.group_leader()
    left = _remaining(p)
    p.alarm_at = host_time.monotonic() + seconds if seconds else None
    p.alarm_interval = 0.0
    return int(left + 0.999999) if left else 0


ITIMER_VIRTUAL, ITIMER_PROF = 1, 2
SIGVTALRM, SIGPROF = 26, 27
CPU_TIMER_SIGNAL = {ITIMER_VIRTUAL: SIGVTALRM, ITIMER_PROF: SIGPROF}


def _itimer(p, which: int) -> tuple[float, float]:
    """(interval, time left) of a timer; the CPU-time ones count the group's time on the
    core (runtime/sched.py fires them), as both user and system time here is user time.
    They are the process's: its leader keeps them."""
    p = p.group_leader()
    if which == ITIMER_REAL:
        return p.alarm_interval, _remaining(p)
    due, interval = p.cpu_timers.get(CPU_TIMER_SIGNAL[which], (0, 0))
    left = max(0, due - p.group_cpu_ns()) if due else 0
    return interval / 1e9, left / 1e9


def sys_getitimer(p, which, value):
    if which not in (ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF):
        raise KernelError(errno.EINVAL)
    interval, left = _itimer(p, which)
    p.mm.write(value, _timeval(p, interval) + _timeval(p, left))
    return 0


def sys_setitimer(p, which, value, ovalue):
    """do_setitimer's order: the new value is read (EFAULT), the timer set, the old one
    written (EFAULT after the change, as Linux)."""
    if which not in (ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF):
        raise KernelError(errno.EINVAL)
    half = 16 if p.sysvec.word_bits == 64 else 8
    interval = _read_timeval(p, value) if value else 0.0
    first = _read_timeval(p, value + half) if value else 0.0
    old = _itimer(p, which)
    p = p.group_leader()
    if which == ITIMER_REAL:
        p.alarm_at = host_time.monotonic() + first if first else None
        p.alarm_interval = interval if first else 0.0
    else:
        timers = p.cpu_timers
        sig = CPU_TIMER_SIGNAL[which]
        if first:
            timers[sig] = (p.group_cpu_ns() + int(first * 1e9), int(interval * 1e9))
        else:
            timers.pop(sig, None)
    if ovalue:
        p.mm.write(ovalue, _timeval(p, old[0]) + _timeval(p, old[1]))
    return 0


# --- adjtimex: the kernel clock's discipline, as an unsynchronised machine reports it --------

TIME_ERROR, STA_UNSYNC = 5, 0x40
ADJ_OFFSET_SS_READ = 0xA001
# modes, offset, freq, maxerror, esterror, status, constant, precision, tolerance, time (sec,
# usec), tick, ppsfreq, jitter, shift, stabil, jitcnt, calcnt, errcnt, stbcnt, tai, padding:
# struct __kernel_timex (x86-64, clock_adjtime64) and the i386 calls' old_timex32
TIMEX64 = struct.Struct("<I4xqqqqi4xqqqqqqqqi4xqqqqqi44x")
TIMEX32 = struct.Struct("<I20i44x")


def _adjtimex(p, buf, wide: bool) -> int:
    """What adjtimex answers on a machine whose clock no NTP daemon steers (a container's):
    TIME_ERROR, STA_UNSYNC, the default constants. Setting anything needs CAP_SYS_TIME over
    the host's clock, which no guest has (settimeofday fails so too)."""
    layout = TIMEX64 if wide else TIMEX32
    modes = struct.unpack("<I", p.mm.read(buf, 4))[0]
    if modes and modes != ADJ_OFFSET_SS_READ:
        raise KernelError(errno.EPERM)
    now = host_time.time()
    seconds = int(now)
    p.mm.write(buf, layout.pack(
        modes, 0, 0, 16_000_000, 16_000_000, STA_UNSYNC, 2, 1, 32_768_000,
        seconds, int((now - seconds) * 1_000_000), 10_000, 0, 0, 0, 0, 0, 0, 0, 0, 0))
    return TIME_ERROR


def sys_adjtimex(p, txc_p):
    return _adjtimex(p, txc_p, p.sysvec.word_bits == 64)


def sys_clock_adjtime(p, which_clock, utx):
    return _clock_adjtime(p, which_clock, utx, p.sysvec.word_bits == 64)


def sys_clock_adjtime64(p, which_clock, utx):
    return _clock_adjtime(p, which_clock, utx, True)


def _clock_adjtime(p, clk: int, utx, wide: bool) -> int:
    """CLOCK_REALTIME is adjtimex's clock; the other clocks have no adjustment."""
    clk = _signed_clock(clk)
    if clk == CLOCK_REALTIME:
        return _adjtimex(p, utx, wide)
    if clk in KNOWN_CLOCKS or clk < 0:
        raise KernelError(errno.EOPNOTSUPP)
    raise KernelError(errno.EINVAL)
