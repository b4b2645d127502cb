"""Linux's signal frames on the user stack: the rt frame of x86-64, and i386's rt and old
frames, which rt_sigreturn (sigreturn on i386) unwinds. The Linux personality's
signal_frame; the signal model itself (sending, masks, default actions) is runtime/signals.py."""
from __future__ import annotations

import struct

from unicorn import x86_const as X

from .. import signals
from ..pcb import SigAction
from ..signals import SA_NODEFER, SA_ONSTACK, SA_SIGINFO, SIGSEGV, UNBLOCKABLE, bit

# x86-64 sigcontext general registers, in the kernel's order
GREGS64 = ["R8", "R9", "R10", "R11", "R12", "R13", "R14", "R15", "RDI", "RSI", "RBP", "RBX",
           "RDX", "RAX", "RCX", "RSP", "RIP", "EFLAGS"]
# i386 sigcontext: gs fs es ds edi esi ebp esp ebx edx ecx eax trapno err eip cs eflags esp_at ss
GREGS32 = ["GS", "FS", "ES", "DS", "EDI", "ESI", "EBP", "ESP", "EBX", "EDX", "ECX", "EAX",
           None, None, "EIP", "CS", "EFLAGS", None, "SS"]


def _reg(name: str) -> int:
    return getattr(X, f"UC_X86_REG_{name}")


def setup_frame(kernel, proc, sig: int, action: SigAction) -> None:
    """Push an rt signal frame and point the process at its handler; the engine holds its
    registers now (we are switching it in)."""
    uc = proc.engine.uc
    mm = proc.mm
    old_mask = proc.sigmask if proc.saved_sigmask is None else proc.saved_sigmask
    proc.saved_sigmask = None
    if not action.flags & SA_NODEFER:
        proc.sigmask |= bit(sig)
    proc.sigmask |= action.mask
    try:
        proc.sigstack.append(_save_vector_regs(uc, proc.engine.bits))
        top = alternate_stack_top(proc, uc) if action.flags & SA_ONSTACK else None
        info = _siginfo(sig, signals.take_info(proc, sig), proc.engine.bits)
        if proc.engine.bits == 64:
            _frame64(uc, mm, sig, action, old_mask, info, top)
        else:
            _frame32(uc, mm, sig, action, old_mask, info, top)
    except Exception:
        # No room for the frame on the user stack: the kernel kills with SIGSEGV.
        kernel.exit_process(proc, SIGSEGV, signaled=True)


def on_alternate_stack(proc, sp: int) -> bool:
    alt = proc.altstack
    return alt is not None and alt[0] < sp <= alt[0] + alt[1]


def alternate_stack_top(proc, uc) -> int | None:
    """Where an SA_ONSTACK handler's frame goes: the top of the sigaltstack, unless the
    process is already running on it (a nested signal stays where it is)."""
    if proc.altstack is None:
        return None
    sp = uc.reg_read(X.UC_X86_REG_RSP if proc.engine.bits == 64 else X.UC_X86_REG_ESP)
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
    else:
        body = struct.pack("<iIi", info.pid, info.uid, info.status)
    return (head + body).ljust(128, b"\0")


def _frame64(uc, mm, sig, action, old_mask, info: bytes, stack_top=None) -> None:
    regs = [uc.reg_read(_reg(n)) for n in GREGS64]
    # The alternate stack's top, or below the interrupted code's red zone.
    sp = stack_top if stack_top is not None else uc.reg_read(X.UC_X86_REG_RSP) - 128
    # ucontext: flags, link, stack(24), sigcontext(gregs 18 + 5 more words + fpstate + 8 reserved), sigmask
    mcontext = struct.pack("<18Q", *regs) + struct.pack("<QQQQQ", 0x33, 0, 0, old_mask, 0)
    mcontext += struct.pack("<Q", 0) + b"\0" * 64
    uctx = struct.pack("<QQ", 0, 0) + b"\0" * 24 + mcontext + struct.pack("<Q", old_mask)
    frame_size = 8 + len(uctx) + 128
    sp = ((sp - frame_size) & ~15) - 8                 # as after a call: rsp+8 is 16-aligned
    uc_addr = sp + 8
    info_addr = uc_addr + len(uctx)
    mm.write(sp, struct.pack("<Q", action.restorer) + uctx + info)
    uc.reg_write(X.UC_X86_REG_RSP, sp)
    uc.reg_write(X.UC_X86_REG_RDI, sig)
    uc.reg_write(X.UC_X86_REG_RSI, info_addr)
    uc.reg_write(X.UC_X86_REG_RDX, uc_addr)
    uc.reg_write(X.UC_X86_REG_RAX, 0)
    uc.reg_write(X.UC_X86_REG_RIP, action.handler)


def sigreturn64(proc) -> None:
    """rt_sigreturn: the restorer's `ret` popped pretcode, so rsp points at the ucontext."""
    uc = proc.engine.uc
    base = uc.reg_read(X.UC_X86_REG_RSP)
    data = proc.mm.read(base + 40, 18 * 8)
    regs = struct.unpack("<18Q", data)
    proc.sigmask = struct.unpack("<Q", proc.mm.read(base + 40 + 256, 8))[0] & ~UNBLOCKABLE
    values = dict(zip(GREGS64, regs))
    proc.after_trap.append(lambda: _restore(proc, values, 64))


def _frame32(uc, mm, sig, action, old_mask, info: bytes, stack_top=None) -> None:
    values = [uc.reg_read(_reg(n)) if n else 0 for n in GREGS32]
    sigcontext = struct.pack("<19I", *[v & 0xFFFFFFFF for v in values])
    sigcontext += struct.pack("<III", 0, old_mask & 0xFFFFFFFF, 0)   # fpstate, oldmask, cr2
    sp = stack_top if stack_top is not None else uc.reg_read(X.UC_X86_REG_ESP)
    if not action.flags & SA_SIGINFO:
        # The old frame: pretcode, sig, sigcontext, extramask; sigreturn(119) unwinds it.
        frame = struct.pack("<II", action.restorer, sig) + sigcontext + struct.pack("<I", old_mask >> 32)
        sp = ((sp - len(frame)) & ~15) - 4
        mm.write(sp, frame)
        uc.reg_write(X.UC_X86_REG_ESP, sp)
        uc.reg_write(X.UC_X86_REG_EAX, sig)
        uc.reg_write(X.UC_X86_REG_EIP, action.handler)
        return
    uctx = struct.pack("<II", 0, 0) + b"\0" * 12 + sigcontext + struct.pack("<Q", old_mask)
    frame_size = 16 + 128 + len(uctx)
    sp = ((sp - frame_size) & ~15) - 4
    info_addr = sp + 16
    uc_addr = info_addr + 128
    head = struct.pack("<IIII", action.restorer, sig, info_addr, uc_addr)
    mm.write(sp, head + info + uctx)
    uc.reg_write(X.UC_X86_REG_ESP, sp)
    uc.reg_write(X.UC_X86_REG_EAX, sig)
    uc.reg_write(X.UC_X86_REG_EDX, info_addr)
    uc.reg_write(X.UC_X86_REG_ECX, uc_addr)
    uc.reg_write(X.UC_X86_REG_EIP, action.handler)


def sigreturn32(proc, rt: bool) -> None:
    """i386 rt_sigreturn: esp points at sig (pretcode popped); the ucontext follows siginfo."""
    uc = proc.engine.uc
    esp = uc.reg_read(X.UC_X86_REG_ESP)
    if rt:
        sc = proc.mm.read_u32(esp + 8) + 20
        mask = struct.unpack("<Q", proc.mm.read(sc + 88, 8))[0]
    else:  # __restore popped sig: esp points at the sigcontext
        sc = esp
        low, high = struct.unpack("<II", proc.mm.read(sc + 80, 4) + proc.mm.read(sc + 88, 4))
        mask = low | high << 32
    regs = struct.unpack("<19I", proc.mm.read(sc, 19 * 4))
    proc.sigmask = mask & ~UNBLOCKABLE
    values = {n: v for n, v in zip(GREGS32, regs) if n and n not in ("CS", "SS", "DS", "ES", "FS", "GS")}
    proc.after_trap.append(lambda: _restore(proc, values, 32))


def _save_vector_regs(uc, bits: int) -> list:
    """SSE state the handler may clobber; kept kernel-side rather than in the frame."""
    count = 16 if bits == 64 else 8
    return [uc.reg_read(getattr(X, f"UC_X86_REG_XMM{i}")) for i in range(count)]


def _restore(proc, values: dict, bits: int) -> None:
    regs = {_reg(n): v for n, v in values.items()}
    if proc.sigstack:
        for i, v in enumerate(proc.sigstack.pop()):
            regs[getattr(X, f"UC_X86_REG_XMM{i}")] = v
    proc.engine.kernel.set_context_regs(proc, regs)
