"""What a process learns about its modules and programs (psapi's EnumProcessModules,
GetModuleInformation and GetModuleFileNameEx, GetBinaryType), plus the clock calls a
program may make but not change: the system time belongs to the host."""
from __future__ import annotations

import struct

from ..nt import abi
from .wide import encode, put_truncated, read_wstr

ERROR_INVALID_HANDLE, ERROR_INSUFFICIENT_BUFFER, ERROR_BAD_EXE_FORMAT = 6, 122, 193
ERROR_PRIVILEGE_NOT_HELD, ERROR_MOD_NOT_FOUND, ERROR_INVALID_PARAMETER = 1314, 126, 87
SCS_32BIT_BINARY, SCS_64BIT_BINARY = 0, 6


def _modules(p) -> list[int]:
    """The program's base first, then each DLL mapped in the process."""
    return [p.win32.image_base] + [base for base, _ in p.win32.modules.values()]


def sys_kernel32_K32EnumProcessModules(p, hProcess, lphModule, cb, lpcbNeeded):
    bases, word = _modules(p), abi.word(p)
    room = (cb & 0xFFFFFFFF) // word
    for i, base in enumerate(bases[:room]):
        abi.write_ptr(p, lphModule + i * word, base)
    p.mm.write_u32(lpcbNeeded, len(bases) * word)
    return 1


def sys_kernel32_K32EnumProcessModulesEx(p, hProcess, lphModule, cb, lpcbNeeded, dwFilterFlag):
    """Every module of a process is of its own width: the filter (32-bit, 64-bit, all)
    keeps them all (numba's llvmlite and zig call it)."""
    if dwFilterFlag & 0xFFFFFFFF > 3:               # LIST_MODULES_ALL
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    return sys_kernel32_K32EnumProcessModules(p, hProcess, lphModule, cb, lpcbNeeded)


def sys_kernel32_K32GetModuleInformation(p, hProcess, hModule, lpmodinfo, cb):
    """MODULEINFO: base, SizeOfImage, entry point."""
    from ..binfmt.pe import image_size
    base = hModule or p.win32.image_base
    if base not in _modules(p):
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    word = abi.word(p)
    if (cb & 0xFFFFFFFF) < 3 * word:
        p.win32.last_error = ERROR_INSUFFICIENT_BUFFER
        return 0
    pe_at = base + p.mm.read_u32(base + 0x3C)
    entry_rva = p.mm.read_u32(pe_at + 24 + 16)
    fmt = "<QI4xQ" if word == 8 else "<III"
    p.mm.write(lpmodinfo, struct.pack(fmt, base, image_size(p, base),
                                      base + entry_rva if entry_rva else 0))
    return 1


def sys_kernel32_K32GetModuleFileNameExW(p, hProcess, hModule, lpFilename, nSize):
    return _module_file_name_ex(p, hModule, lpFilename, nSize, True)


MAPPED_NAME_ROOM = 0x1000       # bytes for NtQueryVirtualMemory's UNICODE_STRING and name


def _mapped_file_name(p, hProcess, lpv, lpFilename, nSize, wide: bool) -> int:
    """GetMappedFileName: the NT path (\\Device\\HarddiskVolume1\\...) of the image or file
    mapped at lpv, through NtQueryVirtualMemory's MemoryMappedFilenameInformation."""
    from .ntcall import nt_call, set_last_error_from
    word = abi.word(p)
    block = p.win32.heap.alloc(MAPPED_NAME_ROOM)
    try:
        status = nt_call(p, "NtQueryVirtualMemory", hProcess, lpv, 2, block, MAPPED_NAME_ROOM, 0)
        if status:
            set_last_error_from(p, status)
            return 0
        length = struct.unpack("<H", p.mm.read(block, 2))[0]
        name = p.mm.read(abi.read_ptr(p, block + word), length).decode("utf-16-le")
    finally:
        p.win32.heap.free(block)
    # As much as fits; a name that does not fit is cut without a NUL (ERROR_INSUFFICIENT_BUFFER)
    unit, size = 2 if wide else 1, nSize & 0xFFFFFFFF
    data = encode(name, wide)
    chars = len(data) // unit
    if chars >= size:
        p.mm.write(lpFilename, data[:unit * size])
        p.win32.last_error = ERROR_INSUFFICIENT_BUFFER
        return size
    p.mm.write(lpFilename, data + bytes(unit))
    return chars


def sys_kernel32_K32GetMappedFileNameW(p, hProcess, lpv, lpFilename, nSize):
    return _mapped_file_name(p, hProcess, lpv, lpFilename, nSize, True)


def sys_kernel32_K32GetMappedFileNameA(p, hProcess, lpv, lpFilename, nSize):
    return _mapped_file_name(p, hProcess, lpv, lpFilename, nSize, False)


def _query_working_set(p, hProcess, pv, cb, information_class: int) -> int:
    """QueryWorkingSet(Ex): NtQueryVirtualMemory's working set classes, failing as Windows'
    do (a short buffer is ERROR_BAD_LENGTH, with the count written when it fits)."""
    from .ntcall import nt_call, set_last_error_from
    status = nt_call(p, "NtQueryVirtualMemory", hProcess, 0, information_class, pv, cb, 0)
    if status:
        set_last_error_from(p, status)
        return 0
    return 1


def sys_kernel32_K32QueryWorkingSet(p, hProcess, pv, cb):
    return _query_working_set(p, hProcess, pv, cb, 1)       # MemoryWorkingSetInformation


def sys_kernel32_K32QueryWorkingSetEx(p, hProcess, pv, cb):
    return _query_working_set(p, hProcess, pv, cb, 4)       # MemoryWorkingSetExInformation


def _module_file_name_ex(p, hModule, buffer, size, wide: bool, base: bool = False) -> int:
    from .kernel32_system import module_file_name
    name = module_file_name(p, hModule)
    if name is None:
        p.win32.last_error = ERROR_MOD_NOT_FOUND
        return 0
    return put_truncated(p, name.rsplit("\\", 1)[-1] if base else name, buffer, size, wide)


def sys_kernel32_K32GetModuleBaseNameW(p, hProcess, hModule, lpBaseName, nSize):
    """The module's file name without its folder (NULL: the program's)."""
    return _module_file_name_ex(p, hModule, lpBaseName, nSize, True, base=True)


def sys_kernel32_K32GetModuleBaseNameA(p, hProcess, hModule, lpBaseName, nSize):
    return _module_file_name_ex(p, hModule, lpBaseName, nSize, False, base=True)


def sys_kernel32_GetBinaryTypeW(p, lpApplicationName, lpBinaryType):
    """SCS_64BIT_BINARY or SCS_32BIT_BINARY for a PE program; anything else (an ELF file,
    a script) is ERROR_BAD_EXE_FORMAT."""
    from .kernel32_files import _by_name
    head = []

    def read(path: str) -> None:
        f = p.kernel.fs.open("/", path, 0, 0, p)
        try:
            head.append(f.pread(4096, 0))
        finally:
            f.decref()
    if not _by_name(p, read_wstr(p, lpApplicationName), read):
        return 0
    data = head[0]
    kind = None
    if data[:2] == b"MZ" and len(data) >= 0x40:
        pe = struct.unpack_from("<I", data, 0x3C)[0]
        if pe + 26 <= len(data) and data[pe:pe + 4] == b"PE\0\0":
            magic = struct.unpack_from("<H", data, pe + 24)[0]
            kind = SCS_64BIT_BINARY if magic == 0x20B else SCS_32BIT_BINARY
    if kind is None:
        p.win32.last_error = ERROR_BAD_EXE_FORMAT
        return 0
    p.mm.write_u32(lpBinaryType, kind)
    return 1


def sys_kernel32_SetSystemTime(p, lpSystemTime):
    """The machine's clock is the host's: a guest may not set it."""
    p.win32.last_error = ERROR_PRIVILEGE_NOT_HELD
    return 0


sys_kernel32_SetLocalTime = sys_kernel32_SetSystemTime


def sys_kernel32_GetSystemTimeAdjustment(p, lpTimeAdjustment, lpTimeIncrement,
                                         lpTimeAdjustmentDisabled):
    """No adjustment: the clock advances 15.625 ms (156250 x 100 ns) a tick."""
    for out, value in ((lpTimeAdjustment, 156250), (lpTimeIncrement, 156250),
                       (lpTimeAdjustmentDisabled, 1)):
        if out:
            p.mm.write_u32(out, value)
    return 1


def sys_kernel32_GetNumaHighestNodeNumber(p, HighestNodeNumber):
    p.mm.write_u32(HighestNodeNumber, 0)        # one node
    return 1


def sys_kernel32_DebugBreak(p):
    """EXCEPTION_BREAKPOINT raised where the program called (a debugger's stop; with none,
    the program's handlers or the end of the process)."""
    from .seh import STATUS_BREAKPOINT, sys_kernel32_RaiseException
    if abi.word(p) == 8:
        return sys_kernel32_RaiseException(p, STATUS_BREAKPOINT, 0, 0, 0)
    from .seh_i386 import raise_exception
    return raise_exception(p, STATUS_BREAKPOINT, 0, 0, 0, stub_args=0)


def sys_kernel32_K32GetModuleFileNameExA(p, hProcess, hModule, lpFilename, nSize):
    return _module_file_name_ex(p, hModule, lpFilename, nSize, False)


def _query_image_name(p, hProcess, lpExeName, lpdwSize, wide: bool) -> int:
    """A process's program as a Win32 path; the size in characters (without the NUL) comes
    back, or ERROR_INSUFFICIENT_BUFFER."""
    from .kernel32_process import _process_for
    from .wide import encode
    proc = _process_for(p, hProcess)
    if proc is None or not proc.exe:
        p.win32.last_error = 6                          # ERROR_INVALID_HANDLE
        return 0
    name = "C:" + proc.exe.replace("/", "\\")
    if p.mm.read_u32(lpdwSize) < len(name) + 1:
        p.win32.last_error = 122                        # ERROR_INSUFFICIENT_BUFFER
        return 0
    p.mm.write(lpExeName, encode(name, wide) + b"\0" * (2 if wide else 1))
    p.mm.write_u32(lpdwSize, len(name))
    return 1


def sys_kernel32_QueryFullProcessImageNameW(p, hProcess, dwFlags, lpExeName, lpdwSize):
    return _query_image_name(p, hProcess, lpExeName, lpdwSize, True)


def sys_kernel32_QueryFullProcessImageNameA(p, hProcess, dwFlags, lpExeName, lpdwSize):
    return _query_image_name(p, hProcess, lpExeName, lpdwSize, False)
