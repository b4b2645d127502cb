"""WinRT's strings (combase's HSTRING family, which vccorlib140 and Qt's WinRT code use)
and the activation calls of a machine with no WinRT classes: RoGetActivationFactory finds
none (REGDB_E_CLASSNOTREG), and there is no restricted error information to give.

An HSTRING is the address of a header: flags, length in characters, the characters'
address, and a reference count (a string made by WindowsCreateString owns a heap block with
its characters after the header; a "fast-pass" string of WindowsCreateStringReference lives
in the caller's HSTRING_HEADER and points at the caller's characters). NULL is the empty
string."""
from __future__ import annotations

import struct

from ..nt import abi
from .wide import read_wstr

S_OK, S_FALSE, E_INVALIDARG, E_OUTOFMEMORY = 0, 1, 0x80070057, 0x8007000E
REGDB_E_CLASSNOTREG = 0x80040154
FAST_PASS = 1


def _layout(p) -> struct.Struct:
    return struct.Struct("<IIQI" if abi.word(p) == 8 else "<IIII")


def _read(p, hstring: int) -> tuple[int, int, int, int] | None:
    """(flags, length, characters, references) of a string (None: the empty one)."""
    if not hstring:
        return None
    return _layout(p).unpack(p.mm.read(hstring, _layout(p).size))


def _text(p, hstring: int) -> str:
    header = _read(p, hstring)
    if header is None or not header[1]:
        return ""
    return read_wstr(p, header[2], header[1])


def _create(p, text: str, out: int) -> int:
    if not text:
        abi.write_ptr(p, out, 0)
        return S_OK
    layout = _layout(p)
    data = text.encode("utf-16-le", "surrogatepass") + b"\0\0"
    block = p.win32.heap.alloc(layout.size + len(data))
    if not block:
        return E_OUTOFMEMORY
    p.mm.write(block, layout.pack(0, len(data) // 2 - 1, block + layout.size, 1) + data)
    abi.write_ptr(p, out, block)
    return S_OK


def sys_combase_WindowsCreateString(p, sourceString, length, string):
    if not string or (length and not sourceString):
        return E_INVALIDARG
    return _create(p, read_wstr(p, sourceString, length & 0xFFFFFFFF) if length else "", string)


def sys_combase_WindowsCreateStringReference(p, sourceString, length, hstringHeader, string):
    """A string over the caller's characters (NUL-terminated at length), its header in the
    caller's HSTRING_HEADER."""
    count = length & 0xFFFFFFFF
    if not string or not hstringHeader or (count and not sourceString):
        return E_INVALIDARG
    if count and p.mm.read(sourceString + 2 * count, 2) != b"\0\0":
        return E_INVALIDARG                     # a reference must end in its NUL
    if not count:
        abi.write_ptr(p, string, 0)
        return S_OK
    p.mm.write(hstringHeader, _layout(p).pack(FAST_PASS, count, sourceString, 0))
    abi.write_ptr(p, string, hstringHeader)
    return S_OK


def sys_combase_WindowsDeleteString(p, string):
    header = _read(p, string)
    if header is None or header[0] & FAST_PASS:
        return S_OK
    flags, length, chars, refs = header
    if refs > 1:
        p.mm.write(string, _layout(p).pack(flags, length, chars, refs - 1))
    else:
        p.win32.heap.free(string)
    return S_OK


def sys_combase_WindowsDuplicateString(p, string, newString):
    """Another reference to an owned string; a fast-pass one is copied."""
    if not newString:
        return E_INVALIDARG
    header = _read(p, string)
    if header is None:
        abi.write_ptr(p, newString, 0)
        return S_OK
    if header[0] & FAST_PASS:
        return _create(p, _text(p, string), newString)
    flags, length, chars, refs = header
    p.mm.write(string, _layout(p).pack(flags, length, chars, refs + 1))
    abi.write_ptr(p, newString, string)
    return S_OK


def sys_combase_WindowsGetStringLen(p, string):
    header = _read(p, string)
    return header[1] if header is not None else 0


def sys_combase_WindowsGetStringRawBuffer(p, string, length):
    """The characters (an empty string's: a NUL of the DLL's), its length through length."""
    header = _read(p, string)
    if length:
        p.mm.write_u32(length, header[1] if header is not None else 0)
    if header is not None:
        return header[2]
    empty = p.win32.strings.get("empty hstring")
    if empty is None:
        empty = p.win32.heap.alloc(2, zero=True)
        if empty:                # (none when the heap is full: NULL, kept for no one)
            p.win32.strings["empty hstring"] = empty
    return empty


def sys_combase_WindowsIsStringEmpty(p, string):
    header = _read(p, string)
    return int(header is None or header[1] == 0)


def sys_combase_WindowsCompareStringOrdinal(p, string1, string2, result):
    if not result:
        return E_INVALIDARG
    a, b = _text(p, string1).encode("utf-16-be"), _text(p, string2).encode("utf-16-be")
    p.mm.write(result, struct.pack("<i", (a > b) - (a < b)))
    return S_OK


def sys_combase_WindowsConcatString(p, string1, string2, newString):
    if not newString:
        return E_INVALIDARG
    return _create(p, _text(p, string1) + _text(p, string2), newString)


# --- activation and error information of a machine with no WinRT classes ------------------

def sys_combase_RoGetActivationFactory(p, activatableClassId, iid, factory):
    if not factory:
        return E_INVALIDARG
    abi.write_ptr(p, factory, 0)
    return REGDB_E_CLASSNOTREG


def sys_combase_RoOriginateLanguageException(p, error, message, languageException):
    """No error-reporting service records it: FALSE, as when none is available."""
    return 0


def sys_combase_RoOriginateError(p, error, message):
    return 0


def sys_combase_RoTransformError(p, oldError, newError, message):
    return 0


def sys_combase_GetRestrictedErrorInfo(p, ppRestrictedErrorInfo):
    """No error information has been set: S_FALSE and NULL."""
    if ppRestrictedErrorInfo:
        abi.write_ptr(p, ppRestrictedErrorInfo, 0)
    return S_FALSE


def sys_combase_SetRestrictedErrorInfo(p, pRestrictedErrorInfo):
    return S_OK


def sys_combase_RoGetApartmentIdentifier(p, apartmentIdentifier):
    """The thread's apartment: one per process (its multithreaded apartment)."""
    if not apartmentIdentifier:
        return E_INVALIDARG
    p.mm.write(apartmentIdentifier, struct.pack("<Q", p.tgid))
    return S_OK


def sys_combase_RoRegisterForApartmentShutdown(p, callbackObject, apartmentIdentifier,
                                               regCookie):
    """Registered; the apartment shuts down with the process, when nothing calls back."""
    if not callbackObject or not apartmentIdentifier or not regCookie:
        return E_INVALIDARG
    p.mm.write(apartmentIdentifier, struct.pack("<Q", p.tgid))
    count = p.win32.strings.get("apartment cookies", 0) + 1
    p.win32.strings["apartment cookies"] = count
    abi.write_ptr(p, regCookie, count)
    return S_OK


def sys_combase_RoUnregisterForApartmentShutdown(p, regCookie):
    return S_OK
