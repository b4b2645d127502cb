"""cfgmgr32.dll, the Configuration Manager's device tree, on a machine with no devices: the
tree is its root alone (HTREE\\ROOT\\0, which every Windows has). uv lists the display
adapters (a class filter) to choose a PyTorch build, and finds none here."""
from __future__ import annotations

import uuid

from .wide import read_wstr

CR_SUCCESS, CR_INVALID_POINTER, CR_INVALID_FLAG = 0x00, 0x03, 0x04
CR_BUFFER_SMALL, CR_INVALID_DATA = 0x1A, 0x1F
CM_GETIDLIST_FILTER_ENUMERATOR, CM_GETIDLIST_FILTER_CLASS = 0x001, 0x200
CM_GETIDLIST_FILTER_BITS = 0x100003FF
ROOT_DEVICE = "HTREE\\ROOT\\0"


def _device_ids(p, pszFilter, ulFlags) -> list[str] | int:
    """The instance ids the filter keeps, or the CONFIGRET that refuses it: no filter keeps
    the root; an enumerator filter what it enumerates (the root is its own, HTREE); a class
    (a GUID) has no devices, nor has a service, nor has the root related devices."""
    if ulFlags & ~CM_GETIDLIST_FILTER_BITS:
        return CR_INVALID_FLAG
    kind = ulFlags & (CM_GETIDLIST_FILTER_BITS & ~0x100)     # FILTER_PRESENT aside
    if not kind:
        return [ROOT_DEVICE]
    text = read_wstr(p, pszFilter) if pszFilter else ""
    if kind & CM_GETIDLIST_FILTER_CLASS:
        try:
            uuid.UUID(text.strip("{}"))
        except ValueError:
            return CR_INVALID_DATA
        if not text.startswith("{") or not text.endswith("}"):
            return CR_INVALID_DATA
        return []
    if kind == CM_GETIDLIST_FILTER_ENUMERATOR:
        wanted = text.upper()
        return [ROOT_DEVICE] if wanted in ("HTREE", ROOT_DEVICE) else []
    return []


def _multi_sz(ids: list[str]) -> str:
    """The ids, each with its NUL, and the list's own NUL."""
    return "".join(i + "\0" for i in ids) + "\0"


def sys_cfgmgr32_CM_Get_Device_ID_List_SizeW(p, pulLen, pszFilter, ulFlags):
    """The characters CM_Get_Device_ID_List needs for the same filter (1 for no device)."""
    if not pulLen:
        return CR_INVALID_POINTER
    ids = _device_ids(p, pszFilter, ulFlags)
    if isinstance(ids, int):
        p.mm.write_u32(pulLen, 0)
        return ids
    p.mm.write_u32(pulLen, len(_multi_sz(ids)))
    return CR_SUCCESS


def sys_cfgmgr32_CM_Get_Device_ID_ListW(p, pszFilter, Buffer, BufferLen, ulFlags):
    """The device instance ids the filter keeps, as a list of strings."""
    if not Buffer or not BufferLen:
        return CR_INVALID_POINTER
    ids = _device_ids(p, pszFilter, ulFlags)
    if isinstance(ids, int):
        return ids
    text = _multi_sz(ids)
    if BufferLen < len(text):
        return CR_BUFFER_SMALL
    p.mm.write(Buffer, text.encode("utf-16-le"))
    return CR_SUCCESS
