"""Kernel structure layouts the file calls write into guest memory: struct stat (x86-64),
struct stat64 (i386), struct statx, and linux_dirent64."""
from __future__ import annotations

import stat as S
import struct


def _times(st):
    out = []
    for name in ("st_atime_ns", "st_mtime_ns", "st_ctime_ns"):
        ns = getattr(st, name, 0)
        out += [ns // 1_000_000_000, ns % 1_000_000_000]
    return out


def pack_stat(st, arch: str = "x86_64") -> bytes:
    """struct stat for x86-64 (144 bytes); on i386 the old 32-bit struct stat (64 bytes)."""
    if arch == "i386":
        at, atn, mt, mtn, ct, ctn = _times(st)
        return struct.pack("<IIHHHHIIIIIIIIIIII", st.st_dev & 0xFFFFFFFF, st.st_ino & 0xFFFFFFFF,
                           st.st_mode & 0xFFFF, min(st.st_nlink, 0xFFFF), 0, 0,
                           getattr(st, "st_rdev", 0) & 0xFFFFFFFF, st.st_size & 0xFFFFFFFF,
                           4096, (st.st_size + 511) // 512 & 0xFFFFFFFF,
                           at & 0xFFFFFFFF, atn, mt & 0xFFFFFFFF, mtn, ct & 0xFFFFFFFF, ctn, 0, 0)
    return struct.pack("<QQQIIIIQqqq", st.st_dev, st.st_ino, st.st_nlink, st.st_mode, 0, 0, 0,
                       getattr(st, "st_rdev", 0), st.st_size, 4096,
                       getattr(st, "st_blocks", (st.st_size + 511) // 512)) + \
        struct.pack("<qqqqqq", *_times(st)) + b"\0" * 24


def pack_stat64(st) -> bytes:
    """i386 struct stat64 (96 bytes, packed)."""
    at, atn, mt, mtn, ct, ctn = _times(st)
    return struct.pack("<Q4xIIIIIQ4xqIQIIIIIIQ", st.st_dev, st.st_ino & 0xFFFFFFFF, st.st_mode,
                       st.st_nlink, 0, 0, getattr(st, "st_rdev", 0), st.st_size, 4096,
                       getattr(st, "st_blocks", (st.st_size + 511) // 512),
                       at, atn, mt, mtn, ct, ctn, st.st_ino)


STATX_BASIC_STATS = 0x7FF


def pack_statx(st, mask: int) -> bytes:
    """struct statx (256 bytes)."""
    at, atn, mt, mtn, ct, ctn = _times(st)
    rdev = getattr(st, "st_rdev", 0)
    dev = st.st_dev
    head = struct.pack("<IIQIIIHH", STATX_BASIC_STATS, 4096, 0, st.st_nlink, 0, 0,
                       st.st_mode & 0xFFFF, 0)
    body = struct.pack("<QQQQ", st.st_ino, st.st_size,
                       getattr(st, "st_blocks", (st.st_size + 511) // 512), 0)
    ts = b"".join(struct.pack("<qIi", s, n, 0) for s, n in ((at, atn), (0, 0), (ct, ctn), (mt, mtn)))
    devs = struct.pack("<IIII", (rdev >> 8) & 0xFFF, rdev & 0xFF, (dev >> 8) & 0xFFF, dev & 0xFF)
    return (head + body + ts + devs).ljust(256, b"\0")


DT_UNKNOWN, DT_FIFO, DT_CHR, DT_DIR, DT_BLK, DT_REG, DT_LNK, DT_SOCK = 0, 1, 2, 4, 6, 8, 10, 12


def dtype_of_mode(mode: int) -> int:
    for test, dt in ((S.S_ISDIR, DT_DIR), (S.S_ISREG, DT_REG), (S.S_ISLNK, DT_LNK),
                     (S.S_ISCHR, DT_CHR), (S.S_ISFIFO, DT_FIFO), (S.S_ISSOCK, DT_SOCK),
                     (S.S_ISBLK, DT_BLK)):
        if test(mode):
            return dt
    return DT_UNKNOWN


def pack_dirent64(ino: int, off: int, dtype: int, name: bytes) -> bytes:
    reclen = (19 + len(name) + 1 + 7) & ~7
    return struct.pack("<QqHB", ino, off, reclen, dtype) + name + b"\0" * (reclen - 19 - len(name))
