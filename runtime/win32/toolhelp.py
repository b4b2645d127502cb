"""The Tool Help snapshot of the machine's processes and threads (CreateToolhelp32Snapshot with
TH32CS_SNAPPROCESS, Process32First/Next; TH32CS_SNAPTHREAD, Thread32First/Next): each running
process's id, parent, thread count and executable name, and each thread's id and process. Go's
os.Getppid reads its parent there, which every cobra command does at start-up (mousetrap asks
whether Explorer started it); Rust's command-group resumes a child it started suspended by
walking its threads. TH32CS_SNAPMODULE lists a process's modules (Module32First/Next): the
program and each DLL with its base, size and path."""
from __future__ import annotations

import posixpath
import struct
from types import SimpleNamespace

from ..nt import abi
from .kernel32_sync import new_handle, object_of

TH32CS_SNAPPROCESS, TH32CS_SNAPTHREAD, TH32CS_SNAPMODULE, TH32CS_SNAPMODULE32 = 0x2, 0x4, 0x8, 0x10
ERROR_INVALID_HANDLE, ERROR_BAD_LENGTH, ERROR_NO_MORE_FILES = 6, 24, 18
ERROR_INVALID_PARAMETER, ERROR_NOT_FOUND = 87, 1168
MAX_PATH = 260
THREADENTRY32 = struct.Struct("<IIIIiiI")   # dwSize, cntUsage, th32ThreadID,
                                             # th32OwnerProcessID, tpBasePri, tpDeltaPri, dwFlags
THREAD_PRIORITY_BASE = 8                     # a normal-priority process's threads


def sys_kernel32_CreateToolhelp32Snapshot(p, dwFlags, th32ProcessID):
    """A snapshot of the processes and threads now, and of one process's modules (heaps
    are not listed)."""
    modules, owner = [], p
    if dwFlags & (TH32CS_SNAPMODULE | TH32CS_SNAPMODULE32):
        owner = _process_by_id(p, th32ProcessID & 0xFFFFFFFF)
        if owner is None:
            p.win32.last_error = ERROR_INVALID_PARAMETER
            return (1 << p.sysvec.word_bits) - 1       # INVALID_HANDLE_VALUE
        modules = _modules_of(owner)
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
                                         threads=threads, next_thread=0,
                                         modules=modules, next_module=0,
                                         module_owner=owner.tgid))


def _process_by_id(p, pid: int):
    """0 is the caller; a process of another personality has no modules to list."""
    if pid == 0 or pid == p.tgid:
        return p
    from .state import Win32Process
    proc = p.kernel.procs.get(pid)
    if proc is None or not proc.alive or Win32Process.of(proc) is None:
        return None
    return proc


def _modules_of(proc) -> list[tuple[int, int, str]]:
    """(base, size, Windows path) of the program and each DLL mapped in proc."""
    from ..binfmt.pe import image_size
    from .kernel32_system import module_file_name
    bases = [proc.win32.image_base] + sorted(base for base, _ in proc.win32.modules.values())
    return [(base, image_size(proc, base), module_file_name(proc, base) or "")
            for base in bases]


# MODULEENTRY32(W): sizes, and where modBaseAddr and the names go, by pointer width.
MODULE_ENTRY = {(8, True): (1080, "<IIIII4xQI4xQ", 48), (8, False): (568, "<IIIII4xQI4xQ", 48),
                (4, True): (1064, "<IIIIIIII", 32), (4, False): (548, "<IIIIIIII", 32)}
MAX_MODULE_NAME32 = 255


def _module_entry(p, snapshot, lpme, wide: bool, rewind: bool) -> int:
    snap = object_of(p, snapshot, "toolhelp")
    if snap is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    size, head_fmt, names_at = MODULE_ENTRY[(abi.word(p), wide)]
    if p.mm.read_u32(lpme) < size:
        p.win32.last_error = ERROR_BAD_LENGTH
        return 0
    if rewind:
        snap.next_module = 0
    if snap.next_module >= len(snap.modules):
        p.win32.last_error = ERROR_NO_MORE_FILES
        return 0
    base, length, path = snap.modules[snap.next_module]
    snap.next_module += 1
    leaf = path.rsplit("\\", 1)[-1]
    head = struct.pack(head_fmt, size, 1, snap.module_owner, 0xFFFF, 0xFFFF, base, length,
                       base)
    unit = 2 if wide else 1

    def text(value: str, chars: int) -> bytes:
        raw = value.encode("utf-16-le") if wide else value.encode("latin-1", "replace")
        return raw[:unit * (chars - 1)].ljust(unit * chars, b"\0")
    entry = head.ljust(names_at, b"\0") + text(leaf, MAX_MODULE_NAME32 + 1) + \
        text(path, MAX_PATH)
    p.mm.write(lpme, entry.ljust(size, b"\0"))
    return 1


def sys_kernel32_Module32FirstW(p, hSnapshot, lpme):
    return _module_entry(p, hSnapshot, lpme, True, rewind=True)


def sys_kernel32_Module32NextW(p, hSnapshot, lpme):
    return _module_entry(p, hSnapshot, lpme, True, rewind=False)


def sys_kernel32_Module32First(p, hSnapshot, lpme):
    return _module_entry(p, hSnapshot, lpme, False, rewind=True)


def sys_kernel32_Module32Next(p, hSnapshot, lpme):
    return _module_entry(p, hSnapshot, lpme, False, rewind=False)


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


# --- process snapshots (PssCaptureSnapshot): CPython's os.getppid reads its parent so -------

PSS_QUERY_PROCESS_INFORMATION = 0
STILL_ACTIVE, NORMAL_PRIORITY_CLASS = 259, 0x20


def _pss_layout(word: int):
    import ctypes
    ptr = ctypes.c_uint64 if word == 8 else ctypes.c_uint32
    u32 = ctypes.c_uint32

    class ProcessInformation(ctypes.Structure):       # PSS_PROCESS_INFORMATION
        _fields_ = [("ExitStatus", u32), ("PebBaseAddress", ptr), ("AffinityMask", ptr),
                    ("BasePriority", ctypes.c_int32), ("ProcessId", u32),
                    ("ParentProcessId", u32), ("Flags", u32), ("CreateTime", ctypes.c_uint64),
                    ("ExitTime", ctypes.c_uint64), ("KernelTime", ctypes.c_uint64),
                    ("UserTime", ctypes.c_uint64), ("PriorityClass", u32),
                    ("PeakVirtualSize", ptr), ("VirtualSize", ptr), ("PageFaultCount", u32),
                    ("PeakWorkingSetSize", ptr), ("WorkingSetSize", ptr),
                    ("QuotaPeakPagedPoolUsage", ptr), ("QuotaPagedPoolUsage", ptr),
                    ("QuotaPeakNonPagedPoolUsage", ptr), ("QuotaNonPagedPoolUsage", ptr),
                    ("PagefileUsage", ptr), ("PeakPagefileUsage", ptr), ("PrivateUsage", ptr),
                    ("ExecuteFlags", u32), ("ImageFileName", ctypes.c_uint16 * MAX_PATH)]
    return ProcessInformation


def sys_kernel32_PssCaptureSnapshot(p, ProcessHandle, CaptureFlags, ThreadContextFlags,
                                    SnapshotHandle):
    """A snapshot of a process's basic information (its ids, priority, image name); the
    other captures (handles, VA space, threads) are not taken."""
    from .kernel32_process import _current, process_of_handle
    proc = p if ProcessHandle == _current(p) else process_of_handle(p, ProcessHandle)
    if proc is None or not SnapshotHandle:
        return ERROR_INVALID_PARAMETER
    leader = next((t for t in proc.group if t.pid == t.tgid), proc) if proc.group else proc
    info = SimpleNamespace(kind="pss", pid=leader.tgid, ppid=leader.ppid,
                           name=posixpath.basename(leader.exe) or leader.comm)
    abi.write_ptr(p, SnapshotHandle, new_handle(p, info))
    return 0


def sys_kernel32_PssQuerySnapshot(p, SnapshotHandle, InformationClass, Buffer, BufferLength):
    snap = object_of(p, SnapshotHandle, "pss")
    if snap is None:
        return ERROR_INVALID_PARAMETER
    if InformationClass != PSS_QUERY_PROCESS_INFORMATION:
        return ERROR_NOT_FOUND              # a capture this snapshot did not take
    import ctypes
    layout = _pss_layout(abi.word(p))
    if BufferLength < ctypes.sizeof(layout):
        return ERROR_INVALID_PARAMETER
    info = layout(ExitStatus=STILL_ACTIVE, ProcessId=snap.pid, ParentProcessId=snap.ppid,
                  BasePriority=THREAD_PRIORITY_BASE, PriorityClass=NORMAL_PRIORITY_CLASS,
                  AffinityMask=1)
    for i, ch in enumerate(snap.name.encode("utf-16-le")[::2][:MAX_PATH - 1]):
        info.ImageFileName[i] = ch
    p.mm.write(Buffer, bytes(info))
    return 0


def sys_kernel32_PssFreeSnapshot(p, ProcessHandle, SnapshotHandle):
    from .kernel32_sync import close_sync_handle
    if object_of(p, SnapshotHandle, "pss") is None:
        return ERROR_INVALID_PARAMETER
    close_sync_handle(p, SnapshotHandle)
    return 0
