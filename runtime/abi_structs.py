"""Kernel structure layouts the file calls write into guest memory: struct stat (x86-64, and the
i386 one), struct stat64 (i386), struct statx and linux_dirent64. The layouts are those of
arch/x86/include/uapi/asm/stat.h, include/uapi/linux/stat.h and linux_dirent64 in fs/readdir.c;
the guest is root, so files are owned by 0:0 unless it gave one an owner (guest_owner, from
runtime/iattr.py)."""
from __future__ import annotations

import os
import stat as S
import struct

BLKSIZE = 4096                      # st_blksize: the I/O size we advise
U64 = 0xFFFFFFFFFFFFFFFF
SIZEOF_STAT, SIZEOF_STAT32, SIZEOF_STAT64, SIZEOF_STATX = 144, 64, 96, 256

_STAT = struct.Struct("<QQQIIIIQqqq6Q24x")          # x86-64 struct stat
_STAT32 = struct.Struct("<IIHHHHIIII6I8x")          # i386 struct stat
_STAT64 = struct.Struct("<Q4xIIIIIQ4xqIQ6IQ")       # i386 struct stat64, packed
_STATX_HEAD = struct.Struct("<IIQIIIH2xQQQQ")       # up to stx_attributes_mask
_STATX_TIME = struct.Struct("<qIi")                 # struct statx_timestamp
_STATX_DEVS = struct.Struct("<IIII")

STATX_TYPE, STATX_MODE, STATX_NLINK, STATX_UID, STATX_GID = 0x1, 0x2, 0x4, 0x8, 0x10
STATX_ATIME, STATX_MTIME, STATX_CTIME, STATX_INO, STATX_SIZE = 0x20, 0x40, 0x80, 0x100, 0x200
STATX_BLOCKS, STATX_BASIC_STATS, STATX_BTIME = 0x400, 0x7FF, 0x800

DT_UNKNOWN, DT_FIFO, DT_CHR, DT_DIR, DT_BLK, DT_REG, DT_LNK, DT_SOCK = 0, 1, 2, 4, 6, 8, 10, 12
DIRENT64_HEADER = 19                # d_ino u64, d_off s64, d_reclen u16, d_type u8


def _u32(v: int) -> int:
    return v & 0xFFFFFFFF


def _u64(v: int) -> int:
    return v & 0xFFFFFFFFFFFFFFFF


def _owner(st) -> tuple[int, int]:
    return getattr(st, "guest_owner", (0, 0))


def _blocks(st) -> int:
    return getattr(st, "st_blocks", (st.st_size + 511) // 512)


def _times(st) -> list[tuple[int, int]]:
    """(seconds, nanoseconds) of atime, mtime, ctime; seconds may be negative (before 1970)."""
    return [divmod(getattr(st, name, 0), 1_000_000_000)
            for name in ("st_atime_ns", "st_mtime_ns", "st_ctime_ns")]


def pack_stat(st, arch: str = "x86_64") -> bytes:
    """The kernel's struct stat: 144 bytes on x86-64; on i386 the 64-byte one of stat(2)."""
    if arch == "i386":
        return pack_stat32(st)
    if type(st) is os.stat_result:     # a host file as it is (owned by 0:0): the common case
        at, atn = divmod(st.st_atime_ns, 1_000_000_000)
        mt, mtn = divmod(st.st_mtime_ns, 1_000_000_000)
        ct, ctn = divmod(st.st_ctime_ns, 1_000_000_000)
        return _STAT.pack(st.st_dev & U64, st.st_ino & U64, st.st_nlink, st.st_mode, 0, 0, 0,
                          st.st_rdev & U64, st.st_size, BLKSIZE, st.st_blocks,
                          at & U64, atn, mt & U64, mtn, ct & U64, ctn)
    (at, atn), (mt, mtn), (ct, ctn) = _times(st)
    return _STAT.pack(_u64(st.st_dev), _u64(st.st_ino), st.st_nlink, st.st_mode,
                      *map(_u32, _owner(st)), 0,
                      _u64(getattr(st, "st_rdev", 0)), st.st_size, BLKSIZE, _blocks(st),
                      _u64(at), atn, _u64(mt), mtn, _u64(ct), ctn)


def pack_stat32(st) -> bytes:
    """i386 struct stat (64 bytes): 32-bit fields, so large values are truncated."""
    (at, atn), (mt, mtn), (ct, ctn) = _times(st)
    return _STAT32.pack(_u32(st.st_dev), _u32(st.st_ino), st.st_mode & 0xFFFF,
                        min(st.st_nlink, 0xFFFF), *(i & 0xFFFF for i in _owner(st)),
                        _u32(getattr(st, "st_rdev", 0)),
                        _u32(st.st_size), BLKSIZE, _u32(_blocks(st)),
                        _u32(at), atn, _u32(mt), mtn, _u32(ct), ctn)


def pack_stat64(st) -> bytes:
    """i386 struct stat64 (96 bytes, packed): the inode twice, truncated in __st_ino."""
    (at, atn), (mt, mtn), (ct, ctn) = _times(st)
    return _STAT64.pack(_u64(st.st_dev), _u32(st.st_ino), st.st_mode, _u32(st.st_nlink),
                        *map(_u32, _owner(st)),
                        _u64(getattr(st, "st_rdev", 0)), st.st_size, BLKSIZE, _blocks(st),
                        _u32(at), atn, _u32(mt), mtn, _u32(ct), ctn, _u64(st.st_ino))


def pack_statx(st, mask: int = STATX_BASIC_STATS, birth: tuple | None = None) -> bytes:
    """struct statx (256 bytes). We always know the basic stats, whatever mask asked for;
    the birth time when the host gave one (STATX_BTIME is set in stx_mask then)."""
    (at, atn), (mt, mtn), (ct, ctn) = _times(st)
    rdev = getattr(st, "st_rdev", 0)
    known = STATX_BASIC_STATS | (STATX_BTIME if birth is not None else 0)
    out = _STATX_HEAD.pack(known, BLKSIZE, 0, _u32(st.st_nlink),
                           *map(_u32, _owner(st)),
                           st.st_mode & 0xFFFF, _u64(st.st_ino), _u64(st.st_size), _blocks(st), 0)
    bt, btn = birth if birth is not None else (0, 0)
    for sec, nsec in ((at, atn), (bt, btn), (ct, ctn), (mt, mtn)):  # atime btime ctime mtime
        out += _STATX_TIME.pack(sec, nsec, 0)
    out += _STATX_DEVS.pack(os.major(rdev), os.minor(rdev),
                            os.major(st.st_dev), os.minor(st.st_dev))
    return out.ljust(SIZEOF_STATX, b"\0")


def dtype_of_mode(mode: int) -> int:
    """d_type for a file mode (DT_UNKNOWN when the type is not one we know)."""
    return {S.S_IFDIR: DT_DIR, S.S_IFREG: DT_REG, S.S_IFLNK: DT_LNK, S.S_IFCHR: DT_CHR,
            S.S_IFIFO: DT_FIFO, S.S_IFSOCK: DT_SOCK, S.S_IFBLK: DT_BLK}.get(S.S_IFMT(mode),
                                                                           DT_UNKNOWN)


def dirent64_reclen(name: bytes) -> int:
    """d_reclen of a linux_dirent64: header, name, NUL, padded to 8 bytes."""
    return (DIRENT64_HEADER + len(name) + 1 + 7) & ~7


def pack_dirent64(ino: int, off: int, dtype: int, name: bytes) -> bytes:
    """One struct linux_dirent64 record."""
    reclen = dirent64_reclen(name)
    head = struct.pack("<QqHB", _u64(ino), off, reclen, dtype)
    return (head + name).ljust(reclen, b"\0")


def unpack_dirent64(buf: bytes) -> list[tuple[int, int, int, bytes]]:
    """The (ino, off, type, name) records in a getdents64 buffer (for tests and tracing)."""
    out, pos = [], 0
    while pos + DIRENT64_HEADER <= len(buf):
        ino, off, reclen, dtype = struct.unpack_from("<QqHB", buf, pos)
        if reclen < DIRENT64_HEADER:
            break
        name = buf[pos + DIRENT64_HEADER:pos + reclen].split(b"\0", 1)[0]
        out.append((ino, off, dtype, name))
        pos += reclen
    return out
