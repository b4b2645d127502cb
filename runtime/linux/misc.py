"""Linux odds and ends: futex for one thread, robust lists, rseq (getrandom is csrc/handlers.c's)."""
from __future__ import annotations

import errno
import struct

from ..block import deadline_passed
from ..errors import KernelError
from ..mm import PAGE
from .mm import TASK_SIZE

FUTEX_WAIT, FUTEX_WAKE, FUTEX_CMD_MASK, FUTEX_PRIVATE_FLAG = 0, 1, 0x7F, 128
NOPAGE = 0xFFFFFFFF


FUTEX_REQUEUE, FUTEX_CMP_REQUEUE, FUTEX_WAKE_OP = 3, 4, 5


def _key(p, uaddr: int) -> tuple:
    """A futex in a MAP_SHARED page is one futex for every process mapping that page (LTP's
    checkpoints, process-shared mutexes): key it by the physical page, as the kernel keys a
    shared futex by inode or page; any other by address space and address."""
    mm = p.mm
    ppn = mm.lib.sv_as_shared_page(mm.c, uaddr)
    if ppn != NOPAGE:
        return ("shared", id(mm.engine), ppn, uaddr & 0xFFF)
    return (id(mm), uaddr)


class FutexQueue(list):
    """The threads waiting on one futex, in the order they came. Every one joining or
    leaving moves the machine's count of futex waiters, which C reads: while it is 0, a
    FUTEX_WAKE never enters Python (csrc/handlers.c). Waiters come and go by append, pop and
    remove only; the other ways to change a list would leave the count wrong, and raise."""

    def __init__(self, waiting):
        super().__init__()
        self.waiting = waiting

    def append(self, thread) -> None:
        super().append(thread)
        self.waiting[0] += 1

    def pop(self, index: int = -1):
        thread = super().pop(index)
        self.waiting[0] -= 1
        return thread

    def remove(self, thread) -> None:
        super().remove(thread)
        self.waiting[0] -= 1

    def _uncounted(self, *args, **kwargs):
        raise TypeError("futex waiters come and go by append, pop and remove only")

    insert = extend = clear = __delitem__ = __setitem__ = __iadd__ = _uncounted


def _queue(p, key) -> list:
    queues = p.sysvec.personality.machine(p.kernel).futex_waiters
    queue = queues.get(key)
    if queue is None:
        queue = queues[key] = FutexQueue(p.kernel.futex_waiting)
    return queue


def _waiters(p, uaddr: int) -> list:
    return _queue(p, _key(p, uaddr))


def _check_uaddr(p, uaddr: int) -> None:
    """get_futex_key: an aligned word in a readable mapping whose page can be had (not past
    the end of a file it maps), else EINVAL / EFAULT."""
    if uaddr % 4:
        raise KernelError(errno.EINVAL)
    mm = p.mm
    if mm.lib.sv_as_shared_page(mm.c, uaddr) != NOPAGE:
        from .shm import revalidate
        revalidate(p.kernel)      # the file under a shared page may have been truncated
    prot = mm.ffi.new("uint32_t *")
    if mm.lib.sv_as_query(mm.c, uaddr, prot) != 0 or not prot[0] & 1 or \
            mm.sigbus_at(uaddr):   # PROT_READ, and a page to read
        raise KernelError(errno.EFAULT)


def futex_wake(p, uaddr: int, count: int) -> int:
    """Wake up to count threads waiting on uaddr in p's address space."""
    return _wake(p, _waiters(p, uaddr), count)


def _wake(p, queue: list, count: int) -> int:
    woken = 0
    first = None
    while queue and woken < count:
        t = queue.pop(0)
        if t.alive and not t.futex_woken:
            t.futex_woken = True
            t.linux.futex_woken_by = queue         # futex_waitv tells which of its futexes woke
            p.kernel.wake(t)
            first = first or t
            woken += 1
    # A thread of the waker's own process runs next, as on a one-CPU Linux (wakeup
    # preemption): a writer thread handed a last log line gets to write it before the
    # waker's exit_group (on several CPUs it would run alongside).
    if first is not None and first.tgid == p.tgid and p.kernel.scheduler is not None:
        p.kernel.scheduler.run_next(first)
    return woken


FUTEX_CLOCK_REALTIME = 256
CLOCK_REALTIME, CLOCK_MONOTONIC = 0, 1


def _futex_wait(p, uaddr, val, timeout, absolute: bool, clock: int = CLOCK_MONOTONIC,
                wide: bool | None = None):
    import time as host_time
    from ..kernel import Block

    state = p.linux.futex
    if state is not None:                      # the restarted call after a wake or timeout
        if p.futex_woken:
            p.futex_woken, p.linux.futex = False, None
            return 0
        if deadline_passed(state["deadline"]):
            p.linux.futex = None
            _forget(p, state["queue"])
            raise KernelError(errno.ETIMEDOUT)
        from .. import signals
        if signals.deliverable(p):
            p.linux.futex = None
            _forget(p, state["queue"])
            raise KernelError(errno.EINTR)
    else:
        _check_uaddr(p, uaddr)
        if p.mm.read_u32(uaddr) != val & 0xFFFFFFFF:
            raise KernelError(errno.EAGAIN)
        deadline = None
        if timeout:
            from .time import _clock, _read_timespec
            value = _read_timespec(p, timeout, wide)
            deadline = host_time.monotonic() + (max(0.0, value - _clock(clock)) if absolute
                                                else value)
        p.futex_woken = False
        queue = _waiters(p, uaddr)
        queue.append(p)
        p.linux.futex = state = {"deadline": deadline, "queue": queue}
    raise Block(lambda: p.futex_woken, deadline=state["deadline"], restartable=False,
                precise=True)


def _forget(p, queue: list) -> None:
    """A wait that ended without a wake leaves the queue it is on (requeue may have moved
    it: the queue object travels with the waiter's state)."""
    if p in queue:
        queue.remove(p)


def _requeue(p, uaddr: int, uaddr2: int, nr_wake: int, nr_requeue: int) -> int:
    """Wake nr_wake waiters of uaddr and move up to nr_requeue more to uaddr2's queue."""
    src, dst = _waiters(p, uaddr), _waiters(p, uaddr2)
    woken = _wake(p, src, nr_wake)
    moved = 0
    while src and moved < nr_requeue:
        t = src.pop(0)
        dst.append(t)
        state = t.linux.futex
        if state is not None:
            state["queue"] = dst
        moved += 1
    return woken + moved


def sys_futex(p, uaddr, op, val, timeout, uaddr2, val3):
    return _futex(p, uaddr, op, val, timeout, uaddr2, val3)


def sys_futex_time64(p, uaddr, op, val, timeout, uaddr2, val3):
    """i386's futex with a 64-bit timespec (glibc tries it first for every timed wait)."""
    return _futex(p, uaddr, op, val, timeout, uaddr2, val3, wide=True)


def _futex(p, uaddr, op, val, timeout, uaddr2, val3, wide: bool | None = None):
    cmd = op & FUTEX_CMD_MASK
    if cmd in (FUTEX_WAIT, 9):          # FUTEX_WAIT (relative), FUTEX_WAIT_BITSET (absolute)
        return _futex_wait(p, uaddr, val, timeout, absolute=cmd == 9,
                           clock=CLOCK_REALTIME if op & FUTEX_CLOCK_REALTIME else CLOCK_MONOTONIC,
                           wide=wide)
    if cmd in (FUTEX_WAKE, 10):
        if op & FUTEX_PRIVATE_FLAG:
            # get_futex_key keys a private futex by address alone: an aligned user address
            # (below TASK_SIZE_MAX, which every 32-bit address is), mapped or not, wakes
            # whoever waits there (nobody, if unmapped)
            if uaddr % 4:
                raise KernelError(errno.EINVAL)
            if uaddr + 4 > TASK_SIZE - PAGE:   # TASK_SIZE_MAX
                raise KernelError(errno.EFAULT)
        else:
            _check_uaddr(p, uaddr)
        return futex_wake(p, uaddr, val)
    if cmd in (FUTEX_REQUEUE, FUTEX_CMP_REQUEUE):
        nr_wake, nr_requeue = _int32(val), _int32(timeout)
        if nr_wake < 0 or nr_requeue < 0:
            raise KernelError(errno.EINVAL)
        _check_uaddr(p, uaddr)
        _check_uaddr(p, uaddr2)
        if cmd == FUTEX_CMP_REQUEUE and p.mm.read_u32(uaddr) != val3 & 0xFFFFFFFF:
            raise KernelError(errno.EAGAIN)
        return _requeue(p, uaddr, uaddr2, nr_wake, nr_requeue)
    if cmd == FUTEX_WAKE_OP:
        _check_uaddr(p, uaddr)
        _check_uaddr(p, uaddr2)
        return futex_wake(p, uaddr, val) + futex_wake(p, uaddr2, timeout & 0x7FFFFFFF)
    from .futex_pi import PI_COMMANDS, futex_pi
    if cmd in PI_COMMANDS:
        return futex_pi(p, cmd, op, uaddr, timeout, wide)
    raise KernelError(errno.ENOSYS)


def _int32(v: int) -> int:
    v &= 0xFFFFFFFF
    return v - (1 << 32) if v & 0x80000000 else v


FUTEX2_SIZE_U32, FUTEX2_SIZE_MASK, FUTEX2_PRIVATE = 2, 3, 128
FUTEX_WAITV_MAX = 128


def sys_futex_waitv(p, waiters, nr_futexes, flags, timeout, clockid):
    """Wait on up to 128 futexes at once; the index of the one woken. The checks in
    kernel/futex/syscalls.c's order; the timeout is absolute on CLOCK_MONOTONIC or
    CLOCK_REALTIME."""
    import time as host_time
    from ..kernel import Block
    from .. import signals

    state = p.linux.waitv
    if state is not None:
        def done() -> None:
            for q in state["queues"]:
                if p in q:
                    q.remove(p)
            p.linux.waitv = None
        if p.futex_woken:
            by = p.linux.futex_woken_by
            p.futex_woken = False
            done()
            return next((i for i, q in enumerate(state["queues"]) if q is by), 0)
        if deadline_passed(state["deadline"]):
            done()
            raise KernelError(errno.ETIMEDOUT)
        if signals.deliverable(p):
            done()
            raise KernelError(errno.EINTR)
    else:
        if flags or not waiters or not 0 < nr_futexes <= FUTEX_WAITV_MAX:
            raise KernelError(errno.EINVAL)
        deadline = None
        if timeout:
            if clockid not in (CLOCK_REALTIME, CLOCK_MONOTONIC):
                raise KernelError(errno.EINVAL)
            from .time import _clock, _read_timespec
            left = _read_timespec(p, timeout) - _clock(clockid)
            deadline = host_time.monotonic() + max(0.0, left)
        raw = p.mm.read(waiters, 24 * nr_futexes)
        entries = [struct.unpack_from("<QQII", raw, 24 * i) for i in range(nr_futexes)]
        for val, uaddr, wflags, reserved in entries:
            if wflags & ~(FUTEX2_SIZE_MASK | FUTEX2_PRIVATE) or reserved or \
                    wflags & FUTEX2_SIZE_MASK != FUTEX2_SIZE_U32:
                raise KernelError(errno.EINVAL)
            if uaddr % 4:
                raise KernelError(errno.EINVAL)
            if uaddr == 0:
                raise KernelError(errno.EFAULT)
            _check_uaddr(p, uaddr)
        for val, uaddr, _, _ in entries:
            if p.mm.read_u32(uaddr) != val & 0xFFFFFFFF:
                raise KernelError(errno.EAGAIN)
        queues = [_waiters(p, uaddr) for _, uaddr, _, _ in entries]
        for q in queues:
            q.append(p)
        p.futex_woken = False
        p.linux.waitv = state = {"queues": queues, "deadline": deadline}
    raise Block(lambda: p.futex_woken, deadline=state["deadline"], restartable=False,
                precise=True)


def sys_rseq(p, rseq, length, flags, sig):
    raise KernelError(errno.ENOSYS)
