"""kernel32's processes beside the current one, and the job objects around them: a process
here runs outside any job, so queries answer as Windows does for such a process, and jobs a
program creates only record their limits."""
from __future__ import annotations

import os
import struct
import time
from types import SimpleNamespace

from ..nt import abi
from .kernel32_sync import new_handle, object_of

ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER, ERROR_INSUFFICIENT_BUFFER = 6, 87, 122
ERROR_ACCESS_DENIED = 5
STILL_ACTIVE = 259


def _current(p) -> int:
    return (1 << p.sysvec.word_bits) - 1


def process_of_handle(p, handle):
    obj = object_of(p, handle, "process")
    return obj.pcb if obj is not None else None


def sys_kernel32_TerminateProcess(p, hProcess, uExitCode):
    if hProcess == _current(p):
        from .kernel32 import sys_kernel32_ExitProcess
        return sys_kernel32_ExitProcess(p, uExitCode)
    child = process_of_handle(p, hProcess)
    if child is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    if child.alive:
        p.kernel.exit_process(child, uExitCode & 0xFF)
    return 1


# --- job objects ---------------------------------------------------------------------------

def sys_kernel32_CreateJobObjectA(p, lpJobAttributes, lpName):
    return new_handle(p, SimpleNamespace(kind="job", limits={}, processes=[]))


def sys_kernel32_CreateJobObjectW(p, lpJobAttributes, lpName):
    return sys_kernel32_CreateJobObjectA(p, lpJobAttributes, lpName)


def sys_kernel32_AssignProcessToJobObject(p, hJob, hProcess):
    job = object_of(p, hJob, "job")
    if job is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    job.processes.append(hProcess)
    return 1


def sys_kernel32_SetInformationJobObject(p, hJob, JobObjectInformationClass, lpJobObjectInformation,
                                         cbJobObjectInformationLength):
    job = object_of(p, hJob, "job")
    if job is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    job.limits[JobObjectInformationClass] = p.mm.read(lpJobObjectInformation,
                                                      cbJobObjectInformationLength)
    return 1


def sys_kernel32_QueryInformationJobObject(p, hJob, JobObjectInformationClass,
                                           lpJobObjectInformation, cbJobObjectInformationLength,
                                           lpReturnLength):
    """A job this process made answers with what was set; NULL (the caller's own job) fails
    as it does for a process in no job."""
    job = object_of(p, hJob, "job") if hJob else None
    if job is None:
        p.win32.last_error = ERROR_ACCESS_DENIED if not hJob else ERROR_INVALID_HANDLE
        return 0
    data = job.limits.get(JobObjectInformationClass, b"")
    data = data.ljust(cbJobObjectInformationLength, b"\0")[:cbJobObjectInformationLength]
    p.mm.write(lpJobObjectInformation, data)
    if lpReturnLength:
        p.mm.write_u32(lpReturnLength, len(data))
    return 1


def sys_kernel32_IsProcessInJob(p, ProcessHandle, JobHandle, Result):
    p.mm.write_u32(Result, 0)
    return 1


# --- processor and times -------------------------------------------------------------------

def sys_kernel32_GetSystemTimes(p, lpIdleTime, lpKernelTime, lpUserTime):
    """FILETIME durations: the host's CPU times of this machine, idle as the remainder."""
    t = os.times()
    user, system = int(t.user * 1e7), int(t.system * 1e7)
    idle = max(0, int(time.monotonic() * 1e7) - user - system)
    for addr, value in ((lpIdleTime, idle), (lpKernelTime, system + idle), (lpUserTime, user)):
        if addr:
            p.mm.write(addr, struct.pack("<Q", value))
    return 1


RELATION_PROCESSOR_CORE, RELATION_ALL = 0, 0xFFFF


def sys_kernel32_GetLogicalProcessorInformationEx(p, RelationshipType, Buffer, ReturnedLength):
    """One core, one logical processor (group 0, mask 1): a PROCESSOR_RELATIONSHIP record."""
    if RelationshipType not in (RELATION_PROCESSOR_CORE, RELATION_ALL):
        p.mm.write_u32(ReturnedLength, 0)
        return 1
    w = abi.word(p)
    group = struct.pack("<Q", 1) + b"\0" * 8 if w == 8 else struct.pack("<I", 1) + b"\0" * 4
    body = struct.pack("<BB20sH", 0, 0, b"", 1) + group
    record = struct.pack("<II", RELATION_PROCESSOR_CORE, 8 + len(body)) + body
    have = p.mm.read_u32(ReturnedLength)
    p.mm.write_u32(ReturnedLength, len(record))
    if have < len(record) or not Buffer:
        p.win32.last_error = ERROR_INSUFFICIENT_BUFFER
        return 0
    p.mm.write(Buffer, record)
    return 1


def sys_kernel32_InterlockedIncrement(p, Addend):
    value = (p.mm.read_u32(Addend) + 1) & 0xFFFFFFFF   # a trap runs alone on the core: atomic
    p.mm.write_u32(Addend, value)
    return value


def sys_kernel32_InterlockedDecrement(p, Addend):
    value = (p.mm.read_u32(Addend) - 1) & 0xFFFFFFFF
    p.mm.write_u32(Addend, value)
    return value


def sys_kernel32_InterlockedExchange(p, Target, Value):
    old = p.mm.read_u32(Target)
    p.mm.write_u32(Target, Value & 0xFFFFFFFF)
    return old


def sys_kernel32_InterlockedCompareExchange(p, Destination, Exchange, Comperand):
    old = p.mm.read_u32(Destination)
    if old == Comperand & 0xFFFFFFFF:
        p.mm.write_u32(Destination, Exchange & 0xFFFFFFFF)
    return old


# --- handles -----------------------------------------------------------------------------

HANDLE_FLAG_INHERIT = 1


def sys_kernel32_SetHandleInformation(p, hObject, dwMask, dwFlags):
    """The inherit flag of a descriptor's handle is its close-on-exec bit, inverted."""
    try:
        fd = abi.fd_of_handle(hObject)
        if dwMask & HANDLE_FLAG_INHERIT:
            p.fds.set_cloexec(fd, not dwFlags & HANDLE_FLAG_INHERIT)
        else:
            p.fds.get(fd)
    except Exception:   # NtError / KernelError: no such descriptor
        from .kernel32_sync import is_sync_handle
        if is_sync_handle(p, hObject):
            return 1
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    return 1


DUPLICATE_CLOSE_SOURCE, DUPLICATE_SAME_ACCESS = 1, 2


def sys_kernel32_DuplicateHandle(p, hSourceProcessHandle, hSourceHandle, hTargetProcessHandle,
                                 lpTargetHandle, dwDesiredAccess, bInheritHandle, dwOptions):
    """Within this process: a descriptor's handle gets a new descriptor on the same file."""
    current = _current(p)
    if hSourceProcessHandle != current or hTargetProcessHandle != current:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    if hSourceHandle == current:
        abi.write_ptr(p, lpTargetHandle, current)
        return 1
    try:
        fd = abi.fd_of_handle(hSourceHandle)
        new = p.fds.dup(fd)
        p.fds.set_cloexec(new, not bInheritHandle)
        if dwOptions & DUPLICATE_CLOSE_SOURCE:
            p.fds.close(fd)
    except Exception:   # NtError / KernelError
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    if lpTargetHandle:
        abi.write_ptr(p, lpTargetHandle, abi.handle_of_fd(new))
    return 1


def sys_kernel32_FormatMessageW(p, dwFlags, lpSource, dwMessageId, dwLanguageId, lpBuffer, nSize,
                                Arguments):
    """System messages, as FormatMessageA words them, in UTF-16."""
    text = f"{os.strerror(dwMessageId) if dwMessageId < 200 else 'Unknown error'}\r\n"
    data = text.encode("utf-16-le")
    if dwFlags & 0x100:   # FORMAT_MESSAGE_ALLOCATE_BUFFER
        buf = p.win32.heap.alloc(len(data) + 2)
        p.mm.write(buf, data + b"\0\0")
        abi.write_ptr(p, lpBuffer, buf)
        return len(text)
    if nSize < len(text) + 1:
        p.win32.last_error = ERROR_INSUFFICIENT_BUFFER
        return 0
    p.mm.write(lpBuffer, data + b"\0\0")
    return len(text)
