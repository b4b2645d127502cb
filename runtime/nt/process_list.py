"""NtQuerySystemInformation's machine-wide lists: SystemProcessInformation (every process
with its threads, what psutil and Rust's sysinfo read for thread counts, states, times,
memory, I/O counters and each thread's context switches: the times the scheduler ran it), SystemPerformanceInformation (memory pages and context switches: psutil's
cpu_stats) and the handle tables (SystemHandleInformation and its extended form: psutil's
open_files). Processes of every personality are listed, as Task Manager lists them all."""
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
        state = Win32Process.of(proc)
        io = state.io_counters if state is not None else [0] * 6
        fields = [next_offset, len(threads), memory, 0, len(threads), 0, created,
                  user - kernel, kernel, len(name), len(name) + 2,
                  base + names_at if name else 0, NORMAL_PRIORITY, proc.pid, proc.ppid,
                  len(proc.fds.fds) if proc.fds is not None else 0, 1, proc.pid,
                  memory, memory, 0, memory, memory, 0, 0, 0, 0, memory, memory, memory,
                  *io]
        entry = head.pack(*fields)
        for t in threads:
            running = t is p.kernel.running
            state = Win32Process.of(t)
            suspended = state.suspend_count if state is not None else 0
            switches = state.local.get("switches", 0) if state is not None else 0
            entry += thread.pack(t.sys_ns // 100, (t.cpu_ns - t.sys_ns) // 100, created, 0, 0,
                                 proc.pid, t.pid, NORMAL_PRIORITY, NORMAL_PRIORITY,
                                 switches & 0xFFFFFFFF,
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


# --- every process's handles -------------------------------------------------------------------
# SYSTEM_HANDLE_INFORMATION's count and entries (process id and handle value in 16 bits), and
# SYSTEM_HANDLE_INFORMATION_EX's (count, reserved; word-sized ids and handle values)
HANDLE_HEAD = {8: struct.Struct("<I4x"), 4: struct.Struct("<I")}
HANDLE_ENTRY = {8: struct.Struct("<HHBBHQI4x"), 4: struct.Struct("<HHBBHII")}
HANDLE_HEAD_EX = {8: struct.Struct("<QQ"), 4: struct.Struct("<II")}
HANDLE_ENTRY_EX = {8: struct.Struct("<QQQIHHII"), 4: struct.Struct("<IIIIHHII")}
OBJ_INHERIT = 0x2
FILE_TYPE_INDEX = 37              # Windows 10's index of the File object type
HANDLE_ACCESS = 0x12019F          # FILE_GENERIC_READ | FILE_GENERIC_WRITE: a handle's whose
                                  # open asked for nothing recorded
OBJECT_SPACE = {8: 0xFFFF_A000_0000_0000, 4: 0x8000_0000}   # where kernel objects lie


GENERIC_RIGHTS = ((0x80000000, 0x120089), (0x40000000, 0x120116), (0x20000000, 0x1200A0),
                  (0x10000000, 0x1F01FF), (0x02000000, 0x1F01FF))   # READ, WRITE, EXECUTE,
                                                     # ALL, MAXIMUM_ALLOWED: a file's rights


def _granted(access: int) -> int:
    """The access a handle holds: generic rights mapped to the file rights they stand for."""
    granted = access & 0x01FFFFFF & ~0x02000000
    for generic, specific in GENERIC_RIGHTS:
        if access & generic:
            granted |= specific
    return granted


def _object_address(f, w: int) -> int:
    """A kernel address standing for an open object: the same in every process holding it."""
    return OBJECT_SPACE[w] + (id(f) & (0xFFFF_FFF0 if w == 8 else 0x0FFF_FFF0))


def handle_information(p, extended: bool) -> bytes:
    """Every handle of every process: its process, value, object, access and whether a child
    inherits it."""
    w = abi.word(p)
    leaders = sorted((q for q in p.kernel.procs.values() if q.alive and q.pid == q.tgid
                      and q.fds is not None), key=lambda q: q.pid)
    entries = []
    for proc in leaders:
        for fd, (f, cloexec) in sorted(proc.fds.fds.items()):
            handle, obj = abi.handle_of_fd(fd), _object_address(f, w)
            attributes = 0 if cloexec else OBJ_INHERIT
            access = _granted(getattr(f, "nt_access", HANDLE_ACCESS))
            if extended:
                entries.append(HANDLE_ENTRY_EX[w].pack(obj, proc.pid, handle, access, 0,
                                                       FILE_TYPE_INDEX, attributes, 0))
            else:
                entries.append(HANDLE_ENTRY[w].pack(proc.pid & 0xFFFF, 0, FILE_TYPE_INDEX,
                                                    attributes, handle & 0xFFFF, obj, access))
    head = HANDLE_HEAD_EX[w].pack(len(entries), 0) if extended else \
        HANDLE_HEAD[w].pack(len(entries))
    return head + b"".join(entries)
