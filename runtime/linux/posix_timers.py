"""POSIX per-process timers (kernel/time/posix-timers.c): timer_create, timer_settime,
timer_gettime, timer_getoverrun and timer_delete. A timer is one of the process's timers the
scheduler fires (PCB.timers, shared by the group's threads): on expiry it sends its signal
(SIGEV_SIGNAL to the process, SIGEV_THREAD_ID to one thread; SIGEV_NONE sends nothing) with
SI_TIMER, its id and sigev_value; if the last one is still queued, that one's overrun count
goes up instead. Wall clocks count on the host's monotonic clock (the scheduler's); the CPU
clocks count the group's time on the core. exec and exit drop them."""
from __future__ import annotations

import errno
import struct
import time as host_time

from .. import signals
from ..errors import KernelError
from .time import TIMER_ABSTIME, _clock, _read_timespec, _timespec

SIGEV_SIGNAL, SIGEV_NONE, SIGEV_THREAD, SIGEV_THREAD_ID = 0, 1, 2, 4
SI_TIMER = -2
CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID = 2, 3
# Clocks a timer may count (posix_clocks with a timer_create): REALTIME, MONOTONIC, the CPU
# clocks, BOOTTIME, REALTIME_ALARM, BOOTTIME_ALARM, TAI. The raw and coarse ones have none.
TIMER_CLOCKS = {0, 1, 2, 3, 7, 8, 9, 11}
NO_TIMER_CLOCKS = {4, 5, 6}
MAX_TIMERS = 1024          # per process here (Linux bounds them by RLIMIT_SIGPENDING)
DELAYTIMER_MAX = 0x7FFFFFFF


class PosixTimer:
    """One timer: when it is due, its interval, and what it sends."""

    def __init__(self, owner, timer_id: int, clock: int, notify: int, signo: int, value: int,
                 target):
        self.owner, self.id, self.clock = owner, timer_id, clock
        self.notify, self.signo, self.value, self.target = notify, signo, value, target
        self.due: float | None = None        # host monotonic seconds (the wall clocks)
        self.cpu_due: int | None = None      # the group's CPU nanoseconds (the CPU clocks)
        self.interval = 0.0
        self.queued = None                   # the SigInfo of the sending still pending
        self.overrun_last = 0

    @property
    def counts_cpu(self) -> bool:
        return self.clock in (CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID)

    def _cpu_now(self) -> int:
        return self.owner.group_cpu_ns()

    def arm(self, value: float, interval: float, absolute: bool) -> None:
        """value 0 disarms; absolute: value is a time of the timer's clock."""
        self.interval = interval if value else 0.0
        self.due = self.cpu_due = None
        if not value:
            return
        if self.counts_cpu:
            now = self._cpu_now()
            start = int(value * 1e9) if absolute else now + int(value * 1e9)
            self.cpu_due = start
        else:
            if absolute:
                value -= _clock(self.clock)      # the clock's time -> from now
            # a start already past: the intervals missed since are overruns (fire below)
            self.due = host_time.monotonic() + value

    def remaining(self) -> tuple[float, float]:
        """(time left, interval), as timer_gettime gives them."""
        if self.counts_cpu:
            left = max(0, self.cpu_due - self._cpu_now()) / 1e9 if self.cpu_due is not None else 0.0
        else:
            left = max(0.0, self.due - host_time.monotonic()) if self.due is not None else 0.0
        if (self.due is not None or self.cpu_due is not None) and not left:
            left = 1e-9      # due but not yet fired: still armed
        return left, self.interval

    def fire(self, now: float) -> None:
        """The scheduler's tick: send when due, and move on by whole intervals (the ones
        missed are overruns)."""
        if self.counts_cpu:
            if self.cpu_due is None or self._cpu_now() < self.cpu_due:
                return
            missed = 0
            if self.interval:
                step = max(1, int(self.interval * 1e9))
                missed = (self._cpu_now() - self.cpu_due) // step
                self.cpu_due += (missed + 1) * step
            else:
                self.cpu_due = None
        else:
            if self.due is None or now < self.due:
                return
            missed = 0
            if self.interval:
                missed = int((now - self.due) // self.interval)
                self.due += (missed + 1) * self.interval
            else:
                self.due = None
        self._send(missed)

    def _send(self, missed: int) -> None:
        if self.notify == SIGEV_NONE:
            return
        target = self.target if self.target is not None else self.owner
        if not target.alive:
            return
        queued = self.queued
        if queued is not None and any(i is queued for i in target.siginfo.get(self.signo, ())) \
                and target.pending & signals.bit(self.signo):
            queued.overrun = min(DELAYTIMER_MAX, queued.overrun + 1 + missed)
            return
        if queued is not None:
            self.overrun_last = queued.overrun
        info = signals.SigInfo(SI_TIMER, timer_id=self.id, overrun=min(DELAYTIMER_MAX, missed),
                               value=self.value)
        self.queued = info
        # SIGEV_THREAD_ID names its thread; otherwise the signal is the process's
        (signals.send if self.target is not None else signals.send_process)(
            target, self.signo, info)


def _timer(p, timer_id: int) -> PosixTimer:
    timer_id = ((timer_id & 0xFFFFFFFF) ^ 0x80000000) - 0x80000000
    t = next((t for t in p.timers if isinstance(t, PosixTimer) and t.id == timer_id), None)
    if t is None:
        raise KernelError(errno.EINVAL)
    return t


def read_sigevent(p, addr: int) -> tuple[int, int, int, int]:
    """(value, signo, notify, tid) of a struct sigevent."""
    if p.sysvec.word_bits == 64:
        return struct.unpack("<QiiI", p.mm.read(addr, 20))
    return struct.unpack("<IiiI", p.mm.read(addr, 16))


def _cpu_clock(p, clock: int) -> int:
    """A negative clock id is a CPU clock (the C library's CLOCK_PROCESS_CPUTIME_ID is
    MAKE_PROCESS_CPUCLOCK(0, CPUCLOCK_SCHED), -6): the pid in the high bits (0: the caller),
    a thread's with bit 2. Only the caller's own clocks are kept here."""
    pid, which, thread = ~(clock >> 3), clock & 3, clock & 4
    if which == 3 or pid not in (0, p.pid if thread else p.tgid):
        raise KernelError(errno.EINVAL)
    return CLOCK_THREAD_CPUTIME_ID if thread else CLOCK_PROCESS_CPUTIME_ID


def sys_timer_create(p, clock, sevp, timer_id_out):
    clock = ((clock & 0xFFFFFFFF) ^ 0x80000000) - 0x80000000
    if clock < 0:
        clock = _cpu_clock(p, clock)
    if clock in NO_TIMER_CLOCKS:
        raise KernelError(errno.EOPNOTSUPP)
    if clock not in TIMER_CLOCKS:
        raise KernelError(errno.EINVAL)
    ids = {t.id for t in p.timers if isinstance(t, PosixTimer)}
    timer_id = next(i for i in range(len(ids) + 1) if i not in ids)
    if sevp:
        value, signo, notify, tid = read_sigevent(p, sevp)
    else:
        value, signo, notify, tid = timer_id, signals.SIGALRM, SIGEV_SIGNAL, 0
    target = None
    if notify not in (SIGEV_SIGNAL, SIGEV_NONE, SIGEV_THREAD_ID, SIGEV_THREAD_ID | SIGEV_SIGNAL):
        raise KernelError(errno.EINVAL)     # SIGEV_THREAD is the C library's, never the kernel's
    if notify & SIGEV_THREAD_ID:
        target = next((t for t in p.group if t.pid == tid and t.alive), None)
        if target is None:
            raise KernelError(errno.EINVAL)
    if notify != SIGEV_NONE and not 1 <= signo <= signals.NSIG:
        raise KernelError(errno.EINVAL)
    if len(ids) >= MAX_TIMERS:
        raise KernelError(errno.EAGAIN)
    p.mm.write_u32(timer_id_out, timer_id)    # before the timer exists: EFAULT leaves none
    p.timers.append(PosixTimer(p.group_leader(), timer_id, clock, notify, signo, value, target))
    return 0


def _itimerspec(p, left: float, interval: float, wide) -> bytes:
    return _timespec(p, interval, wide) + _timespec(p, left, wide)


def _settime(p, timer_id, flags, new, old, wide):
    t = _timer(p, timer_id)
    if not new:
        raise KernelError(errno.EINVAL)
    half = 16 if (wide if wide is not None else p.sysvec.word_bits == 64) else 8
    interval = _read_timespec(p, new, wide)
    value = _read_timespec(p, new + half, wide)
    before = t.remaining()
    t.arm(value, interval, bool(flags & TIMER_ABSTIME))
    if old:
        p.mm.write(old, _itimerspec(p, *before, wide))
    return 0


def _gettime(p, timer_id, out, wide):
    t = _timer(p, timer_id)
    p.mm.write(out, _itimerspec(p, *t.remaining(), wide))
    return 0


def sys_timer_settime(p, timer_id, flags, new, old):
    return _settime(p, timer_id, flags, new, old, None)


def sys_timer_settime64(p, timer_id, flags, new, old):
    return _settime(p, timer_id, flags, new, old, True)


def sys_timer_gettime(p, timer_id, out):
    return _gettime(p, timer_id, out, None)


def sys_timer_gettime64(p, timer_id, out):
    return _gettime(p, timer_id, out, True)


def sys_timer_getoverrun(p, timer_id):
    """The overruns of the last expiry delivered (the one taken from the queue)."""
    t = _timer(p, timer_id)
    queued = t.queued
    if queued is not None and not any(i is queued for i in
                                      (t.target or t.owner).siginfo.get(t.signo, ())):
        return queued.overrun
    return t.overrun_last


def sys_timer_delete(p, timer_id):
    t = _timer(p, timer_id)
    t.due = t.cpu_due = None
    p.timers.remove(t)
    return 0
