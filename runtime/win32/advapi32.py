"""advapi32.dll: random bytes (SystemFunction036, the CryptoAPI's CryptGenRandom), the
process token and its privileges, the user's name, and a registry that has no keys (every
open fails with ERROR_FILE_NOT_FOUND, as a missing key does on Windows)."""
from __future__ import annotations

import struct

from types import SimpleNamespace

from ..nt import abi
from .guestmem import fill_random
from .kernel32_sync import new_handle, object_of
from .wide import encode

ERROR_FILE_NOT_FOUND, ERROR_INVALID_HANDLE, ERROR_INSUFFICIENT_BUFFER = 2, 6, 122
ERROR_INVALID_PARAMETER, ERROR_NO_SUCH_PRIVILEGE, ERROR_NOT_ALL_ASSIGNED = 87, 1313, 1300
USER_NAME = "user"
# The privileges LookupPrivilegeValue knows (winnt.h's SE_*_NAME -> LUID low part).
PRIVILEGES = {"SeCreateSymbolicLinkPrivilege": 35, "SeDebugPrivilege": 20,
              "SeBackupPrivilege": 17, "SeRestorePrivilege": 18, "SeShutdownPrivilege": 19,
              "SeChangeNotifyPrivilege": 23, "SeIncreaseQuotaPrivilege": 5,
              "SeLockMemoryPrivilege": 4, "SeSecurityPrivilege": 8}


def sys_advapi32_SystemFunction036(p, RandomBuffer, RandomBufferLength):
    """RtlGenRandom: bytes from the host's random source."""
    fill_random(p, RandomBuffer, RandomBufferLength & 0xFFFFFFFF)
    return 1


def sys_advapi32_CryptAcquireContextW(p, phProv, szContainer, szProvider, dwProvType, dwFlags):
    abi.write_ptr(p, phProv, new_handle(p, SimpleNamespace(kind="crypt provider")))
    return 1


def sys_advapi32_CryptGenRandom(p, hProv, dwLen, pbBuffer):
    if object_of(p, hProv, "crypt provider") is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    return sys_advapi32_SystemFunction036(p, pbBuffer, dwLen)


def sys_advapi32_CryptReleaseContext(p, hProv, dwFlags):
    from .kernel32_sync import close_sync_handle
    if object_of(p, hProv, "crypt provider") is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    close_sync_handle(p, hProv)
    return 1


# --- the token: the user runs with no privileges enabled and none to enable ------------------

def sys_advapi32_OpenProcessToken(p, ProcessHandle, DesiredAccess, TokenHandle):
    abi.write_ptr(p, TokenHandle, new_handle(p, SimpleNamespace(kind="token")))
    return 1


def sys_advapi32_OpenThreadToken(p, ThreadHandle, DesiredAccess, OpenAsSelf, TokenHandle):
    """The calling thread's impersonation token, once ImpersonateSelf gave it one (another
    thread's handle is answered for the calling thread: they all run as one user)."""
    level = p.win32.impersonation
    if level is None:
        p.win32.last_error = 1008   # ERROR_NO_TOKEN: the thread is not impersonating
        return 0
    abi.write_ptr(p, TokenHandle, new_handle(p, SimpleNamespace(kind="token", level=level)))
    return 1


def _luid_name(p, lpName, wide: bool) -> str:
    from .wide import read_str
    return read_str(p, lpName, wide)


def _lookup_privilege(p, lpName, lpLuid, wide: bool) -> int:
    value = PRIVILEGES.get(_luid_name(p, lpName, wide))
    if value is None:
        p.win32.last_error = ERROR_NO_SUCH_PRIVILEGE
        return 0
    p.mm.write(lpLuid, value.to_bytes(4, "little") + b"\0\0\0\0")
    return 1


def sys_advapi32_LookupPrivilegeValueA(p, lpSystemName, lpName, lpLuid):
    return _lookup_privilege(p, lpName, lpLuid, False)


def sys_advapi32_LookupPrivilegeValueW(p, lpSystemName, lpName, lpLuid):
    return _lookup_privilege(p, lpName, lpLuid, True)


def sys_advapi32_AdjustTokenPrivileges(p, TokenHandle, DisableAllPrivileges, NewState,
                                       BufferLength, PreviousState, ReturnLength):
    """Succeeds, assigning none (ERROR_NOT_ALL_ASSIGNED), as for an unprivileged user."""
    if object_of(p, TokenHandle, "token") is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    if ReturnLength:
        p.mm.write_u32(ReturnLength, 0)
    p.win32.last_error = ERROR_NOT_ALL_ASSIGNED
    return 1


def sys_advapi32_GetTokenInformation(p, TokenHandle, TokenInformationClass, TokenInformation,
                                     TokenInformationLength, ReturnLength):
    """The token's user, owner and primary group (security.py), its default DACL (acl.py),
    TokenElevation (20): not elevated, TokenElevationType (18): default; other classes are
    not provided."""
    from .acl import TokenDefaultDacl, default_dacl
    from .security import token_information
    if object_of(p, TokenHandle, "token") is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    cls = TokenInformationClass & 0xFFFFFFFF
    make = token_information(p, cls)
    if make is not None:
        data = make(TokenInformation)
    elif cls in (18, 20):
        data = struct.pack("<I", 1 if cls == 18 else 0)
    elif cls == TokenDefaultDacl:
        data = default_dacl(p, TokenInformation)
    else:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    if ReturnLength:
        p.mm.write_u32(ReturnLength, len(data))
    if (TokenInformationLength & 0xFFFFFFFF) < len(data):
        p.win32.last_error = ERROR_INSUFFICIENT_BUFFER
        return 0
    p.mm.write(TokenInformation, data)
    return 1


def _user_name(p, lpBuffer, pcbBuffer, wide: bool) -> int:
    data = encode(USER_NAME, wide) + (b"\0\0" if wide else b"\0")
    unit = 2 if wide else 1
    have = p.mm.read_u32(pcbBuffer)
    p.mm.write_u32(pcbBuffer, len(data) // unit)
    if have < len(data) // unit:
        p.win32.last_error = ERROR_INSUFFICIENT_BUFFER
        return 0
    p.mm.write(lpBuffer, data)
    return 1


def sys_advapi32_GetUserNameA(p, lpBuffer, pcbBuffer):
    return _user_name(p, lpBuffer, pcbBuffer, False)


def sys_advapi32_GetUserNameW(p, lpBuffer, pcbBuffer):
    return _user_name(p, lpBuffer, pcbBuffer, True)


# --- the credential manager: a machine with no stored credentials, which cannot store any -----
# (as for an account without a logon session's vault). keyring-style callers report it.

ERROR_NOT_FOUND, ERROR_NO_SUCH_LOGON_SESSION = 1168, 1312


def sys_advapi32_CredReadW(p, TargetName, Type, Flags, Credential):
    if Credential:
        abi.write_ptr(p, Credential, 0)
    p.win32.last_error = ERROR_NOT_FOUND
    return 0


def sys_advapi32_CredWriteW(p, Credential, Flags):
    p.win32.last_error = ERROR_NO_SUCH_LOGON_SESSION
    return 0


def sys_advapi32_CredDeleteW(p, TargetName, Type, Flags):
    p.win32.last_error = ERROR_NOT_FOUND
    return 0


def sys_advapi32_CredReadA(p, TargetName, Type, Flags, Credential):
    return sys_advapi32_CredReadW(p, TargetName, Type, Flags, Credential)


def sys_advapi32_CredWriteA(p, Credential, Flags):
    return sys_advapi32_CredWriteW(p, Credential, Flags)


def sys_advapi32_CredDeleteA(p, TargetName, Type, Flags):
    return sys_advapi32_CredDeleteW(p, TargetName, Type, Flags)


def sys_advapi32_CredEnumerateW(p, Filter, Flags, Count, Credentials):
    """The store holds nothing (CredWrite has no logon session to keep it in): none found."""
    if Count:
        p.mm.write_u32(Count, 0)
    if Credentials:
        abi.write_ptr(p, Credentials, 0)
    p.win32.last_error = ERROR_NOT_FOUND
    return 0


def sys_advapi32_CredEnumerateA(p, Filter, Flags, Count, Credentials):
    return sys_advapi32_CredEnumerateW(p, Filter, Flags, Count, Credentials)


def sys_advapi32_CredFree(p, Buffer):
    return 0
