"""The Tool Help snapshot of the machine's processes (CreateToolhelp32Snapshot with
TH32CS_SNAPPROCESS, Process32First/Next): each running process's id, parent, thread count and
executable name. Go's os.Getppid reads its parent there, which every cobra command does at
start-up (mousetrap asks whether Explorer started it)."""
from __future__ import annotations

import posixpath
import struct
from types import SimpleNamespace

from ..nt import abi
from .kernel32_sync import new_handle, object_of

TH32CS_SNAPPROCESS = 0x2
ERROR_INVALID_HANDLE, ERROR_BAD_LENGTH, ERROR_NO_MORE_FILES = 6, 24, 18
MAX_PATH = 260


def sys_kernel32_CreateToolhelp32Snapshot(p, dwFlags, th32ProcessID):
    """A snapshot of the processes now (threads, modules and heaps are not listed)."""
    entries = []
    if dwFlags & TH32CS_SNAPPROCESS:
        for proc in sorted(p.kernel.procs.values(), key=lambda q: q.pid):
            if proc.pid != proc.tgid or not proc.alive:
                continue
            threads = sum(1 for t in proc.group if t.alive) if proc.group else 1
            name = posixpath.basename(proc.exe) or proc.comm
            entries.append((proc.pid, proc.ppid, threads, name))
    return new_handle(p, SimpleNamespace(kind="toolhelp", entries=entries, next=0))


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
