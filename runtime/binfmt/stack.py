"""The initial user stack the Linux kernel builds for a new program: strings, auxv, envp,
argv and argc, in create_elf_tables' layout."""
from __future__ import annotations

import os
import struct

AT_NULL, AT_PHDR, AT_PHENT, AT_PHNUM, AT_PAGESZ, AT_BASE, AT_FLAGS, AT_ENTRY = 0, 3, 4, 5, 6, 7, 8, 9
AT_UID, AT_EUID, AT_GID, AT_EGID, AT_PLATFORM, AT_HWCAP, AT_CLKTCK = 11, 12, 13, 14, 15, 16, 17
AT_SECURE, AT_RANDOM, AT_HWCAP2, AT_EXECFN = 23, 25, 26, 31


def build_stack(mm, top: int, argv: list[bytes], envp: list[bytes], auxv: list[tuple[int, int]],
                execfn: bytes, platform: bytes) -> int:
    """Write the start-up stack below top; returns the initial stack pointer (at argc)."""
    word = mm.bits // 8
    pack = "<Q" if word == 8 else "<I"
    sp = top
    blobs = []

    def push_bytes(data: bytes) -> int:
        nonlocal sp
        sp -= len(data)
        blobs.append((sp, data))
        return sp

    execfn_ptr = push_bytes(execfn + b"\0")
    env_ptrs = [push_bytes(e + b"\0") for e in reversed(envp)][::-1]
    arg_ptrs = [push_bytes(a + b"\0") for a in reversed(argv)][::-1]
    platform_ptr = push_bytes(platform + b"\0")
    sp &= ~15
    random_ptr = push_bytes(os.urandom(16))
    sp &= ~15
    auxv = auxv + [(AT_RANDOM, random_ptr), (AT_EXECFN, execfn_ptr), (AT_PLATFORM, platform_ptr),
                   (AT_NULL, 0)]
    words = [len(argv)] + arg_ptrs + [0] + env_ptrs + [0]
    for key, value in auxv:
        words += [key, value]
    sp -= len(words) * word
    sp &= ~15
    # Linux's mm->saved_auxv: what /proc/PID/auxv (and a debugger, for PIE and ld.so) reads.
    mm.saved_auxv = b"".join(struct.pack(pack, w & ((1 << (8 * word)) - 1))
                             for w in words[len(argv) + len(envp) + 3:])
    for addr, data in blobs:
        mm.write(addr, data)
    mm.write(sp, b"".join(struct.pack(pack, w & ((1 << (8 * word)) - 1)) for w in words))
    return sp


def common_auxv(entry: int, phdr: int, phent: int, phnum: int, base: int, hwcap: int) -> list:
    return [(AT_PHDR, phdr), (AT_PHENT, phent), (AT_PHNUM, phnum), (AT_PAGESZ, 4096),
            (AT_BASE, base), (AT_FLAGS, 0), (AT_ENTRY, entry), (AT_UID, 0), (AT_EUID, 0),
            (AT_GID, 0), (AT_EGID, 0), (AT_HWCAP, hwcap), (AT_CLKTCK, 100), (AT_SECURE, 0),
            (AT_HWCAP2, 0)]
