"""Security identifiers as programs check them: the token's user (a SID made from the guest's
uid, S-1-5-21-<machine>-<1000+uid>), a file's owner (the SID of the uid that owns it), the
well-known groups the user is a member of (Everyone, Users, Authenticated Users; not
Administrators), and the SID calls to compare, copy and measure them.

libgit2 (git-cliff, any Rust program with git2) refuses a repository whose directory is not
owned by the current user, asking GetNamedSecurityInfoW for the owner and comparing it with
the token's user; files a guest made are its own, so the two agree."""
from __future__ import annotations

import struct

from .. import perm
from ..errors import KernelError
from ..nt import abi
from . import well_known_sids as W
from .wide import put_sized, read_wstr

MACHINE = (3141592653, 589793238, 462643383)   # the machine's domain sub-authorities
SE_FILE_OBJECT = 1
OWNER_SECURITY_INFORMATION, GROUP_SECURITY_INFORMATION = 0x1, 0x2
DACL_SECURITY_INFORMATION = 0x4
SE_SELF_RELATIVE = 0x8000
ERROR_FILE_NOT_FOUND, ERROR_INVALID_HANDLE, ERROR_INSUFFICIENT_BUFFER = 2, 6, 122
ERROR_INVALID_PARAMETER, ERROR_INVALID_SID = 87, 1337
TokenUser, TokenGroups, TokenPrivileges, TokenOwner, TokenPrimaryGroup = 1, 2, 3, 4, 5


def sid(authority: int, *subs: int) -> bytes:
    """A SID's binary form: revision 1, the count, a 48-bit big-endian authority, the
    sub-authorities."""
    return struct.pack("<BB", 1, len(subs)) + authority.to_bytes(6, "big") + \
        struct.pack(f"<{len(subs)}I", *subs)


EVERYONE = sid(*W.FIXED[W.WIN_WORLD])
AUTHENTICATED_USERS = sid(*W.FIXED[W.WIN_AUTHENTICATED_USER])
ADMINISTRATORS = sid(*W.FIXED[W.WIN_BUILTIN_ADMINISTRATORS])
USERS = sid(*W.FIXED[W.WIN_BUILTIN_USERS])


def sid_of_uid(uid: int) -> bytes:
    return sid(5, 21, *MACHINE, 1000 + (uid & 0xFFFF))


def _uid(p) -> int:
    cred = perm.cred_of(p)
    return getattr(cred, "fsuid", 0) if cred is not None else 0


def user_sid(p) -> bytes:
    return sid_of_uid(_uid(p))


def read_sid(p, addr: int) -> bytes | None:
    """The SID at addr, or None when it is not a valid one."""
    head = p.mm.read(addr, 8)
    if head[0] != 1 or head[1] > 15:
        return None
    return head + p.mm.read(addr + 8, 4 * head[1])


def _member_sids(p) -> set[bytes]:
    return {user_sid(p), EVERYONE, AUTHENTICATED_USERS, USERS}


# --- the SID functions ---------------------------------------------------------------------

def sys_advapi32_IsValidSid(p, pSid):
    return int(bool(pSid) and read_sid(p, pSid) is not None)


def sys_advapi32_GetLengthSid(p, pSid):
    found = read_sid(p, pSid)
    return len(found) if found is not None else 0


def sys_advapi32_EqualSid(p, pSid1, pSid2):
    a, b = read_sid(p, pSid1), read_sid(p, pSid2)
    if a is None or b is None:
        p.win32.last_error = ERROR_INVALID_SID
        return 0
    p.win32.last_error = 0
    return int(a == b)


def sys_advapi32_CopySid(p, nDestinationSidLength, pDestinationSid, pSourceSid):
    found = read_sid(p, pSourceSid)
    if found is None:
        p.win32.last_error = ERROR_INVALID_SID
        return 0
    if (nDestinationSidLength & 0xFFFFFFFF) < len(found):
        p.win32.last_error = ERROR_INSUFFICIENT_BUFFER
        return 0
    p.mm.write(pDestinationSid, found)
    return 1


def sys_advapi32_IsWellKnownSid(p, pSid, WellKnownSidType):
    from .well_known_sids import well_known_sid
    found = read_sid(p, pSid)
    return int(found is not None and well_known_sid(WellKnownSidType & 0xFFFFFFFF, None) == found)


def sys_advapi32_CheckTokenMembership(p, TokenHandle, SidToCheck, IsMember):
    """Whether the caller's token (any token here is the process's) has the SID enabled: its
    user and the everyday groups; never Administrators (no process here is elevated)."""
    found = read_sid(p, SidToCheck)
    if found is None:
        p.win32.last_error = ERROR_INVALID_SID
        return 0
    p.mm.write_u32(IsMember, int(found in _member_sids(p)))
    return 1


# --- the token's user and owner --------------------------------------------------------------

def token_information(p, cls: int):
    """TOKEN_USER, TOKEN_OWNER, TOKEN_PRIMARY_GROUP as a function of the caller's buffer's
    address (the SID follows the structure that points at it), or None for another class."""
    w = abi.word(p)
    if cls == TokenUser:
        head, body = 2 * w, user_sid(p)          # SID_AND_ATTRIBUTES: Sid, Attributes
        return lambda at: struct.pack("<QQ" if w == 8 else "<II", at + head, 0) + body
    if cls in (TokenOwner, TokenPrimaryGroup):
        body = user_sid(p) if cls == TokenOwner else USERS
        return lambda at: struct.pack("<Q" if w == 8 else "<I", at + w) + body
    if cls == TokenGroups:
        return lambda at: _token_groups(p, at)
    if cls == TokenPrivileges:
        return lambda at: struct.pack("<I", 0)     # no privileges held
    return None


SE_GROUP_MANDATORY, SE_GROUP_ENABLED_BY_DEFAULT, SE_GROUP_ENABLED = 0x1, 0x2, 0x4


def _token_groups(p, at: int) -> bytes:
    """TOKEN_GROUPS: the count, then a SID_AND_ATTRIBUTES per group (enabled, mandatory),
    the SIDs after them: the everyday groups, no administrators, no service."""
    w = abi.word(p)
    groups = [EVERYONE, USERS, AUTHENTICATED_USERS]
    head = w + len(groups) * 2 * w            # GroupCount (padded to a word), the entries
    out, sids, where = struct.pack("<I", len(groups)).ljust(w, b"\0"), b"", at + head
    attributes = SE_GROUP_MANDATORY | SE_GROUP_ENABLED_BY_DEFAULT | SE_GROUP_ENABLED
    for group in groups:
        out += struct.pack("<QI4x" if w == 8 else "<II", where + len(sids), attributes)
        sids += group
    return out + sids


# --- a file's owner ----------------------------------------------------------------------------

def _descriptor(owner: bytes, group: bytes) -> bytes:
    """A self-relative SECURITY_DESCRIPTOR with an owner and a group and no DACL (a NULL
    DACL: everyone has access, as the files here are not guarded by ACLs)."""
    head = 20
    return struct.pack("<BBHIIII", 1, 0, SE_SELF_RELATIVE, head, head + len(owner), 0, 0) + \
        owner + group


def sys_advapi32_GetNamedSecurityInfoW(p, pObjectName, ObjectType, SecurityInfo, ppsidOwner,
                                       ppsidGroup, ppDacl, ppSacl, ppSecurityDescriptor):
    """A file's security descriptor: its owner is the SID of the uid owning it. Returns a
    Win32 error (not the last error), as the function does."""
    from .kernel32_files import _path
    if (ObjectType & 0xFFFFFFFF) != SE_FILE_OBJECT or not pObjectName:
        return ERROR_INVALID_PARAMETER
    try:
        st = p.kernel.fs.stat("/", _path(p, read_wstr(p, pObjectName)), True, p)
    except (KernelError, Exception):
        return ERROR_FILE_NOT_FOUND
    owner = sid_of_uid(perm.owner(st)[0])
    data = _descriptor(owner, USERS)
    block = p.win32.heap.alloc(len(data))
    p.mm.write(block, data)
    outs = ((ppsidOwner, block + 20), (ppsidGroup, block + 20 + len(owner)), (ppDacl, 0),
            (ppSacl, 0), (ppSecurityDescriptor, block))
    for out, value in outs:
        if out:
            abi.write_ptr(p, out, value)
    return 0


def _file_security(p, name: str, descriptor: int, length: int, needed_at: int) -> int:
    """GetFileSecurity: the file's self-relative descriptor (as GetNamedSecurityInfo gives
    it), or the size it needs (ERROR_INSUFFICIENT_BUFFER)."""
    from .kernel32_files import _path
    try:
        st = p.kernel.fs.stat("/", _path(p, name), True, p)
    except (KernelError, Exception):    # NtError: a path NT refuses
        p.win32.last_error = ERROR_FILE_NOT_FOUND
        return 0
    data = _descriptor(sid_of_uid(perm.owner(st)[0]), USERS)
    if needed_at:
        p.mm.write_u32(needed_at, len(data))
    if (length & 0xFFFFFFFF) < len(data) or not descriptor:
        p.win32.last_error = ERROR_INSUFFICIENT_BUFFER
        return 0
    p.mm.write(descriptor, data)
    return 1


def sys_advapi32_GetFileSecurityW(p, lpFileName, RequestedInformation, pSecurityDescriptor,
                                  nLength, lpnLengthNeeded):
    return _file_security(p, read_wstr(p, lpFileName), pSecurityDescriptor, nLength,
                          lpnLengthNeeded)


def sys_advapi32_GetFileSecurityA(p, lpFileName, RequestedInformation, pSecurityDescriptor,
                                  nLength, lpnLengthNeeded):
    return _file_security(p, p.mm.read_cstr(lpFileName).decode("latin-1"), pSecurityDescriptor,
                          nLength, lpnLengthNeeded)


def sys_advapi32_CreateWellKnownSid(p, WellKnownSidType, DomainSid, pSid, cbSid):
    """A WELL_KNOWN_SID_TYPE's SID (well_known_sids.py; the size needed in *cbSid when the
    buffer is small)."""
    from .well_known_sids import well_known_sid
    domain = read_sid(p, DomainSid) if DomainSid else None
    found = well_known_sid(WellKnownSidType & 0xFFFFFFFF, domain)
    if found is None:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    return put_sized(p, found, pSid, cbSid)


def sid_text(raw: bytes) -> str:
    """S-1-<authority>-<sub>...: the string form (authorities above 32 bits in hex)."""
    authority = int.from_bytes(raw[2:8], "big")
    subs = struct.unpack_from(f"<{raw[1]}I", raw, 8)
    head = f"{authority}" if authority < 1 << 32 else f"0x{authority:012X}"
    return "-".join(["S", str(raw[0]), head, *map(str, subs)])


def _sid_to_string(p, Sid, StringSid, wide: bool) -> int:
    found = read_sid(p, Sid) if Sid else None
    if found is None:
        p.win32.last_error = ERROR_INVALID_SID
        return 0
    text = sid_text(found)
    data = text.encode("utf-16-le") + b"\0\0" if wide else text.encode() + b"\0"
    block = p.win32.heap.alloc(len(data))       # the caller frees it with LocalFree
    p.mm.write(block, data)
    abi.write_ptr(p, StringSid, block)
    return 1


def sys_advapi32_ConvertSidToStringSidA(p, Sid, StringSid):
    return _sid_to_string(p, Sid, StringSid, False)


def sys_advapi32_ConvertSidToStringSidW(p, Sid, StringSid):
    return _sid_to_string(p, Sid, StringSid, True)


NameFullyQualifiedDN, NameSamCompatible, NameDisplay = 1, 2, 3
ERROR_NONE_MAPPED, ERROR_MORE_DATA = 1332, 234


def _user_name_ex(p, NameFormat, lpNameBuffer, nSize, wide: bool) -> int:
    """The user's name in a format: DOMAIN\\user with the machine as its domain, or the
    display name; the directory formats have nothing to map to on a machine in no domain."""
    from .advapi32 import USER_NAME
    from .kernel32_system import _computer_name, host_name
    fmt = NameFormat & 0xFFFFFFFF
    if fmt == NameSamCompatible:
        name = host_name(p).split(".")[0].upper()[:15] + "\\" + USER_NAME
    elif fmt == NameDisplay:
        name = USER_NAME
    else:
        p.win32.last_error = ERROR_NONE_MAPPED
        return 0
    return _computer_name(p, name, lpNameBuffer, nSize, wide, too_small=ERROR_MORE_DATA)


def sys_secur32_GetUserNameExW(p, NameFormat, lpNameBuffer, nSize):
    return _user_name_ex(p, NameFormat, lpNameBuffer, nSize, True)


def sys_secur32_GetUserNameExA(p, NameFormat, lpNameBuffer, nSize):
    return _user_name_ex(p, NameFormat, lpNameBuffer, nSize, False)
