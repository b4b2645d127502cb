"""ptrace (kernel/ptrace.c, arch/x86/kernel/ptrace.c), what LeakSanitizer, pldd, strace and
gdb use. PTRACE_ATTACH/SEIZE/TRACEME make a thread's tracer; from then on every signal the
tracee would act on stops it for its tracer instead (signals.ptrace_stop), as do its system
calls under PTRACE_SYSCALL (csrc/trap.c tells trap_stop of each, C's calls included), one
instruction under PTRACE_SINGLESTEP, and the events its options ask for (fork, exec, exit);
the tracer's wait reports each stop whether or not the tracee is its child. While it is
stopped the tracer reads and writes its memory and registers (orig_ax and ax of a call's
stops included: a call can be skipped or changed) and lets it go on, passing a signal or
not. A tracer's end lets its tracees go; a tracee's end is its tracer's to report first."""
from __future__ import annotations

import errno
import struct

from unicorn import x86_const as X

from ..errors import Fault, KernelError
from ..block import Block
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
NOT_HERE = {PTRACE_SETFPXREGS, PTRACE_OLDSETOPTIONS, PTRACE_SET_THREAD_AREA,
            PTRACE_SYSEMU, PTRACE_SYSEMU_SINGLESTEP, PTRACE_SINGLEBLOCK, PTRACE_SETSIGINFO,
            PTRACE_SETREGSET, PTRACE_PEEKSIGINFO, PTRACE_SECCOMP_GET_FILTER,
            PTRACE_SECCOMP_GET_METADATA, PTRACE_GET_RSEQ_CONFIGURATION,
            PTRACE_SET_SYSCALL_USER_DISPATCH_CONFIG, PTRACE_GET_SYSCALL_USER_DISPATCH_CONFIG}
NT_PRFPREG, NT_PRXFPREG, NT_386_TLS, NT_X86_XSTATE = 2, 0x46E62B7F, 0x200, 0x202

PTRACE_O_TRACESYSGOOD, PTRACE_O_TRACEFORK, PTRACE_O_TRACEVFORK = 1, 2, 4
PTRACE_O_TRACECLONE, PTRACE_O_TRACEEXEC, PTRACE_O_TRACEVFORKDONE = 8, 0x10, 0x20
PTRACE_O_TRACEEXIT, PTRACE_O_TRACESECCOMP = 0x40, 0x80
PTRACE_O_EXITKILL, PTRACE_O_SUSPEND_SECCOMP = 0x100000, 0x200000
PTRACE_O_MASK = 0xFF | PTRACE_O_EXITKILL | PTRACE_O_SUSPEND_SECCOMP
PTRACE_EVENT_FORK, PTRACE_EVENT_VFORK, PTRACE_EVENT_CLONE, PTRACE_EVENT_EXEC = 1, 2, 3, 4
PTRACE_EVENT_VFORK_DONE, PTRACE_EVENT_EXIT, PTRACE_EVENT_STOP = 5, 6, 128
# PTRACE_GET_SYSCALL_INFO's op: what the tracee is stopped in
INFO_NONE, INFO_ENTRY, INFO_EXIT = 0, 1, 2
AUDIT_ARCH_X86_64, AUDIT_ARCH_I386 = 0xC000003E, 0x40000003
TRAP_BRKPT, TRAP_TRACE = 1, 2
# where a tracee's system call is: not in one, stopped at its entry and let go (the call at
# the trap runs next), or running (it may block and restart)
NO_CALL, ENTERED, RUNNING = 0, 1, 2
ENOSYS_RESULT = -errno.ENOSYS
ERESTARTSYS = 512
# struct user's u_debugreg: offsetof on x86-64 and on i386
DEBUGREG_OFFSET = {64: 848, 32: 252}


class Tracee:
    """What a traced thread's tracer set and what its stop is: the options
    (PTRACE_SETOPTIONS), whether it stops at system calls (PTRACE_SYSCALL) or after one
    instruction (PTRACE_SINGLESTEP), the call it is in, and for a system-call stop the
    number, orig_ax and arguments GETREGS and GET_SYSCALL_INFO show; stops waiting for the
    one it is in to end; GETEVENTMSG's message; the debug registers PEEKUSER shows."""

    def __init__(self, options: int = 0, seized: bool = False):
        self.options, self.seized = options, seized
        self.syscalls = self.step = False
        self.call = NO_CALL
        self.info = INFO_NONE            # the stop's kind, for GET_SYSCALL_INFO
        self.nr = 0
        self.orig_ax = -1
        self.ax = None                   # rax shown instead of the saved one (entry: -ENOSYS)
        self.next_pc = self.sp = 0       # an entry stop's: after the trap instruction
        self.args = (0,) * 6
        self.rval = 0
        self.message = 0
        self.queued = []                 # (status, info, message) stops after this one
        self.debugreg = [0] * 8
        self.listening = False           # PTRACE_LISTEN: stopped, out of the tracer's hold
        self.exiting = False             # its PTRACE_EVENT_EXIT stop was reported
        self.checks_on = False           # a single step turned the exit checks on

    # What the core (kernel.py, signals.py) asks of a tracee, through proc.ptrace: the core
    # imports no personality.
    def arm(self, proc) -> None:
        arm(proc)

    def trap_stop(self, proc, what: int) -> None:
        trap_stop(proc, what)

    def continued(self, proc) -> None:
        continued(proc)

    def report_exit(self, proc) -> None:
        report_exit(proc)

    def before_signal(self, proc) -> bool:
        """A signal is about to be acted on while a call that blocked is still open (it
        will restart or fail): the call's exit stop comes first, its result -ERESTARTSYS as
        Linux's; the call starts over, with a new entry stop, once the signal is dealt
        with."""
        if self.call == NO_CALL or not self.syscalls:
            self.call = NO_CALL
            return False
        self.call = NO_CALL
        self.orig_ax, self.ax, self.rval = self.nr, -ERESTARTSYS, -ERESTARTSYS
        _trap(proc, INFO_EXIT)
        return True


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
    if request == PTRACE_TRACEME:
        return _traceme(p)
    if request in (PTRACE_ATTACH, PTRACE_SEIZE):
        return _attach(p, pid, request == PTRACE_SEIZE, addr, data)
    if request in NOT_HERE:
        raise KernelError(errno.ENOSYS)
    if request not in ANSWERS:
        raise KernelError(errno.EIO)
    child = _stopped_tracee(p, pid, request in (PTRACE_KILL, PTRACE_INTERRUPT))
    return ANSWERS[request](p, child, addr, data)


def _link(tracer, target, options: int = 0, seized: bool = False) -> None:
    target.ptracer = tracer
    target.ptrace = Tracee(options, seized)
    tracer.ptraced.append(target)


def _traceme(p) -> int:
    """PTRACE_TRACEME: the parent becomes the caller's tracer (it must not be traced yet)."""
    parent = p.parent
    if p.ptracer is not None or parent is None or not parent.alive:
        raise KernelError(errno.EPERM)
    _link(parent, p)
    return 0


def _attach(p, pid: int, seize: bool, addr: int, data: int) -> int:
    """ptrace_attach: a thread of another process, not traced yet, that the caller may
    attach to; PTRACE_ATTACH sends it SIGSTOP, PTRACE_SEIZE (data: its options) does not."""
    if seize and (addr or data & ~PTRACE_O_MASK & 0xFFFFFFFF):
        raise KernelError(errno.EIO)
    target = p.kernel.procs.get(pid) if pid > 0 else None
    if target is None or not target.alive or target.sysvec is None:
        raise KernelError(errno.ESRCH)
    if target.tgid == p.tgid or not may_attach(p, target):
        raise KernelError(errno.EPERM)
    if target.ptracer is not None:
        raise KernelError(errno.EPERM)
    _link(p, target, data if seize else 0, seize)
    if not seize:
        signals.send(target, signals.SIGSTOP, signals.SigInfo())     # SEND_SIG_PRIV: SI_KERNEL
    elif target.stopped:        # a stopped one traps to its new tracer (JOBCTL_TRAP_STOP)
        _event_stop(target, PTRACE_EVENT_STOP, 0, sig=signals.SIGSTOP)
    return 0


def _stopped_tracee(p, pid: int, any_state: bool):
    """ptrace_check_attach: a thread this one traces, held in a ptrace stop (PTRACE_KILL
    and PTRACE_INTERRUPT take it in any state); else ESRCH."""
    child = p.kernel.procs.get(pid) if pid > 0 else None
    if child is None or child.ptracer is not p or not child.alive:
        raise KernelError(errno.ESRCH)
    if not any_state and not child.ptrace_stop:
        raise KernelError(errno.ESRCH)
    return child


def _word(p) -> int:
    return p.sysvec.word_bits // 8


# --- stops ------------------------------------------------------------------------------------

def _status(proc, info: int) -> int:
    """A system-call stop's signal in the wait status: SIGTRAP, | 0x80 with TRACESYSGOOD."""
    sysgood = proc.ptrace.options & PTRACE_O_TRACESYSGOOD
    return signals.SIGTRAP | (0x80 if sysgood else 0)


def _trap(proc, info: int) -> None:
    """A system-call stop (info: INFO_ENTRY or INFO_EXIT), or its turn after the stop it is
    in now ends (an event's, which comes first)."""
    t = proc.ptrace
    if proc.ptrace_stop:
        t.queued.append((_status(proc, info), info, None))
        return
    t.info = info
    status = _status(proc, info)
    signals.ptrace_stop(proc, signals.SIGTRAP, signals.SigInfo(status), status)


def _event_stop(proc, event: int, message: int, sig: int = signals.SIGTRAP) -> None:
    """A PTRACE_EVENT_* stop: the wait status has sig and the event above it. It comes
    before a system-call stop already entered, which the tracer has not seen yet."""
    t = proc.ptrace
    status = sig | event << 8
    if proc.ptrace_stop:
        t.queued.insert(0, (proc.ptrace_report >> 8, t.info, t.message))
        proc.ptrace_stop = proc.ptrace_report = 0
    t.info, t.message = INFO_NONE, message
    signals.ptrace_stop(proc, sig, signals.SigInfo(status), status)


def trap_stop(proc, what: int) -> None:
    """The trap path tells of a tracee's system call (csrc/trap.c's tell_ptrace): stopped
    before it (the trap instruction runs it when the tracee is let go), the call runs, or
    it returned; or the one instruction of a single step ran."""
    t = proc.ptrace
    if t is None or not proc.alive:
        return
    engine = proc.engine
    lib = engine.lib            # what csrc/trap.c tells: the SV_PTRACE_* and SV_SYSCALL_* codes
    if what == lib.SV_PTRACE_RUNS:
        t.call = RUNNING
        return
    if what in (lib.SV_PTRACE_STEPPED, lib.SV_PTRACE_STEP_ENDED):
        t.step = False
        if t.checks_on:         # as they were before the step: off with timed slices
            engine.lib.sv_engine_exit_checks(engine.handle, 0)
            engine.exit_checks = t.checks_on = False
        if what == lib.SV_PTRACE_STEPPED:
            signals.ptrace_stop(proc, signals.SIGTRAP, signals.SigInfo(TRAP_TRACE))
        return
    regs = _live_regs(engine)
    if what == lib.SV_SYSCALL_ENTRY:
        nr = int(engine.cpu.syscall_nr)
        t.call, t.nr, t.orig_ax, t.ax = ENTERED, nr, nr, ENOSYS_RESULT
        t.next_pc = int(engine.cpu.restart_pc) + 2      # syscall, sysenter, int 0x80
        t.sp = regs["sp"]
        t.args = regs["args"]
        _trap(proc, INFO_ENTRY)
    elif what == lib.SV_SYSCALL_RETURN:
        t.call, t.orig_ax, t.ax = NO_CALL, t.nr, None
        t.next_pc, t.sp = regs["pc"], regs["sp"]
        t.rval = regs["ax"]
        _trap(proc, INFO_EXIT)


ARG_REGS = {64: ("RDI", "RSI", "RDX", "R10", "R8", "R9"),
            32: ("EBX", "ECX", "EDX", "ESI", "EDI", "EBP")}


def _live_regs(engine) -> dict:
    """The running thread's pc, sp, result register and argument registers."""
    wide = engine.bits == 64
    read = engine.uc.reg_read
    mask = (1 << engine.bits) - 1
    ax = read(X.UC_X86_REG_RAX if wide else X.UC_X86_REG_EAX) & mask
    return {"pc": read(X.UC_X86_REG_RIP if wide else X.UC_X86_REG_EIP) & mask,
            "sp": read(X.UC_X86_REG_RSP if wide else X.UC_X86_REG_ESP) & mask,
            "ax": ax - (1 << engine.bits) if ax >> (engine.bits - 1) else ax,
            "args": tuple(read(getattr(X, f"UC_X86_REG_{r}")) & mask
                          for r in ARG_REGS[engine.bits])}


def arm(proc) -> None:
    """Before a tracee's slice: the trap path stops it at its system calls, or after one
    instruction, as its tracer asked (cpu->catch_syscalls; cleared when the slice ends)."""
    t = proc.ptrace
    if t is None or not (t.syscalls or t.step):
        return
    engine = proc.engine
    lib = engine.lib            # cpu->catch_syscalls' SV_CATCH_* bits
    bits = lib.SV_CATCH_PTRACE
    if t.syscalls:
        bits |= lib.SV_CATCH_ON | (lib.SV_CATCH_SKIP_ENTRY if t.call != NO_CALL else 0)
    if t.step:
        # Unicorn counts the one instruction with a code hook, whose stop lands before the
        # next instruction only with the exit checks on (csrc/exit_checks.c): retranslate
        bits |= lib.SV_CATCH_STEP
        if not engine.exit_checks:
            lib.sv_engine_exit_checks(engine.handle, 1)
            engine.exit_checks = t.checks_on = True
        engine.uc.ctl_flush_tb()
    engine.cpu.catch_syscalls = bits
    engine.cpu.catch_tid = proc.pid


def exec_stop(proc, old_pid: int) -> None:
    """A traced thread's execve succeeded: PTRACE_EVENT_EXEC (message: the thread id it
    had) with PTRACE_O_TRACEEXEC, else a SIGTRAP, as Linux's ptrace_event(EXEC) sends."""
    t = proc.ptrace
    if t is None:
        return
    if t.options & PTRACE_O_TRACEEXEC:
        _event_stop(proc, PTRACE_EVENT_EXEC, old_pid)
    elif not t.seized:
        signals.send(proc, signals.SIGTRAP, signals.SigInfo(signals.SI_USER))


def exit_event(p, status: int) -> bool:
    """A tracee with PTRACE_O_TRACEEXIT about to end by exit or exit_group stops first
    (PTRACE_EVENT_EXIT, message: its wait status); the call runs again when it is let go,
    and ends it then. Whether it stopped."""
    t = p.ptrace
    if t is None or not t.options & PTRACE_O_TRACEEXIT or t.exiting:
        return False
    t.exiting = True
    _event_stop(p, PTRACE_EVENT_EXIT, (status & 0xFF) << 8)
    p.engine.restart_call()
    return True


def fork_event(p, child, flags: int) -> None:
    """A tracee made a process or thread: with the option for its kind (TRACEFORK,
    TRACEVFORK, TRACECLONE) the child is traced too, starting in a stop (SIGSTOP; for a
    seized one PTRACE_EVENT_STOP), and the tracee stops with the event."""
    from .process import CLONE_VFORK
    t = p.ptrace
    if t is None or p.ptracer is None:
        return
    if flags & CLONE_VFORK:
        event, option = PTRACE_EVENT_VFORK, PTRACE_O_TRACEVFORK
    elif (flags & 0xFF) != signals.SIGCHLD:
        event, option = PTRACE_EVENT_CLONE, PTRACE_O_TRACECLONE
    else:
        event, option = PTRACE_EVENT_FORK, PTRACE_O_TRACEFORK
    if not t.options & option:
        return
    _link(p.ptracer, child, t.options, t.seized)
    if t.seized:
        _event_stop(child, PTRACE_EVENT_STOP, 0)
    else:
        signals.send(child, signals.SIGSTOP, signals.SigInfo())
    _event_stop(p, event, child.pid)


# --- requests ---------------------------------------------------------------------------------

def _setoptions(p, child, addr, data):
    if data & ~PTRACE_O_MASK & 0xFFFFFFFF:
        raise KernelError(errno.EINVAL)
    child.ptrace.options = data
    return 0


def _geteventmsg(p, child, addr, data):
    size = _word(p)
    p.mm.write(data, (child.ptrace.message & ((1 << 8 * size) - 1)).to_bytes(size, "little"))
    return 0


def _get_syscall_info(p, child, addr, data):
    """struct ptrace_syscall_info: the stop's kind, arch, pc and sp, and the call's number
    and arguments at an entry stop, its result at an exit stop; the size it has (the
    caller's buffer, addr bytes, gets what fits)."""
    t, engine = child.ptrace, child.engine
    wide = engine.bits == 64
    arch = AUDIT_ARCH_X86_64 if wide else AUDIT_ARCH_I386
    op = t.info if child.ptrace_stop == signals.SIGTRAP else INFO_NONE
    regs = _context_values(child)
    pc = t.next_pc if op == INFO_ENTRY else regs["RIP" if wide else "EIP"]
    sp = regs["RSP" if wide else "ESP"]
    info = struct.pack("<B3xIQQ", op, arch, pc, sp)
    if op == INFO_ENTRY:
        info += struct.pack("<7Q", t.nr, *t.args)
    elif op == INFO_EXIT:
        rval = _signed(regs["RAX" if wide else "EAX"], engine.bits) if t.ax is None else t.ax
        info += struct.pack("<qB", rval, 1 if -4095 <= rval < 0 else 0)
    p.mm.write(data, info[:addr])
    return len(info)


def _signed(value: int, bits: int) -> int:
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >> (bits - 1) else value


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


def _context_values(child) -> dict:
    """The stopped thread's general registers, by name, from its saved context."""
    engine = child.engine
    buf = engine.ffi.new("uint64_t[2]")
    values = {}
    for name in REGS64 if engine.bits == 64 else REGS32:
        if name is None:
            continue
        buf[0] = 0
        engine.lib.uc_context_reg_read(child.context, getattr(X, f"UC_X86_REG_{name}"), buf)
        values[name] = buf[0]
    return values


def _user_regs(child) -> bytes:
    """struct user_regs_struct of a stopped thread, from its saved context; orig_ax is the
    call's number at a system-call stop (-1 at any other), and at an entry stop ax is
    -ENOSYS and ip is past the trap instruction, as Linux shows them."""
    engine, t = child.engine, child.ptrace
    wide = engine.bits == 64
    values = _context_values(child)
    in_call = t is not None and child.ptrace_stop == signals.SIGTRAP and t.info != INFO_NONE
    if in_call:
        if t.ax is not None:
            values["RAX" if wide else "EAX"] = t.ax
        if t.info == INFO_ENTRY:
            values["RIP" if wide else "EIP"] = t.next_pc
    orig = t.orig_ax if in_call else -1
    # the user-mode selectors Linux's threads have (gdb tells a 64-bit thread by cs)
    if wide:
        values.update(CS=0x33, SS=0x2B, DS=0, ES=0, FS=0, GS=0)
    else:
        values.update(CS=0x23, SS=0x2B, DS=0x2B, ES=0x2B)
    mask = (1 << (64 if wide else 32)) - 1
    row = [orig if name is None else values[name] for name in (REGS64 if wide else REGS32)]
    return struct.pack(f"<{len(row)}{'Q' if wide else 'I'}", *(v & mask for v in row))


# the registers SETREGS and POKEUSER write (segment selectors and bases stay as they are)
WRITABLE = {"R15", "R14", "R13", "R12", "RBP", "RBX", "R11", "R10", "R9", "R8", "RAX", "RCX",
            "RDX", "RSI", "RDI", "RIP", "EFLAGS", "RSP", "EBX", "ECX", "EDX", "ESI", "EDI",
            "EBP", "EAX", "EIP", "ESP"}
EFLAGS_USER = 0x244DD5      # FLAG_MASK: the flags a tracer may change (CF..OF, TF, AC, ID)


def _set_user_regs(child, row: list[int]) -> None:
    """Write struct user_regs_struct values into the stopped thread's context: orig_ax and
    ax of a system-call stop are what it then runs and returns (kept apart at an entry
    stop, where the call has not run yet)."""
    engine, t = child.engine, child.ptrace
    wide = engine.bits == 64
    names = REGS64 if wide else REGS32
    old = _context_values(child)
    in_call = t is not None and child.ptrace_stop == signals.SIGTRAP and t.info != INFO_NONE
    regs = {}
    for name, value in zip(names, row):
        if name is None:
            if in_call:
                t.orig_ax = _signed(value, engine.bits)
            continue
        if name not in WRITABLE:
            continue
        if name == "EFLAGS":
            value = old[name] & ~EFLAGS_USER | value & EFLAGS_USER
        if in_call and t.info == INFO_ENTRY and name in ("RAX", "EAX"):
            t.ax = _signed(value, engine.bits)
            continue
        if in_call and t.info == INFO_ENTRY and name in ("RIP", "EIP") and value == t.next_pc:
            continue
        if in_call and t.info == INFO_EXIT and name in ("RAX", "EAX"):
            t.ax = None
        if value != old[name]:
            regs[getattr(X, f"UC_X86_REG_{name}")] = value
    if regs:
        child.kernel.set_context_regs(child, regs)


def _same_width(p, child) -> None:
    if child.engine is None or child.context is None or \
            child.engine.bits != p.sysvec.word_bits:
        raise KernelError(errno.EIO)     # (a 32-bit tracer of a 64-bit thread: not here)


def _getregs(p, child, addr, data):
    _same_width(p, child)
    p.mm.write(data, _user_regs(child))
    return 0


def _setregs(p, child, addr, data):
    _same_width(p, child)
    wide = child.engine.bits == 64
    n = len(REGS64 if wide else REGS32)
    row = list(struct.unpack(f"<{n}{'Q' if wide else 'I'}", p.mm.read(data, n * _word(p))))
    _set_user_regs(child, row)
    return 0


def _peekuser(p, child, addr, data):
    """PEEKUSR: a word of struct user at offset addr: a register, or a debug register."""
    _same_width(p, child)
    p.mm.write(data, _user_word(child, addr, None).to_bytes(_word(p), "little"))
    return 0


def _pokeuser(p, child, addr, data):
    _same_width(p, child)
    _user_word(child, addr, data)
    return 0


def _user_word(child, addr: int, value: int | None) -> int:
    """Read (value None) or write a word of struct user (arch_ptrace's PEEKUSR/POKEUSR):
    a general register, or one of the debug registers (kept; no hardware breakpoint is
    armed by them); any other aligned word of it reads 0 and takes no write."""
    bits = child.engine.bits
    size = bits // 8
    names = REGS64 if bits == 64 else REGS32
    debugreg = DEBUGREG_OFFSET[bits]
    if addr % size or addr < 0 or addr >= debugreg + 8 * size:
        raise KernelError(errno.EIO)
    if addr < len(names) * size:
        regs = list(struct.unpack(f"<{len(names)}{'Q' if bits == 64 else 'I'}",
                                  _user_regs(child)))
        if value is None:
            return regs[addr // size]
        regs[addr // size] = value & ((1 << bits) - 1)
        _set_user_regs(child, regs)
        return 0
    if addr >= debugreg:
        t = child.ptrace
        if value is None:
            return t.debugreg[(addr - debugreg) // size]
        t.debugreg[(addr - debugreg) // size] = value & ((1 << bits) - 1)
    return 0


ST_REGS = [getattr(X, f"UC_X86_REG_ST{i}") for i in range(8)]


def _fpu(child) -> dict:
    """The stopped thread's x87 and SSE state from its saved context."""
    engine = child.engine
    buf = engine.ffi.new("uint8_t[16]")

    def read(reg) -> int:
        engine.ffi.memmove(buf, bytes(16), 16)
        engine.lib.uc_context_reg_read(child.context, reg, buf)
        return int.from_bytes(engine.ffi.buffer(buf, 16), "little")
    nxmm = 16 if engine.bits == 64 else 8
    return {"fcw": read(X.UC_X86_REG_FPCW) & 0xFFFF, "fsw": read(X.UC_X86_REG_FPSW) & 0xFFFF,
            "ftw": read(X.UC_X86_REG_FPTAG) & 0xFFFF,
            "mxcsr": read(X.UC_X86_REG_MXCSR) & 0xFFFFFFFF,
            "st": [read(r) & ((1 << 80) - 1) for r in ST_REGS],
            "xmm": [read(getattr(X, f"UC_X86_REG_XMM{i}")) for i in range(nxmm)]}


def _fxsave(child, xcr0: int = 0) -> bytes:
    """The FXSAVE image (user_fpregs_struct, user_fxsr_struct): control, status, abridged
    tag, MXCSR, the x87 registers and the XMM registers; xcr0 in the bytes Linux's xstate
    puts it in (sw_reserved), when not 0."""
    f = _fpu(child)
    abridged = sum(1 << i for i in range(8) if (f["ftw"] >> 2 * i) & 3 != 3)
    head = struct.pack("<HHBxHQQII", f["fcw"], f["fsw"], abridged, 0, 0, 0, f["mxcsr"], 0xFFFF)
    stack = b"".join(v.to_bytes(10, "little") + bytes(6) for v in f["st"])
    vectors = b"".join(v.to_bytes(16, "little") for v in f["xmm"]).ljust(256, b"\0")
    image = bytearray((head + stack + vectors).ljust(512, b"\0"))
    if xcr0:
        image[464:472] = struct.pack("<Q", xcr0)
    return bytes(image)


def _fsave(child) -> bytes:
    """i386's user_i387_struct (FSAVE's layout): control, status and full tag words, ip and
    operand pointers, then the eight 10-byte registers."""
    f = _fpu(child)
    head = struct.pack("<7I", f["fcw"] | 0xFFFF0000, f["fsw"] | 0xFFFF0000,
                       f["ftw"] | 0xFFFF0000, 0, 0, 0, 0xFFFF0000)
    return head + b"".join(v.to_bytes(10, "little") for v in f["st"])


def _getfpregs(p, child, addr, data):
    _same_width(p, child)
    p.mm.write(data, _fxsave(child) if child.engine.bits == 64 else _fsave(child))
    return 0


def _getfpxregs(p, child, addr, data):
    _same_width(p, child)
    if child.engine.bits == 64:
        raise KernelError(errno.EIO)
    p.mm.write(data, _fxsave(child))
    return 0


def _setfpregs(p, child, addr, data):
    """SETFPREGS: the control words and the XMM registers from an FXSAVE image (x86-64)."""
    _same_width(p, child)
    if child.engine.bits != 64:
        return 0
    image = p.mm.read(data, 512)
    fcw, fsw = struct.unpack_from("<HH", image, 0)
    mxcsr, = struct.unpack_from("<I", image, 24)
    regs = {X.UC_X86_REG_FPCW: fcw, X.UC_X86_REG_FPSW: fsw, X.UC_X86_REG_MXCSR: mxcsr}
    for i in range(16):
        regs[getattr(X, f"UC_X86_REG_XMM{i}")] = int.from_bytes(image[160 + 16 * i:176 + 16 * i],
                                                                "little")
    child.kernel.set_context_regs(child, regs)
    return 0


XSTATE_SIZE = 576     # the legacy area and the XSAVE header: x87 and SSE (xcr0 3)


def _regset(child, note: int) -> bytes:
    bits = child.engine.bits
    if note == NT_PRSTATUS:
        return _user_regs(child)
    if note == NT_PRFPREG:
        return _fxsave(child) if bits == 64 else _fsave(child)
    if note == NT_PRXFPREG and bits == 32:
        return _fxsave(child)
    if note == NT_X86_XSTATE:
        return _fxsave(child, xcr0=3) + struct.pack("<Q", 3).ljust(64, b"\0")
    raise KernelError(errno.EINVAL)


def _getregset(p, child, addr, data):
    """PTRACE_GETREGSET: data is an iovec; the regset (NT_PRSTATUS: the general registers;
    NT_PRFPREG, NT_PRXFPREG, NT_X86_XSTATE: the x87 and SSE state) is cut to its length,
    which is set to what was written."""
    _same_width(p, child)
    wide = p.sysvec.word_bits == 64
    fmt = "<QQ" if wide else "<II"
    base, length = struct.unpack(fmt, p.mm.read(data, struct.calcsize(fmt)))
    regs = _regset(child, addr)[:length]
    p.mm.write(base, regs)
    p.mm.write(data + struct.calcsize(fmt) // 2, struct.pack(fmt[:2], len(regs)))
    return 0


def _get_thread_area(p, child, addr, data):
    """i386 PTRACE_GET_THREAD_AREA: the TLS descriptor addr as struct user_desc."""
    if child.engine.bits != 32:
        raise KernelError(errno.EIO)
    desc = child.tls.get(addr)
    if desc is None:
        p.mm.write(data, struct.pack("<iIII", addr, 0, 0, 0x28))   # empty: not present
        return 0
    base = (desc >> 16 & 0xFFFFFF) | (desc >> 56 & 0xFF) << 24
    limit = (desc & 0xFFFF) | (desc >> 48 & 0xF) << 16
    access, flags = desc >> 40 & 0xFF, desc >> 52 & 0xF
    bits = (1 if flags & 4 else 0) | (access >> 2 & 3) << 1 | (0 if access & 2 else 8) | \
        (0x10 if flags & 8 else 0) | (0x40 if flags & 1 else 0)
    p.mm.write(data, struct.pack("<iIII", addr, base, limit, bits))
    return 0


def _getsiginfo(p, child, addr, data):
    p.mm.write(data, _siginfo(child.ptrace_stop, child.ptrace_info, p.sysvec.word_bits))
    return 0


def _getsigmask(p, child, addr, data):
    if addr != 8:
        raise KernelError(errno.EINVAL)
    p.mm.write(data, struct.pack("<Q", child.sigmask))
    return 0


def _setsigmask(p, child, addr, data):
    if addr != 8:
        raise KernelError(errno.EINVAL)
    child.sigmask = struct.unpack("<Q", p.mm.read(data, 8))[0] & \
        ~(signals.bit(signals.SIGKILL) | signals.bit(signals.SIGSTOP))
    return 0


def _resume(child, sig: int, tracer=None, syscalls: bool = False, step: bool = False) -> None:
    """The tracee goes on from its stop; a signal the tracer gave is the one it acts on
    (pending again, delivered without another stop); one other than the stop's comes
    from the tracer (ptrace_signal's SI_USER). At a system call's entry the call runs as
    orig_ax now says (-1: not at all, ax is its result); a stop waiting behind this one
    (an event's call's exit) is entered instead."""
    t = child.ptrace
    signal_stop = t is None or t.info == INFO_NONE and child.ptrace_report >> 16 == 0 and \
        child.ptrace_stop != 0
    if sig and child.ptrace_stop and not signal_stop:
        signals.send(child, sig, signals.SigInfo(signals.SI_USER,
                                                 tracer.tgid if tracer is not None else 0))
        sig = 0
    if sig:
        info = child.ptrace_info if sig == child.ptrace_stop and \
            child.ptrace_info is not None else \
            signals.SigInfo(signals.SI_USER, tracer.tgid if tracer is not None else 0,
                            _uid(tracer) if tracer is not None else 0)
        queued = child.siginfo.setdefault(sig, [])
        queued.insert(0, info)
        child.pending |= signals.bit(sig)
        child.ptrace_passed = sig
    was_entry = t is not None and child.ptrace_stop == signals.SIGTRAP and t.info == INFO_ENTRY
    child.ptrace_stop, child.ptrace_report, child.ptrace_info = 0, 0, None
    if t is not None:
        t.syscalls, t.step, t.info = syscalls, step, INFO_NONE
        if was_entry and child.context is not None:
            _leave_entry(child, t)
        if t.queued and child.alive:
            status, info, message = t.queued.pop(0)
            t.info = info
            if message is not None:
                t.message = message
            signals.ptrace_stop(child, signals.SIGTRAP, signals.SigInfo(status), status)
            return
    if child.state == State.BLOCKED and not child.stopped:
        vfork = any(c.vfork_parent is child for c in child.kernel.procs.values())
        if vfork:       # it waits for its vfork child still
            child.wait = Block(lambda: not any(c.vfork_parent is child
                                               for c in child.kernel.procs.values()))
        else:
            child.state, child.wait = State.RUNNABLE, None


def _leave_entry(child, t) -> None:
    """From an entry stop: the call its orig_ax names runs when the trap instruction runs
    again; orig_ax -1 skips it (ax is the result, and with PTRACE_SYSCALL the exit stop
    follows at once)."""
    engine = child.engine
    ax = X.UC_X86_REG_RAX if engine.bits == 64 else X.UC_X86_REG_EAX
    pc = X.UC_X86_REG_RIP if engine.bits == 64 else X.UC_X86_REG_EIP
    if t.orig_ax == -1:
        result = ENOSYS_RESULT if t.ax is None else t.ax
        child.kernel.set_context_regs(child, {ax: result, pc: t.next_pc})
        t.call, t.ax = NO_CALL, None
        if t.syscalls:
            t.queued.insert(0, (_status(child, INFO_EXIT), INFO_EXIT, None))
        return
    child.kernel.set_context_regs(child, {ax: t.orig_ax})
    if not t.syscalls:
        t.call = NO_CALL        # it runs untraced: no stop skips it
    t.ax = None


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


def _syscall(p, child, addr, data):
    _resume(child, _signal_arg(data), p, syscalls=True)
    return 0


def _singlestep(p, child, addr, data):
    _resume(child, _signal_arg(data), p, step=True)
    return 0


def _listen(p, child, addr, data):
    """PTRACE_LISTEN: a seized tracee trapped in a group stop stays stopped, but out of its
    tracer's hold: SIGCONT ends the stop, and it traps again (PTRACE_EVENT_STOP) to say so;
    one the group stop already ended for traps again at once."""
    t = child.ptrace
    if not t.seized or child.ptrace_stop == 0 or t.info != INFO_NONE:
        raise KernelError(errno.EIO)
    child.ptrace_stop, child.ptrace_report, child.ptrace_info = 0, 0, None
    if not child.stopped:
        _event_stop(child, PTRACE_EVENT_STOP, 0)
        return 0
    t.listening = True
    child.wait = Block(lambda: not child.stopped)
    return 0


def continued(proc) -> None:
    """SIGCONT ended the group stop of a tracee: a listening one traps to tell its tracer
    (PTRACE_EVENT_STOP with SIGTRAP); one held in a ptrace stop stays held."""
    t = proc.ptrace
    if t is not None and t.listening:
        t.listening = False
        _event_stop(proc, PTRACE_EVENT_STOP, 0)


def _interrupt(p, child, addr, data):
    """PTRACE_INTERRUPT: a seized tracee traps (PTRACE_EVENT_STOP) if not stopped already."""
    if not child.ptrace.seized:
        raise KernelError(errno.EIO)
    if not child.ptrace_stop:      # (a call it is blocked in restarts when it is let go)
        _event_stop(child, PTRACE_EVENT_STOP, 0)
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
           PTRACE_POKEDATA: _poke, PTRACE_PEEKUSR: _peekuser, PTRACE_POKEUSR: _pokeuser,
           PTRACE_GETREGS: _getregs, PTRACE_SETREGS: _setregs,
           PTRACE_GETFPREGS: _getfpregs, PTRACE_SETFPREGS: _setfpregs,
           PTRACE_GETFPXREGS: _getfpxregs, PTRACE_GETREGSET: _getregset,
           PTRACE_GET_THREAD_AREA: _get_thread_area, PTRACE_ARCH_PRCTL: None,
           PTRACE_GETSIGINFO: _getsiginfo, PTRACE_GETSIGMASK: _getsigmask,
           PTRACE_SETSIGMASK: _setsigmask, PTRACE_CONT: _cont, PTRACE_SYSCALL: _syscall,
           PTRACE_SINGLESTEP: _singlestep, PTRACE_DETACH: _detach, PTRACE_KILL: _kill,
           PTRACE_SETOPTIONS: _setoptions, PTRACE_GETEVENTMSG: _geteventmsg,
           PTRACE_GET_SYSCALL_INFO: _get_syscall_info, PTRACE_INTERRUPT: _interrupt,
           PTRACE_LISTEN: _listen}
del ANSWERS[PTRACE_ARCH_PRCTL]


def _unlink(child) -> None:
    tracer = child.ptracer
    if tracer is not None and child in tracer.ptraced:
        tracer.ptraced.remove(child)
    child.ptracer = None
    child.ptrace = None
    child.ptrace_passed = 0


def exit_ptrace(proc) -> None:
    """A thread ends: the threads it traced are let go (exit_ptrace; one held in a stop
    goes on; with PTRACE_O_EXITKILL one gets SIGKILL). If it was traced, it stays its
    tracer's, to be reported to it, when the tracer is not its parent (report_exit);
    else it leaves the tracer's list."""
    for child in list(proc.ptraced):
        kill = child.ptrace is not None and child.ptrace.options & PTRACE_O_EXITKILL
        _unlink(child)
        if child.alive:
            _resume(child, 0)
            if kill:
                signals.send(child, signals.SIGKILL)
    tracer = proc.ptracer
    if tracer is None or not tracer.alive or proc.parent is None or \
            tracer in (proc.parent.group or [proc.parent]):
        _unlink(proc)
    proc.ptrace_stop = proc.ptrace_report = 0


def report_exit(proc) -> None:
    """A traced process ended, its tracer not its parent: the tracer's wait reports the
    exit first (its SIGCHLD says so), and its parent's wait sees it once the tracer has."""
    tracer = proc.ptracer
    if tracer is None:
        return
    st = proc.exit_status
    code, status = (signals.CLD_DUMPED if st & 0x80 else signals.CLD_KILLED, st & 0x7F) \
        if st & 0x7F else (signals.CLD_EXITED, st >> 8 & 0xFF)
    signals.send_process(tracer, signals.SIGCHLD, signals.SigInfo(code, proc.pid, status=status))
    for t in tracer.group or [tracer]:
        if t.state == State.BLOCKED and t.wait is not None and not t.stopped:
            t.state, t.wait = State.RUNNABLE, None


def reported_exit(child) -> None:
    """The tracer took a traced zombie's exit: it leaves the tracer, and its parent may now
    wait for it (nobody will if it has none)."""
    _unlink(child)
    parent = child.parent
    if parent is None or not parent.alive:
        child.kernel.reap(child)
    else:
        child.kernel.wake(parent)


def traced_elsewhere(p, child) -> bool:
    """A zombie whose exit its tracer, not p's group, has not taken yet."""
    tracer = child.ptracer
    return tracer is not None and tracer not in (p.group or [p])


def tracees(p) -> list:
    """The threads a wait of p's may report ptrace stops of: those any thread of its group
    traces (do_wait walks each thread's ptraced list)."""
    return [c for t in (p.group or [p]) for c in t.ptraced]
