"""setjmp and longjmp (msvcrt's _setjmp, _setjmp3 and longjmp). setjmp records where its
caller resumes and the registers a callee must preserve; longjmp goes back there with a
value, as if setjmp had returned it. No frames are unwound (no SEH handlers run between),
which is what C code using them expects. The buffer follows msvcrt's _JUMP_BUFFER layout."""
from __future__ import annotations

import struct

from unicorn import x86_const as X

from ..nt import abi
from .callback import NORESULT

X64_GPRS = [X.UC_X86_REG_RBX, X.UC_X86_REG_RSP, X.UC_X86_REG_RBP, X.UC_X86_REG_RSI,
            X.UC_X86_REG_RDI, X.UC_X86_REG_R12, X.UC_X86_REG_R13, X.UC_X86_REG_R14,
            X.UC_X86_REG_R15, X.UC_X86_REG_RIP]
X64_XMMS = [getattr(X, f"UC_X86_REG_XMM{i}") for i in range(6, 16)]
I386_GPRS = [X.UC_X86_REG_EBP, X.UC_X86_REG_EBX, X.UC_X86_REG_EDI, X.UC_X86_REG_ESI,
             X.UC_X86_REG_ESP, X.UC_X86_REG_EIP]


def _setjmp(p, buf, frame) -> int:
    uc = p.engine.uc
    if abi.word(p) == 8:
        sp = uc.reg_read(X.UC_X86_REG_RSP)
        values = {r: uc.reg_read(r) for r in X64_GPRS}
        values[X.UC_X86_REG_RIP] = abi.read_ptr(p, sp)    # the caller resumes after its call
        values[X.UC_X86_REG_RSP] = sp + 8
        raw = struct.pack("<Q", frame) + b"".join(struct.pack("<Q", values[r]) for r in X64_GPRS)
        raw += struct.pack("<IHH", uc.reg_read(X.UC_X86_REG_MXCSR), uc.reg_read(X.UC_X86_REG_FPCW), 0)
        raw += b"".join(uc.reg_read(r).to_bytes(16, "little") for r in X64_XMMS)
    else:
        sp = uc.reg_read(X.UC_X86_REG_ESP)
        values = {r: uc.reg_read(r) for r in I386_GPRS}
        values[X.UC_X86_REG_EIP] = abi.read_ptr(p, sp)
        values[X.UC_X86_REG_ESP] = sp + 4
        raw = b"".join(struct.pack("<I", values[r] & 0xFFFFFFFF) for r in I386_GPRS)
    p.mm.write(buf, raw)
    return 0


def sys_msvcrt__setjmp(p, buf, frame):
    return _setjmp(p, buf, frame)


def sys_msvcrt__setjmp3(p, buf, count):
    return _setjmp(p, buf, 0)


def jump_buffer_x64(p, buf: int) -> dict:
    """The registers an x64 _JUMP_BUFFER holds (after its Frame): the nonvolatile ones,
    rip, MXCSR, the x87 control word and xmm6-xmm15 (longjmp; RtlRestoreContext's
    STATUS_LONGJUMP)."""
    raw = p.mm.read(buf, 8 + 8 * len(X64_GPRS) + 8 + 16 * len(X64_XMMS))
    regs = dict(zip(X64_GPRS, struct.unpack_from(f"<{len(X64_GPRS)}Q", raw, 8)))
    off = 8 + 8 * len(X64_GPRS)
    mxcsr, fpcw, _ = struct.unpack_from("<IHH", raw, off)
    regs[X.UC_X86_REG_MXCSR], regs[X.UC_X86_REG_FPCW] = mxcsr, fpcw
    for i, r in enumerate(X64_XMMS):
        regs[r] = int.from_bytes(raw[off + 8 + 16 * i:off + 24 + 16 * i], "little")
    return regs


def sys_msvcrt_longjmp(p, buf, value):
    value = value or 1   # longjmp(env, 0) makes setjmp return 1
    if abi.word(p) == 8:
        regs = jump_buffer_x64(p, buf)
        regs[X.UC_X86_REG_RAX] = value & 0xFFFFFFFF
    else:
        raw = p.mm.read(buf, 4 * len(I386_GPRS))
        regs = dict(zip(I386_GPRS, struct.unpack("<6I", raw)))
        regs[X.UC_X86_REG_EAX] = value & 0xFFFFFFFF
    # After the trap: the process is off the core and its registers are in its context.
    p.after_trap.append(lambda: p.kernel.set_context_regs(p, regs))
    return NORESULT
