"""SetEntriesInAcl: a new ACL from an old one and EXPLICIT_ACCESS entries (GRANT adds to a
trustee's allowed rights, SET replaces them, DENY adds a denial, REVOKE removes the trustee's
entries), denials first as Windows orders them; and GetSecurityInfo/SetSecurityInfo by
handle, as their by-name forms answer (files are guarded by the host's permissions, so a
DACL given is accepted and changes nothing, as SetFileSecurity's)."""
from __future__ import annotations

import struct

from ..nt import abi
from .acl import ACCESS_ALLOWED_ACE_TYPE, ACCESS_DENIED_ACE_TYPE, ACE_HEADER, ACL_HEADER, \
    ACL_REVISION, _acl, _aces
from .advapi32 import USER_NAME
from .security import (ADMINISTRATORS, AUTHENTICATED_USERS, EVERYONE, USERS, read_sid, sid,
                       user_sid)
from .wide import read_str

ERROR_SUCCESS, ERROR_INVALID_PARAMETER, ERROR_INVALID_ACL, ERROR_NONE_MAPPED = 0, 87, 1336, 1332
ERROR_INVALID_HANDLE, ERROR_NOT_ENOUGH_MEMORY = 6, 8
GRANT_ACCESS, SET_ACCESS, DENY_ACCESS, REVOKE_ACCESS = 1, 2, 3, 4
TRUSTEE_IS_SID, TRUSTEE_IS_NAME = 0, 1
INHERIT_FLAGS = 0x1F                 # OBJECT/CONTAINER_INHERIT, NO_PROPAGATE, INHERIT_ONLY, INHERITED


def well_known_names(p) -> dict[str, bytes]:
    """Account names a trustee may give, upper case, and their SIDs."""
    me = user_sid(p)
    return {"CURRENT_USER": me, USER_NAME.upper(): me, "EVERYONE": EVERYONE,
            "ADMINISTRATORS": ADMINISTRATORS, "BUILTIN\\ADMINISTRATORS": ADMINISTRATORS,
            "USERS": USERS, "BUILTIN\\USERS": USERS, "SYSTEM": sid(5, 18),
            "NT AUTHORITY\\SYSTEM": sid(5, 18), "AUTHENTICATED USERS": AUTHENTICATED_USERS,
            "NT AUTHORITY\\AUTHENTICATED USERS": AUTHENTICATED_USERS,
            "CREATOR OWNER": sid(3, 0)}


def _trustee_sid(p, trustee: int, wide: bool) -> bytes | None | int:
    """The SID a TRUSTEE names; an error code when it cannot be had."""
    w = abi.word(p)     # pMultipleTrustee, its operation, TrusteeForm, TrusteeType, ptstrName
    form = p.mm.read_u32(trustee + w + 4)
    name = abi.read_ptr(p, trustee + (24 if w == 8 else 16))
    if form == TRUSTEE_IS_SID:
        found = read_sid(p, name) if name else None
        return found if found is not None else ERROR_INVALID_PARAMETER
    if form == TRUSTEE_IS_NAME:
        text = read_str(p, name, wide) if name else ""
        return well_known_names(p).get(text.upper(), ERROR_NONE_MAPPED)
    return ERROR_INVALID_PARAMETER        # objects-and-SID forms: not given here


def _entry_layout(p) -> tuple[int, int]:
    """(EXPLICIT_ACCESS's size, its TRUSTEE's offset)."""
    return (48, 16) if abi.word(p) == 8 else (32, 12)


def _old_aces(p, pAcl) -> list[tuple[int, int, int, bytes]] | None:
    """(type, flags, mask, sid) of each access ACE of an ACL (none for NULL)."""
    if not pAcl:
        return []
    header = _acl(p, pAcl)
    if header is None:
        return None
    _, size, count = header
    found = _aces(p, pAcl, count, size)
    if found is None:
        return None
    out = []
    for at, ace_size in found:
        kind, flags, _ = ACE_HEADER.unpack(p.mm.read(at, ACE_HEADER.size))
        mask = p.mm.read_u32(at + ACE_HEADER.size)
        out.append((kind, flags, mask, p.mm.read(at + ACE_HEADER.size + 4,
                                                 ace_size - ACE_HEADER.size - 4)))
    return out


def _set_entries(p, count, entries, old, new_out, wide: bool) -> int:
    aces = _old_aces(p, old)
    if aces is None:
        return ERROR_INVALID_ACL
    size, trustee_at = _entry_layout(p)
    for i in range(count & 0xFFFFFFFF):
        at = entries + i * size
        mask, mode, inherit = struct.unpack("<III", p.mm.read(at, 12))
        who = _trustee_sid(p, at + trustee_at, wide)
        if isinstance(who, int):
            return who
        flags = inherit & INHERIT_FLAGS
        if mode in (SET_ACCESS, REVOKE_ACCESS):
            aces = [a for a in aces if a[3] != who]
        if mode in (GRANT_ACCESS, SET_ACCESS):
            same = next((j for j, a in enumerate(aces)
                         if a[0] == ACCESS_ALLOWED_ACE_TYPE and a[3] == who and a[1] == flags),
                        None)
            if same is None:
                aces.append((ACCESS_ALLOWED_ACE_TYPE, flags, mask, who))
            else:
                kind, f, m, s = aces[same]
                aces[same] = (kind, f, m | mask, s)
        elif mode == DENY_ACCESS:
            aces.append((ACCESS_DENIED_ACE_TYPE, flags, mask, who))
        elif mode != REVOKE_ACCESS and mode != 0:      # NOT_USED_ACCESS does nothing
            return ERROR_INVALID_PARAMETER
    aces.sort(key=lambda a: a[0] != ACCESS_DENIED_ACE_TYPE)   # denials first, stable
    body = b"".join(ACE_HEADER.pack(kind, flags, ACE_HEADER.size + 4 + len(s)) +
                    struct.pack("<I", mask) + s for kind, flags, mask, s in aces)
    data = ACL_HEADER.pack(ACL_REVISION, 0, ACL_HEADER.size + len(body), len(aces), 0) + body
    block = p.win32.heap.alloc(len(data))      # the caller frees it with LocalFree
    if not block:
        return ERROR_NOT_ENOUGH_MEMORY
    p.mm.write(block, data)
    abi.write_ptr(p, new_out, block)
    return ERROR_SUCCESS


def sys_advapi32_SetEntriesInAclW(p, cCountOfExplicitEntries, pListOfExplicitEntries, OldAcl,
                                  NewAcl):
    return _set_entries(p, cCountOfExplicitEntries, pListOfExplicitEntries, OldAcl, NewAcl, True)


def sys_advapi32_SetEntriesInAclA(p, cCountOfExplicitEntries, pListOfExplicitEntries, OldAcl,
                                  NewAcl):
    return _set_entries(p, cCountOfExplicitEntries, pListOfExplicitEntries, OldAcl, NewAcl, False)


SE_FILE_OBJECT, SE_KERNEL_OBJECT = 1, 6


def sys_advapi32_GetSecurityInfo(p, handle, ObjectType, SecurityInfo, ppsidOwner, ppsidGroup,
                                 ppDacl, ppSacl, ppSecurityDescriptor):
    """A file's descriptor by handle (its owner the uid's SID), a kernel object's as its
    creator's; no DACL (NULL: everyone has access), as GetNamedSecurityInfo gives."""
    from .. import perm
    from .security import _descriptor, sid_of_uid
    kind = ObjectType & 0xFFFFFFFF
    if kind not in (SE_FILE_OBJECT, SE_KERNEL_OBJECT):
        return ERROR_INVALID_PARAMETER
    owner = user_sid(p)
    if kind == SE_FILE_OBJECT:
        try:
            st = abi.file_of(p, handle).fstat()
        except Exception:   # NtError / KernelError: not a file's handle
            return ERROR_INVALID_HANDLE
        owner = sid_of_uid(perm.owner(st)[0])
    data = _descriptor(owner, USERS)
    block = p.win32.heap.alloc(len(data))
    p.mm.write(block, data)
    for out, value in ((ppsidOwner, block + 20), (ppsidGroup, block + 20 + len(owner)),
                       (ppDacl, 0), (ppSacl, 0), (ppSecurityDescriptor, block)):
        if out:
            abi.write_ptr(p, out, value)
    return ERROR_SUCCESS


def sys_advapi32_SetSecurityInfo(p, handle, ObjectType, SecurityInfo, psidOwner, psidGroup,
                                 pDacl, pSacl):
    """Accepted, changing nothing: the host's permissions guard the machine's files, and
    its kernel objects are open to the user who made them."""
    if pDacl and _acl(p, pDacl) is None:
        return ERROR_INVALID_ACL
    return ERROR_SUCCESS


def sys_advapi32_SetNamedSecurityInfoW(p, pObjectName, ObjectType, SecurityInfo, psidOwner,
                                       psidGroup, pDacl, pSacl):
    """As SetSecurityInfo, for a file that exists (ERROR_FILE_NOT_FOUND otherwise)."""
    from .kernel32_files import _stat
    from .wide import read_wstr
    if pDacl and _acl(p, pDacl) is None:
        return ERROR_INVALID_ACL
    if (ObjectType & 0xFFFFFFFF) != SE_FILE_OBJECT or not pObjectName:
        return ERROR_INVALID_PARAMETER
    error = p.win32.last_error
    found = _stat(p, read_wstr(p, pObjectName))
    p.win32.last_error = error
    return ERROR_SUCCESS if found is not None else 2        # ERROR_FILE_NOT_FOUND
