"""Emit Windows DLLs from NT tables: ntdll.dll from an NT service table (one export per
service, a stub in the real Windows shape, plus the shadow table's `ntdll.` entries), and one
DLL per prefix of its shadow table (kernel32.dll, msvcrt.dll ...), whose exports trap with
the shadow bit set. The images are real
PE files that the runtime's PE loader maps like any other DLL.

    i386 stub:  mov eax, N; lea edx, [esp+4]; int 0x2e; ret 4*nargs   (cdecl DLLs: ret)
    x64 stub:   mov r10, rcx; mov eax, N; syscall; ret
"""
from __future__ import annotations

import struct

from .model import SHADOW_BIT, Table

# C runtimes: callers pop the arguments (msvcp140's C functions and static members too)
# (msvcp140_atomic_wait's exports are __stdcall, as the STL declares them.)
CDECL_DLLS = {"msvcrt", "ucrtbase", "vcruntime140", "msvcp140", "vcruntime140_threads"}
# ... and the WINAPIV exports of __stdcall DLLs (variadic: only the caller knows the count)
CDECL_EXPORTS = {"wsprintfA", "wsprintfW"}
# The Universal CRT and the Visual C++ runtime export what msvcrt does (the same stubs, so the
# same handlers) besides their own entries: one implementation of the C library for all three.
# ncrypt.dll exports bcrypt's functions too, as Windows' does (its import library has them:
# mingw-w64 programs linked with -lncrypt before -lbcrypt import BCrypt* from ncrypt.dll).
DLL_EXTENDS = {"ucrtbase": "msvcrt", "vcruntime140": "msvcrt", "ncrypt": "bcrypt"}
# DLLs made of other DLLs' functions under their own names and ordinals: Winsock 1.1's
# wsock32 is ws2_32's and mswsock's (AcceptEx, TransmitFile...), numbered its own way
# (Bun delay-loads it by ordinal: its #12, ioctlsocket, is ws2_32's inet_ntoa).
DLL_GATHERS = {"wsock32": ("ws2_32", "mswsock")}
DLL_BASES = {"ntdll": 0x77000000, "kernel32": 0x76F00000, "msvcrt": 0x76E00000,
             "ucrtbase": 0x76C00000, "vcruntime140": 0x76B00000, "advapi32": 0x76A00000,
             "bcryptprimitives": 0x76900000, "ws2_32": 0x76800000, "msvcp140": 0x76700000,
             "userenv": 0x76600000, "shell32": 0x76500000, "combase": 0x76400000,
             "ole32": 0x76300000, "oleaut32": 0x76200000, "user32": 0x76100000,
             "bcrypt": 0x76000000, "winmm": 0x75F00000, "powrprof": 0x75E00000,
             "version": 0x75D00000, "psapi": 0x75C00000, "secur32": 0x75B00000,
             "mswsock": 0x75A00000, "iphlpapi": 0x75900000, "dbghelp": 0x75800000,
             "rpcrt4": 0x75700000}
NEXT_BASES_FROM, BASE_STEP = 0x75600000, 0x100000
SECTION_ALIGN, FILE_ALIGN = 0x1000, 0x200


# The C library's memory functions run in the guest, as machine code: the commonest calls
# of all (HotSpot makes 190,000 of them starting up) cost no trap, and a bad pointer is the
# access violation it is on Windows. memcpy is memmove (overlap copied backwards); memcmp
# gives -1, 0 or 1. The table keeps their rows for the trace's names.
MEMORY_ROUTINES = {
    "x86_64": dict(
        memmove="4889c84989f94989f24889cf4889d64c89c14839f776194c8d1c0e4c39df7310488d740eff"
                "488d7c0ffffdf3a4fceb02f3a44c89cf4c89d6c3",
        memset="4989f94989ca4889cf89d04c89c1f3aa4c89d04c89cfc3",
        memcmp="4989f94989f24889ce4889d74c89c131c04885c97412f3a6740eb8010000007202eb05"
               "b8ffffffff4c89cf4c89d6c3",
        memchr="4989f94889cf89d04c89c14885c9740cf2ae7508488d47ff4c89cfc331c04c89cfc3"),
    "i386": dict(
        memmove="57568b7c240c8b7424108b4c241489f839f776158d140e39d7730e8d740eff8d7c0ffffd"
                "f3a4fceb02f3a45e5fc3",
        memset="578b7c24088b44240c8b4c241089faf3aa89d05fc3",
        memcmp="57568b74240c8b7c24108b4c241431c085c97412f3a6740eb8010000007202eb05b8ffffffff"
               "5e5fc3",
        memchr="578b7c24088b44240c8b4c241085c97409f2ae75058d47ff5fc331c05fc3"),
}

# strlen and strcmp, the same way (a mingw-built SWIG makes 1.5 million of them): strlen
# scans for the NUL; strcmp compares unsigned bytes and gives -1, 0 or 1 (sbb/or after the
# differing byte's cmp), as the Python handlers did.
STRING_ROUTINES = {
    "x86_64": dict(
        strlen="4889c8803800740548ffc0ebf64829c8c3",
        strcmp="0fb6013a02750c84c0740e48ffc148ffc2ebed19c083c801c331c0c3"),
    "i386": dict(
        strlen="8b4c240489c8803800740340ebf829c8c3",
        strcmp="8b4c24048b5424080fb6013a02750884c0740a4142ebf119c083c801c331c0c3"),
}


def _memory(arch: str) -> dict[str, bytes]:
    out = {name: bytes.fromhex(text) for name, text in MEMORY_ROUTINES[arch].items()}
    out["memcpy"] = out["memmove"]
    out.update((name, bytes.fromhex(text)) for name, text in STRING_ROUTINES[arch].items())
    return out


# The C library's ASCII classes, answered in the guest for c in 0..127 (0 or 1, as the
# handlers answer: `cmp ecx, 127; ja slow`, then range tests and setbe); any other c falls
# through into the trap stub, whose handler knows the locale's view of it.
CTYPE_FAST_PATHS = {
    "x86_64": dict(
        isdigit="83f97f770d8d41d083f8090f96c00fb6c0c3",
        isalpha="83f97f771289c883c82083e86183f8190f96c00fb6c0c3",
        isupper="83f97f770d8d41bf83f8190f96c00fb6c0c3",
        islower="83f97f770d8d419f83f8190f96c00fb6c0c3",
        isspace="83f97f77158d41f783f8040f96c083f9200f94c408e00fb6c0c3",
        isalnum="83f97f771d89c883c82083e86183f8190f96c08d51d083fa090f96c408e00fb6c0c3",
        isxdigit="83f97f771d89c883c82083e86183f8050f96c08d51d083fa090f96c408e00fb6c0c3"),
    "i386": dict(
        isdigit="8b4c240483f97f770d8d41d083f8090f96c00fb6c0c3",
        isalpha="8b4c240483f97f771289c883c82083e86183f8190f96c00fb6c0c3",
        isupper="8b4c240483f97f770d8d41bf83f8190f96c00fb6c0c3",
        islower="8b4c240483f97f770d8d419f83f8190f96c00fb6c0c3",
        isspace="8b4c240483f97f77158d41f783f8040f96c083f9200f94c408e00fb6c0c3",
        isalnum="8b4c240483f97f771d89c883c82083e86183f8190f96c08d51d083fa090f96c408e00fb6c0c3",
        isxdigit="8b4c240483f97f771d89c883c82083e86183f8050f96c08d51d083fa090f96c408e00fb6c0c3"),
}


NATIVE_EXPORTS: dict[tuple[str, str], dict[str, bytes]] = {
    # _initterm(begin, end): call every non-null function pointer in [begin, end). It calls
    # guest code, so it is machine code rather than a trap stub.
    # _initterm_e(begin, end): the same, stopping at the first one that returns non-zero,
    # and returning that.
    ("msvcrt", "i386"): {"_initterm": bytes.fromhex(
        "5657" "8b74240c" "8b7c2410" "39fe" "730d" "8b06" "85c0" "7402" "ffd0" "83c604" "ebef"
        "5f5e" "c3"), "_initterm_e": bytes.fromhex(
        "5657" "8b74240c" "8b7c2410" "39fe" "7311" "8b06" "85c0" "7406" "ffd0" "85c0" "7507"
        "83c604" "ebeb" "31c0" "5f5e" "c3"), **_memory("i386")},
    ("msvcrt", "x86_64"): {"_initterm": bytes.fromhex(
        "5657" "4883ec28" "4889ce" "4889d7" "4839fe" "7310" "488b06" "4885c0" "7402" "ffd0"
        "4883c608" "ebeb" "4883c428" "5f5e" "c3"), "_initterm_e": bytes.fromhex(
        "5657" "4883ec28" "4889ce" "4889d7" "4839fe" "7314" "488b06" "4885c0" "7406" "ffd0"
        "85c0" "7508" "4883c608" "ebe7" "31c0" "4883c428" "5f5e" "c3"), **_memory("x86_64")},
    # TryEnterCriticalSection: wholly machine code (see FAST_PATHS below).
    ("kernel32", "x86_64"): {"TryEnterCriticalSection": bytes.fromhex(
        "65488b14254800000031c0f0480fb1511074054839d07509ff410cb801000000c331c0c3")},
    ("kernel32", "i386"): {"TryEnterCriticalSection": bytes.fromhex(
        "8b4c2404648b152400000031c0f00fb1510c740439d0750bff4108b801000000c2040031c0c20400")},
    # The vftable of the std::exception objects the runtime throws (runtime/win32/cxxrtti.py):
    # what() returns _Data._What (mov rax, [rcx+8]); the deleting destructor frees nothing
    # (the runtime's objects own no string) and returns this (mov rax, rcx). i386's are
    # thiscall: this in ecx, the destructor's flags popped (mov eax, [ecx+4]; mov eax, ecx).
    ("vcruntime140", "x86_64"): {"__sysvec_exception_what": bytes.fromhex("488b4108" "c3"),
                                 "__sysvec_exception_dtor": bytes.fromhex("4889c8" "c3")},
    ("vcruntime140", "i386"): {"__sysvec_exception_what": bytes.fromhex("8b4104" "c3"),
                               "__sysvec_exception_dtor": bytes.fromhex("89c8" "c20400")},
}


# Exports whose common case runs as machine code before their trap stub: the code returns at
# once when it can, else falls through into the stub (the Python handler answers). A critical
# section (runtime/win32/kernel32_wait.py keeps it in the structure: RecursionCount and
# OwningThread, the thread id from the TEB) is taken with `lock cmpxchg` when free or ours;
# left natively unless a waiter marked LockCount 0x7FFFFFFE, when Python's Leave ends the
# slice so the waiter runs. HotSpot enters and leaves 140,000 times starting up.
FAST_PATHS: dict[tuple[str, str], dict[str, bytes]] = {
    **{("msvcrt", arch): {name: bytes.fromhex(text) for name, text in paths.items()}
       for arch, paths in CTYPE_FAST_PATHS.items()},
    ("kernel32", "x86_64"): {
        "EnterCriticalSection": bytes.fromhex(
            "65488b14254800000031c0f0480fb1511074054839d07504ff410cc3"),
        "LeaveCriticalSection": bytes.fromhex(
            "65488b14254800000048395110751e817908feffff7f741683690c017f0fc7410c00000000"
            "48c7411000000000c3")},
    ("kernel32", "i386"): {
        "EnterCriticalSection": bytes.fromhex(
            "8b4c2404648b152400000031c0f00fb1510c740439d07506ff4108c20400"),
        "LeaveCriticalSection": bytes.fromhex(
            "8b4c2404648b152400000039510c751d817904feffff7f7417836908017f0ec7410800000000"
            "c7410c00000000c20400")},
}


# Exports that guest code returns into (runtime/win32/callback.py): the stub keeps the
# function's result from the number it loads into eax, in ecx (i386) or rdx (x64).
KEEPS_RESULT = {"__sysvec_callback_return"}
KEEP_RESULT = {"i386": b"\x89\xc1", "x86_64": b"\x48\x89\xc2"}   # mov ecx, eax / mov rdx, rax
# i386 C++ frame handlers are entered with the function's FuncInfo in eax (the compiler's
# thunk: mov eax, FuncInfo; jmp __CxxFrameHandler3): the stub keeps it in ecx the same way.
KEEPS_EAX = {"i386": {"__CxxFrameHandler", "__CxxFrameHandler2", "__CxxFrameHandler3"}}


def _align(x: int, a: int) -> int:
    return (x + a - 1) & ~(a - 1)


def stub(arch: str, number: int, nargs: int, cdecl: bool) -> bytes:
    if arch == "i386":
        ret = b"\xc3" if cdecl or nargs == 0 else b"\xc2" + struct.pack("<H", 4 * nargs)
        return b"\xb8" + struct.pack("<I", number) + b"\x8d\x54\x24\x04" + b"\xcd\x2e" + ret
    return b"\x4c\x8b\xd1" + b"\xb8" + struct.pack("<I", number) + b"\x0f\x05" + b"\xc3"


def dll_base(dll: str, dlls) -> int:
    """A DLL's preferred base: its own, or for one without, the next free megabyte below
    the named ones, in name order (every DLL must load where it was linked: no relocations)."""
    if dll in DLL_BASES:
        return DLL_BASES[dll]
    others = sorted(d for d in dlls if d not in DLL_BASES)
    return NEXT_BASES_FROM - BASE_STEP * others.index(dll)


def windows_ordinals(dll: str) -> dict[str, int]:
    """The exports Windows numbers for good in dll, name -> ordinal (pefile's ordlookup tables:
    ws2_32, wsock32, oleaut32); {} for another DLL."""
    from ordlookup import ords
    return {sym.decode(): ordinal for ordinal, sym in ords.get(f"{dll}.dll".encode(), {}).items()}


def _gather(dll: str, sources: list[dict[str, bytes]]) -> dict[str, bytes]:
    """The functions Windows' dll exports that one of sources has, with that source's code."""
    names = windows_ordinals(dll)
    return {sym: code for source in reversed(sources) for sym, code in source.items()
            if sym in names}


def export_ordinals(dll: str, names: list[str]) -> dict[str, int]:
    """Each export's ordinal: Windows' own for the DLLs programs import or look up by ordinal
    (ws2_32, wsock32, oleaut32: pefile's ordlookup tables), the rest numbered on after them
    in name order (for other DLLs: 1, 2, ... in name order)."""
    windows = windows_ordinals(dll)
    ordinal_of = {sym: windows[sym] for sym in names if sym in windows}
    following = max(windows.values(), default=0)
    for sym in names:
        if sym not in ordinal_of:
            following += 1
            ordinal_of[sym] = following
    return ordinal_of


def build_pe_dll(name: str, arch: str, exports: dict[str, bytes], base: int,
                 entry: str | None = None) -> bytes:
    """A minimal PE32/PE32+ DLL: one executable section holding the code of every export
    (16-byte aligned) followed by the export directory. With entry (an export's name), a
    program that starts there instead, named NAME.exe."""
    is64 = arch == "x86_64"
    code = bytearray()
    rvas = {}
    text_rva = SECTION_ALIGN
    for sym in sorted(exports):
        code += b"\xcc" * (_align(len(code), 16) - len(code))
        rvas[sym] = text_rva + len(code)
        code += exports[sym]
    code += b"\0" * (_align(len(code), 4) - len(code))
    # export directory, after the code in the same section
    names = sorted(rvas, key=lambda s: s.encode())
    ordinal_of = export_ordinals(name, names)
    slots = max(ordinal_of.values(), default=0)     # ordinals 1..slots, unused ones 0
    edir_rva = text_rva + len(code)
    n = len(names)
    funcs_rva = edir_rva + 40
    names_rva = funcs_rva + 4 * slots
    ords_rva = names_rva + 4 * n
    strings_rva = ords_rva + 2 * n
    dll_name = f"{name}.{'exe' if entry else 'dll'}".encode() + b"\0"
    strings = bytearray(dll_name)
    name_ptrs = []
    for sym in names:
        name_ptrs.append(strings_rva + len(strings))
        strings += sym.encode() + b"\0"
    edir = struct.pack("<IIHHIIIIIII", 0, 0, 0, 0, strings_rva, 1, slots, n, funcs_rva,
                       names_rva, ords_rva)
    functions = [0] * slots
    for sym in names:
        functions[ordinal_of[sym] - 1] = rvas[sym]
    edir += b"".join(struct.pack("<I", r) for r in functions)
    edir += b"".join(struct.pack("<I", r) for r in name_ptrs)
    edir += b"".join(struct.pack("<H", ordinal_of[s] - 1) for s in names)
    edir += bytes(strings)
    section = bytes(code) + edir
    raw_size = _align(len(section), FILE_ALIGN)
    headers_size = FILE_ALIGN
    image_size = text_rva + _align(len(section), SECTION_ALIGN)
    dos = b"MZ" + b"\0" * 58 + struct.pack("<I", 0x40)
    # IMAGE_FILE_DLL for a DLL; a program keeps its base (relocations stripped)
    characteristics = (0x0023 if is64 else 0x0103) if entry else (0x2022 if is64 else 0x2102)
    coff = struct.pack("<HHIIIHH", 0x8664 if is64 else 0x14C, 1, 0, 0, 0, 0xF0 if is64 else 0xE0,
                       characteristics)
    entry_rva = rvas[entry] if entry else 0
    if is64:
        opt = struct.pack("<HBBIIIII", 0x20B, 1, 0, raw_size, 0, 0, entry_rva, text_rva)
        opt += struct.pack("<QIIHHHHHHIIIIHHQQQQII", base, SECTION_ALIGN, FILE_ALIGN, 6, 0, 0, 0,
                           6, 0, 0, image_size, headers_size, 0, 3, 0x160, 0x100000, 0x1000,
                           0x100000, 0x1000, 0, 16)
    else:
        opt = struct.pack("<HBBIIIIII", 0x10B, 1, 0, raw_size, 0, 0, entry_rva, text_rva, 0)
        opt += struct.pack("<IIIHHHHHHIIIIHHIIIIII", base, SECTION_ALIGN, FILE_ALIGN, 4, 0, 0, 0,
                           4, 0, 0, image_size, headers_size, 0, 3, 0x140, 0x100000, 0x1000,
                           0x100000, 0x1000, 0, 16)
    dirs = [(edir_rva, len(edir))] + [(0, 0)] * 15
    opt += b"".join(struct.pack("<II", r, s) for r, s in dirs)
    sect = struct.pack("<8sIIIIIIHHI", b".text", len(section), text_rva, raw_size, headers_size,
                       0, 0, 0, 0, 0x60000020 | 0x40000000)
    header = dos + b"PE\0\0" + coff + opt + sect
    return header.ljust(headers_size, b"\0") + section.ljust(raw_size, b"\0")


def dlls_for(table: Table, shadow: Table | None) -> dict[str, bytes]:
    """The DLL images an NT table implies: ntdll plus one per prefix of its shadow table."""
    out = {}
    ntdll = {}
    for e in table.entries:
        code = stub(table.arch, e.number, e.slots(table.word_size), False)
        ntdll[e.name] = code
        if e.name.startswith("Nt"):
            ntdll["Zw" + e.name[2:]] = code
    if shadow is not None:
        groups: dict[str, dict[str, bytes]] = {}
        for e in shadow.entries:
            dll, _, sym = e.name.rpartition(".")
            dll = dll or "kernel32"
            code = stub(shadow.arch, SHADOW_BIT | e.number, e.slots(shadow.word_size),
                        dll in CDECL_DLLS or e.symbol in CDECL_EXPORTS)
            sym = e.symbol
            if sym in KEEPS_RESULT or sym in KEEPS_EAX.get(shadow.arch, ()):
                code = KEEP_RESULT[shadow.arch] + code
            code = FAST_PATHS.get((dll, shadow.arch), {}).get(sym, b"") + code
            groups.setdefault(dll, {})[sym] = code
        for (dll, arch), natives in NATIVE_EXPORTS.items():
            if arch == table.arch and dll in groups:
                groups[dll].update(natives)
        for dll, base in DLL_EXTENDS.items():
            if dll in groups and base in groups:
                groups[dll] = {**groups[base], **groups[dll]}
        for dll, sources in DLL_GATHERS.items():
            gathered = _gather(dll, [groups.get(source, {}) for source in sources])
            if gathered:
                groups[dll] = gathered
        # ntdll's run-time library functions (Rtl*) come from the shadow table beside its
        # system services.
        ntdll.update(groups.pop("ntdll", {}))
        for dll, exports in groups.items():
            out[dll] = build_pe_dll(dll, table.arch, exports, dll_base(dll, groups))
    out["ntdll"] = build_pe_dll("ntdll", table.arch, ntdll, DLL_BASES["ntdll"])
    return out


CMD_BASE = 0x4AD00000            # where Windows' own cmd.exe is linked
CMD_MAIN = "kernel32.__sysvec_cmd_main"
# System32's small console programs (runtime/win32/system_programs.py): one handler runs
# each, by its name.
PROGRAM_MAIN = "kernel32.__sysvec_program_main"
SYSTEM_PROGRAMS = ("where", "hostname", "whoami", "taskkill", "tasklist", "chcp", "timeout",
                   "find", "findstr", "sort", "more", "fc", "reg")


def programs_for(table: Table, shadow: Table | None) -> dict[str, bytes]:
    """The programs an NT table's shadow implies: cmd.exe, whose whole code is one call of
    the command interpreter's handler (runtime/win32/cmd.py), which ends the process, and
    the system's small programs, each one call of theirs."""
    entries = {e.name: e for e in shadow.entries} if shadow else {}
    out = {}
    for main, programs in ((CMD_MAIN, ("cmd",)), (PROGRAM_MAIN, SYSTEM_PROGRAMS)):
        entry = entries.get(main)
        if entry is None:
            continue
        code = stub(shadow.arch, SHADOW_BIT | entry.number, 0, True) + b"\x0f\x0b"  # then ud2
        for program in programs:
            out[f"{program}.exe"] = build_pe_dll(program, table.arch, {"__sysvec_start": code},
                                                 CMD_BASE, entry="__sysvec_start")
    return out
