"""The registers gdb sees, per word size: the target description XML (gdb's own feature names,
so `info registers`, x87 and SSE work) and, in the same order, the engine register behind
each, which fixes the layout of the `g` packet."""
from __future__ import annotations

from dataclasses import dataclass

from unicorn import x86_const as X


@dataclass(frozen=True)
class Reg:
    name: str
    size: int          # bytes in the g packet
    uc: int            # UC_X86_REG_*, or 0: not kept by the engine (reads as zero)
    type: str
    feature: str
    group: str = ""


CORE, SSE, LINUX, SEGMENTS = ("org.gnu.gdb.i386.core", "org.gnu.gdb.i386.sse",
                              "org.gnu.gdb.i386.linux", "org.gnu.gdb.i386.segments")


def _x87() -> list[Reg]:
    regs = [Reg(f"st{i}", 10, getattr(X, f"UC_X86_REG_ST{i}"), "i387_ext", CORE)
            for i in range(8)]
    regs += [Reg("fctrl", 4, X.UC_X86_REG_FPCW, "int", CORE, "float"),
             Reg("fstat", 4, X.UC_X86_REG_FPSW, "int", CORE, "float"),
             Reg("ftag", 4, X.UC_X86_REG_FPTAG, "int", CORE, "float"),
             Reg("fiseg", 4, X.UC_X86_REG_FCS, "int", CORE, "float"),
             Reg("fioff", 4, X.UC_X86_REG_FIP, "int", CORE, "float"),
             Reg("foseg", 4, X.UC_X86_REG_FDS, "int", CORE, "float"),
             Reg("fooff", 4, X.UC_X86_REG_FDP, "int", CORE, "float"),
             Reg("fop", 4, X.UC_X86_REG_FOP, "int", CORE, "float")]
    return regs


def _segments(size: int) -> list[Reg]:
    return [Reg(n, 4, getattr(X, f"UC_X86_REG_{n.upper()}"), "int32", CORE)
            for n in ("cs", "ss", "ds", "es", "fs", "gs")]


def layout(bits: int) -> list[Reg]:
    if bits == 64:
        gprs = ["rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp"] + \
               [f"r{i}" for i in range(8, 16)]
        regs = [Reg(n, 8, getattr(X, f"UC_X86_REG_{n.upper()}"),
                    "data_ptr" if n in ("rbp", "rsp") else "int64", CORE) for n in gprs]
        regs += [Reg("rip", 8, X.UC_X86_REG_RIP, "code_ptr", CORE),
                 Reg("eflags", 4, X.UC_X86_REG_EFLAGS, "i386_eflags", CORE)]
        nxmm, orig, word = 16, "orig_rax", 8
    else:
        gprs = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"]
        regs = [Reg(n, 4, getattr(X, f"UC_X86_REG_{n.upper()}"),
                    "data_ptr" if n in ("ebp", "esp") else "int32", CORE) for n in gprs]
        regs += [Reg("eip", 4, X.UC_X86_REG_EIP, "code_ptr", CORE),
                 Reg("eflags", 4, X.UC_X86_REG_EFLAGS, "i386_eflags", CORE)]
        nxmm, orig, word = 8, "orig_eax", 4
    regs += _segments(4) + _x87()
    regs += [Reg(f"xmm{i}", 16, getattr(X, f"UC_X86_REG_XMM{i}"), "vec128", SSE)
             for i in range(nxmm)]
    regs += [Reg("mxcsr", 4, X.UC_X86_REG_MXCSR, "i386_mxcsr", SSE, "vector")]
    regs += [Reg(orig, word, 0, "int", LINUX)]
    if bits == 64:
        # gdb 13 fails an internal assertion on an i386 description with the segments
        # feature; i386 TLS lives in GDT descriptors (gs), not in a base register anyway.
        regs += [Reg("fs_base", word, X.UC_X86_REG_FS_BASE, "int", SEGMENTS),
                 Reg("gs_base", word, X.UC_X86_REG_GS_BASE, "int", SEGMENTS)]
    return regs


_EFLAGS = """
  <flags id="i386_eflags" size="4">
    <field name="CF" start="0" end="0"/><field name="" start="1" end="1"/>
    <field name="PF" start="2" end="2"/><field name="AF" start="4" end="4"/>
    <field name="ZF" start="6" end="6"/><field name="SF" start="7" end="7"/>
    <field name="TF" start="8" end="8"/><field name="IF" start="9" end="9"/>
    <field name="DF" start="10" end="10"/><field name="OF" start="11" end="11"/>
  </flags>"""

_VECTORS = """
  <vector id="v4f" type="ieee_single" count="4"/>
  <vector id="v2d" type="ieee_double" count="2"/>
  <vector id="v16i8" type="int8" count="16"/>
  <vector id="v8i16" type="int16" count="8"/>
  <vector id="v4i32" type="int32" count="4"/>
  <vector id="v2i64" type="int64" count="2"/>
  <union id="vec128">
    <field name="v4_float" type="v4f"/><field name="v2_double" type="v2d"/>
    <field name="v16_int8" type="v16i8"/><field name="v8_int16" type="v8i16"/>
    <field name="v4_int32" type="v4i32"/><field name="v2_int64" type="v2i64"/>
    <field name="uint128" type="uint128"/>
  </union>
  <flags id="i386_mxcsr" size="4">
    <field name="IE" start="0" end="0"/><field name="DE" start="1" end="1"/>
    <field name="ZE" start="2" end="2"/><field name="OE" start="3" end="3"/>
    <field name="UE" start="4" end="4"/><field name="PE" start="5" end="5"/>
    <field name="DAZ" start="6" end="6"/><field name="IM" start="7" end="7"/>
    <field name="DM" start="8" end="8"/><field name="ZM" start="9" end="9"/>
    <field name="OM" start="10" end="10"/><field name="UM" start="11" end="11"/>
    <field name="PM" start="12" end="12"/><field name="FZ" start="15" end="15"/>
  </flags>"""


_TYPES = {CORE: _EFLAGS, SSE: _VECTORS}


def target_xml(bits: int, linux: bool = True) -> str:
    """The description gdb reads through qXfer:features:read:target.xml. `linux` names the
    GNU/Linux OS ABI, which gdb needs to name system calls (`catch syscall write`)."""
    arch = "i386:x86-64" if bits == 64 else "i386"
    out = ['<?xml version="1.0"?>', '<!DOCTYPE target SYSTEM "gdb-target.dtd">',
           "<target>", f"  <architecture>{arch}</architecture>"]
    if linux:
        out.append("  <osabi>GNU/Linux</osabi>")
    feature = None
    for n, reg in enumerate(layout(bits)):
        if reg.feature != feature:
            if feature is not None:
                out.append("  </feature>")
            out.append(f'  <feature name="{reg.feature}">')
            out += [_TYPES.get(reg.feature, "")]
            feature = reg.feature
        group = f' group="{reg.group}"' if reg.group else ""
        out.append(f'    <reg name="{reg.name}" bitsize="{reg.size * 8}" type="{reg.type}" '
                   f'regnum="{n}"{group}/>')
    out += ["  </feature>", "</target>"]
    return "\n".join(out) + "\n"
