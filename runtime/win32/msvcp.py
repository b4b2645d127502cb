"""MSVCP140.dll, the C++ standard library's DLL: its C-level thread support (xthreads.h), which
std::mutex, std::condition_variable and std::thread are built on, and its clock.

A mutex is the STL's _Mtx_internal_imp_t laid out as VS2022 constructs it in place (its
constexpr constructor writes it without calling here): the type, a critical section that is
an SRW lock, the owning thread and the recursion count. A condition variable is
_Cnd_internal_imp_t: its CONDITION_VARIABLE after an unused word. Waits and wake-ups are
kernel32's (kernel32_wait.py), so std::condition_variable and SleepConditionVariableSRW wake
each other's waiters as on Windows."""
from __future__ import annotations

import struct

from ..nt import abi
from .kernel32_wait import (_sleep_on, _srw, _srw_release, _srw_take,
                            sys_kernel32_WakeAllConditionVariable,
                            sys_kernel32_WakeConditionVariable)
from ..kernel import Block
from .c11threads import THRD_BUSY, THRD_ERROR, THRD_NOMEM, THRD_SUCCESS, THRD_TIMEDOUT

# _Thrd_result is <threads.h>'s thrd_ results (c11threads.py); the mutex types (xthreads.h)
MTX_PLAIN, MTX_TRY, MTX_TIMED, MTX_RECURSIVE = 0x1, 0x2, 0x4, 0x100
# _Mtx_internal_imp_t (x64: 80 bytes, i386: 48): the type, a critical section whose second
# word is the SRW lock, the owner and the count; _Cnd_internal_imp_t (72 or 40 bytes): its
# CONDITION_VARIABLE after an unused word (__msvc_threads_core.hpp)
MTX_LAYOUT = {8: dict(size=80, lock=16, owner=72, count=76),
              4: dict(size=48, lock=8, owner=40, count=44)}
CND_SIZE, CND_CV = {8: 72, 4: 40}, {8: 8, 4: 4}
NO_OWNER = 0xFFFFFFFF
INFINITE = 0xFFFFFFFF


def _m(p) -> dict:
    return MTX_LAYOUT[abi.word(p)]


def _me(p) -> int:
    from .threads import sys_kernel32_GetCurrentThreadId
    return sys_kernel32_GetCurrentThreadId(p) & 0xFFFFFFFF


def _owner(p, mtx: int) -> tuple[int, int]:
    m = _m(p)
    return p.mm.read_u32(mtx + m["owner"]), p.mm.read_u32(mtx + m["count"])


def _set_owner(p, mtx: int, owner: int, count: int) -> None:
    m = _m(p)
    p.mm.write(mtx + m["owner"], struct.pack("<II", owner & 0xFFFFFFFF, count & 0xFFFFFFFF))


# --- mutexes ---------------------------------------------------------------------------------

def sys_msvcp140__Mtx_init_in_situ(p, mtx, type):
    m = _m(p)
    p.mm.write(mtx, b"\0" * m["size"])
    p.mm.write_u32(mtx, type & 0xFFFFFFFF)
    _set_owner(p, mtx, NO_OWNER, 0)
    return 0


def sys_msvcp140__Mtx_destroy_in_situ(p, mtx):
    return 0


def sys_msvcp140__Mtx_init(p, mtx, type):
    block = p.win32.heap.alloc(_m(p)["size"])
    if not block:
        return THRD_NOMEM
    sys_msvcp140__Mtx_init_in_situ(p, block, type)
    abi.write_ptr(p, mtx, block)
    return THRD_SUCCESS


def sys_msvcp140__Mtx_destroy(p, mtx):
    if mtx:
        p.win32.heap.free(mtx)
    return 0


def _lock(p, mtx: int, wait: bool) -> int:
    me = _me(p)
    owner, count = _owner(p, mtx)
    if owner == me and count:
        if not p.mm.read_u32(mtx) & MTX_RECURSIVE:
            return THRD_BUSY   # std::mutex::lock turns it into resource_deadlock_would_occur
        _set_owner(p, mtx, me, count + 1)
        return THRD_SUCCESS
    lock = mtx + _m(p)["lock"]
    if not _srw_take(p, lock, False):
        if not wait:
            return THRD_BUSY
        raise Block(lambda: _srw(p, lock) == 0)
    _set_owner(p, mtx, me, 1)
    return THRD_SUCCESS


def sys_msvcp140__Mtx_lock(p, mtx):
    return _lock(p, mtx, True)


def sys_msvcp140__Mtx_trylock(p, mtx):
    return _lock(p, mtx, False)


def sys_msvcp140__Mtx_unlock(p, mtx):
    owner, count = _owner(p, mtx)
    if owner != _me(p) or not count:
        return THRD_ERROR
    if count > 1:
        _set_owner(p, mtx, owner, count - 1)
        return THRD_SUCCESS
    _set_owner(p, mtx, NO_OWNER, 0)
    _srw_release(p, mtx + _m(p)["lock"], False)
    return THRD_SUCCESS


def sys_msvcp140__Mtx_current_owns(p, mtx):
    owner, count = _owner(p, mtx)
    return int(owner == _me(p) and count > 0)


def sys_msvcp140__Mtx_getconcrtcs(p, mtx):
    return mtx + abi.word(p)   # the critical section inside it


def sys_msvcp140__Mtx_clear_owner(p, mtx):
    """Before a condition wait releases the lock underneath: the mutex has no owner."""
    _, count = _owner(p, mtx)
    _set_owner(p, mtx, NO_OWNER, max(count - 1, 0))
    return 0


def sys_msvcp140__Mtx_reset_owner(p, mtx):
    _, count = _owner(p, mtx)
    _set_owner(p, mtx, _me(p), count + 1)
    return 0


# --- condition variables ---------------------------------------------------------------------

def _cv(p, cnd: int) -> int:
    return cnd + CND_CV[abi.word(p)]


def sys_msvcp140__Cnd_init_in_situ(p, cnd):
    p.mm.write(cnd, b"\0" * CND_SIZE[abi.word(p)])
    return 0


def sys_msvcp140__Cnd_destroy_in_situ(p, cnd):
    return 0


def sys_msvcp140__Cnd_init(p, cnd):
    block = p.win32.heap.alloc(CND_SIZE[abi.word(p)])
    if not block:
        return THRD_NOMEM
    sys_msvcp140__Cnd_init_in_situ(p, block)
    abi.write_ptr(p, cnd, block)
    return THRD_SUCCESS


def sys_msvcp140__Cnd_destroy(p, cnd):
    if cnd:
        p.win32.heap.free(cnd)
    return 0


def _cnd_wait(p, cnd: int, mtx: int, milliseconds: int) -> bool:
    """Release the mutex, sleep until signalled (or the time is up: False), take it back
    (with its owner and count)."""
    lock = mtx + _m(p)["lock"]
    me = _me(p)

    def release() -> None:
        _set_owner(p, mtx, NO_OWNER, 0)
        _srw_release(p, lock, False)

    def reacquire() -> bool:
        if not _srw_take(p, lock, False):
            return False
        _set_owner(p, mtx, me, 1)
        return True
    return bool(_sleep_on(p, _cv(p, cnd), release, lambda: _srw(p, lock) == 0, reacquire,
                          milliseconds))


def sys_msvcp140__Cnd_wait(p, cnd, mtx):
    _cnd_wait(p, cnd, mtx, INFINITE)
    return THRD_SUCCESS


def sys_msvcp140__Cnd_signal(p, cnd):
    sys_kernel32_WakeConditionVariable(p, _cv(p, cnd))
    return THRD_SUCCESS


def sys_msvcp140__Cnd_broadcast(p, cnd):
    sys_kernel32_WakeAllConditionVariable(p, _cv(p, cnd))
    return THRD_SUCCESS


# std::notify_all_at_thread_exit and promise::set_value_at_thread_exit register a condition
# variable and the mutex the thread holds; std::thread's routine calls
# _Cnd_do_broadcast_at_thread_exit when the function returns, whatever was registered.

def sys_msvcp140__Cnd_register_at_thread_exit(p, cnd, mtx, res):
    p.win32.cnd_at_thread_exit.append((_me(p), cnd, mtx, res))
    return 0


def sys_msvcp140__Cnd_unregister_at_thread_exit(p, mtx):
    p.win32.cnd_at_thread_exit[:] = [e for e in p.win32.cnd_at_thread_exit if e[2] != mtx]
    return 0


def sys_msvcp140__Cnd_do_broadcast_at_thread_exit(p):
    """For each registration of this thread: *res = 1, unlock the mutex, wake every waiter."""
    me, registered = _me(p), p.win32.cnd_at_thread_exit
    mine = [e for e in registered if e[0] == me]
    registered[:] = [e for e in registered if e[0] != me]
    for _, cnd, mtx, res in mine:
        if res:
            p.mm.write_u32(res, 1)
        sys_msvcp140__Mtx_unlock(p, mtx)
        sys_msvcp140__Cnd_broadcast(p, cnd)
    return 0


# --- threads and the clock -------------------------------------------------------------------

def sys_msvcp140__Thrd_id(p):
    return _me(p)


def sys_msvcp140__Thrd_yield(p):
    from .kernel32_misc import sys_kernel32_SwitchToThread
    sys_kernel32_SwitchToThread(p)
    return 0


def sys_msvcp140__Thrd_hardware_concurrency(p):
    return 1   # the machine's one core (GetSystemInfo's dwNumberOfProcessors)


# A _Thrd_t is {HANDLE _Hnd; _Thrd_id_t _Id}, vcruntime140_threads' thrd_t: the tables name
# that DLL's handlers (c11threads.py) for _Thrd_join, _Thrd_detach and _Thrd_current, whose
# results (_Thrd_result) are its thrd_ ones.

def sys_msvcp140__Thrd_start(p, thr, func, arg):
    """The older STL's thread start: func is a thread routine (unsigned __stdcall (void *));
    *thr gets the new thread's handle and id."""
    from .threads import sys_kernel32_CreateThread
    w, scratch = abi.word(p), p.win32.scratch
    handle = sys_kernel32_CreateThread(p, 0, 0, func, arg, 0, scratch)
    if not handle:
        return THRD_NOMEM
    abi.write_ptr(p, thr, handle)
    p.mm.write_u32(thr + w, p.mm.read_u32(scratch))
    return THRD_SUCCESS


def _xtime_ms(p, xtime: int) -> int:
    """Milliseconds from now to an xtime {__time64_t sec; long nsec} (UTC), 0 if past."""
    import time
    sec, nsec = struct.unpack("<qi", p.mm.read(xtime, 12))
    left = sec + nsec / 1e9 - time.time()
    return max(0, min(int(left * 1000 + 0.999), INFINITE - 1))


def sys_msvcp140__Thrd_sleep(p, xtime):
    from .kernel32 import sys_kernel32_Sleep
    sys_kernel32_Sleep(p, _xtime_ms(p, xtime))
    return 0


def sys_msvcp140__Thrd_sleep_for(p, ms):
    from .kernel32 import sys_kernel32_Sleep
    sys_kernel32_Sleep(p, ms & 0xFFFFFFFF)
    return 0


def sys_msvcp140__Mtx_timedlock(p, mtx, xtime):
    """Take the mutex, waiting no later than xtime: _Thrd_timedout then."""
    from .kernel32_wait import _timed_out
    result = _lock(p, mtx, False)
    if result != THRD_BUSY or (_owner(p, mtx)[0] == _me(p)):
        p.win32.wait_until = None
        return result
    if _timed_out(p, _xtime_ms(p, xtime)):
        p.win32.wait_until = None
        return THRD_TIMEDOUT
    lock = mtx + _m(p)["lock"]
    raise Block(lambda: _srw(p, lock) == 0, deadline=p.win32.wait_until)


def sys_msvcp140__Cnd_timedwait(p, cnd, mtx, xtime):
    """_Cnd_wait with a deadline: _Thrd_timedout once it passed (the mutex held again)."""
    return THRD_SUCCESS if _cnd_wait(p, cnd, mtx, _xtime_ms(p, xtime)) else THRD_TIMEDOUT


def _query(p, query) -> int:
    """A LARGE_INTEGER query's value, returned as a long long (edx:eax on i386)."""
    from .crttime import _ret64
    buffer = p.win32.heap.alloc(8)
    query(p, buffer)
    value = struct.unpack("<q", p.mm.read(buffer, 8))[0]
    p.win32.heap.free(buffer)
    return _ret64(p, value)


def sys_msvcp140__Query_perf_frequency(p):
    from .kernel32_system import sys_kernel32_QueryPerformanceFrequency
    return _query(p, sys_kernel32_QueryPerformanceFrequency)


def sys_msvcp140__Xtime_get_ticks(p):
    """The system clock in 100 ns ticks since 1970 (std::chrono::system_clock::now)."""
    import time
    from .crttime import _ret64
    return _ret64(p, time.time_ns() // 100)


def sys_msvcp140__Query_perf_counter(p):
    from .kernel32 import sys_kernel32_QueryPerformanceCounter
    return _query(p, sys_kernel32_QueryPerformanceCounter)
