"""ReadFileEx and WriteFileEx: I/O whose completion routine runs as an APC, in the thread that
started it, when the thread next waits alertably (SleepEx(..., TRUE)). Rust's standard
library reads its children's pipes so (Command::output, `just`'s backticks).

A read is left pending in the thread's queue and done when an alertable wait finds its
handle readable; a write is done at once and only its routine waits for the wait. The wait
runs every routine that is due, in order, and then returns WAIT_IO_COMPLETION, as Windows
does.

QueueUserAPC puts a routine of the caller's choosing in a
thread's queue the same way: it runs at that thread's next alertable wait, and a thread
already waiting alertably is woken for it (libuv's and watcher's thread wake-ups)."""
from __future__ import annotations

import time

from ..errors import KernelError, WouldBlock
from ..kernel import Block
from ..nt import abi
from ..nt.status import STATUS_PENDING, STATUS_PIPE_BROKEN, STATUS_SUCCESS
from . import callback
from .kernel32_iocp import set_status

WAIT_IO_COMPLETION, INFINITE = 0xC0, 0xFFFFFFFF
ERROR_SUCCESS, ERROR_INVALID_HANDLE, ERROR_HANDLE_EOF, ERROR_BROKEN_PIPE = 0, 6, 38, 109


def _queue(p) -> list:
    return p.win32.thread_local("apcs", list)


def _file(p, handle):
    try:
        return p.fds.get(abi.fd_of_handle(handle))
    except Exception:   # NtError / KernelError: no such descriptor
        return None


def sys_kernel32_ReadFileEx(p, hFile, lpBuffer, nNumberOfBytesToRead, lpOverlapped,
                            lpCompletionRoutine):
    if _file(p, hFile) is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    set_status(p, lpOverlapped, STATUS_PENDING, 0)
    _queue(p).append(("read", hFile, lpBuffer, nNumberOfBytesToRead & 0xFFFFFFFF, lpOverlapped,
                      lpCompletionRoutine))
    return 1


def sys_kernel32_WriteFileEx(p, hFile, lpBuffer, nNumberOfBytesToWrite, lpOverlapped,
                             lpCompletionRoutine):
    from .kernel32 import sys_kernel32_WriteFile
    count_at = p.win32.scratch + 0x200
    if not sys_kernel32_WriteFile(p, hFile, lpBuffer, nNumberOfBytesToWrite, count_at, 0):
        return 0
    count = p.mm.read_u32(count_at)
    set_status(p, lpOverlapped, 0, count)
    _queue(p).append(("done", lpCompletionRoutine, ERROR_SUCCESS, count, lpOverlapped))
    return 1


def _queue_user_routine(p, hThread, routine: int, args: list[int]) -> bool:
    from .threads import thread_of_handle
    t = thread_of_handle(p, hThread)
    if t is None or not t.alive or not routine or t.tgid != p.tgid:
        return False
    t.win32.thread_local("apcs", list).append(("done", routine) + tuple(args))
    return True


def sys_kernel32_QueueUserAPC(p, pfnAPC, hThread, dwData):
    """PAPCFUNC(dwData) runs in hThread at its next alertable wait."""
    if not _queue_user_routine(p, hThread, pfnAPC, [dwData]):
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    return 1


def _ready(p, entry) -> bool:
    if entry[0] == "done":
        return True
    f = _file(p, entry[1])
    return f is None or not hasattr(f, "readable_now") or f.readable_now()


def _finish_read(p, entry) -> tuple:
    """Do a pending read whose handle is ready: (routine, error, count, overlapped)."""
    _, handle, buffer, length, overlapped, routine = entry
    f = _file(p, handle)
    error, data = ERROR_SUCCESS, b""
    try:
        data = f.read(length) if f is not None else b""
        if f is None:
            error = ERROR_INVALID_HANDLE
        elif not data and length:
            error = ERROR_BROKEN_PIPE if hasattr(f, "pipe") else ERROR_HANDLE_EOF
    except (WouldBlock, KernelError):
        error = ERROR_BROKEN_PIPE
    if data:
        p.mm.write(buffer, data)
    set_status(p, overlapped, STATUS_SUCCESS if not error else STATUS_PIPE_BROKEN, len(data))
    return routine, error, len(data), overlapped


def queue_routine(queue: list, routine: int, error: int, count: int, overlapped: int) -> None:
    """An overlapped operation with a completion routine finished: the routine is due in
    the thread that started it (queue is that thread's), at its next alertable wait."""
    queue.append(("done", routine, error, count, overlapped))


def thread_queue(p) -> list:
    """The calling thread's APC queue, for an operation to queue its routine on later."""
    return _queue(p)


def _take_due(p):
    """The first routine in the calling thread's queue that is due, taken off it, with its
    arguments (a pending read is done now); None when none is."""
    queue = _queue(p)
    due = next((e for e in queue if _ready(p, e)), None)
    if due is None:
        return None
    queue.remove(due)
    return _finish_read(p, due) if due[0] == "read" else due[1:]


def run_due_routine(p, stdcall_args: int):
    """An alertable wait's first step: run every completion routine and APC that is due, in
    the order they were queued, and return WAIT_IO_COMPLETION after the last; None when
    none is due. ("An alertable function will return only after all APC entries have been
    processed.")"""
    from .kernel32_iocp import progress_unported
    progress_unported(p)                # finished operations queue their routines
    first = _take_due(p)
    if first is None:
        return None
    p.win32.wait_until = None           # the wait ends here
    chain = callback.start(p, stdcall_args=stdcall_args)

    def run(entry):
        routine, *args = entry
        return callback.call(p, chain, routine, list(args), after)

    def after(_result):
        progress_unported(p)
        following = _take_due(p)
        if following is None:
            return callback.finish(p, chain, WAIT_IO_COMPLETION)
        return run(following)
    return run(first)


def routine_may_come(p):
    """(predicate, host descriptors) an alertable wait also wakes on: a queued routine
    becoming due (another thread's QueueUserAPC among them), or an operation that will
    queue one finishing."""
    from .kernel32_iocp import unported_host_fds, unported_ready
    queue = _queue(p)
    coming = [op for op in p.win32.unported_reads if getattr(op, "apc_queue", None) is queue
              or getattr(op, "apc", None) and op.apc[0] is queue]
    return (lambda: any(_ready(p, e) for e in queue) or unported_ready(p, coming),
            unported_host_fds(p, coming))


def alertable_sleep(p, milliseconds: int, stdcall_args: int):
    """SleepEx(..., TRUE): a routine that is due runs (WAIT_IO_COMPLETION); else the sleep
    ends early when one becomes due, or returns 0 when its time is up."""
    from .kernel32_iocp import ops_deadline, wait_deadline
    ran = run_due_routine(p, stdcall_args)
    if ran is not None:
        return ran
    coming = routine_may_come(p)
    deadline = wait_deadline(p, milliseconds)
    if deadline is not None and time.monotonic() >= deadline:
        p.win32.wait_until = None
        return 0                          # slept its time
    ready, host_fds = coming
    # a pending request that completes by itself then (a poll's timeout) may queue a routine
    wake = [t for t in (deadline, ops_deadline(p.win32.unported_reads)) if t is not None]
    raise Block(ready, deadline=min(wake) if wake else None, host_fds=host_fds)
