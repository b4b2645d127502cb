"""GetThreadContext and SetThreadContext: another thread's registers are those its last
switch saved (on the one emulated core every other thread is off it), read and written as
a CONTEXT; the calling thread's are its registers at the call. Go's runtime preempts a
goroutine in a tight loop so: SuspendThread, GetThreadContext, a call to asyncPreempt
pushed on its stack and RIP/RSP set, SetThreadContext, ResumeThread (without it a loop and a
garbage collection wait for each other for ever)."""
from __future__ import annotations

from unicorn import x86_const as X

from .kernel32_sync import object_of
from .seh import GPRS, OFF_FLAGS, RSP, XMMS, Context

ERROR_INVALID_HANDLE, ERROR_GEN_FAILURE = 6, 31
# CONTEXT_AMD64 / CONTEXT_i386 flag bits (the architecture bit is separate)
CONTEXT_CONTROL, CONTEXT_INTEGER, CONTEXT_FLOATING_POINT = 0x1, 0x2, 0x8

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
    if t is p:
        ctx = Context.of_caller(p)
    else:
        gpr = _saved(t, GPRS, 8)
        rip, eflags, mxcsr = _saved(t, [X.UC_X86_REG_RIP, X.UC_X86_REG_EFLAGS,
                                        X.UC_X86_REG_MXCSR], 8)
        ctx = Context(gpr, rip, eflags & 0xFFFFFFFF, mxcsr & 0xFFFFFFFF, _saved(t, XMMS, 16))
    flags = p.mm.read_u32(lpContext + OFF_FLAGS)
    ctx.write(p, lpContext)
    p.mm.write_u32(lpContext + OFF_FLAGS, flags)     # the caller's flags stay
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
    flags = p.mm.read_u32(at + OFF_FLAGS)
    ctx = Context.read(p, at)
    regs = {}
    if flags & CONTEXT_CONTROL:
        regs.update({X.UC_X86_REG_RIP: ctx.rip, X.UC_X86_REG_RSP: ctx.rsp,
                     X.UC_X86_REG_EFLAGS: ctx.eflags})
    if flags & CONTEXT_INTEGER:
        regs.update((reg, value) for i, (reg, value) in enumerate(zip(GPRS, ctx.gpr))
                    if i != RSP)
    if flags & CONTEXT_FLOATING_POINT:
        regs.update(zip(XMMS, ctx.xmm))
    return regs


def _set32(p, at: int) -> dict:
    from .seh_i386 import REGS, read_context
    flags = p.mm.read_u32(at)
    ctx = read_context(p, at)
    control = {"Eip", "Esp", "EFlags", "Ebp"}
    return {REGS[name][1]: value for name, value in ctx.items()
            if (flags & CONTEXT_CONTROL and name in control) or
            (flags & CONTEXT_INTEGER and name not in control)}
