"""Linux time calls: the i386 time64 variants of clock_gettime, nanosleep, clock_nanosleep,
clock_getres. Sleeps block the process, not the machine. clock_gettime, gettimeofday and time
are answered in C (csrc/handlers.c), with the clock mapping of _clock."""
from __future__ import annotations

import errno
import struct
import time as host_time

from ..errors import KernelError
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


def sys_clock_gettime64(p, clk, tp):
    p.mm.write(tp, _timespec(p, _clock(clk), wide=True))
    return 0


def sys_clock_getres(p, clk, tp):
    _clock(clk)
    if tp:
        p.mm.write(tp, _timespec(p, 1e-9))
    return 0


def sys_clock_getres_time64(p, clk, tp):
    if tp:
        p.mm.write(tp, _timespec(p, 1e-9, wide=True))
    return 0


def _sleep_until(p, deadline: float, rem: int, wide=None):
    """Block until deadline (monotonic); the restarted call then finds it has passed."""
    state = p.__dict__.setdefault("_sleep", None)
    if state is None:
        p._sleep = deadline
    if host_time.monotonic() >= p._sleep:
        p._sleep = None
        return 0
    if p.pending:
        from .. import signals
        if signals.deliverable(p):
            left = max(0.0, p._sleep - host_time.monotonic())
            p._sleep = None
            if rem:
                p.mm.write(rem, _timespec(p, left, wide))
            raise KernelError(errno.EINTR)
    raise Block(None, deadline=p._sleep, restartable=False)


def sys_nanosleep(p, req, rem):
    if getattr(p, "_sleep", None) is None:
        return _sleep_until(p, host_time.monotonic() + _read_timespec(p, req), rem)
    return _sleep_until(p, p._sleep, rem)


def sys_clock_nanosleep(p, clk, flags, req, rem):
    return _clock_nanosleep(p, clk, flags, req, rem, None)


def _clock_nanosleep(p, clk, flags, req, rem, wide):
    if getattr(p, "_sleep", None) is None:
        value = _read_timespec(p, req, wide)
        if flags & TIMER_ABSTIME:
            value = value - _clock(clk)
        return _sleep_until(p, host_time.monotonic() + max(0.0, value), rem, wide)
    return _sleep_until(p, p._sleep, rem, wide)


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
    left = _remaining(p)
    p.alarm_at = host_time.monotonic() + seconds if seconds else None
    p.alarm_interval = 0.0
    return int(left + 0.999999) if left else 0


def sys_getitimer(p, which, value):
    if which != ITIMER_REAL:
        raise KernelError(errno.EINVAL)
    p.mm.write(value, _timeval(p, p.alarm_interval) + _timeval(p, _remaining(p)))
    return 0


def sys_setitimer(p, which, value, ovalue):
    if which != ITIMER_REAL:
        raise KernelError(errno.EINVAL)   # virtual and profiling timers are not modelled
    half = 16 if p.sysvec.word_bits == 64 else 8
    interval = _read_timeval(p, value) if value else 0.0
    first = _read_timeval(p, value + half) if value else 0.0
    if ovalue:
        p.mm.write(ovalue, _timeval(p, p.alarm_interval) + _timeval(p, _remaining(p)))
    p.alarm_at = host_time.monotonic() + first if first else None
    p.alarm_interval = interval if first else 0.0
    return 0
