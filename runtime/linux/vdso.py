"""The vDSO: the small shared object Linux maps into every ELF process and names in the
auxiliary vector (AT_SYSINFO_EHDR; on i386 also AT_SYSINFO, the system-call entry).

C libraries look their time functions up in it by symbol and version, as in any shared
object; glibc's loader lists it as linux-vdso.so.1, and dietlibc finds its gettimeofday only
there. Linux answers those calls from a data page without entering the kernel; here each
function makes the system call, which the trap path answers in C, so the answers are the
system calls' own. The image is built once per word size, linked at 0, and copied into each
process at exec."""
from __future__ import annotations

import functools
import struct

from ..mm import PAGE, PROT_EXEC, PROT_READ

AT_SYSINFO, AT_SYSINFO_EHDR = 32, 33
SONAME = {64: "linux-vdso.so.1", 32: "linux-gate.so.1"}   # what ldd lists

ET_DYN, EM_386, EM_X86_64 = 3, 3, 62
PT_LOAD, PT_DYNAMIC, PF_R, PF_X = 1, 2, 4, 1
SHT_PROGBITS, SHT_STRTAB, SHT_HASH, SHT_DYNAMIC, SHT_DYNSYM = 1, 3, 5, 6, 11
SHT_GNU_VERDEF, SHT_GNU_VERSYM = 0x6FFFFFFD, 0x6FFFFFFF
SHF_ALLOC, SHF_EXECINSTR = 2, 4
DT_NULL, DT_HASH, DT_STRTAB, DT_SYMTAB, DT_STRSZ, DT_SYMENT, DT_SONAME = 0, 4, 5, 6, 10, 11, 14
DT_VERSYM, DT_VERDEF, DT_VERDEFNUM = 0x6FFFFFF0, 0x6FFFFFFC, 0x6FFFFFFD
STB_GLOBAL, STB_WEAK, STT_FUNC = 1, 2, 2
VER_FLG_BASE = 1


def _x86_64_call(nr: int) -> bytes:
    """mov eax, nr; syscall; ret: the arguments are already where the system call wants
    them (rdi, rsi, rdx), and rcx/r11, which syscall clobbers, are the caller's to save."""
    return b"\xb8" + struct.pack("<I", nr) + b"\x0f\x05\xc3"


def _i386_call(nr: int) -> bytes:
    """cdecl: the arguments are on the stack; int 0x80 wants them in ebx, ecx, edx, and
    ebx is callee-saved."""
    return (b"\x53\x8b\x5c\x24\x08\x8b\x4c\x24\x0c\x8b\x54\x24\x10\xb8"
            + struct.pack("<I", nr) + b"\xcd\x80\x5b\xc3")


# (symbol, code, version index, binding); the versions are named in VERSIONS.
FUNCTIONS = {
    64: [
        ("__vdso_clock_gettime", _x86_64_call(228), 2, STB_GLOBAL),
        ("__vdso_gettimeofday", _x86_64_call(96), 2, STB_GLOBAL),
        ("__vdso_time", _x86_64_call(201), 2, STB_GLOBAL),
        ("__vdso_getcpu", _x86_64_call(309), 2, STB_GLOBAL),
        ("__vdso_clock_getres", _x86_64_call(229), 2, STB_GLOBAL),
    ],
    32: [
        ("__kernel_vsyscall", b"\xcd\x80\xc3", 2, STB_GLOBAL),          # int 0x80; ret
        ("__kernel_sigreturn", b"\x58\xb8\x77\x00\x00\x00\xcd\x80", 2, STB_GLOBAL),
        ("__kernel_rt_sigreturn", b"\xb8\xad\x00\x00\x00\xcd\x80", 2, STB_GLOBAL),
        ("__vdso_clock_gettime", _i386_call(265), 3, STB_GLOBAL),
        ("__vdso_gettimeofday", _i386_call(78), 3, STB_GLOBAL),
        ("__vdso_time", _i386_call(13), 3, STB_GLOBAL),
        ("__vdso_clock_getres", _i386_call(266), 3, STB_GLOBAL),
        ("__vdso_clock_gettime64", _i386_call(403), 3, STB_GLOBAL),
        ("__vdso_getcpu", _i386_call(318), 3, STB_GLOBAL),
    ],
}
# x86-64's vDSO also exports the plain names, weak, for the same code.
ALIASES = {64: {"clock_gettime": "__vdso_clock_gettime", "gettimeofday": "__vdso_gettimeofday",
                "time": "__vdso_time", "getcpu": "__vdso_getcpu",
                "clock_getres": "__vdso_clock_getres"}, 32: {}}
VERSIONS = {64: ["LINUX_2.6"], 32: ["LINUX_2.5", "LINUX_2.6"]}


def elf_hash(name: bytes) -> int:
    """The System V ABI's symbol hash (DT_HASH buckets and Verdef's vd_hash)."""
    h = 0
    for c in name:
        h = ((h << 4) + c) & 0xFFFFFFFF
        g = h & 0xF0000000
        if g:
            h ^= g >> 24
        h &= ~g & 0xFFFFFFFF
    return h


class _Strings:
    def __init__(self):
        self.data = bytearray(b"\0")
        self.offsets: dict[str, int] = {}

    def add(self, s: str) -> int:
        if s not in self.offsets:
            self.offsets[s] = len(self.data)
            self.data += s.encode() + b"\0"
        return self.offsets[s]


def _align(buf: bytearray, n: int) -> int:
    buf += b"\0" * (-len(buf) % n)
    return len(buf)


def image(bits: int) -> bytes:
    """The vDSO's bytes for a 64- or 32-bit process: one read-execute segment at 0."""
    return _build(bits)[0]


def symbol_offset(bits: int, name: str) -> int:
    """Where a function of the image starts."""
    return _build(bits)[1][name]


@functools.cache
def _build(bits: int) -> tuple[bytes, dict[str, int]]:
    wide = bits == 64
    word = "Q" if wide else "I"
    ehdr_size, phdr_size, shdr_size = (64, 56, 64) if wide else (52, 32, 40)
    sym_size, dyn_size = (24, 16) if wide else (16, 8)
    phnum = 2
    dynstr = _Strings()
    soname = dynstr.add(SONAME[bits])
    version_names = [dynstr.add(v) for v in VERSIONS[bits]]

    # Code first (its offsets go into the symbols); it is placed after the tables below.
    code, where = bytearray(), {}
    for name, body, _, _ in FUNCTIONS[bits]:
        where[name] = len(code)
        code += body
        code += b"\xcc" * (-len(code) % 16)
    symbols = [(name, where[name], len(body), version, bind)
               for name, body, version, bind in FUNCTIONS[bits]]
    by_name = {s[0]: s for s in symbols}
    symbols += [(alias, by_name[target][1], by_name[target][2], by_name[target][3], STB_WEAK)
                for alias, target in ALIASES[bits].items()]
    nsyms = len(symbols) + 1

    out = bytearray(ehdr_size + phnum * phdr_size)
    # .hash: nbucket, nchain, buckets, chains
    hash_off = _align(out, 4)
    nbucket = max(1, nsyms // 2)
    buckets, chains = [0] * nbucket, [0] * nsyms
    for i, (name, *_rest) in enumerate(symbols, 1):
        b = elf_hash(name.encode()) % nbucket
        chains[i], buckets[b] = buckets[b], i
    out += struct.pack(f"<{2 + nbucket + nsyms}I", nbucket, nsyms, *buckets, *chains)
    # .dynsym (the text section's index is 6, below)
    dynsym_off = _align(out, 8)
    text_index = 6
    sym_rows = []
    for name, offset, size, version, bind in symbols:
        sym_rows.append((dynstr.add(name), offset, size, (bind << 4) | STT_FUNC))
    out += b"\0" * (sym_size * nsyms)
    # .dynstr
    dynstr_off = len(out)
    out += dynstr.data
    # .gnu.version
    versym_off = _align(out, 2)
    out += struct.pack(f"<{nsyms}H", 0, *(s[3] for s in symbols))
    # .gnu.version_d: the file's own name first (VER_FLG_BASE), then each version
    verdef_off = _align(out, 4)
    names = [(soname, SONAME[bits])] + list(zip(version_names, VERSIONS[bits]))
    for ndx, (str_off, text) in enumerate(names, 1):
        last = ndx == len(names)
        out += struct.pack("<HHHHIII", 1, VER_FLG_BASE if ndx == 1 else 0, ndx, 1,
                           elf_hash(text.encode()), 20, 0 if last else 28)
        out += struct.pack("<II", str_off, 0)
    # .text
    text_off = _align(out, 16)
    out += code
    # .dynamic
    dynamic_off = _align(out, 8)
    dyn = [(DT_HASH, hash_off), (DT_STRTAB, dynstr_off), (DT_SYMTAB, dynsym_off),
           (DT_STRSZ, len(dynstr.data)), (DT_SYMENT, sym_size), (DT_SONAME, soname),
           (DT_VERSYM, versym_off), (DT_VERDEF, verdef_off), (DT_VERDEFNUM, len(names)),
           (DT_NULL, 0)]
    for tag, val in dyn:
        out += struct.pack(f"<{'q' if wide else 'i'}{word}", tag, val)
    load_end = len(out)
    # Section names and headers: not loaded by Linux's rules, but dietlibc reads them.
    shstr = _Strings()
    shstrtab_off = len(out)
    sections = [  # name, type, flags, offset, size, link, info, align, entsize
        ("", 0, 0, 0, 0, 0, 0, 0, 0),
        (".hash", SHT_HASH, SHF_ALLOC, hash_off, dynsym_off - hash_off, 2, 0, 4, 4),
        (".dynsym", SHT_DYNSYM, SHF_ALLOC, dynsym_off, sym_size * nsyms, 3, 1, 8, sym_size),
        (".dynstr", SHT_STRTAB, SHF_ALLOC, dynstr_off, len(dynstr.data), 0, 0, 1, 0),
        (".gnu.version", SHT_GNU_VERSYM, SHF_ALLOC, versym_off, 2 * nsyms, 2, 0, 2, 2),
        (".gnu.version_d", SHT_GNU_VERDEF, SHF_ALLOC, verdef_off, 28 * len(names), 3,
         len(names), 4, 0),
        (".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, text_off, len(code), 0, 0, 16, 0),
        (".dynamic", SHT_DYNAMIC, SHF_ALLOC, dynamic_off, load_end - dynamic_off, 3, 0, 8,
         dyn_size),
        (".shstrtab", SHT_STRTAB, 0, 0, 0, 0, 0, 1, 0),
    ]
    assert sections[text_index][0] == ".text"
    name_offs = [shstr.add(s[0]) if s[0] else 0 for s in sections]
    out += shstr.data
    shoff = _align(out, 8)
    sections[-1] = sections[-1][:3] + (shstrtab_off, len(shstr.data)) + sections[-1][5:]
    for name_off, (_, typ, flags, off, size, link, info, align, entsize) in zip(name_offs,
                                                                                 sections):
        addr = off if flags & SHF_ALLOC else 0
        if wide:
            out += struct.pack("<IIQQQQIIQQ", name_off, typ, flags, addr, off, size, link,
                               info, align, entsize)
        else:
            out += struct.pack("<IIIIIIIIII", name_off, typ, flags, addr, off, size, link,
                               info, align, entsize)

    # The symbols now that .text's place is known.
    for i, (name_off, offset, size, info) in enumerate(sym_rows, 1):
        value = text_off + offset
        at = dynsym_off + i * sym_size
        if wide:
            out[at:at + sym_size] = struct.pack("<IBBHQQ", name_off, info, 0, text_index,
                                                value, size)
        else:
            out[at:at + sym_size] = struct.pack("<IIIBBH", name_off, value, size, info, 0,
                                                text_index)
    # The headers.
    ident = b"\x7fELF" + bytes([2 if wide else 1, 1, 1]) + b"\0" * 9
    machine = EM_X86_64 if wide else EM_386
    head = struct.pack(f"<16sHHI{word}{word}{word}IHHHHHH", ident, ET_DYN, machine, 1, 0,
                       ehdr_size, shoff, 0, ehdr_size, phdr_size, phnum, shdr_size,
                       len(sections), len(sections) - 1)
    phdrs = [(PT_LOAD, PF_R | PF_X, 0, 0, load_end, load_end, PAGE),
             (PT_DYNAMIC, PF_R, dynamic_off, dynamic_off, load_end - dynamic_off,
              load_end - dynamic_off, 8)]
    out[:len(head)] = head
    for k, (typ, flags, off, vaddr, filesz, memsz, align) in enumerate(phdrs):
        at = ehdr_size + k * phdr_size
        if wide:
            row = struct.pack("<IIQQQQQQ", typ, flags, off, vaddr, vaddr, filesz, memsz, align)
        else:
            row = struct.pack("<IIIIIIII", typ, off, vaddr, vaddr, filesz, memsz, flags, align)
        out[at:at + phdr_size] = row
    return bytes(out), {name: text_off + offset for name, offset, *_ in symbols}


def signal_return(mm, rt: bool) -> int:
    """Where an i386 handler installed without SA_RESTORER returns to: the vDSO's
    __kernel_(rt_)sigreturn, as Linux's ia32 frames; 0 when the process has no vDSO."""
    if not mm.vdso or mm.bits != 32:
        return 0
    return mm.vdso + symbol_offset(32, "__kernel_rt_sigreturn" if rt else "__kernel_sigreturn")


def map_vdso(mm) -> tuple[int, int]:
    """Copy the vDSO into a fresh read-execute mapping; returns its address and, on i386,
    __kernel_vsyscall's (else 0)."""
    data = image(mm.bits)
    addr = mm.find_free(len(data))
    mm.map(addr, len(data), PROT_READ | PROT_EXEC, "[vdso]")
    mm.write_force(addr, data)
    mm.vdso = addr
    entry = addr + symbol_offset(mm.bits, "__kernel_vsyscall") if mm.bits == 32 else 0
    return addr, entry

