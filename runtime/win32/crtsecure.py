"""The C runtime's "secure" (_s) forms and errno accessors that the UCRT added and programs
built for it call: copies that check the destination's size, strtok_s with the caller's
context, fopen_s, getenv_s, the _s broken-down times, _get_errno/_set_errno, and _fullpath.
A size that does not fit is the CRT's invalid-parameter case: the destination emptied and
ERANGE or EINVAL returned (the program's invalid-parameter handler is not called here)."""
from __future__ import annotations

from ..nt import abi
from .crterrno import EINVAL, ERANGE, STRUNCATE, set_errno
from .msvcrt import _crt

TRUNCATE = (1 << 64) - 1


def _size(p, value: int) -> int:
    return value & ((1 << p.sysvec.word_bits) - 1)


def _copy_s(p, dest, size, data: bytes, unit: int, count: int | None = None) -> int:
    """Copy data (no terminator) to dest of size units, NUL added; errno_t."""
    size = _size(p, size)
    if not dest or not size:
        return EINVAL
    if count is not None and count != _size(p, TRUNCATE):
        data = data[:count * unit]
    elif count is not None and len(data) >= size * unit:      # _TRUNCATE: what fits
        p.mm.write(dest, data[:(size - 1) * unit] + b"\0" * unit)
        return STRUNCATE
    if len(data) + unit > size * unit:
        p.mm.write(dest, b"\0" * unit)
        return ERANGE
    p.mm.write(dest, data + b"\0" * unit)
    return 0


def sys_msvcrt_strcpy_s(p, dest, dest_size, src):
    return _copy_s(p, dest, dest_size, p.mm.read_cstr(src, 1 << 20), 1) if src else EINVAL


def sys_msvcrt_strncpy_s(p, dest, dest_size, src, count):
    return _copy_s(p, dest, dest_size, p.mm.read_cstr(src, 1 << 20), 1, _size(p, count)) \
        if src else EINVAL


def sys_msvcrt_strcat_s(p, dest, dest_size, src):
    if not dest or not src:
        return EINVAL
    have = p.mm.read_cstr(dest, _size(p, dest_size) or 1)
    return _copy_s(p, dest, dest_size, have + p.mm.read_cstr(src, 1 << 20), 1)


def sys_msvcrt_wcscpy_s(p, dest, dest_size, src):
    from .wide import read_wstr
    return _copy_s(p, dest, dest_size, read_wstr(p, src).encode("utf-16-le"), 2) \
        if src else EINVAL


def sys_msvcrt_strtok_s(p, s, delim, context):
    """strtok with the position in *context (reentrant)."""
    from .crtstrings import next_token
    token, following = next_token(p, s if s else abi.read_ptr(p, context), delim)
    abi.write_ptr(p, context, following)
    return token


def _fopen_s(p, pFile, filename, mode, fopen) -> int:
    """fopen (or _wfopen) with the FILE* through pFile and errno as the result."""
    if not pFile or not filename or not mode:
        return EINVAL
    stream = fopen(p, filename, mode)
    abi.write_ptr(p, pFile, stream)
    return 0 if stream else p.mm.read_u32(_crt(p)["errno"])


def sys_msvcrt_fopen_s(p, pFile, filename, mode):
    from .stdlib import sys_msvcrt_fopen
    return _fopen_s(p, pFile, filename, mode, sys_msvcrt_fopen)


def _getenv_s(p, pReturnValue, buffer, numberOfElements, value: str | None, encoding: str,
              unit: int) -> int:
    """The variable's value (its size in units with the NUL in *pReturnValue; 0 when
    unset); no buffer and a size of 0 only asks the size."""
    data = value.encode(encoding) if value is not None else None
    if pReturnValue:
        abi.write_ptr(p, pReturnValue, len(data) // unit + 1 if data is not None else 0)
    if data is None:
        if buffer and _size(p, numberOfElements):
            p.mm.write(buffer, b"\0" * unit)
        return 0
    if not buffer:
        return 0 if not _size(p, numberOfElements) else EINVAL
    return _copy_s(p, buffer, numberOfElements, data, unit)


def sys_msvcrt_getenv_s(p, pReturnValue, buffer, numberOfElements, varname):
    from .stdlib import _env_value
    key = p.mm.read_cstr(varname, 4096).decode("latin-1") if varname else ""
    return _getenv_s(p, pReturnValue, buffer, numberOfElements, _env_value(p, key), "utf-8", 1)


def sys_msvcrt__wgetenv_s(p, pReturnValue, buffer, numberOfElements, varname):
    from .stdlib import _env_value
    from .wide import read_wstr
    value = _env_value(p, read_wstr(p, varname) if varname else "")
    return _getenv_s(p, pReturnValue, buffer, numberOfElements, value, "utf-16-le", 2)


def _dupenv(p, buffer, numberOfElements, value: str | None, encoding: str, unit: int) -> int:
    """A malloc'd copy of the value in *buffer (the caller frees it) and its size with the
    terminator in *numberOfElements; NULL and 0 for an unset variable."""
    from .msvcrt import sys_msvcrt_malloc
    if not buffer:
        return EINVAL
    abi.write_ptr(p, buffer, 0)
    if numberOfElements:
        abi.write_ptr(p, numberOfElements, 0)
    if value is None:
        return 0
    data = value.encode(encoding) + b"\0" * unit
    block = sys_msvcrt_malloc(p, len(data))
    if not block:
        return set_errno(p, 12) or 12          # ENOMEM
    p.mm.write(block, data)
    abi.write_ptr(p, buffer, block)
    if numberOfElements:
        abi.write_ptr(p, numberOfElements, len(data) // unit)
    return 0


def sys_msvcrt__dupenv_s(p, buffer, numberOfElements, varname):
    from .stdlib import _env_value
    if not varname:
        return EINVAL
    name = p.mm.read_cstr(varname, 4096).decode("latin-1")
    return _dupenv(p, buffer, numberOfElements, _env_value(p, name), "latin-1", 1)


def sys_msvcrt__wdupenv_s(p, buffer, numberOfElements, varname):
    from .stdlib import _env_value
    from .wide import read_wstr
    if not varname:
        return EINVAL
    return _dupenv(p, buffer, numberOfElements, _env_value(p, read_wstr(p, varname)),
                   "utf-16-le", 2)


def sys_msvcrt__get_errno(p, pValue):
    if not pValue:
        return EINVAL
    p.mm.write_u32(pValue, p.mm.read_u32(_crt(p)["errno"]))
    return 0


def sys_msvcrt__set_errno(p, value):
    set_errno(p, value & 0xFFFFFFFF)
    return 0


def _time_s(p, tmDest, sourceTime, convert: str) -> int:
    from . import crttime
    if not tmDest or not sourceTime:
        return EINVAL
    addr = getattr(crttime, convert)(p, sourceTime)
    if not addr:
        p.mm.write(tmDest, b"\xff" * crttime.TM.size)
        return EINVAL
    p.mm.write(tmDest, p.mm.read(addr, crttime.TM.size))
    return 0


def sys_msvcrt__gmtime64_s(p, tmDest, sourceTime):
    return _time_s(p, tmDest, sourceTime, "sys_msvcrt__gmtime64")


def sys_msvcrt__localtime64_s(p, tmDest, sourceTime):
    return _time_s(p, tmDest, sourceTime, "sys_msvcrt__localtime64")


def _fullpath(p, absPath, relPath, maxLength, wide: bool) -> int:
    """The absolute path of relPath in absPath (a new block when NULL); NULL and ERANGE when
    it does not fit."""
    from .kernel32_files import full_path
    from .wide import encode, read_str
    text = full_path(p, read_str(p, relPath, wide) if relPath else ".")
    data = encode(text, wide) + (b"\0\0" if wide else b"\0")
    unit = 2 if wide else 1
    if not absPath:
        absPath = p.win32.heap.alloc(len(data))
    elif len(data) > _size(p, maxLength) * unit:
        set_errno(p, ERANGE)
        return 0
    p.mm.write(absPath, data)
    return absPath


def sys_msvcrt__fullpath(p, absPath, relPath, maxLength):
    return _fullpath(p, absPath, relPath, maxLength, False)


def sys_msvcrt__wfullpath(p, absPath, relPath, maxLength):
    return _fullpath(p, absPath, relPath, maxLength, True)


def sys_msvcrt__wgetcwd(p, buffer, maxlen):
    """The current directory, wide (a new block when buffer is NULL)."""
    text = p.win32.cwd
    data = text.encode("utf-16-le") + b"\0\0"
    if not buffer:
        buffer = p.win32.heap.alloc(max(len(data), 2 * (maxlen & 0xFFFFFFFF)))
    elif len(data) > 2 * (maxlen & 0xFFFFFFFF):
        set_errno(p, ERANGE)
        return 0
    p.mm.write(buffer, data)
    return buffer


def _number_s(p, value, buffer, size, radix, bits: int, signed: bool, wide: bool = False) -> int:
    """The _itoa_s family: value in radix into buffer of size characters (EINVAL for a radix
    outside 2..36, the bounds check in _copy_s)."""
    from .crtstrings import _to_text
    if not 2 <= radix <= 36:
        return EINVAL
    text = _to_text(value, radix, bits, signed)
    if wide:
        return _copy_s(p, buffer, size, text.decode().encode("utf-16-le"), 2)
    return _copy_s(p, buffer, size, text, 1)


def sys_msvcrt__itoa_s(p, value, buffer, size, radix):
    return _number_s(p, value, buffer, size, radix, 32, True)


def sys_msvcrt__i64toa_s(p, value, buffer, size, radix):
    return _number_s(p, value, buffer, size, radix, 64, True)


def sys_msvcrt__itow_s(p, value, buffer, size, radix):
    return _number_s(p, value, buffer, size, radix, 32, True, wide=True)


def sys_msvcrt_wcscat_s(p, dest, dest_size, src):
    from .wide import read_wstr
    if not dest or not src:
        return EINVAL
    have = read_wstr(p, dest)[:_size(p, dest_size)]
    return _copy_s(p, dest, dest_size, (have + read_wstr(p, src)).encode("utf-16-le"), 2)


def sys_msvcrt_wcsncpy_s(p, dest, dest_size, src, count):
    from .wide import read_wstr
    return _copy_s(p, dest, dest_size, read_wstr(p, src).encode("utf-16-le"), 2,
                   _size(p, count)) if src else EINVAL


def sys_msvcrt_strncat_s(p, dest, dest_size, src, count):
    if not dest or not src:
        return EINVAL
    have = p.mm.read_cstr(dest, _size(p, dest_size) or 1)
    add = p.mm.read_cstr(src, 1 << 20)
    n = _size(p, count)
    if n != _size(p, TRUNCATE):
        add = add[:n]
    return _copy_s(p, dest, dest_size, have + add, 1, n if n == _size(p, TRUNCATE) else None)


def sys_msvcrt__strupr_s(p, string, size):
    return _recase_s(p, string, size, bytes.upper)


def sys_msvcrt__strlwr_s(p, string, size):
    return _recase_s(p, string, size, bytes.lower)


def _recase_s(p, string, size, change) -> int:
    """_strupr_s/_strlwr_s: the string changed in place (the C locale's letters)."""
    if not string:
        return EINVAL
    p.mm.write(string, change(p.mm.read_cstr(string, _size(p, size) or 1)))
    return 0


def sys_msvcrt_wcstok_s(p, s, delim, context):
    """wcstok with the position in *context."""
    from .crtwidestr import next_wide_token
    token, following = next_wide_token(p, s if s else abi.read_ptr(p, context), delim)
    abi.write_ptr(p, context, following)
    return token


def sys_ucrtbase_wcstok(p, s, delim, context):
    """The UCRT's wcstok takes a context too (NULL: a per-thread one)."""
    from .crtwidestr import next_wide_token
    if not context:
        start = s if s else p.win32.strings.get("wcstok next", 0)
        token, following = next_wide_token(p, start, delim)
        p.win32.strings["wcstok next"] = following
        return token
    return sys_msvcrt_wcstok_s(p, s, delim, context)


def sys_msvcrt__wgetdcwd(p, drive, buffer, maxlen):
    """The current directory of a drive: there is one drive, C: (0 is the current one)."""
    if drive not in (0, 3):
        set_errno(p, EINVAL)
        return 0
    return sys_msvcrt__wgetcwd(p, buffer, maxlen)


def sys_msvcrt__getdcwd(p, drive, buffer, maxlen):
    from .crtdir import sys_msvcrt__getcwd
    if drive not in (0, 3):
        set_errno(p, EINVAL)
        return 0
    return sys_msvcrt__getcwd(p, buffer, maxlen)


def sys_msvcrt__ui64toa_s(p, value, buffer, size, radix):
    return _number_s(p, value, buffer, size, radix, 64, False)


def sys_msvcrt__ultoa_s(p, value, buffer, size, radix):
    return _number_s(p, value, buffer, size, radix, 32, False)


def sys_msvcrt__wfopen_s(p, pFile, filename, mode):
    from .stdlib import sys_msvcrt__wfopen
    return _fopen_s(p, pFile, filename, mode, sys_msvcrt__wfopen)


def _put_count(p, at: int, count: int) -> None:
    if at:
        abi.write_ptr(p, at, count)


def sys_msvcrt_mbstowcs_s(p, pReturnValue, wcstr, sizeInWords, mbstr, count):
    """mbstowcs into a buffer of sizeInWords, NUL added: *pReturnValue is the characters
    written with it (or needed, with no buffer); count _TRUNCATE takes what fits."""
    if not mbstr or (not wcstr and sizeInWords) or (wcstr and not sizeInWords):
        return EINVAL
    text = p.mm.read_cstr(mbstr, 1 << 20)
    if not wcstr:
        _put_count(p, pReturnValue, len(text) + 1)
        return 0
    data = b"".join(bytes((b, 0)) for b in text)
    result = _copy_s(p, wcstr, sizeInWords, data, 2, count)
    if result in (0, STRUNCATE):
        written = min(len(text), _size(p, count), _size(p, sizeInWords) - 1)
        _put_count(p, pReturnValue, written + 1)
    return result


def sys_msvcrt_wcstombs_s(p, pReturnValue, mbstr, sizeInBytes, wcstr, count):
    """wcstombs into a buffer of sizeInBytes (the C locale: a character above 0xFF is
    EILSEQ), NUL added; *pReturnValue as mbstowcs_s's."""
    from .crterrno import EILSEQ
    from .wide import read_wstr
    if not wcstr or (mbstr and not sizeInBytes):
        return EINVAL
    text = read_wstr(p, wcstr)
    if any(ord(c) > 0xFF for c in text[:_size(p, count)]):
        if mbstr:
            p.mm.write(mbstr, b"\0")
        return EILSEQ
    data = text.encode("latin-1")
    if not mbstr:
        _put_count(p, pReturnValue, len(data) + 1)
        return 0
    result = _copy_s(p, mbstr, sizeInBytes, data, 1, count)
    if result in (0, STRUNCATE):
        written = min(len(data), _size(p, count), _size(p, sizeInBytes) - 1)
        _put_count(p, pReturnValue, written + 1)
    return result


def _ctime_s(p, buffer, size, timer, bits: int) -> int:
    """ctime into a buffer of at least 26 bytes: EINVAL (buffer emptied) for a bad one or
    a time before 1970, ERANGE for a short buffer."""
    from .crttime import _ctime
    if not buffer or not size or not timer:
        return EINVAL
    if _size(p, size) < 26:
        p.mm.write(buffer, b"\0")
        return ERANGE
    text = _ctime(p, timer, bits)
    if not text:
        p.mm.write(buffer, b"\0")
        return EINVAL
    p.mm.write(buffer, p.mm.read_cstr(text, 26) + b"\0")
    return 0


def sys_msvcrt__ctime64_s(p, buffer, numberOfElements, sourceTime):
    return _ctime_s(p, buffer, numberOfElements, sourceTime, 64)


def sys_msvcrt__ctime32_s(p, buffer, numberOfElements, sourceTime):
    return _ctime_s(p, buffer, numberOfElements, sourceTime, 32)
