"""ptrace (kernel/ptrace.c, arch/x86/kernel/ptrace.c): the attach-and-inspect part, which
LeakSanitizer's stop-the-world and glibc's pldd use. PTRACE_ATTACH makes the caller a
thread's tracer and stops it with SIGSTOP; from then on every signal the tracee would act
on stops it for its tracer instead (signals.ptrace_stop), a stop the tracer's wait reports
as a child's whether or not the tracee is its child; while it is stopped the tracer reads
and writes its memory (PEEK/POKE) and reads its registers (GETREGS, GETREGSET
NT_PRSTATUS) and its stop's siginfo, and lets it go on with PTRACE_CONT or PTRACE_DETACH,
passing the signal on or not. A tracer's end detaches its tracees, a tracee's end unlinks
it. Syscall, exec-event and single-step tracing (TRACEME, SYSCALL, SINGLESTEP, SEIZE,
SETOPTIONS ...) and writing registers are not here: ENOSYS."""
from __future__ import annotations

import errno
import struct

from unicorn import x86_const as X

from ..errors import Fault, KernelError
from ..pcb import State
from .. import signals
from ..perm import CAP_SYS_PTRACE
from .coredump import NT_PRSTATUS, REGS32, REGS64
from .cred import cred_of
from .personality import LinuxProcess
from .sigframe import _siginfo

PTRACE_TRACEME, PTRACE_PEEKTEXT, PTRACE_PEEKDATA, PTRACE_PEEKUSR = 0, 1, 2, 3
PTRACE_POKETEXT, PTRACE_POKEDATA, PTRACE_POKEUSR, PTRACE_CONT, PTRACE_KILL = 4, 5, 6, 7, 8
PTRACE_SINGLESTEP, PTRACE_GETREGS, PTRACE_SETREGS, PTRACE_GETFPREGS = 9, 12, 13, 14
PTRACE_SETFPREGS, PTRACE_ATTACH, PTRACE_DETACH, PTRACE_GETFPXREGS = 15, 16, 17, 18
PTRACE_SETFPXREGS, PTRACE_OLDSETOPTIONS, PTRACE_GET_THREAD_AREA = 19, 21, 25
PTRACE_SET_THREAD_AREA, PTRACE_ARCH_PRCTL, PTRACE_SYSEMU, PTRACE_SYSEMU_SINGLESTEP = 26, 30, 31, 32
PTRACE_SINGLEBLOCK, PTRACE_SYSCALL = 33, 24
PTRACE_SETOPTIONS, PTRACE_GETEVENTMSG, PTRACE_GETSIGINFO, PTRACE_SETSIGINFO = \
    0x4200, 0x4201, 0x4202, 0x4203
PTRACE_GETREGSET, PTRACE_SETREGSET, PTRACE_SEIZE, PTRACE_INTERRUPT = 0x4204, 0x4205, 0x4206, 0x4207
PTRACE_LISTEN, PTRACE_PEEKSIGINFO, PTRACE_GETSIGMASK, PTRACE_SETSIGMASK = \
    0x4208, 0x4209, 0x420A, 0x420B
PTRACE_SECCOMP_GET_FILTER, PTRACE_SECCOMP_GET_METADATA = 0x420C, 0x420D
PTRACE_GET_SYSCALL_INFO, PTRACE_GET_RSEQ_CONFIGURATION = 0x420E, 0x420F
PTRACE_SET_SYSCALL_USER_DISPATCH_CONFIG, PTRACE_GET_SYSCALL_USER_DISPATCH_CONFIG = 0x4210, 0x4211
# Requests Linux knows that are not answered here (the rest it answers EIO).
NOT_HERE = {PTRACE_TRACEME, PTRACE_PEEKUSR, PTRACE_POKEUSR, PTRACE_SINGLESTEP, PTRACE_SETREGS,
            PTRACE_GETFPREGS, PTRACE_SETFPREGS, PTRACE_GETFPXREGS, PTRACE_SETFPXREGS,
            PTRACE_OLDSETOPTIONS, PTRACE_GET_THREAD_AREA, PTRACE_SET_THREAD_AREA,
            PTRACE_ARCH_PRCTL, PTRACE_SYSEMU, PTRACE_SYSEMU_SINGLESTEP, PTRACE_SINGLEBLOCK,
            PTRACE_SYSCALL, PTRACE_SETOPTIONS, PTRACE_GETEVENTMSG, PTRACE_SETSIGINFO,
            PTRACE_SETREGSET, PTRACE_SEIZE, PTRACE_INTERRUPT, PTRACE_LISTEN,
            PTRACE_PEEKSIGINFO, PTRACE_GETSIGMASK, PTRACE_SETSIGMASK,
            PTRACE_SECCOMP_GET_FILTER, PTRACE_SECCOMP_GET_METADATA, PTRACE_GET_SYSCALL_INFO,
            PTRACE_GET_RSEQ_CONFIGURATION, PTRACE_SET_SYSCALL_USER_DISPATCH_CONFIG,
            PTRACE_GET_SYSCALL_USER_DISPATCH_CONFIG}
NT_PRFPREG, NT_PRXFPREG, NT_386_TLS, NT_X86_XSTATE = 2, 0x46E62B7F, 0x200, 0x202
REGSETS_NOT_HERE = {NT_PRFPREG, NT_PRXFPREG, NT_386_TLS, NT_X86_XSTATE}


def may_attach(p, target) -> bool:
    """ptrace_may_access(PTRACE_MODE_ATTACH_REALCREDS): the caller's real ids are the
    target's real, effective and saved ones and the target is dumpable; or the caller has
    CAP_SYS_PTRACE."""
    c, t = cred_of(p), cred_of(target)
    same = (c.uid,) * 3 == (t.uid, t.euid, t.suid) and (c.gid,) * 3 == (t.gid, t.egid, t.sgid)
    dumpable = not isinstance(target.pstate, LinuxProcess) or target.linux.dumpable
    return c.capable(CAP_SYS_PTRACE) or (same and bool(dumpable))


def sys_ptrace(p, request, pid, addr, data):
    request &= 0xFFFFFFFF
    if request == PTRACE_ATTACH:
        return _attach(p, pid)
    if request in NOT_HERE:
        raise KernelError(errno.ENOSYS)
    if request not in ANSWERS:
        raise KernelError(errno.EIO)
    child = _stopped_tracee(p, pid, request == PTRACE_KILL)
    return ANSWERS[request](p, child, addr, data)


def _attach(p, pid: int) -> int:
    """ptrace_attach: a thread of another process, not traced yet, that the caller may
    attach to; it gets SIGSTOP, as PTRACE_ATTACH sends."""
    target = p.kernel.procs.get(pid) if pid > 0 else None
    if target is None or not target.alive or target.sysvec is None:
        raise KernelError(errno.ESRCH)
    if target.tgid == p.tgid or not may_attach(p, target):
        raise KernelError(errno.EPERM)
    if target.ptracer is not None:
        raise KernelError(errno.EPERM)
    target.ptracer = p
    p.ptraced.append(target)
    signals.send(target, signals.SIGSTOP, signals.SigInfo())     # SEND_SIG_PRIV: SI_KERNEL
    return 0


def _stopped_tracee(p, pid: int, any_state: bool):
    """ptrace_check_attach: a thread this one traces, held in a ptrace stop (PTRACE_KILL
    takes it in any state); else ESRCH."""
    child = p.kernel.procs.get(pid) if pid > 0 else None
    if child is None or child.ptracer is not p or not child.alive:
        raise KernelError(errno.ESRCH)
    if not any_state and not child.ptrace_stop:
        raise KernelError(errno.ESRCH)
    return child


def _word(p) -> int:
    return p.sysvec.word_bits // 8


def _peek(p, child, addr, data):
    """PEEKTEXT/PEEKDATA: the system call stores the word at data (glibc's wrapper returns
    it); a word that cannot be read all is EIO (access_process_vm read less)."""
    size = _word(p)
    try:
        word = child.mm.read(addr, size)
    except (Fault, KernelError):
        raise KernelError(errno.EIO) from None
    if len(word) != size:
        raise KernelError(errno.EIO)
    p.mm.write(data, word)
    return 0


def _poke(p, child, addr, data):
    """POKETEXT/POKEDATA: a word written as the tracee's own, even through a read-only
    private page (FOLL_FORCE); code already translated from it is dropped."""
    size = _word(p)
    try:
        child.mm.write_force(addr, (data & ((1 << 8 * size) - 1)).to_bytes(size, "little"))
    except (Fault, KernelError):
        raise KernelError(errno.EIO) from None
    if child.engine is not None:
        child.engine.uc.ctl_flush_tb()
    return 0


def _user_regs(child) -> bytes:
    """struct user_regs_struct of a stopped thread, from its saved context (orig_ax -1:
    not stopped in a system call's entry or exit)."""
    engine = child.engine
    wide = engine.bits == 64
    buf = engine.ffi.new("uint64_t[2]")
    values = []
    for name in REGS64 if wide else REGS32:
        if name is None:
            values.append(-1)
            continue
        buf[0] = 0
        engine.lib.uc_context_reg_read(child.context, getattr(X, f"UC_X86_REG_{name}"), buf)
        values.append(buf[0])
    mask = (1 << (64 if wide else 32)) - 1
    return struct.pack(f"<{len(values)}{'Q' if wide else 'I'}", *(v & mask for v in values))


def _same_width(p, child) -> None:
    if child.engine is None or child.context is None or \
            child.engine.bits != p.sysvec.word_bits:
        raise KernelError(errno.EIO)     # (a 32-bit tracer of a 64-bit thread: not here)


def _getregs(p, child, addr, data):
    _same_width(p, child)
    p.mm.write(data, _user_regs(child))
    return 0


def _getregset(p, child, addr, data):
    """PTRACE_GETREGSET: data is an iovec; the regset (NT_PRSTATUS: the general registers)
    is cut to its length, which is set to what was written."""
    _same_width(p, child)
    if addr in REGSETS_NOT_HERE:
        raise KernelError(errno.ENOSYS)
    if addr != NT_PRSTATUS:
        raise KernelError(errno.EINVAL)
    wide = p.sysvec.word_bits == 64
    fmt = "<QQ" if wide else "<II"
    base, length = struct.unpack(fmt, p.mm.read(data, struct.calcsize(fmt)))
    regs = _user_regs(child)[:length]
    p.mm.write(base, regs)
    p.mm.write(data + struct.calcsize(fmt) // 2, struct.pack(fmt[:2], len(regs)))
    return 0


def _getsiginfo(p, child, addr, data):
    p.mm.write(data, _siginfo(child.ptrace_stop, child.ptrace_info, p.sysvec.word_bits))
    return 0


def _resume(child, sig: int, tracer=None) -> None:
    """The tracee goes on from its stop; a signal the tracer gave is the one it acts on
    (pending again, delivered without another stop); one other than the stop's comes
    from the tracer (ptrace_signal's SI_USER)."""
    if sig:
        info = child.ptrace_info if sig == child.ptrace_stop and \
            child.ptrace_info is not None else \
            signals.SigInfo(signals.SI_USER, tracer.tgid if tracer is not None else 0,
                            _uid(tracer) if tracer is not None else 0)
        queued = child.siginfo.setdefault(sig, [])
        queued.insert(0, info)
        child.pending |= signals.bit(sig)
        child.ptrace_passed = sig
    child.ptrace_stop, child.ptrace_report, child.ptrace_info = 0, 0, None
    if child.state == State.BLOCKED and not child.stopped:
        child.state, child.wait = State.RUNNABLE, None


def _uid(p) -> int:
    cred = cred_of(p)
    return cred.uid if cred is not None else 0


def _signal_arg(data: int) -> int:
    if not 0 <= data <= signals.NSIG:
        raise KernelError(errno.EIO)     # valid_signal
    return data


def _cont(p, child, addr, data):
    _resume(child, _signal_arg(data), p)
    return 0


def _detach(p, child, addr, data):
    sig = _signal_arg(data)
    _unlink(child)
    _resume(child, sig, p)
    return 0


def _kill(p, child, addr, data):
    """PTRACE_KILL: SIGKILL, as kill -9 (the stop does not hold it)."""
    signals.send(child, signals.SIGKILL)
    return 0


ANSWERS = {PTRACE_PEEKTEXT: _peek, PTRACE_PEEKDATA: _peek, PTRACE_POKETEXT: _poke,
           PTRACE_POKEDATA: _poke, PTRACE_GETREGS: _getregs, PTRACE_GETREGSET: _getregset,
           PTRACE_GETSIGINFO: _getsiginfo, PTRACE_CONT: _cont, PTRACE_DETACH: _detach,
           PTRACE_KILL: _kill}


def _unlink(child) -> None:
    tracer = child.ptracer
    if tracer is not None and child in tracer.ptraced:
        tracer.ptraced.remove(child)
    child.ptracer = None
    child.ptrace_passed = 0


def exit_ptrace(proc) -> None:
    """A thread ends: the threads it traced are let go (exit_ptrace; one held in a stop
    goes on), and if it was traced it leaves its tracer's list."""
    for child in list(proc.ptraced):
        _unlink(child)
        if child.alive:
            _resume(child, 0)
    _unlink(proc)
    proc.ptrace_stop = proc.ptrace_report = 0


def tracees(p) -> list:
    """The threads a wait of p's may report ptrace stops of: those any thread of its group
    traces (do_wait walks each thread's ptraced list)."""
    return [c for t in (p.group or [p]) for c in t.ptraced]
