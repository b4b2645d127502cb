"""COM as a machine with no COM classes installed sees it (ole32.dll, oleaut32.dll): start-up
and shut-down per thread, CoCreateInstance answering "class not registered" (what a program
probing for Visual Studio's setup service, or a shell object, handles), and the automation
strings and variants such programs free afterwards (BSTR: a 32-bit byte length before the
UTF-16 text and its NUL; VARIANT: a 16-bit type, then the value)."""
from __future__ import annotations

import struct

from ..errors import Fault, KernelError
from ..nt import abi
from .guestmem import copy
from .wide import read_wstr

S_OK, S_FALSE = 0, 1
E_NOTIMPL, E_INVALIDARG, E_OUTOFMEMORY = 0x80004001, 0x80070057, 0x8007000E
REGDB_E_CLASSNOTREG = 0x80040154
MK_E_UNAVAILABLE = 0x800401E3
RPC_E_CHANGED_MODE = 0x80010106
COINIT_APARTMENTTHREADED = 0x2
VT_EMPTY, VT_BSTR = 0, 8


def _apartment(p) -> dict:
    """This thread's COM state: how many initialisations are open, and of which model."""
    return p.win32.thread_local("com", lambda: {"count": 0, "apartment": None})


def sys_ole32_CoInitializeEx(p, pvReserved, dwCoInit):
    state = _apartment(p)
    model = "sta" if dwCoInit & COINIT_APARTMENTTHREADED else "mta"
    if state["count"] and state["apartment"] != model:
        return RPC_E_CHANGED_MODE
    state["count"] += 1
    state["apartment"] = model
    return S_OK if state["count"] == 1 else S_FALSE


def sys_ole32_CoInitialize(p, pvReserved):
    return sys_ole32_CoInitializeEx(p, pvReserved, COINIT_APARTMENTTHREADED)


def sys_combase_RoInitialize(p, initType):
    """A Windows Runtime apartment is a COM one: RO_INIT_MULTITHREADED (1) or single
    threaded (the Concurrency Runtime's threads ask for one)."""
    return sys_ole32_CoInitializeEx(p, 0, 0 if initType & 0xFFFFFFFF == 1
                                    else COINIT_APARTMENTTHREADED)


def sys_combase_RoUninitialize(p):
    return sys_ole32_CoUninitialize(p)


def sys_ole32_CoUninitialize(p):
    state = _apartment(p)
    if state["count"]:
        state["count"] -= 1
        if not state["count"]:
            state["apartment"] = None
    return 0


APTTYPE_CURRENT, APTTYPE_STA, APTTYPE_MTA = -1, 0, 1
APTTYPEQUALIFIER_NONE, APTTYPEQUALIFIER_IMPLICIT_MTA = 0, 1
CO_E_NOTINITIALIZED = 0x800401F0


def sys_ole32_CoGetApartmentType(p, pAptType, pAptQualifier):
    """This thread's apartment; a thread that joined none is in the process's MTA implicitly
    once any thread made one, else COM is not initialized on it."""
    if not pAptType or not pAptQualifier:
        return E_INVALIDARG
    model = _apartment(p)["apartment"]
    kind, qualifier, result = APTTYPE_CURRENT, APTTYPEQUALIFIER_NONE, CO_E_NOTINITIALIZED
    if model is not None:
        kind, result = (APTTYPE_STA if model == "sta" else APTTYPE_MTA), S_OK
    elif any(_apartment(t)["apartment"] == "mta" for t in p.group if t.alive):
        kind, qualifier, result = APTTYPE_MTA, APTTYPEQUALIFIER_IMPLICIT_MTA, S_OK
    p.mm.write(pAptType, struct.pack("<i", kind))
    p.mm.write(pAptQualifier, struct.pack("<i", qualifier))
    return result


def sys_ole32_CoCreateInstance(p, rclsid, pUnkOuter, dwClsContext, riid, ppv):
    if not ppv:
        return E_INVALIDARG
    abi.write_ptr(p, ppv, 0)
    return REGDB_E_CLASSNOTREG


def sys_ole32_CreateBindCtx(p, reserved, ppbc):
    if ppbc:
        abi.write_ptr(p, ppbc, 0)
    return E_NOTIMPL


def sys_ole32_GetRunningObjectTable(p, reserved, pprot):
    if pprot:
        abi.write_ptr(p, pprot, 0)
    return MK_E_UNAVAILABLE


# --- automation strings and variants ------------------------------------------------------

def alloc_bstr(p, text: str) -> int:
    data = text.encode("utf-16-le")
    block = p.win32.heap.alloc(4 + len(data) + 2)
    if not block:
        return 0
    p.mm.write(block, struct.pack("<I", len(data)) + data + b"\0\0")
    return block + 4


def sys_oleaut32_SysAllocString(p, psz):
    return alloc_bstr(p, read_wstr(p, psz)) if psz else 0


BSTR_BYTES_LIMIT = 0xFFFFFFFF - 6    # the count, the bytes and a wide NUL fit in 32 bits


def _new_bstr(p, size: int, source: int = 0) -> int:
    """A BSTR of size bytes (a byte-count prefix, the bytes, a wide NUL), copied from source
    when given, else zero: guest memory all the way, none of it built on the host. NULL when
    the process's memory cannot hold it, as oleaut32's."""
    if size >= BSTR_BYTES_LIMIT:
        return 0
    heap = p.win32.heap
    block = heap.alloc(4 + size + 2, zero=not source)     # a large one: fresh zero pages
    if not block:
        return 0
    try:
        if source:
            copy(p, block + 4, source, size)
        p.mm.write(block, struct.pack("<I", size))
        p.mm.write(block + 4 + size, b"\0\0")
    except Fault:           # source unreadable: memcpy's access violation
        heap.free(block)
        raise
    except KernelError:     # no page left for it
        heap.free(block)
        return 0
    return block + 4


def sys_oleaut32_SysAllocStringLen(p, strIn, ui):
    """ui characters from strIn (or zeros)."""
    return _new_bstr(p, 2 * (ui & 0xFFFFFFFF), strIn)


def sys_oleaut32_SysAllocStringByteLen(p, psz, len_):
    """len_ bytes (copied from psz when given, else zero), whatever they hold (7-Zip keeps
    narrow strings in BSTRs so)."""
    return _new_bstr(p, len_ & 0xFFFFFFFF, psz)


def sys_oleaut32_SysReAllocStringLen(p, pbstr, psz, len_):
    """*pbstr replaced by a new BSTR of len_ characters from psz (or zeros); TRUE."""
    new = _new_bstr(p, 2 * (len_ & 0xFFFFFFFF), psz)
    if not new:
        return 0
    sys_oleaut32_SysFreeString(p, abi.read_ptr(p, pbstr))
    abi.write_ptr(p, pbstr, new)
    return 1


def sys_oleaut32_SysReAllocString(p, pbstr, psz):
    return sys_oleaut32_SysReAllocStringLen(p, pbstr, psz, len(read_wstr(p, psz)) if psz else 0)


def sys_oleaut32_SysFreeString(p, bstrString):
    if bstrString:
        p.win32.heap.free(bstrString - 4)
    return 0


def sys_oleaut32_SysStringLen(p, pbstr):
    return p.mm.read_u32(pbstr - 4) // 2 if pbstr else 0


def sys_oleaut32_SysStringByteLen(p, bstr):
    return p.mm.read_u32(bstr - 4) if bstr else 0


def _variant_size(p) -> int:
    return 24 if abi.word(p) == 8 else 16


def sys_oleaut32_VariantInit(p, pvarg):
    p.mm.write(pvarg, b"\0" * _variant_size(p))
    return 0


def sys_oleaut32_VariantClear(p, pvarg):
    vt = struct.unpack("<H", p.mm.read(pvarg, 2))[0]
    if vt == VT_BSTR:
        sys_oleaut32_SysFreeString(p, abi.read_ptr(p, pvarg + 8))
    p.mm.write(pvarg, b"\0" * _variant_size(p))
    return S_OK


def sys_oleaut32_VariantCopy(p, pvargDest, pvargSrc):
    """Clear the destination, then copy the source; a string is copied, not shared."""
    if pvargDest != pvargSrc:
        sys_oleaut32_VariantClear(p, pvargDest)
        data = p.mm.read(pvargSrc, _variant_size(p))
        p.mm.write(pvargDest, data)
        if struct.unpack("<H", data[:2])[0] == VT_BSTR:
            text = abi.read_ptr(p, pvargSrc + 8)
            duplicate = _new_bstr(p, sys_oleaut32_SysStringByteLen(p, text), text) \
                if text else 0
            abi.write_ptr(p, pvargDest + 8, duplicate)
    return S_OK


def sys_oleaut32_SafeArrayDestroy(p, psa):
    """No call here makes a safe array, so none can be handed back to destroy."""
    return S_OK if not psa else E_INVALIDARG


# The thread's error object (SetErrorInfo's), which GetErrorInfo hands over: oleaut32 keeps a
# reference to it, AddRef'ed when set and Released when replaced; taking it moves that
# reference to the caller. IUnknown's AddRef and Release are its vtable's slots 1 and 2.
IUNKNOWN_ADDREF, IUNKNOWN_RELEASE = 1, 2


def _error_info(p) -> dict:
    return p.win32.thread_local("com error info", dict)


def _com_method(p, obj: int, slot: int) -> int:
    return abi.read_ptr(p, abi.read_ptr(p, obj) + slot * abi.word(p))


def sys_oleaut32_SetErrorInfo(p, dwReserved, perrinfo):
    """perrinfo (NULL: none) becomes the thread's error object; the one it replaces is
    Released."""
    from . import callback
    kept = _error_info(p)
    previous = kept.pop("object", 0)
    if perrinfo:
        kept["object"] = perrinfo
    calls = [(perrinfo, IUNKNOWN_ADDREF)] if perrinfo else []
    calls += [(previous, IUNKNOWN_RELEASE)] if previous else []
    if not calls:
        return S_OK
    chain = callback.start(p, stdcall_args=2)

    def step(_result=None) -> int:
        if not calls:
            return callback.finish(p, chain, S_OK)
        obj, slot = calls.pop(0)
        return callback.call(p, chain, _com_method(p, obj, slot), [obj], step)
    return step()


def sys_oleaut32_GetErrorInfo(p, dwReserved, pperrinfo):
    """The thread's error object, which is cleared (the caller now holds its reference), or
    S_FALSE and NULL when none is set."""
    taken = _error_info(p).pop("object", 0)
    if pperrinfo:
        abi.write_ptr(p, pperrinfo, taken)
    return S_OK if taken else S_FALSE


def _new_guid() -> bytes:
    """A random (version 4) GUID in its in-memory layout."""
    import uuid
    return uuid.uuid4().bytes_le


def sys_ole32_CoCreateGuid(p, pguid):
    p.mm.write(pguid, _new_guid())
    return 0                                   # S_OK


def sys_rpcrt4_UuidCreate(p, Uuid):
    p.mm.write(Uuid, _new_guid())
    return 0                                   # RPC_S_OK


RPC_S_UUID_LOCAL_ONLY = 1824


def sys_rpcrt4_UuidCreateSequential(p, Uuid):
    """A version-1 UUID (time and node); the node is no network card's here, so
    RPC_S_UUID_LOCAL_ONLY, as Windows says for a machine without one."""
    import uuid
    p.mm.write(Uuid, uuid.uuid1(node=uuid.getnode() | 1 << 40).bytes_le)
    return RPC_S_UUID_LOCAL_ONLY


def _uuid_text(p, Uuid) -> str:
    import uuid
    return str(uuid.UUID(bytes_le=p.mm.read(Uuid, 16)))


def sys_rpcrt4_UuidToStringW(p, Uuid, StringUuid):
    """The lower-case form, in a block RpcStringFreeW frees."""
    data = (_uuid_text(p, Uuid) + "\0").encode("utf-16-le")
    block = p.win32.heap.alloc(len(data))
    p.mm.write(block, data)
    abi.write_ptr(p, StringUuid, block)
    return 0


def sys_rpcrt4_UuidToStringA(p, Uuid, StringUuid):
    data = (_uuid_text(p, Uuid) + "\0").encode()
    block = p.win32.heap.alloc(len(data))
    p.mm.write(block, data)
    abi.write_ptr(p, StringUuid, block)
    return 0


def sys_rpcrt4_RpcStringFreeW(p, String):
    block = abi.read_ptr(p, String)
    if block:
        p.win32.heap.free(block)
    abi.write_ptr(p, String, 0)
    return 0


CO_E_CLASSSTRING = 0x800401F3


def _guid_from_string(p, lpsz, out) -> int:
    """"{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" (braces required) as a GUID; a ProgID would
    need a registry of classes, which is empty here."""
    import uuid
    text = read_wstr(p, lpsz) if lpsz else ""
    if not (text.startswith("{") and text.endswith("}") and len(text) == 38):
        return CO_E_CLASSSTRING
    try:
        value = uuid.UUID(text[1:-1])
    except ValueError:
        return CO_E_CLASSSTRING
    p.mm.write(out, value.bytes_le)
    return S_OK


def sys_ole32_CLSIDFromString(p, lpsz, pclsid):
    return _guid_from_string(p, lpsz, pclsid)


def sys_ole32_IIDFromString(p, lpsz, lpiid):
    return _guid_from_string(p, lpsz, lpiid)


def sys_ole32_StringFromGUID2(p, rguid, lpsz, cchMax):
    """The GUID as "{...}" in upper case: the characters written with the NUL, 0 when the
    buffer is too small."""
    import uuid
    text = "{" + str(uuid.UUID(bytes_le=p.mm.read(rguid, 16))).upper() + "}"
    if cchMax < len(text) + 1:
        return 0
    p.mm.write(lpsz, (text + "\0").encode("utf-16-le"))
    return len(text) + 1


# --- process-wide security and proxies: set once, before any object is marshalled ----------
RPC_E_TOO_LATE, CO_E_NOTINITIALIZED = 0x80010119, 0x800401F0
VT_LPSTR, VT_LPWSTR = 30, 31


def sys_ole32_CoInitializeSecurity(p, pSecDesc, cAuthSvc, asAuthSvc, pReserved1,
                                   dwAuthnLevel, dwImpLevel, pAuthList, dwCapabilities,
                                   pReserved3):
    """The process's COM security: once (RPC_E_TOO_LATE after that), from a thread that
    initialised COM (CO_E_NOTINITIALIZED otherwise)."""
    if not _apartment(p)["count"]:
        return CO_E_NOTINITIALIZED
    if p.win32.strings.get("com security"):
        return RPC_E_TOO_LATE
    p.win32.strings["com security"] = (dwAuthnLevel & 0xFFFFFFFF, dwImpLevel & 0xFFFFFFFF)
    return S_OK


def sys_ole32_CoSetProxyBlanket(p, pProxy, dwAuthnSvc, dwAuthzSvc, pServerPrincName,
                                dwAuthnLevel, dwImpLevel, pAuthInfo, dwCapabilities):
    """A proxy's authentication: no COM object here is a proxy (CoCreateInstance makes
    none), so any pointer is not one."""
    return E_INVALIDARG if not pProxy else 0x80004002          # E_NOINTERFACE


def sys_ole32_PropVariantClear(p, pvar):
    """A PROPVARIANT freed and emptied: a BSTR, or a string the task allocator gave."""
    from .userdirs import sys_combase_CoTaskMemFree
    if not pvar:
        return S_OK
    vt = struct.unpack("<H", p.mm.read(pvar, 2))[0]
    value = abi.read_ptr(p, pvar + 8)
    if vt == VT_BSTR:
        sys_oleaut32_SysFreeString(p, value)
    elif vt in (VT_LPSTR, VT_LPWSTR) and value:
        sys_combase_CoTaskMemFree(p, value)
    p.mm.write(pvar, b"\0" * (24 if abi.word(p) == 8 else 16))
    return S_OK
