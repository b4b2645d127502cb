"""The C runtime's stat family (_stat64, _wstat64, _fstat64 and their 32-bit-size variants):
the machine's file attributes in Windows' struct _stat64 layout, permission bits as the
UCRT reports them (the owner's read/write/execute copied to group and others)."""
from __future__ import annotations

import stat as S
import struct

from ..errors import KernelError
from .crterrno import EBADF, ENOENT
from .crtio import _fail, _valid_fd
from .kernel32_files import _stat
from .msvcrt import _crt
from .wide import read_wstr

_S_IFDIR, _S_IFCHR, _S_IFIFO, _S_IFREG = 0x4000, 0x2000, 0x1000, 0x8000
_S_IREAD, _S_IWRITE, _S_IEXEC = 0x100, 0x80, 0x40


def _mode(st) -> int:
    kind = _S_IFDIR if S.S_ISDIR(st.st_mode) else _S_IFCHR if S.S_ISCHR(st.st_mode) else \
        _S_IFIFO if S.S_ISFIFO(st.st_mode) or S.S_ISSOCK(st.st_mode) else _S_IFREG
    user = _S_IREAD
    if st.st_mode & 0o200:
        user |= _S_IWRITE
    if S.S_ISDIR(st.st_mode) or st.st_mode & 0o100:
        user |= _S_IEXEC
    return kind | user | user >> 3 | user >> 6


def _layout(st, wide_size: bool) -> bytes:
    """struct _stat64 (size 64-bit, 56 bytes) or _stat64i32 (size 32-bit, 48 bytes)."""
    head = struct.pack("<IHHhhhxxI", st.st_dev & 0xFFFFFFFF, st.st_ino & 0xFFFF, _mode(st),
                       min(st.st_nlink, 0x7FFF), 0, 0, 0)
    times = struct.pack("<qqq", int(st.st_atime), int(st.st_mtime), int(st.st_ctime))
    if wide_size:
        return head + b"\0" * 4 + struct.pack("<q", st.st_size) + times
    return head + struct.pack("<I", min(st.st_size, 0x7FFFFFFF)) + times


def _by_path(p, path: str, buffer: int, wide_size: bool, layout=_layout) -> int:
    saved = p.win32.last_error
    st = _stat(p, path)
    p.win32.last_error = saved
    if st is None:
        return _fail(p, ENOENT)
    p.mm.write(buffer, layout(st, wide_size))
    return 0


def _by_fd(p, fd: int, buffer: int, wide_size: bool, layout=_layout) -> int:
    if not _valid_fd(p, fd):
        return _fail(p, EBADF)
    try:
        st = p.fds.get(fd).fstat()
    except KernelError as exc:
        p.mm.write_u32(_crt(p)["errno"], exc.errno)
        return 0xFFFFFFFF
    p.mm.write(buffer, layout(st, wide_size))
    return 0


def sys_msvcrt__stat64(p, path, buffer):
    return _by_path(p, p.mm.read_cstr(path, 1 << 16).decode("latin-1"), buffer, True)


def sys_msvcrt__wstat64(p, path, buffer):
    return _by_path(p, read_wstr(p, path), buffer, True)


def sys_msvcrt__fstat64(p, fd, buffer):
    return _by_fd(p, fd, buffer, True)


def sys_msvcrt__stat64i32(p, path, buffer):
    return _by_path(p, p.mm.read_cstr(path, 1 << 16).decode("latin-1"), buffer, False)


def sys_msvcrt__wstat64i32(p, path, buffer):
    return _by_path(p, read_wstr(p, path), buffer, False)


def sys_msvcrt__fstat64i32(p, fd, buffer):
    return _by_fd(p, fd, buffer, False)


# --- the permission bit, the umask and the times, by name -----------------------------------

_S_IWRITE = 0x80


def _crt_by_name(p, path: str, action) -> int:
    """0, or -1 with errno from the Win32 error the name's lookup or action gave."""
    from .crterrno import errno_of_win32
    from .kernel32_files import _by_name
    if _by_name(p, path, action):
        return 0
    return _fail(p, errno_of_win32(p.win32.last_error))


def _chmod(p, path: str, mode: int) -> int:
    """_S_IWRITE clear makes the file read-only (no write bits), set makes it writable."""
    from .kernel32_files import _chmod as chmod_guest
    st = _stat(p, path)
    if st is None:
        return _fail(p, ENOENT)
    bits = S.S_IMODE(st.st_mode)
    bits = bits | 0o200 if mode & _S_IWRITE else bits & ~0o222
    return _crt_by_name(p, path, lambda guest: chmod_guest(p, guest, bits))


def sys_msvcrt__chmod(p, filename, pmode):
    return _chmod(p, p.mm.read_cstr(filename).decode("latin-1"), pmode)


def sys_msvcrt__wchmod(p, filename, pmode):
    return _chmod(p, read_wstr(p, filename), pmode)


def sys_msvcrt__umask(p, pmode):
    """The previous mask; only _S_IWRITE means anything to the CRT's files."""
    old = p.win32.crt_umask
    p.win32.crt_umask = pmode & 0x180
    return old


def _utime(p, path: str, times: int, wide_time: bool) -> int:
    """Access and modification times from a __utimbuf64/32 (NULL: now)."""
    import time as host_time
    if times:
        fmt = "<qq" if wide_time else "<ii"
        access, modified = struct.unpack(fmt, p.mm.read(times, struct.calcsize(fmt)))
        ns = (access * 10**9, modified * 10**9)
    else:
        now = host_time.time_ns()
        ns = (now, now)
    return _crt_by_name(p, path, lambda guest: p.kernel.fs.utimens("/", guest, ns, True, p))


def sys_msvcrt__utime64(p, filename, times):
    return _utime(p, p.mm.read_cstr(filename).decode("latin-1"), times, True)


def sys_msvcrt__wutime64(p, filename, times):
    return _utime(p, read_wstr(p, filename), times, True)


def sys_msvcrt__utime32(p, filename, times):
    return _utime(p, p.mm.read_cstr(filename).decode("latin-1"), times, False)


def sys_msvcrt__wutime32(p, filename, times):
    return _utime(p, read_wstr(p, filename), times, False)


# --- msvcrt.dll's own names: _stat and _stati64 (time_t is 32-bit in i386's msvcrt) --------

def _layout_time32(st, wide_size: bool) -> bytes:
    """i386 msvcrt's struct _stat (32-bit size and times, 36 bytes) or _stati64 (64-bit
    size, 48 bytes)."""
    head = struct.pack("<IHHhhhxxI", st.st_dev & 0xFFFFFFFF, st.st_ino & 0xFFFF, _mode(st),
                       min(st.st_nlink, 0x7FFF), 0, 0, 0)
    times = struct.pack("<iii", *(max(min(int(t), 0x7FFFFFFF), 0)
                                  for t in (st.st_atime, st.st_mtime, st.st_ctime)))
    if wide_size:
        return head + b"\0" * 4 + struct.pack("<q", st.st_size) + times + b"\0" * 4
    return head + struct.pack("<I", min(st.st_size, 0x7FFFFFFF)) + times


def _msvcrt_layout(p):
    """x64 msvcrt's _stat is _stat64i32 and _stati64 is _stat64; i386's use 32-bit times."""
    return _layout if p.sysvec.word_bits == 64 else _layout_time32


def sys_msvcrt__stat(p, path, buffer):
    return _by_path(p, p.mm.read_cstr(path, 1 << 16).decode("latin-1"), buffer, False,
                    _msvcrt_layout(p))


def sys_msvcrt__wstat(p, path, buffer):
    return _by_path(p, read_wstr(p, path), buffer, False, _msvcrt_layout(p))


def sys_msvcrt__fstat(p, fd, buffer):
    return _by_fd(p, fd, buffer, False, _msvcrt_layout(p))


def sys_msvcrt__stati64(p, path, buffer):
    return _by_path(p, p.mm.read_cstr(path, 1 << 16).decode("latin-1"), buffer, True,
                    _msvcrt_layout(p))


def sys_msvcrt__wstati64(p, path, buffer):
    return _by_path(p, read_wstr(p, path), buffer, True, _msvcrt_layout(p))


def sys_msvcrt__fstati64(p, fd, buffer):
    return _by_fd(p, fd, buffer, True, _msvcrt_layout(p))
