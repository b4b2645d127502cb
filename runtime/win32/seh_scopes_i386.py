"""MSVC's i386 __try/__except/__finally handlers: _except_handler4_common (what every MSVC
program's frames with __try call through its _except_handler4, the C runtime's start-up
frame among them) and msvcrt's older _except_handler3. A frame's registration node holds its
saved esp and exception pointers below the EXCEPTION_REGISTRATION record, and a scope table
and try level above it; each scope record names its enclosing level, a filter (none for a
__finally) and the handler or finally block. Filters and finally blocks run with ebp the
frame's; an __except block is entered at its address with the frame's ebp and saved esp,
after the records above the frame are unwound (their handlers called with
EXCEPTION_UNWINDING, as RtlUnwind) and this frame's inner __finally blocks have run.
EH4's scope table is XORed with the image's security cookie, and its GS and EH cookies are
checked with the image's __security_check_cookie before filters run and before a handler is
entered."""
from __future__ import annotations

import struct

from unicorn import x86_const as X

from . import callback
from .seh_i386 import CONTINUE_SEARCH, EXCEPTION_EXIT_UNWIND, EXCEPTION_UNWINDING, unwind_to

CONTINUE_EXECUTION = 0                   # ExceptionContinueExecution
EH4_TOPMOST, EH3_TOPMOST = -2, -1
NO_GS_COOKIE = -2


def _signed(value: int) -> int:
    return ((value & 0xFFFFFFFF) ^ 0x80000000) - 0x80000000


class ScopeHandler32:
    """One call of an EH3 or EH4 handler for one registration record (frame)."""

    def __init__(self, p, record: int, frame: int, context: int, eh4: bool,
                 cookie: int = 0, check_cookie: int = 0):
        self.p, self.record, self.frame, self.context = p, record, frame, context
        self.eh4, self.check_cookie = eh4, check_cookie
        self.topmost = EH4_TOPMOST if eh4 else EH3_TOPMOST
        self.ebp = frame + 16                # the frame's own ebp, just above the record
        table = p.mm.read_u32(frame + 8)
        self.table = table ^ cookie if eh4 else table
        self.records_at = self.table + (16 if eh4 else 0)
        self.chain = callback.start(p)

    # the registration node's fields

    @property
    def level(self) -> int:
        return _signed(self.p.mm.read_u32(self.frame + 12))

    def _set_level(self, level: int) -> None:
        self.p.mm.write_u32(self.frame + 12, level & 0xFFFFFFFF)

    def _scope(self, level: int) -> tuple[int, int, int]:
        """(enclosing level, filter, handler or finally block) of a try level."""
        enclosing, filt, handler = struct.unpack("<III", self.p.mm.read(
            self.records_at + 12 * level, 12))
        return _signed(enclosing), filt, handler

    def _frame_call(self, fn: int, then) -> int:
        return callback.call(self.p, self.chain, fn, [], then, regs={X.UC_X86_REG_EBP: self.ebp})

    def _finish(self, disposition: int) -> int:
        return callback.finish(self.p, self.chain, disposition)

    # the cookies (EH4)

    def _checked(self, then) -> int:
        """Check the frame's GS and EH cookies (a mismatch ends the process there)."""
        if not self.eh4 or not self.check_cookie:
            return then()
        gs, gs_xor, eh, eh_xor = struct.unpack("<iiii", self.p.mm.read(self.table, 16))
        cookies = []
        if gs != NO_GS_COOKIE:
            cookies.append(self.p.mm.read_u32(self.ebp + gs) ^ (self.ebp + gs_xor))
        cookies.append(self.p.mm.read_u32(self.ebp + eh) ^ (self.ebp + eh_xor))

        def next_cookie(_=None) -> int:
            if not cookies:
                return then()
            value = cookies.pop(0) & 0xFFFFFFFF
            return callback.call(self.p, self.chain, self.check_cookie, [], next_cookie,
                                 regs={X.UC_X86_REG_ECX: value})    # __fastcall
        return next_cookie()

    # the handler

    def run(self) -> int:
        flags = self.p.mm.read_u32(self.record + 4)
        if flags & (EXCEPTION_UNWINDING | EXCEPTION_EXIT_UNWIND):
            return self._checked(lambda: self._local_unwind(
                self.topmost, lambda: self._finish(CONTINUE_SEARCH)))
        pointers = self.p.win32.heap.alloc(8)          # GetExceptionInformation()'s
        self.p.mm.write(pointers, struct.pack("<II", self.record, self.context))
        self.p.mm.write_u32(self.frame - 4, pointers)
        return self._checked(lambda: self._search(self.level))

    def _search(self, level: int) -> int:
        if level == self.topmost or level < 0:
            return self._finish(CONTINUE_SEARCH)
        enclosing, filt, _ = self._scope(level)
        if not filt:                        # a __finally: nothing to ask
            return self._search(enclosing)
        return self._frame_call(filt, lambda result: self._filtered(level, _signed(result)))

    def _filtered(self, level: int, result: int) -> int:
        if result < 0:                      # EXCEPTION_CONTINUE_EXECUTION
            return self._finish(CONTINUE_EXECUTION)
        if result == 0:                     # EXCEPTION_CONTINUE_SEARCH
            return self._search(self._scope(level)[0])
        return self._unwind_above(lambda: self._local_unwind(level, lambda: self._enter(level)))

    def _unwind_above(self, then) -> int:
        """RtlUnwind to this frame: the handlers of the records above it, each unlinked."""
        return unwind_to(self.p, self.chain, self.record, self.context, self.frame, then)

    def _local_unwind(self, target: int, then) -> int:
        """Run this frame's __finally blocks from its try level out to target."""
        level = self.level
        if level == target or level == self.topmost or level < 0:
            return then()
        enclosing, filt, handler = self._scope(level)
        self._set_level(enclosing)          # before the call: a nested unwind goes on from there
        if filt or not handler:
            return self._local_unwind(target, then)
        return self._frame_call(handler, lambda _: self._local_unwind(target, then))

    def _enter(self, level: int) -> int:
        """Into the __except block: the frame's ebp and saved esp, the try level its own."""
        enclosing, _, handler = self._scope(level)
        self._set_level(enclosing)
        return self._checked(lambda: self._transfer(handler))

    def _transfer(self, handler: int) -> int:
        p = self.p
        esp = p.mm.read_u32(self.frame - 8)
        chains = callback._chains(p)
        chains[:] = [ch for ch in chains if ch.sp > esp and ch is not self.chain]
        regs = {X.UC_X86_REG_ESP: esp, X.UC_X86_REG_EBP: self.ebp, X.UC_X86_REG_EIP: handler}
        p.after_trap.append(lambda: p.kernel.set_context_regs(p, regs))
        return callback.NORESULT


def sys_msvcrt__except_handler4_common(p, CookiePointer, CookieCheckFunction, ExceptionRecord,
                                       EstablisherFrame, ContextRecord, DispatcherContext):
    cookie = p.mm.read_u32(CookiePointer)
    return ScopeHandler32(p, ExceptionRecord, EstablisherFrame, ContextRecord, True, cookie,
                          CookieCheckFunction).run()


def sys_msvcrt__except_handler3(p, ExceptionRecord, EstablisherFrame, ContextRecord,
                                DispatcherContext):
    return ScopeHandler32(p, ExceptionRecord, EstablisherFrame, ContextRecord, False).run()
