"""NtQuerySystemInformation's machine-wide lists: SystemProcessInformation (every process
with its threads, what psutil and Rust's sysinfo read for thread counts, states, times and
memory) and SystemPerformanceInformation (memory pages and context switches: psutil's
cpu_stats). Processes of every personality are listed, as Task Manager lists them all."""
from __future__ import annotations

import posixpath
import struct
import time

from . import abi

# SYSTEM_PROCESS_INFORMATION up to its I/O counters, then SYSTEM_THREAD_INFORMATION
PROCESS_ENTRY = {8: struct.Struct("<IIqIIQqqqHH4xQi4xQQIIQQQI4xQQQQQQQQQ6q"),
                 4: struct.Struct("<IIqIIQqqqHHIi17I6q")}
THREAD_ENTRY = {8: struct.Struct("<qqqI4xQQQiiIII4x"), 4: struct.Struct("<qqqIIIIiiIII4x")}
THREAD_RUNNING, THREAD_WAITING = 2, 5
WAIT_SUSPENDED, WAIT_USER_REQUEST = 5, 6
NORMAL_PRIORITY = 8


def _created(proc) -> int:
    """The process's creation time as a FILETIME (a Windows process knows its exec time)."""
    from ..win32.state import Win32Process
    state = Win32Process.of(proc)
    ns = state.created if state is not None else time.time_ns()
    return abi.filetime_of_ns(ns)


def _image_name(proc) -> str:
    return posixpath.basename(proc.exe or "") or proc.comm or ""


def process_information(p, base: int) -> bytes:
    """The chain of entries as it will lie at guest address base: each process's entry, its
    threads' entries, then its image name (the entry's UNICODE_STRING points there)."""
    from ..win32.state import Win32Process
    w = abi.word(p)
    head, thread = PROCESS_ENTRY[w], THREAD_ENTRY[w]
    leaders = sorted((q for q in p.kernel.procs.values() if q.alive and q.pid == q.tgid),
                     key=lambda q: q.pid)
    chunks, offset = [], 0
    for n, proc in enumerate(leaders):
        threads = [t for t in (proc.group or [proc]) if t.alive]
        name = _image_name(proc).encode("utf-16-le")
        names_at = offset + head.size + thread.size * len(threads)
        size = names_at - offset + len(name) + 2
        size += -size % 8
        next_offset = 0 if n == len(leaders) - 1 else size
        pages = proc.mm.pages if proc.mm is not None else 0
        memory = pages * 4096
        created = _created(proc)
        user = proc.group_cpu_ns() // 100
        kernel = proc.group_sys_ns() // 100
        fields = [next_offset, len(threads), memory, 0, len(threads), 0, created,
                  user - kernel, kernel, len(name), len(name) + 2,
                  base + names_at if name else 0, NORMAL_PRIORITY, proc.pid, proc.ppid,
                  len(proc.fds.fds) if proc.fds is not None else 0, 1, proc.pid,
                  memory, memory, 0, memory, memory, 0, 0, 0, 0, memory, memory, memory,
                  0, 0, 0, 0, 0, 0]
        entry = head.pack(*fields)
        for t in threads:
            running = t is p.kernel.running
            state = Win32Process.of(t)
            suspended = state.suspend_count if state is not None else 0
            entry += thread.pack(t.sys_ns // 100, (t.cpu_ns - t.sys_ns) // 100, created, 0, 0,
                                 proc.pid, t.pid, NORMAL_PRIORITY, NORMAL_PRIORITY, 0,
                                 THREAD_RUNNING if running else THREAD_WAITING,
                                 0 if running else WAIT_SUSPENDED if suspended
                                 else WAIT_USER_REQUEST)
        entry = (entry + name + b"\0\0").ljust(size, b"\0")
        chunks.append(entry)
        offset += size
    return b"".join(chunks)


PERFORMANCE_SIZE = 0x158        # Windows 10's SYSTEM_PERFORMANCE_INFORMATION
PERFORMANCE_MINIMUM = 0x138     # up to SystemCalls, the fields every version has


def performance_information(p) -> bytes:
    """SYSTEM_PERFORMANCE_INFORMATION: the machine's pages as GlobalMemoryStatusEx counts
    them and the scheduler's context switches; no I/O or cache counters are kept."""
    from ..win32.kernel32_memory import _total_kib
    total = _total_kib(p) // 4
    used = min(sum(q.mm.pages for q in p.kernel.procs.values()
                   if q.alive and q.pid == q.tgid and q.mm is not None), total)
    scheduler = p.kernel.scheduler
    switches = scheduler.switches if scheduler is not None else 0
    ulongs = [0] * 70
    ulongs[3:7] = [total - used, used, total, used]     # available, committed, limit, peak
    ulongs[66] = switches & 0xFFFFFFFF                  # ContextSwitches
    data = struct.pack("<4q70I", 0, 0, 0, 0, *ulongs)
    return data.ljust(PERFORMANCE_SIZE, b"\0")
