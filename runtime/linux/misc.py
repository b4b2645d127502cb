"""Linux odds and ends: getrandom, futex for one thread, robust lists, rseq."""
from __future__ import annotations

import errno
import os

from ..errors import KernelError

FUTEX_WAIT, FUTEX_WAKE, FUTEX_CMD_MASK = 0, 1, 0x7F
NOPAGE = 0xFFFFFFFF


def sys_getrandom(p, buf, count, flags):
    count = min(count, 1 << 25)
    p.mm.write(buf, os.urandom(count))
    return count


def sys_set_robust_list(p, head, length):
    return 0


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


def _waiters(p, uaddr: int) -> list:
    table = p.kernel.__dict__.setdefault("futex_waiters", {})
    return table.setdefault(_key(p, uaddr), [])


def futex_wake(p, uaddr: int, count: int) -> int:
    """Wake up to count threads waiting on uaddr in p's address space."""
    woken = 0
    queue = _waiters(p, uaddr)
    while queue and woken < count:
        t = queue.pop(0)
        if t.alive and not t.futex_woken:
            t.futex_woken = True
            p.kernel.wake(t)
            woken += 1
    return woken


def _futex_wait(p, uaddr, val, timeout, absolute: bool):
    import time as host_time
    from ..kernel import Block

    state = p.__dict__.get("_futex")
    if state is not None:                      # the restarted call after a wake or timeout
        if p.futex_woken:
            p.futex_woken, p._futex = False, None
            return 0
        if state["deadline"] is not None and host_time.monotonic() >= state["deadline"]:
            p._futex = None
            _forget(p, uaddr)
            raise KernelError(errno.ETIMEDOUT)
        from .. import signals
        if signals.deliverable(p):
            p._futex = None
            _forget(p, uaddr)
            raise KernelError(errno.EINTR)
    else:
        if p.mm.read_u32(uaddr) != val & 0xFFFFFFFF:
            raise KernelError(errno.EAGAIN)
        deadline = None
        if timeout:
            from .time import _clock, _read_timespec
            value = _read_timespec(p, timeout)
            deadline = host_time.monotonic() + (max(0.0, value - _clock(0)) if absolute else value)
        p.futex_woken = False
        p._futex = {"deadline": deadline}
        _waiters(p, uaddr).append(p)
        state = p._futex
    raise Block(lambda: p.futex_woken, deadline=state["deadline"], restartable=False)


def _forget(p, uaddr: int) -> None:
    queue = _waiters(p, uaddr)
    if p in queue:
        queue.remove(p)


def sys_futex(p, uaddr, op, val, timeout, uaddr2, val3):
    cmd = op & FUTEX_CMD_MASK
    if cmd in (FUTEX_WAIT, 9):          # FUTEX_WAIT (relative), FUTEX_WAIT_BITSET (absolute)
        return _futex_wait(p, uaddr, val, timeout, absolute=cmd == 9)
    if cmd in (FUTEX_WAKE, 10):
        return futex_wake(p, uaddr, val)
    if cmd in (FUTEX_REQUEUE, FUTEX_CMP_REQUEUE):
        if cmd == FUTEX_CMP_REQUEUE and p.mm.read_u32(uaddr) != val3 & 0xFFFFFFFF:
            raise KernelError(errno.EAGAIN)
        # Waking the requeued ones too is allowed: futex waiters tolerate spurious wakeups.
        return futex_wake(p, uaddr, val + (timeout & 0x7FFFFFFF))
    if cmd == FUTEX_WAKE_OP:
        return futex_wake(p, uaddr, val) + futex_wake(p, uaddr2, timeout & 0x7FFFFFFF)
    raise KernelError(errno.ENOSYS)


def sys_rseq(p, rseq, length, flags, sig):
    raise KernelError(errno.ENOSYS)
