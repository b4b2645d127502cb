"""process_vm_readv and process_vm_writev (mm/process_vm_access.c): copy between the caller's
iovecs and another process's, with ptrace's attach check. The copy goes page by page and
stops at the first page either side cannot take; what moved before counts, and a transfer
that moved nothing fails with EFAULT. No FOLL_FORCE: a read-only page of the other process
is not written (unlike /proc/PID/mem and PTRACE_POKEDATA)."""
from __future__ import annotations

import errno

from ..errors import Fault, KernelError
from ..mm import PAGE
from .fs import _iovecs
from .ptrace import may_attach


def sys_process_vm_readv(p, pid, lvec, liovcnt, rvec, riovcnt, flags):
    return _transfer(p, pid, lvec, liovcnt, rvec, riovcnt, flags, write=False)


def sys_process_vm_writev(p, pid, lvec, liovcnt, rvec, riovcnt, flags):
    return _transfer(p, pid, lvec, liovcnt, rvec, riovcnt, flags, write=True)


def _transfer(p, pid, lvec, liovcnt, rvec, riovcnt, flags, write: bool) -> int:
    if flags:
        raise KernelError(errno.EINVAL)
    local = _iovecs(p, lvec, liovcnt)
    if not sum(n for _, n in local):
        return 0                 # before the remote vector and the pid are looked at
    remote = _iovecs(p, rvec, riovcnt)
    target = _target(p, pid)
    moved, li, loff = 0, 0, 0          # bytes moved; the local iovec and offset in it
    try:
        for base, length in remote:
            at = 0
            while at < length:
                while li < len(local) and loff == local[li][1]:
                    li, loff = li + 1, 0
                if li == len(local):
                    return moved
                laddr = local[li][0] + loff
                n = min(length - at, local[li][1] - loff,      # a page at a time, each side
                        PAGE - (base + at) % PAGE, PAGE - laddr % PAGE)
                if write:
                    target.mm.write(base + at, p.mm.read(laddr, n))
                else:
                    p.mm.write(laddr, target.mm.read(base + at, n))
                moved, at, loff = moved + n, at + n, loff + n
    except Fault:
        if not moved:
            raise KernelError(errno.EFAULT) from None
    return moved


def _target(p, pid: int):
    """The process with that pid whose memory the caller may reach (mm_access with
    PTRACE_MODE_ATTACH_REALCREDS): ESRCH without one, EPERM when the check refuses."""
    target = p.kernel.procs.get(pid) if pid > 0 else None
    if target is None or not target.alive or target.mm is None:
        raise KernelError(errno.ESRCH)
    if target.tgid != p.tgid and not may_attach(p, target):
        raise KernelError(errno.EPERM)
    return target
