"""The thread pool's wait and timer objects (CreateThreadpoolWait/SetThreadpoolWait,
CreateThreadpoolTimer/SetThreadpoolTimer and their families), and winmm's multimedia timers
(timeSetEvent) built on the same timers. Qt's pipe readers and event notifiers, libraries
built for Vista and later, and multimedia ticks use them.

A set object has a pool thread of its own (the work objects' thread, kernel32_tpwork): its
round blocks until the handle is signalled, the timeout passes or the due time comes, then
runs the callback; a wait is one-shot (set it again to wait again), a timer with a period
arms itself again. Setting a NULL handle or due time cancels what has not started."""
from __future__ import annotations

import time
from dataclasses import dataclass

from ..kernel import Block
from ..nt import abi
from .kernel32_sync import close_sync_handle, new_handle, object_of

ERROR_INVALID_PARAMETER = 87
WAIT_OBJECT_0, WAIT_TIMEOUT = 0, 0x102


@dataclass(eq=False)
class PoolWait:
    """A PTP_WAIT (kind "tp wait") or PTP_TIMER (kind "tp timer")."""
    kind: str
    callback: int
    context: int
    handle: int = 0              # a wait's handle, 0 when not set
    due: float | None = None     # monotonic time: a timer's due time, a wait's timeout
    period: float = 0.0          # a timer's period in seconds (0: once)
    armed: bool = False
    running: bool = False
    thread: bool = False
    closed: bool = False
    # winmm's: ("call",) lpTimeProc(id, 0, dwUser, 0, 0), or ("event",) set the event
    winmm: tuple | None = None


def _create(p, kind: str, callback: int, context: int) -> int:
    if not callback:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    return new_handle(p, PoolWait(kind, callback, context))


def _due_of(p, at: int) -> float | None:
    """A FILETIME pointer as the pool takes it: NULL none, else a due time (negative:
    relative in 100 ns units; 0: now)."""
    if not at:
        return None
    value = int.from_bytes(p.mm.read(at, 8), "little", signed=True)
    return time.monotonic() + abi.seconds_until(value)


def _arm(p, obj: PoolWait, handle_value: int) -> None:
    """Start the object's pool thread if it has none (it runs the rounds below)."""
    from .kernel32_tpwork import start_pool_thread
    obj.armed = True
    if not obj.thread:
        obj.thread = obj.armed = start_pool_thread(p, handle_value)


def _set_wait(p, pwa, h, pftTimeout) -> bool:
    obj = object_of(p, pwa, "tp wait")
    if obj is None or obj.closed:
        return False
    was = obj.armed
    obj.armed, obj.handle = False, h
    if h:
        obj.due = _due_of(p, pftTimeout)
        _arm(p, obj, pwa)
    return was


def sys_kernel32_CreateThreadpoolWait(p, pfnwa, pv, pcbe):
    return _create(p, "tp wait", pfnwa, pv)


def sys_kernel32_SetThreadpoolWait(p, pwa, h, pftTimeout):
    _set_wait(p, pwa, h, pftTimeout)
    return 0


def sys_kernel32_SetThreadpoolWaitEx(p, pwa, h, pftTimeout, Reserved):
    """TRUE when a wait was set and had not fired (it is replaced)."""
    return int(_set_wait(p, pwa, h, pftTimeout))


def _set_timer(p, pti, pftDueTime, msPeriod) -> bool:
    obj = object_of(p, pti, "tp timer")
    if obj is None or obj.closed:
        return False
    was = obj.armed
    obj.armed = False
    due = _due_of(p, pftDueTime)
    if due is not None:
        obj.due, obj.period = due, (msPeriod & 0xFFFFFFFF) / 1000
        _arm(p, obj, pti)
    return was


def sys_kernel32_CreateThreadpoolTimer(p, pfnti, pv, pcbe):
    return _create(p, "tp timer", pfnti, pv)


def sys_kernel32_SetThreadpoolTimer(p, pti, pftDueTime, msPeriod, msWindowLength):
    _set_timer(p, pti, pftDueTime, msPeriod)
    return 0


def sys_kernel32_SetThreadpoolTimerEx(p, pti, pftDueTime, msPeriod, msWindowLength):
    return int(_set_timer(p, pti, pftDueTime, msPeriod))


def sys_kernel32_IsThreadpoolTimerSet(p, pti):
    obj = object_of(p, pti, "tp timer")
    return int(obj is not None and obj.armed)


def _wait_callbacks(p, handle, kind: str, cancel: int) -> int:
    obj = object_of(p, handle, kind)
    if obj is None:
        return 0
    if cancel:
        obj.armed = False
    if obj.running or (obj.armed and not cancel and obj.due is not None
                       and obj.due <= time.monotonic()):
        raise Block(lambda: not obj.running)
    return 0


def sys_kernel32_WaitForThreadpoolWaitCallbacks(p, pwa, fCancelPendingCallbacks):
    return _wait_callbacks(p, pwa, "tp wait", fCancelPendingCallbacks)


def sys_kernel32_WaitForThreadpoolTimerCallbacks(p, pti, fCancelPendingCallbacks):
    return _wait_callbacks(p, pti, "tp timer", fCancelPendingCallbacks)


def _close(p, handle, kind: str) -> int:
    """Released now, or once a running callback returns; what is set is cancelled."""
    obj = object_of(p, handle, kind)
    if obj is None:
        return 0
    obj.closed, obj.armed = True, False
    if not obj.running and not obj.thread:
        close_sync_handle(p, handle)
    return 0


def sys_kernel32_CloseThreadpoolWait(p, pwa):
    return _close(p, pwa, "tp wait")


def sys_kernel32_CloseThreadpoolTimer(p, pti):
    return _close(p, pti, "tp timer")


def _ready(p, obj: PoolWait) -> int | None:
    """The wait result now due (WAIT_OBJECT_0 having taken the handle's signal, or
    WAIT_TIMEOUT), or None."""
    if obj.kind == "tp wait":
        from .kernel32_sync import _objects
        from .kernel32_wait import _acquire, _object, _signalled
        target = _object(p, _objects(p), obj.handle)
        if target is not None and _signalled(p, target):
            _acquire(p, target)
            return WAIT_OBJECT_0
    if obj.due is not None and time.monotonic() >= obj.due:
        return WAIT_TIMEOUT
    return None


def pool_round(p, handle: int, obj: PoolWait) -> int:
    """A wait's or timer's pool thread: block until it fires, run its callback, and say
    whether to go round again (it is set again); 0 ends the thread."""
    from . import callback
    if not obj.armed or obj.closed:
        obj.thread = False
        if obj.closed and not obj.running:
            close_sync_handle(p, handle)
        return 0
    result = _ready(p, obj)
    if result is None:
        from .. import readiness
        from .kernel32_sync import _objects
        from .kernel32_wait import _object
        target = _object(p, _objects(p), obj.handle) if obj.kind == "tp wait" else None
        fds = readiness.host_fds(target.f) if getattr(target, "kind", "") == "console" else ()
        armed_due = obj.due
        raise Block(lambda: not obj.armed or obj.closed or obj.due != armed_due
                    or _ready_now(p, obj), deadline=obj.due, host_fds=fds)
    if obj.kind == "tp timer" and obj.period:
        obj.due += obj.period
        while obj.due < time.monotonic() - obj.period:   # a late thread does not replay ticks
            obj.due += obj.period
    else:
        obj.armed = False
    if obj.winmm is not None and obj.winmm[0] != "call":
        _signal_event(p, obj)
        return 1
    obj.running = True
    chain = callback.start(p, stdcall_args=1)

    def called(_result: int) -> int:
        from .kernel32_tpinstance import run_on_return
        run_on_return(p, obj)
        obj.running = False
        return callback.finish(p, chain, 1)

    # The callback instance is the object's handle (what *WhenCallbackReturns take back).
    if obj.winmm is not None:
        args = [handle, 0, obj.context, 0, 0]
    elif obj.kind == "tp wait":
        args = [handle, obj.context, handle, result]
    else:
        args = [handle, obj.context, handle]
    return callback.call(p, chain, obj.callback, args, called)


def _ready_now(p, obj: PoolWait) -> bool:
    """Whether a blocked round should look again (without taking a signal)."""
    if obj.due is not None and time.monotonic() >= obj.due:
        return True
    if obj.kind != "tp wait":
        return False
    from .kernel32_sync import _objects
    from .kernel32_wait import _object, _signalled
    target = _object(p, _objects(p), obj.handle)
    return target is not None and _signalled(p, target)


# --- winmm: timeSetEvent / timeKillEvent --------------------------------------------------

TIME_PERIODIC, TIME_CALLBACK_EVENT_SET, TIME_CALLBACK_EVENT_PULSE = 0x1, 0x10, 0x20
TIMERR_NOERROR, MMSYSERR_INVALPARAM = 0, 11


def _signal_event(p, obj: PoolWait) -> None:
    """TIME_CALLBACK_EVENT_SET sets the event; TIME_CALLBACK_EVENT_PULSE is taken as a set
    too (the auto-reset event such timers use lets one waiter through either way)."""
    from .kernel32_sync import sys_kernel32_SetEvent
    sys_kernel32_SetEvent(p, obj.callback)


def sys_winmm_timeSetEvent(p, uDelay, uResolution, lpTimeProc, dwUser, fuEvent):
    """A multimedia timer: once or periodic, calling lpTimeProc(id, 0, dwUser, 0, 0) on a
    pool thread, or setting or pulsing the event lpTimeProc names. Its id is its handle."""
    delay = uDelay & 0xFFFFFFFF
    if not delay or not lpTimeProc:
        return 0
    how = "event" if fuEvent & (TIME_CALLBACK_EVENT_SET | TIME_CALLBACK_EVENT_PULSE) else "call"
    obj = PoolWait("tp timer", lpTimeProc, dwUser, winmm=(how,))
    handle = new_handle(p, obj)
    obj.due = time.monotonic() + delay / 1000
    obj.period = delay / 1000 if fuEvent & TIME_PERIODIC else 0.0
    _arm(p, obj, handle)
    return handle


def sys_winmm_timeKillEvent(p, uTimerID):
    """Cancelled; a callback already running finishes (TIME_KILL_SYNCHRONOUS waits for it
    in Windows; here the caller's thread cannot be running it)."""
    obj = object_of(p, uTimerID & 0xFFFFFFFF, "tp timer")
    if obj is None or obj.winmm is None or obj.closed:
        return MMSYSERR_INVALPARAM
    return _close(p, uTimerID & 0xFFFFFFFF, "tp timer") or TIMERR_NOERROR
