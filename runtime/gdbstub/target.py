"""A stopped thread as gdb reads and writes it: registers from its saved engine context (in
the description's order, tdesc.py), memory through its process's own address space."""
from __future__ import annotations

from .tdesc import layout


# --- registers: the saved context of a stopped thread ---------------------------------

def reg_bytes(proc, reg) -> bytes:
    if not reg.uc:
        return bytes(reg.size)
    engine = proc.engine
    buf = engine.ffi.new("uint8_t[64]")
    engine.lib.uc_context_reg_read(proc.context, reg.uc, buf)
    return bytes(engine.ffi.buffer(buf, reg.size))


def read_registers(proc) -> str:
    if proc is None or proc.context is None:
        return "E01"
    return "".join(reg_bytes(proc, r).hex() for r in layout(proc.engine.bits))


def read_register(proc, n: int) -> str:
    regs = layout(proc.engine.bits) if proc else []
    if proc is None or proc.context is None or n >= len(regs):
        return "E01"
    return reg_bytes(proc, regs[n]).hex()


def set_reg(proc, reg, data: bytes) -> None:
    if not reg.uc:
        return
    engine = proc.engine
    buf = engine.ffi.new("uint8_t[64]")
    engine.lib.uc_context_reg_read(proc.context, reg.uc, buf)   # keep the bytes past size
    engine.ffi.memmove(buf, data[:reg.size], min(len(data), reg.size))
    engine.lib.uc_context_reg_write(proc.context, reg.uc, buf)


def write_registers(proc, data: bytes) -> str:
    if proc is None or proc.context is None:
        return "E01"
    pos = 0
    for reg in layout(proc.engine.bits):
        if pos + reg.size > len(data):
            break
        set_reg(proc, reg, data[pos:pos + reg.size])
        pos += reg.size
    return "OK"


def write_register(proc, n: int, data: bytes) -> str:
    regs = layout(proc.engine.bits) if proc else []
    if proc is None or proc.context is None or n >= len(regs):
        return "E01"
    set_reg(proc, regs[n], data)
    return "OK"


def pc(proc) -> int:
    reg = next(r for r in layout(proc.engine.bits) if r.name in ("rip", "eip"))
    return int.from_bytes(reg_bytes(proc, reg), "little")


# --- memory: the process's own address space ---------------------------------------

def read_memory(proc, addr: int, length: int) -> str:
    if proc is None or proc.mm is None:
        return "E01"
    length = min(length, 0x4000)
    out = b""
    try:
        out = proc.mm.read(addr, length)
    except Exception:
        while len(out) < length:   # a partial read up to the first bad byte
            try:
                out += proc.mm.read(addr + len(out), 1)
            except Exception:
                break
    return out.hex() if out else "E14"


def write_memory(proc, addr: int, data: bytes) -> str:
    if proc is None or proc.mm is None:
        return "E01"
    try:
        # A private copy of the page for this process (copy-on-write broken), so a write
        # (a patched instruction, a changed variable) never shows in another process.
        proc.mm.write_force(addr, data)
    except Exception:
        return "E14"
    proc.engine.uc.ctl_flush_tb()   # the bytes may be code already translated
    return "OK"
