"""One-time initialisation in two steps (InitOnceBeginInitialize / InitOnceComplete), over the
INIT_ONCE word as Windows keeps it: its two low bits say where the initialisation is (the
context's two low bits are reserved for that), the rest is the context it completed with.
A second thread that begins while the first has not completed waits (or, asynchronously,
is told to go ahead too)."""
from __future__ import annotations

from ..kernel import Block
from ..nt import abi
from .kernel32_files import ERROR_INVALID_PARAMETER

INIT_ONCE_CHECK_ONLY, INIT_ONCE_ASYNC, INIT_ONCE_INIT_FAILED = 1, 2, 4
UNSTARTED, RUNNING, DONE = 0, 1, 2
STATE_BITS = 3
ERROR_GEN_FAILURE = 31


def _state(p, once: int) -> int:
    return abi.read_ptr(p, once)


def sys_kernel32_InitOnceInitialize(p, InitOnce):
    abi.write_ptr(p, InitOnce, UNSTARTED)      # INIT_ONCE_STATIC_INIT
    return 0


def sys_kernel32_InitOnceBeginInitialize(p, lpInitOnce, dwFlags, fPending, lpContext):
    word = _state(p, lpInitOnce)
    state = word & STATE_BITS
    if state == DONE:
        p.mm.write_u32(fPending, 0)
        if lpContext:
            abi.write_ptr(p, lpContext, word & ~STATE_BITS)
        return 1
    if dwFlags & INIT_ONCE_CHECK_ONLY:
        p.win32.last_error = ERROR_GEN_FAILURE if dwFlags == INIT_ONCE_CHECK_ONLY else \
            ERROR_INVALID_PARAMETER
        return 0
    if state == RUNNING and not dwFlags & INIT_ONCE_ASYNC:
        raise Block(lambda: _state(p, lpInitOnce) & STATE_BITS != RUNNING)
    abi.write_ptr(p, lpInitOnce, RUNNING)
    p.mm.write_u32(fPending, 1)
    return 1


def sys_kernel32_InitOnceComplete(p, lpInitOnce, dwFlags, lpContext):
    if lpContext & STATE_BITS:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    if dwFlags & INIT_ONCE_INIT_FAILED:
        abi.write_ptr(p, lpInitOnce, UNSTARTED)   # the next caller tries again
    else:
        abi.write_ptr(p, lpInitOnce, DONE | lpContext)
    return 1
