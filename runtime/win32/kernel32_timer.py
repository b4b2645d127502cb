"""Waitable timers (CreateWaitableTimer(Ex), SetWaitableTimer, CancelWaitableTimer): objects a
wait is satisfied by once their due time passes, again every period if they have one; a
synchronization timer's signal is taken by the wait it satisfies, a manual-reset one stays
set until the timer is set again. Go's runtime sleeps on a high-resolution one."""
from __future__ import annotations

import time

from ..nt import abi
from .kernel32_sync import object_of
from .named_objects import create_named, open_named, read_name

CREATE_WAITABLE_TIMER_MANUAL_RESET = 0x1
ERROR_INVALID_HANDLE, ERROR_NOT_SUPPORTED = 6, 50


class WaitableTimer:
    kind = "timer"

    def __init__(self, manual_reset: bool):
        self.manual_reset = manual_reset
        self.due: float | None = None       # time.monotonic() when it next fires
        self.period = 0.0                   # seconds, 0: once
        self.signalled = False

    def settle(self) -> None:
        """Fire if the due time has passed (once, however many periods went by)."""
        now = time.monotonic()
        if self.due is None or now < self.due:
            return
        self.signalled = True
        if self.period:
            self.due += self.period * (int((now - self.due) / self.period) + 1)
        else:
            self.due = None

    def is_signalled(self) -> bool:
        self.settle()
        return self.signalled

    def take(self) -> None:
        """A wait satisfied by a synchronization timer takes its signal."""
        if not self.manual_reset:
            self.signalled = False


def _create_timer(p, manual_reset: bool, name: str) -> int:
    return create_named(p, name, "timer", lambda: WaitableTimer(manual_reset))


def sys_kernel32_CreateWaitableTimerW(p, lpTimerAttributes, bManualReset, lpTimerName):
    return _create_timer(p, bool(bManualReset), read_name(p, lpTimerName, True))


def sys_kernel32_CreateWaitableTimerA(p, lpTimerAttributes, bManualReset, lpTimerName):
    return _create_timer(p, bool(bManualReset), read_name(p, lpTimerName, False))


def sys_kernel32_CreateWaitableTimerExW(p, lpTimerAttributes, lpTimerName, dwFlags,
                                        dwDesiredAccess):
    """CREATE_WAITABLE_TIMER_HIGH_RESOLUTION is what every timer here is already."""
    return _create_timer(p, bool(dwFlags & CREATE_WAITABLE_TIMER_MANUAL_RESET),
                         read_name(p, lpTimerName, True))


def sys_kernel32_OpenWaitableTimerW(p, dwDesiredAccess, bInheritHandle, lpTimerName):
    return open_named(p, read_name(p, lpTimerName, True), "timer")


def sys_kernel32_OpenWaitableTimerA(p, dwDesiredAccess, bInheritHandle, lpTimerName):
    return open_named(p, read_name(p, lpTimerName, False), "timer")


def sys_kernel32_SetWaitableTimer(p, hTimer, lpDueTime, lPeriod, pfnCompletionRoutine,
                                  lpArgToCompletionRoutine, fResume):
    """lpDueTime: negative, a time from now in 100 ns units; positive, an absolute FILETIME.
    A completion routine (an APC to the setting thread) is not offered."""
    timer = object_of(p, hTimer, "timer")
    if timer is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    if pfnCompletionRoutine:
        p.win32.last_error = ERROR_NOT_SUPPORTED
        return 0
    timer.due = time.monotonic() + abi.seconds_until(abi.read_i64(p, lpDueTime))
    timer.period = max(lPeriod, 0) / 1000
    timer.signalled = False
    return 1


def sys_kernel32_SetWaitableTimerEx(p, hTimer, lpDueTime, lPeriod, pfnCompletionRoutine,
                                    lpArgToCompletionRoutine, WakeContext, TolerableDelay):
    """SetWaitableTimer with a wake context and a coalescing delay, which only allow the
    system to fire it later: it fires on time."""
    return sys_kernel32_SetWaitableTimer(p, hTimer, lpDueTime, lPeriod, pfnCompletionRoutine,
                                         lpArgToCompletionRoutine, 0)


def sys_kernel32_CancelWaitableTimer(p, hTimer):
    timer = object_of(p, hTimer, "timer")
    if timer is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    timer.due = None
    return 1
