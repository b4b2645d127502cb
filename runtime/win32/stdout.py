"""msvcrt's buffered stdout, which kernel32's handle I/O and exit flush too: its own module, so
kernel32 and msvcrt need not import each other."""
from __future__ import annotations

from ..nt import abi
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
