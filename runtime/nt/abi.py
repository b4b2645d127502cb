"""NT structure layouts in guest memory for both word sizes: UNICODE_STRING,
OBJECT_ATTRIBUTES, IO_STATUS_BLOCK, LARGE_INTEGER; handle <-> descriptor numbering; and NT
time (FILETIME: 100 ns ticks since 1601-01-01 UTC)."""
from __future__ import annotations

import struct
import time

from ..errors import KernelError
from .status import STATUS_INVALID_HANDLE, NtError

CURRENT_PROCESS = {0xFFFFFFFF, 0xFFFFFFFFFFFFFFFF}
EPOCH_AS_FILETIME = 116444736000000000   # 1970-01-01 in FILETIME ticks
TICKS_PER_SECOND = 10_000_000


def filetime_of_ns(ns: int) -> int:
    """A Unix time in nanoseconds as a FILETIME."""
    return ns // 100 + EPOCH_AS_FILETIME


def filetime_now() -> int:
    return filetime_of_ns(time.time_ns())


def ns_of_filetime(ticks: int) -> int:
    return (ticks - EPOCH_AS_FILETIME) * 100


def seconds_until(interval: int) -> float:
    """An NT timeout or due time (a LARGE_INTEGER): negative, relative in 100 ns units;
    otherwise an absolute FILETIME. The seconds from now until then, never below 0."""
    if interval < 0:
        return -interval / TICKS_PER_SECOND
    return max(0.0, (interval - EPOCH_AS_FILETIME) / TICKS_PER_SECOND - time.time())


def word(p) -> int:
    return p.sysvec.word_bits // 8


def handle_of_fd(fd: int) -> int:
    """Handles are multiples of 4, as on Windows: descriptor n is handle 4*(n+1)."""
    return 4 * (fd + 1)


def fd_of_handle(handle: int) -> int:
    if handle % 4 or handle == 0 or handle > 4 * 65536:
        raise NtError(STATUS_INVALID_HANDLE)
    return handle // 4 - 1


def file_of(p, handle: int):
    try:
        return p.fds.get(fd_of_handle(handle))
    except KernelError:
        raise NtError(STATUS_INVALID_HANDLE) from None


def read_unicode_string(p, addr: int) -> str:
    if word(p) == 8:
        length, _, buf = struct.unpack("<HH4xQ", p.mm.read(addr, 16))
    else:
        length, _, buf = struct.unpack("<HHI", p.mm.read(addr, 8))
    return p.mm.read(buf, length & ~1).decode("utf-16-le", errors="replace") if length else ""


def read_object_attributes(p, addr: int) -> tuple[int, str, int]:
    """(RootDirectory handle, ObjectName, Attributes)."""
    if word(p) == 8:
        _, root, name, attrs = struct.unpack("<I4xQQI", p.mm.read(addr, 28))
    else:
        _, root, name, attrs = struct.unpack("<IIII", p.mm.read(addr, 16))
    return root, read_unicode_string(p, name) if name else "", attrs


def write_iosb(p, addr: int, status: int, information: int) -> None:
    if addr:
        fmt = "<QQ" if word(p) == 8 else "<II"
        p.mm.write(addr, struct.pack(fmt, status, information))


def read_i64(p, addr: int) -> int:
    return struct.unpack("<q", p.mm.read(addr, 8))[0]


def write_i64(p, addr: int, value: int) -> None:
    p.mm.write(addr, struct.pack("<q", value))


def read_ptr(p, addr: int) -> int:
    return p.mm.read_word(addr)


def write_ptr(p, addr: int, value: int) -> None:
    p.mm.write_word(addr, value)
