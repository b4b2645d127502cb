"""advapi32's registry calls over the machine's registry (registry_store.py): the well-known
keys, read-only, and HKEY_CURRENT_USER, where programs keep their settings.

libuv's uv_cpu_info (Node's os.cpus()) reads CentralProcessor\\N; installers, Python and Go
read CurrentVersion for the product and build."""
from __future__ import annotations

import struct
from types import SimpleNamespace

from ..nt import abi
from .kernel32_sync import close_sync_handle, new_handle, object_of
from .registry_store import (REG_BINARY, REG_DWORD, REG_EXPAND_SZ, REG_MULTI_SZ, REG_QWORD,
                             REG_SZ, ROOTS, Registry)
from .wide import read_str

ERROR_SUCCESS, ERROR_FILE_NOT_FOUND, ERROR_ACCESS_DENIED = 0, 2, 5
ERROR_INVALID_HANDLE, ERROR_MORE_DATA, ERROR_NO_MORE_ITEMS = 6, 234, 259
ERROR_INVALID_PARAMETER, ERROR_KEY_DELETED, ERROR_UNSUPPORTED_TYPE = 87, 1018, 1630
ERROR_NO_SYSTEM_RESOURCES = 1450


def _registry(p) -> Registry:
    return p.sysvec.personality.machine(p.kernel).registry


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
    if not _registry(p).exists(path):
        return ERROR_FILE_NOT_FOUND
    if out:
        abi.write_ptr(p, out, new_handle(p, SimpleNamespace(kind="regkey", path=path)))
    return ERROR_SUCCESS


def _encode(kind: int, value, wide: bool) -> bytes:
    if isinstance(value, bytes):      # as written (a multi-string: UTF-16 from a W call)
        if not wide and kind == REG_MULTI_SZ:
            return value.decode("utf-16-le", "replace").encode("latin-1", "replace")
        return value
    if kind in (REG_SZ, REG_EXPAND_SZ):
        return value.encode("utf-16-le") + b"\0\0" if wide else value.encode() + b"\0"
    if kind == REG_DWORD:
        return struct.pack("<I", value)
    if kind == REG_QWORD:
        return struct.pack("<Q", value)
    return bytes(value)


def _query(p, path: str, name: str, type_out: int, data: int, size_at: int, wide: bool,
           allowed: int = 0xFFFF) -> int:
    found = _registry(p).value(path, name)
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


HKEY_PERFORMANCE_DATA = 0x80000004
ERROR_BAD_NETPATH = 53


def _connect(p, machine: str, hKey, phkResult) -> int:
    """RegConnectRegistry: this computer's HKEY_LOCAL_MACHINE or HKEY_USERS (its name, or
    none, names it); another computer is not on this machine's network."""
    from .kernel32_system import host_name
    name = machine.lstrip("\\").split(".")[0].upper()
    if name and name != host_name(p).split(".")[0].upper():
        return ERROR_BAD_NETPATH
    key = hKey & 0xFFFFFFFF
    if key not in (0x80000002, 0x80000003, HKEY_PERFORMANCE_DATA) or not phkResult:
        return ERROR_INVALID_HANDLE if phkResult else ERROR_INVALID_PARAMETER
    abi.write_ptr(p, phkResult, hKey)
    return ERROR_SUCCESS


def sys_advapi32_RegConnectRegistryW(p, lpMachineName, hKey, phkResult):
    from .wide import read_wstr
    return _connect(p, read_wstr(p, lpMachineName) if lpMachineName else "", hKey, phkResult)


def sys_advapi32_RegConnectRegistryA(p, lpMachineName, hKey, phkResult):
    machine = p.mm.read_cstr(lpMachineName).decode("latin-1") if lpMachineName else ""
    return _connect(p, machine, hKey, phkResult)


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


ERROR_INVALID_DATA = 13
REG_MUI_STRING_TRUNCATE = 1


def sys_advapi32_RegLoadMUIStringW(p, hKey, pszValue, pszOutBuf, cbOutBuf, pcbData, Flags,
                                   pszDirectory):
    """A string value as the user's language shows it: an indirect one ("@tzres.dll,-110")
    names a resource of a DLL this machine has not (ERROR_FILE_NOT_FOUND: Go's time package
    then reads "Std"); a plain one is itself."""
    path = _key_path(p, hKey)
    if path is None:
        return ERROR_INVALID_HANDLE
    if Flags & ~REG_MUI_STRING_TRUNCATE or Flags and pcbData:
        return ERROR_INVALID_PARAMETER
    found = _registry(p).value(path, read_str(p, pszValue, True) if pszValue else "")
    if found is None:
        return ERROR_FILE_NOT_FOUND
    kind, text = found
    if kind not in (REG_SZ, REG_EXPAND_SZ):
        return ERROR_INVALID_DATA
    if text.startswith("@"):
        return ERROR_FILE_NOT_FOUND
    raw = text.encode("utf-16-le") + b"\0\0"
    room = cbOutBuf & 0xFFFFFFFF
    if pcbData:
        p.mm.write_u32(pcbData, len(raw))
    if room < len(raw) and not Flags:
        return ERROR_MORE_DATA
    if pszOutBuf and room >= 2:
        p.mm.write(pszOutBuf, raw[:room - room % 2 - 2] + b"\0\0")
    return ERROR_SUCCESS


# RegGetValue's RRF_RT_* bits -> the types they allow (bit n: type n)
RRF_TYPES = {0x2: 1 << REG_SZ, 0x4: 1 << REG_EXPAND_SZ, 0x8: 1 << REG_BINARY,
             0x10: 1 << REG_DWORD, 0x20: 1 << REG_MULTI_SZ, 0x40: 1 << REG_QWORD}


def _get_value(p, hkey, lpSubKey, lpValue, dwFlags, pdwType, pvData, pcbData,
               wide: bool) -> int:
    base = _key_path(p, hkey)
    if base is None:
        return ERROR_INVALID_HANDLE
    path = _join(base, read_str(p, lpSubKey, wide) if lpSubKey else "")
    if not _registry(p).exists(path):
        return ERROR_FILE_NOT_FOUND
    allowed = sum(bits for flag, bits in RRF_TYPES.items() if dwFlags & flag) or 0xFFFF
    name = read_str(p, lpValue, wide) if lpValue else ""
    return _query(p, path, name, pdwType, pvData, pcbData, wide, allowed)


def sys_advapi32_RegGetValueW(p, hkey, lpSubKey, lpValue, dwFlags, pdwType, pvData, pcbData):
    return _get_value(p, hkey, lpSubKey, lpValue, dwFlags, pdwType, pvData, pcbData, True)


def sys_advapi32_RegGetValueA(p, hkey, lpSubKey, lpValue, dwFlags, pdwType, pvData, pcbData):
    return _get_value(p, hkey, lpSubKey, lpValue, dwFlags, pdwType, pvData, pcbData, False)


def _enum_name(p, hKey, dwIndex, names_of, buffer: int, room, wide: bool = True) -> tuple:
    """The index-th of a key's subkey or value names (names_of(path)), written to buffer
    (UTF-16, or ANSI for an A function) when it fits in room() characters with its NUL (the
    size read only once a name is found): (status, the key's path, the name)."""
    path = _key_path(p, hKey)
    if path is None:
        return ERROR_INVALID_HANDLE, None, None
    names = names_of(p, path)
    index = dwIndex & 0xFFFFFFFF
    if index >= len(names):
        return ERROR_NO_MORE_ITEMS, path, None
    name = names[index]
    if room() <= len(name):
        return ERROR_MORE_DATA, path, name
    p.mm.write(buffer, name.encode("utf-16-le") + b"\0\0" if wide else
               name.encode("latin-1", "replace") + b"\0")
    return ERROR_SUCCESS, path, name


def sys_advapi32_RegEnumKeyExW(p, hKey, dwIndex, lpName, lpcchName, lpReserved, lpClass,
                               lpcchClass, lpftLastWriteTime):
    """The index-th subkey's name (ERROR_NO_MORE_ITEMS past the last)."""
    return _enum_key(p, hKey, dwIndex, lpName, lpcchName, lpftLastWriteTime, True)


def sys_advapi32_RegEnumKeyExA(p, hKey, dwIndex, lpName, lpcchName, lpReserved, lpClass,
                               lpcchClass, lpftLastWriteTime):
    return _enum_key(p, hKey, dwIndex, lpName, lpcchName, lpftLastWriteTime, False)


def _enum_key(p, hKey, dwIndex, lpName, lpcchName, lpftLastWriteTime, wide: bool) -> int:
    status, _, name = _enum_name(p, hKey, dwIndex, _children, lpName,
                                 lambda: p.mm.read_u32(lpcchName), wide)
    if status != ERROR_SUCCESS:
        return status
    p.mm.write_u32(lpcchName, len(name))
    if lpftLastWriteTime:
        p.mm.write(lpftLastWriteTime, b"\0" * 8)
    return ERROR_SUCCESS


def _children(p, path: str) -> list[str]:
    return _registry(p).children(path)


def _values_of(p, path: str) -> list:
    return list(_registry(p).values(path).items())


def sys_advapi32_RegQueryInfoKeyW(p, hKey, lpClass, lpcchClass, lpReserved, lpcSubKeys,
                                  lpcbMaxSubKeyLen, lpcbMaxClassLen, lpcValues,
                                  lpcbMaxValueNameLen, lpcbMaxValueLen,
                                  lpcbSecurityDescriptor, lpftLastWriteTime):
    return _query_info(p, hKey, lpClass, lpcchClass, lpcSubKeys, lpcbMaxSubKeyLen,
                       lpcbMaxClassLen, lpcValues, lpcbMaxValueNameLen, lpcbMaxValueLen,
                       lpcbSecurityDescriptor, lpftLastWriteTime, True)


def sys_advapi32_RegQueryInfoKeyA(p, hKey, lpClass, lpcchClass, lpReserved, lpcSubKeys,
                                  lpcbMaxSubKeyLen, lpcbMaxClassLen, lpcValues,
                                  lpcbMaxValueNameLen, lpcbMaxValueLen,
                                  lpcbSecurityDescriptor, lpftLastWriteTime):
    return _query_info(p, hKey, lpClass, lpcchClass, lpcSubKeys, lpcbMaxSubKeyLen,
                       lpcbMaxClassLen, lpcValues, lpcbMaxValueNameLen, lpcbMaxValueLen,
                       lpcbSecurityDescriptor, lpftLastWriteTime, False)


def _query_info(p, hKey, lpClass, lpcchClass, lpcSubKeys, lpcbMaxSubKeyLen, lpcbMaxClassLen,
                lpcValues, lpcbMaxValueNameLen, lpcbMaxValueLen, lpcbSecurityDescriptor,
                lpftLastWriteTime, wide: bool) -> int:
    """How many subkeys and values a key has and their longest names and data (in
    characters, without the NUL), as programs size their enumeration buffers."""
    path = _key_path(p, hKey)
    if path is None:
        return ERROR_INVALID_HANDLE
    children, values = _children(p, path), _values_of(p, path)
    if lpClass and lpcchClass and p.mm.read_u32(lpcchClass):
        p.mm.write(lpClass, b"\0\0" if wide else b"\0")
    answers = ((lpcchClass, 0), (lpcSubKeys, len(children)),
               (lpcbMaxSubKeyLen, max((len(c) for c in children), default=0)),
               (lpcbMaxClassLen, 0), (lpcValues, len(values)),
               (lpcbMaxValueNameLen, max((len(n) for n, _ in values), default=0)),
               (lpcbMaxValueLen, max((len(_encode(k, v, wide)) for _, (k, v) in values),
                                     default=0)),
               (lpcbSecurityDescriptor, 0))
    for out, value in answers:
        if out:
            p.mm.write_u32(out, value)
    if lpftLastWriteTime:
        p.mm.write(lpftLastWriteTime, b"\0" * 8)
    return ERROR_SUCCESS


def _value_names(p, path: str) -> list[str]:
    return [name for name, _ in _values_of(p, path)]


def sys_advapi32_RegEnumValueW(p, hKey, dwIndex, lpValueName, lpcchValueName, lpReserved,
                               lpType, lpData, lpcbData):
    """The index-th value: its name, type and data (ERROR_NO_MORE_ITEMS past the last)."""
    status, path, name = _enum_name(p, hKey, dwIndex, _value_names, lpValueName,
                                    lambda: p.mm.read_u32(lpcchValueName))
    if status != ERROR_SUCCESS:
        return status
    p.mm.write_u32(lpcchValueName, len(name))
    return _query(p, path, name, lpType, lpData, lpcbData, True)


def sys_advapi32_RegEnumValueA(p, hKey, dwIndex, lpValueName, lpcchValueName, lpReserved,
                               lpType, lpData, lpcbData):
    """RegEnumValueW's answer with the name and string data in the ANSI code page."""
    status, path, name = _enum_name(p, hKey, dwIndex, _value_names, lpValueName,
                                    lambda: p.mm.read_u32(lpcchValueName), False)
    if status != ERROR_SUCCESS:
        return status
    p.mm.write_u32(lpcchValueName, len(name))
    return _query(p, path, name, lpType, lpData, lpcbData, False)


def sys_advapi32_RegEnumKeyW(p, hKey, dwIndex, lpName, cchName):
    """RegEnumKeyEx's name alone, the buffer's size given by value."""
    return _enum_name(p, hKey, dwIndex, _children, lpName, lambda: cchName)[0]


# --- writing: keys and values under HKEY_CURRENT_USER -------------------------------------

REG_CREATED_NEW_KEY, REG_OPENED_EXISTING_KEY = 1, 2


def _create(p, hKey, sub: str, out: int, disposition_at: int) -> int:
    """Open the key, making it (and the keys on the way) when it is missing and may be
    written; elsewhere a missing key is ERROR_ACCESS_DENIED, as to a user not elevated."""
    base = _key_path(p, hKey)
    if base is None:
        return ERROR_INVALID_HANDLE
    path, registry = _join(base, sub), _registry(p)
    if registry.exists(path):
        made = False
    elif registry.writable(path):
        if not registry.room_for(len(path)):
            return ERROR_NO_SYSTEM_RESOURCES
        made = registry.create(path)
    else:
        return ERROR_ACCESS_DENIED
    if out:
        abi.write_ptr(p, out, new_handle(p, SimpleNamespace(kind="regkey", path=path)))
    if disposition_at:
        p.mm.write_u32(disposition_at, REG_CREATED_NEW_KEY if made else REG_OPENED_EXISTING_KEY)
    return ERROR_SUCCESS


def sys_advapi32_RegCreateKeyExW(p, hKey, lpSubKey, Reserved, lpClass, dwOptions, samDesired,
                                 lpSecurityAttributes, phkResult, lpdwDisposition):
    return _create(p, hKey, read_str(p, lpSubKey, True) if lpSubKey else "", phkResult,
                   lpdwDisposition)


def sys_advapi32_RegCreateKeyExA(p, hKey, lpSubKey, Reserved, lpClass, dwOptions, samDesired,
                                 lpSecurityAttributes, phkResult, lpdwDisposition):
    return _create(p, hKey, read_str(p, lpSubKey, False) if lpSubKey else "", phkResult,
                   lpdwDisposition)


def sys_advapi32_RegCreateKeyW(p, hKey, lpSubKey, phkResult):
    return _create(p, hKey, read_str(p, lpSubKey, True) if lpSubKey else "", phkResult, 0)


def sys_advapi32_RegCreateKeyA(p, hKey, lpSubKey, phkResult):
    return _create(p, hKey, read_str(p, lpSubKey, False) if lpSubKey else "", phkResult, 0)


# --- transactions (ktmw32's CreateTransaction) and the transacted key calls -------------------
# A key opened or made in a transaction is the untransacted call's once the transaction is
# checked: the changes are made at once, not kept apart until CommitTransaction (no reader
# here is isolated from them), so a transaction cannot be rolled back and
# RollbackTransaction is not provided. uv imports both key calls (the windows-registry crate
# offers transactions).

ERROR_TRANSACTION_NOT_ACTIVE, ERROR_TRANSACTION_ALREADY_COMMITTED = 6701, 6705


def sys_ktmw32_CreateTransaction(p, lpTransactionAttributes, UOW, CreateOptions,
                                 IsolationLevel, IsolationFlags, Timeout, Description):
    transaction = SimpleNamespace(kind="transaction", committed=False)
    return new_handle(p, transaction)


def sys_ktmw32_CommitTransaction(p, TransactionHandle):
    transaction = object_of(p, TransactionHandle, "transaction")
    if transaction is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    if transaction.committed:
        p.win32.last_error = ERROR_TRANSACTION_ALREADY_COMMITTED
        return 0
    transaction.committed = True
    return 1


def _transaction_error(p, hTransaction, pExtendedParemeter) -> int:
    """Why a transacted call cannot go on: a handle that is no transaction, or one that has
    ended; its reserved parameter given."""
    if pExtendedParemeter:
        return ERROR_INVALID_PARAMETER
    transaction = object_of(p, hTransaction, "transaction")
    if transaction is None:
        return ERROR_INVALID_HANDLE
    return ERROR_TRANSACTION_NOT_ACTIVE if transaction.committed else ERROR_SUCCESS


def sys_advapi32_RegCreateKeyTransactedW(p, hKey, lpSubKey, Reserved, lpClass, dwOptions,
                                         samDesired, lpSecurityAttributes, phkResult,
                                         lpdwDisposition, hTransaction, pExtendedParemeter):
    error = _transaction_error(p, hTransaction, pExtendedParemeter)
    if error:
        return error
    return sys_advapi32_RegCreateKeyExW(p, hKey, lpSubKey, Reserved, lpClass, dwOptions,
                                        samDesired, lpSecurityAttributes, phkResult,
                                        lpdwDisposition)


def sys_advapi32_RegOpenKeyTransactedW(p, hKey, lpSubKey, ulOptions, samDesired, phkResult,
                                       hTransaction, pExtendedParemeter):
    error = _transaction_error(p, hTransaction, pExtendedParemeter)
    if error:
        return error
    return sys_advapi32_RegOpenKeyExW(p, hKey, lpSubKey, ulOptions, samDesired, phkResult)


def _writable_key(p, hKey) -> tuple[int, str | None]:
    path = _key_path(p, hKey)
    if path is None:
        return ERROR_INVALID_HANDLE, None
    if not _registry(p).writable(path):
        return ERROR_ACCESS_DENIED, None
    if not _registry(p).exists(path):
        return ERROR_KEY_DELETED, None      # a handle to a key deleted since
    return ERROR_SUCCESS, path


def _decode(kind: int, raw: bytes, wide: bool):
    """A value as the store keeps it: strings up to their NUL, numbers of their size."""
    if kind in (REG_SZ, REG_EXPAND_SZ):
        text = raw.decode("utf-16-le", "replace") if wide else raw.decode("latin-1")
        return text.split("\0", 1)[0]
    if kind == REG_DWORD and len(raw) == 4:
        return struct.unpack("<I", raw)[0]
    if kind == REG_QWORD and len(raw) == 8:
        return struct.unpack("<Q", raw)[0]
    if kind == REG_MULTI_SZ and not wide:
        return raw.decode("latin-1").encode("utf-16-le")
    return raw


def _set_value(p, hKey, name_at: int, kind: int, data: int, size: int, wide: bool) -> int:
    status, path = _writable_key(p, hKey)
    if status != ERROR_SUCCESS:
        return status
    kind, size = kind & 0xFFFFFFFF, size & 0xFFFFFFFF
    if size > 1 << 20 or size and not data:
        return ERROR_INVALID_PARAMETER
    raw = p.mm.read(data, size) if size else b""
    name = read_str(p, name_at, wide) if name_at else ""
    if not _registry(p).room_for(len(name) + len(raw)):
        return ERROR_NO_SYSTEM_RESOURCES      # the hive's quota
    _registry(p).set_value(path, name, kind, _decode(kind, raw, wide))
    return ERROR_SUCCESS


def sys_advapi32_RegSetValueExW(p, hKey, lpValueName, Reserved, dwType, lpData, cbData):
    return _set_value(p, hKey, lpValueName, dwType, lpData, cbData, True)


def sys_advapi32_RegSetValueExA(p, hKey, lpValueName, Reserved, dwType, lpData, cbData):
    return _set_value(p, hKey, lpValueName, dwType, lpData, cbData, False)


def _delete_value(p, hKey, name_at: int, wide: bool) -> int:
    status, path = _writable_key(p, hKey)
    if status != ERROR_SUCCESS:
        return status
    name = read_str(p, name_at, wide) if name_at else ""
    return ERROR_SUCCESS if _registry(p).delete_value(path, name) else ERROR_FILE_NOT_FOUND


def sys_advapi32_RegDeleteValueW(p, hKey, lpValueName):
    return _delete_value(p, hKey, lpValueName, True)


def sys_advapi32_RegDeleteValueA(p, hKey, lpValueName):
    return _delete_value(p, hKey, lpValueName, False)


def _delete_key(p, hKey, sub: str, tree: bool) -> int:
    """RegDeleteKey: a key without subkeys (one with them is ERROR_ACCESS_DENIED);
    RegDeleteTree: the key's subkeys and values, and the key itself when a subkey is named."""
    base = _key_path(p, hKey)
    if base is None:
        return ERROR_INVALID_HANDLE
    path, registry = _join(base, sub), _registry(p)
    if not registry.exists(path):
        return ERROR_FILE_NOT_FOUND
    if not registry.writable(path) or path.lower() == "hkey_current_user":
        return ERROR_ACCESS_DENIED
    if tree:
        for child in registry.children(path):
            registry.delete(_join(path, child), tree=True)
        if not sub:                           # the key itself stays, emptied
            for name in list(registry.values(path)):
                registry.delete_value(path, name)
            return ERROR_SUCCESS
    elif registry.children(path):
        return ERROR_ACCESS_DENIED
    registry.delete(path)
    return ERROR_SUCCESS


def sys_advapi32_RegDeleteKeyW(p, hKey, lpSubKey):
    return _delete_key(p, hKey, read_str(p, lpSubKey, True) if lpSubKey else "", False)


def sys_advapi32_RegDeleteKeyA(p, hKey, lpSubKey):
    return _delete_key(p, hKey, read_str(p, lpSubKey, False) if lpSubKey else "", False)


def sys_advapi32_RegDeleteKeyExW(p, hKey, lpSubKey, samDesired, Reserved):
    return _delete_key(p, hKey, read_str(p, lpSubKey, True) if lpSubKey else "", False)


def sys_advapi32_RegDeleteTreeW(p, hKey, lpSubKey):
    return _delete_key(p, hKey, read_str(p, lpSubKey, True) if lpSubKey else "", True)


def sys_advapi32_RegFlushKey(p, hKey):
    """Nothing to write back: the hive lives as long as the machine."""
    return ERROR_SUCCESS if _key_path(p, hKey) is not None else ERROR_INVALID_HANDLE


# --- change notifications: one-shot, by event or by waiting --------------------------------
REG_NOTIFY_FILTER = 0x1 | 0x2 | 0x4 | 0x8        # name, attributes, last set, security
REG_NOTIFY_THREAD_AGNOSTIC = 0x10000000


def sys_advapi32_RegNotifyChangeKeyValue(p, hKey, bWatchSubtree, dwNotifyFilter, hEvent,
                                         fAsynchronous):
    """A change of the key (or under it) that the filter names signals hEvent once; without
    fAsynchronous the call waits for it instead."""
    from ..kernel import Block
    from .kernel32_sync import sys_kernel32_SetEvent
    waiting = p.win32.shells.get("regnotify")
    if waiting is not None:
        if not waiting[0]:
            raise Block(lambda: waiting[0])
        p.win32.shells.pop("regnotify", None)
        return ERROR_SUCCESS
    path = _key_path(p, hKey)
    if path is None:
        return ERROR_INVALID_HANDLE
    what = dwNotifyFilter & REG_NOTIFY_FILTER
    if not what or dwNotifyFilter & ~(REG_NOTIFY_FILTER | REG_NOTIFY_THREAD_AGNOSTIC) or \
            (fAsynchronous and not hEvent):
        return ERROR_INVALID_PARAMETER
    registry = _registry(p)
    if fAsynchronous:
        def fire() -> None:
            if not p.alive:
                return              # the process that asked has ended: nothing to signal
            error = p.win32.last_error
            sys_kernel32_SetEvent(p, hEvent)
            p.win32.last_error = error
        registry.watch(path, bool(bWatchSubtree), what, fire)
        return ERROR_SUCCESS
    fired = [False]
    registry.watch(path, bool(bWatchSubtree), what, lambda: fired.__setitem__(0, True))
    p.win32.shells["regnotify"] = fired
    raise Block(lambda: fired[0])


# --- ntdll's NtQueryKey on a key handle (Qt's QWinRegistryKey asks a key's full name) -------
KeyBasicInformation, KeyFullInformation, KeyNameInformation = 0, 2, 3
NT_ROOTS = {"HKEY_LOCAL_MACHINE": "\\REGISTRY\\MACHINE", "HKEY_USERS": "\\REGISTRY\\USER",
            "HKEY_CLASSES_ROOT": "\\REGISTRY\\MACHINE\\SOFTWARE\\Classes",
            "HKEY_CURRENT_CONFIG":
                "\\REGISTRY\\MACHINE\\SYSTEM\\CurrentControlSet\\Hardware Profiles\\Current"}


def nt_key_name(p, path: str) -> str:
    """A key's name in the NT namespace: \\REGISTRY\\USER\\<the user's SID> for HKCU."""
    from .security import sid_text, user_sid
    root, _, rest = path.partition("\\")
    if root == "HKEY_CURRENT_USER":
        head = "\\REGISTRY\\USER\\" + sid_text(user_sid(p))
    else:
        head = NT_ROOTS.get(root, "\\REGISTRY")
    return head + ("\\" + rest if rest else "")


def query_key(p, hKey, cls: int) -> bytes | None:
    """KEY_BASIC/FULL/NAME_INFORMATION of a key handle; None for a handle that is none."""
    path = _key_path(p, hKey)
    if path is None:
        return None
    if cls == KeyNameInformation:
        name = nt_key_name(p, path).encode("utf-16-le")
        return struct.pack("<I", len(name)) + name
    leaf = path.rsplit("\\", 1)[-1].encode("utf-16-le")
    if cls == KeyBasicInformation:
        return struct.pack("<QII", 0, 0, len(leaf)) + leaf
    children, values = _children(p, path), _values_of(p, path)
    data_max = max((len(_encode(k, v, True)) for _, (k, v) in values), default=0)
    return struct.pack("<QIIIIIIIIII", 0, 0, 44, 0, len(children),
                       2 * max((len(c) for c in children), default=0), 0, len(values),
                       2 * max((len(n) for n, _ in values), default=0), data_max, 0)[:44]
