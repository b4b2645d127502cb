"""What the start-up code of Microsoft's C runtime asks kernel32 for before `main`: the wide
command line and start-up info, fiber-local storage, SRW locks and condition variables,
critical sections with spin counts, pointer encoding, processor features, interlocked
singly-linked lists, the Windows version, and modules by wide name. A process has one
thread here, so locks never contend and a wait no other thread could end fails at once."""
from __future__ import annotations

import struct

from ..nt import abi
from .kernel32 import _module_base
from .state import Win32Process
from .wide import put_truncated, read_wstr

ERROR_INVALID_PARAMETER, ERROR_MOD_NOT_FOUND, ERROR_TIMEOUT = 87, 126, 1460
ERROR_OLD_WIN_VERSION = 1150
FLS_OUT_OF_INDEXES = 0xFFFFFFFF
# The version kernel32 reports: Windows 10 22H2, whose API the MSVC 2015+ runtimes target.
WINDOWS_VERSION = (10, 0, 19045)
# IsProcessorFeaturePresent: what the emulated CPU has. PF_FASTFAIL_AVAILABLE (23) is left
# out, so the runtime reports failures through UnhandledExceptionFilter, not `int 0x29`.
PROCESSOR_FEATURES = {
    2: "PF_COMPARE_EXCHANGE_DOUBLE", 3: "PF_MMX_INSTRUCTIONS_AVAILABLE",
    6: "PF_XMMI_INSTRUCTIONS_AVAILABLE", 8: "PF_RDTSC_INSTRUCTION_AVAILABLE",
    9: "PF_PAE_ENABLED", 10: "PF_XMMI64_INSTRUCTIONS_AVAILABLE", 12: "PF_NX_ENABLED",
    13: "PF_SSE3_INSTRUCTIONS_AVAILABLE", 14: "PF_COMPARE_EXCHANGE128",
    36: "PF_SSSE3_INSTRUCTIONS_AVAILABLE", 37: "PF_SSE4_1_INSTRUCTIONS_AVAILABLE",
}   # as CPUID reports them (csrc/cpuid.c: no SSE4.2, no AVX)


def sys_kernel32_GetCommandLineW(p):
    return p.win32.command_line_w


STARTF_USESTDHANDLES = 0x100


def sys_kernel32_GetStartupInfoW(p, lpStartupInfo):
    """STARTUPINFOW as the parent's CreateProcess gave it: its flags, the standard handles
    (the child's own) and the C runtime's descriptor block (cbReserved2/lpReserved2)."""
    w = abi.word(p)
    size = 104 if w == 8 else 68
    info = bytearray(struct.pack("<I", size) + b"\0" * (size - 4))
    startup = p.win32.startup
    if startup is None and _redirected(p):
        # tblc's own process: a standard handle that is a pipe or a file was handed to it,
        # as a console's shell hands them (`prog > file`, `prog | more`)
        startup = (STARTF_USESTDHANDLES, b"")
    if startup is not None:
        flags, reserved = startup
        struct.pack_into("<I", info, 60 if w == 8 else 44, flags & STARTF_USESTDHANDLES)
        if reserved:
            at = p.win32.startup_block or p.win32.heap.alloc(len(reserved))
            p.win32.startup_block = at
            p.mm.write(at, reserved)
            struct.pack_into("<H", info, 66 if w == 8 else 50, len(reserved))
            info[72 if w == 8 else 52:(80 if w == 8 else 56)] = at.to_bytes(w, "little")
        if flags & STARTF_USESTDHANDLES:
            handles = b"".join(abi.handle_of_fd(fd).to_bytes(w, "little") for fd in range(3))
            start = 80 if w == 8 else 56
            info[start:start + 3 * w] = handles
    p.mm.write(lpStartupInfo, bytes(info))
    return 0


def _redirected(p) -> bool:
    """Whether a standard descriptor is not the terminal."""
    return any(getattr(p.fds.fds[fd][0], "tty", None) is None
               for fd in range(3) if fd in p.fds.fds)


# --- fiber-local storage: one fiber per thread, so FLS slots behave as TLS slots ------------

def _fls(p) -> dict:
    """The process's FLS indexes and their callbacks."""
    return p.win32.fls


def _fls_values(p) -> dict:
    return p.win32.fls_values


def sys_kernel32_FlsAlloc(p, lpCallback):
    slots = _fls(p)
    index = next(i for i in range(len(slots) + 1) if i not in slots)
    if index >= 4096:
        p.win32.last_error = 8
        return FLS_OUT_OF_INDEXES
    slots[index] = lpCallback
    for thread in p.group:   # a new index reads 0 in every thread
        if Win32Process.of(thread) is not None:
            thread.win32.fls_values.pop(index, None)
    return index


def sys_kernel32_FlsGetValue(p, dwFlsIndex):
    if dwFlsIndex not in _fls(p):
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    p.win32.last_error = 0
    return _fls_values(p).get(dwFlsIndex, 0)


def sys_kernel32_FlsSetValue(p, dwFlsIndex, lpFlsData):
    if dwFlsIndex not in _fls(p):
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    _fls_values(p)[dwFlsIndex] = lpFlsData
    return 1


def sys_kernel32_FlsFree(p, dwFlsIndex):
    if _fls(p).pop(dwFlsIndex, None) is None:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    return 1


def run_fls_callbacks(p, then):
    """A thread is ending: call each FLS callback whose slot holds a value in it, with that
    value, then do then() (which ends the thread or the process)."""
    from . import callback
    values = _fls_values(p)
    pending = [(cb, values.pop(i)) for i, cb in sorted(_fls(p).items())
               if cb and values.get(i)]
    if not pending:
        return then()
    chain = callback.start(p, stdcall_args=1)

    def next_callback(_result=0):
        if pending:
            function, value = pending.pop(0)
            return callback.call(p, chain, function, [value], next_callback)
        return then()
    return next_callback()


# --- one-time initialisation ---------------------------------------------------------------

def sys_kernel32_InitOnceExecuteOnce(p, InitOnce, InitFn, Parameter, Context):
    """Run InitFn(InitOnce, Parameter, Context) unless the word says it completed: the one
    thread that begins runs it (others wait), a TRUE result completes the word with the
    context InitFn stored, a FALSE one leaves it for the next caller to try again."""
    from . import callback
    from .kernel32_once import INIT_ONCE_INIT_FAILED, sys_kernel32_InitOnceBeginInitialize, \
        sys_kernel32_InitOnceComplete
    pending = p.win32.scratch      # InitOnceBeginInitialize's fPending, out of guest view
    if not sys_kernel32_InitOnceBeginInitialize(p, InitOnce, 0, pending, Context):
        return 0
    if not p.mm.read_u32(pending):
        return 1                   # completed before: Context has what it completed with
    chain = callback.start(p, stdcall_args=4)

    def completed(result: int) -> int:
        if result & 0xFFFFFFFF:
            context = abi.read_ptr(p, Context) if Context else 0
            ok = sys_kernel32_InitOnceComplete(p, InitOnce, 0, context)
        else:
            sys_kernel32_InitOnceComplete(p, InitOnce, INIT_ONCE_INIT_FAILED, 0)
            ok = 0
        return callback.finish(p, chain, ok)
    return callback.call(p, chain, InitFn, [InitOnce, Parameter, Context], completed)


# --- pointers, processor, version --------------------------------------------------------

def _cookie(p) -> int:
    """The per-process secret EncodePointer mixes in (Windows keeps it in the PEB)."""
    cookie = p.win32.pointer_cookie
    if cookie is None:
        import os
        cookie = p.win32.pointer_cookie = int.from_bytes(os.urandom(abi.word(p)), "little")
    return cookie


def _rotate(value: int, bits: int, by: int) -> int:
    by %= bits
    mask = (1 << bits) - 1
    return ((value >> by) | (value << (bits - by))) & mask


def sys_kernel32_EncodePointer(p, Ptr):
    bits = 8 * abi.word(p)
    cookie = _cookie(p)
    return _rotate(Ptr ^ cookie, bits, cookie & (bits - 1))


def sys_kernel32_DecodePointer(p, Ptr):
    bits = 8 * abi.word(p)
    cookie = _cookie(p)
    return _rotate(Ptr, bits, bits - (cookie & (bits - 1))) ^ cookie


def sys_kernel32_IsProcessorFeaturePresent(p, ProcessorFeature):
    return int(ProcessorFeature in PROCESSOR_FEATURES)


def sys_kernel32_IsDebuggerPresent(p):
    return 0


def sys_kernel32_InitializeSListHead(p, ListHead):
    p.mm.write(ListHead, b"\0" * (16 if abi.word(p) == 8 else 8))
    return 0


def sys_kernel32_GetVersion(p):
    major, minor, build = WINDOWS_VERSION
    return build << 16 | minor << 8 | major


def sys_kernel32_VerSetConditionMask(p, ConditionMask, TypeMask, Condition):
    """Three bits of condition per VER_* type bit, as winnt.h's VER_SET_CONDITION."""
    mask = ConditionMask
    for bit in range(8):
        if TypeMask & (1 << bit):
            mask |= (Condition & 7) << (3 * bit)
    mask &= 2**64 - 1
    if abi.word(p) == 4:   # a ULONGLONG result: edx:eax
        from unicorn import x86_const as X
        p.engine.uc.reg_write(X.UC_X86_REG_EDX, mask >> 32)
    return mask


# OSVERSIONINFOEX fields VerifyVersionInfo may compare, by VER_* type bit:
# (offset, size) of dwMajorVersion, dwMinorVersion, dwBuildNumber, dwPlatformId,
# wServicePackMajor, wServicePackMinor.
VERSION_FIELDS = {2: (4, 4), 1: (8, 4), 4: (12, 4), 8: (16, 4), 0x20: (None, 2), 0x10: (None, 2)}


def _verify_version(p, info, type_mask, condition_mask, wide: bool) -> int:
    csd = 256 if wide else 128          # szCSDVersion's size
    sp_major = 20 + csd
    major, minor, build = WINDOWS_VERSION
    ours = {2: major, 1: minor, 4: build, 8: 2, 0x20: 0, 0x10: 0}   # VER_PLATFORM_WIN32_NT

    def field(bit):
        offset, size = VERSION_FIELDS[bit]
        if offset is None:
            offset = sp_major + (2 if bit == 0x10 else 0)
        return int.from_bytes(p.mm.read(info + offset, size), "little")

    def holds(bit) -> bool | None:
        cond = (condition_mask >> (3 * (bit.bit_length() - 1))) & 7
        a, b = ours[bit], field(bit)
        return {1: a == b, 2: a > b, 3: a >= b, 4: a < b, 5: a <= b}.get(cond)

    # Major, minor, service pack compare as one version number when asked together.
    ordered = [bit for bit in (2, 1, 0x20, 0x10) if type_mask & bit]
    for bit in ordered:
        if ours[bit] != field(bit) or bit == ordered[-1]:
            if not holds(bit):
                p.win32.last_error = ERROR_OLD_WIN_VERSION
                return 0
            break
    for bit in (4, 8):
        if type_mask & bit and not holds(bit):
            p.win32.last_error = ERROR_OLD_WIN_VERSION
            return 0
    return 1


def sys_kernel32_VerifyVersionInfoA(p, lpVersionInformation, dwTypeMask, dwlConditionMask):
    return _verify_version(p, lpVersionInformation, dwTypeMask, dwlConditionMask, False)


def sys_kernel32_VerifyVersionInfoW(p, lpVersionInformation, dwTypeMask, dwlConditionMask):
    return _verify_version(p, lpVersionInformation, dwTypeMask, dwlConditionMask, True)


def sys_kernel32_SetHandleCount(p, uNumber):
    return uNumber


def sys_kernel32_HeapSetInformation(p, HeapHandle, HeapInformationClass, HeapInformation,
                                    HeapInformationLength):
    return 1


def sys_kernel32_GetActiveProcessorCount(p, GroupNumber):
    return 1   # one emulated core


def sys_kernel32_GetProcessId(p, Process):
    if Process in abi.CURRENT_PROCESS or Process == (1 << p.sysvec.word_bits) - 1:
        return p.tgid
    from .kernel32_process import process_of_handle
    child = process_of_handle(p, Process)
    if child is None:
        p.win32.last_error = 6
        return 0
    return child.pid


# --- modules by wide name ------------------------------------------------------------------

def _module_w(p, lpModuleName) -> int:
    name = read_wstr(p, lpModuleName) if lpModuleName else None
    base = _module_base(p, name)
    if not base:
        p.win32.last_error = ERROR_MOD_NOT_FOUND
    return base


GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS = 4


def sys_kernel32_GetModuleHandleExW(p, dwFlags, lpModuleName, phModule):
    if dwFlags & GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS:
        base = module_containing(p, lpModuleName)
        if not base:
            p.win32.last_error = ERROR_MOD_NOT_FOUND
    else:
        base = _module_w(p, lpModuleName)
    if phModule:
        abi.write_ptr(p, phModule, base)
    return int(bool(base))


def module_containing(p, address: int) -> int:
    """The base of the mapped image (the program or a DLL) holding an address, or 0."""
    from ..binfmt.pe import image_size
    for base in [p.win32.image_base] + [b for b, _ in p.win32.modules.values()]:
        if base <= address < base + image_size(p, base):
            return base
    return 0


def sys_kernel32_GetModuleFileNameW(p, hModule, lpFilename, nSize):
    from .kernel32_system import module_file_name
    name = module_file_name(p, hModule)
    if name is None:
        p.win32.last_error = ERROR_MOD_NOT_FOUND
        return 0
    return put_truncated(p, name, lpFilename, nSize, True)


# --- the environment, wide ---------------------------------------------------------------

def sys_kernel32_GetEnvironmentStringsW(p):
    """A heap block of NAME=VALUE strings ending in an empty one; FreeEnvironmentStringsW
    frees it."""
    block = "".join(f"{k}={v}\0" for k, v in p.win32.env.items()) + "\0"
    data = block.encode("utf-16-le")
    addr = p.win32.heap.alloc(len(data) + 2)
    p.mm.write(addr, data + b"\0\0")
    return addr


def sys_kernel32_FreeEnvironmentStringsW(p, penv):
    return int(p.win32.heap.free(penv))


def sys_kernel32_GetEnvironmentStringsA(p):
    """GetEnvironmentStringsW's block in the ANSI code page (GetEnvironmentStrings)."""
    block = "".join(f"{k}={v}\0" for k, v in p.win32.env.items()) + "\0"
    data = block.encode("cp1252", "replace")
    addr = p.win32.heap.alloc(len(data) + 1)
    p.mm.write(addr, data + b"\0")
    return addr


sys_kernel32_FreeEnvironmentStringsA = sys_kernel32_FreeEnvironmentStringsW


def sys_kernel32_GetEnvironmentVariableW(p, lpName, lpBuffer, nSize):
    from .kernel32_system import _env, _env_key
    from .wide import put_string
    key = _env_key(p, read_wstr(p, lpName))
    if key is None:
        p.win32.last_error = 203   # ERROR_ENVVAR_NOT_FOUND
        return 0
    return put_string(p, _env(p)[key], lpBuffer, nSize, True)


def sys_kernel32_SetEnvironmentVariableW(p, lpName, lpValue):
    from .kernel32_system import _env, _env_key
    name = read_wstr(p, lpName)
    if not name or "=" in name[1:]:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    key = _env_key(p, name)
    if key is not None:
        del _env(p)[key]
    if lpValue:
        _env(p)[name] = read_wstr(p, lpValue)
    p.win32.strings.pop("env:" + name, None)
    p.win32.strings.pop("wenv:" + name, None)
    return 1


# --- the version, the error mode, the environment expanded ----------------------------------

VER_PLATFORM_WIN32_NT = 2


def _version_ex(p, info: int, wide: bool) -> int:
    """OSVERSIONINFO(EX)A/W: the caller's dwOSVersionInfoSize says which it passed."""
    size = p.mm.read_u32(info)
    csd = 256 if wide else 128
    if size not in (20 + csd, 20 + csd + 8):
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    major, minor, build = WINDOWS_VERSION
    data = struct.pack("<IIIII", size, major, minor, build, VER_PLATFORM_WIN32_NT) + b"\0" * csd
    if size > 20 + csd:      # the EX fields: no service pack, a workstation (VER_NT_WORKSTATION)
        data += struct.pack("<HHHBB", 0, 0, 0x100, 1, 0)
    p.mm.write(info, data)
    return 1


def sys_kernel32_GetVersionExW(p, lpVersionInformation):
    return _version_ex(p, lpVersionInformation, True)


def sys_kernel32_GetVersionExA(p, lpVersionInformation):
    return _version_ex(p, lpVersionInformation, False)


def sys_kernel32_SetErrorMode(p, uMode):
    """The process's error mode (which failures Windows would show a dialog for: none here);
    the previous one is returned."""
    previous = p.win32.error_mode
    p.win32.error_mode = uMode
    return previous


def sys_kernel32_GetErrorMode(p):
    return p.win32.error_mode


def sys_kernel32_IsWow64Process(p, hProcess, Wow64Process):
    """No process here runs under WOW64: the 32-bit ones see a 32-bit Windows."""
    p.mm.write_u32(Wow64Process, 0)
    return 1


def expand_environment(p, text: str) -> str:
    """%NAME% replaced by the variable's value; an unknown name or a lone % stays as it is."""
    from .kernel32_system import _env, _env_key
    out, i = [], 0
    while i < len(text):
        end = text.find("%", i + 1) if text[i] == "%" else -1
        key = _env_key(p, text[i + 1:end]) if end > i + 1 else None
        if key is not None:
            out.append(_env(p)[key])
            i = end + 1
        elif end > i:
            out.append(text[i:end])     # the second % may open the next name
            i = end
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _expand(p, src: int, dst: int, size: int, wide: bool) -> int:
    """The length of the expansion in characters with its NUL, written when it fits."""
    from .wide import encode, read_str
    data = encode(expand_environment(p, read_str(p, src, wide)), wide)
    unit = 2 if wide else 1
    need = len(data) // unit + 1
    if dst and size >= need:
        p.mm.write(dst, data + b"\0" * unit)
    elif size:
        p.win32.last_error = 122    # ERROR_INSUFFICIENT_BUFFER
    return need


def sys_kernel32_ExpandEnvironmentStringsW(p, lpSrc, lpDst, nSize):
    return _expand(p, lpSrc, lpDst, nSize, True)


def sys_kernel32_ExpandEnvironmentStringsA(p, lpSrc, lpDst, nSize):
    return _expand(p, lpSrc, lpDst, nSize, False)


def sys_kernel32_SetThreadErrorMode(p, dwNewMode, lpOldMode):
    """The thread's error mode, kept with the process's (no dialogs either way)."""
    if lpOldMode:
        p.mm.write_u32(lpOldMode, p.win32.error_mode)
    p.win32.error_mode = dwNewMode & 0xFFFFFFFF
    return 1


def sys_kernel32_GetThreadErrorMode(p):
    return p.win32.error_mode
