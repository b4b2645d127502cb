"""Waiting between threads: WaitForSingleObject/WaitForMultipleObjects over semaphores,
events, mutexes, waitable timers, threads and processes; critical sections, SRW locks and condition variables
kept in the guest's own structures. A wait that cannot be satisfied now blocks the thread in
the scheduler (Block) and the call runs again when what it waits for is ready or its time is
up; a call is never interrupted by another thread, so each attempt is atomic."""
from __future__ import annotations

import time

from .. import readiness
from ..kernel import Block
from ..nt import abi
from .kernel32_iocp import (ops_deadline, progress_unported, unported_host_fds,
                             unported_ready, wait_deadline)
from .kernel32_sync import _objects

WAIT_OBJECT_0, WAIT_TIMEOUT, WAIT_FAILED = 0, 0x102, 0xFFFFFFFF
INFINITE = 0xFFFFFFFF
ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER, ERROR_TIMEOUT = 6, 87, 1460
MAXIMUM_WAIT_OBJECTS = 64


WAITABLE = ("semaphore", "event", "mutex", "process", "thread", "timer", "console", "file")


class ConsoleInput:
    """A console input handle as a wait sees it: signalled while input waits."""

    kind = "console"

    def __init__(self, f, tty):
        self.f, self.tty = f, tty


class FileObject:
    """A file handle as a wait sees it: NT's file object, signalled when an I/O request on
    it completes and reset when one starts (an AFD device's polls; a file none was made
    on is no object to wait for here)."""

    kind = "file"

    def __init__(self, f):
        self.f = f


def _object(p, objects: dict, handle: int):
    obj = objects.get(handle)
    if obj is None:
        from .kernel32_console import console_input_file
        found = console_input_file(p, handle)
        if found is not None:
            obj = ConsoleInput(found[1], found[2])
    if obj is None:
        try:
            f = p.fds.get(abi.fd_of_handle(handle))
        except Exception:   # NtError / KernelError: no descriptor either
            return None
        if hasattr(f, "nt_signalled"):
            obj = FileObject(f)
    return obj


def _signalled(p, obj) -> bool:
    if obj.kind == "console":
        from .console_input import input_ready
        return input_ready(obj.f, obj.tty)
    if obj.kind in ("process", "thread"):
        return not obj.pcb.alive
    if obj.kind == "file":
        return bool(obj.f.nt_signalled)
    if obj.kind == "timer":
        return obj.is_signalled()
    if obj.kind == "mutex":
        return obj.owner in (0, p.pid)
    if obj.kind == "event" and obj.count <= 0 and obj.sockets:
        from .winsock_events import refresh
        refresh(obj)                 # its sockets' network events signal it (WSAEventSelect)
    if obj.kind in ("semaphore", "event"):
        return obj.count > 0
    return False


def _acquire(p, obj) -> None:
    """A wait satisfied by obj takes what it takes: a semaphore's unit, an auto-reset
    event's signal, a mutex's ownership."""
    if obj.kind == "timer":
        obj.take()
    elif obj.kind == "semaphore" or (obj.kind == "event" and not obj.manual_reset):
        obj.count -= 1
    elif obj.kind == "mutex":
        obj.owner = p.pid
        obj.count += 1


def _timed_out(p, milliseconds: int) -> bool:
    if milliseconds == 0:
        return True
    deadline = wait_deadline(p, milliseconds)
    return deadline is not None and time.monotonic() >= deadline


def _wake_at(objs, deadline: float | None) -> float | None:
    """When a blocked wait must look again: its own deadline, or a timer's due time if that
    comes first (nothing else wakes it when a timer fires)."""
    dues = [o.due for o in objs if o is not None and o.kind == "timer" and o.due is not None]
    times = dues + ([deadline] if deadline is not None else [])
    return min(times) if times else None


def _done(p, result: int) -> int:
    p.win32.wait_until = None
    return result


def wait_for(p, handles: list[int], wait_all: bool, milliseconds: int,
             wake_also=None, extra_deadline: float | None = None,
             alertable: int | None = None) -> int:
    """wake_also: (predicate, host descriptors) that also end a blocked wait (a message
    queue's messages): the call runs again and its caller looks; extra_deadline: when it
    must look again anyway (a window timer's due). alertable: the stdcall argument count of
    an alertable wait, whose due completion routines and APCs run (WAIT_IO_COMPLETION)
    when no object is signalled -- a signalled object wins, as in Windows' and Wine's
    wait, and the routines stay queued."""
    objects = _objects(p)
    objs = [_object(p, objects, h) for h in handles]
    if not objs or any(o is None or o.kind not in WAITABLE for o in objs):
        p.win32.last_error = ERROR_INVALID_HANDLE
        return _done(p, WAIT_FAILED)
    io = progress_unported(p)      # overlapped I/O that finished sets the events it names
    if wait_all:
        if all(_signalled(p, o) for o in objs):
            for o in objs:
                _acquire(p, o)
            return _done(p, WAIT_OBJECT_0)
    else:
        for i, o in enumerate(objs):
            if _signalled(p, o):
                _acquire(p, o)
                return _done(p, WAIT_OBJECT_0 + i)
    if alertable is not None:
        ran, wake_also = _alertable(p, alertable, wake_also)
        if ran is not None:
            return ran
    if _timed_out(p, milliseconds):
        return _done(p, WAIT_TIMEOUT)
    test = all if wait_all else any
    also, also_fds = wake_also or (lambda: False, [])
    wake = [t for t in (_wake_at(objs, p.win32.wait_until), extra_deadline, ops_deadline(io))
            if t is not None]
    consoles = [fd for o in objs if o.kind == "console" for fd in readiness.host_fds(o.f)]
    raise Block(lambda: test(_signalled(p, o) for o in objs) or unported_ready(p, io) or also(),
                deadline=min(wake) if wake else None,
                host_fds=list(unported_host_fds(p, io)) + list(also_fds) + consoles)


def sys_kernel32_WaitForSingleObject(p, hHandle, dwMilliseconds):
    return wait_for(p, [hHandle], False, dwMilliseconds)


def _alertable(p, stdcall_args: int, wake_also=None):
    """An alertable wait: (the due routines' WAIT_IO_COMPLETION, or None, and what else ends
    the wait: a routine becoming due, besides wake_also)."""
    from .apc import routine_may_come, run_due_routine
    ran = run_due_routine(p, stdcall_args)
    coming_ready, coming_fds = routine_may_come(p)
    if wake_also is None:
        return ran, (coming_ready, coming_fds)
    also_ready, also_fds = wake_also
    return ran, (lambda: also_ready() or coming_ready(), list(also_fds) + list(coming_fds))


def sys_kernel32_WaitForSingleObjectEx(p, hHandle, dwMilliseconds, bAlertable):
    """Alertable: a completion routine that is due runs first (WAIT_IO_COMPLETION), and one
    that becomes due ends the wait so (ReadDirectoryChangesW's, ReadFileEx's)."""
    return wait_for(p, [hHandle], False, dwMilliseconds,
                    alertable=3 if bAlertable & 0xFFFFFFFF else None)


ERROR_TOO_MANY_POSTS, ERROR_NOT_OWNER = 298, 288


def sys_kernel32_SignalObjectAndWait(p, hObjectToSignal, hObjectToWaitOn, dwMilliseconds,
                                     bAlertable):
    """Signal one object (set an event, release a semaphore unit or a mutex) and wait on
    another, as one step: the signal is given once, not again when the wait restarts."""
    from .kernel32_sync import (sys_kernel32_ReleaseMutex, sys_kernel32_ReleaseSemaphore,
                                sys_kernel32_SetEvent)
    if not p.win32.signal_and_wait:
        obj = _objects(p).get(hObjectToSignal)
        release = {"event": lambda: sys_kernel32_SetEvent(p, hObjectToSignal),
                   "semaphore": lambda: sys_kernel32_ReleaseSemaphore(p, hObjectToSignal, 1, 0),
                   "mutex": lambda: sys_kernel32_ReleaseMutex(p, hObjectToSignal)}.get(
                       getattr(obj, "kind", None))
        if release is None:
            p.win32.last_error = ERROR_INVALID_HANDLE
            return WAIT_FAILED
        if not release():                  # its own last error (too many posts, not owner)
            return WAIT_FAILED
        p.win32.signal_and_wait = True
    result = wait_for(p, [hObjectToWaitOn], False, dwMilliseconds,
                      alertable=4 if bAlertable & 0xFFFFFFFF else None)
    p.win32.signal_and_wait = False
    return result


def sys_kernel32_WaitForMultipleObjectsEx(p, nCount, lpHandles, bWaitAll, dwMilliseconds,
                                          bAlertable):
    return _wait_multiple(p, nCount, lpHandles, bWaitAll, dwMilliseconds,
                          alertable=5 if bAlertable & 0xFFFFFFFF else None)


def sys_kernel32_WaitForMultipleObjects(p, nCount, lpHandles, bWaitAll, dwMilliseconds):
    return _wait_multiple(p, nCount, lpHandles, bWaitAll, dwMilliseconds)


def _wait_multiple(p, nCount, lpHandles, bWaitAll, dwMilliseconds, alertable=None) -> int:
    if not 0 < nCount <= MAXIMUM_WAIT_OBJECTS:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return WAIT_FAILED
    handles = [abi.read_ptr(p, lpHandles + abi.word(p) * i) for i in range(nCount)]
    return wait_for(p, handles, bool(bWaitAll), dwMilliseconds, alertable=alertable)


# --- critical sections: RTL_CRITICAL_SECTION in guest memory -------------------------------
# (DebugInfo, LockCount, RecursionCount, OwningThread, LockSemaphore, SpinCount); sysvec
# keeps the owner and the recursion count where Windows does.

def _cs_fields(p, cs: int) -> tuple[int, int]:
    """(address of RecursionCount, address of OwningThread)."""
    return (cs + 12, cs + 16) if abi.word(p) == 8 else (cs + 8, cs + 12)


def _cs_owner(p, cs: int) -> int:
    return abi.read_ptr(p, _cs_fields(p, cs)[1])


def _cs_take(p, cs: int) -> bool:
    count_at, owner_at = _cs_fields(p, cs)
    owner = abi.read_ptr(p, owner_at)
    if owner not in (0, p.pid):
        return False
    abi.write_ptr(p, owner_at, p.pid)
    p.mm.write_u32(count_at, p.mm.read_u32(count_at) + 1)
    return True


def _cs_release(p, cs: int) -> int:
    """Leave once; returns the recursion count it had (0: not the owner)."""
    count_at, owner_at = _cs_fields(p, cs)
    if abi.read_ptr(p, owner_at) != p.pid:
        return 0
    count = p.mm.read_u32(count_at)
    p.mm.write_u32(count_at, max(count - 1, 0))
    if count <= 1:
        abi.write_ptr(p, owner_at, 0)
        # Free, no waiter marked (one that does not get it marks it again); this call, being
        # Python's, ends the owner's long slice, so a waiter runs soon (kernel.python_call).
        p.mm.write_u32(cs + abi.word(p), 0xFFFFFFFF)
    return count


def sys_kernel32_InitializeCriticalSection(p, lpCriticalSection):
    w = abi.word(p)
    p.mm.write(lpCriticalSection, b"\0" * (6 * w if w == 4 else 40))
    p.mm.write_u32(lpCriticalSection + w, 0xFFFFFFFF)   # LockCount -1: free
    return 0


def sys_kernel32_InitializeCriticalSectionEx(p, lpCriticalSection, dwSpinCount, Flags):
    sys_kernel32_InitializeCriticalSection(p, lpCriticalSection)
    return 1


def sys_kernel32_InitializeCriticalSectionAndSpinCount(p, lpCriticalSection, dwSpinCount):
    sys_kernel32_InitializeCriticalSection(p, lpCriticalSection)
    return 1


CS_CONTENDED = 0x7FFFFFFE     # LockCount while a thread waits: Leave must come here


def sys_kernel32_EnterCriticalSection(p, lpCriticalSection):
    """The generated kernel32 takes a free (or our own) section in machine code
    (compiler/emit_dll.py FAST_PATHS); this is the wait for another thread's: the section is
    marked contended, so its owner's Leave comes here and the waiter gets to run."""
    if not _cs_take(p, lpCriticalSection):
        p.mm.write_u32(lpCriticalSection + abi.word(p), CS_CONTENDED)
        raise Block(lambda: _cs_owner(p, lpCriticalSection) == 0)
    return 0


def sys_kernel32_TryEnterCriticalSection(p, lpCriticalSection):
    return int(_cs_take(p, lpCriticalSection))


def sys_kernel32_LeaveCriticalSection(p, lpCriticalSection):
    _cs_release(p, lpCriticalSection)
    return 0


def sys_kernel32_DeleteCriticalSection(p, lpCriticalSection):
    return 0


# --- SRW locks: one pointer-sized word, 1 = held exclusively, 2n = n shared holders ------------

def _srw(p, lock: int) -> int:
    return abi.read_ptr(p, lock)


def sys_kernel32_InitializeSRWLock(p, SRWLock):
    abi.write_ptr(p, SRWLock, 0)
    return 0


def _srw_take(p, lock: int, shared: bool) -> bool:
    word = _srw(p, lock)
    if shared and not word & 1:
        abi.write_ptr(p, lock, word + 2)
        return True
    if not shared and word == 0:
        abi.write_ptr(p, lock, 1)
        return True
    return False


def _srw_acquire(p, lock: int, shared: bool) -> int:
    if not _srw_take(p, lock, shared):
        raise Block(lambda: (not _srw(p, lock) & 1) if shared else _srw(p, lock) == 0)
    return 0


def _srw_release(p, lock: int, shared: bool) -> None:
    word = _srw(p, lock)
    abi.write_ptr(p, lock, max(word - 2, 0) if shared else 0)


def sys_kernel32_AcquireSRWLockExclusive(p, SRWLock):
    return _srw_acquire(p, SRWLock, False)


def sys_kernel32_AcquireSRWLockShared(p, SRWLock):
    return _srw_acquire(p, SRWLock, True)


def sys_kernel32_TryAcquireSRWLockExclusive(p, SRWLock):
    return int(_srw_take(p, SRWLock, False))


def sys_kernel32_TryAcquireSRWLockShared(p, SRWLock):
    return int(_srw_take(p, SRWLock, True))


def sys_kernel32_ReleaseSRWLockExclusive(p, SRWLock):
    _srw_release(p, SRWLock, False)
    return 0


def sys_kernel32_ReleaseSRWLockShared(p, SRWLock):
    _srw_release(p, SRWLock, True)
    return 0


# --- condition variables: the waiters of each variable, in order ------------------------------

CONDITION_VARIABLE_LOCKMODE_SHARED = 1


def _waiters(p, cv: int) -> list:
    return p.win32.condition_waiters.setdefault(cv, [])


def sys_kernel32_InitializeConditionVariable(p, ConditionVariable):
    abi.write_ptr(p, ConditionVariable, 0)
    return 0


def sys_kernel32_WakeConditionVariable(p, ConditionVariable):
    waiters = _waiters(p, ConditionVariable)
    if waiters:
        waiters.pop(0)
    return 0


def sys_kernel32_WakeAllConditionVariable(p, ConditionVariable):
    _waiters(p, ConditionVariable).clear()
    return 0


def _sleep_on(p, cv: int, release, reacquire_ready, reacquire, milliseconds: int) -> int:
    """Release the lock and wait to be woken (or time out), then take the lock again. The
    call runs again after each block; the thread's progress is kept between the runs."""
    state = p.win32.condition_wait
    if state is None:
        ticket = object()
        _waiters(p, cv).append(ticket)
        release()
        state = p.win32.condition_wait = {"ticket": ticket, "timed_out": False}
    waiters = _waiters(p, cv)
    if state["ticket"] in waiters:
        if _timed_out(p, milliseconds):
            waiters.remove(state["ticket"])
            state["timed_out"] = True
        else:
            raise Block(lambda: state["ticket"] not in waiters, deadline=p.win32.wait_until)
    p.win32.wait_until = None
    if not reacquire():
        raise Block(reacquire_ready)
    p.win32.condition_wait = None
    if state["timed_out"]:
        p.win32.last_error = ERROR_TIMEOUT
        return 0
    return 1


def sys_kernel32_SleepConditionVariableSRW(p, ConditionVariable, SRWLock, dwMilliseconds, Flags):
    shared = bool(Flags & CONDITION_VARIABLE_LOCKMODE_SHARED)
    return _sleep_on(p, ConditionVariable, lambda: _srw_release(p, SRWLock, shared),
                     lambda: (not _srw(p, SRWLock) & 1) if shared else _srw(p, SRWLock) == 0,
                     lambda: _srw_take(p, SRWLock, shared), dwMilliseconds)


def sys_kernel32_SleepConditionVariableCS(p, ConditionVariable, CriticalSection, dwMilliseconds):
    held = []

    def release():
        # A recursively held section is released fully and taken back as deep.
        held.append(0)
        while _cs_release(p, CriticalSection) > 1:
            held[0] += 1
        p.win32.condition_depth = held[0] + 1

    def reacquire() -> bool:
        if not _cs_take(p, CriticalSection):
            return False
        depth, p.win32.condition_depth = p.win32.condition_depth or 1, None
        count_at, _ = _cs_fields(p, CriticalSection)
        p.mm.write_u32(count_at, depth)
        return True
    return _sleep_on(p, ConditionVariable, release, lambda: _cs_owner(p, CriticalSection) == 0,
                     reacquire, dwMilliseconds)


# --- synchronization barriers: each phase lets its threads go once the last one arrives -----

class Barrier:
    """InitializeSynchronizationBarrier's barrier: how many threads a phase takes, how many
    are in the current one, and the phase's number (a waiter goes when it changes)."""

    def __init__(self, total: int):
        self.total, self.arrived, self.phase = total, 0, 0


def _barriers(p) -> dict:
    return p.win32.barriers


def _long(value: int) -> int:
    """A LONG argument, signed."""
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value >> 31 else value


def sys_kernel32_InitializeSynchronizationBarrier(p, lpBarrier, lTotalThreads, lSpinCount):
    total, spin = _long(lTotalThreads), _long(lSpinCount)
    if total < 1 or spin < -1:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    _barriers(p)[lpBarrier] = Barrier(total)
    return 1


def sys_kernel32_EnterSynchronizationBarrier(p, lpBarrier, dwFlags):
    """Wait until the phase's last thread arrives: TRUE for that one, FALSE for the others
    (the flags choose spinning or blocking, which is all one here)."""
    waiting = p.win32.thread_local("barrier wait", dict)
    if waiting:
        barrier, phase = waiting["barrier"], waiting["phase"]
        if barrier.phase == phase:
            raise Block(lambda: barrier.phase != phase)
        waiting.clear()
        return 0
    barrier = _barriers(p).setdefault(lpBarrier, Barrier(1))
    barrier.arrived += 1
    if barrier.arrived >= barrier.total:
        barrier.arrived = 0
        barrier.phase += 1
        return 1
    waiting.update(barrier=barrier, phase=barrier.phase)
    phase = barrier.phase
    raise Block(lambda: barrier.phase != phase)


def sys_kernel32_DeleteSynchronizationBarrier(p, lpBarrier):
    _barriers(p).pop(lpBarrier, None)
    return 1


# --- registered waits and timer-queue timers: a thread-pool thread waits and calls back ----

WT_EXECUTEONLYONCE = 0x8
WAIT_THREAD_EXPORT = "__sysvec_wait_thread"


class RegisteredWait:
    """A registration RegisterWaitForSingleObject or CreateTimerQueueTimer made: what is
    waited on (None: only the time), the callback and its context, the first time-out and
    the period after it (0: once)."""

    kind = "wait"

    def __init__(self, obj, callback: int, context: int, milliseconds: int, period: int):
        self.obj, self.callback, self.context = obj, callback, context
        self.milliseconds, self.period = milliseconds, period
        self.cancelled = False

    def close(self, p) -> None:
        self.cancelled = True


def _register(p, obj, callback: int, context: int, milliseconds: int, period: int) -> int:
    """A handle for the registration, with its thread started; 0 when no thread can be."""
    from .kernel32 import _module_base
    from .kernel32_sync import close_sync_handle, new_handle
    from .threads import create_thread
    handle = new_handle(p, RegisteredWait(obj, callback, context, milliseconds, period))
    start = _module_base(p, "kernel32") + p.win32.modules["kernel32"][1][WAIT_THREAD_EXPORT]
    thread = create_thread(p, 0, start, handle, 0, 0, looping=True)
    if not thread:
        close_sync_handle(p, handle)
        return 0
    close_sync_handle(p, thread)
    return handle


def sys_kernel32_RegisterWaitForSingleObject(p, phNewWaitObject, hObject, Callback, Context,
                                             dwMilliseconds, dwFlags):
    obj = _objects(p).get(hObject)
    if obj is None or obj.kind not in WAITABLE:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    # Without WT_EXECUTEONLYONCE the wait starts again after each call, time-out included.
    again = 0 if dwFlags & WT_EXECUTEONLYONCE else dwMilliseconds
    handle = _register(p, obj, Callback, Context, dwMilliseconds, again)
    if handle:
        abi.write_ptr(p, phNewWaitObject, handle)
    return int(bool(handle))


def sys_kernel32___sysvec_wait_thread(p, lpParameter):
    """A wait thread's round: block until the object is signalled or the time is up, call
    Callback(Context, TimerOrWaitFired), and return non-zero for another round (the thread's
    start code calls again) or zero to end. A registration undone meanwhile ends the thread
    without a call."""
    from . import callback
    registration = _objects(p).get(lpParameter)
    if not isinstance(registration, RegisteredWait) or registration.cancelled:
        return _done(p, 0)
    obj = registration.obj
    if obj is not None and _signalled(p, obj):
        _acquire(p, obj)
        fired = 0
    elif registration.milliseconds != INFINITE and _timed_out(p, registration.milliseconds):
        fired = 1
    else:
        raise Block(lambda: registration.cancelled or (obj is not None and _signalled(p, obj)),
                    deadline=_wake_at([obj], p.win32.wait_until))
    p.win32.wait_until = None
    chain = callback.start(p, stdcall_args=1)

    def called(_result: int) -> int:
        again = bool(registration.period) and not registration.cancelled
        if again:
            registration.milliseconds = registration.period
        return callback.finish(p, chain, int(again))
    return callback.call(p, chain, registration.callback, [registration.context, fired], called)


def _unregister(p, handle: int) -> bool:
    from .kernel32_sync import close_sync_handle
    if not isinstance(_objects(p).get(handle), RegisteredWait):
        p.win32.last_error = ERROR_INVALID_HANDLE
        return False
    close_sync_handle(p, handle)      # cancels it: a waiting thread ends without calling
    return True


def _signal_completion(p, event: int) -> None:
    """Callbacks run on their threads between traps, so none is in progress when an
    unregistration runs: a completion event given is signalled at once."""
    if event and event != (1 << (8 * abi.word(p))) - 1:
        from .kernel32_sync import sys_kernel32_SetEvent
        sys_kernel32_SetEvent(p, event)


def sys_kernel32_UnregisterWait(p, WaitHandle):
    return int(_unregister(p, WaitHandle))


def sys_kernel32_UnregisterWaitEx(p, WaitHandle, CompletionEvent):
    if not _unregister(p, WaitHandle):
        return 0
    _signal_completion(p, CompletionEvent)
    return 1


class TimerQueue:
    """CreateTimerQueue's queue: the timers made in it, deleted with it."""

    kind = "timer queue"

    def __init__(self):
        self.timers: list[int] = []

    def close(self, p) -> None:
        for timer in self.timers:
            _unregister(p, timer)


def sys_kernel32_CreateTimerQueue(p):
    from .kernel32_sync import new_handle
    return new_handle(p, TimerQueue())


def sys_kernel32_CreateTimerQueueTimer(p, phNewTimer, TimerQueue, Callback, Parameter, DueTime,
                                       Period, Flags):
    """Callback(Parameter, TRUE) after DueTime ms, then every Period ms (0: once), on a
    thread of its own; a NULL queue is the process's default one."""
    from .kernel32_sync import object_of
    queue = object_of(p, TimerQueue, "timer queue") if TimerQueue else None
    if TimerQueue and queue is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    handle = _register(p, None, Callback, Parameter, DueTime, Period)
    if not handle:
        return 0
    if queue is not None:
        queue.timers.append(handle)
    abi.write_ptr(p, phNewTimer, handle)
    return 1


def sys_kernel32_ChangeTimerQueueTimer(p, TimerQueue, Timer, DueTime, Period):
    registration = _objects(p).get(Timer)
    if not isinstance(registration, RegisteredWait) or registration.obj is not None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    registration.milliseconds, registration.period = DueTime, Period
    return 1


def sys_kernel32_DeleteTimerQueueTimer(p, TimerQueue, Timer, CompletionEvent):
    if not _unregister(p, Timer):
        return 0
    _signal_completion(p, CompletionEvent)
    return 1


def sys_kernel32_DeleteTimerQueueEx(p, TimerQueue, CompletionEvent):
    from .kernel32_sync import close_sync_handle, object_of
    if object_of(p, TimerQueue, "timer queue") is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    close_sync_handle(p, TimerQueue)     # its timers with it
    _signal_completion(p, CompletionEvent)
    return 1


def sys_kernel32_DeleteTimerQueue(p, TimerQueue):
    return sys_kernel32_DeleteTimerQueueEx(p, TimerQueue, 0)
