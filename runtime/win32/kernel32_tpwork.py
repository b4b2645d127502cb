"""The thread pool's work objects (CreateThreadpoolWork and its family, as CMake's worker
pool and libraries built for Vista and later use them): each submission runs
Callback(Instance, Context, Work) on a pool thread. A work object has one thread of its own
while submissions wait, which runs them one after another (the start code calls its round
again while it returns non-zero) and ends when none is left; WaitForThreadpoolWorkCallbacks
blocks until the submitted ones have run (or, asked to cancel, until the running one has)."""
from __future__ import annotations

from dataclasses import dataclass

from ..kernel import Block
from .kernel32_sync import close_sync_handle, new_handle, object_of

WORK_THREAD_EXPORT = "__sysvec_work_thread"
ERROR_INVALID_PARAMETER = 87


@dataclass(eq=False)
class Work:
    kind = "tp work"
    callback: int
    context: int
    pending: int = 0          # submissions not started
    running: bool = False     # a callback is on its way
    thread: bool = False      # the work's pool thread is alive
    closed: bool = False


def sys_kernel32_CreateThreadpoolWork(p, pfnwk, pv, pcbe):
    """A work object (its handle is the PTP_WORK); the callback environment is ignored:
    every work runs on the process's one pool."""
    if not pfnwk:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    return new_handle(p, Work(pfnwk, pv))


def start_pool_thread(p, handle: int) -> bool:
    """A pool thread whose rounds serve the object behind handle (work, a wait, a timer)."""
    from .kernel32 import _module_base
    from .threads import create_thread
    start = _module_base(p, "kernel32") + p.win32.modules["kernel32"][1][WORK_THREAD_EXPORT]
    thread = create_thread(p, 0, start, handle, 0, 0, looping=True)
    if thread:
        close_sync_handle(p, thread)
    return bool(thread)


def sys_kernel32_SubmitThreadpoolWork(p, pwk):
    work = object_of(p, pwk, "tp work")
    if work is None or work.closed:
        return 0
    work.pending += 1
    if not work.thread:
        work.thread = start_pool_thread(p, pwk)
        if not work.thread:
            work.pending -= 1       # no thread could start: the submission is lost, as none ran
    return 0


def sys_kernel32___sysvec_work_thread(p, lpParameter):
    """A pool thread's round: run one submission, then say whether another waits (a wait's
    or timer's thread: kernel32_tpwait)."""
    from . import callback
    from .kernel32_sync import _objects
    obj = _objects(p).get(lpParameter)
    if obj is not None and obj.kind in ("tp wait", "tp timer"):
        from .kernel32_tpwait import pool_round
        return pool_round(p, lpParameter, obj)
    work = object_of(p, lpParameter, "tp work")
    if work is None or not work.pending:
        if work is not None:
            work.thread = False
        return 0
    work.pending -= 1
    work.running = True
    chain = callback.start(p, stdcall_args=1)

    def called(_result: int) -> int:
        from .kernel32_tpinstance import run_on_return
        run_on_return(p, work)
        work.running = False
        more = work.pending > 0
        if not more:
            work.thread = False
            if work.closed:
                close_sync_handle(p, lpParameter)
        return callback.finish(p, chain, int(more))
    return callback.call(p, chain, work.callback, [lpParameter, work.context, lpParameter], called)


def sys_kernel32_WaitForThreadpoolWorkCallbacks(p, pwk, fCancelPendingCallbacks):
    work = object_of(p, pwk, "tp work")
    if work is None:
        return 0
    if fCancelPendingCallbacks:
        work.pending = 0
    if work.pending or work.running:
        raise Block(lambda: not (work.pending or work.running))
    return 0


def sys_kernel32_CloseThreadpoolWork(p, pwk):
    """Released now, or once its outstanding callbacks have run."""
    work = object_of(p, pwk, "tp work")
    if work is None:
        return 0
    work.closed = True
    if not (work.pending or work.running):
        close_sync_handle(p, pwk)
    return 0

