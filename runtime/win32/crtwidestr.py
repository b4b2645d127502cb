"""The C runtime's wide-string searching, bounded copies and case-blind comparisons, in the C
locale (only A-Z and a-z have case), and wcstol/wcstoul/_wtoi over the same parse as
strtol (what Rust's and MSVC's run-time code and libraries such as libgit2 call)."""
from __future__ import annotations

from ..nt import abi
from .crterrno import ERANGE
from .crtwide import _compare, _units_bytes, _wchars
from .stdlib import _return_64, parse_integer

MAX_UNITS = 1 << 20


def _lower(u: int) -> int:
    return u + 32 if 65 <= u <= 90 else u


def _upper(u: int) -> int:
    return u - 32 if 97 <= u <= 122 else u


def _find(p, s: int, units: list[int], pred) -> int:
    for i, u in enumerate(units):
        if pred(u):
            return s + 2 * i
    return 0


def sys_msvcrt_wcschr(p, s, c):
    c &= 0xFFFF
    units = _wchars(p, s, MAX_UNITS)
    if c == 0:
        return s + 2 * len(units)
    return _find(p, s, units, lambda u: u == c)


def sys_msvcrt_wcsrchr(p, s, c):
    c &= 0xFFFF
    units = _wchars(p, s, MAX_UNITS)
    if c == 0:
        return s + 2 * len(units)
    for i in range(len(units) - 1, -1, -1):
        if units[i] == c:
            return s + 2 * i
    return 0


def sys_msvcrt_wcsstr(p, s, sub):
    hay, needle = _wchars(p, s, MAX_UNITS), _wchars(p, sub, MAX_UNITS)
    for i in range(len(hay) - len(needle) + 1):
        if hay[i:i + len(needle)] == needle:
            return s + 2 * i
    return 0


def sys_msvcrt_wcspbrk(p, s, accept):
    chars = set(_wchars(p, accept, MAX_UNITS))
    return _find(p, s, _wchars(p, s, MAX_UNITS), lambda u: u in chars)


def sys_msvcrt_wcsspn(p, s, accept):
    chars = set(_wchars(p, accept, MAX_UNITS))
    units = _wchars(p, s, MAX_UNITS)
    return next((i for i, u in enumerate(units) if u not in chars), len(units))


def sys_msvcrt_wcscspn(p, s, reject):
    chars = set(_wchars(p, reject, MAX_UNITS))
    units = _wchars(p, s, MAX_UNITS)
    return next((i for i, u in enumerate(units) if u in chars), len(units))


def sys_msvcrt_wcsnlen(p, s, maxsize):
    maxsize &= (1 << p.sysvec.word_bits) - 1
    return len(_wchars(p, s, min(maxsize, MAX_UNITS))) if maxsize else 0


def sys_msvcrt_wcsncpy(p, dest, src, count):
    """Up to count units of src, the rest of dest's count filled with NULs."""
    count &= (1 << p.sysvec.word_bits) - 1
    units = _wchars(p, src, min(count, MAX_UNITS))
    data = b"".join(u.to_bytes(2, "little") for u in units)
    p.mm.write(dest, data + b"\0\0" * (min(count, MAX_UNITS) - len(units)))
    return dest


def sys_msvcrt_wcsncat(p, dest, src, count):
    count &= (1 << p.sysvec.word_bits) - 1
    end = dest + 2 * len(_wchars(p, dest, MAX_UNITS))
    p.mm.write(end, _units_bytes(_wchars(p, src, min(count, MAX_UNITS))))
    return dest


def sys_msvcrt__wcsicmp(p, string1, string2):
    return _compare([_lower(u) for u in _wchars(p, string1, MAX_UNITS)],
                    [_lower(u) for u in _wchars(p, string2, MAX_UNITS)])


def sys_msvcrt__wcsicoll(p, string1, string2):
    """Case-insensitive wide collation; in the C locale, _wcsicmp's order."""
    return sys_msvcrt__wcsicmp(p, string1, string2)


def sys_msvcrt__wcsnicmp(p, string1, string2, count):
    count &= (1 << p.sysvec.word_bits) - 1
    return _compare([_lower(u) for u in _wchars(p, string1, min(count, MAX_UNITS))],
                    [_lower(u) for u in _wchars(p, string2, min(count, MAX_UNITS))])


def _recase(p, s: int, fn) -> int:
    units = _wchars(p, s, MAX_UNITS)
    p.mm.write(s, b"".join(fn(u).to_bytes(2, "little") for u in units))
    return s


def sys_msvcrt__wcslwr(p, s):
    return _recase(p, s, _lower)


def sys_msvcrt__wcsupr(p, s):
    return _recase(p, s, _upper)


def _wide_integer(p, s, endptr, base, signed: bool, bits: int) -> int:
    units = _wchars(p, s, 4096)
    # Only ASCII can be part of a number: anything else ends it, as in the C locale.
    text = bytes(u if u < 128 else 0 for u in units).split(b"\0", 1)[0]
    value, used, out_of_range = parse_integer(text, base, signed, bits)
    if endptr:
        abi.write_ptr(p, endptr, s + 2 * used)
    if out_of_range:
        p.mm.write_u32(p.win32.crt["errno"], ERANGE)
    return value


def sys_msvcrt_wcstol(p, s, endptr, base):
    return _wide_integer(p, s, endptr, base, True, 32)


def sys_msvcrt_wcstoul(p, s, endptr, base):
    return _wide_integer(p, s, endptr, base, False, 32)


def sys_msvcrt__wcstoi64(p, s, endptr, base):
    return _return_64(p, _wide_integer(p, s, endptr, base, True, 64))


def sys_msvcrt__wcstoui64(p, s, endptr, base):
    return _return_64(p, _wide_integer(p, s, endptr, base, False, 64))


def sys_msvcrt__wtoi(p, s):
    return _wide_integer(p, s, 0, 10, True, 32)


def next_wide_token(p, start: int, delim: int) -> tuple[int, int]:
    """wcstok's step from start (as strtok's, crtstrings.next_token)."""
    from .crtstrings import token_step
    if not start:
        return 0, 0
    return token_step(p, start, _wchars(p, start), set(_wchars(p, delim)), 2)


def sys_msvcrt__wtoi64(p, s):
    """A 64-bit _wtoi (rax, or edx:eax on i386)."""
    return _return_64(p, _wide_integer(p, s, 0, 10, True, 64))
