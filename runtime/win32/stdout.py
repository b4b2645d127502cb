"""msvcrt's output buffers, which kernel32's handle I/O, a child's start and exit flush too:
stdout's, and those of streams over files (crtstream.py fills them). Their own module, so
kernel32 and msvcrt need not import each other.

A stream's buffer is kept here by its descriptor (`p.win32.stream_out`), Python-side state of
the process that a child never inherits: it is written when full, by fflush, fclose and
_flushall, before the stream reads, seeks or tells its position, before _read, _write,
_lseek, _commit and _close of the descriptor and kernel32's direct I/O on its handle, before
a child starts, and at exit, a crash included (as stdout's)."""
from __future__ import annotations

from ..nt import abi
from ..nt.status import NtError
from .ntcall import nt_call

STDOUT_BUFFER = 4096


def _stdout_buffer(p) -> bytearray:
    return p.win32.stdout_buf


def flush_stdout(p) -> None:
    """Write what stdout holds. It is flushed when full, at a newline on a terminal, by
    fflush, before any read (so a prompt shows), before stderr output, and at exit (a crash
    included, unlike Windows, so output before a fault is not lost)."""
    buf = p.win32.stdout_buf
    if buf:
        data = bytes(buf)
        buf.clear()
        _nt_write(p, 1, data)


def flush_stream(p, fd: int | None) -> bool:
    """Write what the stream over fd holds: False when the write failed, which sets the
    stream's error flag (ferror) and the last error."""
    pending = p.win32.stream_out.pop(fd, None) if p.win32.stream_out else None
    if not pending or _nt_write(p, fd, bytes(pending)) >= 0:
        return True
    handle = abi.handle_of_fd(fd)
    for entry in p.win32.files.values():
        if entry["handle"] == handle:
            entry["error"] = True
    return False


def flush_for(p, fd: int | None, stdout: bool = True) -> bool:
    """What is written before I/O on descriptor fd (None: none of the streams'): stdout's
    buffer, kept in order with all I/O (unless stdout is False), and the buffer of the
    stream over fd. False when the stream's write failed."""
    if stdout:
        flush_stdout(p)
    return flush_stream(p, fd)


def flush_for_handle(p, handle: int, stdout: bool = True) -> bool:
    """flush_for the descriptor behind a handle (kernel32's direct I/O on it)."""
    fd = None
    if p.win32.stream_out:
        try:
            fd = abi.fd_of_handle(handle)
        except NtError:         # a pseudo-handle or another object's: no stream's
            pass
    return flush_for(p, fd, stdout)


def flush_all(p) -> bool:
    """stdout's buffer and every stream's (exit, a crash, a child's start, fflush(NULL),
    _flushall): False when a stream's write failed."""
    flush_stdout(p)
    done = True
    for fd in list(p.win32.stream_out):
        done = flush_stream(p, fd) and done
    return done


def _line_buffered(p) -> bool:
    cached = p.win32.stdout_tty
    if cached is None:
        try:
            cached = bool(p.fds.get(1).isatty())
        except Exception:
            cached = False
        p.win32.stdout_tty = cached
    return cached


def _nt_write(p, fd: int, data: bytes) -> int:
    scratch = p.win32.scratch
    buf = p.win32.heap.alloc(len(data))
    p.mm.write(buf, data)
    try:            # (a pipe write may block: the call restarts, with a buffer of its own)
        status = nt_call(p, "NtWriteFile", abi.handle_of_fd(fd), 0, 0, 0, scratch, buf,
                         len(data), 0, 0)
    finally:
        p.win32.heap.free(buf)
    if status != 0:   # as WriteFile: the last error tells why (the CRT's _write maps it)
        from .ntcall import set_last_error_from
        set_last_error_from(p, status)
        return -1
    return len(data)
