"""Robust futex lists (set_robust_list, get_robust_list): a thread names a list of the
mutexes it holds, and when it ends (its process too, killed or not) the kernel marks each
one it still owns FUTEX_OWNER_DIED and wakes a waiter, who then locks it with EOWNERDEAD
(kernel/futex/core.c: exit_robust_list, handle_futex_death). Process-shared robust mutexes
(LMDB, PipeWire, databases) recover from a dead holder so."""
from __future__ import annotations

import errno

from ..errors import Fault, KernelError

FUTEX_WAITERS, FUTEX_OWNER_DIED, FUTEX_TID_MASK = 0x80000000, 0x40000000, 0x3FFFFFFF
ROBUST_LIST_LIMIT = 2048       # entries walked at most: a loop in the list ends here


def _head_size(p) -> int:
    return 24 if p.sysvec.word_bits == 64 else 12   # struct robust_list_head


def sys_set_robust_list(p, head, length):
    if length != _head_size(p):
        raise KernelError(errno.EINVAL)
    p.linux.robust_list = head
    return 0


def sys_get_robust_list(p, pid, head_ptr, len_ptr):
    target = p if pid == 0 else p.kernel.procs.get(pid)
    from .personality import LinuxProcess
    if target is None or not target.alive or not isinstance(target.pstate, LinuxProcess):
        raise KernelError(errno.ESRCH)
    p.mm.write_word(head_ptr, target.linux.robust_list)
    p.mm.write_word(len_ptr, _head_size(p))
    return 0


def exit_robust_list(proc) -> None:
    """Walk the ending thread's list (what is still readable of it) and release its
    mutexes to their waiters."""
    head = proc.linux.robust_list
    proc.linux.robust_list = 0
    if not head or proc.mm is None:
        return
    mm, wide = proc.mm, proc.sysvec.word_bits == 64
    word = 8 if wide else 4
    try:
        entry = mm.read_word(head)
        offset = mm.read_word(head + word)
        pending = mm.read_word(head + 2 * word)
    except (Fault, KernelError):
        return
    pending_pi, pending = bool(pending & 1), pending & ~1
    pi = bool(entry & 1)
    if not wide and offset >= 1 << 31:
        offset -= 1 << 32                          # futex_offset is a signed long
    elif wide and offset >= 1 << 63:
        offset -= 1 << 64
    mask = (1 << (8 * word)) - 1
    for _ in range(ROBUST_LIST_LIMIT):
        entry &= ~1                                # bit 0 marks a PI futex
        if entry == head or not entry:
            break
        try:
            following = mm.read_word(entry)        # read before the entry is released
        except (Fault, KernelError):
            break
        if entry != pending:
            _futex_death(proc, (entry + offset) & mask, pi)
        entry = following
        pi = bool(entry & 1)
    if pending:
        _futex_death(proc, (pending + offset) & mask, pending_pi)


def _futex_death(proc, uaddr: int, pi: bool) -> None:
    """handle_futex_death: a mutex word the dead thread owns gets FUTEX_OWNER_DIED (keeping
    FUTEX_WAITERS), and one waiter is woken; a priority-inheritance mutex goes straight to
    its first waiter, marked so (exit_pi_state_list)."""
    from .futex_pi import hand_over
    from .misc import futex_wake
    if uaddr % 4:
        return
    try:
        value = proc.mm.read_u32(uaddr)
        if value & FUTEX_TID_MASK != proc.pid:
            return
        if pi:
            hand_over(proc, uaddr, FUTEX_OWNER_DIED)
            return
        proc.mm.write_u32(uaddr, (value & FUTEX_WAITERS) | FUTEX_OWNER_DIED)
        futex_wake(proc, uaddr, 1)
    except (Fault, KernelError):
        pass
