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


def read_user_desc(proc, u_info: int, can_allocate: bool) -> tuple[int, bytes | None]:
    """The TLS entry and descriptor a struct user_desc asks for (None: clear the entry), with
    Linux's do_set_thread_area checks: EFAULT for a struct it cannot read, EINVAL for what
    tls_desc_okay refuses (16-bit, code and not-present segments, other than the two ways of
    saying "no segment") or an entry outside the TLS slots; entry -1 picks a free one (ESRCH
    when none is) only where the caller may allocate, as set_thread_area may and clone's
    CLONE_SETTLS may not."""
    raw = proc.mm.read(u_info, 16)
    entry, base, limit, bits = struct.unpack("<iIII", raw)
    seg_32bit, contents = bits & 1, (bits >> 1) & 3
    read_exec_only, limit_in_pages = (bits >> 3) & 1, (bits >> 4) & 1
    seg_not_present, useable = (bits >> 5) & 1, (bits >> 6) & 1
    others_clear = base == 0 and limit == 0 and contents == 0 and seg_32bit == 0 and \
        limit_in_pages == 0 and useable == 0
    empty = others_clear and read_exec_only == 1 and seg_not_present == 1     # LDT_empty
    zero = others_clear and read_exec_only == 0 and seg_not_present == 0      # LDT_zero
    if not (empty or zero) and (not seg_32bit or contents > 1 or seg_not_present):
        raise KernelError(errno.EINVAL)
    if entry == -1 and can_allocate:
        entry = next((i for i in range(TLS_MIN, TLS_MIN + TLS_COUNT) if i not in proc.tls), -1)
        if entry == -1:
            raise KernelError(errno.ESRCH)
        proc.mm.write(u_info, struct.pack("<i", entry))
    if not TLS_MIN <= entry < TLS_MIN + TLS_COUNT:
        raise KernelError(errno.EINVAL)
    if empty or zero:
        return entry, None
    type_ = 0x1 | (0 if read_exec_only else 0x2) | (contents << 2)
    access = 0x80 | 0x60 | 0x10 | type_       # present, DPL 3, code/data, accessed
    flags = (0x8 if limit_in_pages else 0) | (0x4 if seg_32bit else 0) | (0x1 if useable else 0)
    return entry, descriptor(base, limit, access, flags)


def install_tls(proc, entry: int, desc: bytes | None) -> None:
    """Put a descriptor read_user_desc gave in the process's GDT (None clears the entry)."""
    if desc is None:
        proc.tls.pop(entry, None)
    else:
        proc.tls[entry] = desc
    write_gdt(proc)


def set_thread_area(proc, u_info: int) -> int:
    """set_thread_area(struct user_desc *): install a TLS descriptor, -1 picks a free entry."""
    install_tls(proc, *read_user_desc(proc, u_info, can_allocate=True))
    return 0
