"""NT process and time services: NtTerminateProcess, NtQuerySystemTime,
NtQueryPerformanceCounter, NtDelayExecution, NtWaitForSingleObject."""
from __future__ import annotations

import struct
import time

from ..kernel import Block
from . import abi
from .status import (STATUS_CONTROL_C_EXIT, STATUS_DLL_INIT_FAILED, STATUS_INFO_LENGTH_MISMATCH,
                     STATUS_INVALID_HANDLE, STATUS_INVALID_INFO_CLASS, STATUS_SUCCESS, NtError)


def sys_NtTerminateProcess(p, ProcessHandle, ExitStatus):
    if ProcessHandle not in abi.CURRENT_PROCESS and ProcessHandle != 0:
        raise NtError(STATUS_INVALID_HANDLE)
    p.win32.exit_code = ExitStatus & 0xFFFFFFFF   # the whole 32-bit code, for GetExitCodeProcess
    if p.win32.exit_code == STATUS_DLL_INIT_FAILED:   # the start code's: a DllMain said FALSE
        p.kernel.report_crash(f"sysvec: pid {p.pid} ({p.comm}) could not start: a DLL's "
                              "initialization failed (0xc0000142, STATUS_DLL_INIT_FAILED)")
    if p.win32.exit_code == STATUS_CONTROL_C_EXIT:   # Ctrl+C's default: ended by SIGINT
        from ..signals import SIGINT
        p.kernel.exit_process(p, SIGINT, signaled=True)
        return STATUS_SUCCESS
    p.kernel.exit_process(p, ExitStatus & 0xFF)
    return STATUS_SUCCESS


def sys_NtQuerySystemTime(p, SystemTime):
    abi.write_i64(p, SystemTime, abi.filetime_now())
    return STATUS_SUCCESS


def sys_NtQueryPerformanceCounter(p, PerformanceCounter, PerformanceFrequency):
    abi.write_i64(p, PerformanceCounter, time.monotonic_ns() // 100)
    if PerformanceFrequency:
        abi.write_i64(p, PerformanceFrequency, 10_000_000)
    return STATUS_SUCCESS


def sys_NtDelayExecution(p, Alertable, DelayInterval):
    """Negative intervals are relative (100 ns units), positive ones absolute system time.
    A console control event's thread leaves the sleep alone: the call goes on to its
    deadline (restartable), as a sleep on Windows is not cut short by another thread."""
    deadline = p.win32.sleep_until
    if deadline is None:
        seconds = abi.seconds_until(abi.read_i64(p, DelayInterval))
        deadline = p.win32.sleep_until = time.monotonic() + seconds
    if time.monotonic() >= deadline:
        p.win32.sleep_until = None
        return STATUS_SUCCESS
    raise Block(None, deadline=deadline)


WAIT_FAILED = 0xFFFFFFFF


def sys_NtWaitForSingleObject(p, Handle, Alertable, Timeout):
    """Wait for a kernel32 object (event, semaphore, mutex, waitable timer, thread, process)
    as WaitForSingleObject does; Timeout in 100 ns units, negative relative, positive an
    absolute system time, NULL for ever (Go's runtime sleeps on a timer this way)."""
    from ..win32.kernel32_wait import INFINITE, wait_for
    milliseconds = INFINITE
    if Timeout:
        seconds = abi.seconds_until(abi.read_i64(p, Timeout))
        milliseconds = min(int(seconds * 1000 + 0.999), INFINITE - 1)
    result = wait_for(p, [Handle], False, milliseconds)
    if result == WAIT_FAILED:
        raise NtError(STATUS_INVALID_HANDLE)
    return result      # STATUS_WAIT_0 (0) or STATUS_TIMEOUT (0x102), as WAIT_* numbers are


# --- the system ------------------------------------------------------------------------------

SystemBasicInformation, SystemProcessorPerformanceInformation = 0, 8
SystemPerformanceInformation, SystemProcessInformation = 2, 5
SystemInterruptInformation = 23
SystemHandleInformation, SystemExtendedHandleInformation = 16, 64


def _interrupt_information(p) -> bytes:
    """SYSTEM_INTERRUPT_INFORMATION: ContextSwitches, DpcCount, DpcRate, TimeIncrement,
    DpcBypassCount, ApcBypassCount (no DPCs here); the clock's 15.625 ms tick."""
    scheduler = p.kernel.scheduler
    switches = scheduler.switches if scheduler is not None else 0
    return struct.pack("<6I", switches & 0xFFFFFFFF, 0, 0, 156250, 0, 0)


def _system_basic(p) -> bytes:
    """SYSTEM_BASIC_INFORMATION: 4 KiB pages, 64 KiB granularity, the user address range,
    one processor (as GetSystemInfo says)."""
    from ..win32.kernel32_memory import _total_kib
    pages = _total_kib(p) // 4
    top = p.mm.layout.user_top - 0x10000
    if abi.word(p) == 8:
        return struct.pack("<IIIIIII4xQQQb7x", 0, 156250, 4096, pages, 1, pages, 0x10000,
                           0x10000, top, 1, 1)
    return struct.pack("<IIIIIIIIIIb3x", 0, 156250, 4096, pages, 1, pages, 0x10000, 0x10000,
                       top, 1, 1)


def _processor_performance(p) -> bytes:
    """SYSTEM_PROCESSOR_PERFORMANCE_INFORMATION of the one processor, in 100 ns units since
    the machine started: user time is the guests' CPU time, kernel time includes idle time
    (as Windows counts it)."""
    from ..procfs import BOOT
    up = int((time.monotonic() - BOOT) * 1e7)
    user = min(sum(t.cpu_ns for t in p.kernel.procs.values()) // 100, up)
    idle = up - user
    return struct.pack("<qqqqqI4x", idle, idle, user, 0, 0, 0)


SystemProcessIdInformation = 88
STATUS_INVALID_CID = 0xC000000B


def image_nt_path(proc) -> str:
    """A process's program as an NT path on drive C:'s volume."""
    from .paths import VOLUME, volume_path
    return VOLUME + volume_path(proc.exe or "/")


def _process_id_information(p, at: int) -> int:
    """SYSTEM_PROCESS_ID_INFORMATION: the caller names a process id and gives an
    UNICODE_STRING buffer; the program's NT path goes there (its size when it does not)."""
    w = abi.word(p)
    pid = abi.read_ptr(p, at)
    target = p.kernel.procs.get(pid)
    if target is None or not target.alive:
        raise NtError(STATUS_INVALID_CID)
    name = image_nt_path(target.group_leader()).encode("utf-16-le")
    maximum = struct.unpack("<H", p.mm.read(at + w + 2, 2))[0]
    buffer = abi.read_ptr(p, at + 2 * w)
    if maximum < len(name) + 2 or not buffer:
        p.mm.write(at + w, struct.pack("<HH", 0, len(name) + 2))
        raise NtError(STATUS_INFO_LENGTH_MISMATCH)
    p.mm.write(buffer, name + b"\0\0")
    p.mm.write(at + w, struct.pack("<HH", len(name), len(name) + 2))
    return STATUS_SUCCESS


def sys_NtQuerySystemInformation(p, SystemInformationClass, SystemInformation,
                                 SystemInformationLength, ReturnLength):
    from .process_list import (PERFORMANCE_MINIMUM, handle_information,
                               performance_information, process_information)
    cls = SystemInformationClass & 0xFFFFFFFF
    length = SystemInformationLength & 0xFFFFFFFF
    if cls == SystemProcessIdInformation:
        return _process_id_information(p, SystemInformation)
    if cls == SystemBasicInformation:
        data = _system_basic(p)
    elif cls == SystemProcessorPerformanceInformation:
        data = _processor_performance(p)
    elif cls == SystemInterruptInformation:      # the one processor's: its context switches
        data = _interrupt_information(p)
    elif cls == SystemProcessInformation:
        data = process_information(p, SystemInformation)
    elif cls in (SystemHandleInformation, SystemExtendedHandleInformation):
        data = handle_information(p, cls == SystemExtendedHandleInformation)
    elif cls == SystemPerformanceInformation:      # an older, shorter form is answered too
        data = performance_information(p)
        data = data[:max(length, PERFORMANCE_MINIMUM)]
    else:
        raise NtError(STATUS_INVALID_INFO_CLASS)
    if ReturnLength:
        p.mm.write_u32(ReturnLength, len(data))
    if length < len(data):
        raise NtError(STATUS_INFO_LENGTH_MISMATCH)
    p.mm.write(SystemInformation, data)
    return STATUS_SUCCESS


ProcessBasicInformation, ProcessImageFileName, ProcessCommandLineInformation = 0, 27, 60
ProcessWow64Information, ProcessIoPriority = 26, 33
IO_PRIORITY_NORMAL = 2


def _put_u32(p, value: int, at: int, length: int, returned: int) -> int:
    if returned:
        p.mm.write_u32(returned, 4)
    if (length & 0xFFFFFFFF) < 4:
        raise NtError(STATUS_INFO_LENGTH_MISMATCH)
    p.mm.write_u32(at, value)
    return STATUS_SUCCESS


def _put_fixed(p, data: bytes, at: int, length: int, returned: int) -> int:
    """A fixed-size class's record: the whole of it or STATUS_INFO_LENGTH_MISMATCH (its size
    returned only with the record)."""
    if length < len(data):
        raise NtError(STATUS_INFO_LENGTH_MISMATCH)
    p.mm.write(at, data)
    if returned:
        p.mm.write_u32(returned, len(data))
    return STATUS_SUCCESS


def _put_word(p, value: int, at: int, length: int, returned: int) -> int:
    w = abi.word(p)
    if returned:
        p.mm.write_u32(returned, w)
    if (length & 0xFFFFFFFF) < w:
        raise NtError(STATUS_INFO_LENGTH_MISMATCH)
    abi.write_ptr(p, at, value)
    return STATUS_SUCCESS


def _process_string(p, leader, state, cls: int, at: int, length: int, returned: int) -> int:
    """A UNICODE_STRING followed by its text: the program's NT path (ProcessImageFileName)
    or the command line the process was given (ProcessCommandLineInformation)."""
    from ..errors import Fault
    from ..win32.wide import read_wstr
    if cls == ProcessImageFileName:
        text = image_nt_path(leader)
    else:
        try:
            line = state.command_line_w if state is not None else 0
            text = read_wstr(leader, line) if line and leader.mm is not None else \
                " ".join(a.decode(errors="replace") if isinstance(a, bytes) else a
                         for a in leader.argv)
        except Fault:
            text = ""
    data = text.encode("utf-16-le")
    w = abi.word(p)
    head = 2 * w                              # Length, MaximumLength, (padding), Buffer
    need = head + len(data) + 2
    if returned:
        p.mm.write_u32(returned, need)
    if (length & 0xFFFFFFFF) < need:
        raise NtError(STATUS_INFO_LENGTH_MISMATCH)
    p.mm.write(at, struct.pack("<HH", len(data), len(data) + 2) + b"\0" * (w - 4))
    abi.write_ptr(p, at + w, at + head)
    p.mm.write(at + head, data + b"\0\0")
    return STATUS_SUCCESS
STATUS_PENDING = 0x103     # a process still running: its exit status reads so (STILL_ACTIVE)


def sys_NtQueryInformationProcess(p, ProcessHandle, ProcessInformationClass,
                                  ProcessInformation, ProcessInformationLength, ReturnLength):
    """PROCESS_BASIC_INFORMATION: the exit status (STATUS_PENDING while it runs: Zig reads a
    child's exit code here), its PEB, affinity, priority, id and its parent's id. Other
    classes: STATUS_INVALID_INFO_CLASS."""
    from ..win32.kernel32_process import _process_for, exit_code_of
    from ..win32.state import Win32Process
    cls = ProcessInformationClass & 0xFFFFFFFF
    if cls not in (ProcessBasicInformation, ProcessImageFileName, ProcessCommandLineInformation,
                   ProcessWow64Information, ProcessIoPriority):
        raise NtError(STATUS_INVALID_INFO_CLASS)
    target = p if ProcessHandle in abi.CURRENT_PROCESS else None
    if target is None:
        from ..win32.kernel32_process import process_of_handle
        target = process_of_handle(p, ProcessHandle) or _process_for(p, ProcessHandle)
    if target is None:
        raise NtError(STATUS_INVALID_HANDLE)
    leader = target.group_leader()
    state = Win32Process.of(leader)
    if cls == ProcessWow64Information:
        # a 32-bit process is a WOW64 one to a 64-bit caller: its 32-bit PEB; else 0
        wow64 = state.peb if state is not None and leader.sysvec.word_bits == 32 and \
            abi.word(p) == 8 else 0
        return _put_word(p, wow64, ProcessInformation, ProcessInformationLength, ReturnLength)
    if cls == ProcessIoPriority:          # every process's I/O is of normal priority here
        return _put_u32(p, IO_PRIORITY_NORMAL, ProcessInformation, ProcessInformationLength,
                        ReturnLength)
    if cls != ProcessBasicInformation:
        return _process_string(p, leader, state, cls, ProcessInformation,
                               ProcessInformationLength, ReturnLength)
    status = STATUS_PENDING if leader.alive else exit_code_of(leader)
    peb = state.peb if state is not None else 0
    wide = abi.word(p) == 8
    data = struct.pack("<I4xQQi4xQQ" if wide else "<IIIiII", status & 0xFFFFFFFF, peb, 1, 8,
                       leader.tgid, leader.ppid)
    return _put_fixed(p, data, ProcessInformation, ProcessInformationLength, ReturnLength)



ThreadBasicInformation, ThreadTimes, ThreadAmILastThread = 0, 1, 12
ThreadIsIoPending, ThreadHideFromDebugger = 16, 17


def sys_NtQueryInformationThread(p, ThreadHandle, ThreadInformationClass, ThreadInformation,
                                 ThreadInformationLength, ReturnLength):
    """THREAD_BASIC_INFORMATION (exit status, TEB, client id, affinity, priorities),
    KERNEL_USER_TIMES, and the BOOLEAN/ULONG classes: whether it is the process's last
    thread, has I/O pending (none here), is hidden from debuggers (no). Other classes:
    STATUS_INVALID_INFO_CLASS."""
    from ..win32.kernel32_process import exit_code_of
    from ..win32.state import Win32Process
    from ..win32.threads import thread_of_handle
    cls = ThreadInformationClass & 0xFFFFFFFF
    wide = abi.word(p) == 8
    thread = p if ThreadHandle in (0xFFFFFFFE, (1 << 64) - 2) else thread_of_handle(p, ThreadHandle)
    if thread is None:
        raise NtError(STATUS_INVALID_HANDLE)
    if cls == ThreadBasicInformation:
        state = Win32Process.of(thread)
        teb = state.local.get("teb", 0) if state is not None else 0
        status = STATUS_PENDING if thread.alive else exit_code_of(thread)
        data = struct.pack("<I4xQQQQii" if wide else "<IIIIIii", status & 0xFFFFFFFF, teb,
                           thread.tgid, thread.pid, 1, 8, 8)
    elif cls == ThreadTimes:              # creation (the process's), exit, kernel, user
        thread.settle_times()
        state = Win32Process.of(thread)
        start = abi.filetime_of_ns(state.created) if state is not None else 0
        data = struct.pack("<QQQQ", start, 0, 0, thread.cpu_ns // 100)
    elif cls == ThreadAmILastThread:
        others = [t for t in (thread.group or [thread]) if t.alive and t is not thread]
        data = struct.pack("<I", int(not others))
    elif cls == ThreadIsIoPending:
        data = struct.pack("<I", 0)
    elif cls == ThreadHideFromDebugger:
        data = b"\0"
    else:
        raise NtError(STATUS_INVALID_INFO_CLASS)
    return _put_fixed(p, data, ThreadInformation, ThreadInformationLength, ReturnLength)
