"""ntdll's run-time library beside its system services, as programs call it directly: the
version (RtlGetVersion, RtlGetNtVersionNumbers), the PEB, heaps, critical sections, time and
performance counters, paths and the current directory, Unicode strings, the loader
(LdrLoadDll, LdrGetProcedureAddress), activation contexts (none), and thread alerts
(NtAlertThreadByThreadId / NtWaitForAlertByThreadId, Windows 8's, here from the shadow
table). Zig's standard library and Go's runtime call these."""
from __future__ import annotations

import struct

from ..nt import abi
from ..nt.status import (STATUS_ALERTED, STATUS_INVALID_PARAMETER, NtError,
                         STATUS_NAME_TOO_LONG, STATUS_NO_MEMORY, STATUS_OBJECT_NAME_INVALID,
                         STATUS_OBJECT_PATH_NOT_FOUND, STATUS_PROCEDURE_NOT_FOUND,
                         STATUS_SUCCESS, STATUS_TIMEOUT)
from .guestmem import fill

HKEY_CURRENT_USER = 0x80000001


def sys_ntdll_RtlGetNtVersionNumbers(p, MajorVersion, MinorVersion, BuildNumber):
    """The version kernel32 reports, the build number with the top bits of a free (release)
    build, as ntdll gives it."""
    from .kernel32_startup import WINDOWS_VERSION
    major, minor, build = WINDOWS_VERSION
    for addr, value in ((MajorVersion, major), (MinorVersion, minor),
                        (BuildNumber, 0xF0000000 | build)):
        if addr:
            p.mm.write_u32(addr, value)
    return 0


def sys_ntdll_RtlGetCurrentPeb(p):
    return p.win32.peb


def sys_ntdll_RtlGetVersion(p, lpVersionInformation):
    """GetVersionEx's answer (RTL_OSVERSIONINFOW or ...EXW, by the size the caller put in
    it), as an NTSTATUS: Go's runtime reads the build number through it."""
    from .kernel32_startup import _version_ex
    saved = p.win32.last_error
    ok = _version_ex(p, lpVersionInformation, True)
    p.win32.last_error = saved
    return 0 if ok else STATUS_INVALID_PARAMETER


# --- heaps, locks, time, paths, strings, the loader ---------------------------------------

def sys_ntdll_RtlAllocateHeap(p, HeapHandle, Flags, Size):
    from .kernel32 import sys_kernel32_HeapAlloc
    return sys_kernel32_HeapAlloc(p, HeapHandle, Flags, Size)


def sys_ntdll_RtlFreeHeap(p, HeapHandle, Flags, BaseAddress):
    from .kernel32 import sys_kernel32_HeapFree
    return sys_kernel32_HeapFree(p, HeapHandle, Flags, BaseAddress)


def sys_ntdll_RtlEnterCriticalSection(p, CriticalSection):
    from .kernel32_wait import sys_kernel32_EnterCriticalSection
    sys_kernel32_EnterCriticalSection(p, CriticalSection)
    return STATUS_SUCCESS


def sys_ntdll_RtlLeaveCriticalSection(p, CriticalSection):
    from .kernel32_wait import sys_kernel32_LeaveCriticalSection
    sys_kernel32_LeaveCriticalSection(p, CriticalSection)
    return STATUS_SUCCESS


def sys_ntdll_RtlGetSystemTimePrecise(p):
    """The system time as a 64-bit FILETIME value: rax, or edx:eax on i386."""
    value = abi.filetime_now()
    if abi.word(p) == 4:
        from unicorn import x86_const as X
        p.engine.uc.reg_write(X.UC_X86_REG_EDX, value >> 32)
    return value


def sys_ntdll_RtlQueryPerformanceCounter(p, PerformanceCounter):
    from .kernel32 import sys_kernel32_QueryPerformanceCounter
    return sys_kernel32_QueryPerformanceCounter(p, PerformanceCounter)


def sys_ntdll_RtlQueryPerformanceFrequency(p, PerformanceFrequency):
    from .kernel32_system import sys_kernel32_QueryPerformanceFrequency
    return sys_kernel32_QueryPerformanceFrequency(p, PerformanceFrequency)


def sys_ntdll_RtlGetFullPathName_U(p, FileName, BufferLength, Buffer, FilePart):
    """GetFullPathNameW counted in bytes."""
    from .kernel32_files import sys_kernel32_GetFullPathNameW
    return 2 * sys_kernel32_GetFullPathNameW(p, FileName, BufferLength // 2, Buffer, FilePart)


def sys_ntdll_RtlGetCurrentDirectory_U(p, BufferLength, Buffer):
    from .kernel32_files import sys_kernel32_GetCurrentDirectoryW
    return 2 * sys_kernel32_GetCurrentDirectoryW(p, BufferLength // 2, Buffer)


def sys_ntdll_RtlSetCurrentDirectory_U(p, PathName):
    from .kernel32_files import set_current_directory
    saved = p.win32.last_error
    ok = set_current_directory(p, abi.read_unicode_string(p, PathName))
    p.win32.last_error = saved
    return STATUS_SUCCESS if ok else STATUS_OBJECT_PATH_NOT_FOUND


def sys_ntdll_RtlEqualUnicodeString(p, String1, String2, CaseInSensitive):
    a, b = abi.read_unicode_string(p, String1), abi.read_unicode_string(p, String2)
    if CaseInSensitive & 0xFF:
        from .kernel32_locale import case_mapped
        a, b = case_mapped(a, True), case_mapped(b, True)
    return int(a == b)


def sys_ntdll_RtlUpcaseUnicodeChar(p, SourceCharacter):
    from .kernel32_locale import simple_case
    return ord(simple_case(chr(SourceCharacter & 0xFFFF), True))


def sys_ntdll_RtlExitUserProcess(p, ExitStatus):
    from .kernel32 import sys_kernel32_ExitProcess
    return sys_kernel32_ExitProcess(p, ExitStatus)


def sys_ntdll_RtlGetLastNtStatus(p):
    """The NTSTATUS behind the last error is not kept apart from it: success."""
    return STATUS_SUCCESS


def sys_ntdll_LdrGetProcedureAddress(p, ModuleHandle, FunctionName, Ordinal, FunctionAddress):
    """By the ANSI_STRING's name, or by Ordinal when no name is given."""
    if FunctionName:
        if abi.word(p) == 8:
            length, _, buf = struct.unpack("<HH4xQ", p.mm.read(FunctionName, 16))
        else:
            length, _, buf = struct.unpack("<HHI", p.mm.read(FunctionName, 8))
        name = p.mm.read(buf, length).decode("latin-1")
    else:
        name = f"#{Ordinal}"
    for base, exports in p.win32.modules.values():
        if base == ModuleHandle and name in exports:
            abi.write_ptr(p, FunctionAddress, base + exports[name])
            return STATUS_SUCCESS
    return STATUS_PROCEDURE_NOT_FOUND


def sys_ntdll_RtlGetActiveActivationContext(p, ActivationContext):
    """No side-by-side activation contexts here: the active one is the process default."""
    abi.write_ptr(p, ActivationContext, 0)
    return STATUS_SUCCESS


def sys_ntdll_RtlActivateActivationContextEx(p, Flags, Teb, ActivationContext, Cookie):
    if Cookie:
        abi.write_ptr(p, Cookie, 1)
    return STATUS_SUCCESS


def sys_ntdll_RtlReleaseActivationContext(p, ActivationContext):
    return 0


def sys_ntdll_RtlReportSilentProcessExit(p, ProcessHandle, ExitStatus):
    return STATUS_SUCCESS


def sys_ntdll_RtlOpenCurrentUser(p, DesiredAccess, CurrentUserKey):
    """HKEY_CURRENT_USER, the registry's predefined handle (advapi32.py's empty registry)."""
    abi.write_ptr(p, CurrentUserKey, HKEY_CURRENT_USER)
    return STATUS_SUCCESS


# --- thread alerts: NtAlertThreadByThreadId and NtWaitForAlertByThreadId (Windows 8+) ------

def _alerted(p) -> dict:
    return p.win32.thread_local("alerted", lambda: {"set": False})


def sys_ntdll_NtAlertThreadByThreadId(p, ThreadId):
    """Wake the thread if it waits for an alert, or let its next wait return at once."""
    from ..win32.state import Win32Process
    target = next((t for t in p.group if t.pid == ThreadId and t.alive), None)
    state = Win32Process.of(target) if target is not None else None
    if state is None:
        return 0xC000000B        # STATUS_INVALID_CID
    state.thread_local("alerted", lambda: {"set": False})["set"] = True
    return STATUS_SUCCESS


def sys_ntdll_NtWaitForAlertByThreadId(p, Address, Timeout):
    """STATUS_ALERTED once an alert came (it is used up), STATUS_TIMEOUT when the time (100 ns
    units, negative relative) ran out first."""
    import time
    from ..kernel import Block
    flag = _alerted(p)
    if flag["set"]:
        flag["set"] = False
        p.win32.wait_until = None
        return STATUS_ALERTED
    if Timeout:
        if p.win32.wait_until is None:
            seconds = abi.seconds_until(abi.read_i64(p, Timeout))
            p.win32.wait_until = time.monotonic() + seconds
        if time.monotonic() >= p.win32.wait_until:
            p.win32.wait_until = None
            return STATUS_TIMEOUT
    raise Block(lambda: flag["set"], deadline=p.win32.wait_until)


def _init_string(p, dest: int, source: int, unit: int) -> None:
    """A counted string over a NUL-terminated one: Length, MaximumLength (with the NUL),
    Buffer."""
    length = 0
    if source:
        while p.mm.read(source + length, unit) != b"\0" * unit:
            length += unit
    maximum = length + unit if source else 0
    if abi.word(p) == 8:
        p.mm.write(dest, struct.pack("<HH4xQ", length, maximum, source))
    else:
        p.mm.write(dest, struct.pack("<HHI", length, maximum, source))


def sys_ntdll_RtlInitUnicodeString(p, DestinationString, SourceString):
    _init_string(p, DestinationString, SourceString, 2)
    return 0


def sys_ntdll_RtlInitAnsiString(p, DestinationString, SourceString):
    _init_string(p, DestinationString, SourceString, 1)
    return 0


def _dos_to_nt(p, name: str) -> str:
    """RtlDosPathNameToNtPathName's answer: a verbatim or device name as given under the
    \\?? prefix, a UNC name under \\??\\UNC, anything else made absolute against the current
    directory."""
    from ..nt.paths import win32_to_nt
    name = name if name.startswith("\\\\?\\") else name.replace("/", "\\")
    if name.startswith("\\\\") and not name.startswith(("\\\\?\\", "\\\\.\\")):
        return "\\??\\UNC\\" + name[2:]
    nt = win32_to_nt(name, p.win32.cwd)
    return nt + "\\" if name.endswith(("\\", "/")) and not nt.endswith("\\") else nt


def sys_ntdll_RtlDosPathNameToNtPathName_U_WithStatus(p, DosFileName, NtFileName, FilePart,
                                                      RelativeName):
    """The NT name of a DOS path in a UNICODE_STRING whose buffer comes from the process heap
    (RtlFreeUnicodeString frees it), FilePart at its last component; no relative name is
    given (RelativeName zeroed), so callers open the absolute path. filelock opens its lock
    files this way."""
    from .kernel32 import sys_kernel32_HeapAlloc
    from .wide import read_wstr
    if not DosFileName or not NtFileName:
        return STATUS_INVALID_PARAMETER
    name = read_wstr(p, DosFileName)
    if not name:
        return STATUS_OBJECT_NAME_INVALID
    nt = _dos_to_nt(p, name)
    data = nt.encode("utf-16-le")
    if len(data) + 2 > 0xFFFF:
        return STATUS_NAME_TOO_LONG
    buffer = sys_kernel32_HeapAlloc(p, p.win32.heap.handle, 0, len(data) + 2)
    if not buffer:
        return STATUS_NO_MEMORY
    p.mm.write(buffer, data + b"\0\0")
    layout = "<HH4xQ" if abi.word(p) == 8 else "<HHI"
    p.mm.write(NtFileName, struct.pack(layout, len(data), len(data) + 2, buffer))
    if FilePart:
        last = nt.rfind("\\") + 1
        abi.write_ptr(p, FilePart, 0 if last == len(nt) else buffer + 2 * last)
    if RelativeName:     # RTL_RELATIVE_NAME_U: an empty string, no handle, no cursor
        p.mm.write(RelativeName, b"\0" * (4 * abi.word(p)))
    return STATUS_SUCCESS


def sys_ntdll_RtlDosPathNameToNtPathName_U(p, DosFileName, NtFileName, FilePart, RelativeName):
    """The older form: TRUE or FALSE instead of a status."""
    return int(sys_ntdll_RtlDosPathNameToNtPathName_U_WithStatus(
        p, DosFileName, NtFileName, FilePart, RelativeName) == STATUS_SUCCESS)


def sys_ntdll_RtlFreeUnicodeString(p, UnicodeString):
    """Frees a string an Rtl call allocated on the process heap and empties the descriptor."""
    from .kernel32 import sys_kernel32_HeapFree
    if not UnicodeString:
        return 0
    buffer = abi.read_ptr(p, UnicodeString + abi.word(p))
    if buffer:
        sys_kernel32_HeapFree(p, p.win32.heap.handle, 0, buffer)
    p.mm.write(UnicodeString, b"\0" * (2 * abi.word(p)))
    return 0


def sys_ntdll_NtFlushBuffersFileEx(p, FileHandle, Flags, Parameters, ParametersSize,
                                   IoStatusBlock):
    """Windows 10's form (FLUSH_FLAGS_* ask for less than a full flush): as NtFlushBuffersFile."""
    from ..nt.files import sys_NtFlushBuffersFile
    try:
        return sys_NtFlushBuffersFile(p, FileHandle, IoStatusBlock)
    except NtError as exc:
        return exc.status


def sys_ntdll_NtCancelIoFileEx(p, FileHandle, IoRequestToCancel, IoStatusBlock):
    """Vista's call, which the 32-bit table's Windows 2000 numbering has no number for: as
    the 64-bit table's (mio cancels its pending reads with it)."""
    from ..nt.files import sys_NtCancelIoFileEx
    try:
        return sys_NtCancelIoFileEx(p, FileHandle, IoRequestToCancel, IoStatusBlock)
    except NtError as exc:
        return exc.status


IMAGE_DOS_SIGNATURE, IMAGE_NT_SIGNATURE = b"MZ", b"PE\0\0"


def sys_ntdll_RtlImageNtHeader(p, Base):
    """The IMAGE_NT_HEADERS of the image mapped at Base, or NULL when none is there (GraalVM's
    native images find their own headers so)."""
    from ..errors import KernelError
    try:
        if not Base or p.mm.read(Base, 2) != IMAGE_DOS_SIGNATURE:
            return 0
        at = Base + struct.unpack("<I", p.mm.read(Base + 0x3C, 4))[0]
        return at if p.mm.read(at, 4) == IMAGE_NT_SIGNATURE else 0
    except KernelError:            # (a Fault is one) nothing mapped there
        return 0


def _section_of_rva(p, nt_headers: int, rva: int) -> int:
    """RtlImageRvaToSection: the section header whose raw data holds rva, or 0."""
    count, optional = struct.unpack("<H", p.mm.read(nt_headers + 6, 2))[0], \
        struct.unpack("<H", p.mm.read(nt_headers + 20, 2))[0]
    header = nt_headers + 24 + optional
    for _ in range(count):
        va, raw_size = struct.unpack("<II", p.mm.read(header + 12, 8))
        if va <= rva < va + raw_size:
            return header
        header += 40
    return 0


def sys_ntdll_RtlImageRvaToSection(p, NtHeaders, Base, Rva):
    return _section_of_rva(p, NtHeaders, Rva & 0xFFFFFFFF)


def sys_ntdll_RtlImageRvaToVa(p, NtHeaders, Base, Rva, LastRvaSection):
    """Where rva lies in an image mapped as its file (not as an image): Base plus the
    offset of the section's raw data."""
    rva = Rva & 0xFFFFFFFF
    section = _section_of_rva(p, NtHeaders, rva)
    if not section:
        return 0
    if LastRvaSection:
        abi.write_ptr(p, LastRvaSection, section)
    va, _, raw = struct.unpack("<III", p.mm.read(section + 12, 12))
    return Base + rva - va + raw


def sys_ntdll_RtlAddressInSectionTable(p, NtHeaders, Base, Address):
    return sys_ntdll_RtlImageRvaToVa(p, NtHeaders, Base, Address, 0)


IMAGE_DIRECTORY_ENTRIES = 16


def sys_ntdll_RtlImageDirectoryEntryToData(p, Base, MappedAsImage, DirectoryEntry, Size):
    """A data directory's address and size (in an image mapped as a file: through its
    section table), or NULL."""
    nt = sys_ntdll_RtlImageNtHeader(p, Base & ~1)
    base = Base & ~1
    if not nt or DirectoryEntry >= IMAGE_DIRECTORY_ENTRIES:
        return 0
    magic = struct.unpack("<H", p.mm.read(nt + 24, 2))[0]
    directories = nt + 24 + (112 if magic == 0x20B else 96)
    count = struct.unpack("<I", p.mm.read(directories - 4, 4))[0]
    if DirectoryEntry >= count:
        return 0
    rva, size = struct.unpack("<II", p.mm.read(directories + 8 * DirectoryEntry, 8))
    if not rva:
        return 0
    if Size:
        p.mm.write_u32(Size, size)
    if MappedAsImage & 0xFF:
        return base + rva
    return sys_ntdll_RtlImageRvaToVa(p, nt, base, rva, 0)


def sys_ntdll_RtlFillMemory(p, Destination, Length, Fill):
    """Length bytes of Fill (a piece at a time: a huge length writes until it faults)."""
    byte = bytes([Fill & 0xFF])
    fill(p, Destination, Length & ((1 << p.sysvec.word_bits) - 1), lambda n: byte * n)
    return 0


def sys_ntdll_RtlZeroMemory(p, Destination, Length):
    return sys_ntdll_RtlFillMemory(p, Destination, Length, 0)
