"""Event descriptors: eventfd (a counter), timerfd (a timer that is read), signalfd (pending
signals read as records); inotify is linux/inotify.py. Each is an open file that answers the
readiness model (runtime/readiness.py), so poll, select and epoll wait on it like a socket."""
from __future__ import annotations

import errno
import math
import struct
import time as host_time

from .. import signals
from ..errors import KernelError, WouldBlock
from ..files import O_NONBLOCK, O_RDONLY, O_RDWR, OpenFile, _inodes, synthetic_stat
from ..readiness import READABLE, WRITABLE
from .time import _clock

O_CLOEXEC = 0o2000000
EFD_SEMAPHORE = 1
EVENTFD_MAX = (1 << 64) - 2
TFD_TIMER_ABSTIME, TFD_TIMER_CANCEL_ON_SET = 1, 2
CLOCKS_FOR_TIMERFD = (0, 1, 7, 8, 9)     # REALTIME, MONOTONIC, BOOTTIME and their _ALARMs
SIGINFO_SIZE = 128


class AnonFile(OpenFile):
    """A file of the kernel's anon_inode fs: no path, a mode of 0600."""

    kind = "anon"

    def __init__(self, name: str, flags: int = O_RDWR):
        super().__init__(flags, f"anon_inode:[{name}]")
        self.ino = next(_inodes)

    def fstat(self):
        return synthetic_stat(0o600, ino=self.ino)

    def readable_now(self):
        return bool(self.poll() & READABLE)

    def writable_now(self):
        return bool(self.poll() & WRITABLE)


def _install(p, f, flags: int) -> int:
    f.status_flags |= flags & O_NONBLOCK
    return p.fds.install(f, cloexec=bool(flags & O_CLOEXEC))


# --- eventfd -------------------------------------------------------------------------------------

class EventFd(AnonFile):
    def __init__(self, count: int, semaphore: bool):
        super().__init__("eventfd")
        self.count, self.semaphore, self.events = count, semaphore, 0

    def read(self, n):
        if n < 8:
            raise KernelError(errno.EINVAL)
        if not self.count:
            raise WouldBlock()
        value = 1 if self.semaphore else self.count
        self.count -= value
        self.events += 1
        return struct.pack("<Q", value)

    def write(self, data):
        if len(data) < 8:
            raise KernelError(errno.EINVAL)
        value = struct.unpack_from("<Q", data)[0]
        if value > EVENTFD_MAX:
            raise KernelError(errno.EINVAL)
        if self.count + value > EVENTFD_MAX:
            raise WouldBlock()
        self.count += value
        self.events += 1
        return 8

    def poll(self):
        return (READABLE if self.count else 0) | (WRITABLE if self.count < EVENTFD_MAX else 0)

    def generation(self):
        return self.events


def sys_eventfd2(p, count, flags):
    if flags & ~(O_CLOEXEC | O_NONBLOCK | EFD_SEMAPHORE):
        raise KernelError(errno.EINVAL)
    return _install(p, EventFd(count, bool(flags & EFD_SEMAPHORE)), flags)


def sys_eventfd(p, count):
    return sys_eventfd2(p, count, 0)


# --- timerfd -------------------------------------------------------------------------------------

class TimerFd(AnonFile):
    """Expiries are counted against the host's monotonic clock, the scheduler's clock, so a
    process waiting on the timer is woken at its deadline."""

    def __init__(self, clock: int):
        super().__init__("timerfd", O_RDONLY)
        self.clock = clock
        self.due: float | None = None
        self.interval = 0.0
        self.ticks = 0
        self.fired = 0

    def _advance(self) -> None:
        now = host_time.monotonic()
        if self.due is None or now < self.due:
            return
        if self.interval:
            k = int((now - self.due) // self.interval) + 1
            self.ticks += k
            self.due += k * self.interval
        else:
            self.ticks += 1
            self.due = None
        self.fired += 1

    def arm(self, value: float, interval: float, absolute: bool) -> None:
        self.ticks = 0
        if value == 0:
            self.due, self.interval = None, 0.0
            return
        if absolute:
            value -= _clock(self.clock)        # the clock's time -> from now
        # A start already past counts from when it was: a read then gives every interval
        # missed since, as Linux's hrtimer_forward does.
        self.due = host_time.monotonic() + value
        self.interval = interval

    def remaining(self) -> tuple[float, float]:
        self._advance()
        if self.due is None:
            return 0.0, self.interval
        return max(self.due - host_time.monotonic(), 1e-9), self.interval

    def read(self, n):
        if n < 8:
            raise KernelError(errno.EINVAL)
        self._advance()
        if not self.ticks:
            raise WouldBlock()
        ticks, self.ticks = self.ticks, 0
        return struct.pack("<Q", ticks)

    def write(self, data):
        raise KernelError(errno.EINVAL)

    def poll(self):
        self._advance()
        return READABLE if self.ticks else 0

    def generation(self):
        self._advance()
        return self.fired

    def next_deadline(self):
        return self.due


def _timerfd(p, fd) -> TimerFd:
    f = p.fds.get(fd)
    if not isinstance(f, TimerFd):
        raise KernelError(errno.EINVAL)
    return f


def sys_timerfd_create(p, clockid, flags):
    if clockid not in CLOCKS_FOR_TIMERFD:
        raise KernelError(errno.EINVAL)
    if flags & ~(O_CLOEXEC | O_NONBLOCK):
        raise KernelError(errno.EINVAL)
    return _install(p, TimerFd(clockid), flags)


def _itimerspec(p, addr: int, wide: bool) -> tuple[float, float]:
    fmt = "<qqqq" if wide else "<iiii"
    isec, insec, vsec, vnsec = struct.unpack(fmt, p.mm.read(addr, struct.calcsize(fmt)))
    if min(isec, vsec) < 0 or not (0 <= insec < 10**9 and 0 <= vnsec < 10**9):
        raise KernelError(errno.EINVAL)
    return vsec + vnsec / 1e9, isec + insec / 1e9


def _put_itimerspec(p, addr: int, value: float, interval: float, wide: bool) -> None:
    def split(t):
        sec = math.floor(t)
        return sec, int(round((t - sec) * 1e9)) % 10**9
    fmt = "<qqqq" if wide else "<iiii"
    p.mm.write(addr, struct.pack(fmt, *split(interval), *split(value)))


def _settime(p, ufd, flags, utmr, otmr, wide):
    t = _timerfd(p, ufd)
    if flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET):
        raise KernelError(errno.EINVAL)
    value, interval = _itimerspec(p, utmr, wide)
    if otmr:
        _put_itimerspec(p, otmr, *t.remaining(), wide)
    t.arm(value, interval, bool(flags & TFD_TIMER_ABSTIME))
    return 0


def sys_timerfd_settime(p, ufd, flags, utmr, otmr):
    return _settime(p, ufd, flags, utmr, otmr, p.sysvec.word_bits == 64)


def sys_timerfd_settime64(p, ufd, flags, utmr, otmr):
    return _settime(p, ufd, flags, utmr, otmr, True)


def sys_timerfd_gettime(p, ufd, otmr):
    _put_itimerspec(p, otmr, *_timerfd(p, ufd).remaining(), p.sysvec.word_bits == 64)
    return 0


def sys_timerfd_gettime64(p, ufd, otmr):
    _put_itimerspec(p, otmr, *_timerfd(p, ufd).remaining(), True)
    return 0


# --- signalfd ------------------------------------------------------------------------------------

class SignalFd(AnonFile):
    """Reads take the creating process's pending signals of the mask (blocked ones: that is
    the use). The process is not kept as `owner`: that is F_SETOWN's, which any file has."""

    def __init__(self, process, mask: int):
        super().__init__("signalfd", O_RDWR)
        self.process, self.mask = process, mask

    def _ready(self) -> int:
        return self.process.pending & self.mask

    def read(self, n):
        if n < SIGINFO_SIZE:
            raise KernelError(errno.EINVAL)
        out = []
        while len(out) < n // SIGINFO_SIZE and self._ready():
            ready = self._ready()
            sig = (ready & -ready).bit_length()
            self.process.pending &= ~signals.bit(sig)
            info = signals.take_info(self.process, sig)
            # struct signalfd_siginfo: signo, errno, code, pid, uid, fd, tid (a timer's id),
            # band, overrun, trapno, status, int and ptr (a timer's sigev_value)
            fd = info.fd if info.fd is not None else 0
            timer = info.timer_id if info.timer_id is not None else 0
            out.append(struct.pack("<IiiIIiIIIIiiQ", sig, 0, info.code, info.pid, info.uid, fd,
                                   timer, info.band, info.overrun, 0, info.status,
                                   ((info.value & 0xFFFFFFFF) ^ 0x80000000) - 0x80000000,
                                   info.value & 0xFFFFFFFFFFFFFFFF).ljust(SIGINFO_SIZE, b"\0"))
        if not out:
            raise WouldBlock()
        return b"".join(out)

    def write(self, data):
        raise KernelError(errno.EINVAL)

    def poll(self):
        return READABLE if self._ready() else 0

    def generation(self):
        return self._ready()


def sys_signalfd4(p, ufd, user_mask, sizemask, flags):
    if sizemask != 8 or flags & ~(O_CLOEXEC | O_NONBLOCK):
        raise KernelError(errno.EINVAL)
    mask = struct.unpack("<Q", p.mm.read(user_mask, 8))[0] & ~signals.UNBLOCKABLE
    if ufd != -1:
        f = p.fds.get(ufd)
        if not isinstance(f, SignalFd):
            raise KernelError(errno.EINVAL)
        f.mask = mask
        return ufd
    return _install(p, SignalFd(p, mask), flags)


def sys_signalfd(p, ufd, user_mask, sizemask):
    return sys_signalfd4(p, ufd, user_mask, sizemask, 0)
