"""msvcrt's directory and process helpers: _mkdir, _rmdir, _chdir, _getcwd, _access,
_unlink; system (no command interpreter here); _getch/_getche/_kbhit on stdin."""
from __future__ import annotations

from .kernel32_system import (sys_kernel32_CreateDirectoryA, sys_kernel32_DeleteFileA,
                              sys_kernel32_GetCurrentDirectoryA, sys_kernel32_GetFileAttributesA,
                              sys_kernel32_RemoveDirectoryA, sys_kernel32_SetCurrentDirectoryA)
from .kernel32_files import (sys_kernel32_CreateDirectoryW, sys_kernel32_DeleteFileW,
                             sys_kernel32_GetFileAttributesW, sys_kernel32_RemoveDirectoryW,
                             sys_kernel32_SetCurrentDirectoryW)
from .crterrno import EACCES, EINVAL, ERANGE, set_errno_from_last_error
from .msvcrt import _crt, _read_fd, _write_fd



def _result(p, ok: int) -> int:
    """0, or -1 with errno from the Win32 error the kernel32 call left."""
    if ok:
        return 0
    set_errno_from_last_error(p)
    return 0xFFFFFFFF


def sys_msvcrt__mkdir(p, dirname):
    return _result(p, sys_kernel32_CreateDirectoryA(p, dirname, 0))


def sys_msvcrt__rmdir(p, dirname):
    return _result(p, sys_kernel32_RemoveDirectoryA(p, dirname))


def sys_msvcrt__chdir(p, dirname):
    return _result(p, sys_kernel32_SetCurrentDirectoryA(p, dirname))


def sys_msvcrt__wmkdir(p, dirname):
    return _result(p, sys_kernel32_CreateDirectoryW(p, dirname, 0))


def sys_msvcrt__wrmdir(p, dirname):
    return _result(p, sys_kernel32_RemoveDirectoryW(p, dirname))


def sys_msvcrt__wchdir(p, dirname):
    return _result(p, sys_kernel32_SetCurrentDirectoryW(p, dirname))


def sys_msvcrt__wunlink(p, filename):
    return _result(p, sys_kernel32_DeleteFileW(p, filename))


def sys_msvcrt__unlink(p, filename):
    return _result(p, sys_kernel32_DeleteFileA(p, filename))


def sys_msvcrt__access(p, path, mode):
    """Exists (mode 0), readable (4), writable (2: not for read-only files)."""
    return _access(p, sys_kernel32_GetFileAttributesA(p, path), mode)


def sys_msvcrt__waccess(p, path, mode):
    return _access(p, sys_kernel32_GetFileAttributesW(p, path), mode)


def _access(p, attributes: int, mode: int) -> int:
    if mode & ~6:
        p.mm.write_u32(_crt(p)["errno"], EINVAL)   # not 0, 2, 4 or 6
        return 0xFFFFFFFF
    if attributes == 0xFFFFFFFF:
        return _result(p, 0)
    if mode & 2 and attributes & 1:
        p.mm.write_u32(_crt(p)["errno"], EACCES)
        return 0xFFFFFFFF
    return 0


def sys_msvcrt__getcwd(p, buffer, maxlen):
    need = sys_kernel32_GetCurrentDirectoryA(p, 0, 0)   # the length with its NUL
    if not buffer:
        buffer = p.win32.heap.alloc(max(maxlen, need))
        maxlen = max(maxlen, need)
    if need > maxlen:
        p.mm.write_u32(_crt(p)["errno"], ERANGE)
        return 0
    sys_kernel32_GetCurrentDirectoryA(p, maxlen, buffer)
    return buffer




def sys_msvcrt__getch(p):
    data = _read_fd(p, 0, 1)
    return data[0] if data else 0xFFFFFFFF


def sys_msvcrt__getche(p):
    c = sys_msvcrt__getch(p)
    if c != 0xFFFFFFFF:
        _write_fd(p, 1, bytes([c]))
    return c


def sys_msvcrt__kbhit(p):
    return 0   # stdin is not a console here


def sys_msvcrt__getdrive(p):
    """The current drive as a number (A: is 1): always C: here."""
    return 3


def sys_msvcrt__access_s(p, path, mode):
    """_access's answer as an errno_t: 0, or what it set errno to."""
    if sys_msvcrt__access(p, path, mode) == 0:
        return 0
    return p.mm.read_u32(_crt(p)["errno"])


def sys_msvcrt__waccess_s(p, path, mode):
    if sys_msvcrt__waccess(p, path, mode) == 0:
        return 0
    return p.mm.read_u32(_crt(p)["errno"])
