"""Linux's signal frames on the user stack: the rt frame of x86-64, and i386's rt and old
frames, which rt_sigreturn (sigreturn on i386) unwinds. The Linux personality's
signal_frame; the signal model itself (sending, masks, default actions) is runtime/signals.py."""
from __future__ import annotations

import struct

from unicorn import x86_const as X

from .. import signals
from ..errors import Fault, KernelError
from ..pcb import SigAction
from ..signals import (SA_NODEFER, SA_ONSTACK, SA_RESTORER, SA_SIGINFO, SIGSEGV, UNBLOCKABLE,
                       bit)
from .vdso import signal_return

# x86-64 sigcontext general registers, in the kernel's order
GREGS64 = ["R8", "R9", "R10", "R11", "R12", "R13", "R14", "R15", "RDI", "RSI", "RBP", "RBX",
           "RDX", "RAX", "RCX", "RSP", "RIP", "EFLAGS"]
# i386 sigcontext: gs fs es ds edi esi ebp esp ebx edx ecx eax trapno err eip cs eflags esp_at ss
GREGS32 = ["GS", "FS", "ES", "DS", "EDI", "ESI", "EBP", "ESP", "EBX", "EDX", "ECX", "EAX",
           None, None, "EIP", "CS", "EFLAGS", None, "SS"]


def _reg(name: str) -> int:
    return getattr(X, f"UC_X86_REG_{name}")


# Register numbers, resolved once: a signal and its sigreturn read and write some forty
# registers, through the engine's C API (the binding's reg_read costs ~3 us a register, and a
# program may take a signal every few microseconds).
GREG_IDS64 = [_reg(n) for n in GREGS64]
GREG_IDS32 = [_reg(n) for n in GREGS32 if n]
REG_ID = {n: _reg(n) for n in GREGS64 + GREGS32 if n}
XMM_IDS = [_reg(f"XMM{i}") for i in range(16)]
ST_IDS = [_reg(f"ST{i}") for i in range(8)]
FPU_IDS = [X.UC_X86_REG_FPCW, X.UC_X86_REG_FPSW, X.UC_X86_REG_FPTAG, X.UC_X86_REG_MXCSR]
FXSAVE_SIZE = 512
MXCSR_MASK = 0xFFFF       # the MXCSR bits this CPU has (fxsave's mxcsr_mask)


def _fxsave(engine, xmm: list[int]) -> bytes:
    """The FPU and SSE state (xmm: the vector registers, read once for the frame and the
    kernel-side copy) as FXSAVE (64-bit format) lays it out: what uc_mcontext.fpregs points
    at in a frame (handlers read MXCSR or the x87 stack there)."""
    fcw, fsw, ftw, mxcsr = _read_regs(engine, FPU_IDS)
    abridged = sum(1 << i for i in range(8) if (ftw >> 2 * i) & 3 != 3)   # 1: not empty
    head = struct.pack("<HHBxHQQII", fcw & 0xFFFF, fsw & 0xFFFF, abridged, 0, 0, 0,
                       mxcsr & 0xFFFFFFFF, MXCSR_MASK)
    stack = b"".join(struct.pack("<QH6x", v & 0xFFFFFFFFFFFFFFFF, (v >> 64) & 0xFFFF)
                     for v in _read_regs(engine, ST_IDS)) if abridged else bytes(128)
    vectors = b"".join(v.to_bytes(16, "little") for v in xmm)
    return (head + stack + vectors).ljust(FXSAVE_SIZE, b"\0")


def _read_regs(engine, ids) -> list[int]:
    """The running process's registers ids (general or 128-bit vector), as integers."""
    lib, handle = engine.lib, engine.handle
    buf = engine.reg_buffer
    out = []
    for r in ids:
        buf[0] = buf[1] = 0          # a 32-bit or segment register fills less than the buffer
        lib.uc_reg_read(handle, r, buf)
        out.append(buf[0] | buf[1] << 64)
    return out


def _write_regs(engine, regs: dict) -> None:
    lib, handle = engine.lib, engine.handle
    buf = engine.reg_buffer
    for r, value in regs.items():
        buf[0] = value & 0xFFFFFFFFFFFFFFFF
        lib.uc_reg_write(handle, r, buf)


def setup_frame(kernel, proc, sig: int, action: SigAction) -> bool:
    """Push an rt signal frame and point the process at its handler; the engine holds its
    registers now (we are switching it in). False if the frame could not be written."""
    mm = proc.mm
    old_mask = proc.sigmask if proc.saved_sigmask is None else proc.saved_sigmask
    info = _siginfo(sig, signals.take_info(proc, sig), proc.engine.bits)
    xmm = _read_regs(proc.engine, XMM_IDS[:8 if proc.engine.bits == 32 else 16])
    try:
        top = alternate_stack_top(proc) if action.flags & SA_ONSTACK else None
        if proc.engine.bits == 64:
            _frame64(proc.engine, mm, sig, action, old_mask, info, top, xmm)
        else:
            _frame32(proc.engine, mm, sig, action, old_mask, info, top)
    except (Fault, KernelError):
        # The frame cannot be written (the stack is unmapped, read-only or full): as Linux's
        # signal_setup_done, the mask stays and the process gets a SIGSEGV it cannot block,
        # delivered next: its handler runs if it has one (not for a SIGSEGV's own frame).
        force_sigsegv(proc, sig)
        return False
    proc.saved_sigmask = None
    proc.sigstack.append(xmm)
    if not action.flags & SA_NODEFER:
        proc.sigmask |= bit(sig)
    proc.sigmask |= action.mask
    return True


def force_sigsegv(proc, sig: int) -> None:
    """force_sigsegv: SIGSEGV unblocked, and back to its default action if it is what failed
    (or is ignored), so a process that cannot take it dies of it."""
    act = proc.sigactions.get(SIGSEGV)
    if sig == SIGSEGV or (act is not None and act.handler == signals.SIG_IGN):
        proc.sigactions[SIGSEGV] = SigAction()
    proc.sigmask &= ~bit(SIGSEGV)
    signals.send(proc, SIGSEGV)


def on_alternate_stack(proc, sp: int) -> bool:
    alt = proc.altstack
    return alt is not None and alt[0] < sp <= alt[0] + alt[1]


def alternate_stack_top(proc) -> int | None:
    """Where an SA_ONSTACK handler's frame goes: the top of the sigaltstack, unless the
    process is already running on it (a nested signal stays where it is)."""
    if proc.altstack is None:
        return None
    sp = _read_regs(proc.engine, [X.UC_X86_REG_RSP if proc.engine.bits == 64
                                  else X.UC_X86_REG_ESP])[0]
    if on_alternate_stack(proc, sp):
        return None
    return proc.altstack[0] + proc.altstack[1]


def _siginfo(sig: int, info=None, bits: int = 64) -> bytes:
    """siginfo_t: signo, errno, code, then the union (8-byte aligned on x86-64): the
    sender's pid and uid, and for SIGCHLD the child's status."""
    info = info or signals.SigInfo()
    head = struct.pack("<iii", sig, 0, info.code) + (b"\0" * 4 if bits == 64 else b"")
    if info.fd is not None:     # the SIGPOLL form: si_band (a long), si_fd
        body = struct.pack("<qi" if bits == 64 else "<ii", info.band, info.fd)
    elif info.timer_id is not None:   # the timer form: si_tid, si_overrun, si_value
        body = struct.pack("<iiQ" if bits == 64 else "<iiI", info.timer_id, info.overrun,
                           info.value & (0xFFFFFFFFFFFFFFFF if bits == 64 else 0xFFFFFFFF))
    elif info.addr is not None:   # the fault form: si_addr
        body = struct.pack("<Q" if bits == 64 else "<I", info.addr)
    elif info.code in (signals.SI_QUEUE, signals.SI_MESGQ):   # the rt form: si_value
        body = struct.pack("<iIQ" if bits == 64 else "<iII", info.pid, info.uid,
                           info.value & (0xFFFFFFFFFFFFFFFF if bits == 64 else 0xFFFFFFFF))
    else:
        body = struct.pack("<iIi", info.pid, info.uid, info.status)
    return (head + body).ljust(128, b"\0")


def _frame64(engine, mm, sig, action, old_mask, info: bytes, stack_top, xmm) -> None:
    regs = _read_regs(engine, GREG_IDS64)
    # The alternate stack's top, or below the interrupted code's red zone.
    sp = stack_top if stack_top is not None else regs[GREGS64.index("RSP")] - 128
    # The FPU state goes above the frame, 64-byte aligned (fpu__alloc_mathframe)
    fpstate = (sp - FXSAVE_SIZE) & ~63
    mm.write(fpstate, _fxsave(engine, xmm))
    sp = fpstate
    # ucontext: flags, link, stack(24), sigcontext(gregs 18 + 5 more words + fpstate + 8 reserved), sigmask
    mcontext = struct.pack("<18Q", *regs) + struct.pack("<QQQQQ", 0x33, 0, 0, old_mask, 0)
    mcontext += struct.pack("<Q", fpstate) + b"\0" * 64
    uctx = struct.pack("<QQ", 0, 0) + b"\0" * 24 + mcontext + struct.pack("<Q", old_mask)
    frame_size = 8 + len(uctx) + 128
    sp = ((sp - frame_size) & ~15) - 8                 # as after a call: rsp+8 is 16-aligned
    uc_addr = sp + 8
    info_addr = uc_addr + len(uctx)
    mm.write(sp, struct.pack("<Q", action.restorer) + uctx + info)
    _write_regs(engine, {X.UC_X86_REG_RSP: sp, X.UC_X86_REG_RDI: sig,
                         X.UC_X86_REG_RSI: info_addr, X.UC_X86_REG_RDX: uc_addr,
                         X.UC_X86_REG_RAX: 0, X.UC_X86_REG_RIP: action.handler})


def sigreturn64(proc) -> None:
    """rt_sigreturn: the restorer's `ret` popped pretcode, so rsp points at the ucontext."""
    base = _read_regs(proc.engine, [X.UC_X86_REG_RSP])[0]
    fpstate = proc.mm.read_word(base + 40 + 23 * 8)          # after 23 words
    fx = proc.mm.read(fpstate, FXSAVE_SIZE) if fpstate else None   # Fault: a bad frame
    data = proc.mm.read(base + 40, 18 * 8)
    regs = struct.unpack("<18Q", data)
    proc.sigmask = struct.unpack("<Q", proc.mm.read(base + 40 + 256, 8))[0] & ~UNBLOCKABLE
    values = dict(zip(GREGS64, regs))
    proc.after_trap.append(lambda: _restore(proc, values, 64, fx))


def _frame32(engine, mm, sig, action, old_mask, info: bytes, stack_top=None) -> None:
    read = iter(_read_regs(engine, GREG_IDS32))
    values = [next(read) if n else 0 for n in GREGS32]
    sp = stack_top if stack_top is not None else values[GREGS32.index("ESP")]
    fpstate = (sp - FSAVE_SIZE) & ~63               # above the frame, as on x86-64
    mm.write(fpstate, _fsave(engine))
    sp = fpstate
    sigcontext = struct.pack("<19I", *[v & 0xFFFFFFFF for v in values])
    sigcontext += struct.pack("<III", fpstate, old_mask & 0xFFFFFFFF, 0)   # fpstate, oldmask, cr2
    rt = bool(action.flags & SA_SIGINFO)
    restorer = action.restorer if action.flags & SA_RESTORER else signal_return(mm, rt)
    if not rt:
        # The old frame: pretcode, sig, sigcontext, extramask; sigreturn(119) unwinds it.
        frame = struct.pack("<II", restorer, sig) + sigcontext + struct.pack("<I", old_mask >> 32)
        sp = ((sp - len(frame)) & ~15) - 4
        mm.write(sp, frame)
        _write_regs(engine, {X.UC_X86_REG_ESP: sp, X.UC_X86_REG_EAX: sig,
                             X.UC_X86_REG_EIP: action.handler})
        return
    uctx = struct.pack("<II", 0, 0) + b"\0" * 12 + sigcontext + struct.pack("<Q", old_mask)
    frame_size = 16 + 128 + len(uctx)
    sp = ((sp - frame_size) & ~15) - 4
    info_addr = sp + 16
    uc_addr = info_addr + 128
    head = struct.pack("<IIII", restorer, sig, info_addr, uc_addr)
    mm.write(sp, head + info + uctx)
    _write_regs(engine, {X.UC_X86_REG_ESP: sp, X.UC_X86_REG_EAX: sig,
                         X.UC_X86_REG_EDX: info_addr, X.UC_X86_REG_ECX: uc_addr,
                         X.UC_X86_REG_EIP: action.handler})


def sigreturn32(proc, rt: bool) -> None:
    """i386 rt_sigreturn: esp points at sig (pretcode popped); the ucontext follows siginfo."""
    esp = _read_regs(proc.engine, [X.UC_X86_REG_ESP])[0]
    if rt:
        sc = proc.mm.read_u32(esp + 8) + 20
        mask = struct.unpack("<Q", proc.mm.read(sc + 88, 8))[0]
    else:  # __restore popped sig: esp points at the sigcontext
        sc = esp
        low, high = struct.unpack("<II", proc.mm.read(sc + 80, 4) + proc.mm.read(sc + 88, 4))
        mask = low | high << 32
    regs = struct.unpack("<19I", proc.mm.read(sc, 19 * 4))
    fpstate = proc.mm.read_u32(sc + 19 * 4)
    fcw = struct.unpack("<H", proc.mm.read(fpstate, FSAVE_SIZE)[:2])[0] if fpstate else None
    proc.sigmask = mask & ~UNBLOCKABLE
    values = {n: v for n, v in zip(GREGS32, regs) if n and n not in ("CS", "SS", "DS", "ES", "FS", "GS")}
    proc.after_trap.append(lambda: _restore(proc, values, 32, fcw=fcw))


def bad_frame(proc) -> None:
    """signal_fault: a sigreturn whose frame cannot be read ends in a SIGSEGV the process
    can neither block nor ignore."""
    force_sigsegv(proc, 0)


FSAVE_SIZE = 112          # i386's struct _fpstate up to its magic: FSAVE's layout
FPSTATE_MAGIC_NO_FXSR = 0xFFFF


def _fsave(engine) -> bytes:
    """i386's uc_mcontext.fpregs: the x87 state in FSAVE's layout (control, status and tag
    words, then the eight registers of 10 bytes), marked as having no FXSR part."""
    fcw, fsw, ftw, _mxcsr = _read_regs(engine, FPU_IDS)
    head = struct.pack("<7I", fcw & 0xFFFF, fsw & 0xFFFF, ftw & 0xFFFF, 0, 0, 0, 0)
    stack = b"".join(struct.pack("<QH", v & 0xFFFFFFFFFFFFFFFF, (v >> 64) & 0xFFFF)
                     for v in _read_regs(engine, ST_IDS))
    return head + stack + struct.pack("<HH", fsw & 0xFFFF, FPSTATE_MAGIC_NO_FXSR)


def _restore(proc, values: dict, bits: int, fx: bytes | None = None,
             fcw: int | None = None) -> None:
    """Write the frame's registers into the process's saved context, and the FPU and SSE
    state: the frame's FXSAVE area when it has one (a handler may change it, as Linux lets
    it), else what was kept kernel-side."""
    engine = proc.engine
    lib, context = engine.lib, proc.context
    buf = engine.reg_buffer
    for name, value in values.items():
        buf[0] = value & 0xFFFFFFFFFFFFFFFF
        lib.uc_context_reg_write(context, REG_ID[name], buf)
    kept = proc.sigstack.pop() if proc.sigstack else None
    if fcw is not None:           # i386's frame: the x87 control word (SSE state kept here)
        buf[0], buf[1] = fcw, 0
        lib.uc_context_reg_write(context, X.UC_X86_REG_FPCW, buf)
    if fx is not None:
        # the control words and the SSE registers; the x87 stack stays as the handler left
        # it (the ABI has it as it was: a handler is a function call)
        fcw, mxcsr = struct.unpack_from("<H22xI", fx)
        for r, value in ((X.UC_X86_REG_FPCW, fcw), (X.UC_X86_REG_MXCSR, mxcsr & MXCSR_MASK)):
            buf[0], buf[1] = value, 0
            lib.uc_context_reg_write(context, r, buf)
        kept = [int.from_bytes(fx[160 + 16 * i:176 + 16 * i], "little") for i in range(16)]
    if kept is not None:
        for r, value in zip(XMM_IDS, kept):
            buf[0], buf[1] = value & 0xFFFFFFFFFFFFFFFF, value >> 64
            lib.uc_context_reg_write(context, r, buf)
