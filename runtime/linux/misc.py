"""Linux odds and ends: getrandom, futex for one thread, robust lists, rseq."""
from __future__ import annotations

import errno
import os

from ..errors import KernelError

FUTEX_WAIT, FUTEX_WAKE, FUTEX_CMD_MASK = 0, 1, 0x7F


def sys_getrandom(p, buf, count, flags):
    count = min(count, 1 << 25)
    p.mm.write(buf, os.urandom(count))
    return count


def sys_set_robust_list(p, head, length):
    return 0


def sys_futex(p, uaddr, op, val, timeout, uaddr2, val3):
    cmd = op & FUTEX_CMD_MASK
    if cmd in (FUTEX_WAIT, 9):          # FUTEX_WAIT, FUTEX_WAIT_BITSET
        if p.mm.read_u32(uaddr) != val & 0xFFFFFFFF:
            raise KernelError(errno.EAGAIN)
        # One thread per process: nobody else can wake this waiter.
        raise KernelError(errno.ETIMEDOUT if timeout else errno.EDEADLK)
    if cmd in (FUTEX_WAKE, 10):
        return 0
    raise KernelError(errno.ENOSYS)


def sys_rseq(p, rseq, length, flags, sig):
    raise KernelError(errno.ENOSYS)
