"""The loader's module lists, PEB->Ldr, as ntdll keeps them: a PEB_LDR_DATA heading three
lists (load order, memory order, initialisation order) of one LDR_DATA_TABLE_ENTRY per
mapped image -- the program first, then ntdll, kernel32 and every DLL, a LoadLibrary'd one
added when mapped and taken out when FreeLibrary really unloads it. Code that skips kernel32
walks them (Zig's std.debug, hand-made GetModuleHandle, backtrace libraries, packers).

The process's module table (p.win32.modules, the program at p.win32.image_base) is the
truth; sync(p) brings the guest's lists in step with it, and is called wherever that table
changes (exec, LoadLibrary, FreeLibrary, a generated DLL mapped on first need). Entries live
in the process heap, as Windows' do; offsets are Windows 10's, for both widths."""
from __future__ import annotations

import struct

from ..errors import Fault

LDR_DATA_AT = 0xE00          # PEB_LDR_DATA, in the PEB's page past the PEB (start.py)
PEB_LDR = {64: 0x18, 32: 0x0C}
LDR_DATA_SIZE = {64: 0x58, 32: 0x30}
LISTS_AT = {64: 0x10, 32: 0x0C}      # the three LIST_ENTRY heads in PEB_LDR_DATA


class _Entry:
    """LDR_DATA_TABLE_ENTRY's offsets for one width (the three links come first)."""

    def __init__(self, bits: int):
        w = bits // 8
        self.word, self.link = w, 2 * w
        if bits == 64:
            self.size, self.base, self.entry, self.image_size = 0x120, 0x30, 0x38, 0x40
            self.full, self.name, self.flags, self.count = 0x48, 0x58, 0x68, 0x6C
            self.hash, self.stamp, self.ustr = 0x70, 0x80, "<HH4xQ"
        else:
            self.size, self.base, self.entry, self.image_size = 0xA8, 0x18, 0x1C, 0x20
            self.full, self.name, self.flags, self.count = 0x24, 0x2C, 0x34, 0x38
            self.hash, self.stamp, self.ustr = 0x3C, 0x44, "<HHI"


ENTRY = {64: _Entry(64), 32: _Entry(32)}
LOAD, MEMORY, INIT = 0, 1, 2
LDRP_IMAGE_DLL, LDRP_ENTRY_PROCESSED, LDRP_PROCESS_ATTACH_CALLED = 0x4, 0x4000, 0x80000
PINNED = 0xFFFF              # ObsoleteLoadCount of a module never unloaded (static imports)
FIRST = ("ntdll", "kernel32")   # after the program, as on Windows
MAX_NAME_BYTES = 0xFFFC


def write_ldr_data(mm, bits: int, peb: int) -> None:
    """An empty PEB_LDR_DATA (Length, Initialized, each list head pointing at itself), and
    PEB->Ldr pointing at it."""
    ldr, w = peb + LDR_DATA_AT, bits // 8
    mm.write(ldr, struct.pack("<IB", LDR_DATA_SIZE[bits], 1))
    for i in (LOAD, MEMORY, INIT):
        head = ldr + LISTS_AT[bits] + i * 2 * w
        mm.write_word(head, head)
        mm.write_word(head + w, head)
    mm.write_word(peb + PEB_LDR[bits], ldr)


def start(p) -> None:
    """The lists begin once exec has mapped the program and what it imports."""
    if p.win32.peb and p.win32.ldr_entries is None:
        p.win32.ldr_entries = {}
        sync(p)


def sync(p) -> None:
    """Add an entry for each module the process maps that has none, take out the entries of
    modules gone, and refresh the load counts."""
    state = p.win32
    entries = state.ldr_entries
    if entries is None:
        return
    bits = p.sysvec.word_bits
    lay, ldr = ENTRY[bits], state.peb + LDR_DATA_AT
    modules = [state.image_base] + [base for base, _ in state.modules.values()]
    present = set(modules)
    for base in [b for b in entries if b not in present]:
        at = entries.pop(base)
        for i in (LOAD, MEMORY, INIT):
            if base != state.image_base or i != INIT:
                _unlink(p.mm, lay.word, at + i * lay.link)
        state.heap.free(at)
    new = list(dict.fromkeys(b for b in modules if b not in entries))
    if new:
        first = {state.image_base: -3, **{state.modules[k][0]: i - 2 for i, k in
                                          enumerate(FIRST) if k in state.modules}}
        new.sort(key=lambda b: first.get(b, 0))
        heads = [ldr + LISTS_AT[bits] + i * lay.link for i in (LOAD, MEMORY, INIT)]
        made = {base: _make(p, lay, base) for base in new}
        for base in new:
            entries[base] = made[base]
            for i in (LOAD, MEMORY):
                _link(p.mm, lay.word, heads[i], made[base] + i * lay.link)
        # Initialisation order: dependencies first, as their DllMains ran (the program has none).
        ran = {}
        for b, _routine, _main in state.dll_notify:
            ran.setdefault(b, len(ran))
        for base in sorted((b for b in new if b != state.image_base),
                           key=lambda b: (b in ran, ran.get(b, 0))):
            _link(p.mm, lay.word, heads[INIT], made[base] + INIT * lay.link)
    for base, at in entries.items():
        p.mm.write(at + lay.count, struct.pack("<H", state.dll_refs.get(base, PINNED) & 0xFFFF))


def entry_for(p, address: int) -> int:
    """The entry of the module whose image holds address, or 0."""
    lay = ENTRY[p.sysvec.word_bits]
    for base, at in (p.win32.ldr_entries or {}).items():
        if base <= address < base + p.mm.read_u32(at + lay.image_size):
            return at
    return 0


def _make(p, lay: _Entry, base: int) -> int:
    """One module's LDR_DATA_TABLE_ENTRY, its full path after it (BaseDllName points into it,
    at the file name, as Windows' does)."""
    from ..win32.kernel32_system import module_file_name
    path = module_file_name(p, base) or ""
    full = path.encode("utf-16-le")[:MAX_NAME_BYTES]
    leaf = path.rsplit("\\", 1)[-1].encode("utf-16-le")[:len(full)]
    at = p.win32.heap.alloc(lay.size + len(full) + 2)
    names = at + lay.size
    p.mm.write(at, bytes(lay.size) + full + b"\0\0")
    entry_rva = size = stamp = 0
    try:
        pe_at = base + p.mm.read_u32(base + 0x3C)
        stamp = p.mm.read_u32(pe_at + 8)                   # FileHeader.TimeDateStamp
        entry_rva = p.mm.read_u32(pe_at + 24 + 16)         # OptionalHeader.AddressOfEntryPoint
        size = p.mm.read_u32(pe_at + 24 + 56)              # OptionalHeader.SizeOfImage
    except Fault:           # no headers to read: an entry with the names only
        pass
    dll = base != p.win32.image_base
    flags = LDRP_ENTRY_PROCESSED | (LDRP_IMAGE_DLL | LDRP_PROCESS_ATTACH_CALLED if dll else 0)
    mm, w = p.mm, lay.word
    mm.write_word(at + lay.base, base)
    mm.write_word(at + lay.entry, base + entry_rva if entry_rva else 0)
    mm.write(at + lay.image_size, struct.pack("<I", size))
    mm.write(at + lay.full, struct.pack(lay.ustr, len(full), len(full) + 2, names))
    mm.write(at + lay.name, struct.pack(lay.ustr, len(leaf), len(leaf) + 2,
                                        names + len(full) - len(leaf)))
    mm.write(at + lay.flags, struct.pack("<I", flags))
    mm.write_word(at + lay.hash, at + lay.hash)             # HashLinks: a list of its own
    mm.write_word(at + lay.hash + w, at + lay.hash)
    mm.write(at + lay.stamp, struct.pack("<I", stamp))
    return at


def _link(mm, w: int, head: int, link: int) -> None:
    """Insert link at the list's tail."""
    last = mm.read_word(head + w)
    mm.write_word(link, head)
    mm.write_word(link + w, last)
    mm.write_word(last, link)
    mm.write_word(head + w, link)


def _unlink(mm, w: int, link: int) -> None:
    forward, back = mm.read_word(link), mm.read_word(link + w)
    mm.write_word(back, forward)
    mm.write_word(forward + w, back)
