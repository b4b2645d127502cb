"""The C runtime's _findfirst/_findnext/_findclose in all their struct shapes (32- or 64-bit
times, 32- or 64-bit sizes, narrow or wide names): kernel32's FindFirstFile underneath, each
entry turned into the CRT's _finddata_t. mingw-w64's opendir/readdir are built on these, so
Unix tools ported with it list directories through them."""
from __future__ import annotations

import struct

from ..nt import abi
from .crterrno import EINVAL, ENOENT, set_errno
from .kernel32_files import (_find_first, _next, _search, sys_kernel32_FindClose)
from .wide import read_str

FIND_DATA_SIZE = 600      # WIN32_FIND_DATAW (592) fits; the A form is smaller
FILE_ATTRIBUTE_NORMAL = 0x80


def _layout(time_bits: int, size_bits: int, wide: bool) -> tuple[int, int, int, int]:
    """(offset of the times, of the size, of the name, whole size) of a _finddata_t shape;
    8-byte members aligned to 8, as MSVC lays structs out on both widths."""
    t, s = time_bits // 8, size_bits // 8
    times = (4 + t - 1) // t * t
    size_at = (times + 3 * t + s - 1) // s * s
    name_at = size_at + s
    end = name_at + 260 * (2 if wide else 1)
    align = max(t, s, 4)
    return times, size_at, name_at, (end + align - 1) // align * align


def _convert(p, find_data: int, out: int, time_bits: int, size_bits: int, wide: bool) -> None:
    attrib, c, a, w, high, low = struct.unpack("<IQQQII", p.mm.read(find_data, 36))
    times_at, size_at, name_at, total = _layout(time_bits, size_bits, wide)
    raw = p.mm.read(find_data + 44, 520 if wide else 260)
    if wide:
        name = raw.decode("utf-16-le", "replace").split("\0", 1)[0].encode("utf-16-le")
    else:
        name = raw.split(b"\0", 1)[0]
    buf = bytearray(total)
    # _A_NORMAL is 0: a file of no attribute is FILE_ATTRIBUTE_NORMAL to kernel32, 0 to the
    # CRT (msvcrt's and the UCRT's _findfirst turn the one into the other)
    struct.pack_into("<I", buf, 0, 0 if attrib == FILE_ATTRIBUTE_NORMAL else attrib)
    fmt = "<q" if time_bits == 64 else "<i"
    for i, ft in enumerate((c, a, w)):
        seconds = max(abi.ns_of_filetime(ft) // 1_000_000_000, 0) if ft else 0
        if time_bits == 32:
            seconds = min(seconds, 0x7FFFFFFF)
        struct.pack_into(fmt, buf, times_at + i * (time_bits // 8), seconds)
    size = (high << 32) | low
    struct.pack_into("<Q" if size_bits == 64 else "<I", buf, size_at,
                     size if size_bits == 64 else size & 0xFFFFFFFF)
    buf[name_at:name_at + len(name)] = name
    p.mm.write(out, bytes(buf))


def _scratch(p) -> int:
    return p.win32.thread_local("find data", lambda: p.win32.heap.alloc(FIND_DATA_SIZE))


def _findfirst(p, filespec, fileinfo, time_bits: int, size_bits: int, wide: bool) -> int:
    invalid = (1 << p.sysvec.word_bits) - 1
    if not filespec or not fileinfo:
        set_errno(p, EINVAL)
        return invalid
    scratch = _scratch(p)
    handle = _find_first(p, read_str(p, filespec, wide), scratch, wide)
    if handle == invalid:
        set_errno(p, ENOENT)
        return invalid
    _convert(p, scratch, fileinfo, time_bits, size_bits, wide)
    return handle


def _findnext(p, handle, fileinfo, time_bits: int, size_bits: int, wide: bool) -> int:
    search = _search(p, handle)
    if search is None or not fileinfo:
        set_errno(p, EINVAL)
        return 0xFFFFFFFF
    scratch = _scratch(p)
    if not _next(p, search, scratch):
        set_errno(p, ENOENT)
        return 0xFFFFFFFF
    _convert(p, scratch, fileinfo, time_bits, size_bits, wide)
    return 0


def sys_msvcrt__findclose(p, handle):
    if not sys_kernel32_FindClose(p, handle):
        set_errno(p, EINVAL)
        return 0xFFFFFFFF
    return 0


def _pair(time_bits, size_bits, wide):
    first = lambda p, filespec, fileinfo: _findfirst(p, filespec, fileinfo, time_bits,  # noqa: E731
                                                     size_bits, wide)
    nxt = lambda p, handle, fileinfo: _findnext(p, handle, fileinfo, time_bits,  # noqa: E731
                                                size_bits, wide)
    return first, nxt


# name suffix -> (time bits, size bits); the classic names are msvcrt.dll's, whose time_t is
# 64 bits on x64 and 32 on i386 (resolved per call by _classic).
SHAPES = {"32": (32, 32), "64i32": (64, 32), "64": (64, 64), "32i64": (32, 64)}
for _suffix, (_t, _s) in SHAPES.items():
    for _wide in (False, True):
        _first, _next_fn = _pair(_t, _s, _wide)
        _prefix = "_wfind" if _wide else "_find"
        globals()[f"sys_msvcrt_{_prefix}first{_suffix}"] = _first
        globals()[f"sys_msvcrt_{_prefix}next{_suffix}"] = _next_fn


def _classic_bits(p, size64: bool) -> tuple[int, int]:
    return (64 if abi.word(p) == 8 else 32), (64 if size64 else 32)


def sys_msvcrt__findfirst(p, filespec, fileinfo):
    return _findfirst(p, filespec, fileinfo, *_classic_bits(p, False), False)


def sys_msvcrt__findnext(p, handle, fileinfo):
    return _findnext(p, handle, fileinfo, *_classic_bits(p, False), False)


def sys_msvcrt__findfirsti64(p, filespec, fileinfo):
    return _findfirst(p, filespec, fileinfo, *_classic_bits(p, True), False)


def sys_msvcrt__findnexti64(p, handle, fileinfo):
    return _findnext(p, handle, fileinfo, *_classic_bits(p, True), False)


def sys_msvcrt__wfindfirst(p, filespec, fileinfo):
    return _findfirst(p, filespec, fileinfo, *_classic_bits(p, False), True)


def sys_msvcrt__wfindnext(p, handle, fileinfo):
    return _findnext(p, handle, fileinfo, *_classic_bits(p, False), True)
