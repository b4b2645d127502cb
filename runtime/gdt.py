"""The i386 engine's GDT: flat 32-bit code and data segments, and the TLS entries that
set_thread_area fills (glibc and musl then load %gs with selector 0x63).

Each 32-bit process has its own GDT page at GDT_BASE in its address space (readable, not
writable by the guest), so TLS descriptors are per process like the kernel's per-thread ones."""
from __future__ import annotations

import errno
import struct

from unicorn import x86_const as X

from .errors import KernelError

GDT_BASE = 0xFFFFF000
GDT_ENTRIES = 16
TLS_MIN, TLS_COUNT = 12, 3
CODE_SEL, DATA_SEL = 1 << 3, 2 << 3


def descriptor(base: int, limit: int, access: int, flags: int) -> bytes:
    low = (limit & 0xFFFF) | (base & 0xFFFF) << 16
    high = ((base >> 16) & 0xFF) | access << 8 | ((limit >> 16) & 0xF) << 16 | flags << 20 | \
        ((base >> 24) & 0xFF) << 24
    return struct.pack("<II", low, high)


def gdt_bytes(tls: dict) -> bytes:
    entries = [b"\0" * 8] * GDT_ENTRIES
    # Accessed bits preset: the CPU would otherwise write them into the read-only page.
    entries[1] = descriptor(0, 0xFFFFF, 0x9B, 0xC)
    entries[2] = descriptor(0, 0xFFFFF, 0x93, 0xC)
    for index, desc in tls.items():
        entries[index] = desc
    return b"".join(entries)


def setup_engine(engine) -> None:
    """Load GDTR and flat CS/DS/ES/SS once; every process's context starts from this."""
    from .mm import AddressSpace

    boot = AddressSpace(engine)
    boot.map(GDT_BASE, 4096, 1, "[gdt]", kernel=True)
    boot.write_force(GDT_BASE, gdt_bytes({}))
    engine.cpu.aspace = boot.c
    uc = engine.uc
    uc.reg_write(X.UC_X86_REG_GDTR, (0, GDT_BASE, GDT_ENTRIES * 8 - 1, 0))
    for reg, sel in ((X.UC_X86_REG_CS, CODE_SEL), (X.UC_X86_REG_SS, DATA_SEL),
                     (X.UC_X86_REG_DS, DATA_SEL), (X.UC_X86_REG_ES, DATA_SEL)):
        uc.reg_write(reg, sel)
    engine.cpu.aspace = engine.ffi.NULL
    boot.release()


def setup_process(proc) -> None:
    proc.mm.map(GDT_BASE, 4096, 1, "[gdt]", kernel=True)
    write_gdt(proc)


def write_gdt(proc) -> None:
    proc.mm.write_force(GDT_BASE, gdt_bytes(proc.tls))


def set_thread_area(proc, u_info: int) -> int:
    """set_thread_area(struct user_desc *): install a TLS descriptor, -1 picks a free entry."""
    raw = proc.mm.read(u_info, 16)
    entry, base, limit, bits = struct.unpack("<iIII", raw)
    if entry == -1:
        entry = next((i for i in range(TLS_MIN, TLS_MIN + TLS_COUNT) if i not in proc.tls), -1)
        if entry == -1:
            raise KernelError(errno.ESRCH)
        proc.mm.write(u_info, struct.pack("<i", entry))
    if not TLS_MIN <= entry < TLS_MIN + TLS_COUNT:
        raise KernelError(errno.EINVAL)
    seg_32bit, contents = bits & 1, (bits >> 1) & 3
    read_exec_only, limit_in_pages = (bits >> 3) & 1, (bits >> 4) & 1
    seg_not_present = (bits >> 5) & 1
    if seg_not_present or (base == 0 and limit == 0 and read_exec_only):
        proc.tls.pop(entry, None)
    else:
        type_ = 0x1 | (0 if read_exec_only else 0x2) | (contents << 2)
        access = 0x80 | 0x60 | 0x10 | type_       # present, DPL 3, code/data, accessed
        flags = (0x8 if limit_in_pages else 0) | (0x4 if seg_32bit else 0)
        proc.tls[entry] = descriptor(base, limit, access, flags)
    write_gdt(proc)
    return 0
