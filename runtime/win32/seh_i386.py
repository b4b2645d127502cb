"""i386 structured exception handling, through the chain of EXCEPTION_REGISTRATION records
that fs:[0] heads (each: the next record, the handler): vectored handlers first, then each
record's handler (MSVC's _except_handler3/4, mingw's, a program's own), then the top-level
filter; RtlUnwind calls the handlers between the chain's head and a target record with
EXCEPTION_UNWINDING and unlinks them. Handlers run in the guest (runtime/win32/callback.py)."""
from __future__ import annotations

import struct

from unicorn import x86_const as X

from . import callback
from .seh import (CONTINUE_EXECUTION, CONTINUE_SEARCH, EXCEPTION_CONTINUE_EXECUTION,
                  EXCEPTION_NONCONTINUABLE, EXCEPTION_UNWINDING, STATUS_NONCONTINUABLE_EXCEPTION,
                  Unhandled)  # noqa: F401  (CONTINUE_SEARCH: cxxeh_i386 reads it here)

# CONTEXT (i386): the integer and control registers at their offsets.
REGS = {"Edi": (0x9C, X.UC_X86_REG_EDI), "Esi": (0xA0, X.UC_X86_REG_ESI),
        "Ebx": (0xA4, X.UC_X86_REG_EBX), "Edx": (0xA8, X.UC_X86_REG_EDX),
        "Ecx": (0xAC, X.UC_X86_REG_ECX), "Eax": (0xB0, X.UC_X86_REG_EAX),
        "Ebp": (0xB4, X.UC_X86_REG_EBP), "Eip": (0xB8, X.UC_X86_REG_EIP),
        "EFlags": (0xC0, X.UC_X86_REG_EFLAGS), "Esp": (0xC4, X.UC_X86_REG_ESP)}
CONTEXT_SIZE, RECORD_SIZE = 0x2CC, 0x50
CONTEXT_I386_FULL = 0x10007
CHAIN_END = 0xFFFFFFFF
EXCEPTION_EXIT_UNWIND = 4   # the other flags, dispositions and statuses are the ABI-free ones of seh.py
MAX_RECORDS = 4096


def live(p) -> dict:
    uc = p.engine.uc
    return {name: uc.reg_read(reg) for name, (_, reg) in REGS.items()}


def write_context(p, addr: int, ctx: dict) -> None:
    raw = bytearray(CONTEXT_SIZE)
    struct.pack_into("<I", raw, 0, CONTEXT_I386_FULL)
    struct.pack_into("<IIII", raw, 0x8C, 0, 0x3B, 0x23, 0x23)     # gs, fs, es, ds
    struct.pack_into("<I", raw, 0xBC, 0x1B)                        # cs
    struct.pack_into("<I", raw, 0xC8, 0x23)                        # ss
    for name, (offset, _) in REGS.items():
        struct.pack_into("<I", raw, offset, ctx[name] & 0xFFFFFFFF)
    p.mm.write(addr, bytes(raw))


def read_context(p, addr: int) -> dict:
    return {name: p.mm.read_u32(addr + offset) for name, (offset, _) in REGS.items()}


def resume(p, ctx: dict) -> int:
    regs = {reg: ctx[name] for name, (_, reg) in REGS.items()}
    p.after_trap.append(lambda: p.kernel.set_context_regs(p, regs))
    return callback.NORESULT


def _head(p) -> int:
    return p.mm.read_u32(p.win32.teb)


class Dispatch32(Unhandled):
    """One exception on its way through the vectored handlers and the fs:[0] chain."""

    def __init__(self, p, code, flags, address, params, ctx: dict):
        self.p, self.ctx = p, ctx
        top = (ctx["Esp"] - 0x100) & ~0xF
        self.context_addr = top - 0x2D0
        self.record_addr = self.context_addr - RECORD_SIZE
        self.pointers_addr = self.record_addr - 0x10
        self.code = code
        p.mm.write(self.record_addr, struct.pack("<IIIII", code, flags, 0, address, len(params))
                   + b"".join(struct.pack("<I", v & 0xFFFFFFFF) for v in params[:15]).ljust(60, b"\0"))
        write_context(p, self.context_addr, ctx)
        p.mm.write(self.pointers_addr, struct.pack("<II", self.record_addr, self.context_addr))
        from .seh import _chain_at
        self.chain = _chain_at(p, self.pointers_addr - 0x10)
        self.chain.wide = False
        self.vectored = list(p.win32.vectored)
        self.record = _head(p)
        self.seen = 0
        self.report = self.signal = None

    def start(self) -> int:
        if self.vectored:
            return callback.call(self.p, self.chain, self.vectored.pop(0), [self.pointers_addr],
                                 self._after_vectored)
        return self._next_record()

    def _after_vectored(self, result: int) -> int:
        if result & 0xFFFFFFFF == EXCEPTION_CONTINUE_EXECUTION:
            return self._continue()
        return self.start()

    def _next_record(self) -> int:
        p = self.p
        low, high = struct.unpack("<II", p.mm.read(p.win32.teb + 4, 8))[::-1]
        while self.record != CHAIN_END and self.seen < MAX_RECORDS and \
                low <= self.record < high:
            frame = self.record
            self.record = p.mm.read_u32(frame)
            self.seen += 1
            handler = p.mm.read_u32(frame + 4)
            return callback.call(p, self.chain, handler,
                                 [self.record_addr, frame, self.context_addr, 0],
                                 self._after_record)
        return self._unhandled()

    def _after_record(self, result: int) -> int:
        if result & 0xFFFFFFFF == CONTINUE_EXECUTION:
            return self._continue()
        return self._next_record()

    def _call_handler(self, handler: int, then) -> int:
        return callback.call(self.p, self.chain, handler, [self.pointers_addr], then)

    def _resume_context(self) -> int:
        p = self.p
        flags = p.mm.read_u32(self.record_addr + 4)
        ctx = read_context(p, self.context_addr)
        self.done()
        if flags & EXCEPTION_NONCONTINUABLE:
            return Dispatch32(p, STATUS_NONCONTINUABLE_EXCEPTION, EXCEPTION_NONCONTINUABLE,
                              ctx["Eip"], [], ctx).start()
        return resume(p, ctx)

    def _call_filter(self, top: int) -> int:
        return callback.call(self.p, self.chain, top, [self.pointers_addr], self._after_top)

    def _pc(self) -> int:
        return self.ctx["Eip"]

    def done(self) -> None:
        chains = callback._chains(self.p)
        chains[:] = [c for c in chains if c.sp > self.chain.sp]


def _caller(p, nargs: int) -> dict:
    """In a trap from a stdcall DLL stub: the caller's registers once the stub returns."""
    ctx = live(p)
    ctx["Eip"] = p.mm.read_u32(ctx["Esp"])
    ctx["Esp"] += 4 + 4 * nargs
    return ctx


def raise_exception(p, code, flags, nargs, args, stub_args: int = 4) -> int:
    """RaiseException from a stdcall stub of stub_args arguments (DebugBreak's has none)."""
    ctx = _caller(p, stub_args)
    params = [p.mm.read_u32(args + 4 * i) for i in range(min(nargs, 15))] if args else []
    return Dispatch32(p, code & 0xFFFFFFFF, flags & EXCEPTION_NONCONTINUABLE, ctx["Eip"],
                      params, ctx).start()


def raise_at_caller(p, code: int, params: list[int]) -> int:
    """An exception at the return address of the DLL call being handled (its arguments are
    left on the stack: execution is not expected to go on there)."""
    ctx = _caller(p, 0)
    return Dispatch32(p, code, 0, ctx["Eip"], params, ctx).start()


def dispatch_fault(p, cpu, code: int, params: list[int]) -> bool:
    ctx = live(p)
    ctx["Eip"] = int(cpu.fault_pc)
    try:
        dispatch = Dispatch32(p, code, 0, ctx["Eip"], params, ctx)
    except Exception:   # Fault: no stack left to dispatch on
        return False
    from ..kernel import crash_report
    dispatch.report, dispatch.signal = crash_report(p, cpu, int(cpu.fault_signal) or 11), \
        int(cpu.fault_signal) or 11
    from ..errors import Fault
    try:
        dispatch.start()
    except Fault:      # a chain record that points nowhere: the kernel reports the fault
        dispatch.done()
        return False
    return True


def rtl_unwind(p, target_frame, target_ip, record, return_value) -> int:
    """Call the handlers from the head of the chain down to target_frame (all of them when
    it is NULL) with EXCEPTION_UNWINDING, unlinking each; then return to the caller."""
    chain = callback.start(p)
    ret_esp, ret_eip = chain.sp + 4 + 16, chain.ret   # RtlUnwind is stdcall with 4 arguments
    if not record:
        record = (chain.sp - 0x400) & ~0xF
        p.mm.write(record, struct.pack("<IIIII", 0xC0000027, 0, 0, target_ip, 0) + b"\0" * 60)
    flags = p.mm.read_u32(record + 4)
    p.mm.write_u32(record + 4, flags | EXCEPTION_UNWINDING |
                   (0 if target_frame else EXCEPTION_EXIT_UNWIND))
    context = (chain.sp - 0x800) & ~0xF
    ctx = _caller(p, 4)
    write_context(p, context, ctx)

    def unlink(frame: int):
        def then(_result) -> int:
            p.mm.write_u32(p.win32.teb, p.mm.read_u32(frame))   # after it ran, as Windows
            return step()
        return then

    def step() -> int:
        frame = _head(p)
        if frame == CHAIN_END or frame == target_frame:
            regs = {X.UC_X86_REG_ESP: ret_esp, X.UC_X86_REG_EIP: ret_eip,
                    X.UC_X86_REG_EAX: return_value}
            chains = callback._chains(p)
            if chain in chains:
                chains.remove(chain)
            p.after_trap.append(lambda: p.kernel.set_context_regs(p, regs))
            return callback.NORESULT
        handler = p.mm.read_u32(frame + 4)
        return callback.call(p, chain, handler, [record, frame, context, 0], unlink(frame))
    return step()


def unwind_to(p, chain, record: int, context: int, target: int, then) -> int:
    """A frame handler's global unwind to its own record `target` (RtlUnwind's work for a
    handler that takes an exception): each record above it is called with
    EXCEPTION_UNWINDING, on chain, and unlinked; then() runs once target heads the chain."""
    flags = p.mm.read_u32(record + 4)
    p.mm.write_u32(record + 4, flags | EXCEPTION_UNWINDING)

    def step(_=None) -> int:
        head = _head(p)
        if head in (CHAIN_END, target):
            p.mm.write_u32(record + 4, flags)
            return then()
        handler = p.mm.read_u32(head + 4)

        def unlinked(_) -> int:
            p.mm.write_u32(p.win32.teb, p.mm.read_u32(head))
            return step()
        return callback.call(p, chain, handler, [record, head, context, 0], unlinked)
    return step()


def capture_context(p, ContextRecord) -> int:
    """RtlCaptureContext: the caller's registers as its call left them: eip the return
    address, esp past it and the argument this stdcall function pops (eax and edx are the
    stub's: not kept)."""
    ctx = live(p)
    esp = ctx["Esp"]
    ctx["Eip"] = p.mm.read_u32(esp)
    ctx["Esp"] = esp + 8
    write_context(p, ContextRecord, ctx)
    return 0
