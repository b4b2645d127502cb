"""kernel32's code pages and locale basics for the one locale here, en-US with the ANSI code
page 1252: GetACP/GetOEMCP/GetCPInfo, character types, case mapping and comparison of wide
strings, and the locale facts the C runtime asks for."""
from __future__ import annotations

import struct
import unicodedata

from .wide import encode, read_wstr

ACP, OEMCP, UTF8 = 1252, 437, 65001
VALID_CODE_PAGES = {ACP, OEMCP, UTF8, 20127, 28591, 850}
LCID_EN_US = 0x409
LOCALE_NAME = "en-US"
ERROR_INSUFFICIENT_BUFFER, ERROR_INVALID_PARAMETER, ERROR_INVALID_FLAGS = 122, 87, 1004
CSTR_LESS_THAN, CSTR_EQUAL, CSTR_GREATER_THAN = 1, 2, 3
NORM_IGNORECASE, LINGUISTIC_IGNORECASE = 0x1, 0x10
LCMAP_LOWERCASE, LCMAP_UPPERCASE, LCMAP_SORTKEY = 0x100, 0x200, 0x400
LOCALE_NOUSEROVERRIDE, LOCALE_RETURN_NUMBER = 0x80000000, 0x20000000
# GetLocaleInfo's answers for en-US (LCTYPE -> value), as Windows gives them.
LOCALE_INFO = {
    0x1: "0409", 0x2: "English (United States)", 0x3: "ENU", 0x5: "1", 0x6: "United States",
    0x7: "USA", 0xB: "437", 0xC: ",", 0xD: "1", 0xE: ".", 0xF: ",", 0x10: "3;0", 0x11: "2",
    0x14: "$", 0x15: ".", 0x16: ",", 0x17: "3;0", 0x18: "2", 0x19: "2", 0x1A: "0", 0x1B: "0",
    0x1C: "1", 0x1D: "/", 0x1E: ":", 0x1F: "M/d/yyyy", 0x20: "dddd, MMMM d, yyyy",
    0x21: "0", 0x22: "0", 0x23: "0", 0x24: "0", 0x25: "0", 0x26: "0", 0x28: "AM", 0x29: "PM",
    0x1001: "English", 0x1002: "United States", 0x1003: "h:mm:ss tt", 0x1004: "1252",
    0x1009: "0", 0x100C: "0", 0x1014: "1", 0x59: "en", 0x5A: "US", 0x5C: "en-US",
    0x67: "eng", 0x68: "USA", 0x70: "1252",
    **{0x2A + i: d for i, d in enumerate(("Monday", "Tuesday", "Wednesday", "Thursday",
                                          "Friday", "Saturday", "Sunday"))},
    **{0x31 + i: d for i, d in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))},
    **{0x38 + i: m for i, m in enumerate(("January", "February", "March", "April", "May",
                                          "June", "July", "August", "September", "October",
                                          "November", "December"))},
    **{0x44 + i: m for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
                                          "Aug", "Sep", "Oct", "Nov", "Dec"))},
}


def sys_kernel32_GetACP(p):
    return ACP


def sys_kernel32_GetOEMCP(p):
    return OEMCP


def sys_kernel32_GetConsoleCP(p):
    from .kernel32_console import console_code_page
    return console_code_page(p, "input", OEMCP)


def sys_kernel32_GetConsoleOutputCP(p):
    from .kernel32_console import console_code_page
    return console_code_page(p, "output", OEMCP)


def sys_kernel32_IsValidCodePage(p, CodePage):
    return int(CodePage in VALID_CODE_PAGES)


def sys_kernel32_GetCPInfo(p, CodePage, lpCPInfo):
    """CPINFO: the longest character in bytes, the default character, no lead bytes."""
    if CodePage in (0, 1):     # CP_ACP, CP_OEMCP
        CodePage = ACP if CodePage == 0 else OEMCP
    if CodePage not in VALID_CODE_PAGES:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    p.mm.write(lpCPInfo, struct.pack("<I2s12s", 4 if CodePage == UTF8 else 1, b"?", b""))
    return 1


# CT_CTYPE1 bits
C1_UPPER, C1_LOWER, C1_DIGIT, C1_SPACE, C1_PUNCT = 0x1, 0x2, 0x4, 0x8, 0x10
C1_CNTRL, C1_BLANK, C1_XDIGIT, C1_ALPHA, C1_DEFINED = 0x20, 0x40, 0x80, 0x100, 0x200


def ctype1(ch: str) -> int:
    bits = C1_DEFINED
    if ch.isupper():
        bits |= C1_UPPER
    if ch.islower():
        bits |= C1_LOWER
    if ch in "0123456789":
        bits |= C1_DIGIT
    if ch.isspace() or ch in "\x1c\x1d\x1e\x1f":
        bits |= C1_SPACE
    if ch in " \t":
        bits |= C1_BLANK
    if ch in "0123456789abcdefABCDEF":
        bits |= C1_XDIGIT
    if ch.isalpha():
        bits |= C1_ALPHA
    category = unicodedata.category(ch)
    if category[0] == "C" and category != "Cn":
        bits |= C1_CNTRL
    if category[0] in "PS":
        bits |= C1_PUNCT
    return bits


def sys_kernel32_GetStringTypeW(p, dwInfoType, lpSrcStr, cchSrc, lpCharType):
    if dwInfoType != 1:          # CT_CTYPE2/3: not provided
        p.win32.last_error = ERROR_INVALID_FLAGS
        return 0
    text = read_wstr(p, lpSrcStr, cchSrc)
    return _put_ctype1(p, lpCharType, text + "\0" if cchSrc < 0 else text)


def _put_ctype1(p, at: int, text: str) -> int:
    """CT_CTYPE1 of each character as a WORD (the terminator a control character)."""
    p.mm.write(at, b"".join(struct.pack("<H", ctype1(c) if c != "\0" else C1_CNTRL | C1_DEFINED)
                            for c in text))
    return 1


# Unicode's simple lower-case mappings that its full ones (Python's str.lower) do not give
SIMPLE_LOWER = {"\u0130": "i"}


def simple_case(ch: str, upper: bool, charset: str | None = None) -> str:
    """One character's case as Windows maps it (LCMapString, CharUpper, CompareStringOrdinal):
    Unicode's simple mapping, always one character of the same UTF-16 width, so a string
    keeps its length: ß upper-cases to itself, not SS; İ lower-cases to i. With charset (an
    ANSI code page's codec), a mapping that code page cannot hold leaves the character too."""
    full = ch.upper() if upper else ch.lower()
    one = full if len(full) == 1 else ch.title() if upper else SIMPLE_LOWER.get(ch, ch)
    if len(one) != 1 or (ord(one) > 0xFFFF) != (ord(ch) > 0xFFFF):
        return ch
    if charset is not None:
        try:
            one.encode(charset)
        except UnicodeEncodeError:
            return ch
    return one


def case_mapped(text: str, upper: bool, charset: str | None = None) -> str:
    """text upper- or lower-cased character by character (simple_case): as long as it was."""
    return "".join(simple_case(c, upper, charset) for c in text)


def case_mapped_ansi(data: bytes, upper: bool) -> bytes:
    """ANSI text (code page 1252) cased byte by byte; a byte the code page leaves undefined
    stays as it is."""
    out = bytearray()
    for byte in data:
        try:
            ch = bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:
            out.append(byte)
            continue
        out += simple_case(ch, upper, "cp1252").encode("cp1252")
    return bytes(out)


def _mapped(flags: int, text: str, charset: str | None = None) -> str | bytes:
    """LCMapString's result: a sort key (bytes, whatever the string's width) or the text cased."""
    if flags & LCMAP_SORTKEY:
        return text.rstrip("\0").upper().encode("utf-16-be") + b"\x01\x01\x01\x01\0"
    if flags & (LCMAP_LOWERCASE | LCMAP_UPPERCASE):
        return case_mapped(text, not flags & LCMAP_LOWERCASE, charset)
    return text


def _put_mapped(p, dest: int, cch_dest: int, data: bytes, unit: int) -> int:
    """The mapped result into dest of cch_dest units, or its size in units when cch_dest is 0."""
    if cch_dest == 0:
        return len(data) // unit
    if len(data) // unit > cch_dest:
        p.win32.last_error = ERROR_INSUFFICIENT_BUFFER
        return 0
    p.mm.write(dest, data)
    return len(data) // unit


def _map(p, flags, src, cch_src, dest, cch_dest) -> int:
    text = read_wstr(p, src, cch_src)
    result = _mapped(flags, text + "\0" if cch_src < 0 else text)
    if isinstance(result, bytes):
        return _put_mapped(p, dest, cch_dest, result, 1)
    return _put_mapped(p, dest, cch_dest, result.encode("utf-16-le"), 2)


def sys_kernel32_LCMapStringW(p, Locale, dwMapFlags, lpSrcStr, cchSrc, lpDestStr, cchDest):
    return _map(p, dwMapFlags, lpSrcStr, cchSrc, lpDestStr, cchDest)


def sys_kernel32_LCMapStringEx(p, lpLocaleName, dwMapFlags, lpSrcStr, cchSrc, lpDestStr, cchDest,
                               lpVersionInformation, lpReserved, sortHandle):
    return _map(p, dwMapFlags, lpSrcStr, cchSrc, lpDestStr, cchDest)


def _compare(p, flags, s1, n1, s2, n2) -> int:
    a, b = read_wstr(p, s1, n1), read_wstr(p, s2, n2)
    if flags & (NORM_IGNORECASE | LINGUISTIC_IGNORECASE):
        a, b = a.casefold(), b.casefold()
    return CSTR_LESS_THAN if a < b else CSTR_GREATER_THAN if a > b else CSTR_EQUAL


def sys_kernel32_CompareStringW(p, Locale, dwCmpFlags, lpString1, cchCount1, lpString2, cchCount2):
    return _compare(p, dwCmpFlags, lpString1, cchCount1, lpString2, cchCount2)


def sys_kernel32_CompareStringEx(p, lpLocaleName, dwCmpFlags, lpString1, cchCount1, lpString2,
                                 cchCount2, lpVersionInformation, lpReserved, lParam):
    return _compare(p, dwCmpFlags, lpString1, cchCount1, lpString2, cchCount2)


def _locale_info(p, lctype, buffer, size, wide: bool) -> int:
    value = LOCALE_INFO.get(lctype & ~(LOCALE_NOUSEROVERRIDE | LOCALE_RETURN_NUMBER))
    if value is None:
        p.win32.last_error = ERROR_INVALID_FLAGS
        return 0
    if lctype & LOCALE_RETURN_NUMBER:
        if not value.isdigit():
            p.win32.last_error = ERROR_INVALID_FLAGS
            return 0
        if size == 0:
            return 2 if wide else 4
        p.mm.write_u32(buffer, int(value))
        return 2 if wide else 4
    data = encode(value, wide) + (b"\0\0" if wide else b"\0")
    unit = 2 if wide else 1
    if size == 0:
        return len(data) // unit
    if len(data) // unit > size:
        p.win32.last_error = ERROR_INSUFFICIENT_BUFFER
        return 0
    p.mm.write(buffer, data)
    return len(data) // unit


def sys_kernel32_GetLocaleInfoW(p, Locale, LCType, lpLCData, cchData):
    return _locale_info(p, LCType, lpLCData, cchData, True)


def sys_kernel32_GetLocaleInfoA(p, Locale, LCType, lpLCData, cchData):
    return _locale_info(p, LCType, lpLCData, cchData, False)


def sys_kernel32_GetLocaleInfoEx(p, lpLocaleName, LCType, lpLCData, cchData):
    return _locale_info(p, LCType, lpLCData, cchData, True)


def sys_kernel32_GetUserDefaultLCID(p):
    return LCID_EN_US


def sys_kernel32_GetUserDefaultLocaleName(p, lpLocaleName, cchLocaleName):
    data = LOCALE_NAME.encode("utf-16-le") + b"\0\0"
    if cchLocaleName < len(data) // 2:
        p.win32.last_error = ERROR_INSUFFICIENT_BUFFER
        return 0
    p.mm.write(lpLocaleName, data)
    return len(data) // 2


def sys_kernel32_IsValidLocale(p, Locale, dwFlags):
    return int(Locale & 0xFFFF in (LCID_EN_US, 0x400, 0x800, 0x7F))


def sys_kernel32_IsValidLocaleName(p, lpLocaleName):
    return int(read_wstr(p, lpLocaleName).lower() in ("en-us", ""))


def sys_kernel32_EnumSystemLocalesW(p, lpLocaleEnumProc, dwFlags):
    """Calls lpLocaleEnumProc with the one locale's LCID as hex text ("00000409")."""
    from .callback import call, finish, start
    text = p.win32.locale_text
    if text is None:
        text = p.win32.heap.alloc(18)
        p.mm.write(text, f"{LCID_EN_US:08X}".encode("utf-16-le") + b"\0\0")
        p.win32.locale_text = text
    chain = start(p, stdcall_args=2)
    return call(p, chain, lpLocaleEnumProc, [text], lambda result: finish(p, chain, 1))


LOCALE_WINDOWS, LOCALE_ALTERNATE_SORTS, LOCALE_SPECIFICDATA = 0x1, 0x4, 0x20


def sys_kernel32_EnumSystemLocalesEx(p, lpLocaleEnumProcEx, dwFlags, lParam, lpReserved):
    """Calls lpLocaleEnumProcEx(name, flags, lParam) for the machine's one locale, en-US (a
    Windows locale with specific data), unless dwFlags asks only for others."""
    from .callback import call, finish, start
    chain = start(p, stdcall_args=4)
    kinds = LOCALE_WINDOWS | LOCALE_SPECIFICDATA
    if dwFlags and not dwFlags & kinds or dwFlags & LOCALE_ALTERNATE_SORTS:
        return finish(p, chain, 1)
    name = p.win32.strings.get("locale name")
    if name is None:
        name = p.win32.heap.alloc(12)
        p.mm.write(name, "en-US".encode("utf-16-le") + b"\0\0")
        p.win32.strings["locale name"] = name
    return call(p, chain, lpLocaleEnumProcEx, [name, kinds, lParam],
                lambda result: finish(p, chain, 1))


def sys_kernel32_GetUserDefaultLangID(p):
    return LCID_EN_US


def sys_kernel32_GetThreadLocale(p):
    return LCID_EN_US


def sys_kernel32_GetSystemDefaultLCID(p):
    return LCID_EN_US




def sys_kernel32_GetCPInfoExW(p, CodePage, dwFlags, lpCPInfoEx):
    """CPINFOEXW: CPINFO, the Unicode default character, the code page and its name."""
    if CodePage in (0, 1):
        CodePage = ACP if CodePage == 0 else OEMCP
    if CodePage not in VALID_CODE_PAGES:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    name = f"{CodePage}  ({'UTF-8' if CodePage == UTF8 else 'ANSI - Latin I' if CodePage == ACP else 'OEM'})"
    p.mm.write(lpCPInfoEx, struct.pack("<I2s12sHI", 4 if CodePage == UTF8 else 1, b"?", b"",
                                       ord("?"), CodePage)
               + name.encode("utf-16-le")[:518].ljust(520, b"\0"))
    return 1


# --- preferred UI languages (MUI): the machine's one, en-US --------------------------------

MUI_LANGUAGE_ID, MUI_LANGUAGE_NAME = 0x4, 0x8


def _ui_languages(p, flags, pulNumLanguages, pwszLanguagesBuffer, pcchLanguagesBuffer) -> int:
    """A double-null-terminated list, by name ("en-US") or, with MUI_LANGUAGE_ID, by hex
    LANGID ("0409"). A null buffer asks for the size in characters."""
    if flags & MUI_LANGUAGE_ID and flags & MUI_LANGUAGE_NAME or not pcchLanguagesBuffer:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    name = f"{LCID_EN_US:04X}" if flags & MUI_LANGUAGE_ID else LOCALE_NAME
    data = (name + "\0\0").encode("utf-16-le")
    have = p.mm.read_u32(pcchLanguagesBuffer)
    p.mm.write_u32(pcchLanguagesBuffer, len(data) // 2)
    if pulNumLanguages:
        p.mm.write_u32(pulNumLanguages, 1)
    if not pwszLanguagesBuffer:
        return 1
    if have < len(data) // 2:
        p.win32.last_error = ERROR_INSUFFICIENT_BUFFER
        return 0
    p.mm.write(pwszLanguagesBuffer, data)
    return 1


def sys_kernel32_GetUserPreferredUILanguages(p, dwFlags, pulNumLanguages, pwszLanguagesBuffer,
                                             pcchLanguagesBuffer):
    return _ui_languages(p, dwFlags, pulNumLanguages, pwszLanguagesBuffer, pcchLanguagesBuffer)


def sys_kernel32_GetSystemPreferredUILanguages(p, dwFlags, pulNumLanguages, pwszLanguagesBuffer,
                                               pcchLanguagesBuffer):
    return _ui_languages(p, dwFlags, pulNumLanguages, pwszLanguagesBuffer, pcchLanguagesBuffer)


def sys_kernel32_GetThreadPreferredUILanguages(p, dwFlags, pulNumLanguages,
                                               pwszLanguagesBuffer, pcchLanguagesBuffer):
    """No thread sets its own: the user's, the fallback every caller asks to merge."""
    return _ui_languages(p, dwFlags, pulNumLanguages, pwszLanguagesBuffer, pcchLanguagesBuffer)


def sys_kernel32_SetThreadPreferredUILanguages(p, dwFlags, pwszLanguagesBuffer, pulNumLanguages):
    """Accepted for en-US, the one language whose resources there are."""
    if pulNumLanguages:
        p.mm.write_u32(pulNumLanguages, 1 if pwszLanguagesBuffer else 0)
    return 1


# --- the ANSI forms: their strings in the ANSI code page (1252), handed to the wide forms ----

def _ansi(p, addr: int, count: int) -> str:
    raw = p.mm.read_cstr(addr, 1 << 20) if count < 0 else p.mm.read(addr, count)
    return raw.decode("cp1252", "replace")


def sys_kernel32_CompareStringA(p, Locale, dwCmpFlags, lpString1, cchCount1, lpString2,
                                cchCount2):
    a, b = _ansi(p, lpString1, cchCount1), _ansi(p, lpString2, cchCount2)
    if dwCmpFlags & (NORM_IGNORECASE | LINGUISTIC_IGNORECASE):
        a, b = a.casefold(), b.casefold()
    return CSTR_LESS_THAN if a < b else CSTR_GREATER_THAN if a > b else CSTR_EQUAL


def sys_kernel32_GetStringTypeA(p, Locale, dwInfoType, lpSrcStr, cchSrc, lpCharType):
    """CT_CTYPE1 of each byte's character in the code page."""
    if dwInfoType != 1:
        p.win32.last_error = ERROR_INVALID_FLAGS
        return 0
    text = _ansi(p, lpSrcStr, cchSrc)
    return _put_ctype1(p, lpCharType, text + "\0" if cchSrc < 0 else text)


def sys_kernel32_GetStringTypeExW(p, Locale, dwInfoType, lpSrcStr, cchSrc, lpCharType):
    return sys_kernel32_GetStringTypeW(p, dwInfoType, lpSrcStr, cchSrc, lpCharType)


def sys_kernel32_LCMapStringA(p, Locale, dwMapFlags, lpSrcStr, cchSrc, lpDestStr, cchDest):
    """The mapping of the ANSI text, its result in the code page (a sort key as it is)."""
    text = _ansi(p, lpSrcStr, cchSrc)
    result = _mapped(dwMapFlags, text + "\0" if cchSrc < 0 else text, "cp1252")
    if isinstance(result, str):
        result = result.encode("cp1252", "replace")
    return _put_mapped(p, lpDestStr, cchDest, result, 1)
