"""KUSER_SHARED_DATA: the read-only page every Windows process has at 0x7FFE0000, where user
code reads the time without a system call (Go's runtime reads InterruptTime there for its
monotonic clock, GetTickCount-style code the tick count). Each process here gets its own
copy; the times in it are brought up to date whenever one of its threads starts a time
slice, so they lag by at most a slice, as a tick-driven kernel's do. The page is the
system's: a program may neither free it nor change its protection (nt/memory.py)."""
from __future__ import annotations

import struct
import time

from . import abi

ADDRESS = 0x7FFE0000
SIZE = 0x1000
TICK_MULTIPLIER = 0x0FA00000         # ms = ticks * multiplier >> 24: a 15.625 ms tick
TICK_100NS = 156_250


def _ksystem_time(value: int) -> bytes:
    """LowPart, High1Time, High2Time: the high halves equal, so a reader's check passes."""
    high = (value >> 32) & 0xFFFFFFFF
    return struct.pack("<III", value & 0xFFFFFFFF, high, high)


def map_shared_data(proc, bits: int) -> None:
    """Map the page (unless something else already lies there) with its constant fields."""
    from ..win32.kernel32_startup import PROCESSOR_FEATURES, WINDOWS_VERSION
    mm = proc.mm
    if mm.overlaps(ADDRESS, ADDRESS + SIZE):
        return
    mm.map(ADDRESS, SIZE, 1, "[kuser_shared_data]")
    proc.pstate.shared_page = True
    major, minor, build = WINDOWS_VERSION
    mm.write_force(ADDRESS + 0x004, struct.pack("<I", TICK_MULTIPLIER))
    mm.write_force(ADDRESS + 0x02C, struct.pack("<HH", *((0x8664,) * 2 if bits == 64 else
                                                        (0x14C,) * 2)))
    mm.write_force(ADDRESS + 0x030, "C:\\Windows".encode("utf-16-le"))
    mm.write_force(ADDRESS + 0x260, struct.pack("<I", build))
    mm.write_force(ADDRESS + 0x26C, struct.pack("<II", major, minor))
    features = bytearray(64)
    for n in PROCESSOR_FEATURES:
        features[n] = 1
    mm.write_force(ADDRESS + 0x274, bytes(features))
    refresh(proc)


def holds_shared_data(proc, start: int, end: int) -> bool:
    """Whether [start, end) takes in the process's shared page (not when a mapping of the
    program's own lay there first)."""
    return proc.pstate.shared_page and start < ADDRESS + SIZE and ADDRESS < end


def refresh(proc) -> None:
    """The interrupt time (100 ns since start-up), the system time (a FILETIME, UTC: the
    time-zone bias stays 0) and the tick count, as of now."""
    interrupt = time.monotonic_ns() // 100
    system = abi.filetime_now()
    ticks = interrupt // TICK_100NS
    mm = proc.mm
    mm.write_force(ADDRESS, struct.pack("<I", ticks & 0xFFFFFFFF))
    mm.write_force(ADDRESS + 0x008, _ksystem_time(interrupt) + _ksystem_time(system))
    mm.write_force(ADDRESS + 0x320, _ksystem_time(ticks))
