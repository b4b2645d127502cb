"""The C runtime's wide-string functions beyond wcslen (copy, append, compare), multibyte
conversion in the C locale, strerror_s, and the descriptor calls isatty, dup and dup2 (what
GHC's runtime and other C programs built for the UCRT call)."""
from __future__ import annotations


from ..nt import abi
from .crterrno import EBADF, EINVAL
from .crtio import _fail, _valid_fd
from .msvcrt import _crt



def _wchars(p, s: int, limit: int | None = None) -> list[int]:
    """The UTF-16 units of a NUL-terminated string (at most limit of them)."""
    units, at = [], s
    while limit is None or len(units) < limit:
        unit = int.from_bytes(p.mm.read(at, 2), "little")
        if unit == 0:
            break
        units.append(unit)
        at += 2
    return units


def _units_bytes(units: list[int]) -> bytes:
    return b"".join(u.to_bytes(2, "little") for u in units) + b"\0\0"


def sys_msvcrt_wcscpy(p, dest, src):
    p.mm.write(dest, _units_bytes(_wchars(p, src)))
    return dest


def sys_msvcrt_wcscat(p, dest, src):
    end = dest + 2 * len(_wchars(p, dest))
    p.mm.write(end, _units_bytes(_wchars(p, src)))
    return dest


def _compare(a: list[int], b: list[int]) -> int:
    for x, y in zip(a, b):
        if x != y:
            return -1 if x < y else 1
    return (len(a) > len(b)) - (len(a) < len(b))


def sys_msvcrt_wcscmp(p, string1, string2):
    return _compare(_wchars(p, string1), _wchars(p, string2))


def sys_msvcrt_wcsncmp(p, string1, string2, count):
    return _compare(_wchars(p, string1, count), _wchars(p, string2, count))


def sys_msvcrt_mbstowcs(p, wcstr, mbstr, count):
    """The C locale: each byte is one character. Returns the characters converted, NUL not
    counted (with no destination: the length it would need)."""
    text = p.mm.read_cstr(mbstr, 1 << 20)
    if not wcstr:
        return len(text)
    units = text[:count]
    data = b"".join(bytes((b, 0)) for b in units)
    if len(units) < count:
        data += b"\0\0"
    p.mm.write(wcstr, data)
    return len(units)


def sys_msvcrt_wcstombs(p, mbstr, wcstr, count):
    """The C locale: characters below 256 are their byte; any other fails with EILSEQ
    (-1). Returns the bytes written, NUL not counted (no destination: the length needed)."""
    from .crterrno import EILSEQ, set_errno
    units = _wchars(p, wcstr, 1 << 20)
    if any(u > 0xFF for u in units):
        set_errno(p, EILSEQ)
        return (1 << abi.word(p) * 8) - 1
    data = bytes(units)
    if not mbstr:
        return len(data)
    data = data[:count]
    p.mm.write(mbstr, data + (b"\0" if len(data) < count else b""))
    return len(data)


# wctype's classes as the UCRT's ctype masks (_UPPER 1, _LOWER 2, _DIGIT 4, _SPACE 8,
# _PUNCT 0x10, _CONTROL 0x20, _BLANK 0x40, _HEX 0x80, _ALPHA 0x100 | _UPPER | _LOWER)
WCTYPES = {b"alnum": 0x107, b"alpha": 0x103, b"blank": 0x40, b"cntrl": 0x20, b"digit": 0x4,
           b"graph": 0x117, b"lower": 0x2, b"print": 0x157, b"punct": 0x10, b"space": 0x8,
           b"upper": 0x1, b"xdigit": 0x80}


def sys_msvcrt_wctype(p, property):
    """The class iswctype tests for a name ("alpha" ...), 0 for an unknown one."""
    return WCTYPES.get(p.mm.read_cstr(property, 64) if property else b"", 0)


def sys_msvcrt_wctob(p, c):
    """The C locale's single byte for a wide character: itself below 256, else EOF."""
    c &= 0xFFFF
    return c if c < 256 else 0xFFFFFFFF


def sys_msvcrt_btowc(p, c):
    """A byte's wide character in the C locale: itself (EOF is WEOF)."""
    c &= 0xFFFFFFFF
    return 0xFFFF if c == 0xFFFFFFFF else c & 0xFF


def sys_msvcrt___lconv_init(p):
    """msvcrt's locale-conventions set-up, which mingw-w64's start-up code calls: the C
    locale's are fixed here."""
    return 0


def sys_msvcrt_mbrlen(p, mbchar, count, mbstate):
    """Single-byte C locale: a NUL is 0 bytes long, any other byte 1; nothing to look at, -2."""
    if not mbchar:
        return 0
    if count == 0:
        return (1 << (8 * abi.word(p))) - 2        # (size_t)-2: incomplete
    return 0 if p.mm.read(mbchar, 1) == b"\0" else 1


def sys_msvcrt_strerror_s(p, buffer, sizeInBytes, errnum):
    if not buffer or sizeInBytes == 0:
        return EINVAL
    from .crterrno import message
    text = message(errnum).encode()[:sizeInBytes - 1]
    p.mm.write(buffer, text + b"\0")
    return 0


def sys_msvcrt__isatty(p, fd):
    """Non-zero for a character device (a console or terminal), as Windows' CRT answers."""
    if not _valid_fd(p, fd):
        p.mm.write_u32(_crt(p)["errno"], EBADF)
        return 0
    return 64 if p.fds.get(fd).isatty() else 0     # FDEV: the CRT's device flag


def _same_mode(p, old: int, new: int) -> int:
    """A duplicate keeps the original's translation mode, as the CRT's do."""
    modes = p.win32.fd_modes
    if old in modes:
        modes[new] = modes[old]
    else:
        modes.pop(new, None)
    return new


def sys_msvcrt__dup(p, fd):
    if not _valid_fd(p, fd):
        return _fail(p, EBADF)
    return _same_mode(p, fd, p.fds.dup(fd))


def sys_msvcrt__dup2(p, fd1, fd2):
    if not _valid_fd(p, fd1) or fd2 < 0:
        return _fail(p, EBADF)
    _same_mode(p, fd1, p.fds.dup2(fd1, fd2))
    return 0


# --- the C locale's wide characters and collation -----------------------------------------
# The "C" locale: case maps and classes of ASCII letters only, collation by code point.

_UPPER, _LOWER, _DIGIT, _SPACE, _PUNCT, _CONTROL, _BLANK, _HEX, _ALPHA = \
    0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80, 0x100
WEOF = 0xFFFF


def _ctype(c: int) -> int:
    """The C library's character class bits of c (ASCII; the other letters are alphabetic,
    as the UCRT's iswctype says of them in the C locale)."""
    if c >= 128:
        return _ALPHA if chr(c).isalpha() else 0
    ch, bits = chr(c), 0
    if ch.isupper():
        bits |= _UPPER | _ALPHA
    if ch.islower():
        bits |= _LOWER | _ALPHA
    if ch.isdigit():
        bits |= _DIGIT
    if ch in " \t\n\v\f\r":
        bits |= _SPACE
    if ch in " \t":
        bits |= _BLANK
    if c < 32 or c == 127:
        bits |= _CONTROL
    if 33 <= c <= 126 and not ch.isalnum():
        bits |= _PUNCT
    if ch in "0123456789abcdefABCDEF":
        bits |= _HEX
    return bits


def sys_msvcrt_iswctype(p, c, desc):
    return _ctype(c & 0xFFFF) & desc & 0xFFFF if c & 0xFFFF != WEOF else 0


def sys_msvcrt_towlower(p, c):
    c &= 0xFFFF
    return c + 32 if 65 <= c <= 90 else c


def sys_msvcrt_towupper(p, c):
    c &= 0xFFFF
    return c - 32 if 97 <= c <= 122 else c


def sys_msvcrt_strcoll(p, string1, string2):
    a, b = p.mm.read_cstr(string1, 1 << 20), p.mm.read_cstr(string2, 1 << 20)
    return (a > b) - (a < b)


def sys_msvcrt_wcscoll(p, string1, string2):
    return _compare(_wchars(p, string1), _wchars(p, string2))


def sys_msvcrt_strxfrm(p, strDest, strSource, count):
    """Collation keys in the C locale are the strings themselves: the length, copied when
    it fits."""
    text = p.mm.read_cstr(strSource, 1 << 20)
    if strDest and len(text) < count:
        p.mm.write(strDest, text + b"\0")
    return len(text)


def sys_msvcrt_wcsxfrm(p, strDest, strSource, count):
    units = _wchars(p, strSource)
    if strDest and len(units) < count:
        p.mm.write(strDest, _units_bytes(units))
    return len(units)


def sys_msvcrt_getwc(p, stream):
    """A character from a stream read as the C locale's single bytes."""
    from .stdlib import sys_msvcrt_fgetc
    c = sys_msvcrt_fgetc(p, stream)
    return WEOF if c == 0xFFFFFFFF else c & 0xFF


def sys_msvcrt_ungetwc(p, c, stream):
    from .stdlib import sys_msvcrt_ungetc
    c &= 0xFFFF
    if c == WEOF or c > 0xFF:
        return WEOF
    return c if sys_msvcrt_ungetc(p, c, stream) != 0xFFFFFFFF else WEOF


sys_msvcrt_fgetwc = sys_msvcrt_getwc


# --- single characters: mbtowc, wctomb, mblen (the C locale: a byte is a character) --------

def sys_msvcrt_mbtowc(p, pwc, s, n):
    """The character at s (its byte count: 1, or 0 for the NUL); NULL s asks whether the
    encoding keeps state (no)."""
    if not s:
        return 0
    if n == 0:
        return 0xFFFFFFFF                       # -1: not even one byte to look at
    byte = p.mm.read(s, 1)[0]
    if pwc:
        p.mm.write(pwc, bytes((byte, 0)))
    return 1 if byte else 0


def sys_msvcrt__mbtowc_l(p, pwc, s, n, locale):
    return sys_msvcrt_mbtowc(p, pwc, s, n)


def sys_msvcrt_mblen(p, s, n):
    return sys_msvcrt_mbtowc(p, 0, s, n)


def sys_msvcrt_wctomb(p, s, wchar):
    """wchar as its byte: 1; one with no byte in the C locale is EILSEQ (-1)."""
    from .crterrno import EILSEQ, set_errno
    if not s:
        return 0
    wchar &= 0xFFFF
    if wchar > 0xFF:
        set_errno(p, EILSEQ)
        return 0xFFFFFFFF
    p.mm.write(s, bytes((wchar,)))
    return 1


def sys_msvcrt__wctomb_l(p, s, wchar, locale):
    return sys_msvcrt_wctomb(p, s, wchar)


def sys_msvcrt__mbstowcs_l(p, wcstr, mbstr, count, locale):
    return sys_msvcrt_mbstowcs(p, wcstr, mbstr, count)


def sys_msvcrt__wcstombs_l(p, mbstr, wcstr, count, locale):
    return sys_msvcrt_wcstombs(p, mbstr, wcstr, count)


def sys_msvcrt_mbsinit(p, ps):
    """The C locale's conversions keep no state: every state is the initial one."""
    return 1
