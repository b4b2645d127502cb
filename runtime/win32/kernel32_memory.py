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


def _memory_status(p) -> tuple[int, list[int]]:
    """The memory load (%), then physical, page file and virtual sizes: total, available."""
    total = _total_kib(p) * 1024
    used = min(p.mm.pages * 4096, total)
    user_space = p.mm.layout.stack_top if hasattr(p.mm, "layout") else total
    load = used * 100 // total if total else 0
    return load, [total, total - used, total, total - used, user_space, user_space - used]


def sys_kernel32_GlobalMemoryStatusEx(p, lpBuffer):
    load, sizes = _memory_status(p)
    p.mm.write(lpBuffer, struct.pack("<II7Q", MEMORYSTATUSEX_SIZE, load, *sizes, 0))
    return 1


MEMORYSTATUS_SIZE = {8: 56, 4: 32}


def sys_kernel32_GlobalMemoryStatus(p, lpBuffer):
    """MEMORYSTATUS: the same figures in SIZE_T fields, each capped at the largest a word
    holds (as Windows caps them past 4 GiB on i386)."""
    w = abi.word(p)
    load, sizes = _memory_status(p)
    cap = (1 << (8 * w)) - 1
    p.mm.write(lpBuffer, struct.pack("<II6Q" if w == 8 else "<II6I", MEMORYSTATUS_SIZE[w],
                                     load, *(min(v, cap) for v in sizes)))
    return 0


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
    if (cb & 0xFFFFFFFF) >= size + w:       # PROCESS_MEMORY_COUNTERS_EX: its PrivateUsage
        size += w
        sizes.append(used)
    fmt = f"<II{len(sizes)}{'Q' if w == 8 else 'I'}"
    p.mm.write(ppsmemCounters, struct.pack(fmt, size, 0, *sizes))
    return 1


def sys_kernel32_DiscardVirtualMemory(p, VirtualAddress, Size):
    """The contents of committed pages are no longer needed (MEM_RESET's successor): they
    stay mapped, so nothing to do but check the range."""
    start, end = VirtualAddress & ~0xFFF, (VirtualAddress + Size + 0xFFF) & ~0xFFF
    if not VirtualAddress or not Size or not p.mm.covered(start, end):
        return 87   # ERROR_INVALID_PARAMETER
    return 0


def sys_kernel32_K32GetPerformanceInfo(p, pPerformanceInformation, cb):
    """PERFORMANCE_INFORMATION: the machine's memory in pages (as GlobalMemoryStatusEx sees
    it: this process's pages are what is committed), no kernel pools, and the machine's
    processes and threads."""
    w = abi.word(p)
    size = 104 if w == 8 else 56      # cb, 10 SIZE_Ts (aligned), 3 DWORDs
    if (cb & 0xFFFFFFFF) < size:
        p.win32.last_error = 24   # ERROR_BAD_LENGTH
        return 0
    total = _total_kib(p) // 4
    used = min(p.mm.pages, total)
    procs = [q for q in p.kernel.procs.values() if q.alive]
    threads = sum(len(q.group) for q in procs if q.pid == q.tgid)
    counts = [used, total, used, total, total - used, 0, 0, 0, 0, 4096]
    head = struct.pack("<I4x" if w == 8 else "<I", size)
    body = struct.pack(f"<10{'Q' if w == 8 else 'I'}", *counts)
    tail = struct.pack("<III", len(p.fds.fds), len({q.tgid for q in procs}), threads)
    p.mm.write(pPerformanceInformation, (head + body + tail).ljust(size, b"\0"))
    return 1


# --- the working set and locked pages: every page of a process stays in memory here --------

DEFAULT_WORKING_SET = (50 * 4096, 345 * 4096)    # Windows' default minimum and maximum
ERROR_NOACCESS = 998


def sys_kernel32_GetProcessWorkingSetSizeEx(p, hProcess, lpMinimumWorkingSetSize,
                                            lpMaximumWorkingSetSize, Flags):
    abi.write_ptr(p, lpMinimumWorkingSetSize, DEFAULT_WORKING_SET[0])
    abi.write_ptr(p, lpMaximumWorkingSetSize, DEFAULT_WORKING_SET[1])
    if Flags:
        p.mm.write_u32(Flags, 0)
    return 1


def sys_kernel32_GetProcessWorkingSetSize(p, hProcess, lpMinimumWorkingSetSize,
                                          lpMaximumWorkingSetSize):
    return sys_kernel32_GetProcessWorkingSetSizeEx(p, hProcess, lpMinimumWorkingSetSize,
                                                   lpMaximumWorkingSetSize, 0)


def sys_kernel32_SetProcessWorkingSetSizeEx(p, hProcess, dwMinimumWorkingSetSize,
                                            dwMaximumWorkingSetSize, Flags):
    """Accepted: nothing here is ever paged out."""
    return 1


def sys_kernel32_SetProcessWorkingSetSize(p, hProcess, dwMinimumWorkingSetSize,
                                          dwMaximumWorkingSetSize):
    return 1


def _all_mapped(p, address: int, size: int) -> bool:
    page = address & ~0xFFF
    end = address + max(size, 1)
    while page < end:
        vma = p.mm.find_vma(page)
        if vma is None:
            return False
        page = max(vma.end, page + 0x1000)
    return True


def sys_kernel32_VirtualLock(p, lpAddress, dwSize):
    """Pages stay in memory here whether locked or not; the range must be committed
    (SQLCipher locks its keys)."""
    if not _all_mapped(p, lpAddress, dwSize):
        p.win32.last_error = ERROR_NOACCESS
        return 0
    return 1


def sys_kernel32_VirtualUnlock(p, lpAddress, dwSize):
    """(Which pages were locked is not kept: an unlock of an unlocked range succeeds, where
    Windows says ERROR_NOT_LOCKED.)"""
    return sys_kernel32_VirtualLock(p, lpAddress, dwSize)
