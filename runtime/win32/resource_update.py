"""Changing a program's resources in its file (BeginUpdateResource, UpdateResource,
EndUpdateResource), as rcedit, electron-packager and Squirrel's setup builder do: the
resources are read from the file, changed in memory, and written back as a new resource
section. The section replaces the file's .rsrc when that is the last section, else it is
added after the last one; bytes appended after the sections (an installer's payload) are
kept after it."""
from __future__ import annotations

import re
import struct
import weakref
from dataclasses import dataclass, field

from ..errors import Fault
from .kernel32_sync import close_sync_handle, new_handle, object_of

ERROR_FILE_NOT_FOUND, ERROR_INVALID_HANDLE, ERROR_BAD_EXE_FORMAT = 2, 6, 193
ERROR_NOT_ENOUGH_MEMORY, ERROR_WRITE_FAULT, ERROR_INVALID_PARAMETER = 8, 29, 87
ERROR_NOACCESS = 998
RESOURCE_DIRECTORY, SECURITY_DIRECTORY = 2, 4
SECTION_HEADER = 40
RSRC_CHARACTERISTICS = 0x40000040          # initialised data, readable
MAX_FILE = 512 << 20
PAGE = 4096


@dataclass(eq=False)
class ResourceUpdate:
    kind = "res update"
    path: str
    entries: dict = field(default_factory=dict)   # (type, name, language) -> bytes
    size: int = 0                                 # the bytes the entries hold

    def close(self, p) -> None:
        """Its last handle closed (CloseHandle, the process's end): no longer pending."""
        _updates(p.kernel).discard(self)


# The pending updates of each machine. Windows keeps an update's data in the process's own
# heap; here it is host memory, so it is bounded: one update by MAX_FILE (more could never
# be written), all of a machine's together by its memory budget (--max-total-memory).
_pending: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _updates(kernel) -> "weakref.WeakSet":
    held = _pending.get(kernel)
    if held is None:
        held = _pending[kernel] = weakref.WeakSet()
    return held


def _room(p, update: ResourceUpdate | None = None) -> int:
    """How many more bytes an update (or a new one) may hold."""
    machine = p.kernel.limits.pool_pages * PAGE - sum(u.size for u in list(_updates(p.kernel)))
    return min(machine, MAX_FILE - (update.size if update else 0))


# --- reading the file's resources ------------------------------------------------------------

class PeLayout:
    """The headers of a PE file in memory: where its sections and directories are."""

    def __init__(self, data: bytes):
        if data[:2] != b"MZ" or len(data) < 0x40:
            raise ValueError("no MZ header")
        self.pe = struct.unpack_from("<I", data, 0x3C)[0]
        if data[self.pe:self.pe + 4] != b"PE\0\0":
            raise ValueError("no PE header")
        self.nsections, = struct.unpack_from("<H", data, self.pe + 6)
        optional_size, = struct.unpack_from("<H", data, self.pe + 20)
        self.optional = self.pe + 24
        magic, = struct.unpack_from("<H", data, self.optional)
        self.directories = self.optional + (112 if magic == 0x20B else 96)
        self.ndirectories, = struct.unpack_from("<I", data, self.directories - 4)
        self.sections = self.optional + optional_size
        self.section_align, self.file_align = struct.unpack_from("<II", data, self.optional + 32)
        self.headers_size, = struct.unpack_from("<I", data, self.optional + 60)
        self.table = [struct.unpack_from("<8sIIII", data, self.sections + SECTION_HEADER * i)
                      for i in range(self.nsections)]

    def directory(self, data: bytes, index: int) -> tuple[int, int]:
        if index >= self.ndirectories:
            return 0, 0
        return struct.unpack_from("<II", data, self.directories + 8 * index)

    def offset_of(self, rva: int) -> int | None:
        for _name, vsize, va, raw_size, raw in self.table:
            if va <= rva < va + max(vsize, raw_size):
                return raw + rva - va
        return None


def read_entries(data: bytes) -> dict:
    """{(type, name, language): bytes} of a PE file's resource tree (names upper-case)."""
    layout = PeLayout(data)
    rva, size = layout.directory(data, RESOURCE_DIRECTORY)
    base = layout.offset_of(rva) if rva and size else None
    if base is None:
        return {}
    entries = {}
    seen: set = set()    # a directory reached twice is a loop (no linker shares one)
    budget = [1 << 18]   # entries in all: a crafted tree cannot make the walk endless

    def level(offset: int, depth: int, path: tuple) -> None:
        count = sum(struct.unpack_from("<HH", data, offset + 12))
        budget[0] -= count
        if offset in seen or budget[0] < 0:
            raise ValueError("a resource directory loops or is too large")
        seen.add(offset)
        for i in range(count):
            name, target = struct.unpack_from("<II", data, offset + 16 + 8 * i)
            if name & 0x80000000:
                at = base + (name & 0x7FFFFFFF)
                length, = struct.unpack_from("<H", data, at)
                key = data[at + 2:at + 2 + 2 * length].decode("utf-16-le", "replace").upper()
            else:
                key = name & 0xFFFF
            if target & 0x80000000 and depth < 2:
                level(base + (target & 0x7FFFFFFF), depth + 1, path + (key,))
            elif not target & 0x80000000 and depth == 2:
                data_rva, data_size = struct.unpack_from("<II", data, base + target)
                at = layout.offset_of(data_rva)
                if at is not None:
                    entries[path + (key,)] = bytes(data[at:at + data_size])
    level(base, 0, ())
    return entries


# --- writing a resource section ---------------------------------------------------------------

def _ordered(keys) -> list:
    """A directory's order: names first (by their text), then IDs ascending."""
    return sorted((k for k in keys if isinstance(k, str))) + sorted(k for k in keys
                                                                   if isinstance(k, int))


def build_section(entries: dict, rva: int) -> bytes:
    """The .rsrc section's bytes for the entries, to be loaded at rva."""
    tree: dict = {}
    for (kind, name, lang), blob in entries.items():
        tree.setdefault(kind, {}).setdefault(name, {})[lang] = blob
    # Pass 1: where every directory, data entry, string and blob goes.
    directories, offset = [], 0

    def place(node: dict, path: tuple) -> None:
        nonlocal offset
        directories.append((node, path, offset))
        offset += 16 + 8 * len(node)
    place(tree, ())
    for kind in _ordered(tree):
        place(tree[kind], (kind,))
    for kind in _ordered(tree):
        for name in _ordered(tree[kind]):
            place(tree[kind][name], (kind, name))
    dir_at = {id(node): at for node, _path, at in directories}
    leaves = [(kind, name, lang) for kind in _ordered(tree) for name in _ordered(tree[kind])
              for lang in _ordered(tree[kind][name])]
    leaf_at = {}
    for leaf in leaves:
        leaf_at[leaf] = offset
        offset += 16
    strings = {}
    for key in {k for kind in tree for k in [kind, *tree[kind]] if isinstance(k, str)}:
        strings[key] = offset
        offset += 2 + len(key.encode("utf-16-le"))
    blob_at = {}
    for leaf in leaves:
        offset = (offset + 7) & ~7
        blob_at[leaf] = offset
        offset += len(entries[leaf])
    out = bytearray(offset)
    # Pass 2: write them.
    for node, path, at in directories:
        keys = _ordered(node)
        named = sum(1 for k in keys if isinstance(k, str))
        struct.pack_into("<IIHHHH", out, at, 0, 0, 4, 0, named, len(keys) - named)
        for i, key in enumerate(keys):
            name = (0x80000000 | strings[key]) if isinstance(key, str) else key
            target = 0x80000000 | dir_at[id(node[key])] if len(path) < 2 else \
                leaf_at[path + (key,)]
            struct.pack_into("<II", out, at + 16 + 8 * i, name, target)
    for leaf in leaves:
        struct.pack_into("<IIII", out, leaf_at[leaf], rva + blob_at[leaf], len(entries[leaf]), 0, 0)
        out[blob_at[leaf]:blob_at[leaf] + len(entries[leaf])] = entries[leaf]
    for key, at in strings.items():
        text = key.encode("utf-16-le")
        struct.pack_into("<H", out, at, len(text) // 2)
        out[at + 2:at + 2 + len(text)] = text
    return bytes(out)


def _align(value: int, alignment: int) -> int:
    return (value + alignment - 1) // alignment * alignment if alignment else value


def rewrite(data: bytes, entries: dict) -> bytes:
    """The file with its resources replaced by entries."""
    layout = PeLayout(data)
    if not layout.nsections:
        raise ValueError("a PE file without sections")
    out = bytearray(data)
    sections = sorted(range(layout.nsections), key=lambda i: layout.table[i][2])
    last = sections[-1] if sections else None
    raw_end = max((raw + size for _n, _v, _va, size, raw in layout.table), default=len(data))
    overlay = bytes(data[raw_end:])
    rsrc_last = last is not None and layout.table[last][0].rstrip(b"\0") == b".rsrc" and \
        layout.table[last][4] + layout.table[last][3] == raw_end
    if rsrc_last:
        index = last
        _name, _vsize, va, _size, raw = layout.table[index]
    else:
        index = layout.nsections
        header_at = layout.sections + SECTION_HEADER * index
        if header_at + SECTION_HEADER > layout.headers_size or \
                any(data[header_at:header_at + SECTION_HEADER]):
            raise ValueError("no room for another section header")
        _n, vsize, lva, _s, _r = layout.table[last]
        va = _align(lva + vsize, layout.section_align)
        raw = _align(raw_end, layout.file_align)
    section = build_section(entries, va)
    raw_size = _align(len(section), layout.file_align)
    del out[raw:]
    out += b"\0" * (raw - len(out))
    out += section + b"\0" * (raw_size - len(section))
    new_overlay_at = len(out)
    out += overlay
    struct.pack_into("<8sIIII", out, layout.sections + SECTION_HEADER * index, b".rsrc",
                     len(section), va, raw_size, raw)
    struct.pack_into("<I", out, layout.sections + SECTION_HEADER * index + 36,
                     RSRC_CHARACTERISTICS)
    if not rsrc_last:
        struct.pack_into("<H", out, layout.pe + 6, layout.nsections + 1)
    struct.pack_into("<II", out, layout.directories + 8 * RESOURCE_DIRECTORY, va, len(section))
    struct.pack_into("<I", out, layout.optional + 56,
                     _align(va + len(section), layout.section_align))      # SizeOfImage
    struct.pack_into("<I", out, layout.optional + 64, 0)                     # CheckSum
    # What the overlay holds moves with it: a signature, a COFF symbol table (mingw's).
    cert_at, cert_size = layout.directory(data, SECURITY_DIRECTORY)
    if cert_size and cert_at >= raw_end:
        struct.pack_into("<I", out, layout.directories + 8 * SECURITY_DIRECTORY,
                         cert_at - raw_end + new_overlay_at)
    symbols, = struct.unpack_from("<I", data, layout.pe + 12)
    if symbols >= raw_end:
        struct.pack_into("<I", out, layout.pe + 12, symbols - raw_end + new_overlay_at)
    return bytes(out)


# --- the API ------------------------------------------------------------------------------

def _file_bytes(p, path: str) -> bytes | None:
    from .kernel32_files import _by_name
    got = []

    def read(guest: str) -> None:
        f = p.kernel.fs.open("/", guest, 0, 0, p)
        try:
            size = f.fstat().st_size
            got.append(f.pread(min(size, MAX_FILE), 0))
        finally:
            f.decref()
    return got[0] if _by_name(p, path, read) and got else None


def _begin(p, path: str, delete_existing: bool) -> int:
    p.win32.last_error = 0
    data = _file_bytes(p, path)
    if data is None:
        p.win32.last_error = p.win32.last_error or ERROR_FILE_NOT_FOUND
        return 0
    try:
        entries = {} if delete_existing else read_entries(data)
    except (ValueError, IndexError, struct.error):    # a malformed file
        p.win32.last_error = ERROR_BAD_EXE_FORMAT
        return 0
    del data
    size = sum(_cost(key, value) for key, value in entries.items())
    if size > _room(p):
        p.win32.last_error = ERROR_NOT_ENOUGH_MEMORY
        return 0
    update = ResourceUpdate(path, entries, size)
    _updates(p.kernel).add(update)
    return new_handle(p, update)


def sys_kernel32_BeginUpdateResourceW(p, pFileName, bDeleteExistingResources):
    from .wide import read_wstr
    return _begin(p, read_wstr(p, pFileName), bool(bDeleteExistingResources & 0xFFFFFFFF))


def sys_kernel32_BeginUpdateResourceA(p, pFileName, bDeleteExistingResources):
    return _begin(p, p.mm.read_cstr(pFileName).decode("latin-1"),
                  bool(bDeleteExistingResources & 0xFFFFFFFF))


def _update(p, hUpdate, kind, name, wLanguage, lpData, cb) -> int:
    update = object_of(p, hUpdate, "res update")
    if update is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    if kind is None or name is None:           # "#n" past a WORD
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    key, cb = (kind, name, wLanguage & 0xFFFF), cb & 0xFFFFFFFF
    old = _cost(key, update.entries[key]) if key in update.entries else 0
    if not lpData and not cb:
        update.entries.pop(key, None)          # no data: the resource goes
        update.size -= old
        return 1
    if not lpData:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    new = _cost(key, None) + cb
    if new - old > _room(p, update):           # (checked before anything is read)
        p.win32.last_error = ERROR_NOT_ENOUGH_MEMORY
        return 0
    try:
        update.entries[key] = bytes(p.mm.read(lpData, cb)) if cb else b""
    except Fault:
        p.win32.last_error = ERROR_NOACCESS
        return 0
    update.size += new - old
    _updates(p.kernel).add(update)             # (again, after an End through a duplicate)
    return 1


ENTRY_COST = 256        # what an entry costs the host beside its data (its key, the dict's slot)


def _cost(key: tuple, data: bytes | None) -> int:
    """The bytes an entry is counted as: its data, its names' text and a fixed overhead
    (30,000 one-byte entries with 4 KB names held 124 MB counted as 30 KB)."""
    names = sum(4 * len(part) for part in key[:2] if isinstance(part, str))
    return ENTRY_COST + names + (len(data) if data is not None else 0)


def _name_key(p, value: int, wide: bool):
    """UpdateResource's type or name: an ID, or an upper-case name; "#n" is the ID n, and
    None when n is no WORD (Windows refuses it: ERROR_INVALID_PARAMETER)."""
    if value < 0x10000:
        return value
    from .wide import read_wstr
    text = read_wstr(p, value) if wide else p.mm.read_cstr(value).decode("latin-1")
    number = re.fullmatch(r"#(-?)([0-9]+)", text)
    if number:
        digits = number[2].lstrip("0") or "0"
        return int(digits) if not number[1] and len(digits) <= 5 and \
            int(digits) <= 0xFFFF else None
    return text.upper()


def sys_kernel32_UpdateResourceW(p, hUpdate, lpType, lpName, wLanguage, lpData, cb):
    return _update(p, hUpdate, _name_key(p, lpType, True), _name_key(p, lpName, True),
                   wLanguage, lpData, cb)


def sys_kernel32_UpdateResourceA(p, hUpdate, lpType, lpName, wLanguage, lpData, cb):
    return _update(p, hUpdate, _name_key(p, lpType, False), _name_key(p, lpName, False),
                   wLanguage, lpData, cb)


def _end(p, hUpdate, discard: bool) -> int:
    update = object_of(p, hUpdate, "res update")
    if update is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    close_sync_handle(p, hUpdate)
    _updates(p.kernel).discard(update)         # (even while a duplicate handle is open)
    if discard:
        return 1
    data = _file_bytes(p, update.path)
    if data is None:
        return 0
    try:
        new = rewrite(data, update.entries)
    except (ValueError, IndexError, struct.error):    # a malformed file
        p.win32.last_error = ERROR_BAD_EXE_FORMAT
        return 0
    from .kernel32 import create_file, sys_kernel32_CloseHandle
    from ..nt import abi
    handle = create_file(p, update.path, 0x40000000, 0, 2, 0x80)     # CREATE_ALWAYS
    if handle == (1 << p.sysvec.word_bits) - 1:
        return 0
    try:
        f = p.fds.get(abi.fd_of_handle(handle))
        done = 0
        while done < len(new):
            done += f.write(new[done:done + (1 << 20)])
    except Exception:   # KernelError: the disk is full, a quota
        p.win32.last_error = ERROR_WRITE_FAULT
        return 0
    finally:
        sys_kernel32_CloseHandle(p, handle)
    return 1


def sys_kernel32_EndUpdateResourceW(p, hUpdate, fDiscard):
    return _end(p, hUpdate, bool(fDiscard & 0xFFFFFFFF))


sys_kernel32_EndUpdateResourceA = sys_kernel32_EndUpdateResourceW
