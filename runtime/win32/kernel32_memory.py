"""kernel32's view of the machine's memory: the physical memory the machine was given (its page
pool, as /proc/meminfo's MemTotal), and how much of it this process uses."""
from __future__ import annotations

import struct

from ..nt import abi

MEMORYSTATUSEX_SIZE = 64


def _total_kib(p) -> int:
    return p.kernel.limits.pool_pages * 4


def sys_kernel32_GetPhysicallyInstalledSystemMemory(p, TotalMemoryInKilobytes):
    p.mm.write(TotalMemoryInKilobytes, struct.pack("<Q", _total_kib(p)))
    return 1


def sys_kernel32_GlobalMemoryStatusEx(p, lpBuffer):
    total = _total_kib(p) * 1024
    used = min(p.mm.pages * 4096, total)
    user_space = p.mm.layout.stack_top if hasattr(p.mm, "layout") else total
    load = used * 100 // total if total else 0
    p.mm.write(lpBuffer, struct.pack("<II7Q", MEMORYSTATUSEX_SIZE, load, total, total - used,
                                     total, total - used, user_space, user_space - used, 0))
    return 1


PROCESS_MEMORY_COUNTERS_SIZE = {8: 72, 4: 40}


def sys_kernel32_K32GetProcessMemoryInfo(p, Process, ppsmemCounters, cb):
    """PROCESS_MEMORY_COUNTERS of the calling process (any handle names it here): the pages it
    has mapped as its working set and its commit charge; no page faults are counted."""
    w = abi.word(p)
    size = PROCESS_MEMORY_COUNTERS_SIZE[w]
    if (cb & 0xFFFFFFFF) < size:
        p.win32.last_error = 24   # ERROR_BAD_LENGTH
        return 0
    used = p.mm.pages * 4096
    sizes = [used, used, 0, 0, 0, 0, used, used]   # peak/working set, pool quotas, pagefile
    fmt = "<II8Q" if w == 8 else "<II8I"
    p.mm.write(ppsmemCounters, struct.pack(fmt, size, 0, *sizes))
    return 1


def sys_kernel32_DiscardVirtualMemory(p, VirtualAddress, Size):
    """The contents of committed pages are no longer needed (MEM_RESET's successor): they
    stay mapped, so nothing to do but check the range."""
    start, end = VirtualAddress & ~0xFFF, (VirtualAddress + Size + 0xFFF) & ~0xFFF
    if not VirtualAddress or not Size or not p.mm.covered(start, end):
        return 87   # ERROR_INVALID_PARAMETER
    return 0


# SYSTEM_LOGICAL_PROCESSOR_INFORMATION: what the one processor here is made of (a core, a
# package, a NUMA node, and its caches: level, associativity, line size, size, type)
RELATION_CORE, RELATION_NUMA, RELATION_CACHE, RELATION_PACKAGE = 0, 1, 2, 3
CACHES = ((1, 8, 64, 32 << 10, 2), (1, 8, 64, 32 << 10, 1), (2, 4, 64, 256 << 10, 0),
          (3, 16, 64, 8 << 20, 0))   # L1 data, L1 instruction, L2, L3 (unified)


def _processor_information(w: int) -> bytes:
    head = "<QI4x" if w == 8 else "<II"
    entries = [struct.pack(head, 1, RELATION_CORE) + struct.pack("<B15x", 0),
               struct.pack(head, 1, RELATION_NUMA) + struct.pack("<I12x", 0),
               struct.pack(head, 1, RELATION_PACKAGE) + b"\0" * 16]
    entries += [struct.pack(head, 1, RELATION_CACHE) + struct.pack("<BBHII4x", *cache)
                for cache in CACHES]
    return b"".join(entries)


def sys_kernel32_GetLogicalProcessorInformation(p, Buffer, ReturnedLength):
    data = _processor_information(abi.word(p))
    have = p.mm.read_u32(ReturnedLength)
    p.mm.write_u32(ReturnedLength, len(data))
    if have < len(data) or not Buffer:
        p.win32.last_error = 122   # ERROR_INSUFFICIENT_BUFFER
        return 0
    p.mm.write(Buffer, data)
    return 1
