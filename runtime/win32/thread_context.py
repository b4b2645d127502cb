"""GetThreadContext and SetThreadContext: another thread's registers are those its last
switch saved (on the one emulated core every other thread is off it), read and written as
a CONTEXT; the calling thread's are its registers at the call. Go's runtime preempts a
goroutine in a tight loop so: SuspendThread, GetThreadContext, a call to asyncPreempt
pushed on its stack and RIP/RSP set, SetThreadContext, ResumeThread (without it a loop and a
garbage collection wait for each other for ever)."""
from __future__ import annotations

import struct

from unicorn import x86_const as X

from .kernel32_sync import object_of

ERROR_INVALID_HANDLE, ERROR_GEN_FAILURE = 6, 31
# CONTEXT_AMD64 / CONTEXT_i386 flag bits (the architecture bit is separate)
CONTEXT_CONTROL, CONTEXT_INTEGER, CONTEXT_FLOATING_POINT = 0x1, 0x2, 0x8
X64_GPRS = [X.UC_X86_REG_RAX, X.UC_X86_REG_RCX, X.UC_X86_REG_RDX, X.UC_X86_REG_RBX,
            X.UC_X86_REG_RSP, X.UC_X86_REG_RBP, X.UC_X86_REG_RSI, X.UC_X86_REG_RDI] + \
    [getattr(X, f"UC_X86_REG_R{i}") for i in range(8, 16)]
X64_XMMS = [getattr(X, f"UC_X86_REG_XMM{i}") for i in range(16)]
X64_RSP, X64_OFF_FLAGS, X64_OFF_EFLAGS, X64_OFF_GPR, X64_OFF_RIP, X64_OFF_XMM = \
    4, 0x30, 0x44, 0x78, 0xF8, 0x1A0


def _thread(p, handle: int):
    from .threads import current_thread_handle
    if handle == current_thread_handle(p):
        return p
    obj = object_of(p, handle, "thread")
    return obj.pcb if obj is not None else None


def _saved(t, regs: list[int], width: int) -> list[int]:
    """Registers from a thread's saved context."""
    engine = t.engine
    buffer = engine.ffi.new("uint8_t[16]")
    out = []
    for reg in regs:
        engine.lib.uc_context_reg_read(t.context, reg, buffer)
        out.append(int.from_bytes(bytes(engine.ffi.buffer(buffer, width)), "little"))
    return out


def sys_kernel32_GetThreadContext(p, hThread, lpContext):
    t = _thread(p, hThread)
    if t is None or not t.alive:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    if p.sysvec.word_bits == 32:
        return _get32(p, t, lpContext)
    from .seh import Context
    if t is p:
        ctx = Context.of_caller(p)
    else:
        gpr = _saved(t, X64_GPRS, 8)
        rip, eflags, mxcsr = _saved(t, [X.UC_X86_REG_RIP, X.UC_X86_REG_EFLAGS,
                                        X.UC_X86_REG_MXCSR], 8)
        ctx = Context(gpr, rip, eflags & 0xFFFFFFFF, mxcsr & 0xFFFFFFFF,
                      _saved(t, X64_XMMS, 16))
    flags = p.mm.read_u32(lpContext + X64_OFF_FLAGS)
    ctx.write(p, lpContext)
    p.mm.write_u32(lpContext + X64_OFF_FLAGS, flags)     # the caller's flags stay
    return 1


def _get32(p, t, lpContext) -> int:
    from .seh_i386 import REGS, _caller, write_context
    if t is p:
        ctx = _caller(p, 2)                 # GetThreadContext's two stdcall arguments
    else:
        names = list(REGS)
        values = _saved(t, [REGS[n][1] for n in names], 4)
        ctx = dict(zip(names, values))
    flags = p.mm.read_u32(lpContext)
    write_context(p, lpContext, ctx)
    p.mm.write_u32(lpContext, flags)
    return 1


def sys_kernel32_SetThreadContext(p, hThread, lpContext):
    """Another thread's registers for when it runs again, the parts ContextFlags names
    (CONTEXT_CONTROL: the instruction and stack pointers and flags; CONTEXT_INTEGER: the
    rest; CONTEXT_FLOATING_POINT: the XMM registers). The calling thread's own cannot be
    set this way here (ERROR_GEN_FAILURE)."""
    t = _thread(p, hThread)
    if t is None or not t.alive:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    if t is p:
        p.win32.last_error = ERROR_GEN_FAILURE
        return 0
    regs = _set32(p, lpContext) if p.sysvec.word_bits == 32 else _set64(p, lpContext)
    p.kernel.set_context_regs(t, regs)
    return 1


def _set64(p, at: int) -> dict:
    flags = p.mm.read_u32(at + X64_OFF_FLAGS)
    raw = p.mm.read(at, 0x4D0)
    gpr = struct.unpack_from("<16Q", raw, X64_OFF_GPR)
    regs = {}
    if flags & CONTEXT_CONTROL:
        regs[X.UC_X86_REG_RIP] = struct.unpack_from("<Q", raw, X64_OFF_RIP)[0]
        regs[X.UC_X86_REG_RSP] = gpr[X64_RSP]
        regs[X.UC_X86_REG_EFLAGS] = struct.unpack_from("<I", raw, X64_OFF_EFLAGS)[0]
    if flags & CONTEXT_INTEGER:
        regs.update((reg, value) for i, (reg, value) in enumerate(zip(X64_GPRS, gpr))
                    if i != X64_RSP)
    if flags & CONTEXT_FLOATING_POINT:
        regs.update((reg, int.from_bytes(raw[X64_OFF_XMM + 16 * i:X64_OFF_XMM + 16 * i + 16],
                                         "little")) for i, reg in enumerate(X64_XMMS))
    return regs


def _set32(p, at: int) -> dict:
    from .seh_i386 import REGS, read_context
    flags = p.mm.read_u32(at)
    ctx = read_context(p, at)
    control = {"Eip", "Esp", "EFlags", "Ebp"}
    return {REGS[name][1]: value for name, value in ctx.items()
            if (flags & CONTEXT_CONTROL and name in control) or
            (flags & CONTEXT_INTEGER and name not in control)}
