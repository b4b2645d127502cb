"""The Tool Help snapshot of the machine's processes and threads (CreateToolhelp32Snapshot with
TH32CS_SNAPPROCESS, Process32First/Next; TH32CS_SNAPTHREAD, Thread32First/Next): each running
process's id, parent, thread count and executable name, and each thread's id and process. Go's
os.Getppid reads its parent there, which every cobra command does at start-up (mousetrap asks
whether Explorer started it); Rust's command-group resumes a child it started suspended by
walking its threads."""
from __future__ import annotations

import posixpath
import struct
from types import SimpleNamespace

from ..nt import abi
from .kernel32_sync import new_handle, object_of

TH32CS_SNAPPROCESS, TH32CS_SNAPTHREAD = 0x2, 0x4
ERROR_INVALID_HANDLE, ERROR_BAD_LENGTH, ERROR_NO_MORE_FILES = 6, 24, 18
MAX_PATH = 260
THREADENTRY32 = struct.Struct("<IIIIiiI")   # dwSize, cntUsage, th32ThreadID,
                                             # th32OwnerProcessID, tpBasePri, tpDeltaPri, dwFlags
THREAD_PRIORITY_BASE = 8                     # a normal-priority process's threads


def sys_kernel32_CreateToolhelp32Snapshot(p, dwFlags, th32ProcessID):
    """A snapshot of the processes and threads now (modules and heaps are not listed)."""
    processes, threads = [], []
    for proc in sorted(p.kernel.procs.values(), key=lambda q: q.pid):
        if not proc.alive:
            continue
        if dwFlags & TH32CS_SNAPTHREAD:
            threads.append((proc.pid, proc.tgid))
        if dwFlags & TH32CS_SNAPPROCESS and proc.pid == proc.tgid:
            count = sum(1 for t in proc.group if t.alive) if proc.group else 1
            name = posixpath.basename(proc.exe) or proc.comm
            processes.append((proc.pid, proc.ppid, count, name))
    return new_handle(p, SimpleNamespace(kind="toolhelp", entries=processes, next=0,
                                         threads=threads, next_thread=0))


def _process_entry(p, snapshot, lppe, wide: bool, rewind: bool = False) -> int:
    """The snapshot's next process (its first when rewind: Process32First)."""
    snap = object_of(p, snapshot, "toolhelp")
    if snap is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    if rewind:
        snap.next = 0
    w = abi.word(p)
    size = (568 if wide else 304) if w == 8 else (556 if wide else 296)
    if p.mm.read_u32(lppe) < size:
        p.win32.last_error = ERROR_BAD_LENGTH
        return 0
    if snap.next >= len(snap.entries):
        p.win32.last_error = ERROR_NO_MORE_FILES
        return 0
    pid, ppid, threads, name = snap.entries[snap.next]
    snap.next += 1
    head = struct.pack("<IIIxxxxQIIIiI" if w == 8 else "<IIIIIIIiI", size, 0, pid, 0, 0,
                       threads, ppid, 8, 0)
    text = name.encode("utf-16-le")[:2 * (MAX_PATH - 1)] if wide else \
        name.encode("latin-1", "replace")[:MAX_PATH - 1]
    p.mm.write(lppe, (head + text).ljust(size, b"\0"))
    return 1


def sys_kernel32_Process32FirstW(p, hSnapshot, lppe):
    return _process_entry(p, hSnapshot, lppe, True, rewind=True)


def sys_kernel32_Process32NextW(p, hSnapshot, lppe):
    return _process_entry(p, hSnapshot, lppe, True)


def sys_kernel32_Process32First(p, hSnapshot, lppe):
    return _process_entry(p, hSnapshot, lppe, False, rewind=True)


def sys_kernel32_Process32Next(p, hSnapshot, lppe):
    return _process_entry(p, hSnapshot, lppe, False)


def _thread_entry(p, snapshot, lpte, rewind: bool) -> int:
    """The snapshot's next thread (its first when rewind: Thread32First)."""
    snap = object_of(p, snapshot, "toolhelp")
    if snap is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    if rewind:
        snap.next_thread = 0
    if p.mm.read_u32(lpte) < THREADENTRY32.size:
        p.win32.last_error = ERROR_BAD_LENGTH
        return 0
    if snap.next_thread >= len(snap.threads):
        p.win32.last_error = ERROR_NO_MORE_FILES
        return 0
    tid, owner = snap.threads[snap.next_thread]
    snap.next_thread += 1
    p.mm.write(lpte, THREADENTRY32.pack(THREADENTRY32.size, 0, tid, owner,
                                        THREAD_PRIORITY_BASE, 0, 0))
    return 1


def sys_kernel32_Thread32First(p, hSnapshot, lpte):
    return _thread_entry(p, hSnapshot, lpte, rewind=True)


def sys_kernel32_Thread32Next(p, hSnapshot, lpte):
    return _thread_entry(p, hSnapshot, lpte, rewind=False)
