"""ReadFileEx and WriteFileEx: I/O whose completion routine runs as an APC, in the thread that
started it, when the thread next waits alertably (SleepEx(..., TRUE)). Rust's standard
library reads its children's pipes so (Command::output, `just`'s backticks).

A read is left pending in the thread's queue and done when an alertable wait finds its
handle readable; a write is done at once and only its routine waits for the wait. The wait
runs one routine and returns WAIT_IO_COMPLETION, as Windows does."""
from __future__ import annotations


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


def alertable_wait(p, milliseconds: int, stdcall_args: int):
    """In an alertable wait: run the first completion routine that is due and return
    WAIT_IO_COMPLETION, blocking (without a timeout) until one is; None when the thread has
    no I/O queued (the caller waits as usual)."""
    queue = _queue(p)
    if not queue:
        return None
    due = next((e for e in queue if _ready(p, e)), None)
    if due is None:
        if milliseconds != INFINITE:
            return None            # a timed wait: it waits out its time as an ordinary one
        raise Block(lambda: any(_ready(p, e) for e in queue))
    queue.remove(due)
    routine, error, count, overlapped = _finish_read(p, due) if due[0] == "read" else due[1:]
    chain = callback.start(p, stdcall_args=stdcall_args)
    return callback.call(p, chain, routine, [error, count, overlapped],
                         lambda _result: callback.finish(p, chain, WAIT_IO_COMPLETION))
