"""qXfer:libraries-svr4:read: the dynamic linker's list of loaded objects, read from the
process's memory as gdbserver does: auxv AT_PHDR -> PT_DYNAMIC -> DT_DEBUG -> r_debug ->
the link_map chain (l_addr, l_name, l_ld, l_next)."""
from __future__ import annotations

import struct

from ..linux.auxv import AT_PHDR, AT_PHENT, AT_PHNUM

PT_DYNAMIC, PT_PHDR = 2, 6
DT_NULL, DT_DEBUG = 0, 21
MAX_OBJECTS = 1024


def _auxv(mm) -> dict:
    word = mm.bits // 8
    vals = struct.unpack(f"<{len(mm.saved_auxv) // word}{'Q' if word == 8 else 'I'}",
                         mm.saved_auxv)
    return dict(zip(vals[::2], vals[1::2]))


def _dynamic(mm) -> int | None:
    """The address of the main program's dynamic section, or None (a static program)."""
    aux = _auxv(mm)
    phdr, phent, phnum = aux.get(AT_PHDR), aux.get(AT_PHENT), aux.get(AT_PHNUM, 0)
    if not phdr or not phent:
        return None
    fmt = "<IIQQQQQQ" if mm.bits == 64 else "<IIIIIIII"
    headers = []
    for i in range(min(phnum, 64)):
        raw = mm.read(phdr + i * phent, struct.calcsize(fmt))
        f = struct.unpack(fmt, raw)
        # (p_type, p_vaddr): the 64-bit layout puts p_flags second, the 32-bit one last
        headers.append((f[0], f[3]) if mm.bits == 64 else (f[0], f[2]))
    bias = next((phdr - vaddr for t, vaddr in headers if t == PT_PHDR), 0)
    return next((vaddr + bias for t, vaddr in headers if t == PT_DYNAMIC), None)


def _xml_attr(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def library_list(proc) -> bytes:
    mm = proc.mm
    empty = b'<library-list-svr4 version="1.0"/>'
    if mm is None or not mm.saved_auxv:
        return empty
    word = mm.bits // 8
    try:
        dynamic = _dynamic(mm)
        r_debug = 0
        for i in range(4096) if dynamic else ():
            tag, value = mm.read_word(dynamic + 2 * i * word), mm.read_word(dynamic + (2 * i + 1) * word)
            if tag == DT_NULL:
                break
            if tag == DT_DEBUG:
                r_debug = value
        if not r_debug:
            return empty
        lm = mm.read_word(r_debug + word)     # r_map, after the int r_version (padded)
        rows, main_lm, seen = [], None, set()
        while lm and lm not in seen and len(seen) < MAX_OBJECTS:
            seen.add(lm)
            l_addr, l_name, l_ld, l_next = (mm.read_word(lm + k * word) for k in range(4))
            name = mm.read_cstr(l_name).decode(errors="replace") if l_name else ""
            if main_lm is None:
                main_lm = lm   # the first entry is the program itself
            elif name:
                rows.append(f'<library name="{_xml_attr(name)}" lm="{lm:#x}" lmid="0x0" '
                            f'l_addr="{l_addr:#x}" l_ld="{l_ld:#x}"/>')
            lm = l_next
    except Exception:   # a half-built list (ld.so still running): what we have so far
        return empty
    head = f'<library-list-svr4 version="1.0" main-lm="{main_lm:#x}">' if main_lm else \
        '<library-list-svr4 version="1.0">'
    return (head + "".join(rows) + "</library-list-svr4>").encode()
