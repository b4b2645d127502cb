"""Addresses as people read them: `crash_here+0x12` and `crash.c:7`, from the program's symbol
table and DWARF line program (ELF through pyelftools; PE through pefile, whose mingw `-g`
builds carry DWARF sections too). Imported only when a crash report or a caller trace needs
it, and each file is parsed once."""
from __future__ import annotations

import bisect
import io
import os
import struct
from dataclasses import dataclass

_CACHE: dict[tuple, "DebugInfo | None"] = {}


@dataclass
class Place:
    function: str | None
    offset: int
    file: str | None = None
    line: int | None = None

    def symbol(self) -> str:
        return f"{self.function}+{self.offset:#x}" if self.offset else str(self.function)

    def source(self) -> str | None:
        return f"{self.file}:{self.line}" if self.file and self.line else None


class DebugInfo:
    """Functions (start, end, name) and line rows (address, file, line) of one file, in its
    own link-time addresses."""

    def __init__(self, functions: list, rows: list, image_base: int):
        self.functions = sorted(functions)
        self.starts = [f[0] for f in self.functions]
        self.rows = sorted(rows)
        self.row_addrs = [r[0] for r in self.rows]
        self.image_base = image_base   # the lowest load address the file asks for

    def lookup(self, addr: int) -> Place | None:
        place = None
        i = bisect.bisect_right(self.starts, addr) - 1
        if i >= 0:
            start, end, name = self.functions[i]
            if start <= addr < max(end, start + 1):
                place = Place(name, addr - start)
        j = bisect.bisect_right(self.row_addrs, addr) - 1
        if j >= 0:
            row_addr, end, file, line = self.rows[j]
            if addr < end:
                place = place or Place(None, 0)
                place.file, place.line = file, line
        return place


def _dwarf_rows_and_functions(dwarf) -> tuple[list, list]:
    rows, functions = [], []
    for cu in dwarf.iter_CUs():
        lp = dwarf.line_program_for_CU(cu)
        if lp is not None:
            entries = [e for e in lp.get_entries() if e.state is not None]
            files = lp["file_entry"]
            base = 0 if lp.header.version >= 5 else 1
            for a, b in zip(entries, entries[1:]):
                sa = a.state
                if sa.end_sequence:
                    continue
                idx = sa.file - base
                name = files[idx].name if 0 <= idx < len(files) else b"?"
                name = name.decode(errors="replace") if isinstance(name, bytes) else str(name)
                rows.append((sa.address, b.state.address, os.path.basename(name), sa.line))
        for die in cu.iter_DIEs():
            if die.tag != "DW_TAG_subprogram" or "DW_AT_low_pc" not in die.attributes:
                continue
            name = die.attributes.get("DW_AT_name")
            if name is None:
                continue
            low = die.attributes["DW_AT_low_pc"].value
            high_attr = die.attributes.get("DW_AT_high_pc")
            high = low + 1
            if high_attr is not None:
                high = high_attr.value if high_attr.form == "DW_FORM_addr" else low + high_attr.value
            functions.append((low, high, name.value.decode(errors="replace")))
    return rows, functions


def _load_elf(data: bytes) -> DebugInfo:
    from elftools.elf.elffile import ELFFile

    elf = ELFFile(io.BytesIO(data))
    functions, rows = [], []
    symtab = elf.get_section_by_name(".symtab") or elf.get_section_by_name(".dynsym")
    if symtab is not None:
        for sym in symtab.iter_symbols():
            if sym["st_info"]["type"] == "STT_FUNC" and sym["st_value"] and sym.name:
                functions.append((sym["st_value"], sym["st_value"] + sym["st_size"], sym.name))
    if elf.has_dwarf_info():
        try:
            rows, dwarf_functions = _dwarf_rows_and_functions(elf.get_dwarf_info())
            if not functions:
                functions = dwarf_functions
        except Exception:
            rows = []
    loads = [s["p_vaddr"] for s in elf.iter_segments() if s["p_type"] == "PT_LOAD"]
    return DebugInfo(functions, rows, min(loads) & ~0xFFF if loads else 0)


def _load_pe(data: bytes) -> DebugInfo:
    import pefile
    from elftools.dwarf.dwarfinfo import DebugSectionDescriptor, DWARFInfo, DwarfConfig

    pe = pefile.PE(data=data, fast_load=True)
    fh = pe.FILE_HEADER
    strtab = fh.PointerToSymbolTable + fh.NumberOfSymbols * 18 if fh.PointerToSymbolTable else 0

    def name_of(section) -> str:
        raw = section.Name.rstrip(b"\0")
        if raw.startswith(b"/") and strtab:   # a long name lives in the COFF string table
            off = strtab + int(raw[1:])
            return data[off:data.index(b"\0", off)].decode(errors="replace")
        return raw.decode(errors="replace")

    sections = {name_of(s): s for s in pe.sections}
    functions = []
    if strtab:   # the COFF symbol table mingw keeps: functions by address
        base = pe.OPTIONAL_HEADER.ImageBase
        for i in range(fh.NumberOfSymbols):
            off = fh.PointerToSymbolTable + i * 18
            raw = data[off:off + 18]
            if len(raw) < 18:
                break
            value, secnum, typ, sclass = struct.unpack_from("<IhHB", raw, 8)
            if typ & 0x30 != 0x20 or secnum <= 0 or secnum > len(pe.sections):
                continue   # not a function
            if raw[:4] == b"\0\0\0\0":
                soff = strtab + struct.unpack_from("<I", raw, 4)[0]
                name = data[soff:data.index(b"\0", soff)].decode(errors="replace")
            else:
                name = raw[:8].rstrip(b"\0").decode(errors="replace")
            start = base + pe.sections[secnum - 1].VirtualAddress + value
            functions.append((start, start, name))
    functions.sort()
    # COFF symbols carry no size: each function ends where the next begins.
    functions = [(s, functions[i + 1][0] if i + 1 < len(functions) else s + 0x1000, n)
                 for i, (s, _, n) in enumerate(functions)]

    def descriptor(name):
        s = sections.get(name)
        if s is None:
            return None
        payload = s.get_data()[:s.Misc_VirtualSize or s.SizeOfRawData]
        return DebugSectionDescriptor(io.BytesIO(payload), name, 0, len(payload), 0)

    rows = []
    if ".debug_info" in sections:
        bits64 = pe.FILE_HEADER.Machine == 0x8664
        config = DwarfConfig(little_endian=True, machine_arch="x64" if bits64 else "x86",
                             default_address_size=8 if bits64 else 4)
        names = ["debug_info", "debug_aranges", "debug_abbrev", "debug_frame", "eh_frame",
                 "debug_str", "debug_loc", "debug_ranges", "debug_line", "debug_pubtypes",
                 "debug_pubnames", "debug_addr", "debug_str_offsets", "debug_line_str",
                 "debug_loclists", "debug_rnglists", "debug_sup", "gnu_debugaltlink",
                 "debug_types"]
        secs = [descriptor("." + n) if n != "eh_frame" else None for n in names]
        try:
            rows, dwarf_functions = _dwarf_rows_and_functions(DWARFInfo(config, *secs))
            # DWARF (the C runtime's objects may bring some) knows sizes; COFF knows all.
            by_start = {f[0]: f for f in functions}
            by_start.update({f[0]: f for f in dwarf_functions})
            functions = list(by_start.values())
        except Exception:
            rows = []
    return DebugInfo(functions, rows, pe.OPTIONAL_HEADER.ImageBase)


def debug_info(host_path: str) -> DebugInfo | None:
    """The parsed symbols of a host file (cached by path, size and mtime); None if the file
    is neither ELF nor PE or cannot be parsed."""
    try:
        st = os.stat(host_path)
    except OSError:
        return None
    key = (host_path, st.st_size, st.st_mtime_ns)
    if key not in _CACHE:
        info = None
        try:
            with open(host_path, "rb") as f:
                data = f.read()
            if data[:4] == b"\x7fELF":
                info = _load_elf(data)
            elif data[:2] == b"MZ":
                info = _load_pe(data)
        except Exception:
            info = None
        _CACHE[key] = info
    return _CACHE[key]


def locate(proc, addr: int) -> Place | None:
    """Where a guest address is in the program or library mapped there: the mapping names
    the file; its lowest mapping against the file's own lowest address gives the load bias."""
    mm = proc.mm
    if mm is None:
        return None
    vma = next((v for v in mm.vmas if v.start <= addr < v.end), None)
    if vma is None or not vma.name.startswith("/"):
        return None
    try:
        resolved = proc.kernel.fs.resolve(proc.cwd, vma.name)
    except Exception:
        return None
    if not resolved.exists or resolved.synthetic is not None:
        return None
    info = debug_info(resolved.host)
    if info is None:
        return None
    load_base = min(v.start for v in mm.vmas if v.name == vma.name)
    return info.lookup(addr - (load_base - info.image_base))


def crash_words(proc, addr: int) -> str:
    """What a crash report ends with: ` in crash_here (crash.c:7) <crash_here+0x1f>`, or
    ` <_start+0x4>` without a line, or nothing when the program says nothing."""
    try:
        place = locate(proc, addr)
    except Exception:   # a report must never fail on a strange file
        place = None
    if place is None:
        return ""
    source = place.source()
    words = f" in {place.function or '??'} ({source})" if source else ""
    if place.function:
        words += f" <{place.symbol()}>"
    return words


def _after_call(mm, addr: int) -> bool:
    """Whether the bytes before addr end a call instruction (a return address)."""
    try:
        before = mm.read(addr - 7, 7)
    except Exception:
        return False
    return before[2] == 0xE8 or before[5] == 0xFF and before[6] & 0x38 == 0x10 or \
        before[4] == 0xFF and before[5] & 0x38 == 0x10 or \
        before[1] == 0xFF and before[2] & 0x38 == 0x10 or before[0] == 0xFF


def caller(proc, pc: int, sp: int, depth: int = 8192) -> Place | None:
    """Who made the call at pc: the nearest return address on the stack whose code has a
    source line (the program's own code, built with -g), else the first one that leads out
    of pc's function. A heuristic unwind: it needs no frame pointers or unwind tables."""
    mm = proc.mm
    if mm is None:
        return None
    here = locate(proc, pc)
    word = mm.bits // 8
    stack = next((v for v in mm.vmas if v.start <= sp < v.end), None)
    if stack is None:
        return None
    try:   # one read of the stack, up to its end (frames such as printf's are kilobytes)
        raw = mm.read(sp, min(depth * word, stack.end - sp) // word * word)
    except Exception:
        return None
    code = [(v.start, v.end) for v in mm.vmas if v.prot & 4 and v.name.startswith("/")]
    first = None
    for (value,) in struct.iter_unpack("<Q" if word == 8 else "<I", raw):
        if not any(start <= value < end for start, end in code) or not _after_call(mm, value):
            continue
        place = locate(proc, value)
        if place is None or not place.function or \
                (here is not None and place.function == here.function):
            continue
        line = locate(proc, value - 1)   # the call's own line, not the next one
        if line is not None and line.source():
            place.file, place.line = line.file, line.line
            return place
        first = first or place
    return first


def caller_words(proc) -> str:
    """`  <- main+0x1c (hello.c:5)` for the call the running process is making, or ''."""
    engine = proc.engine
    try:
        found = caller(proc, engine.uc.reg_read(engine.pc_reg), engine.uc.reg_read(engine.sp_reg))
    except Exception:
        return ""
    if found is None:
        return ""
    source = f" ({found.source()})" if found.source() else ""
    return f"  <- {found.symbol()}{source}"
