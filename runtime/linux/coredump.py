"""Core dumps as fs/coredump.c and fs/binfmt_elf.c write them: a process killed by a signal
whose default action dumps core, with RLIMIT_CORE above 0, leaves an ELF core file named by
/proc/sys/kernel/core_pattern (`core` in its working directory by default; %p, %e, %s...
expanded; a `|program` pattern, which needs a helper the machine does not run, writes
nothing), written through the VFS with its own credentials and cut at the limit, and its wait
status gets the core bit (0x80). The file has the notes gdb reads (NT_PRSTATUS with the
registers, NT_PRPSINFO) and one PT_LOAD per mapping, with its memory unless the mapping is
MADV_DONTDUMP or of a kind /proc/PID/coredump_filter leaves out."""
from __future__ import annotations

import struct
import time

from unicorn import x86_const as X

from ..errors import KernelError
from .resource import RLIMIT_CORE, rlimit

# SIGQUIT SIGILL SIGTRAP SIGABRT SIGBUS SIGFPE SIGSEGV SIGXCPU SIGXFSZ SIGSYS
CORE_SIGNALS = {3, 4, 5, 6, 7, 8, 11, 24, 25, 31}
O_WRONLY, O_CREAT, O_TRUNC = 0o1, 0o100, 0o1000
WCOREFLAG = 0x80
ET_CORE, EM_386, EM_X86_64 = 4, 3, 62
PT_LOAD, PT_NOTE = 1, 4
NT_PRSTATUS, NT_PRPSINFO = 1, 3
PF_X, PF_W, PF_R = 1, 2, 4
# struct user_regs_struct, in order
REGS64 = ["R15", "R14", "R13", "R12", "RBP", "RBX", "R11", "R10", "R9", "R8", "RAX", "RCX",
          "RDX", "RSI", "RDI", None, "RIP", "CS", "EFLAGS", "RSP", "SS", "FS_BASE", "GS_BASE",
          "DS", "ES", "FS", "GS"]
REGS32 = ["EBX", "ECX", "EDX", "ESI", "EDI", "EBP", "EAX", "DS", "ES", "FS", "GS", None, "EIP",
          "CS", "EFLAGS", "ESP", "SS"]


def dump_core(kernel, proc, sig: int) -> int:
    """The core bit for proc's death by sig: WCOREFLAG when a core file was written."""
    if sig not in CORE_SIGNALS or proc.mm is None or not proc.linux.dumpable:
        return 0
    limit = rlimit(proc, RLIMIT_CORE)[0]
    if limit == 0:
        return 0
    name = core_name(kernel, proc, sig)
    if name is None:
        return 0
    data = elf_core(kernel, proc, sig, limit)[:limit]
    try:
        f = kernel.fs.open(proc.cwd, name, O_WRONLY | O_CREAT | O_TRUNC, 0o600, proc)
    except KernelError:
        return 0
    try:
        f.write(data)
    except KernelError:
        return 0
    finally:
        f.decref()
    return WCOREFLAG


def core_name(kernel, proc, sig: int) -> str | None:
    """The core file's path from core_pattern (format_corename), None for a pipe."""
    from ..procfs import sysctl
    pattern = str(sysctl(kernel, "kernel/core_pattern"))
    if pattern.startswith("|"):
        return None
    from ..net import uts_names
    cred = proc.cred
    values = {"p": proc.tgid, "P": proc.tgid, "i": proc.pid, "I": proc.pid, "s": sig,
              "e": proc.comm, "E": (proc.exe or "").replace("/", "!"),
              "u": cred.uid if cred is not None else 0, "g": cred.gid if cred is not None else 0,
              "t": int(time.time()), "h": uts_names(kernel)[0],
              "%": "%"}
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "%" and i + 1 < len(pattern):
            out.append(str(values.get(pattern[i + 1], "")))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out) or None


# coredump_filter bits (fs/proc, MMF_DUMP_*): which mappings keep their memory in a core.
ANON_PRIVATE, ANON_SHARED, MAPPED_PRIVATE, MAPPED_SHARED, ELF_HEADERS = 1, 2, 4, 8, 16


def _dump_size(proc, v) -> int:
    """vma_dump_size: how much of a mapping's memory the core holds: all of it, none, or
    the first page of a mapped ELF file (its headers, for the build id)."""
    size = v.end - v.start
    if _dumped(proc, v):
        return size
    if not v.dontdump and v.name and not v.name.startswith("[") and \
            proc.linux.coredump_filter & ELF_HEADERS:
        try:
            if proc.mm.read(v.start, 4) == b"\x7fELF":
                return 4096
        except KernelError:
            pass
    return 0


def _dumped(proc, v) -> bool:
    if v.dontdump:
        return False
    anonymous = not v.name or v.name.startswith("[") or v.name == "/dev/zero (deleted)"
    kind = (ANON_SHARED if v.shared else ANON_PRIVATE) if anonymous else \
        (MAPPED_SHARED if v.shared else MAPPED_PRIVATE)
    if kind == MAPPED_PRIVATE and v.prot & 2:      # a written private file page is anonymous
        kind = ANON_PRIVATE
    return bool(proc.linux.coredump_filter & kind)


def _regs(kernel, proc, names: list) -> list[int]:
    engine = proc.engine
    live = engine is not None and engine.current is proc
    out = []
    for name in names:
        if name is None:
            out.append(-1 & 0xFFFFFFFFFFFFFFFF)      # orig_rax: not in a system call
            continue
        reg = getattr(X, f"UC_X86_REG_{name}")
        if live:
            out.append(engine.uc.reg_read(reg))
        else:                   # off the core: its saved register set
            buf = engine.reg_buffer
            buf[0] = buf[1] = 0
            engine.lib.uc_context_reg_read(proc.context, reg, buf)
            out.append(int(buf[0]))
    return out


def _note(name: bytes, ntype: int, desc: bytes) -> bytes:
    pad = lambda b: b + b"\0" * (-len(b) % 4)        # noqa: E731
    return struct.pack("<III", len(name) + 1, len(desc), ntype) + pad(name + b"\0") + pad(desc)


def elf_core(kernel, proc, sig: int, limit: int = 1 << 62) -> bytes:
    """The core file's bytes; memory past `limit` bytes of file is left out."""
    wide = proc.mm.bits == 64
    ppid, pgid, sid = proc.ppid, proc.pgid, proc.sid
    if wide:
        regs = struct.pack("<27Q", *(v & 0xFFFFFFFFFFFFFFFF for v in _regs(kernel, proc, REGS64)))
        prstatus = struct.pack("<iiih2xQQiiii64x", sig, 0, 0, sig, proc.pending, proc.sigmask,
                               proc.tgid, ppid, pgid, sid) + regs + struct.pack("<i4x", 0)
        prpsinfo = struct.pack("<bcbb4xQIIiiii16s80s", 0, b"R", 0, 0, 0, 0, 0, proc.tgid, ppid,
                               pgid, sid, proc.comm.encode()[:16],
                               " ".join(proc.argv).encode()[:80])
    else:
        regs = struct.pack("<17I", *(v & 0xFFFFFFFF for v in _regs(kernel, proc, REGS32)))
        prstatus = struct.pack("<iiih2xIIiiii32x", sig, 0, 0, sig, proc.pending & 0xFFFFFFFF,
                               proc.sigmask & 0xFFFFFFFF, proc.tgid, ppid, pgid, sid) + regs + \
            struct.pack("<i", 0)
        prpsinfo = struct.pack("<bcbbIHHiiii16s80s", 0, b"R", 0, 0, 0, 0, 0, proc.tgid, ppid,
                               pgid, sid, proc.comm.encode()[:16],
                               " ".join(proc.argv).encode()[:80])
    notes = _note(b"CORE", NT_PRSTATUS, prstatus) + _note(b"CORE", NT_PRPSINFO, prpsinfo)
    vmas = list(proc.mm.vmas)
    ehsize, phsize = (64, 56) if wide else (52, 32)
    offset = ehsize + phsize * (1 + len(vmas))
    phdrs, blobs = [], [notes]
    phdrs.append((PT_NOTE, offset, 0, len(notes), 0, 0, 4))
    offset += len(notes)
    offset += -offset % 4096
    blobs.append(b"\0" * (-(ehsize + phsize * (1 + len(vmas)) + len(notes)) % 4096))
    written = offset
    for v in vmas:
        size = v.end - v.start
        filesz = _dump_size(proc, v)
        data = _memory(proc, v.start, filesz) if written < limit and filesz else b""
        written += filesz
        flags = (PF_R if v.prot & 1 else 0) | (PF_W if v.prot & 2 else 0) | \
            (PF_X if v.prot & 4 else 0)
        phdrs.append((PT_LOAD, offset, v.start, filesz, size, flags, 4096))
        blobs.append(data)
        offset += filesz
    ident = b"\x7fELF" + bytes([2 if wide else 1, 1, 1, 0]) + b"\0" * 8
    if wide:
        ehdr = ident + struct.pack("<HHIQQQIHHHHHH", ET_CORE, EM_X86_64, 1, 0, ehsize, 0, 0,
                                   ehsize, phsize, len(phdrs), 0, 0, 0)
        ph = b"".join(struct.pack("<IIQQQQQQ", t, f, o, va, 0, fs, ms, al)
                      for t, o, va, fs, ms, f, al in phdrs)
    else:
        ehdr = ident + struct.pack("<HHIIIIIHHHHHH", ET_CORE, EM_386, 1, 0, ehsize, 0, 0,
                                   ehsize, phsize, len(phdrs), 0, 0, 0)
        ph = b"".join(struct.pack("<IIIIIIII", t, o, va, 0, fs, ms, f, al)
                      for t, o, va, fs, ms, f, al in phdrs)
    return ehdr + ph + b"".join(blobs)


def _memory(proc, start: int, size: int) -> bytes:
    """A mapping's bytes; pages the kernel cannot read (never touched, guard pages) as zeros."""
    out = bytearray()
    for addr in range(start, start + size, 4096):
        try:
            out += proc.mm.read(addr, 4096)
        except KernelError:
            out += b"\0" * 4096
    return bytes(out)
