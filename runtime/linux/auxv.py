"""Linux's start-up stack for a new program (create_elf_tables): the file name exec was given,
the environment and argument strings, the platform string and 16 random bytes, then argc,
argv, envp and the auxiliary vector, describing an ELF program from what its loader found
(binfmt.StartStack) and where its vDSO is (linux/vdso.py)."""
from __future__ import annotations

import os
from array import array

from ..startstack import StartStackWriter
from .vdso import AT_SYSINFO, AT_SYSINFO_EHDR, map_vdso

AT_PHDR, AT_PHENT, AT_PHNUM, AT_PAGESZ, AT_BASE, AT_FLAGS, AT_ENTRY = 3, 4, 5, 6, 7, 8, 9
AT_UID, AT_EUID, AT_GID, AT_EGID, AT_PLATFORM, AT_HWCAP, AT_CLKTCK = 11, 12, 13, 14, 15, 16, 17
AT_SECURE, AT_RANDOM, AT_HWCAP2, AT_EXECFN = 23, 25, 26, 31
HWCAP_X86 = 0x078BFBFF   # CPUID leaf 1's EDX of the emulated CPU: what AT_HWCAP reports
CLK_TCK = 100
PLATFORM = {64: b"x86_64", 32: b"i686"}


def elf_auxv(start) -> list[tuple[int, int]]:
    """The entries an ELF program's loader left facts for (none for a flat image)."""
    if not start.phnum:
        return []
    return [(AT_PHDR, start.phdr), (AT_PHENT, start.phent), (AT_PHNUM, start.phnum),
            (AT_PAGESZ, 4096), (AT_BASE, start.interp_base), (AT_FLAGS, 0),
            (AT_ENTRY, start.program_entry), (AT_UID, 0), (AT_EUID, 0), (AT_GID, 0),
            (AT_EGID, 0), (AT_HWCAP, HWCAP_X86), (AT_CLKTCK, CLK_TCK), (AT_SECURE, 0),
            (AT_HWCAP2, 0)]


def set_credentials(mm, sp: int, cred, secure: bool) -> None:
    """Fill the start-up stack's AT_UID, AT_EUID, AT_GID, AT_EGID and AT_SECURE from the
    credentials exec settled on after the stack was laid out (as create_elf_tables writes
    them from bprm->cred). The vectors are read in one piece (argc to the stack's top) and
    walked in Python: a read a word cost 100 us an exec."""
    w = mm.bits // 8
    vma = mm.find_vma(sp)
    words = array("Q" if w == 8 else "I", mm.read(sp, (vma.end - sp) // w * w))
    at = words[0] + 2                              # past argc and argv's NULL
    while words[at]:                               # the environment, to its NULL
        at += 1
    at += 1
    values = {AT_UID: cred.uid, AT_EUID: cred.euid, AT_GID: cred.gid, AT_EGID: cred.egid,
              AT_SECURE: int(secure)}
    while words[at]:                               # to AT_NULL
        if words[at] in values:
            mm.write_force(sp + (at + 1) * w, values[words[at]].to_bytes(w, "little"))
        at += 2


def start_stack(mm, start) -> int:
    """Lay out the stack below start.top; returns the initial stack pointer (at argc)."""
    out = StartStackWriter(mm, start.top)
    execfn = out.push(start.execfn + b"\0")
    envp = out.push_strings(start.envp)
    argv = out.push_strings(start.argv)
    arg_end = argv[-1] + len(start.argv[-1]) + 1 if argv else 0
    env_end = envp[-1] + len(start.envp[-1]) + 1 if envp else arg_end
    mm.arg_area = (argv[0] if argv else 0, arg_end, envp[0] if envp else arg_end, env_end)
    platform = out.push(PLATFORM[mm.bits] + b"\0")
    out.align()
    random = out.push(os.urandom(16))
    out.align()
    auxv = vdso_auxv(mm, start) + elf_auxv(start) + [(AT_RANDOM, random), (AT_EXECFN, execfn),
                                                     (AT_PLATFORM, platform)]
    return out.finish(argv, envp, auxv)


def vdso_auxv(mm, start) -> list[tuple[int, int]]:
    """Map the vDSO into an ELF program's space (arch_setup_additional_pages) and name it;
    a flat image gets none."""
    if not start.phnum:
        return []
    ehdr, vsyscall = map_vdso(mm)
    return ([(AT_SYSINFO, vsyscall)] if vsyscall else []) + [(AT_SYSINFO_EHDR, ehdr)]
