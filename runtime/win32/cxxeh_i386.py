"""MSVC C++ exceptions on i386, over the fs:[0] chain of seh_i386.py.

A function with C++ EH pushes an EH registration node below its frame pointer: the chain
link, its handler (a thunk: `mov eax, FuncInfo; jmp __CxxFrameHandler3`), its current state
(the compiled code keeps it up to date) and, at ebp, the saved ebp; the word below the node
is its stack pointer after the prologue. The tables are FH3's with absolute pointers and no
IP map. A catch unwinds the records below the node (RtlUnwind), runs the node's destructors
down to the try's state, calls the catch block with the function's ebp, destroys the
exception object and continues at the address the block returns with the function's esp and
ebp. While the block runs, the node's state is the catch's, so a throw inside it finds the
enclosing try blocks, as vcruntime's own handler does."""
from __future__ import annotations

import struct

from unicorn import x86_const as X

from ..errors import Fault
from . import callback, seh_i386
from .cxxeh import (CXX_EXCEPTION, FI_NOEXCEPT, FI_SYNCHRONOUS, MAGIC_PURE, MAGIC_VC6,
                    MAGIC_VC8, CT_SIMPLE, CT_VIRTUAL_BASE, HT_REFERENCE, Action, Catch, Catching,
                    FuncInfo, TryBlock, _catches, _is_ellipsis, _this_of, caught_type, terminate)
from .seh_i386 import (CONTINUE_SEARCH, EXCEPTION_EXIT_UNWIND,
                       EXCEPTION_NONCONTINUABLE, EXCEPTION_UNWINDING, RECORD_SIZE)

STATUS_ACCESS_VIOLATION = 0xC0000005


def read_funcinfo(p, at: int) -> FuncInfo | None:
    (magic, max_state, unwind_map, ntries, try_map, _, _, _,
     flags) = struct.unpack("<IiIIIIIII", p.mm.read(at, 36))
    magic &= 0x1FFFFFFF
    if not MAGIC_VC6 <= magic <= MAGIC_VC8:
        return None
    actions = [Action(to_state, handler) for to_state, handler in struct.iter_unpack(
        "<iI", p.mm.read(unwind_map, 8 * max_state) if max_state > 0 else b"")]
    tries = []
    for low, high, catch_high, ncatch, handlers in struct.iter_unpack(
            "<iiiII", p.mm.read(try_map, 20 * ntries) if ntries else b""):
        catches = [Catch(adj, td, off, h) for adj, td, off, h in struct.iter_unpack(
            "<IIiI", p.mm.read(handlers, 16 * ncatch) if ncatch else b"")]
        tries.append(TryBlock(low, high, catch_high, catches))
    eh_flags = flags if magic >= MAGIC_VC8 else 0
    return FuncInfo(actions, tries, [], bool(eh_flags & FI_SYNCHRONOUS),
                    bool(eh_flags & FI_NOEXCEPT))


def _record(p, record: int) -> tuple[int, int, list[int]]:
    code, flags, _, _, count = struct.unpack("<IIIII", p.mm.read(record, 20))
    return code, flags, list(struct.unpack("<15I", p.mm.read(record + 20, 60)))[:min(count, 15)]


class FrameHandler32:
    """One call of __CxxFrameHandler3 for one registration node."""

    def __init__(self, p, record, node, context, info: FuncInfo):
        self.p, self.record, self.node, self.context, self.info = p, record, node, context, info
        self.code, self.flags, self.params = _record(p, record)
        self.ebp = node + 12
        self.chain = callback.start(p)

    @property
    def state(self) -> int:
        return struct.unpack("<i", self.p.mm.read(self.node + 8, 4))[0]

    def _set_state(self, state: int) -> None:
        self.p.mm.write(self.node + 8, struct.pack("<i", state))

    def run(self) -> int:
        cxx = self.code == CXX_EXCEPTION and len(self.params) >= 3 and \
            MAGIC_VC6 <= self.params[0] <= MAGIC_VC8
        if self.flags & (EXCEPTION_UNWINDING | EXCEPTION_EXIT_UNWIND):
            return self._local_unwind(-1, self._finish)
        if self.info.synchronous and not cxx:
            return self._finish()
        if cxx and not self.params[1] and not self.params[2]:
            current = _catches(self.p)        # `throw;`: the current exception again
            if not current:
                return terminate(self.p)
            self.p.mm.write(self.record, self.p.mm.read(current[-1].record, RECORD_SIZE))
            self.code, self.flags, self.params = _record(self.p, self.record)
        state = self.state
        for t in self.info.tries:
            if not t.low <= state <= t.high:
                continue
            for c in t.catches:
                if cxx:
                    if self.params[0] == MAGIC_PURE:
                        continue
                    ct = caught_type(self.p, self.params[2], 0, c)
                    if ct is None:
                        continue
                elif not _is_ellipsis(self.p, c):
                    continue
                else:
                    ct = None
                return self._catch(t, c, ct)
        if self.info.noexcept and cxx:
            return terminate(self.p)
        return self._finish()

    def _finish(self, _=None) -> int:
        return callback.finish(self.p, self.chain, CONTINUE_SEARCH)

    # the destructors of this frame's states

    def _local_unwind(self, last: int, then) -> int:
        p, actions = self.p, self.info.actions
        state = self.state
        if state == last or state < 0:
            return then()
        if state >= len(actions):
            return terminate(p)
        action = actions[state]
        self._set_state(action.prev)    # before the call: a nested unwind goes on from there
        if not action.handler:
            return self._local_unwind(last, then)
        return callback.call(p, self.chain, action.handler, [],
                             lambda _: self._local_unwind(last, then),
                             regs={X.UC_X86_REG_EBP: self.ebp})

    # catching

    def _catch(self, t: TryBlock, c: Catch, ct: int | None) -> int:
        p = self.p
        if ct is not None and not _is_ellipsis(p, c) and c.offset:
            dest, obj = self.ebp + c.offset, self.params[1]
            properties = p.mm.read_u32(ct)
            size, copy = struct.unpack("<iI", p.mm.read(ct + 20, 8))
            if c.adjectives & HT_REFERENCE:
                p.mm.write_u32(dest, _this_of(p, ct, obj))
            elif properties & CT_SIMPLE:
                p.mm.write(dest, p.mm.read(obj, max(size, 0)))
                if size == 4:
                    p.mm.write_u32(dest, _this_of(p, ct, p.mm.read_u32(dest)))
            elif copy:   # thiscall: this in ecx, the source (and the vbase flag) on the stack
                args = [_this_of(p, ct, obj)] + ([1] if properties & CT_VIRTUAL_BASE else [])
                return callback.call(p, self.chain, copy, args,
                                     lambda _: self._unwind_below(t, c),
                                     regs={X.UC_X86_REG_ECX: dest})
            else:
                p.mm.write(dest, p.mm.read(_this_of(p, ct, obj), max(size, 0)))
        return self._unwind_below(t, c)

    def _unwind_below(self, t: TryBlock, c: Catch) -> int:
        """RtlUnwind to this node: the handlers of the records below it, each unlinked."""
        return seh_i386.unwind_to(self.p, self.chain, self.record, self.context, self.node,
                                  lambda: self._local_unwind(t.low, lambda: self._call_catch(t, c)))

    def _call_catch(self, t: TryBlock, c: Catch) -> int:
        p = self.p
        self._set_state(t.high + 1)   # the catch's own state
        catching = Catching(self.node, t.high + 1, t.low, self.record, self.context,
                            self.params[1], self.params[2], 0)
        chain = catching.chain = self.chain
        catching.alive = lambda: chain in callback._chains(p)
        catching.tryblock = t
        self.catching = catching
        # The block may keep its own esp there (LLVM's funclets do); vcruntime puts the
        # function's back once the block returns, for the continuation.
        self.saved_esp = p.mm.read_u32(self.node - 4)
        result = callback.call(p, self.chain, c.handler, [], self._after_catch,
                               regs={X.UC_X86_REG_EBP: self.ebp})
        _catches(p).append(catching)
        return result

    def _after_catch(self, continuation: int) -> int:
        p, c = self.p, self.catching
        p.mm.write_u32(self.node - 4, self.saved_esp)
        esp = self.saved_esp
        catches = p.win32.cxx_catches
        if c in catches:
            catches.remove(c)
        # A catch of the same object in a caller, which outlives this one (this function ran
        # inside its catch block), destroys it instead.
        held = any(o is not c and o.obj == c.obj and o.chain is not None and
                   o.chain.sp > self.node for o in _catches(p))
        dtor = p.mm.read_u32(c.throw_info + 4) if c.throw_info else 0
        if dtor and c.obj and not held:
            return callback.call(p, self.chain, dtor, [], lambda _: self._land(continuation, esp),
                                 regs={X.UC_X86_REG_ECX: c.obj})
        return self._land(continuation, esp)

    def _land(self, continuation: int, esp: int) -> int:
        p = self.p
        chains = callback._chains(p)
        # This function's other catch blocks are over, but one whose block holds the try
        # that caught (a try inside a catch) goes on; so do calls above the stack resumed.
        t = self.catching.tryblock
        over = [o.chain for o in _catches(p) if o.frame == self.node and o is not self.catching
                and not o.tryblock.high < t.low <= t.high <= o.tryblock.catch_level]
        over.append(self.chain)   # this handler call is over too
        chains[:] = [ch for ch in chains if ch.sp > esp and ch not in over]
        regs = {X.UC_X86_REG_ESP: esp, X.UC_X86_REG_EBP: self.ebp,
                X.UC_X86_REG_EIP: continuation & 0xFFFFFFFF}
        p.after_trap.append(lambda: p.kernel.set_context_regs(p, regs))
        return callback.NORESULT


def sys_vcruntime140___CxxFrameHandler3_32(p, pExcept, pRN, pContext, pDC):
    info_at = p.engine.uc.reg_read(X.UC_X86_REG_ECX)   # eax at the thunk, kept by the stub
    try:
        info = read_funcinfo(p, info_at)
        if info is None:
            return CONTINUE_SEARCH
        return FrameHandler32(p, pExcept, pRN, pContext, info).run()
    except Fault as fault:
        ctx = seh_i386._caller(p, 0)
        return seh_i386.Dispatch32(p, STATUS_ACCESS_VIOLATION, EXCEPTION_NONCONTINUABLE,
                                   ctx["Eip"], [0, fault.address], ctx).start()


def sys_vcruntime140__CxxThrowException32(p, pExceptionObject, pThrowInfo):
    """throw on i386: the record has three parameters, the pointers absolute."""
    magic = MAGIC_VC6
    if pThrowInfo and p.mm.read_u32(pThrowInfo) & 0x8:
        magic = MAGIC_PURE
    ctx = seh_i386._caller(p, 2)
    return seh_i386.Dispatch32(p, CXX_EXCEPTION, EXCEPTION_NONCONTINUABLE, ctx["Eip"],
                               [magic, pExceptionObject, pThrowInfo], ctx).start()

