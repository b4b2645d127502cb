"""How an NT process and its threads start, the NT personality's image set-up: the TEB, PEB
and RTL_USER_PROCESS_PARAMETERS (the fields mingw-w64 and MSVC programs read, in the x86 and
x64 layouts), and the start code (BaseProcessStart: the image's TLS callbacks, its entry
point, then NtTerminateProcess with the result). The PE loader (runtime/binfmt/pe.py) maps the
image and asks for the rest through NtPersonality.process_start."""
from __future__ import annotations

import errno
import struct
from dataclasses import dataclass, field

from unicorn import x86_const as X

from ..errors import ExecError, KernelError
from ..mm import page_up
from .ldr import write_ldr_data
from .paths import win32_path
from .status import STATUS_DLL_INIT_FAILED

TEB_SELECTOR, TEB_GDT_INDEX = 0x3B, 7   # i386: %fs is this GDT entry, based at the TEB
MAX_UNICODE_BYTES = 0xFFFC              # a UNICODE_STRING's 16-bit length, less its NUL


@dataclass
class ProcessStart:
    """What the loader's Image starts from: the start code, its stack pointer, the registers
    and per-process set-up that reach the TEB, and what the Win32 state records (info)."""

    entry: int
    sp: int
    regs: dict = field(default_factory=dict)
    setup: object = None
    info: dict = field(default_factory=dict)


def write_teb(mm, bits: int, teb: int, peb: int, stack_top: int, stack_size: int,
              tls_array: int = 0) -> None:
    """A thread's TEB: the NT_TIB (no SEH frame on i386, the stack, Self), the TLS pointer and
    the PEB (ClientId: write_client_id)."""
    if bits == 64:
        mm.write(teb + 0x08, struct.pack("<QQ", stack_top, stack_top - stack_size))
        mm.write(teb + 0x30, struct.pack("<Q", teb))
        mm.write(teb + 0x58, struct.pack("<QQ", tls_array, peb))
    else:
        mm.write(teb, struct.pack("<III", 0xFFFFFFFF, stack_top, stack_top - stack_size))
        mm.write(teb + 0x18, struct.pack("<I", teb))
        mm.write(teb + 0x2C, struct.pack("<II", tls_array, peb))


TLS_POINTER = {64: 0x58, 32: 0x2C}     # the TEB's ThreadLocalStoragePointer


def tls_blocks(mm, bits: int, template, dll_tls: list) -> int:
    """A thread's TLS array (0 when no module has TLS): slot 0 the program's block from its
    template (data, zero fill), then one slot per DLL with TLS, (index, data, zero fill)."""
    if template is None and not dll_tls:
        return 0
    word = bits // 8
    modules = ([(0, *template)] if template is not None else []) + list(dll_tls)
    slots = 1 + max(index for index, _, _ in modules)
    sizes = [(len(data) + zero_fill + 15) & ~15 for _, data, zero_fill in modules]
    size = page_up(slots * word + 16 + sum(sizes) + 16 * len(modules))
    array = mm.find_free(size)
    mm.map(array, size, 3, "[tls]")
    at = array + ((slots * word + 15) & ~15)
    for (index, data, _), block_size in zip(modules, sizes):
        mm.write(at, data)
        mm.write_word(array + index * word, at)
        at += block_size + 16
    return array


def write_client_id(mm, bits: int, teb: int, pid: int, tid: int) -> None:
    """The TEB's ClientId: the process and thread ids."""
    if bits == 64:
        mm.write(teb + 0x40, struct.pack("<QQ", pid, tid))
    else:
        mm.write(teb + 0x20, struct.pack("<II", pid, tid))


def teb_segment(proc, teb: int) -> None:
    """i386: the GDT entry %fs selects (TEB_SELECTOR), based at this thread's TEB."""
    from ..gdt import descriptor

    proc.tls[TEB_GDT_INDEX] = descriptor(teb, 0xFFF, 0xF3, 0x4)


def _first_thread(bits: int, teb: int):
    """What the process's first thread needs once it is the process's (its ids are known
    only then): the ClientId, and on i386 the segment %fs selects."""
    def setup(proc) -> None:
        write_client_id(proc.mm, bits, teb, proc.tgid, proc.pid)
        if bits == 32:
            from ..gdt import write_gdt
            teb_segment(proc, teb)
            write_gdt(proc)
    return setup


def command_line(argv: list[bytes]) -> str:
    """argv joined so that CommandLineToArgvW (and the C runtimes' parsers) give it back:
    arguments with blanks (or empty) quoted, quotes escaped, and the backslashes before a
    quote doubled."""
    return " ".join(_quoted(a.decode(errors="replace")) for a in argv)


def _windows_argv0(argv: list[bytes]) -> list[bytes]:
    """A program started from the Linux side (tblc run, a Linux execve) names itself by a
    guest path: as a Windows program sees it, C:\\dir\\prog.exe (or dir\\prog.exe)."""
    if not argv:
        return argv
    first = argv[0].decode(errors="surrogateescape")
    first = win32_path(first) if first.startswith("/") else first.replace("/", "\\")
    return [first.encode(errors="surrogateescape")] + list(argv[1:])


def _quoted(arg: str) -> str:
    wrap = not arg or " " in arg or "\t" in arg
    if not wrap and '"' not in arg:
        return arg
    out, backslashes = ['"'] if wrap else [], 0
    for c in arg:
        if c == "\\":
            backslashes += 1
            continue
        if c == '"':                       # 2n+1 backslashes: n of them and a literal quote
            out.append("\\" * (2 * backslashes + 1) + '"')
        else:
            out.append("\\" * backslashes + c)
        backslashes = 0
    out.append("\\" * (2 * backslashes if wrap else backslashes) + ('"' if wrap else ""))
    return "".join(out)


# The PEB fields code reads directly (runtimes that skip kernel32, Zig's standard library),
# by word size: the FastPebLock and LoaderLock critical sections (kept in the PEB's page past
# its end, 0x7D0), NumberOfProcessors, and the OS version kernel32 reports.
PEB_FIELDS = {64: dict(fast_lock=0x38, processors=0xB8, loader_lock=0x110, os_version=0x118),
              32: dict(fast_lock=0x1C, processors=0x64, loader_lock=0xA0, os_version=0xA4)}
PEB_LOCKS_AT = 0xF00


def write_peb_fields(mm, bits: int, peb: int) -> None:
    from ..win32.kernel32_startup import WINDOWS_VERSION
    where, word = PEB_FIELDS[bits], bits // 8
    for i, field_name in enumerate(("fast_lock", "loader_lock")):
        lock = peb + PEB_LOCKS_AT + 0x40 * i
        mm.write(lock + word, struct.pack("<i", -1))        # LockCount -1: free
        mm.write(peb + where[field_name], lock.to_bytes(word, "little"))
    mm.write(peb + where["processors"], struct.pack("<I", 1))
    major, minor, build = WINDOWS_VERSION
    mm.write(peb + where["os_version"], struct.pack("<IIHHI", major, minor, build, 0, 2))


def write_process_heap(mm, bits: int, peb: int, heap: int) -> None:
    """PEB.ProcessHeap, once the process heap is made."""
    mm.write(peb + (0x30 if bits == 64 else 0x18), heap.to_bytes(bits // 8, "little"))


def process_start(loader, base: int, entry: int, stack_top: int, stack_size: int,
                  tls_array: int, tls_callbacks: list[int], dll_inits: list) -> ProcessStart:
    """The first thread's TEB, the PEB, the process parameters with the image path and the
    command line (ANSI and wide, for GetCommandLineA/W), kernel32's scratch page, and the
    start code, for an image mapped at base."""
    mm, bits, bprm = loader.mm, loader.bits, loader.bprm
    line = bprm.command_line if bprm.command_line is not None else \
        command_line(_windows_argv0(bprm.argv))
    image_path = win32_path(bprm.path)
    wide, wpath = line.encode("utf-16-le"), image_path.encode("utf-16-le")
    if len(wide) > MAX_UNICODE_BYTES or len(wpath) > MAX_UNICODE_BYTES:
        raise ExecError(errno.E2BIG, f"{bprm.path}: command line longer than Windows "
                                     "allows (32767 characters)")
    narrow = line.encode("latin-1", errors="replace") + b"\0"
    block = loader.alloc(0x4000, "[teb+peb]")
    teb, peb, params, scratch = block, block + 0x1000, block + 0x2000, block + 0x3000
    # The three strings get a block of their own, sized to them.
    strings = loader.alloc(len(narrow) + len(wide) + len(wpath) + 16, "[command line]")
    wide_at, path_at = strings, strings + len(wide) + 2
    narrow_at = path_at + len(wpath) + 2
    mm.write(wide_at, wide + b"\0\0")
    mm.write(path_at, wpath + b"\0\0")
    mm.write(narrow_at, narrow)
    write_teb(mm, bits, teb, peb, stack_top, stack_size, tls_array=tls_array)
    write_peb_fields(mm, bits, peb)
    if bits == 64:
        mm.write(peb + 0x10, struct.pack("<QQQ", base, 0, params))   # ImageBaseAddress, ..., ProcessParameters
        mm.write(params + 0x20, struct.pack("<QQQ", 4, 8, 12))       # StandardInput/Output/Error handles
        mm.write(params + 0x60, struct.pack("<HH4xQ", len(wpath), len(wpath) + 2, path_at))
        mm.write(params + 0x70, struct.pack("<HH4xQ", len(wide), len(wide) + 2, wide_at))
    else:
        mm.write(peb + 0x08, struct.pack("<III", base, 0, params))
        mm.write(params + 0x18, struct.pack("<III", 4, 8, 12))
        mm.write(params + 0x38, struct.pack("<HHI", len(wpath), len(wpath) + 2, path_at))
        mm.write(params + 0x40, struct.pack("<HHI", len(wide), len(wide) + 2, wide_at))
    write_ldr_data(mm, bits, peb)       # PEB->Ldr: its entries come at exec (ldr.py)
    sp = (stack_top - 64) & ~15
    regs = {}
    if bits == 64:                       # %gs is based at the TEB; the stack as after a call
        regs, sp = {X.UC_X86_REG_GS_BASE: teb}, sp - 8
    code = start_code(loader.sysvec, bits, base, entry, tls_callbacks, dll_inits)
    start = loader.alloc(len(code), "[start]")
    mm.write_force(start, code)
    mm.protect(start, page_up(len(code)), 5)
    info = dict(teb=teb, peb=peb, scratch=scratch, command_line_a=narrow_at,
                command_line_w=wide_at)
    return ProcessStart(start, sp, regs, _first_thread(bits, teb), info)


def describe_process(proc, env: dict, cwd: str) -> None:
    """What the process parameters hold beside the image path and command line, for code
    that reads them from the PEB (Zig's standard library does): the current directory (with
    its trailing backslash, as Windows keeps it) and the environment block, UTF-16
    NAME=VALUE strings ending in an empty one."""
    bits, mm, heap = proc.sysvec.word_bits, proc.mm, proc.pstate.heap
    if not proc.pstate.peb:
        return                  # an image started without a PEB (a bare NT program)
    params = mm.read_word(proc.pstate.peb + (0x20 if bits == 64 else 0x10))
    if not params:
        return
    block = "".join(f"{k}={v}\0" for k, v in env.items()).encode("utf-16-le") + b"\0\0"
    env_at = heap.alloc(len(block))
    mm.write(env_at, block)
    if bits == 64:
        mm.write(params + 0x80, struct.pack("<Q", env_at))
        mm.write(params + 0x3F0, struct.pack("<Q", len(block)))   # EnvironmentSize
    else:
        mm.write(params + 0x48, struct.pack("<I", env_at))
        mm.write(params + 0x290, struct.pack("<I", len(block)))
    set_current_directory(proc, cwd)


CURDIR_CAPACITY = 2 * 261        # MAX_PATH characters and the NUL, as RtlSetCurrentDirectory_U


def set_current_directory(proc, cwd: str) -> None:
    """ProcessParameters->CurrentDirectory: its DosPath (with the trailing backslash, as
    Windows keeps it) and a handle to the directory, which code relying on the PEB opens
    relative names against (Zig's fs.cwd() is that handle)."""
    from . import abi
    bits, mm = proc.sysvec.word_bits, proc.mm
    if not proc.pstate.peb:
        return
    params = mm.read_word(proc.pstate.peb + (0x20 if bits == 64 else 0x10))
    if not params:
        return
    at, handle_at = (params + 0x38, params + 0x48) if bits == 64 else (params + 0x24, params + 0x2C)
    directory = (cwd if cwd.endswith("\\") else cwd + "\\").encode("utf-16-le")
    directory = directory[:CURDIR_CAPACITY - 2]
    buffer = mm.read_word(at + (8 if bits == 64 else 4))
    if not buffer:
        buffer = proc.pstate.heap.alloc(CURDIR_CAPACITY)
    mm.write(buffer, directory + b"\0\0")
    layout = "<HH4xQ" if bits == 64 else "<HHI"
    mm.write(at, struct.pack(layout, len(directory), CURDIR_CAPACITY, buffer))
    old = mm.read_word(handle_at)
    if old:
        try:
            proc.fds.close(abi.fd_of_handle(old))
        except KernelError:     # (NtError is one) the program closed it itself
            pass
    guest = "/" + cwd[3:].replace("\\", "/").strip("/")
    handle = 0
    try:
        f = proc.kernel.fs.open("/", guest, 0o200000, 0, proc)      # O_DIRECTORY
    except KernelError:         # no such directory now
        f = None
    if f is not None:
        # far above the C runtime's descriptors, which are the table's (the first _open
        # of a program gets 3, as on Windows)
        try:
            handle = abi.handle_of_fd(proc.fds.install(f, cloexec=True,
                                                       lowest=proc.fds.limit // 2))
        except KernelError:
            f.decref()
    mm.write_word(handle_at, handle)


def start_code(sysvec, bits: int, base: int, entry: int, callbacks: list[int],
               dll_inits: list = ()) -> bytes:
    """Code the process starts in: load the TEB segment (i386), run each DLL's TLS callbacks
    and DllMain with DLL_PROCESS_ATTACH (dependencies first; a DllMain answering FALSE ends
    the process with STATUS_DLL_INIT_FAILED, as Windows refuses to start it), the program's
    TLS callbacks, call the entry point, then terminate with its result, as BaseProcessStart
    does."""
    terminate = next(c.number for c in sysvec.calls.values() if c.name == "NtTerminateProcess")
    if bits == 64:
        # mov edx, status; mov r10, -1; mov eax, N; syscall
        fail = b"\xba" + struct.pack("<I", STATUS_DLL_INIT_FAILED) + \
            b"\x49\xc7\xc2\xff\xff\xff\xff\xb8" + struct.pack("<I", terminate) + b"\x0f\x05"
        code = b"\x48\x83\xec\x28"                                   # sub rsp, 0x28
        calls = [(b, cb, 1, 1, main) for b, cb, main in dll_inits] + \
            [(base, cb, 1, 0, False) for cb in callbacks]
        for module, fn, reason, reserved, main in calls:
            code += b"\x48\xb9" + struct.pack("<Q", module)          # mov rcx, module
            code += b"\xba" + struct.pack("<I", reason)               # mov edx, reason
            code += b"\x41\xb8" + struct.pack("<I", reserved)         # mov r8d, reserved
            code += b"\x48\xb8" + struct.pack("<Q", fn) + b"\xff\xd0"  # mov rax, fn; call rax
            if main:                                                 # test eax, eax; jnz over
                code += b"\x85\xc0\x75" + bytes([len(fail)]) + fail
        code += b"\x48\xb8" + struct.pack("<Q", entry) + b"\xff\xd0"   # mov rax, entry; call rax
        code += b"\x89\xc2\x49\xc7\xc2\xff\xff\xff\xff"              # mov edx, eax; mov r10, -1
        code += b"\xb8" + struct.pack("<I", terminate) + b"\x0f\x05"   # mov eax, N; syscall
    else:
        # push status; push -1; mov edx, esp; mov eax, N; int 0x2e
        fail = b"\x68" + struct.pack("<I", STATUS_DLL_INIT_FAILED) + b"\x6a\xff\x89\xe2\xb8" + \
            struct.pack("<I", terminate) + b"\xcd\x2e"
        code = b"\x66\xb8" + struct.pack("<H", TEB_SELECTOR) + b"\x8e\xe0"  # mov ax, sel; mov fs, ax
        calls = [(b, cb, 1, 1, main) for b, cb, main in dll_inits] + \
            [(base, cb, 1, 0, False) for cb in callbacks]
        for module, fn, reason, reserved, main in calls:
            code += b"\x6a" + bytes([reserved]) + b"\x6a" + bytes([reason])  # push both
            code += b"\x68" + struct.pack("<I", module)                # push module
            code += b"\xb8" + struct.pack("<I", fn) + b"\xff\xd0"       # mov eax, fn; call eax
            if main:
                code += b"\x85\xc0\x75" + bytes([len(fail)]) + fail
        code += b"\xb8" + struct.pack("<I", entry) + b"\xff\xd0"        # mov eax, entry; call eax
        code += b"\x50\x6a\xff\x89\xe2"                                  # push eax; push -1; mov edx, esp
        code += b"\xb8" + struct.pack("<I", terminate) + b"\xcd\x2e"     # mov eax, N; int 0x2e
    return code
