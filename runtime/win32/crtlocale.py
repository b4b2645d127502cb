"""The C runtime's locale objects and their `_l` functions, in the one locale there is here,
"C": _create_locale hands out an object the `_l` variants accept and ignore, the classic
character-class table (__pctype_func), isblank, and the C++ library's (libc++'s) conversions
mbsrtowcs and wcrtomb_s over single-byte characters."""
from __future__ import annotations

from ..nt import abi
from .crterrno import EILSEQ, ERANGE
from .crtfloat import sys_msvcrt_strtod
from .crtwide import (WEOF, _ALPHA, _BLANK, _CONTROL, _DIGIT, _HEX, _LOWER, _PUNCT, _SPACE,
                      _UPPER, _ctype, sys_msvcrt_strcoll, sys_msvcrt_strxfrm,
                      sys_msvcrt_towlower, sys_msvcrt_towupper, sys_msvcrt_wcscoll,
                      sys_msvcrt_wcsxfrm)
from .stdlib import sys_msvcrt_tolower, sys_msvcrt_toupper

LOCALE_SIZE = 64      # _locale_tstruct: two pointers the CRT never dereferences here


def sys_msvcrt__create_locale(p, category, locale):
    name = p.mm.read_cstr(locale, 256) if locale else b""
    if name not in (b"C", b"", b"POSIX"):
        return 0               # only the C locale is installed
    return p.win32.heap.alloc(LOCALE_SIZE, zero=True)


def sys_msvcrt__free_locale(p, plocinfo):
    if plocinfo:
        p.win32.heap.free(plocinfo)
    return 0


def sys_msvcrt___pctype_func(p):
    """The class bits of -1 (EOF) and 0..255, the pointer at 0's entry, made once."""
    table = p.win32.strings.get("pctype")
    if table is None:
        data = b"\0\0" + b"".join(_ctype(c).to_bytes(2, "little") for c in range(256))
        table = p.win32.heap.alloc(len(data))
        p.mm.write(table, data)
        p.win32.strings["pctype"] = table
    return table + 2


def sys_msvcrt_isblank(p, c):
    return int(c in (9, 32))


def _classify(bits: int):
    return lambda p, c, locale: int(bool(_ctype(c & 0xFFFF) & bits)) if c & 0xFFFF != WEOF else 0


sys_msvcrt__iswalpha_l = _classify(_ALPHA)
sys_msvcrt__iswcntrl_l = _classify(_CONTROL)
sys_msvcrt__iswdigit_l = _classify(_DIGIT)
sys_msvcrt__iswlower_l = _classify(_LOWER)
sys_msvcrt__iswpunct_l = _classify(_PUNCT)
sys_msvcrt__iswspace_l = _classify(_SPACE)
sys_msvcrt__iswupper_l = _classify(_UPPER)
sys_msvcrt__iswxdigit_l = _classify(_HEX)
sys_msvcrt__iswblank_l = _classify(_BLANK)


def _classify_c(bits: int):
    """The plain form (no locale argument): the C locale, as the _l form with the current one."""
    check = _classify(bits)
    return lambda p, c: check(p, c, 0)


sys_msvcrt_iswalpha = _classify_c(_ALPHA)
sys_msvcrt_iswalnum = _classify_c(_ALPHA | _DIGIT)
sys_msvcrt_iswcntrl = _classify_c(_CONTROL)
sys_msvcrt_iswdigit = _classify_c(_DIGIT)
sys_msvcrt_iswlower = _classify_c(_LOWER)
sys_msvcrt_iswpunct = _classify_c(_PUNCT)
sys_msvcrt_iswspace = _classify_c(_SPACE)
sys_msvcrt_iswupper = _classify_c(_UPPER)
sys_msvcrt_iswxdigit = _classify_c(_HEX)
sys_msvcrt_iswgraph = _classify_c(_ALPHA | _DIGIT | _PUNCT)
sys_msvcrt_iswprint = _classify_c(_ALPHA | _DIGIT | _PUNCT | _BLANK)


def sys_msvcrt__iswprint_l(p, c, locale):
    c &= 0xFFFF
    return int(c != WEOF and (32 <= c < 127 or (c >= 160 and chr(c).isprintable())))


def sys_msvcrt__tolower_l(p, c, locale):
    return sys_msvcrt_tolower(p, c)


def sys_msvcrt__toupper_l(p, c, locale):
    return sys_msvcrt_toupper(p, c)


def sys_msvcrt__towlower_l(p, c, locale):
    return sys_msvcrt_towlower(p, c)


def sys_msvcrt__towupper_l(p, c, locale):
    return sys_msvcrt_towupper(p, c)


def sys_msvcrt__strcoll_l(p, string1, string2, locale):
    return sys_msvcrt_strcoll(p, string1, string2)


def sys_msvcrt__wcscoll_l(p, string1, string2, locale):
    return sys_msvcrt_wcscoll(p, string1, string2)


def sys_msvcrt__strxfrm_l(p, strDest, strSource, count, locale):
    return sys_msvcrt_strxfrm(p, strDest, strSource, count)


def sys_msvcrt__wcsxfrm_l(p, strDest, strSource, count, locale):
    return sys_msvcrt_wcsxfrm(p, strDest, strSource, count)


def sys_msvcrt__strtod_l(p, s, endptr, locale):
    return sys_msvcrt_strtod(p, s, endptr)


def sys_msvcrt_mbsrtowcs(p, wcstr, mbstr, count, mbstate):
    """*mbstr's bytes as wide characters (one each, the C locale), up to count; *mbstr is
    left after the last one converted, NULL when its NUL was."""
    src = abi.read_ptr(p, mbstr)
    text = p.mm.read_cstr(src, 1 << 20)
    if not wcstr:
        return len(text)
    taken = text[:count]
    data = b"".join(bytes((b, 0)) for b in taken)
    if len(taken) < count:                       # the NUL fits: the string is done
        data += b"\0\0"
        abi.write_ptr(p, mbstr, 0)
    else:
        abi.write_ptr(p, mbstr, src + len(taken))
    p.mm.write(wcstr, data)
    return len(taken)


def sys_msvcrt_wcrtomb_s(p, pReturnValue, mbchar, sizeInBytes, wchar, mbstate):
    """One wide character as a C-locale byte: EILSEQ for one that has none."""
    wchar &= 0xFFFF
    if wchar > 0xFF:
        if pReturnValue:
            abi.write_ptr(p, pReturnValue, (1 << (8 * abi.word(p))) - 1)
        return EILSEQ
    if mbchar:
        if sizeInBytes < 1:
            return ERANGE
        p.mm.write(mbchar, bytes((wchar,)))
    if pReturnValue:
        abi.write_ptr(p, pReturnValue, 1)
    return 0


def sys_msvcrt__iswctype_l(p, c, desc, locale):
    from .crtwide import sys_msvcrt_iswctype
    return sys_msvcrt_iswctype(p, c, desc)


def sys_msvcrt__isctype(p, c, desc):
    """The class bits of c (a byte, or EOF) under desc, as the classic ctype table says."""
    c = ((c & 0xFFFFFFFF) ^ 0x80000000) - 0x80000000
    return _ctype(c) & desc & 0xFFFF if 0 <= c < 256 else 0


def sys_msvcrt__isctype_l(p, c, desc, locale):
    return sys_msvcrt__isctype(p, c, desc)


# --- what the C++ library (msvcp140) asks of the C runtime's locale ------------------------

def sys_msvcrt____lc_locale_name_func(p):
    """The current locale's name per category (LC_ALL .. LC_TIME): all NULL, the C locale."""
    names = p.win32.strings.get("locale names")
    if names is None:
        names = p.win32.heap.alloc(6 * abi.word(p), zero=True)
        p.win32.strings["locale names"] = names
    return names


def sys_msvcrt____lc_collate_cp_func(p):
    return 0        # the C locale collates by the ANSI code page (CP_ACP)


def sys_msvcrt__lock_locales(p):
    return 0        # a locale call runs whole within one trap: nothing interleaves with it


sys_msvcrt__unlock_locales = sys_msvcrt__lock_locales


def sys_msvcrt_wcsrtombs(p, mbstr, wcstr, count, mbstate):
    """*wcstr's characters as C-locale bytes, up to count; *wcstr is left after the last one
    converted, NULL when its NUL was. A character with no byte: EILSEQ, (size_t)-1."""
    from .crterrno import EILSEQ, set_errno
    from .wide import read_wstr
    src = abi.read_ptr(p, wcstr)
    text = read_wstr(p, src)
    if any(ord(c) > 0xFF for c in (text if not mbstr else text[:count])):
        set_errno(p, EILSEQ)
        return (1 << (8 * abi.word(p))) - 1
    data = text.encode("latin-1")
    if not mbstr:
        return len(data)
    taken = data[:count]
    if len(taken) < count:                     # the NUL fits: the string is done
        p.mm.write(mbstr, taken + b"\0")
        abi.write_ptr(p, wcstr, 0)
    else:
        p.mm.write(mbstr, taken)
        abi.write_ptr(p, wcstr, src + 2 * len(taken))
    return len(taken)
