"""The exact address a memory fault touched. The engine's TLB fill sees only the page (Unicorn
fills a page at a time), but a fault handler learns the byte: Linux's si_addr, Windows'
ExceptionInformation[1]. HotSpot tells a stack overflow from a null pointer by it. The
faulting instruction is decoded and its memory operands evaluated with the registers as the
fault left them; the operand that lies in the faulting page gives the address."""
from __future__ import annotations

import os

from unicorn import UC_MEM_FETCH, UcError
from unicorn import x86_const as X

from .errors import KernelError

PAGE = 4096
STACK_PUSHES = ("push", "call", "pushf", "pushfq", "pushfd", "enter")
STACK_POPS = ("pop", "ret", "retf", "popf", "popfq", "popfd", "leave", "iret", "iretq")

_decoders: dict = {}


def _import_capstone():
    """capstone dlopens its library with RTLD_DEEPBIND, which AddressSanitizer refuses
    (it aborts the process); under the sanitizer build it is loaded without the flag."""
    if not os.environ.get("SYSVEC_SANITIZE") or not hasattr(os, "RTLD_DEEPBIND"):
        import capstone
        return capstone
    deepbind = os.RTLD_DEEPBIND
    del os.RTLD_DEEPBIND
    try:
        import capstone
    finally:
        os.RTLD_DEEPBIND = deepbind
    return capstone


def decoder(bits: int):
    """A capstone decoder for 32- or 64-bit code, with operand details, made once."""
    md = _decoders.get(bits)
    if md is None:
        cs = _import_capstone()
        md = _decoders[bits] = cs.Cs(cs.CS_ARCH_X86, cs.CS_MODE_64 if bits == 64 else cs.CS_MODE_32)
        md.detail = True
    return md


def _reg(uc, md, reg_id: int, insn) -> int:
    """A register capstone names, read from the engine (rip: the next instruction's)."""
    name = md.reg_name(reg_id)
    if name in ("rip", "eip"):
        return insn.address + insn.size
    return uc.reg_read(getattr(X, f"UC_X86_REG_{name.upper()}"))


def _segment_base(uc, md, seg_id: int, bits: int) -> int:
    name = md.reg_name(seg_id) if seg_id else ""
    if bits == 64 and name in ("fs", "gs"):
        return uc.reg_read(X.UC_X86_REG_FS_BASE if name == "fs" else X.UC_X86_REG_GS_BASE)
    return 0   # i386's fs/gs: a GDT descriptor's base; such faults keep the page


def _accesses(uc, md, insn, bits: int):
    """(address, size) of each memory access the instruction names or implies."""
    from capstone.x86 import X86_OP_MEM
    mask = (1 << bits) - 1
    for op in insn.operands:
        if op.type == X86_OP_MEM:
            m = op.mem
            ea = m.disp + _segment_base(uc, md, m.segment, bits)
            if m.base:
                ea += _reg(uc, md, m.base, insn)
            if m.index:
                ea += _reg(uc, md, m.index, insn) * m.scale
            yield ea & mask, max(op.size, 1)
    word = bits // 8
    sp = uc.reg_read(X.UC_X86_REG_RSP if bits == 64 else X.UC_X86_REG_ESP)
    if insn.mnemonic in STACK_PUSHES:
        yield (sp - word) & mask, word
    elif insn.mnemonic in STACK_POPS:
        yield sp, word


def memory_fault(cpu) -> bool:
    """Whether the fault is an access the TLB fill refused (not a #GP, #DE, #UD, ...)."""
    return bool(int(cpu.fault_access)) and not int(cpu.fault_intno)


def exact_fault_address(proc, cpu) -> int:
    """The first byte the faulting access could not reach, or the page's start when the
    instruction cannot tell (an unreadable instruction, an access it does not name); for a
    fault that is no memory access, the address the engine recorded."""
    page = int(cpu.fault_addr)
    pc = int(cpu.fault_pc)
    if not memory_fault(cpu):
        return page
    if int(cpu.fault_access) == UC_MEM_FETCH or proc.mm is None:
        return pc if pc // PAGE == page // PAGE else page   # the rest of an instruction
    bits = proc.engine.bits
    md = decoder(bits)
    try:
        code = proc.mm.read(pc, 16)
    except KernelError:
        try:
            code = proc.mm.read(pc, PAGE - pc % PAGE)   # the instruction ends its page
        except KernelError:
            return page
    insn = next(md.disasm(code, pc), None)
    if insn is None:
        return page
    uc = proc.engine.uc
    try:
        for ea, size in _accesses(uc, md, insn, bits):
            first, last = ea // PAGE, (ea + size - 1) // PAGE
            if first <= page // PAGE <= last:
                return max(ea, page)
    except (AttributeError, UcError):   # a register the engine does not name (eiz): the page
        pass
    return page
