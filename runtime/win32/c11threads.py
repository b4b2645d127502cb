"""vcruntime140_threads.dll, Visual C++'s C11 <threads.h> (VS 2022 17.8): threads, mutexes,
condition variables, call_once and thread-specific storage over kernel32's own (so they wait
and wake with SRW locks and condition variables as on Windows). PyTorch's torch_cpu.dll
imports it and relies on the machine's redistributable for it.

The types are the caller's memory, laid out as the real DLL does: thrd_t is {HANDLE, thread
id} (passed by value: on x64 by a pointer to a copy, on i386 as two words); mtx_t is the type,
an SRW lock, the owning thread and a recursion count; cnd_t a CONDITION_VARIABLE; once_flag
an INIT_ONCE; tss_t a TLS index."""
from __future__ import annotations

import struct
import time

from ..kernel import Block
from ..nt import abi
from .kernel32_wait import _sleep_on, _srw, _srw_release, _srw_take

THRD_SUCCESS, THRD_NOMEM, THRD_TIMEDOUT, THRD_BUSY, THRD_ERROR = 0, 1, 2, 3, 4
MTX_RECURSIVE = 0x1                  # this DLL's mtx_plain is 0, mtx_recursive 1, mtx_timed 2
INFINITE = 0xFFFFFFFF
WAIT_OBJECT_0 = 0


def _mtx(p) -> tuple[int, int, int]:
    """Offsets of the SRW lock, the owner and the count in an mtx_t (after its type)."""
    w = abi.word(p)
    return w, 2 * w, 2 * w + 4


def _me(p) -> int:
    from .threads import sys_kernel32_GetCurrentThreadId
    return sys_kernel32_GetCurrentThreadId(p) & 0xFFFFFFFF


# --- threads ---------------------------------------------------------------------------------

def sys_vcruntime140_threads_thrd_create(p, thr, func, arg):
    """A thread running func(arg); what func returns is its exit code (thrd_join's)."""
    from .threads import create_thread
    w = abi.word(p)
    handle = create_thread(p, 0, func, arg, 0, thr + w)
    if not handle:
        return THRD_NOMEM
    abi.write_ptr(p, thr, handle)
    return THRD_SUCCESS


def _join(p, handle: int, res: int) -> int:
    from .kernel32 import sys_kernel32_CloseHandle
    from .kernel32_process import sys_kernel32_GetExitCodeThread
    from .kernel32_wait import sys_kernel32_WaitForSingleObject
    if sys_kernel32_WaitForSingleObject(p, handle, INFINITE) != WAIT_OBJECT_0:
        return THRD_ERROR
    scratch = p.win32.scratch
    if not sys_kernel32_GetExitCodeThread(p, handle, scratch):
        return THRD_ERROR
    if res:
        p.mm.write_u32(res, p.mm.read_u32(scratch))
    sys_kernel32_CloseHandle(p, handle)
    return THRD_SUCCESS


def sys_vcruntime140_threads_thrd_join(p, thr, res):
    return _join(p, abi.read_ptr(p, thr), res)


def sys_vcruntime140_threads_thrd_join32(p, handle, tid, res):
    return _join(p, handle, res)


def _detach(p, handle: int) -> int:
    from .kernel32 import sys_kernel32_CloseHandle
    return THRD_SUCCESS if sys_kernel32_CloseHandle(p, handle) else THRD_ERROR


def sys_vcruntime140_threads_thrd_detach(p, thr):
    return _detach(p, abi.read_ptr(p, thr))


def sys_vcruntime140_threads_thrd_detach32(p, handle, tid):
    return _detach(p, handle)


def sys_vcruntime140_threads_thrd_equal(p, a, b):
    w = abi.word(p)
    return int(p.mm.read_u32(a + w) == p.mm.read_u32(b + w))


def sys_vcruntime140_threads_thrd_equal32(p, handle_a, tid_a, handle_b, tid_b):
    return int(tid_a & 0xFFFFFFFF == tid_b & 0xFFFFFFFF)


def _current(p) -> tuple[int, int]:
    """thrd_current's thrd_t, as the DLL makes it: no handle, the thread's id (thrd_equal
    compares ids)."""
    return 0, _me(p)


def sys_vcruntime140_threads_thrd_current(p, result):
    """x64: the thrd_t is returned in the caller's memory (result), its address in rax."""
    handle, tid = _current(p)
    p.mm.write(result, struct.pack("<QI4x", handle, tid))
    return result


def sys_vcruntime140_threads_thrd_current32(p):
    """i386: the eight-byte thrd_t comes back in edx:eax."""
    from .crttime import _ret64
    handle, tid = _current(p)
    return _ret64(p, tid << 32 | handle)


def sys_vcruntime140_threads_thrd_exit(p, res):
    from .threads import sys_kernel32_ExitThread
    return sys_kernel32_ExitThread(p, res & 0xFFFFFFFF)


def sys_vcruntime140_threads_thrd_yield(p):
    from .kernel32_misc import sys_kernel32_SwitchToThread
    sys_kernel32_SwitchToThread(p)
    return 0


def _sleep(p, duration: int, remaining: int, wide: bool) -> int:
    from .kernel32 import sys_kernel32_Sleep
    seconds, nanoseconds = _timespec(p, duration, wide)
    if seconds < 0 or not 0 <= nanoseconds < 1_000_000_000:
        return -2                        # an invalid duration: a negative value, not -1
    sys_kernel32_Sleep(p, min(seconds * 1000 + -(-nanoseconds // 1_000_000), INFINITE - 1))
    if remaining:
        p.mm.write(remaining, b"\0" * (16 if wide else 8))
    return 0


def _timespec(p, at: int, wide: bool) -> tuple[int, int]:
    """A _timespec64 (64-bit seconds) or _timespec32, both with a 32-bit nanosecond count."""
    if wide:
        return struct.unpack("<qi", p.mm.read(at, 12))
    return struct.unpack("<ii", p.mm.read(at, 8))


def sys_vcruntime140_threads__thrd_sleep64(p, duration, remaining):
    return _sleep(p, duration, remaining, True)


def sys_vcruntime140_threads__thrd_sleep32(p, duration, remaining):
    return _sleep(p, duration, remaining, False)


# --- mutexes ---------------------------------------------------------------------------------

def sys_vcruntime140_threads_mtx_init(p, mtx, type):
    w = abi.word(p)
    p.mm.write(mtx, b"\0" * (4 * w if w == 8 else 16))
    p.mm.write_u32(mtx, type & 0xFFFFFFFF)
    return THRD_SUCCESS


def sys_vcruntime140_threads_mtx_destroy(p, mtx):
    return 0


def _lock(p, mtx: int, wait: bool, deadline: float | None = None) -> int:
    lock, owner_at, count_at = _mtx(p)
    me = _me(p)
    owner, count = p.mm.read_u32(mtx + owner_at), p.mm.read_u32(mtx + count_at)
    if owner == me and count:
        if not p.mm.read_u32(mtx) & MTX_RECURSIVE:
            return THRD_BUSY
        p.mm.write_u32(mtx + count_at, count + 1)
        return THRD_SUCCESS
    if not _srw_take(p, mtx + lock, False):
        if not wait:
            return THRD_BUSY
        if deadline is not None and time.monotonic() >= deadline:
            return THRD_TIMEDOUT
        raise Block(lambda: _srw(p, mtx + lock) == 0, deadline=deadline)
    p.mm.write(mtx + owner_at, struct.pack("<II", me, 1))
    return THRD_SUCCESS


def sys_vcruntime140_threads_mtx_lock(p, mtx):
    return _lock(p, mtx, True)


def sys_vcruntime140_threads_mtx_trylock(p, mtx):
    return _lock(p, mtx, False)


def _milliseconds_until(p, at: int, wide: bool) -> int:
    """The milliseconds from now to a TIME_UTC absolute time (0 once it has passed)."""
    seconds, nanoseconds = _timespec(p, at, wide)
    left = seconds + nanoseconds / 1e9 - time.time()
    return 0 if left <= 0 else min(int(left * 1000) + 1, INFINITE - 1)


def _deadline(p, at: int, wide: bool) -> float:
    """A TIME_UTC absolute time as a monotonic deadline, fixed at the call's first run (the
    call runs again after each block)."""
    from .kernel32_iocp import wait_deadline
    deadline = wait_deadline(p, _milliseconds_until(p, at, wide))
    return time.monotonic() if deadline is None else deadline


def _timed_lock(p, mtx: int, at: int, wide: bool) -> int:
    result = _lock(p, mtx, True, _deadline(p, at, wide))
    p.win32.wait_until = None
    return result


def sys_vcruntime140_threads__mtx_timedlock64(p, mtx, ts):
    return _timed_lock(p, mtx, ts, True)


def sys_vcruntime140_threads__mtx_timedlock32(p, mtx, ts):
    return _timed_lock(p, mtx, ts, False)


def sys_vcruntime140_threads_mtx_unlock(p, mtx):
    lock, owner_at, count_at = _mtx(p)
    owner, count = p.mm.read_u32(mtx + owner_at), p.mm.read_u32(mtx + count_at)
    if owner != _me(p) or not count:
        return THRD_ERROR
    if count > 1:
        p.mm.write_u32(mtx + count_at, count - 1)
        return THRD_SUCCESS
    p.mm.write(mtx + owner_at, struct.pack("<II", 0, 0))
    _srw_release(p, mtx + lock, False)
    return THRD_SUCCESS


# --- condition variables ---------------------------------------------------------------------

def sys_vcruntime140_threads_cnd_init(p, cnd):
    abi.write_ptr(p, cnd, 0)
    return THRD_SUCCESS


def sys_vcruntime140_threads_cnd_destroy(p, cnd):
    return 0


def sys_vcruntime140_threads_cnd_signal(p, cnd):
    from .kernel32_wait import sys_kernel32_WakeConditionVariable
    sys_kernel32_WakeConditionVariable(p, cnd)
    return THRD_SUCCESS


def sys_vcruntime140_threads_cnd_broadcast(p, cnd):
    from .kernel32_wait import sys_kernel32_WakeAllConditionVariable
    sys_kernel32_WakeAllConditionVariable(p, cnd)
    return THRD_SUCCESS


def _wait(p, cnd: int, mtx: int, milliseconds: int) -> int:
    """Release the mutex (its owner and count too), sleep until woken, take it back."""
    lock, owner_at, count_at = _mtx(p)
    if p.mm.read_u32(mtx + owner_at) != _me(p) and p.win32.condition_wait is None:
        return THRD_ERROR
    me = _me(p)
    if p.win32.condition_wait is None:       # a recursive mutex's count comes back with it
        p.win32.condition_depth = max(p.mm.read_u32(mtx + count_at), 1)

    def release() -> None:
        p.mm.write(mtx + owner_at, struct.pack("<II", 0, 0))
        _srw_release(p, mtx + lock, False)

    def reacquire() -> bool:
        if not _srw_take(p, mtx + lock, False):
            return False
        depth, p.win32.condition_depth = p.win32.condition_depth or 1, None
        p.mm.write(mtx + owner_at, struct.pack("<II", me, depth))
        return True
    woken = _sleep_on(p, cnd, release, lambda: _srw(p, mtx + lock) == 0, reacquire,
                      milliseconds)
    return THRD_SUCCESS if woken else THRD_TIMEDOUT


def sys_vcruntime140_threads_cnd_wait(p, cnd, mtx):
    return _wait(p, cnd, mtx, INFINITE)


def _timed_wait(p, cnd: int, mtx: int, at: int, wide: bool) -> int:
    """The wait's deadline is fixed at its first run (wait_deadline keeps it across the
    call's restarts), so the milliseconds left may be worked out again at each."""
    return _wait(p, cnd, mtx, _milliseconds_until(p, at, wide))


def sys_vcruntime140_threads__cnd_timedwait64(p, cnd, mtx, ts):
    return _timed_wait(p, cnd, mtx, ts, True)


def sys_vcruntime140_threads__cnd_timedwait32(p, cnd, mtx, ts):
    return _timed_wait(p, cnd, mtx, ts, False)


# --- call_once and thread-specific storage ---------------------------------------------------

def sys_vcruntime140_threads_call_once(p, flag, func):
    """func() once for the flag: the thread that begins runs it, others wait for it."""
    from . import callback
    from .kernel32_once import sys_kernel32_InitOnceBeginInitialize, sys_kernel32_InitOnceComplete
    pending = p.win32.scratch
    if not sys_kernel32_InitOnceBeginInitialize(p, flag, 0, pending, 0):
        return 0
    if not p.mm.read_u32(pending):
        return 0
    chain = callback.start(p, stdcall_args=0)

    def completed(_result: int) -> int:
        sys_kernel32_InitOnceComplete(p, flag, 0, 0)
        return callback.finish(p, chain, 0)
    return callback.call(p, chain, func, [], completed)


def sys_vcruntime140_threads_tss_create(p, key, dtor):
    """A TLS index (destructors are not run at thread exit here)."""
    from .kernel32 import sys_kernel32_TlsAlloc
    index = sys_kernel32_TlsAlloc(p)
    if index == 0xFFFFFFFF:
        return THRD_ERROR
    p.mm.write_u32(key, index)
    return THRD_SUCCESS


def sys_vcruntime140_threads_tss_delete(p, key):
    from .kernel32_sync import sys_kernel32_TlsFree
    sys_kernel32_TlsFree(p, key)
    return 0


def sys_vcruntime140_threads_tss_get(p, key):
    from .kernel32 import sys_kernel32_TlsGetValue
    return sys_kernel32_TlsGetValue(p, key)


def sys_vcruntime140_threads_tss_set(p, key, value):
    from .kernel32 import sys_kernel32_TlsSetValue
    return THRD_SUCCESS if sys_kernel32_TlsSetValue(p, key, value) else THRD_ERROR
