"""ELF executables (binfmt_elf): static, static-pie, and dynamic ones whose interpreter is
inside the root. x86-64 files load as `elf64`, i386 files as `elf32`."""
from __future__ import annotations

import copy
import errno
import struct

from ..errors import ExecError
from ..mm import PAGE, STACK_EXPAND, AddressSpace, page_down, page_up
from . import Image, StartStack, load_into_fresh_space

PT_LOAD, PT_INTERP, PT_PHDR, PT_GNU_STACK = 1, 3, 6, 0x6474E551
PF_X, PF_W, PF_R = 1, 2, 4
EM_386, EM_X86_64 = 3, 62
ET_EXEC, ET_DYN = 2, 3
ELFCLASS = {1: 32, 2: 64}
# Program header fields in file order, per class (the 64-bit layout moves p_flags up).
PHDR = {32: ("<8I", ("p_type", "p_offset", "p_vaddr", "p_paddr", "p_filesz", "p_memsz",
                     "p_flags", "p_align")),
        64: ("<2I6Q", ("p_type", "p_flags", "p_offset", "p_vaddr", "p_paddr", "p_filesz",
                       "p_memsz", "p_align"))}
MAX_PHNUM = 4096  # Linux refuses more than 64 KiB of program headers


def _prot(flags: int) -> int:
    return (1 if flags & PF_R else 0) | (2 if flags & PF_W else 0) | (4 if flags & PF_X else 0)


class ElfFile:
    """The parts of an ELF file exec needs, validated; ENOEXEC with a reason otherwise."""

    def __init__(self, data: bytes, path: str):
        self.path = path
        if len(data) < 52 or data[:4] != b"\x7fELF":
            raise ExecError(errno.ENOEXEC, f"{path}: malformed ELF file: truncated header")
        self.bits = ELFCLASS.get(data[4])
        if self.bits is None:
            raise ExecError(errno.ENOEXEC, f"{path}: malformed ELF file: unknown class {data[4]}")
        if data[5] != 1:
            raise ExecError(errno.ENOEXEC, f"{path}: big-endian ELF is not x86")
        if self.bits == 64:
            if len(data) < 64:
                raise ExecError(errno.ENOEXEC, f"{path}: malformed ELF file: truncated header")
            (self.type, self.machine, _, self.entry, self.phoff, _, _, _, self.phentsize,
             self.phnum) = struct.unpack_from("<HHIQQQIHHH", data, 16)
        else:
            (self.type, self.machine, _, self.entry, self.phoff, _, _, _, self.phentsize,
             self.phnum) = struct.unpack_from("<HHIIIIIHHH", data, 16)
        want = EM_X86_64 if self.bits == 64 else EM_386
        if self.machine != want:
            raise ExecError(errno.ENOEXEC, f"{path}: ELF for machine {self.machine}, not x86 "
                            f"({'x86-64' if self.bits == 64 else 'i386'}, {want})")
        if self.type not in (ET_EXEC, ET_DYN):
            raise ExecError(errno.ENOEXEC, f"{path}: ELF type {self.type} is not an executable")
        fmt, names = PHDR[self.bits]
        size = struct.calcsize(fmt)
        if self.phentsize != size or not 0 < self.phnum <= MAX_PHNUM or \
                self.phoff + self.phnum * size > len(data):
            raise ExecError(errno.ENOEXEC, f"{path}: malformed ELF file: bad program headers")
        self.segments = [dict(zip(names, struct.unpack_from(fmt, data, self.phoff + i * size)))
                         for i in range(self.phnum)]
        self.interp = None
        for seg in self.segments:
            if seg["p_type"] == PT_INTERP:
                if seg["p_offset"] + seg["p_filesz"] > len(data):
                    raise ExecError(errno.ENOEXEC, f"{path}: malformed ELF file: "
                                    "interpreter name past the end of the file")
                raw = data[seg["p_offset"]:seg["p_offset"] + seg["p_filesz"]]
                self.interp = raw.split(b"\0", 1)[0].decode(errors="replace")
        self.loads = [s for s in self.segments if s["p_type"] == PT_LOAD]
        if not self.loads:
            raise ExecError(errno.ENOEXEC, f"{path}: ELF file has no loadable segment")
        for s in self.loads:
            if s["p_filesz"] > s["p_memsz"] or s["p_offset"] + s["p_filesz"] > len(data):
                raise ExecError(errno.ENOEXEC, f"{path}: ELF segment runs past the end of the file")
            if s["p_vaddr"] + s["p_memsz"] >= 1 << self.bits:
                raise ExecError(errno.ENOEXEC, f"{path}: ELF segment outside the address space")
        self.data = data

    def load(self, mm: AddressSpace, bias: int, file_pages=None, name: str = "",
             st=None) -> tuple[int, int]:
        """Map every PT_LOAD at bias; returns (lowest address, end of the highest segment).
        With file_pages (runtime/filepages.py), whole file pages are mapped copy-on-write
        from its shared frames instead of copied. The mappings show name and the file st
        (its resolved path and stat); a segment's pages past its file bytes are anonymous,
        as Linux's bss."""
        low, high = None, 0
        spans = [(page_down(s["p_vaddr"] + bias), page_up(s["p_vaddr"] + bias + s["p_memsz"]))
                 for s in self.loads]
        for i, s in enumerate(self.loads):
            start = page_down(s["p_vaddr"] + bias)
            end = page_up(s["p_vaddr"] + bias + s["p_memsz"])
            if end <= start:
                continue
            prot = _prot(s["p_flags"])
            # Pages shared with an earlier segment keep both protections.
            for v in list(mm.vmas):
                if v.start < end and v.end > start:
                    prot |= v.prot
            if end > mm.layout.user_top:
                raise ExecError(errno.ENOEXEC, f"{self.path}: ELF segment outside the address space")
            va, off, size = s["p_vaddr"] + bias, s["p_offset"], s["p_filesz"]
            file_end = min(end, page_up(va + size)) if size else start
            if file_end > start:
                mm.map(start, file_end - start, prot, name or self.path)
                if st is not None:
                    mm.mark_file(start, file_end, off - (va - start), st.st_dev, st.st_ino)
            if end > file_end:
                mm.map(file_end, end - file_end, prot)
            a, b = self._shareable(spans, i, va, off, size) if file_pages is not None else (va, va)
            frames = file_pages.frames(self.data, (off + a - va) // PAGE, (b - a) // PAGE) \
                if b > a else None
            if frames is None or mm.lib.sv_as_map_frames(mm.c, a, (b - a) // PAGE, frames) != 0:
                a = b = va   # copy every byte
            if a > va:
                mm.write_force(va, self.data[off:off + a - va])
            if off + size > off + b - va:
                mm.write_force(b, self.data[off + b - va:off + size])
            low = start if low is None else min(low, start)
            high = max(high, s["p_vaddr"] + bias + s["p_memsz"])
        return low or 0, high

    @staticmethod
    def _shareable(spans, i: int, va: int, off: int, size: int) -> tuple[int, int]:
        """The whole file pages of segment i: [a, b) within its file bytes, on no page of
        another segment (such a page is mapped again by it). a == b: none."""
        if (va - off) % PAGE:
            return va, va
        a, b = page_up(va), page_down(va + size)
        for j, (start, end) in enumerate(spans):
            if j != i and start < b and end > a:
                if start <= a:
                    a = max(a, end)
                else:
                    b = min(b, start)
        return (a, b) if b > a else (va, va)

    def phdr_address(self, bias: int) -> int:
        for s in self.segments:
            if s["p_type"] == PT_PHDR:
                return s["p_vaddr"] + bias
        for s in self.loads:
            if s["p_offset"] <= self.phoff < s["p_offset"] + s["p_filesz"]:
                return s["p_vaddr"] + (self.phoff - s["p_offset"]) + bias
        return 0


def _stack_size(bprm, bits: int) -> int:
    """The stack exec maps, as setup_arg_pages: the pages the arguments, environment and
    auxiliary vector take, and 128 KiB more within RLIMIT_STACK. It grows down from there
    when used (runtime/mm.py's map_stack)."""
    word = bits // 8
    strings = sum(len(s) + 1 for s in bprm.argv) + sum(len(s) + 1 for s in bprm.envp) + \
        len(bprm.filename.encode()) + 1
    vector = (len(bprm.argv) + len(bprm.envp) + 2 + 2 * 32) * word + 256   # auxv, AT_RANDOM
    args = page_up(strings + vector)
    return max(args, min(args + STACK_EXPAND, bprm.rlim_stack & ~(PAGE - 1)))


def _interpreter_base(mm: AddressSpace, ld: ElfFile) -> int:
    """Where the interpreter goes: an ET_DYN one (ld.so) anywhere free, as a bias; an ET_EXEC
    one (klibc's shared library) where it is linked, as Linux's load_elf_interp does."""
    low = page_down(min(s["p_vaddr"] for s in ld.loads))
    high = page_up(max(s["p_vaddr"] + s["p_memsz"] for s in ld.loads))
    if ld.type == ET_DYN:
        return mm.find_free(high - low) - low
    if high > mm.layout.user_top or mm.overlaps(low, high):
        raise ExecError(errno.ELIBBAD, f"{ld.path}: the interpreter is linked at an address "
                        "the program already uses")
    return 0


class ElfHandler:
    """binfmt_elf: names its format elf64 / elf32; the table registry links each to a platform."""

    name = "elf"
    formats = ("elf64", "elf32")

    def recognises(self, bprm) -> bool:
        return bprm.header[:4] == b"\x7fELF"

    @staticmethod
    def _file_pages(kernel, mm, data: bytes):
        """The engine's shared file pages, for a file the program cache keeps (one bytes
        object per file version); None for others, which are copied."""
        return mm.engine.file_pages if kernel.programs.holds(data) else None

    @staticmethod
    def parse(kernel, data: bytes, path: str) -> ElfFile:
        """The file's headers, parsed once per cached program (a shell execs busybox again
        and again); the copy names the path this exec used."""
        elf = copy.copy(kernel.programs.derived(data, "elf", lambda: ElfFile(data, path)))
        elf.path = path
        return elf

    def load(self, kernel, bprm) -> Image:
        elf = self.parse(kernel, bprm.data, bprm.path)
        return load_into_fresh_space(kernel, bprm, elf.bits,
                                     lambda mm: self._load(kernel, bprm, elf, mm))

    def _load(self, kernel, bprm, elf: ElfFile, mm: AddressSpace) -> Image:
        layout = mm.layout
        layout.place_mmap_base(bprm.rlim_stack)
        bias = layout.pie_base if elf.type == ET_DYN else 0
        _, high = elf.load(mm, bias, self._file_pages(kernel, mm, bprm.data), bprm.guest_path,
                           bprm.inode)
        entry, base = elf.entry + bias, 0
        if elf.interp:
            interp_stat = []
            interp_path, interp_data = kernel.open_exec(elf.interp, bprm, interp_stat)
            ld = self.parse(kernel, interp_data, elf.interp)
            if ld.bits != elf.bits or ld.interp:
                raise ExecError(errno.ELIBBAD, f"{elf.interp}: unusable program interpreter")
            base = _interpreter_base(mm, ld)
            ld.load(mm, base, self._file_pages(kernel, mm, interp_data), interp_path,
                    interp_stat[0] if interp_stat else None)
            entry = ld.entry + base
        mm.brk_start = mm.brk = page_up(high)
        mm.map_stack(layout.stack_top, _stack_size(bprm, elf.bits), bprm.rlim_stack)
        start = StartStack(layout.stack_top, bprm.argv, bprm.envp, bprm.filename.encode(),
                           program_entry=elf.entry + bias, phdr=elf.phdr_address(bias),
                           phent=elf.phentsize, phnum=elf.phnum, interp_base=base)
        return Image(f"elf{elf.bits}", elf.bits, mm, entry, 0, start=start)
