"""A host file's birth time, which os.stat does not give on Linux (Python 3.11): the host's
statx(2) through the C library, asked only when a guest asks for it (STATX_BTIME)."""
from __future__ import annotations

import ctypes
import struct

from .abi_structs import STATX_BTIME

AT_EMPTY_PATH = 0x1000
STATX_SIZE = 256
BTIME_AT = 80                     # struct statx's stx_btime: sec (s64), nsec (u32)

_statx = None


def _host_statx():
    global _statx
    if _statx is None:
        try:
            fn = ctypes.CDLL(None, use_errno=True).statx
            fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_uint,
                           ctypes.c_void_p]
            fn.restype = ctypes.c_int
            _statx = fn
        except (AttributeError, OSError):   # a C library without statx
            _statx = False
    return _statx


def birth_time(host_fd: int) -> tuple[int, int] | None:
    """(seconds, nanoseconds) the file behind a host descriptor (an O_PATH one will do) was
    made, or None when the host does not know it (its file system keeps none, or no
    statx)."""
    fn = _host_statx()
    if not fn:
        return None
    buf = ctypes.create_string_buffer(STATX_SIZE)
    rc = fn(host_fd, b"", AT_EMPTY_PATH, STATX_BTIME, buf)
    if rc != 0:
        return None
    mask = struct.unpack_from("<I", buf.raw)[0]
    if not mask & STATX_BTIME:
        return None
    sec, nsec = struct.unpack_from("<qI", buf.raw, BTIME_AT)
    return sec, nsec
