"""kernel32.dll: console and file I/O, process exit, memory and heap, time. File and memory
work goes through NT services (nt_call), so the trace shows them as on Windows."""
from __future__ import annotations

import struct
import time

from ..errors import KernelError
from ..nt import abi
from ..nt.paths import dos_device, win32_to_nt
from ..nt.reparse import FILE_OPEN_REPARSE_POINT
from ..nt.files import FILE_DELETE_ON_CLOSE, FILE_OPENED, FILE_OVERWRITTEN, GENERIC_WRITE
from ..nt.memory import MEM_RELEASE
from ..nt.sharing import DELETE
from ..nt.status import STATUS_END_OF_FILE, STATUS_OBJECT_NAME_COLLISION
from .ntcall import nt_call, set_last_error_from
from .wide import read_str
from .state import Win32Process
from .stdout import flush_all, flush_for_handle

INVALID_HANDLE_VALUE = 0xFFFFFFFFFFFFFFFF
STD_HANDLES = {0xFFFFFFF6: 0, 0xFFFFFFF5: 1, 0xFFFFFFF4: 2}   # -10, -11, -12
DISPOSITIONS = {1: 2, 2: 5, 3: 1, 4: 3, 5: 4}   # CREATE_NEW.. -> FILE_CREATE..
CREATE_ALWAYS, OPEN_ALWAYS = 2, 4
ERROR_FILE_EXISTS, ERROR_ALREADY_EXISTS = 80, 183


def _invalid(p) -> int:
    return INVALID_HANDLE_VALUE & ((1 << p.sysvec.word_bits) - 1)


def sys_kernel32_GetStdHandle(p, nStdHandle):
    replaced = p.win32.std_handles.get(nStdHandle & 0xFFFFFFFF)
    if replaced is not None:
        return replaced
    fd = STD_HANDLES.get(nStdHandle & 0xFFFFFFFF)
    if fd is None or fd not in p.fds.fds:
        p.win32.last_error = 6
        return _invalid(p)
    return abi.handle_of_fd(fd)


ERROR_HANDLE_EOF = 38


def _io(p, nt_name, handle, buffer, length, count_out, overlapped=0):
    """ReadFile/WriteFile through the NT service; an OVERLAPPED gives the file offset (its
    Offset/OffsetHigh after two pointer-sized words), as kernelbase passes it."""
    flush_for_handle(p, handle)   # keep msvcrt's buffered output in order with direct I/O
    scratch = p.win32.scratch
    offset = overlapped + 2 * abi.word(p) if overlapped else 0
    status = nt_call(p, nt_name, handle, 0, 0, 0, scratch, buffer, length, offset, 0)
    done = 0
    if status == 0:
        done = abi.read_ptr(p, scratch + abi.word(p))
    elif nt_name == "NtReadFile" and status == STATUS_END_OF_FILE and overlapped:
        p.win32.last_error = ERROR_HANDLE_EOF      # a read at an offset past the end
        if count_out:
            p.mm.write_u32(count_out, 0)
        return 0
    elif not (nt_name == "NtReadFile" and status == STATUS_END_OF_FILE):
        set_last_error_from(p, status)
        if count_out:    # a warning (a message longer than the buffer) still read its bytes
            p.mm.write_u32(count_out, _last_count(p) if status >> 30 == 2 else 0)
        return 0
    if count_out:
        p.mm.write_u32(count_out, done)
    return 1


def _last_count(p) -> int:
    """The byte count of the I/O _io just did (its IO_STATUS_BLOCK's Information)."""
    return abi.read_ptr(p, p.win32.scratch + abi.word(p)) & 0xFFFFFFFF


def sys_kernel32_WriteFile(p, hFile, lpBuffer, nNumberOfBytesToWrite, lpNumberOfBytesWritten,
                           lpOverlapped):
    if lpOverlapped:
        from .kernel32_iocp import begin
        begin(p, lpOverlapped)
    done = _io(p, "NtWriteFile", hFile, lpBuffer, nNumberOfBytesToWrite, lpNumberOfBytesWritten,
               lpOverlapped)
    if done and lpOverlapped:
        # Done at once, and still a completion for the handle's port, as Windows queues one
        # (libuv waits for it before it shuts a pipe down).
        from .kernel32_pipe import complete_overlapped
        complete_overlapped(p, hFile, lpOverlapped, _last_count(p))
    return done


def sys_kernel32_ReadFile(p, hFile, lpBuffer, nNumberOfBytesToRead, lpNumberOfBytesRead,
                          lpOverlapped):
    if lpOverlapped:
        from .kernel32_iocp import begin
        from .kernel32_pipe import overlapped_read
        begin(p, lpOverlapped)
        done = overlapped_read(p, hFile, lpBuffer, nNumberOfBytesToRead, lpNumberOfBytesRead,
                               lpOverlapped)
        if done is not None:
            return done
    done = _io(p, "NtReadFile", hFile, lpBuffer, nNumberOfBytesToRead, lpNumberOfBytesRead,
               lpOverlapped)
    if done and lpOverlapped:      # a file read at the OVERLAPPED's offset: done, and posted
        from .kernel32_pipe import complete_overlapped
        complete_overlapped(p, hFile, lpOverlapped, _last_count(p))
    return done


def sys_kernel32_CloseHandle(p, hObject):
    from .kernel32_sync import close_sync_handle, is_sync_handle
    if is_sync_handle(p, hObject):
        close_sync_handle(p, hObject)
        return 1
    flush_for_handle(p, hObject, stdout=False)      # a C runtime stream's last bytes
    status = nt_call(p, "NtClose", hObject)
    if status:
        set_last_error_from(p, status)
        return 0
    p.win32.pushback.pop(abi.fd_of_handle(hObject), None)   # the C runtime's ungetc bytes
    return 1


def sys_kernel32_ExitProcess(p, uExitCode):
    """The calling thread's FLS callbacks run first (the C runtime frees its per-thread
    data in them), then the DLLs' DllMains with DLL_PROCESS_DETACH, then the process ends."""
    from .kernel32_startup import run_fls_callbacks

    from .kernel32_library import detach_all

    def terminate() -> int:
        flush_all(p)                    # as msvcrt's and ucrtbase's detach flush streams
        current = (1 << p.sysvec.word_bits) - 1
        nt_call(p, "NtTerminateProcess", current, uExitCode)
        return 0
    return run_fls_callbacks(p, lambda: detach_all(p, terminate))


def sys_kernel32_GetCommandLineA(p):
    return p.win32.command_line_a


def sys_kernel32_GetLastError(p):
    return p.win32.last_error


def sys_kernel32_SetLastError(p, dwErrCode):
    p.win32.last_error = dwErrCode & 0xFFFFFFFF
    return 0


def sys_kernel32_GetTickCount(p):
    return int(time.monotonic() * 1000) & 0xFFFFFFFF


def sys_kernel32_Sleep(p, dwMilliseconds):
    scratch = p.win32.scratch
    abi.write_i64(p, scratch, -10_000 * dwMilliseconds)
    nt_call(p, "NtDelayExecution", 0, scratch)
    return 0


def sys_kernel32_VirtualAlloc(p, lpAddress, dwSize, flAllocationType, flProtect):
    return sys_kernel32_VirtualAllocEx(p, sys_kernel32_GetCurrentProcess(p), lpAddress,
                                       dwSize, flAllocationType, flProtect)


def sys_kernel32_VirtualAllocEx(p, hProcess, lpAddress, dwSize, flAllocationType, flProtect):
    """In this process or (a handle to) another of the same width."""
    scratch, w = p.win32.scratch, abi.word(p)
    abi.write_ptr(p, scratch, lpAddress)
    abi.write_ptr(p, scratch + w, dwSize)
    status = nt_call(p, "NtAllocateVirtualMemory", hProcess, scratch, 0,
                     scratch + w, flAllocationType & 0xFFFFFFFF, flProtect & 0xFFFFFFFF)
    if status:
        set_last_error_from(p, status)
        return 0
    return abi.read_ptr(p, scratch)


def sys_kernel32_VirtualFree(p, lpAddress, dwSize, dwFreeType):
    return sys_kernel32_VirtualFreeEx(p, sys_kernel32_GetCurrentProcess(p), lpAddress, dwSize,
                                      dwFreeType)


def sys_kernel32_VirtualFreeEx(p, hProcess, lpAddress, dwSize, dwFreeType):
    """As kernelbase: MEM_RELEASE frees a whole region (size 0), and nothing else with it."""
    if dwFreeType & 0xFFFFFFFF == MEM_RELEASE and dwSize:
        p.win32.last_error = 87      # ERROR_INVALID_PARAMETER
        return 0
    scratch, w = p.win32.scratch, abi.word(p)
    abi.write_ptr(p, scratch, lpAddress)
    abi.write_ptr(p, scratch + w, dwSize)
    status = nt_call(p, "NtFreeVirtualMemory", hProcess, scratch, scratch + w, dwFreeType)
    if status:
        set_last_error_from(p, status)
        return 0
    return 1


def sys_kernel32_GetProcessHeap(p):
    return p.win32.heap.handle


def sys_kernel32_HeapAlloc(p, hHeap, dwFlags, dwBytes):
    return p.win32.heap.alloc(dwBytes, zero=bool(dwFlags & 0x8))


def sys_kernel32_HeapFree(p, hHeap, dwFlags, lpMem):
    return int(p.win32.heap.free(lpMem))


def sys_kernel32_CreateFileA(p, lpFileName, dwDesiredAccess, dwShareMode, lpSecurityAttributes,
                             dwCreationDisposition, dwFlagsAndAttributes, hTemplateFile):
    try:
        name = read_str(p, lpFileName, False)
    except KernelError:         # ENAMETOOLONG: no NUL in the first 64 Ki bytes
        p.win32.last_error = ERROR_FILENAME_EXCED_RANGE
        return _invalid(p)
    return create_file(p, name, dwDesiredAccess, dwShareMode, dwCreationDisposition,
                       dwFlagsAndAttributes, inherit_of(p, lpSecurityAttributes))


def inherit_of(p, lpSecurityAttributes: int) -> bool:
    """SECURITY_ATTRIBUTES.bInheritHandle (after nLength and the descriptor pointer); no
    attributes: not inherited."""
    if not lpSecurityAttributes:
        return False
    return bool(p.mm.read_u32(lpSecurityAttributes + 2 * abi.word(p)))


FILE_FLAG_BACKUP_SEMANTICS, FILE_FLAG_OVERLAPPED = 0x02000000, 0x40000000
FILE_FLAG_DELETE_ON_CLOSE = 0x04000000
FILE_SYNCHRONOUS_IO_NONALERT = 0x20
OBJ_INHERIT, OBJ_CASE_INSENSITIVE = 0x2, 0x40
MAX_NAME_BYTES = 0xFFFE            # a UNICODE_STRING's Length is 16 bits, even
ERROR_PATH_NOT_FOUND, ERROR_FILENAME_EXCED_RANGE = 3, 206


def create_file(p, name: str, dwDesiredAccess, dwShareMode, dwCreationDisposition,
                dwFlagsAndAttributes, inherit: bool = False) -> int:
    """CreateFile over NtCreateFile: a handle (inheritable when asked: OBJ_INHERIT), or
    INVALID_HANDLE_VALUE with the error set."""
    # DWORDs: on x64 the upper half of their register or stack slot is whatever was there.
    dwDesiredAccess, dwShareMode = dwDesiredAccess & 0xFFFFFFFF, dwShareMode & 0xFFFFFFFF
    dwFlagsAndAttributes &= 0xFFFFFFFF
    dwCreationDisposition &= 0xFFFFFFFF
    if not name:                    # RtlDosPathNameToNtPathName_U refuses an empty path
        p.win32.last_error = ERROR_PATH_NOT_FOUND
        return _invalid(p)
    device = dos_device(name)       # NUL, \\.\NUL, C:\any\NUL, CON ...
    if device is not None:
        return _device(p, "CONOUT$" if device == "CON" and dwDesiredAccess & GENERIC_WRITE
                       else "CONIN$" if device == "CON" else device, inherit)
    from .kernel32_pipe import open_pipe_client, pipe_key
    overlapped = bool(dwFlagsAndAttributes & FILE_FLAG_OVERLAPPED)
    if pipe_key(name) is not None:
        handle = open_pipe_client(p, name, overlapped)
        return _invalid(p) if handle is None else handle
    nt_name = win32_to_nt(name, p.win32.cwd).encode("utf-16-le")
    if len(nt_name) > MAX_NAME_BYTES:   # more than a UNICODE_STRING holds
        p.win32.last_error = ERROR_FILENAME_EXCED_RANGE
        return _invalid(p)
    scratch, w = p.win32.scratch, abi.word(p)
    object_attributes = OBJ_CASE_INSENSITIVE | (OBJ_INHERIT if inherit else 0)
    # scratch: [handle][iosb 2w][UNICODE_STRING][OBJECT_ATTRIBUTES][name]
    ustr, oattr, text = scratch + 4 * w, scratch + 8 * w, scratch + 16 * w
    p.mm.write(text, nt_name)
    if w == 8:
        p.mm.write(ustr, struct.pack("<HH4xQ", len(nt_name), len(nt_name), text))
        p.mm.write(oattr, struct.pack("<I4xQQI4xQQ", 48, 0, ustr, object_attributes, 0, 0))
    else:
        p.mm.write(ustr, struct.pack("<HHI", len(nt_name), len(nt_name), text))
        p.mm.write(oattr, struct.pack("<IIIIII", 24, 0, ustr, object_attributes, 0, 0))
    disposition = DISPOSITIONS.get(dwCreationDisposition)
    if disposition is None:
        p.win32.last_error = 87
        return _invalid(p)
    # FILE_NON_DIRECTORY_FILE, unless FILE_FLAG_BACKUP_SEMANTICS asks for directories too.
    options = 0 if dwFlagsAndAttributes & FILE_FLAG_BACKUP_SEMANTICS else 0x40
    if not overlapped:              # as kernelbase: synchronous I/O unless asked otherwise
        options |= FILE_SYNCHRONOUS_IO_NONALERT
    if dwFlagsAndAttributes & FILE_OPEN_REPARSE_POINT:   # the link itself (nt/reparse.py)
        options |= FILE_OPEN_REPARSE_POINT
    if dwFlagsAndAttributes & FILE_FLAG_DELETE_ON_CLOSE:   # kernelbase asks for DELETE too
        options |= FILE_DELETE_ON_CLOSE
        dwDesiredAccess |= DELETE
    status = nt_call(p, "NtCreateFile", scratch, dwDesiredAccess, oattr, scratch + w, 0,
                     dwFlagsAndAttributes, dwShareMode, disposition, options, 0, 0)
    if status:
        set_last_error_from(p, status)
        if status == STATUS_OBJECT_NAME_COLLISION:   # CREATE_NEW on an existing file
            p.win32.last_error = ERROR_FILE_EXISTS
        return _invalid(p)
    # OPEN_ALWAYS and CREATE_ALWAYS say whether the file was there before (kernelbase)
    existed = abi.read_ptr(p, scratch + 2 * w) in (FILE_OPENED, FILE_OVERWRITTEN)
    p.win32.last_error = ERROR_ALREADY_EXISTS if existed and dwCreationDisposition in (
        CREATE_ALWAYS, OPEN_ALWAYS) else 0
    return abi.read_ptr(p, scratch)


def _device(p, name: str, inherit: bool) -> int:
    """The console names open the console; NUL opens /dev/null."""
    fd = {"CONIN$": 0, "CONOUT$": 1}.get(name)
    new = _console(p, fd) if fd is not None else None
    if new is not None:
        from .kernel32_console import set_console_role
        set_console_role(p, new, fd == 0)
        p.fds.set_cloexec(new, not inherit)
        return abi.handle_of_fd(new)
    try:
        f = p.kernel.fs.open("/", "/dev/null", 2, 0, p)
        return abi.handle_of_fd(p.fds.install(f, cloexec=not inherit))
    except Exception:   # a root without /dev/null
        p.win32.last_error = 2
        return _invalid(p)


def _console(p, fd: int) -> int | None:
    """A new descriptor for the console, whatever standard input or output (fd) was
    redirected to: the session's terminal when it has one (a prompt on CONOUT$ and its
    answer from CONIN$ with stdio on files); without one, the standard handle's file."""
    if getattr(p.fds.get(fd), "tty", None) is None:
        try:
            return p.fds.install(p.kernel.fs.open("/", "/dev/tty", 2, 0, p))
        except Exception:   # KernelError: no controlling terminal (ENXIO), no /dev/tty
            pass
    return p.fds.dup(fd) if fd in p.fds.fds else None


# Every Windows process has these mapped, whether or not its program imports them.
ALWAYS_LOADED = {"ntdll", "kernel32"}


def _module_base(p, name: str | None) -> int:
    """A mapped module's base by name (API-set contracts resolved; 0: none); ntdll and
    kernel32 are mapped on first need, as every Windows process has them."""
    from .apisets import resolve
    from .kernel32_library import module_named
    if not name:
        return p.win32.image_base
    base = module_named(p, name)
    if not base:
        key = resolve(name.replace("/", "\\").rsplit("\\", 1)[-1])
        if key in ALWAYS_LOADED:
            found = _load_generated(p, key)
            base = found[0] if found else 0
    return base


def _load_generated(p, key: str):
    """Map a DLL tblc generated for this platform into the process (no imports, no
    relocations: it lands at its own base or not at all)."""
    from ..binfmt.pe import map_image
    from ..errors import ExecError
    from ..nt.ldr import sync
    cache = p.sysvec.personality.machine(p.kernel).dll_caches.get(p.sysvec.platform)
    found = cache.get(key) if cache is not None else None
    if found is None:
        return None
    pe, data, exports = found
    path = f"C:\\Windows\\System32\\{key}.dll"
    try:
        base = map_image(p.mm, pe, data, path)
    except ExecError:
        return None
    p.win32.modules[key] = (base, exports)
    p.win32.module_paths[base] = path
    sync(p)                                 # PEB->Ldr's lists
    return p.win32.modules[key]


def sys_kernel32_GetModuleHandleA(p, lpModuleName):
    name = p.mm.read_cstr(lpModuleName).decode("latin-1") if lpModuleName else None
    base = _module_base(p, name)
    if not base:
        p.win32.last_error = 126   # ERROR_MOD_NOT_FOUND
    return base


def sys_kernel32_GetModuleHandleW(p, lpModuleName):
    name = None
    if lpModuleName:
        raw = bytearray()
        while len(raw) < 1024:
            ch = p.mm.read(lpModuleName + len(raw), 2)
            if ch == b"\0\0":
                break
            raw += ch
        name = raw.decode("utf-16-le", errors="replace")
    base = _module_base(p, name)
    if not base:
        p.win32.last_error = 126
    return base


def sys_kernel32_GetProcAddress(p, hModule, lpProcName):
    modules = list(p.win32.modules.values())
    program = p.win32.program_module
    if program is not None:     # the program's own exports (node's napi_* for its addons)
        modules.insert(0, (program.base, program.exports))
    for base, exports in modules:
        if base == hModule:
            name = f"#{lpProcName}" if lpProcName < 0x10000 else \
                p.mm.read_cstr(lpProcName).decode("latin-1")     # by ordinal or by name
            rva = exports.get(name)
            if rva is not None:
                return base + rva
    p.win32.last_error = 127   # ERROR_PROC_NOT_FOUND
    return 0


def sys_kernel32_GetStartupInfoA(p, lpStartupInfo):
    """STARTUPINFOA has STARTUPINFOW's layout (its strings, all NULL here, are narrow)."""
    from .kernel32_startup import sys_kernel32_GetStartupInfoW
    return sys_kernel32_GetStartupInfoW(p, lpStartupInfo)


def sys_kernel32_IsDBCSLeadByteEx(p, CodePage, TestChar):
    return 0


def sys_kernel32_MultiByteToWideChar(p, CodePage, dwFlags, lpMultiByteStr, cbMultiByte,
                                     lpWideCharStr, cchWideChar):
    raw = p.mm.read_cstr(lpMultiByteStr, 1 << 20) + b"\0" if cbMultiByte == -1 else \
        p.mm.read(lpMultiByteStr, cbMultiByte)
    text = raw.decode("utf-8" if CodePage == 65001 else "latin-1", errors="replace")
    wide = text.encode("utf-16-le")
    if cchWideChar == 0:
        return len(wide) // 2
    if len(wide) // 2 > cchWideChar:
        p.win32.last_error = 122   # ERROR_INSUFFICIENT_BUFFER
        return 0
    p.mm.write(lpWideCharStr, wide)
    return len(wide) // 2


def sys_kernel32_WideCharToMultiByte(p, CodePage, dwFlags, lpWideCharStr, cchWideChar,
                                     lpMultiByteStr, cbMultiByte, lpDefaultChar,
                                     lpUsedDefaultChar):
    cch = cchWideChar   # an `int` in the table: already signed
    if cch < 0:
        raw = bytearray()
        while True:
            ch = p.mm.read(lpWideCharStr + len(raw), 2)
            raw += ch
            if ch == b"\0\0":
                break
    else:
        raw = p.mm.read(lpWideCharStr, 2 * cch)
    text = bytes(raw).decode("utf-16-le", errors="replace")
    data = text.encode("utf-8" if CodePage == 65001 else "latin-1", errors="replace")
    if cbMultiByte == 0:
        return len(data)
    if len(data) > cbMultiByte:
        p.win32.last_error = 122
        return 0
    p.mm.write(lpMultiByteStr, data)
    return len(data)


def sys_kernel32_SetUnhandledExceptionFilter(p, lpTopLevelExceptionFilter):
    old = p.win32.exception_filter
    p.win32.exception_filter = lpTopLevelExceptionFilter
    return old


def sys_kernel32_TlsAlloc(p):
    used = p.win32.tls_used   # indexes are the process's
    index = next(i for i in range(len(used) + 1) if i not in used)
    used.add(index)
    for thread in p.group:     # a new slot reads 0 in every thread
        if Win32Process.of(thread) is not None:
            thread.win32.tls_slots.pop(index, None)
    return index


def sys_kernel32_TlsGetValue(p, dwTlsIndex):
    p.win32.last_error = 0
    return p.win32.tls_slots.get(dwTlsIndex, 0)


def sys_kernel32_TlsSetValue(p, dwTlsIndex, lpTlsValue):
    p.win32.tls_slots[dwTlsIndex] = lpTlsValue
    return 1


def sys_kernel32_VirtualProtect(p, lpAddress, dwSize, flNewProtect, lpflOldProtect):
    return sys_kernel32_VirtualProtectEx(p, sys_kernel32_GetCurrentProcess(p), lpAddress,
                                         dwSize, flNewProtect, lpflOldProtect)


def sys_kernel32_VirtualProtectEx(p, hProcess, lpAddress, dwSize, flNewProtect, lpflOldProtect):
    scratch, w = p.win32.scratch, abi.word(p)
    abi.write_ptr(p, scratch, lpAddress)
    abi.write_ptr(p, scratch + w, dwSize)
    status = nt_call(p, "NtProtectVirtualMemory", hProcess, scratch, scratch + w,
                     flNewProtect & 0xFFFFFFFF, lpflOldProtect)
    if status:
        set_last_error_from(p, status)
        return 0
    return 1


def sys_kernel32_VirtualQuery(p, lpAddress, lpBuffer, dwLength):
    return sys_kernel32_VirtualQueryEx(p, sys_kernel32_GetCurrentProcess(p), lpAddress,
                                       lpBuffer, dwLength)


def sys_kernel32_VirtualQueryEx(p, hProcess, lpAddress, lpBuffer, dwLength):
    scratch = p.win32.scratch
    status = nt_call(p, "NtQueryVirtualMemory", hProcess, lpAddress, 0, lpBuffer, dwLength,
                     scratch)
    if status:
        set_last_error_from(p, status)
        return 0
    return abi.read_ptr(p, scratch)


def sys_kernel32_GetCurrentProcessId(p):
    return p.tgid   # the process; p.pid is the calling thread's id


def sys_kernel32_GetCurrentProcess(p):
    return (1 << p.sysvec.word_bits) - 1


def sys_kernel32_QueryPerformanceCounter(p, lpPerformanceCount):
    status = nt_call(p, "NtQueryPerformanceCounter", lpPerformanceCount, 0)
    return int(status == 0)


def sys_kernel32_GetSystemTimeAsFileTime(p, lpSystemTimeAsFileTime):
    nt_call(p, "NtQuerySystemTime", lpSystemTimeAsFileTime)
    return 0


def sys_kernel32_HeapReAlloc(p, hHeap, dwFlags, lpMem, dwBytes):
    return p.win32.heap.realloc(lpMem, max(dwBytes, 1))   # a 0-byte block stays a block


def sys_kernel32_VirtualAllocExNuma(p, hProcess, lpAddress, dwSize, flAllocationType, flProtect,
                                    nndPreferred):
    """One NUMA node here: VirtualAllocEx."""
    return sys_kernel32_VirtualAllocEx(p, hProcess, lpAddress, dwSize, flAllocationType,
                                       flProtect)


def _no_physical_pages(p, *args) -> int:
    """AWE's physical pages need SeLockMemoryPrivilege, which no process here holds (the
    JVM then goes on without large pages)."""
    p.win32.last_error = 1314                   # ERROR_PRIVILEGE_NOT_HELD
    return 0


def sys_kernel32_AllocateUserPhysicalPages(p, hProcess, NumberOfPages, PageArray):
    return _no_physical_pages(p)


def sys_kernel32_FreeUserPhysicalPages(p, hProcess, NumberOfPages, PageArray):
    return _no_physical_pages(p)


def sys_kernel32_MapUserPhysicalPages(p, VirtualAddress, NumberOfPages, PageArray):
    return _no_physical_pages(p)


def sys_kernel32_IsDBCSLeadByte(p, TestChar):
    return 0        # the ANSI code page is single-byte
