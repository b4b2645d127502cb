"""Linux signal calls: rt_sigaction, rt_sigprocmask, rt_sigreturn / sigreturn, sigaltstack,
rt_sigsuspend, pause, rt_sigpending."""
from __future__ import annotations

import errno
import struct

from unicorn import x86_const as X

from ..errors import Fault, KernelError
from ..kernel import Block
from ..pcb import SigAction
from .. import signals
from . import sigframe

SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK = 0, 1, 2


def _check_sig(sig: int) -> None:
    if not 1 <= sig <= signals.NSIG:
        raise KernelError(errno.EINVAL)


def _read_sigaction(p, addr) -> SigAction:
    if p.sysvec.word_bits == 64:
        handler, flags, restorer, mask = struct.unpack("<QQQQ", p.mm.read(addr, 32))
    else:
        handler, flags, restorer, mask = struct.unpack("<IIIQ", p.mm.read(addr, 20))
    return SigAction(handler, flags, restorer, mask & ~signals.UNBLOCKABLE)


def _write_sigaction(p, addr, act: SigAction) -> None:
    if p.sysvec.word_bits == 64:
        p.mm.write(addr, struct.pack("<QQQQ", act.handler, act.flags, act.restorer, act.mask))
    else:
        p.mm.write(addr, struct.pack("<IIIQ", act.handler & 0xFFFFFFFF, act.flags & 0xFFFFFFFF,
                                     act.restorer & 0xFFFFFFFF, act.mask))


def sys_rt_sigaction(p, sig, act, oact, sigsetsize):
    if sigsetsize != 8:           # sizeof(sigset_t), checked before anything else
        raise KernelError(errno.EINVAL)
    _check_sig(sig)
    if act and sig in (signals.SIGKILL, signals.SIGSTOP):
        raise KernelError(errno.EINVAL)
    new = _read_sigaction(p, act) if act else None
    if oact:
        _write_sigaction(p, oact, p.sigactions.get(sig, SigAction()))
    if new is not None:
        _set_action(p, sig, new)
    return 0


def _set_action(p, sig: int, new: SigAction) -> None:
    """do_sigaction: a signal now ignored is discarded if pending."""
    p.sigactions[sig] = new
    if new.handler == signals.SIG_IGN or (new.handler == signals.SIG_DFL and
                                          sig in signals.IGNORED_BY_DEFAULT):
        p.pending &= ~signals.bit(sig)


def sys_sigaction(p, sig, act, oact):
    """i386 old sigaction: handler, 32-bit mask, flags, restorer."""
    _check_sig(sig)
    if act and sig in (signals.SIGKILL, signals.SIGSTOP):
        raise KernelError(errno.EINVAL)   # as rt_sigaction: these cannot be caught or ignored
    new = None
    if act:
        handler, mask, flags, restorer = struct.unpack("<IIII", p.mm.read(act, 16))
        new = SigAction(handler, flags, restorer, mask & ~signals.UNBLOCKABLE)
    if oact:
        a = p.sigactions.get(sig, SigAction())
        p.mm.write(oact, struct.pack("<IIII", *(v & 0xFFFFFFFF for v in
                                                (a.handler, a.mask, a.flags, a.restorer))))
    if new is not None:
        _set_action(p, sig, new)
    return 0


def sys_signal(p, sig, handler):
    """i386 signal(2): the System V semantics, SA_RESETHAND | SA_NODEFER; the old handler."""
    _check_sig(sig)
    if sig in (signals.SIGKILL, signals.SIGSTOP):
        raise KernelError(errno.EINVAL)
    old = p.sigactions.get(sig, SigAction()).handler
    _set_action(p, sig, SigAction(handler, signals.SA_RESETHAND | signals.SA_NODEFER))
    return old & 0xFFFFFFFF


def sys_rt_sigprocmask(p, how, nset, oset, sigsetsize):
    if sigsetsize != 8:           # sizeof(sigset_t), checked before anything else
        raise KernelError(errno.EINVAL)
    old = p.sigmask
    if nset:
        mask = struct.unpack("<Q", p.mm.read(nset, 8))[0]
        if how == SIG_BLOCK:
            p.sigmask |= mask
        elif how == SIG_UNBLOCK:
            p.sigmask &= ~mask
        elif how == SIG_SETMASK:
            p.sigmask = mask
        else:
            raise KernelError(errno.EINVAL)
        p.sigmask &= ~signals.UNBLOCKABLE
    if oset:
        p.mm.write(oset, struct.pack("<Q", old))
    return 0


def sys_sigprocmask(p, how, nset, oset):
    """i386 old sigprocmask: the mask's first word only (SIG_SETMASK keeps the real-time
    signals' word, as the kernel's old_sigset_t version does)."""
    old = p.sigmask
    if nset:
        mask = p.mm.read_u32(nset)
        if how not in (SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK):
            raise KernelError(errno.EINVAL)
        p.sigmask = {SIG_BLOCK: old | mask, SIG_UNBLOCK: old & ~mask,
                     SIG_SETMASK: (old & ~0xFFFFFFFF) | mask}[how] & ~signals.UNBLOCKABLE
    if oset:
        p.mm.write_u32(oset, old & 0xFFFFFFFF)
    return 0


def sys_sgetmask(p):
    """i386: the first word of the blocked mask."""
    return p.sigmask & 0xFFFFFFFF


def sys_ssetmask(p, newmask):
    """i386: set the blocked mask's first word; the old one."""
    old = p.sigmask
    p.sigmask = ((old & ~0xFFFFFFFF) | (newmask & 0xFFFFFFFF)) & ~signals.UNBLOCKABLE
    return old & 0xFFFFFFFF


def sys_rt_sigreturn(p):
    try:
        if p.sysvec.word_bits == 64:
            sigframe.sigreturn64(p)
        else:
            sigframe.sigreturn32(p, rt=True)
    except Fault:
        sigframe.bad_frame(p)
    return 0


def sys_sigreturn(p):
    try:
        sigframe.sigreturn32(p, rt=False)
    except Fault:
        sigframe.bad_frame(p)
    return 0


SS_ONSTACK, SS_DISABLE, SS_AUTODISARM, MINSIGSTKSZ = 1, 2, 1 << 31, 2048


def sys_sigaltstack(p, ss, old_ss):
    """The alternate signal stack SA_ONSTACK handlers run on (stack overflow handlers)."""
    wide = p.sysvec.word_bits == 64
    fmt = "<QiiQ" if wide else "<Iii"
    sp = p.engine.uc.reg_read(X.UC_X86_REG_RSP if wide else X.UC_X86_REG_ESP)
    on_it = sigframe.on_alternate_stack(p, sp)
    new = None
    if ss:
        raw = p.mm.read(ss, struct.calcsize(fmt))
        base, flags, size = (struct.unpack(fmt, raw)[i] for i in ((0, 1, 3) if wide else (0, 1, 2)))
        if on_it:
            raise KernelError(errno.EPERM)
        if flags & ~(SS_DISABLE | SS_AUTODISARM):
            raise KernelError(errno.EINVAL)
        if not flags & SS_DISABLE:
            if size < MINSIGSTKSZ:
                raise KernelError(errno.ENOMEM)
            new = (base, size)
    if old_ss:
        if p.altstack is None:
            old = (0, SS_DISABLE, 0)
        else:
            old = (p.altstack[0], SS_ONSTACK if on_it else 0, p.altstack[1])
        p.mm.write(old_ss, struct.pack(fmt, old[0], old[1], 0, old[2]) if wide else
                   struct.pack(fmt, *old))
    if ss:
        p.altstack = new
    return 0


def sys_rt_sigpending(p, uset, sigsetsize):
    p.mm.write(uset, struct.pack("<Q", p.pending & p.sigmask))
    return 0


def _suspend(p, mask):
    """Wait for a signal with a temporary mask; -EINTR once one is delivered, its handler's
    frame restoring the caller's mask. A signal already pending that the temporary mask lets
    through ends the wait at once (zsh's pipelines: SIGCHLD pending, sigsuspend(empty))."""
    state = p.linux.suspend
    if state is None:                       # entering, not a restart after the wait
        state = p.linux.suspend = {"saved": p.sigmask}
        if mask is not None:
            p.sigmask = mask & ~signals.UNBLOCKABLE

    def interrupted() -> None:
        p.linux.suspend = None
        p.saved_sigmask = state["saved"]    # the handler's frame restores this mask
    if signals.deliverable(p):
        interrupted()
        raise KernelError(errno.EINTR)
    raise Block(lambda: bool(signals.deliverable(p)), restartable=False,
                on_interrupt=interrupted)


def sys_rt_sigsuspend(p, mask, sigsetsize):
    return _suspend(p, struct.unpack("<Q", p.mm.read(mask, 8))[0])


def sys_sigsuspend(p, unused1, unused2, mask):
    """i386 old sigsuspend: the temporary mask is the 32-bit word given, the rest clear
    (siginitset)."""
    return _suspend(p, mask & 0xFFFFFFFF)


def sys_sigpending(p, uset):
    """i386 old sigpending: the first word of the pending, blocked signals."""
    p.mm.write_u32(uset, p.pending & p.sigmask & 0xFFFFFFFF)
    return 0


def sys_pause(p):
    return _suspend(p, None)


def _sigtimedwait(p, uthese, uinfo, uts, wide):
    """Take one pending signal of the set (blocked ones included: that is what sigwait is
    for), waiting until the timeout; EAGAIN when it passes."""
    import time as host_time
    from .time import _read_timespec

    wanted = struct.unpack("<Q", p.mm.read(uthese, 8))[0] & ~signals.UNBLOCKABLE
    holder = _holder(p, wanted)
    if holder is not None:
        pending = holder.pending & wanted
        sig = (pending & -pending).bit_length()
        holder.pending &= ~signals.bit(sig)
        p.linux.sigwait_deadline = None
        p.sigwait_set = 0
        info = signals.take_info(holder, sig)
        if uinfo:
            p.mm.write(uinfo, sigframe._siginfo(sig, info, p.sysvec.word_bits))
        return sig
    deadline = p.linux.sigwait_deadline
    if deadline is None and uts:
        deadline = p.linux.sigwait_deadline = host_time.monotonic() + _read_timespec(p, uts, wide)
    if deadline is not None and host_time.monotonic() >= deadline:
        p.linux.sigwait_deadline = None
        p.sigwait_set = 0
        raise KernelError(errno.EAGAIN)
    p.sigwait_set = wanted          # a process-directed signal every thread blocks comes here
    raise Block(lambda: _holder(p, wanted) is not None, deadline=deadline, restartable=False,
                on_interrupt=lambda: setattr(p, "sigwait_set", 0))


def _holder(p, wanted: int):
    """The thread whose pending set has a signal of wanted for p's sigwait: p's own, or a
    process-directed one that every thread blocks, left with the main thread (Linux's
    shared pending set)."""
    if p.pending & wanted:
        return p
    leader = p.group_leader()
    if leader is not p and leader.alive and leader.pending & wanted & leader.sigmask:
        return leader
    return None


def sys_rt_sigtimedwait(p, uthese, uinfo, uts, sigsetsize):
    return _sigtimedwait(p, uthese, uinfo, uts, None)


def sys_rt_sigtimedwait_time64(p, uthese, uinfo, uts, sigsetsize):
    return _sigtimedwait(p, uthese, uinfo, uts, True)
