"""kernel32 beyond files and memory: the environment, the module's file name, clocks and
system information, the console, and files and directories by name (delete, move, create,
remove, attributes, the current directory). Names resolve like CreateFileA's: C:\\ is the
root, case-insensitively, never above it."""
from __future__ import annotations

import errno
import struct
import time as host_time

from ..errors import KernelError
from ..nt import abi
from ..nt.directory import NEW_DIRECTORY_MODE
from ..nt.dosattrib import archive_at
from ..nt.files import check_delete_by_name, check_replace_target
from ..nt.sharing import file_key
from ..nt.status import NtError
from ..nt.paths import fold_case, split_nt_path, win32_to_nt
from .msvcrt import _write_fd
from .ntcall import set_last_error_from
from .stdout import flush_for_handle
from .wide import put_truncated

ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND, ERROR_ACCESS_DENIED = 2, 3, 5
ERROR_ALREADY_EXISTS, ERROR_DIR_NOT_EMPTY, ERROR_ENVVAR_NOT_FOUND = 183, 145, 203
INVALID_FILE_ATTRIBUTES = 0xFFFFFFFF
WIN32_ERROR = {errno.ENOENT: ERROR_FILE_NOT_FOUND, errno.ENOTDIR: ERROR_PATH_NOT_FOUND,
               errno.EEXIST: ERROR_ALREADY_EXISTS, errno.ENOTEMPTY: ERROR_DIR_NOT_EMPTY,
               errno.EACCES: ERROR_ACCESS_DENIED, errno.EPERM: ERROR_ACCESS_DENIED,
               errno.EISDIR: ERROR_ACCESS_DENIED}


def _guest_path(p, name: bytes | str) -> str:
    """A Windows name's path in the guest's file system (bytes: an ANSI call's name)."""
    text = name.decode("latin-1") if isinstance(name, bytes) else name
    return fold_case(p.kernel.fs, "/", split_nt_path(win32_to_nt(text, p.win32.cwd)), p)


def _win32_call(p, action) -> int:
    """Run action(); TRUE, or FALSE with the Win32 error its failure means."""
    try:
        action()
        return 1
    except NtError as exc:      # a refusal only NT has (nt/sharing.py)
        set_last_error_from(p, exc.status)
    except KernelError as exc:
        p.win32.last_error = WIN32_ERROR.get(exc.errno, ERROR_ACCESS_DENIED)
    except Exception:   # a name NT paths refuse (.. above the root, device names)
        p.win32.last_error = ERROR_PATH_NOT_FOUND
    return 0


def _by_name(p, lpName, action) -> int:
    """Run action(guest path); TRUE, or FALSE with the Win32 error set."""
    return _win32_call(p, lambda: action(_guest_path(p, p.mm.read_cstr(lpName))))


def move_file(p, old: bytes | str, new: bytes | str) -> bool:
    fs = p.kernel.fs

    def move() -> None:
        source, target = _guest_path(p, old), _guest_path(p, new)
        check_delete_by_name(p, source, deleting=False)
        try:
            source_key = file_key(fs.stat("/", source, False, p))
        except KernelError:
            source_key = None
        check_replace_target(p, target, source_key)
        fs.rename("/", source, "/", target, p)
        archive_at(p, target)          # a moved file is to be archived again (NTFS)
    return bool(_win32_call(p, move))


def delete_file(p, path: str) -> None:
    """DeleteFile: refused, as Windows refuses it, for a read-only file or one held open
    without FILE_SHARE_DELETE."""
    check_delete_by_name(p, path)
    p.kernel.fs.unlink("/", path, p)


def sys_kernel32_DeleteFileA(p, lpFileName):
    return _by_name(p, lpFileName, lambda path: delete_file(p, path))


def sys_kernel32_CreateDirectoryA(p, lpPathName, lpSecurityAttributes):
    return _by_name(p, lpPathName, lambda path: p.kernel.fs.mkdir("/", path, NEW_DIRECTORY_MODE, p))


def sys_kernel32_RemoveDirectoryA(p, lpPathName):
    return _by_name(p, lpPathName, lambda path: p.kernel.fs.rmdir("/", path, p))


def sys_kernel32_MoveFileA(p, lpExistingFileName, lpNewFileName):
    return int(move_file(p, p.mm.read_cstr(lpExistingFileName), p.mm.read_cstr(lpNewFileName)))


def sys_kernel32_GetFileAttributesA(p, lpFileName):
    """GetFileAttributesW's answer for the ANSI name (nt/dosattrib.py's attribute word)."""
    from .kernel32_files import _own_attributes
    from .wide import read_str
    _st, attrs = _own_attributes(p, read_str(p, lpFileName, False))
    return INVALID_FILE_ATTRIBUTES if attrs is None else attrs


def sys_kernel32_GetCurrentDirectoryA(p, nBufferLength, lpBuffer):
    text = p.win32.cwd.rstrip("\\") if len(p.win32.cwd) > 3 else p.win32.cwd
    data = text.encode("latin-1")
    if nBufferLength < len(data) + 1:
        return len(data) + 1
    p.mm.write(lpBuffer, data + b"\0")
    return len(data)


def sys_kernel32_SetCurrentDirectoryA(p, lpPathName):
    from .kernel32_files import set_current_directory
    return set_current_directory(p, p.mm.read_cstr(lpPathName).decode("latin-1"))


def _env(p) -> dict:
    return p.win32.env


def _env_key(p, name: str) -> str | None:
    """Environment names are case-insensitive on Windows."""
    upper = name.upper()
    return next((k for k in _env(p) if k.upper() == upper), None)


def sys_kernel32_GetEnvironmentVariableA(p, lpName, lpBuffer, nSize):
    key = _env_key(p, p.mm.read_cstr(lpName).decode("latin-1"))
    if key is None:
        p.win32.last_error = ERROR_ENVVAR_NOT_FOUND
        return 0
    data = _env(p)[key].encode("latin-1", "replace")
    if nSize < len(data) + 1:
        return len(data) + 1
    p.mm.write(lpBuffer, data + b"\0")
    return len(data)


def sys_kernel32_SetEnvironmentVariableA(p, lpName, lpValue):
    name = p.mm.read_cstr(lpName).decode("latin-1")
    if not name or "=" in name:
        p.win32.last_error = 87
        return 0
    key = _env_key(p, name)
    if key is not None:
        del _env(p)[key]
    if lpValue:
        _env(p)[name] = p.mm.read_cstr(lpValue).decode("latin-1")
    p.win32.strings.pop("env:" + name, None)
    p.win32.strings.pop("wenv:" + name, None)
    return 1


def module_file_name(p, hModule) -> str | None:
    """The Windows path of a mapped module: the program or a DLL."""
    if hModule and hModule != p.win32.image_base:
        return p.win32.module_paths.get(hModule)
    return "C:" + (p.exe or "/" + p.comm).replace("/", "\\")


def sys_kernel32_GetModuleFileNameA(p, hModule, lpFilename, nSize):
    name = module_file_name(p, hModule)
    if name is None:
        p.win32.last_error = 126   # ERROR_MOD_NOT_FOUND
        return 0
    return put_truncated(p, name, lpFilename, nSize, False)


def sys_kernel32_QueryPerformanceFrequency(p, lpFrequency):
    p.mm.write(lpFrequency, struct.pack("<q", 10_000_000))   # QueryPerformanceCounter's 100 ns
    return 1


def sys_kernel32_GetTickCount64(p):
    ms = int(host_time.monotonic() * 1000)
    if abi.word(p) == 4:
        from unicorn import x86_const as X
        p.engine.uc.reg_write(X.UC_X86_REG_EDX, ms >> 32)
    return ms


def _interrupt_time(p, at) -> None:
    """100 ns units since the machine started (it never sleeps, so unbiased is the same)."""
    p.mm.write(at, struct.pack("<Q", int(host_time.monotonic() * 10_000_000)))


def sys_kernel32_QueryUnbiasedInterruptTime(p, UnbiasedTime):
    _interrupt_time(p, UnbiasedTime)
    return 1


def sys_kernel32_QueryUnbiasedInterruptTimePrecise(p, lpUnbiasedInterruptTimePrecise):
    _interrupt_time(p, lpUnbiasedInterruptTimePrecise)


def sys_kernel32_QueryInterruptTime(p, lpInterruptTime):
    _interrupt_time(p, lpInterruptTime)


def sys_kernel32_QueryInterruptTimePrecise(p, lpInterruptTimePrecise):
    _interrupt_time(p, lpInterruptTimePrecise)


def _systemtime(st, ms: int) -> bytes:
    return struct.pack("<8H", st.tm_year, st.tm_mon, (st.tm_wday + 1) % 7, st.tm_mday,
                       st.tm_hour, st.tm_min, min(st.tm_sec, 59), ms)


def sys_kernel32_GetSystemTime(p, lpSystemTime):
    now = host_time.time()
    p.mm.write(lpSystemTime, _systemtime(host_time.gmtime(now), int(now * 1000) % 1000))
    return 0


def sys_kernel32_GetLocalTime(p, lpSystemTime):
    now = host_time.time()
    p.mm.write(lpSystemTime, _systemtime(host_time.localtime(now), int(now * 1000) % 1000))
    return 0


def sys_kernel32_GetSystemInfo(p, lpSystemInfo):
    """SYSTEM_INFO: x86 or AMD64, 4 KiB pages, 64 KiB allocation granularity, one CPU."""
    if abi.word(p) == 8:
        info = struct.pack("<HHIQQQIIIHH", 9, 0, 4096, 0x10000, 0x7FFFFFFEFFFF, 1, 1, 8664,
                           0x10000, 6, 0)
    else:
        info = struct.pack("<HHIIIIIIIHH", 0, 0, 4096, 0x10000, 0x7FFEFFFF, 1, 1, 586,
                           0x10000, 6, 0)
    p.mm.write(lpSystemInfo, info)
    return 0


def sys_kernel32_WriteConsoleA(p, hConsoleOutput, lpBuffer, nNumberOfCharsToWrite,
                               lpNumberOfCharsWritten, lpReserved):
    data = p.mm.read(lpBuffer, nNumberOfCharsToWrite) if nNumberOfCharsToWrite else b""
    try:
        fd = abi.fd_of_handle(hConsoleOutput)
    except Exception:
        p.win32.last_error = 6   # ERROR_INVALID_HANDLE
        return 0
    written = _write_fd(p, fd, data)
    if written < 0:
        p.win32.last_error = 6
        return 0
    if lpNumberOfCharsWritten:
        p.mm.write_u32(lpNumberOfCharsWritten, written)
    return 1


def _console_file(p, handle):
    """The open file behind a console handle and whether it is the input side (stdin, a
    copy of it, CONIN$), or (None, False) with ERROR_INVALID_HANDLE."""
    from .kernel32_console import _input_side
    try:
        fd = abi.fd_of_handle(handle)
        f = p.fds.get(fd)
        return f, _input_side(fd, f, p) if getattr(f, "tty", None) is not None else fd == 0
    except Exception:   # NtError, KernelError: not a descriptor's handle
        p.win32.last_error = 6
        return None, False


def sys_kernel32_GetConsoleMode(p, hConsoleHandle, lpMode):
    """A handle on a terminal (runtime/tty) has the console mode its termios say; a pipe or
    a file is no console (ERROR_INVALID_HANDLE, as Windows answers a redirected handle)."""
    from ..tty.console import console_mode
    f, is_input = _console_file(p, hConsoleHandle)
    mode = console_mode(f, is_input) if f is not None else None
    if mode is None:
        p.win32.last_error = 6
        return 0
    p.mm.write_u32(lpMode, mode)
    return 1


def sys_kernel32_SetConsoleMode(p, hConsoleHandle, dwMode):
    from ..tty.console import set_console_mode
    f, is_input = _console_file(p, hConsoleHandle)
    if f is None or not set_console_mode(f, is_input, dwMode):
        p.win32.last_error = 6
        return 0
    return 1


def sys_kernel32_GetFileSize(p, hFile, lpFileSizeHigh):
    flush_for_handle(p, hFile, stdout=False)     # a C runtime stream's bytes count
    try:
        size = abi.file_of(p, hFile).fstat().st_size
    except Exception:
        p.win32.last_error = 6
        return INVALID_FILE_ATTRIBUTES
    if lpFileSizeHigh:
        p.mm.write_u32(lpFileSizeHigh, size >> 32)
    return size & 0xFFFFFFFF


def sys_kernel32_GetNativeSystemInfo(p, lpSystemInfo):
    """The same machine: no process here runs under WOW64."""
    return sys_kernel32_GetSystemInfo(p, lpSystemInfo)


# --- the computer's name: the machine's host name (the one uname gives Linux processes) ----

ERROR_BUFFER_OVERFLOW = 111
COMPUTER_NAME_NETBIOS_KINDS = {0, 4}      # ComputerNameNetBIOS, ...PhysicalNetBIOS


def host_name(p) -> str:
    """The machine's host name (its network's, made on first use; the default before)."""
    from ..net import DEFAULT_HOSTNAME
    net = p.kernel.net
    return net.hostname if net is not None else DEFAULT_HOSTNAME


def _computer_name(p, name: str, buffer: int, size_at: int, wide: bool,
                   too_small: int = ERROR_BUFFER_OVERFLOW) -> int:
    """The Win32 convention of these calls (GetUserNameEx's too): the length without the NUL
    written back, or the size needed with it and too_small as the error."""
    from .wide import encode
    have = p.mm.read_u32(size_at)
    if have < len(name) + 1 or not buffer:
        p.mm.write_u32(size_at, len(name) + 1)
        p.win32.last_error = too_small
        return 0
    p.mm.write(buffer, encode(name, wide) + b"\0" * (2 if wide else 1))
    p.mm.write_u32(size_at, len(name))
    return 1


def sys_kernel32_GetComputerNameW(p, lpBuffer, nSize):
    """The NetBIOS name: the host name, upper case, at most 15 characters."""
    return _computer_name(p, host_name(p).split(".")[0].upper()[:15], lpBuffer, nSize, True)


def sys_kernel32_GetComputerNameA(p, lpBuffer, nSize):
    return _computer_name(p, host_name(p).split(".")[0].upper()[:15], lpBuffer, nSize, False)


def sys_kernel32_GetComputerNameExW(p, NameType, lpBuffer, nSize):
    host = host_name(p)
    if NameType in COMPUTER_NAME_NETBIOS_KINDS:
        name = host.split(".")[0].upper()[:15]
    elif NameType in (2, 6):                  # the DNS domain: none here
        name = host.partition(".")[2]
    else:                                     # DNS host name, fully qualified
        name = host.split(".")[0] if NameType in (1, 5) else host
    return _computer_name(p, name, lpBuffer, nSize, True)


def sys_kernel32_GetComputerNameExA(p, NameType, lpBuffer, nSize):
    host = host_name(p)
    if NameType in COMPUTER_NAME_NETBIOS_KINDS:
        name = host.split(".")[0].upper()[:15]
    elif NameType in (2, 6):
        name = host.partition(".")[2]
    else:
        name = host.split(".")[0] if NameType in (1, 5) else host
    return _computer_name(p, name, lpBuffer, nSize, False)


def sys_kernel32_GetNumaNodeProcessorMask(p, Node, ProcessorMask):
    """One NUMA node, 0, holding the machine's one processor (GetSystemInfo's count)."""
    if Node != 0:
        p.win32.last_error = 87                         # ERROR_INVALID_PARAMETER
        return 0
    p.mm.write(ProcessorMask, struct.pack("<Q", 1))
    return 1


def sys_kernel32_GetNumaNodeProcessorMaskEx(p, Node, ProcessorMask):
    """Node 0's GROUP_AFFINITY: group 0, the one processor."""
    if Node & 0xFFFF != 0:
        p.win32.last_error = 87                         # ERROR_INVALID_PARAMETER
        return 0
    p.mm.write(ProcessorMask, struct.pack("<QH6x" if abi.word(p) == 8 else "<IH6x", 1, 0))
    return 1


ALL_PROCESSOR_GROUPS = 0xFFFF


def sys_kernel32_GetActiveProcessorGroupCount(p):
    return 1


def sys_kernel32_GetMaximumProcessorGroupCount(p):
    return 1


def sys_kernel32_GetMaximumProcessorCount(p, GroupNumber):
    """The one processor, in group 0 or all groups; another group has none."""
    return 1 if GroupNumber & 0xFFFF in (0, ALL_PROCESSOR_GROUPS) else 0


def sys_kernel32_WTSGetActiveConsoleSessionId(p):
    """The console's session: 1, where an interactive user's programs run (0 is services')."""
    return 1


def sys_kernel32_CheckRemoteDebuggerPresent(p, hProcess, pbDebuggerPresent):
    """No debugger attaches to a process the way Windows' do (sysvec's gdb server is the
    machine's own)."""
    if not pbDebuggerPresent:
        p.win32.last_error = 87
        return 0
    p.mm.write_u32(pbDebuggerPresent, 0)
    return 1


def sys_kernel32_SetThreadExecutionState(p, esFlags):
    """Recorded (the machine never sleeps); the previous state back, ES_CONTINUOUS's one
    kept until changed."""
    ES_CONTINUOUS = 0x80000000
    previous = p.win32.strings.get("execution state", ES_CONTINUOUS)
    if esFlags & ES_CONTINUOUS:
        p.win32.strings["execution state"] = esFlags & 0xFFFFFFFF
    return previous


def _accessible(p, address: int, size: int, write: bool) -> bool:
    """Whether [address, address + size) is mapped, readable (and writable when asked)."""
    size &= (1 << p.sysvec.word_bits) - 1
    if size == 0:
        return True
    if not address or address + size > 1 << p.sysvec.word_bits:
        return False
    prot = 0x3 if write else 0x1                # PROT_READ | PROT_WRITE, PROT_READ
    return p.mm.grants(address, address + size, prot)


def sys_kernel32_IsBadReadPtr(p, lp, ucb):
    return int(not _accessible(p, lp, ucb, False))


def sys_kernel32_IsBadWritePtr(p, lp, ucb):
    return int(not _accessible(p, lp, ucb, True))


IMAGE_FILE_MACHINE_UNKNOWN = 0


def sys_kernel32_IsWow64Process2(p, hProcess, pProcessMachine, pNativeMachine):
    """No process runs under WOW64 (IsWow64Process's answer): the process's machine is
    IMAGE_FILE_MACHINE_UNKNOWN and the native one its own."""
    p.mm.write(pProcessMachine, struct.pack("<H", IMAGE_FILE_MACHINE_UNKNOWN))
    if pNativeMachine:
        p.mm.write(pNativeMachine, struct.pack("<H", 0x8664 if abi.word(p) == 8 else 0x14C))
    return 1


def sys_kernel32_GetProcessMitigationPolicy(p, hProcess, MitigationPolicy, lpBuffer, dwLength):
    """No mitigation policy is on: each policy's flags are zero. A policy class past the
    ones Windows 10 knows is ERROR_INVALID_PARAMETER."""
    if MitigationPolicy & 0xFFFFFFFF > 17 or dwLength == 0:
        p.win32.last_error = 87
        return 0
    p.mm.write(lpBuffer, b"\0" * min(dwLength & 0xFFFFFFFF, 64))
    return 1
