"""The registry a process here reads: the machine's well-known keys (its processor, the
Windows version, long paths enabled), read-only. Keys are found by path, case-insensitively;
a key's ancestors exist; every other key does not, and nothing can be created.

libuv's uv_cpu_info (Node's os.cpus()) reads CentralProcessor\\N; installers, Python and Go
read CurrentVersion for the product and build."""
from __future__ import annotations

import struct
from types import SimpleNamespace

from ..nt import abi
from .kernel32_sync import close_sync_handle, new_handle, object_of
from .wide import read_str

REG_SZ, REG_EXPAND_SZ, REG_BINARY, REG_DWORD, REG_MULTI_SZ, REG_QWORD = 1, 2, 3, 4, 7, 11
ERROR_SUCCESS, ERROR_FILE_NOT_FOUND, ERROR_ACCESS_DENIED = 0, 2, 5
ERROR_INVALID_HANDLE, ERROR_MORE_DATA, ERROR_NO_MORE_ITEMS = 6, 234, 259
ERROR_UNSUPPORTED_TYPE = 1630
ROOTS = {0x80000000: "HKEY_CLASSES_ROOT", 0x80000001: "HKEY_CURRENT_USER",
         0x80000002: "HKEY_LOCAL_MACHINE", 0x80000003: "HKEY_USERS",
         0x80000005: "HKEY_CURRENT_CONFIG"}

KEYS = {
    "HKEY_LOCAL_MACHINE\\HARDWARE\\DESCRIPTION\\System\\CentralProcessor\\0": {
        "~MHz": (REG_DWORD, 2400),
        "ProcessorNameString": (REG_SZ, "sysvec virtual x86-64 processor"),
        "Identifier": (REG_SZ, "Intel64 Family 6 Model 85 Stepping 4"),
        "VendorIdentifier": (REG_SZ, "GenuineIntel")},
    "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion": {
        "ProductName": (REG_SZ, "Windows 10 Pro"), "EditionID": (REG_SZ, "Professional"),
        "CurrentVersion": (REG_SZ, "6.3"), "CurrentBuild": (REG_SZ, "19045"),
        "CurrentBuildNumber": (REG_SZ, "19045"), "DisplayVersion": (REG_SZ, "22H2"),
        "ReleaseId": (REG_SZ, "2009"), "InstallationType": (REG_SZ, "Client"),
        "CurrentMajorVersionNumber": (REG_DWORD, 10), "CurrentMinorVersionNumber": (REG_DWORD, 0),
        "UBR": (REG_DWORD, 0), "SystemRoot": (REG_SZ, "C:\\Windows")},
    "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\FileSystem": {
        "LongPathsEnabled": (REG_DWORD, 1)},
    # keys every Windows has, empty here (mimetypes enumerates HKEY_CLASSES_ROOT's file
    # types; programs open the user's Software and Environment keys to look for settings)
    "HKEY_LOCAL_MACHINE\\SOFTWARE\\Classes": {},
    "HKEY_CURRENT_USER\\Software": {},
    "HKEY_CURRENT_USER\\Environment": {},
}
_FOLDED = {path.lower(): path for path in KEYS}


def _exists(path: str) -> bool:
    low = path.lower()
    return low in _FOLDED or any(k.startswith(low + "\\") for k in _FOLDED) or \
        low in (root.lower() for root in ROOTS.values())    # the predefined keys themselves


def _children(path: str) -> list[str]:
    low, names = path.lower() + "\\", []
    for k, real in sorted(_FOLDED.items()):
        if k.startswith(low):
            child = real[len(low):].split("\\", 1)[0]
            if child not in names:
                names.append(child)
    return names


def _key_path(p, hKey: int) -> str | None:
    if (hKey & 0xFFFFFFFF) in ROOTS:       # predefined keys are sign-extended on x64
        return ROOTS[hKey & 0xFFFFFFFF]
    key = object_of(p, hKey, "regkey")
    return key.path if key is not None else None


def _join(base: str, sub: str) -> str:
    parts = [c for c in sub.replace("/", "\\").split("\\") if c]
    return "\\".join([base] + parts)


def _open(p, hKey, sub: str, out: int) -> int:
    base = _key_path(p, hKey)
    if base is None:
        return ERROR_INVALID_HANDLE
    path = _join(base, sub)
    if not _exists(path):
        return ERROR_FILE_NOT_FOUND
    if out:
        abi.write_ptr(p, out, new_handle(p, SimpleNamespace(kind="regkey", path=path)))
    return ERROR_SUCCESS


def _value(path: str, name: str):
    values = KEYS.get(_FOLDED.get(path.lower(), ""), {})
    return next((v for k, v in values.items() if k.lower() == name.lower()), None)


def _encode(kind: int, value, wide: bool) -> bytes:
    if kind in (REG_SZ, REG_EXPAND_SZ):
        return value.encode("utf-16-le") + b"\0\0" if wide else value.encode() + b"\0"
    if kind == REG_DWORD:
        return struct.pack("<I", value)
    if kind == REG_QWORD:
        return struct.pack("<Q", value)
    return bytes(value)


def _query(p, path: str, name: str, type_out: int, data: int, size_at: int, wide: bool,
           allowed: int = 0xFFFF) -> int:
    found = _value(path, name)
    if found is None:
        return ERROR_FILE_NOT_FOUND
    kind, value = found
    if not allowed & (1 << kind):
        return ERROR_UNSUPPORTED_TYPE
    raw = _encode(kind, value, wide)
    if type_out:
        p.mm.write_u32(type_out, kind)
    if not size_at:
        return ERROR_SUCCESS if not data else 998   # ERROR_NOACCESS: data with no size
    have = p.mm.read_u32(size_at)
    p.mm.write_u32(size_at, len(raw))
    if not data:
        return ERROR_SUCCESS
    if have < len(raw):
        return ERROR_MORE_DATA
    p.mm.write(data, raw)
    return ERROR_SUCCESS


# --- the calls -------------------------------------------------------------------------------

def sys_advapi32_RegOpenKeyExW(p, hKey, lpSubKey, ulOptions, samDesired, phkResult):
    return _open(p, hKey, read_str(p, lpSubKey, True) if lpSubKey else "", phkResult)


def sys_advapi32_RegOpenKeyExA(p, hKey, lpSubKey, ulOptions, samDesired, phkResult):
    return _open(p, hKey, read_str(p, lpSubKey, False) if lpSubKey else "", phkResult)


def sys_advapi32_RegOpenKeyW(p, hKey, lpSubKey, phkResult):
    return sys_advapi32_RegOpenKeyExW(p, hKey, lpSubKey, 0, 0, phkResult)


def sys_advapi32_RegOpenKeyA(p, hKey, lpSubKey, phkResult):
    return sys_advapi32_RegOpenKeyExA(p, hKey, lpSubKey, 0, 0, phkResult)


def sys_advapi32_RegCloseKey(p, hKey):
    if object_of(p, hKey, "regkey") is None:
        return ERROR_SUCCESS if (hKey & 0xFFFFFFFF) in ROOTS else ERROR_INVALID_HANDLE
    close_sync_handle(p, hKey)
    return ERROR_SUCCESS


def _query_value(p, hKey, lpValueName, lpType, lpData, lpcbData, wide: bool) -> int:
    path = _key_path(p, hKey)
    if path is None:
        return ERROR_INVALID_HANDLE
    name = read_str(p, lpValueName, wide) if lpValueName else ""
    return _query(p, path, name, lpType, lpData, lpcbData, wide)


def sys_advapi32_RegQueryValueExW(p, hKey, lpValueName, lpReserved, lpType, lpData, lpcbData):
    return _query_value(p, hKey, lpValueName, lpType, lpData, lpcbData, True)


def sys_advapi32_RegQueryValueExA(p, hKey, lpValueName, lpReserved, lpType, lpData, lpcbData):
    return _query_value(p, hKey, lpValueName, lpType, lpData, lpcbData, False)


# RegGetValue's RRF_RT_* bits -> the types they allow (bit n: type n)
RRF_TYPES = {0x2: 1 << REG_SZ, 0x4: 1 << REG_EXPAND_SZ, 0x8: 1 << REG_BINARY,
             0x10: 1 << REG_DWORD, 0x20: 1 << REG_MULTI_SZ, 0x40: 1 << REG_QWORD}


def _get_value(p, hkey, lpSubKey, lpValue, dwFlags, pdwType, pvData, pcbData,
               wide: bool) -> int:
    base = _key_path(p, hkey)
    if base is None:
        return ERROR_INVALID_HANDLE
    path = _join(base, read_str(p, lpSubKey, wide) if lpSubKey else "")
    if not _exists(path):
        return ERROR_FILE_NOT_FOUND
    allowed = sum(bits for flag, bits in RRF_TYPES.items() if dwFlags & flag) or 0xFFFF
    name = read_str(p, lpValue, wide) if lpValue else ""
    return _query(p, path, name, pdwType, pvData, pcbData, wide, allowed)


def sys_advapi32_RegGetValueW(p, hkey, lpSubKey, lpValue, dwFlags, pdwType, pvData, pcbData):
    return _get_value(p, hkey, lpSubKey, lpValue, dwFlags, pdwType, pvData, pcbData, True)


def sys_advapi32_RegGetValueA(p, hkey, lpSubKey, lpValue, dwFlags, pdwType, pvData, pcbData):
    return _get_value(p, hkey, lpSubKey, lpValue, dwFlags, pdwType, pvData, pcbData, False)


def _enum_name(p, hKey, dwIndex, names_of, buffer: int, room) -> tuple:
    """The index-th of a key's subkey or value names (names_of(path)), written to buffer
    when it fits in room() characters with its NUL (the size read only once a name is
    found): (status, the key's path, the name)."""
    path = _key_path(p, hKey)
    if path is None:
        return ERROR_INVALID_HANDLE, None, None
    names = names_of(path)
    index = dwIndex & 0xFFFFFFFF
    if index >= len(names):
        return ERROR_NO_MORE_ITEMS, path, None
    name = names[index]
    if room() <= len(name):
        return ERROR_MORE_DATA, path, name
    p.mm.write(buffer, name.encode("utf-16-le") + b"\0\0")
    return ERROR_SUCCESS, path, name


def sys_advapi32_RegEnumKeyExW(p, hKey, dwIndex, lpName, lpcchName, lpReserved, lpClass,
                               lpcchClass, lpftLastWriteTime):
    """The index-th subkey's name (ERROR_NO_MORE_ITEMS past the last)."""
    status, _, name = _enum_name(p, hKey, dwIndex, _children, lpName,
                                 lambda: p.mm.read_u32(lpcchName))
    if status != ERROR_SUCCESS:
        return status
    p.mm.write_u32(lpcchName, len(name))
    if lpftLastWriteTime:
        p.mm.write(lpftLastWriteTime, b"\0" * 8)
    return ERROR_SUCCESS


def sys_advapi32_RegCreateKeyExW(p, hKey, lpSubKey, Reserved, lpClass, dwOptions, samDesired,
                                 lpSecurityAttributes, phkResult, lpdwDisposition):
    """Opening an existing key works (REG_OPENED_EXISTING_KEY); making one is refused: the
    registry here is read-only."""
    status = _open(p, hKey, read_str(p, lpSubKey, True) if lpSubKey else "", phkResult)
    if status == ERROR_SUCCESS and lpdwDisposition:
        p.mm.write_u32(lpdwDisposition, 2)
    return ERROR_ACCESS_DENIED if status == ERROR_FILE_NOT_FOUND else status


def _values_of(path: str) -> list:
    return list(KEYS.get(_FOLDED.get(path.lower(), ""), {}).items())


def sys_advapi32_RegQueryInfoKeyW(p, hKey, lpClass, lpcchClass, lpReserved, lpcSubKeys,
                                  lpcbMaxSubKeyLen, lpcbMaxClassLen, lpcValues,
                                  lpcbMaxValueNameLen, lpcbMaxValueLen,
                                  lpcbSecurityDescriptor, lpftLastWriteTime):
    """How many subkeys and values a key has and their longest names and data (in
    characters, without the NUL), as programs size their enumeration buffers."""
    path = _key_path(p, hKey)
    if path is None:
        return ERROR_INVALID_HANDLE
    children, values = _children(path), _values_of(path)
    if lpClass and lpcchClass and p.mm.read_u32(lpcchClass):
        p.mm.write(lpClass, b"\0\0")
    answers = ((lpcchClass, 0), (lpcSubKeys, len(children)),
               (lpcbMaxSubKeyLen, max((len(c) for c in children), default=0)),
               (lpcbMaxClassLen, 0), (lpcValues, len(values)),
               (lpcbMaxValueNameLen, max((len(n) for n, _ in values), default=0)),
               (lpcbMaxValueLen, max((len(_encode(k, v, True)) for _, (k, v) in values),
                                     default=0)),
               (lpcbSecurityDescriptor, 0))
    for out, value in answers:
        if out:
            p.mm.write_u32(out, value)
    if lpftLastWriteTime:
        p.mm.write(lpftLastWriteTime, b"\0" * 8)
    return ERROR_SUCCESS


def _value_names(path: str) -> list[str]:
    return [name for name, _ in _values_of(path)]


def sys_advapi32_RegEnumValueW(p, hKey, dwIndex, lpValueName, lpcchValueName, lpReserved,
                               lpType, lpData, lpcbData):
    """The index-th value: its name, type and data (ERROR_NO_MORE_ITEMS past the last)."""
    status, path, name = _enum_name(p, hKey, dwIndex, _value_names, lpValueName,
                                    lambda: p.mm.read_u32(lpcchValueName))
    if status != ERROR_SUCCESS:
        return status
    p.mm.write_u32(lpcchValueName, len(name))
    return _query(p, path, name, lpType, lpData, lpcbData, True)


def _refuse_write(p, hKey) -> int:
    """The registry here is read-only."""
    return ERROR_ACCESS_DENIED if _key_path(p, hKey) is not None else ERROR_INVALID_HANDLE


def sys_advapi32_RegSetValueExW(p, hKey, lpValueName, Reserved, dwType, lpData, cbData):
    return _refuse_write(p, hKey)


def sys_advapi32_RegDeleteValueW(p, hKey, lpValueName):
    return _refuse_write(p, hKey)


def sys_advapi32_RegEnumKeyW(p, hKey, dwIndex, lpName, cchName):
    """RegEnumKeyEx's name alone, the buffer's size given by value."""
    return _enum_name(p, hKey, dwIndex, _children, lpName, lambda: cchName)[0]
