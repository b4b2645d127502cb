"""ELF executables (binfmt_elf): static, static-pie, and dynamic ones whose interpreter is
inside the root. x86-64 files load as `elf64`, i386 files as `elf32`."""
from __future__ import annotations

import errno
import io

from elftools.common.exceptions import ELFError
from elftools.elf.elffile import ELFFile

from ..errors import ExecError
from ..mm import AddressSpace, page_down, page_up
from . import Image, load_into_fresh_space
from .stack import build_stack, common_auxv

PT_LOAD, PT_INTERP, PT_PHDR, PT_GNU_STACK = 1, 3, 6, 0x6474E551
PF_X, PF_W, PF_R = 1, 2, 4
EM_386, EM_X86_64 = 3, 62
HWCAP_X86 = 0x078BFBFF


def _prot(flags: int) -> int:
    return (1 if flags & PF_R else 0) | (2 if flags & PF_W else 0) | (4 if flags & PF_X else 0)


class ElfFile:
    """The parts of an ELF file exec needs, validated; ENOEXEC with a reason otherwise."""

    def __init__(self, data: bytes, path: str):
        self.path = path
        try:
            elf = ELFFile(io.BytesIO(data))
            self.bits = elf.elfclass
            self.machine = elf["e_machine"]
            self.type = elf["e_type"]
            self.entry = elf["e_entry"]
            self.phoff, self.phentsize, self.phnum = elf["e_phoff"], elf["e_phentsize"], elf["e_phnum"]
            self.segments = [dict(s.header) for s in elf.iter_segments()]
            self.interp = None
            for seg in self.segments:
                if seg["p_type"] == "PT_INTERP":
                    raw = data[seg["p_offset"]:seg["p_offset"] + seg["p_filesz"]]
                    self.interp = raw.split(b"\0", 1)[0].decode(errors="replace")
        except (ELFError, ValueError, KeyError, TypeError, AssertionError, OSError) as exc:
            raise ExecError(errno.ENOEXEC, f"{path}: malformed ELF file: {exc}") from None
        except Exception as exc:  # pyelftools raises assorted errors on hostile input
            raise ExecError(errno.ENOEXEC, f"{path}: malformed ELF file: {type(exc).__name__}") from None
        if elf.little_endian is False:
            raise ExecError(errno.ENOEXEC, f"{path}: big-endian ELF is not x86")
        want = {64: "EM_X86_64", 32: "EM_386"}[self.bits]
        if self.machine != want:
            raise ExecError(errno.ENOEXEC, f"{path}: ELF for {self.machine}, not x86 ({want})")
        if self.type not in ("ET_EXEC", "ET_DYN"):
            raise ExecError(errno.ENOEXEC, f"{path}: ELF type {self.type} is not an executable")
        self.loads = [s for s in self.segments if s["p_type"] == "PT_LOAD"]
        if not self.loads:
            raise ExecError(errno.ENOEXEC, f"{path}: ELF file has no loadable segment")
        for s in self.loads:
            if s["p_filesz"] > s["p_memsz"] or s["p_offset"] + s["p_filesz"] > len(data):
                raise ExecError(errno.ENOEXEC, f"{path}: ELF segment runs past the end of the file")
            if s["p_vaddr"] + s["p_memsz"] >= 1 << self.bits:
                raise ExecError(errno.ENOEXEC, f"{path}: ELF segment outside the address space")
        self.data = data

    def load(self, mm: AddressSpace, bias: int) -> tuple[int, int]:
        """Map every PT_LOAD at bias; returns (lowest address, end of the highest segment)."""
        low, high = None, 0
        for s in self.loads:
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
            mm.map(start, end - start, prot, self.path)
            payload = self.data[s["p_offset"]:s["p_offset"] + s["p_filesz"]]
            mm.write_force(s["p_vaddr"] + bias, payload)
            low = start if low is None else min(low, start)
            high = max(high, s["p_vaddr"] + bias + s["p_memsz"])
        return low or 0, high

    def phdr_address(self, bias: int) -> int:
        for s in self.segments:
            if s["p_type"] == "PT_PHDR":
                return s["p_vaddr"] + bias
        for s in self.loads:
            if s["p_offset"] <= self.phoff < s["p_offset"] + s["p_filesz"]:
                return s["p_vaddr"] + (self.phoff - s["p_offset"]) + bias
        return 0


class ElfHandler:
    """binfmt_elf: names its format elf64 / elf32; the table registry links each to a platform."""

    name = "elf"
    formats = ("elf64", "elf32")

    def recognises(self, bprm) -> bool:
        return bprm.header[:4] == b"\x7fELF"

    def load(self, kernel, bprm) -> Image:
        elf = ElfFile(bprm.data, bprm.path)
        return load_into_fresh_space(kernel, bprm, elf.bits,
                                     lambda mm: self._load(kernel, bprm, elf, mm))

    def _load(self, kernel, bprm, elf: ElfFile, mm: AddressSpace) -> Image:
        layout = mm.layout
        bias = layout.pie_base if elf.type == "ET_DYN" else 0
        _, high = elf.load(mm, bias)
        entry, base = elf.entry + bias, 0
        if elf.interp:
            interp_host, interp_data = kernel.open_exec(elf.interp, bprm)
            ld = ElfFile(interp_data, elf.interp)
            if ld.bits != elf.bits or ld.interp:
                raise ExecError(errno.ELIBBAD, f"{elf.interp}: unusable program interpreter")
            base = mm.find_free(page_up(max(s["p_vaddr"] + s["p_memsz"] for s in ld.loads)))
            ld.load(mm, base)
            entry = ld.entry + base
        mm.brk_start = mm.brk = page_up(high)
        mm.map(layout.stack_top - layout.stack_size, layout.stack_size, 3, "[stack]")
        auxv = common_auxv(elf.entry + bias, elf.phdr_address(bias), elf.phentsize, elf.phnum,
                           base, HWCAP_X86)
        platform = b"x86_64" if elf.bits == 64 else b"i686"
        sp = build_stack(mm, layout.stack_top, bprm.argv, bprm.envp, auxv,
                         bprm.filename.encode(), platform)
        return Image(f"elf{elf.bits}", elf.bits, mm, entry, sp)
