"""kernel32 calls Rust's and other runtimes' start-up and synchronisation use: waiting on an
address (WaitOnAddress), yielding, alertable sleep, the precise system time, process times,
the system directories, ordinal string comparison."""
from __future__ import annotations

import struct
import time

from ..kernel import Block
from ..nt import abi
from .kernel32_iocp import wait_deadline
from .wide import put_string, read_wstr

ERROR_TIMEOUT = 1460
ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER = 6, 87
# --- WaitOnAddress: sleep while a value in memory is unchanged, woken by address -------------

def _address_waiters(p) -> dict:
    return p.win32.address_waiters


def sys_kernel32_WaitOnAddress(p, Address, CompareAddress, AddressSize, dwMilliseconds):
    """Returns at once if the value differs from *CompareAddress; else sleeps until a wake
    for Address (or the timeout: FALSE with ERROR_TIMEOUT)."""
    size = AddressSize if AddressSize in (1, 2, 4, 8) else 8
    return wait_on_address(p, Address, CompareAddress, size, dwMilliseconds)


def wait_on_address(p, Address, CompareAddress, size: int, dwMilliseconds: int) -> int:
    """WaitOnAddress for size bytes (the C++ library's wide atomics wait on more than 8)."""
    ticket = p.win32.address_wait
    if ticket is None:
        if p.mm.read(Address, size) != p.mm.read(CompareAddress, size):
            return 1
        ticket = p.win32.address_wait = _Sleeper(p)
        _address_waiters(p).setdefault(Address, []).append(ticket)
    waiters = _address_waiters(p).get(Address, [])
    if ticket in waiters:
        deadline = wait_deadline(p, dwMilliseconds)
        if dwMilliseconds == 0 or (deadline is not None and time.monotonic() >= deadline):
            waiters.remove(ticket)
            p.win32.address_wait = None
            p.win32.wait_until = None
            p.win32.last_error = ERROR_TIMEOUT
            return 0
        raise Block(lambda: ticket not in waiters, deadline=deadline)
    p.win32.address_wait = None
    p.win32.wait_until = None
    return 1


STATUS_SUCCESS, STATUS_TIMEOUT = 0, 0x102


def sys_ntdll_RtlWaitOnAddress(p, Address, CompareAddress, AddressSize, Timeout):
    """WaitOnAddress with an NT timeout (NULL: none; negative: relative 100 ns units) and
    an NTSTATUS: Zig's standard library waits with it."""
    milliseconds = 0xFFFFFFFF
    if Timeout:
        value = int.from_bytes(p.mm.read(Timeout, 8), "little", signed=True)
        milliseconds = min(0xFFFFFFFE, -(-int(abi.seconds_until(value) * 1e6) // 1000))
    woken = sys_kernel32_WaitOnAddress(p, Address, CompareAddress, AddressSize, milliseconds)
    return STATUS_SUCCESS if woken else STATUS_TIMEOUT


class _Sleeper:
    """A WaitOnAddress sleeper's ticket: the thread that waits."""

    __slots__ = ("thread",)

    def __init__(self, thread):
        self.thread = thread


def sys_kernel32_WakeByAddressSingle(p, Address):
    """Wake the first sleeper; it runs next, as Windows boosts a thread woken from a wait
    (a writer thread handed a last line writes it before the waker ends the process)."""
    waiters = _address_waiters(p).get(Address)
    if waiters:
        woken = waiters.pop(0).thread
        if woken.alive and p.kernel.scheduler is not None:
            p.kernel.scheduler.run_next(woken)
    return 0


def sys_kernel32_WakeByAddressAll(p, Address):
    waiters = _address_waiters(p).pop(Address, None)
    if waiters:
        waiters.clear()      # each sleeper watches this list for its ticket to go
    return 0


# --- threads and time ----------------------------------------------------------------------

def sys_kernel32_SwitchToThread(p):
    """Give up the rest of the time slice: the scheduler runs the others first."""
    p.engine.cpu.stop_request = 1
    return int(any(t.alive for t in p.group if t is not p))


def sys_kernel32_SleepEx(p, dwMilliseconds, bAlertable):
    """Sleep; an alertable one runs a completion routine that is due first (ReadFileEx's,
    WriteFileEx's) and returns WAIT_IO_COMPLETION."""
    from .kernel32 import sys_kernel32_Sleep
    if bAlertable & 0xFFFFFFFF:
        from .apc import alertable_sleep
        ran = alertable_sleep(p, dwMilliseconds & 0xFFFFFFFF, stdcall_args=2)
        if ran is not None:
            return ran
    sys_kernel32_Sleep(p, dwMilliseconds)
    return 0


def sys_kernel32_SetThreadStackGuarantee(p, StackSizeInBytes):
    """Recorded and reported back; a stack overflow ends the process here in any case."""
    old = p.win32.stack_guarantee
    if StackSizeInBytes:
        new = p.mm.read_u32(StackSizeInBytes)
        p.mm.write_u32(StackSizeInBytes, old)
        p.win32.stack_guarantee = new
    return 1


def sys_kernel32_GetCurrentProcessorNumber(p):
    return 0   # one emulated core


def sys_kernel32_GetSystemTimePreciseAsFileTime(p, lpSystemTimeAsFileTime):
    p.mm.write(lpSystemTimeAsFileTime, struct.pack("<Q", abi.filetime_now()))
    return 0


def sys_kernel32_GetProcessTimes(p, hProcess, lpCreationTime, lpExitTime, lpKernelTime,
                                 lpUserTime):
    """Creation time as a FILETIME; user time from the time the group spent on the core."""
    p.mm.write(lpCreationTime, struct.pack("<Q", abi.filetime_of_ns(p.win32.created)))
    p.mm.write(lpExitTime, struct.pack("<Q", 0))
    p.mm.write(lpKernelTime, struct.pack("<Q", 0))
    p.mm.write(lpUserTime, struct.pack("<Q", p.group_cpu_ns() // 100))
    return 1


# --- strings and directories ------------------------------------------------------------------

def sys_kernel32_lstrlenW(p, lpString):
    return len(read_wstr(p, lpString).encode("utf-16-le")) // 2 if lpString else 0


def sys_kernel32_lstrlenA(p, lpString):
    return len(p.mm.read_cstr(lpString, 1 << 20)) if lpString else 0


def _lstr(p, addr: int, wide: bool) -> bytes:
    """A string's bytes (UTF-16 units for the W forms), NUL excluded."""
    return read_wstr(p, addr).encode("utf-16-le") if wide else p.mm.read_cstr(addr, 1 << 20)


def _lstrcpy(p, dest, src, wide: bool, append: bool = False) -> int:
    if not dest or not src:
        return 0
    at = dest + (len(_lstr(p, dest, wide)) if append else 0)
    p.mm.write(at, _lstr(p, src, wide) + (b"\0\0" if wide else b"\0"))
    return dest


def sys_kernel32_lstrcpyA(p, lpString1, lpString2):
    return _lstrcpy(p, lpString1, lpString2, False)


def sys_kernel32_lstrcpyW(p, lpString1, lpString2):
    return _lstrcpy(p, lpString1, lpString2, True)


def sys_kernel32_lstrcatA(p, lpString1, lpString2):
    return _lstrcpy(p, lpString1, lpString2, False, append=True)


def sys_kernel32_lstrcatW(p, lpString1, lpString2):
    return _lstrcpy(p, lpString1, lpString2, True, append=True)


def _lstrcmp(p, a: int, b: int, wide: bool, fold: bool) -> int:
    x = _lstr(p, a, wide).decode("utf-16-le" if wide else "latin-1") if a else ""
    y = _lstr(p, b, wide).decode("utf-16-le" if wide else "latin-1") if b else ""
    if fold:
        x, y = x.lower(), y.lower()
    return (x > y) - (x < y)


def sys_kernel32_lstrcmpA(p, lpString1, lpString2):
    return _lstrcmp(p, lpString1, lpString2, False, False)


def sys_kernel32_lstrcmpW(p, lpString1, lpString2):
    return _lstrcmp(p, lpString1, lpString2, True, False)


def sys_kernel32_lstrcmpiA(p, lpString1, lpString2):
    return _lstrcmp(p, lpString1, lpString2, False, True)


def sys_kernel32_lstrcmpiW(p, lpString1, lpString2):
    return _lstrcmp(p, lpString1, lpString2, True, True)


def sys_kernel32_CompareStringOrdinal(p, lpString1, cchCount1, lpString2, cchCount2, bIgnoreCase):
    a, b = read_wstr(p, lpString1, cchCount1), read_wstr(p, lpString2, cchCount2)
    if bIgnoreCase:
        from .kernel32_locale import case_mapped
        a, b = case_mapped(a, True), case_mapped(b, True)
    a16, b16 = a.encode("utf-16-be"), b.encode("utf-16-be")   # code-unit order
    return 1 if a16 < b16 else 3 if a16 > b16 else 2


def sys_kernel32_GetSystemDirectoryW(p, lpBuffer, uSize):
    return put_string(p, "C:\\Windows\\System32", lpBuffer, uSize, True)


def sys_kernel32_GetSystemDirectoryA(p, lpBuffer, uSize):
    return put_string(p, "C:\\Windows\\System32", lpBuffer, uSize, False)


def sys_kernel32_GetWindowsDirectoryW(p, lpBuffer, uSize):
    return put_string(p, "C:\\Windows", lpBuffer, uSize, True)


def sys_kernel32_GetModuleHandleExA(p, dwFlags, lpModuleName, phModule):
    from .kernel32 import _module_base
    from .kernel32_startup import GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS, module_containing
    if dwFlags & GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS:
        base = module_containing(p, lpModuleName)
    else:
        base = _module_base(p, p.mm.read_cstr(lpModuleName).decode("latin-1")
                            if lpModuleName else None)
    if not base:
        p.win32.last_error = 126
    if phModule:
        abi.write_ptr(p, phModule, base)
    return int(bool(base))


def sys_kernel32_GetLogicalDrives(p):
    return 1 << 2   # C: only


LOGICAL_DRIVE_STRINGS = "C:\\\0"      # each root, NUL-terminated; the list ends with a NUL


def _logical_drive_strings(p, length: int, buffer: int, wide: bool) -> int:
    """The characters written, without the last NUL; or, when they do not fit, the size
    needed with it."""
    text = LOGICAL_DRIVE_STRINGS + "\0"
    if (length & 0xFFFFFFFF) < len(text) or not buffer:
        return len(text)
    p.mm.write(buffer, text.encode("utf-16-le" if wide else "latin-1"))
    return len(text) - 1


def sys_kernel32_GetLogicalDriveStringsW(p, nBufferLength, lpBuffer):
    return _logical_drive_strings(p, nBufferLength, lpBuffer, True)


def sys_kernel32_GetLogicalDriveStringsA(p, nBufferLength, lpBuffer):
    return _logical_drive_strings(p, nBufferLength, lpBuffer, False)




def sys_kernel32_CompareFileTime(p, lpFileTime1, lpFileTime2):
    a, b = struct.unpack("<Q", p.mm.read(lpFileTime1, 8))[0], struct.unpack("<Q", p.mm.read(lpFileTime2, 8))[0]
    return (1 if a > b else 0xFFFFFFFF if a < b else 0)


FLUSH_ALL_ABOVE = 1 << 24       # a range this large: drop every translation instead


def sys_kernel32_FlushInstructionCache(p, hProcess, lpBaseAddress, dwSize):
    """Code written into memory runs as written: the engine's translations of it go, once
    the call has returned (never the block running the call itself)."""
    if not dwSize:
        return 1
    uc = p.engine.uc

    def drop() -> None:
        try:
            if dwSize > FLUSH_ALL_ABOVE or lpBaseAddress + dwSize > 1 << p.sysvec.word_bits:
                uc.ctl_flush_tb()
            else:
                uc.ctl_remove_cache(lpBaseAddress, lpBaseAddress + dwSize)
        except Exception:     # UcError: a range the engine never translated
            pass
    p.after_trap.append(drop)
    return 1


def sys_kernel32_GetLargePageMinimum(p):
    return 0        # no large pages


def sys_kernel32_GetProcessGroupAffinity(p, hProcess, GroupCount, GroupArray):
    """One processor group, group 0."""
    have = p.mm.read(GroupCount, 2)
    p.mm.write(GroupCount, b"\1\0")
    if int.from_bytes(have, "little") < 1 or not GroupArray:
        p.win32.last_error = 122   # ERROR_INSUFFICIENT_BUFFER
        return 0
    p.mm.write(GroupArray, b"\0\0")
    return 1


def sys_kernel32_GetThreadId(p, Thread):
    from .threads import thread_of_handle
    t = thread_of_handle(p, Thread)
    if t is None:
        p.win32.last_error = 6     # ERROR_INVALID_HANDLE
        return 0
    return t.pid


def sys_kernel32_GetDiskFreeSpaceExW(p, lpDirectoryName, lpFreeBytesAvailableToCaller,
                                     lpTotalNumberOfBytes, lpTotalNumberOfFreeBytes):
    """The host file system's figures for the root the process lives in."""
    import os
    try:
        st = os.statvfs(p.kernel.fs.root)
    except OSError:
        p.win32.last_error = 3     # ERROR_PATH_NOT_FOUND
        return 0
    for addr, value in ((lpFreeBytesAvailableToCaller, st.f_bavail * st.f_frsize),
                        (lpTotalNumberOfBytes, st.f_blocks * st.f_frsize),
                        (lpTotalNumberOfFreeBytes, st.f_bfree * st.f_frsize)):
        if addr:
            p.mm.write(addr, struct.pack("<Q", value))
    return 1


def sys_kernel32_AreFileApisANSI(p):
    """Whether the A functions take names in the ANSI code page, or (SetFileApisToOEM) in the
    OEM one. The code pages here agree on the names a root can hold (latin-1 both ways)."""
    return int(not p.win32.file_apis_oem)


def sys_kernel32_SetFileApisToOEM(p):
    p.win32.file_apis_oem = True
    return 0


def sys_kernel32_SetFileApisToANSI(p):
    p.win32.file_apis_oem = False
    return 0


def sys_kernel32_GetThreadTimes(p, hThread, lpCreationTime, lpExitTime, lpKernelTime,
                                lpUserTime):
    """A thread's times: its process's creation, no exit yet, no kernel time, and the time
    it spent on the core (the process's for another thread's handle)."""
    from .threads import thread_of_handle
    t = thread_of_handle(p, hThread)
    if t is None:
        p.win32.last_error = 6   # ERROR_INVALID_HANDLE
        return 0
    t.settle_times()
    used = t.cpu_ns
    for out, value in ((lpCreationTime, abi.filetime_of_ns(p.win32.created)), (lpExitTime, 0),
                       (lpKernelTime, 0), (lpUserTime, used // 100)):
        if out:
            p.mm.write(out, struct.pack("<Q", value))
    return 1


NOMINAL_HZ = 2_400_000_000      # the processor speed the registry's ~MHz names


def _cycles(ns: int) -> int:
    return ns * (NOMINAL_HZ // 1_000_000) // 1000


def sys_kernel32_QueryThreadCycleTime(p, ThreadHandle, CycleTime):
    """The thread's time on the core in cycles of the nominal clock (.NET's and Qt's
    CPU-time counters)."""
    from .threads import thread_of_handle
    t = thread_of_handle(p, ThreadHandle)
    if t is None:
        p.win32.last_error = 6   # ERROR_INVALID_HANDLE
        return 0
    t.settle_times()
    p.mm.write(CycleTime, struct.pack("<Q", _cycles(t.cpu_ns)))
    return 1


def sys_kernel32_QueryProcessCycleTime(p, ProcessHandle, CycleTime):
    from .kernel32_process import _current, process_of_handle
    proc = p if ProcessHandle == _current(p) else process_of_handle(p, ProcessHandle)
    if proc is None:
        p.win32.last_error = 6   # ERROR_INVALID_HANDLE
        return 0
    p.mm.write(CycleTime, struct.pack("<Q", _cycles(proc.group_cpu_ns())))
    return 1


# GROUP_AFFINITY: Mask (a KAFFINITY, pointer-wide), Group, Reserved[3]
def _group_affinity(p) -> struct.Struct:
    return struct.Struct("<QH6x" if abi.word(p) == 8 else "<IH6x")


def sys_kernel32_GetThreadGroupAffinity(p, hThread, GroupAffinity):
    """Group 0, the one emulated processor."""
    from .threads import thread_of_handle
    if thread_of_handle(p, hThread) is None:
        p.win32.last_error = 6   # ERROR_INVALID_HANDLE
        return 0
    p.mm.write(GroupAffinity, _group_affinity(p).pack(1, 0))
    return 1


def sys_kernel32_SetThreadGroupAffinity(p, hThread, GroupAffinity, PreviousGroupAffinity):
    """Only group 0's processor 0 exists: another group or a mask without it is
    ERROR_INVALID_PARAMETER."""
    from .threads import thread_of_handle
    if thread_of_handle(p, hThread) is None:
        p.win32.last_error = 6   # ERROR_INVALID_HANDLE
        return 0
    layout = _group_affinity(p)
    mask, group = layout.unpack(p.mm.read(GroupAffinity, layout.size))
    if group != 0 or not mask & 1 or mask >> 1:
        p.win32.last_error = 87  # ERROR_INVALID_PARAMETER
        return 0
    if PreviousGroupAffinity:
        p.mm.write(PreviousGroupAffinity, layout.pack(1, 0))
    return 1


# --- where LoadLibrary looks -------------------------------------------------------------------
# Every DLL a program loads here is one sysvec generated (found by name), so the directories a
# program adds to the search are recorded (GetDllDirectory gives its own back) and change
# nothing.

def _set_dll_directory(p, path: str | None) -> int:
    p.win32.strings["dll directory"] = path
    return 1


def sys_kernel32_SetDllDirectoryW(p, lpPathName):
    return _set_dll_directory(p, read_wstr(p, lpPathName) if lpPathName else None)


def sys_kernel32_SetDllDirectoryA(p, lpPathName):
    return _set_dll_directory(p, p.mm.read_cstr(lpPathName).decode("latin-1")
                              if lpPathName else None)


def sys_kernel32_SetDefaultDllDirectories(p, DirectoryFlags):
    return 1


def sys_kernel32_AddDllDirectory(p, NewDirectory):
    """A cookie for RemoveDllDirectory (non-zero: the directory was added)."""
    cookies = p.win32.strings.setdefault("dll cookies", [])
    cookies.append(read_wstr(p, NewDirectory) if NewDirectory else "")
    return 0x4000 + len(cookies)


def sys_kernel32_RemoveDllDirectory(p, Cookie):
    return int(0x4000 < Cookie <= 0x4000 + len(p.win32.strings.get("dll cookies", [])))


def sys_kernel32_GetWindowsDirectoryA(p, lpBuffer, uSize):
    return put_string(p, "C:\\Windows", lpBuffer, uSize, False)


def sys_kernel32_GetDiskFreeSpaceW(p, lpRootPathName, lpSectorsPerCluster, lpBytesPerSector,
                                   lpNumberOfFreeClusters, lpTotalNumberOfClusters):
    """The root's host file system in the old form: 512-byte sectors, 8 to a cluster, the
    counts clamped to 32 bits as Windows does for volumes past 2 TB."""
    import os
    try:
        st = os.statvfs(p.kernel.fs.root)
    except OSError:
        p.win32.last_error = 3     # ERROR_PATH_NOT_FOUND
        return 0
    cluster = 4096
    for addr, value in ((lpSectorsPerCluster, 8), (lpBytesPerSector, 512),
                        (lpNumberOfFreeClusters, st.f_bavail * st.f_frsize // cluster),
                        (lpTotalNumberOfClusters, st.f_blocks * st.f_frsize // cluster)):
        if addr:
            p.mm.write_u32(addr, min(value, 0xFFFFFFFF))
    return 1


sys_kernel32_GetDiskFreeSpaceA = sys_kernel32_GetDiskFreeSpaceW   # the name is not read


# The calls whose wait is a synchronous read or write (nt/files.py ends them cancelled).
SYNCHRONOUS_IO = frozenset({"ReadFile", "WriteFile", "NtReadFile", "NtWriteFile",
                            "ReadDirectoryChangesW"})
ERROR_NOT_FOUND = 1168


def sys_kernel32_CancelSynchronousIo(p, hThread):
    """A thread waiting in a synchronous read or write (libuv's pipe reader thread, which
    CMake's and node's timeouts interrupt so) has it end with ERROR_OPERATION_ABORTED; a
    thread in no such I/O: ERROR_NOT_FOUND."""
    from .state import Win32Process
    from .threads import thread_of_handle
    t = thread_of_handle(p, hThread)
    if t is None or not t.alive:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    state = Win32Process.of(t)
    if state is None or _waiting_in(t) not in SYNCHRONOUS_IO:
        p.win32.last_error = ERROR_NOT_FOUND
        return 0
    state.io_cancelled = True
    p.kernel.wake(t)               # its call runs again, and ends cancelled
    return 1


def cancel_synchronous_on(p, handle) -> bool:
    """CancelIoEx(handle, NULL) cancels the synchronous I/O on handle too, whichever thread
    of the process waits in it (watchdog stops its observer so). True if one did."""
    from .state import Win32Process
    found = False
    for t in list(p.kernel.procs.values()):
        state = Win32Process.of(t)
        if t.tgid == p.tgid and t.alive and state is not None and \
                state.sync_io_handle == handle and _waiting_in(t) in SYNCHRONOUS_IO:
            state.io_cancelled = True
            p.kernel.wake(t)
            found = True
    return found


def _waiting_in(t) -> str | None:
    """The name of the call (without its DLL) a blocked thread waits in."""
    blk = t.wait
    where = getattr(blk, "call", None) if blk is not None else None
    if where is None:
        return None
    table, nr = where
    table, nr = table.lookup(nr)
    call = table.calls.get(nr)
    return call.name.rpartition(".")[2] if call is not None else None


def sys_kernel32_HeapQueryInformation(p, HeapHandle, HeapInformationClass, HeapInformation,
                                      HeapInformationLength, ReturnLength):
    """HeapCompatibilityInformation: the low-fragmentation heap (2), as on Windows."""
    if HeapInformationClass != 0:
        p.win32.last_error = 87    # ERROR_INVALID_PARAMETER
        return 0
    if ReturnLength:
        abi.write_ptr(p, ReturnLength, 4)
    if HeapInformationLength < 4 or not HeapInformation:
        p.win32.last_error = 24    # ERROR_BAD_LENGTH
        return 0
    p.mm.write_u32(HeapInformation, 2)
    return 1


def sys_kernel32_RtlCaptureStackBackTrace(p, FramesToSkip, FramesToCapture, BackTrace,
                                          BackTraceHash):
    """No frames are captured (0): callers treat that as a trace that could not be taken."""
    if BackTraceHash:
        p.mm.write_u32(BackTraceHash, 0)
    return 0


# --- priority classes and I/O counters ----------------------------------------------------

PRIORITY_CLASSES = {0x20, 0x40, 0x80, 0x100, 0x4000, 0x8000}   # normal, idle, high, ...
PROCESS_MODE_BACKGROUND_BEGIN, PROCESS_MODE_BACKGROUND_END = 0x100000, 0x200000


def _priority_target(p, hProcess):
    from .kernel32_process import _process_for
    from .state import Win32Process
    target = _process_for(p, hProcess)
    return Win32Process.of(target) if target is not None else None


def sys_kernel32_GetPriorityClass(p, hProcess):
    state = _priority_target(p, hProcess)
    if state is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    return state.priority_class


def sys_kernel32_SetPriorityClass(p, hProcess, dwPriorityClass):
    """Kept and reported; sysvec's scheduler runs every process in turn whatever its class."""
    state = _priority_target(p, hProcess)
    value = dwPriorityClass & 0xFFFFFFFF
    if state is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    if value in (PROCESS_MODE_BACKGROUND_BEGIN, PROCESS_MODE_BACKGROUND_END):
        return 1
    if value not in PRIORITY_CLASSES:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    state.priority_class = value
    return 1


def sys_kernel32_GetProcessIoCounters(p, hProcess, lpIoCounters):
    """IO_COUNTERS: the process's reads and writes (NtReadFile's and NtWriteFile's) and
    their bytes; no other operation (device controls...) is counted."""
    state = _priority_target(p, hProcess)
    if state is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    p.mm.write(lpIoCounters, struct.pack("<6Q", *state.io_counters))
    return 1


# --- app model: a desktop program runs without a package identity ---------------------------

APPMODEL_ERROR_NO_PACKAGE, APPMODEL_ERROR_NO_APPLICATION = 15700, 15703


def sys_kernel32_GetCurrentPackageFullName(p, packageFullNameLength, packageFullName):
    return APPMODEL_ERROR_NO_PACKAGE


def sys_kernel32_GetCurrentPackageFamilyName(p, packageFamilyNameLength, packageFamilyName):
    return APPMODEL_ERROR_NO_PACKAGE


def sys_kernel32_GetCurrentPackageId(p, bufferLength, buffer):
    return APPMODEL_ERROR_NO_PACKAGE


def sys_kernel32_GetCurrentPackagePath(p, pathLength, path):
    return APPMODEL_ERROR_NO_PACKAGE


def sys_kernel32_GetCurrentApplicationUserModelId(p, applicationUserModelIdLength,
                                                  applicationUserModelId):
    return APPMODEL_ERROR_NO_APPLICATION


def sys_kernel32_GetPackageFamilyName(p, hProcess, packageFamilyNameLength, packageFamilyName):
    return APPMODEL_ERROR_NO_PACKAGE


def sys_kernel32_GetPackageFullName(p, hProcess, packageFullNameLength, packageFullName):
    return APPMODEL_ERROR_NO_PACKAGE


# --- sounds: the machine has no speaker; the calls succeed as on a Windows without one -----

def sys_kernel32_Beep(p, dwFreq, dwDuration):
    if not 0x25 <= dwFreq <= 0x7FFF:
        p.win32.last_error = 87          # ERROR_INVALID_PARAMETER
        return 0
    return 1


def sys_user32_MessageBeep(p, uType):
    return 1


def sys_winmm_PlaySoundW(p, pszSound, hmod, fdwSound):
    """Nothing to play on (no sound device): FALSE, as when the sound cannot be found."""
    return 0


def sys_kernel32_MulDiv(p, nNumber, nNumerator, nDenominator):
    """nNumber * nNumerator / nDenominator with a 64-bit product, rounded half away from
    zero; -1 for a zero denominator or a result past 32 bits."""
    def signed(v: int) -> int:
        return ((v & 0xFFFFFFFF) ^ 0x80000000) - 0x80000000
    number, numerator, denominator = signed(nNumber), signed(nNumerator), signed(nDenominator)
    if denominator == 0:
        return 0xFFFFFFFF
    product = number * numerator
    quotient = (2 * abs(product) + abs(denominator)) // (2 * abs(denominator))
    if (product < 0) != (denominator < 0):
        quotient = -quotient
    if not -0x7FFFFFFF <= quotient <= 0x7FFFFFFF:
        return 0xFFFFFFFF
    return quotient & 0xFFFFFFFF


def _lstrcpyn(p, dest, src, count: int, wide: bool) -> int:
    """Up to count - 1 characters and a NUL (count 0: nothing written); dest back."""
    count = ((count & 0xFFFFFFFF) ^ 0x80000000) - 0x80000000
    if not dest or count <= 0:
        return dest if dest and count == 0 else 0
    unit = 2 if wide else 1
    data = _lstr(p, src, wide)[:(count - 1) * unit] if src else b""
    p.mm.write(dest, data + b"\0" * unit)
    return dest


def sys_kernel32_lstrcpynA(p, lpString1, lpString2, iMaxLength):
    return _lstrcpyn(p, lpString1, lpString2, iMaxLength, False)


def sys_kernel32_lstrcpynW(p, lpString1, lpString2, iMaxLength):
    return _lstrcpyn(p, lpString1, lpString2, iMaxLength, True)


def sys_kernel32_GetSystemWindowsDirectoryW(p, lpBuffer, uSize):
    return put_string(p, "C:\\Windows", lpBuffer, uSize, True)


def sys_kernel32_GetSystemWindowsDirectoryA(p, lpBuffer, uSize):
    return put_string(p, "C:\\Windows", lpBuffer, uSize, False)


def sys_kernel32_GetDiskFreeSpaceExA(p, lpDirectoryName, lpFreeBytesAvailableToCaller,
                                     lpTotalNumberOfBytes, lpTotalNumberOfFreeBytes):
    return sys_kernel32_GetDiskFreeSpaceExW(p, 0, lpFreeBytesAvailableToCaller,
                                            lpTotalNumberOfBytes, lpTotalNumberOfFreeBytes)


def sys_kernel32_ProcessIdToSessionId(p, dwProcessId, pSessionId):
    """Every process of the machine runs in the console's session, 1."""
    pid = dwProcessId & 0xFFFFFFFF
    proc = p.kernel.procs.get(pid)
    if proc is None or not proc.alive:
        p.win32.last_error = 87                  # ERROR_INVALID_PARAMETER
        return 0
    p.mm.write_u32(pSessionId, 1)
    return 1


def sys_kernel32_GetProcessVersion(p, ProcessId):
    """The Windows version a process's program was built for: its subsystem version from
    the optional header (0 for another process, whose headers are not read)."""
    if ProcessId and ProcessId & 0xFFFFFFFF != p.tgid:
        return 0
    base = p.win32.image_base
    pe_at = base + p.mm.read_u32(base + 0x3C)
    major, minor = struct.unpack("<HH", p.mm.read(pe_at + 24 + 48, 4))
    return major << 16 | minor


def sys_kernel32_SetThreadIdealProcessor(p, hThread, dwIdealProcessor):
    """The previous ideal processor (0, the only one); another is ERROR_INVALID_PARAMETER."""
    if dwIdealProcessor & 0xFFFFFFFF not in (0, 0xFFFFFFFF):    # MAXIMUM_PROCESSORS: query
        p.win32.last_error = 87
        return 0xFFFFFFFF
    return 0


def sys_kernel32_GetThreadPriorityBoost(p, hThread, pDisablePriorityBoost):
    p.mm.write_u32(pDisablePriorityBoost, p.win32.strings.get("no priority boost", 0))
    return 1


def sys_kernel32_SetThreadPriorityBoost(p, hThread, bDisablePriorityBoost):
    """Recorded: the scheduler gives no boosts either way."""
    p.win32.strings["no priority boost"] = int(bool(bDisablePriorityBoost & 0xFFFFFFFF))
    return 1


def sys_kernel32_Wow64DisableWow64FsRedirection(p, OldValue):
    """No process runs under WOW64 here: there is no redirection to turn off (Windows' own
    answer in a 64-bit process)."""
    p.win32.last_error = 1                       # ERROR_INVALID_FUNCTION
    return 0


def sys_kernel32_Wow64RevertWow64FsRedirection(p, OldValue):
    p.win32.last_error = 1
    return 0
