"""Access control lists and security descriptors as programs build them in their own memory
(the binary layouts Windows defines), SIDs made from an authority and sub-authorities, and the
token calls around them: restricted tokens, a token's default DACL, a process created with a
token. Files and objects here are not guarded by ACLs (the host's permissions are what
guard them), so setting a descriptor on a file is accepted and changes nothing; what a
program reads back from the structures it built is what Windows would give it.

PostgreSQL's initdb and server make a restricted token and re-run themselves with it; Java
and installers build DACLs for files and pipes."""
from __future__ import annotations

import struct
from types import SimpleNamespace

from ..nt import abi
from .kernel32_sync import new_handle, object_of
from .security import read_sid

ACL_REVISION, ACL_REVISION_DS = 2, 4
ACL_HEADER = struct.Struct("<BBHHH")          # revision, Sbz1, AclSize, AceCount, Sbz2
ACE_HEADER = struct.Struct("<BBH")            # type, flags, size
ACCESS_ALLOWED_ACE_TYPE, ACCESS_DENIED_ACE_TYPE = 0, 1
AclRevisionInformation, AclSizeInformation = 1, 2
SECURITY_DESCRIPTOR_REVISION = 1
SE_DACL_PRESENT, SE_DACL_DEFAULTED = 0x4, 0x8
SE_SELF_RELATIVE = 0x8000
TokenDefaultDacl = 6
ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER = 6, 87
ERROR_INSUFFICIENT_BUFFER, ERROR_INVALID_ACL, ERROR_INVALID_SID = 122, 1336, 1337
ERROR_ALLOTTED_SPACE_EXCEEDED, ERROR_INVALID_SECURITY_DESCR = 1344, 1338


def _fail(p, error: int) -> int:
    p.win32.last_error = error
    return 0


# --- SIDs from parts -------------------------------------------------------------------------

def sys_advapi32_AllocateAndInitializeSid(p, pIdentifierAuthority, nSubAuthorityCount,
                                          nSubAuthority0, nSubAuthority1, nSubAuthority2,
                                          nSubAuthority3, nSubAuthority4, nSubAuthority5,
                                          nSubAuthority6, nSubAuthority7, pSid):
    """A SID on the process heap (FreeSid frees it): the 6-byte authority, then the first
    nSubAuthorityCount of the eight sub-authorities."""
    count = nSubAuthorityCount & 0xFF
    if count > 8:
        return _fail(p, ERROR_INVALID_SID)
    subs = [nSubAuthority0, nSubAuthority1, nSubAuthority2, nSubAuthority3, nSubAuthority4,
            nSubAuthority5, nSubAuthority6, nSubAuthority7][:count]
    data = struct.pack("<BB", 1, count) + p.mm.read(pIdentifierAuthority, 6) + \
        b"".join(struct.pack("<I", s & 0xFFFFFFFF) for s in subs)
    at = p.win32.heap.alloc(len(data))
    p.mm.write(at, data)
    abi.write_ptr(p, pSid, at)
    return 1


def sys_advapi32_FreeSid(p, pSid):
    if pSid:
        p.win32.heap.free(pSid)
    return 0


def sys_advapi32_InitializeSid(p, Sid, pIdentifierAuthority, nSubAuthorityCount):
    count = nSubAuthorityCount & 0xFF
    if count > 15:
        return _fail(p, ERROR_INVALID_SID)
    p.mm.write(Sid, struct.pack("<BB", 1, count) + p.mm.read(pIdentifierAuthority, 6))
    return 1


def sys_advapi32_GetSidSubAuthority(p, pSid, nSubAuthority):
    return pSid + 8 + 4 * (nSubAuthority & 0xFF)


def sys_advapi32_GetSidSubAuthorityCount(p, pSid):
    return pSid + 1


def sys_advapi32_GetSidIdentifierAuthority(p, pSid):
    return pSid + 2


# --- ACLs --------------------------------------------------------------------------------------

def _acl(p, pAcl):
    """(revision, size, ace count) of a valid ACL header, or None."""
    revision, _, size, count, _ = ACL_HEADER.unpack(p.mm.read(pAcl, ACL_HEADER.size))
    if revision not in (ACL_REVISION, 3, ACL_REVISION_DS) or size < ACL_HEADER.size:
        return None
    return revision, size, count


def _aces(p, pAcl, count: int, size: int) -> list[tuple[int, int]] | None:
    """(address, size) of each ACE, or None when they overrun the ACL."""
    out, at, end = [], pAcl + ACL_HEADER.size, pAcl + size
    for _ in range(count):
        if at + ACE_HEADER.size > end:
            return None
        ace_size = ACE_HEADER.unpack(p.mm.read(at, ACE_HEADER.size))[2]
        if ace_size < ACE_HEADER.size or at + ace_size > end:
            return None
        out.append((at, ace_size))
        at += ace_size
    return out


def sys_advapi32_InitializeAcl(p, pAcl, nAclLength, dwAclRevision):
    length = nAclLength & 0xFFFFFFFF
    if dwAclRevision not in (ACL_REVISION, ACL_REVISION_DS) or length < ACL_HEADER.size or \
            length > 0xFFFF:
        return _fail(p, ERROR_INVALID_PARAMETER if length > 0xFFFF else ERROR_INSUFFICIENT_BUFFER)
    p.mm.write(pAcl, ACL_HEADER.pack(dwAclRevision, 0, length & ~3, 0, 0))
    return 1


def sys_advapi32_IsValidAcl(p, pAcl):
    head = _acl(p, pAcl) if pAcl else None
    return int(head is not None and _aces(p, pAcl, head[2], head[1]) is not None)


def sys_advapi32_GetAclInformation(p, pAcl, pAclInformation, nAclInformationLength,
                                   dwAclInformationClass):
    head = _acl(p, pAcl)
    aces = _aces(p, pAcl, head[2], head[1]) if head else None
    if aces is None:
        return _fail(p, ERROR_INVALID_ACL)
    if dwAclInformationClass == AclRevisionInformation:
        data = struct.pack("<I", head[0])
    elif dwAclInformationClass == AclSizeInformation:
        used = ACL_HEADER.size + sum(size for _, size in aces)
        data = struct.pack("<III", len(aces), used, head[1] - used)
    else:
        return _fail(p, ERROR_INVALID_PARAMETER)
    if (nAclInformationLength & 0xFFFFFFFF) < len(data):
        return _fail(p, ERROR_INSUFFICIENT_BUFFER)
    p.mm.write(pAclInformation, data)
    return 1


def sys_advapi32_GetAce(p, pAcl, dwAceIndex, pAce):
    head = _acl(p, pAcl)
    aces = _aces(p, pAcl, head[2], head[1]) if head else None
    if aces is None or (dwAceIndex & 0xFFFFFFFF) >= len(aces):
        return _fail(p, ERROR_INVALID_PARAMETER)
    abi.write_ptr(p, pAce, aces[dwAceIndex & 0xFFFFFFFF][0])
    return 1


def _insert(p, pAcl, index: int, data: bytes, count: int) -> int:
    """Put count ACEs (data) before ACE index (0xFFFFFFFF: at the end), if they fit."""
    head = _acl(p, pAcl)
    aces = _aces(p, pAcl, head[2], head[1]) if head else None
    if aces is None:
        return _fail(p, ERROR_INVALID_ACL)
    end = pAcl + ACL_HEADER.size + sum(size for _, size in aces)
    if end + len(data) > pAcl + head[1]:
        return _fail(p, ERROR_ALLOTTED_SPACE_EXCEEDED)
    at = end if index >= len(aces) else aces[index][0]
    tail = p.mm.read(at, end - at)
    p.mm.write(at, data + tail)
    revision, _, size, old, _ = ACL_HEADER.unpack(p.mm.read(pAcl, ACL_HEADER.size))
    p.mm.write(pAcl, ACL_HEADER.pack(revision, 0, size, old + count, 0))
    return 1


def sys_advapi32_AddAce(p, pAcl, dwAceRevision, dwStartingAceIndex, pAceList, nAceListLength):
    data = p.mm.read(pAceList, nAceListLength & 0xFFFF)
    count, at = 0, 0
    while at + ACE_HEADER.size <= len(data):
        size = ACE_HEADER.unpack_from(data, at)[2]
        if size < ACE_HEADER.size:
            break
        at += size
        count += 1
    if at != len(data):
        return _fail(p, ERROR_INVALID_PARAMETER)
    return _insert(p, pAcl, dwStartingAceIndex & 0xFFFFFFFF, data, count)


def _add_access_ace(p, pAcl, kind: int, flags: int, mask: int, pSid) -> int:
    found = read_sid(p, pSid) if pSid else None
    if found is None:
        return _fail(p, ERROR_INVALID_SID)
    body = struct.pack("<I", mask & 0xFFFFFFFF) + found
    return _insert(p, pAcl, 0xFFFFFFFF,
                   ACE_HEADER.pack(kind, flags & 0xFF, ACE_HEADER.size + len(body)) + body, 1)


def sys_advapi32_AddAccessAllowedAce(p, pAcl, dwAceRevision, AccessMask, pSid):
    return _add_access_ace(p, pAcl, ACCESS_ALLOWED_ACE_TYPE, 0, AccessMask, pSid)


def sys_advapi32_AddAccessAllowedAceEx(p, pAcl, dwAceRevision, AceFlags, AccessMask, pSid):
    return _add_access_ace(p, pAcl, ACCESS_ALLOWED_ACE_TYPE, AceFlags, AccessMask, pSid)


def sys_advapi32_AddAccessDeniedAce(p, pAcl, dwAceRevision, AccessMask, pSid):
    return _add_access_ace(p, pAcl, ACCESS_DENIED_ACE_TYPE, 0, AccessMask, pSid)


# --- security descriptors (absolute form: pointers) -------------------------------------------

def _sd_layout(p) -> tuple[str, int, int, int, int]:
    """struct format and the offsets of Owner, Group, Sacl, Dacl in an absolute descriptor."""
    w = abi.word(p)
    return ("<BBH4xQQQQ", 8, 16, 24, 32) if w == 8 else ("<BBHIIII", 4, 8, 12, 16)


def sys_advapi32_InitializeSecurityDescriptor(p, pSecurityDescriptor, dwRevision):
    if dwRevision != SECURITY_DESCRIPTOR_REVISION:
        return _fail(p, 1305)     # ERROR_UNKNOWN_REVISION
    fmt = _sd_layout(p)[0]
    p.mm.write(pSecurityDescriptor, struct.pack(fmt, 1, 0, 0, 0, 0, 0, 0))
    return 1


def _control(p, sd: int) -> int:
    return struct.unpack("<H", p.mm.read(sd + 2, 2))[0]


def sys_advapi32_SetSecurityDescriptorDacl(p, pSecurityDescriptor, bDaclPresent, pDacl,
                                           bDaclDefaulted):
    control = _control(p, pSecurityDescriptor)
    if control & SE_SELF_RELATIVE:
        return _fail(p, ERROR_INVALID_SECURITY_DESCR)
    control &= ~(SE_DACL_PRESENT | SE_DACL_DEFAULTED)
    if bDaclPresent:
        control |= SE_DACL_PRESENT | (SE_DACL_DEFAULTED if bDaclDefaulted else 0)
    p.mm.write(pSecurityDescriptor + 2, struct.pack("<H", control))
    abi.write_ptr(p, pSecurityDescriptor + _sd_layout(p)[4], pDacl if bDaclPresent else 0)
    return 1


def sys_advapi32_GetSecurityDescriptorDacl(p, pSecurityDescriptor, lpbDaclPresent, pDacl,
                                           lpbDaclDefaulted):
    control = _control(p, pSecurityDescriptor)
    present = bool(control & SE_DACL_PRESENT)
    if control & SE_SELF_RELATIVE:       # offsets from the descriptor's start
        offset = p.mm.read_u32(pSecurityDescriptor + 16)
        dacl = pSecurityDescriptor + offset if present and offset else 0
    else:
        dacl = p.mm.read_word(pSecurityDescriptor + _sd_layout(p)[4]) if present else 0
    p.mm.write_u32(lpbDaclPresent, int(present))
    if present:
        abi.write_ptr(p, pDacl, dacl)
        p.mm.write_u32(lpbDaclDefaulted, int(bool(control & SE_DACL_DEFAULTED)))
    return 1


def _set_sd_sid(p, sd: int, which: int, sid_at: int, defaulted: bool, bit: int) -> int:
    control = _control(p, sd)
    if control & SE_SELF_RELATIVE:
        return _fail(p, ERROR_INVALID_SECURITY_DESCR)
    p.mm.write(sd + 2, struct.pack("<H", (control & ~bit) | (bit if defaulted else 0)))
    abi.write_ptr(p, sd + _sd_layout(p)[which], sid_at)
    return 1


def sys_advapi32_SetSecurityDescriptorOwner(p, pSecurityDescriptor, pOwner, bOwnerDefaulted):
    return _set_sd_sid(p, pSecurityDescriptor, 1, pOwner, bool(bOwnerDefaulted), 0x1)


def sys_advapi32_SetSecurityDescriptorGroup(p, pSecurityDescriptor, pGroup, bGroupDefaulted):
    return _set_sd_sid(p, pSecurityDescriptor, 2, pGroup, bool(bGroupDefaulted), 0x2)


def _sd_part(p, sd: int, which: int) -> int:
    """The address of a descriptor's owner (1), group (2), SACL (3) or DACL (4), or 0: an
    offset in a self-relative descriptor, a pointer in an absolute one."""
    if _control(p, sd) & SE_SELF_RELATIVE:
        offset = p.mm.read_u32(sd + 4 * which)
        return sd + offset if offset else 0
    return p.mm.read_word(sd + _sd_layout(p)[which])


def sys_advapi32_GetSecurityDescriptorOwner(p, pSecurityDescriptor, pOwner, lpbOwnerDefaulted):
    abi.write_ptr(p, pOwner, _sd_part(p, pSecurityDescriptor, 1))
    p.mm.write_u32(lpbOwnerDefaulted, _control(p, pSecurityDescriptor) & 0x1)
    return 1


def sys_advapi32_GetSecurityDescriptorGroup(p, pSecurityDescriptor, pGroup, lpbGroupDefaulted):
    abi.write_ptr(p, pGroup, _sd_part(p, pSecurityDescriptor, 2))
    p.mm.write_u32(lpbGroupDefaulted, (_control(p, pSecurityDescriptor) >> 1) & 0x1)
    return 1


def sys_advapi32_GetSecurityDescriptorControl(p, pSecurityDescriptor, pControl, lpdwRevision):
    p.mm.write(pControl, struct.pack("<H", _control(p, pSecurityDescriptor)))
    p.mm.write_u32(lpdwRevision, p.mm.read(pSecurityDescriptor, 1)[0])
    return 1


def sys_advapi32_GetSecurityDescriptorLength(p, pSecurityDescriptor):
    """A self-relative descriptor's bytes: up to the end of its last part; an absolute one's
    header and what its pointers reach (each part's own length)."""
    from .security import read_sid
    sd = pSecurityDescriptor
    relative = _control(p, sd) & SE_SELF_RELATIVE
    total = 20 if relative else struct.calcsize(_sd_layout(p)[0])
    for which in (1, 2, 3, 4):
        at = _sd_part(p, sd, which)
        if not at:
            continue
        if which <= 2:
            found = read_sid(p, at)
            size = len(found) if found else 0
        else:
            size = struct.unpack("<H", p.mm.read(at + 2, 2))[0]     # AclSize
        total = max(total, at - sd + size) if relative else total + size
    return total


def sys_advapi32_IsValidSecurityDescriptor(p, pSecurityDescriptor):
    return int(p.mm.read(pSecurityDescriptor, 1)[0] == SECURITY_DESCRIPTOR_REVISION)


def _accept_file_security(p, name_ptr, info, sd) -> int:
    """Files are guarded by the host's permissions, not ACLs: a valid descriptor is accepted
    and changes nothing."""
    return 1 if sd and sys_advapi32_IsValidSecurityDescriptor(p, sd) else \
        _fail(p, ERROR_INVALID_SECURITY_DESCR)


def sys_advapi32_SetFileSecurityA(p, lpFileName, SecurityInformation, pSecurityDescriptor):
    return _accept_file_security(p, lpFileName, SecurityInformation, pSecurityDescriptor)


def sys_advapi32_SetFileSecurityW(p, lpFileName, SecurityInformation, pSecurityDescriptor):
    return _accept_file_security(p, lpFileName, SecurityInformation, pSecurityDescriptor)


# --- tokens made from tokens ---------------------------------------------------------------

def _token(p, handle) -> object | None:
    return object_of(p, handle, "token")


def sys_advapi32_CreateRestrictedToken(p, ExistingTokenHandle, Flags, DisableSidCount,
                                       SidsToDisable, DeletePrivilegeCount, PrivilegesToDelete,
                                       RestrictedSidCount, SidsToRestrict, NewTokenHandle):
    """A new token like the existing one: the user here holds no privileges and is no
    administrator, so there is nothing for the restriction to take away."""
    if _token(p, ExistingTokenHandle) is None:
        return _fail(p, ERROR_INVALID_HANDLE)
    abi.write_ptr(p, NewTokenHandle, new_handle(p, SimpleNamespace(kind="token")))
    return 1


def sys_advapi32_SetTokenInformation(p, TokenHandle, TokenInformationClass, TokenInformation,
                                     TokenInformationLength):
    """Accepted for the classes a process may set on its own token (the default DACL, owner
    and primary group: they only describe objects it creates, and objects here are not
    guarded by ACLs)."""
    if _token(p, TokenHandle) is None:
        return _fail(p, ERROR_INVALID_HANDLE)
    if TokenInformationClass & 0xFFFFFFFF not in (4, 5, TokenDefaultDacl):
        return _fail(p, ERROR_INVALID_PARAMETER)
    return 1


def default_dacl(p, at: int) -> bytes:
    """TOKEN_DEFAULT_DACL written at `at`: the pointer, then an ACL granting the user and
    SYSTEM all access (GENERIC_ALL), as a logged-on user's token has."""
    from .security import sid, user_sid
    w = abi.word(p)
    aces = b""
    for who in (user_sid(p), sid(5, 18)):
        body = struct.pack("<I", 0x10000000) + who
        aces += ACE_HEADER.pack(ACCESS_ALLOWED_ACE_TYPE, 0, ACE_HEADER.size + len(body)) + body
    acl = ACL_HEADER.pack(ACL_REVISION, 0, ACL_HEADER.size + len(aces), 2, 0) + aces
    return struct.pack("<Q" if w == 8 else "<I", at + w) + acl


def sys_advapi32_CreateProcessAsUserA(p, hToken, lpApplicationName, lpCommandLine,
                                      lpProcessAttributes, lpThreadAttributes, bInheritHandles,
                                      dwCreationFlags, lpEnvironment, lpCurrentDirectory,
                                      lpStartupInfo, lpProcessInformation):
    """CreateProcess with a token: every token here is the user's own."""
    from .kernel32_process import sys_kernel32_CreateProcessA
    if _token(p, hToken) is None:
        return _fail(p, ERROR_INVALID_HANDLE)
    return sys_kernel32_CreateProcessA(p, lpApplicationName, lpCommandLine, lpProcessAttributes,
                                       lpThreadAttributes, bInheritHandles, dwCreationFlags,
                                       lpEnvironment, lpCurrentDirectory, lpStartupInfo,
                                       lpProcessInformation)


def sys_advapi32_CreateProcessAsUserW(p, hToken, lpApplicationName, lpCommandLine,
                                      lpProcessAttributes, lpThreadAttributes, bInheritHandles,
                                      dwCreationFlags, lpEnvironment, lpCurrentDirectory,
                                      lpStartupInfo, lpProcessInformation):
    from .kernel32_process import sys_kernel32_CreateProcessW
    if _token(p, hToken) is None:
        return _fail(p, ERROR_INVALID_HANDLE)
    return sys_kernel32_CreateProcessW(p, lpApplicationName, lpCommandLine, lpProcessAttributes,
                                       lpThreadAttributes, bInheritHandles, dwCreationFlags,
                                       lpEnvironment, lpCurrentDirectory, lpStartupInfo,
                                       lpProcessInformation)


def sys_advapi32_AddAccessDeniedAceEx(p, pAcl, dwAceRevision, AceFlags, AccessMask, pSid):
    return _add_access_ace(p, pAcl, ACCESS_DENIED_ACE_TYPE, AceFlags, AccessMask, pSid)


# --- converting between the two forms, and checking access ------------------------------------

ERROR_BAD_DESCRIPTOR_FORMAT, ERROR_NO_IMPERSONATION_TOKEN = 1361, 1309
ERROR_ACCESS_DENIED = 5
MAXIMUM_ALLOWED = 0x02000000
READ_CONTROL, WRITE_DAC = 0x00020000, 0x00040000
GENERIC_RIGHTS = (0x80000000, 0x40000000, 0x20000000, 0x10000000)   # read, write, execute, all


def _parts(p, sd: int) -> list[bytes]:
    """A descriptor's owner, group, SACL and DACL bytes (b"" for a missing one)."""
    out = []
    for which in (1, 2, 3, 4):
        at = _sd_part(p, sd, which)
        if not at:
            out.append(b"")
        elif which <= 2:
            out.append(read_sid(p, at) or b"")
        else:
            out.append(bytes(p.mm.read(at, struct.unpack("<H", p.mm.read(at + 2, 2))[0])))
    return out


def _sizes_fit(p, pairs: list[tuple[int, int]]) -> bool:
    """Each (size pointer, size needed): whether every given buffer is large enough; every
    size is set to what is needed, as Windows does when one is not."""
    fits = all(need <= p.mm.read_u32(at) for at, need in pairs if at)
    if not fits:
        for at, need in pairs:
            if at:
                p.mm.write_u32(at, need)
    return fits


def sys_advapi32_MakeAbsoluteSD(p, pSelfRelativeSD, pAbsoluteSD, lpdwAbsoluteSDSize, pDacl,
                                lpdwDaclSize, pSacl, lpdwSaclSize, pOwner, lpdwOwnerSize,
                                pPrimaryGroup, lpdwPrimaryGroupSize):
    """A self-relative descriptor split into an absolute one and the caller's buffers for its
    parts (jupyter_core restricts its kernel files with it); too small a buffer fails with
    ERROR_INSUFFICIENT_BUFFER and every size needed."""
    control = _control(p, pSelfRelativeSD)
    if not control & SE_SELF_RELATIVE:
        return _fail(p, ERROR_BAD_DESCRIPTOR_FORMAT)
    owner, group, sacl, dacl = _parts(p, pSelfRelativeSD)
    fmt = _sd_layout(p)[0]
    if not _sizes_fit(p, [(lpdwAbsoluteSDSize, struct.calcsize(fmt)), (lpdwDaclSize, len(dacl)),
                          (lpdwSaclSize, len(sacl)), (lpdwOwnerSize, len(owner)),
                          (lpdwPrimaryGroupSize, len(group))]):
        return _fail(p, ERROR_INSUFFICIENT_BUFFER)
    pointers = []
    for data, buffer in ((owner, pOwner), (group, pPrimaryGroup), (sacl, pSacl), (dacl, pDacl)):
        if data and not buffer:
            return _fail(p, ERROR_INSUFFICIENT_BUFFER)
        if data:
            p.mm.write(buffer, data)
        pointers.append(buffer if data else 0)
    revision = p.mm.read(pSelfRelativeSD, 1)[0]
    p.mm.write(pAbsoluteSD, struct.pack(fmt, revision, 0, control & ~SE_SELF_RELATIVE, *pointers))
    return 1


def sys_advapi32_MakeSelfRelativeSD(p, pAbsoluteSD, pSelfRelativeSD, lpdwBufferLength):
    """An absolute descriptor packed into one block: its parts after the 20-byte header in
    Windows' order (SACL, DACL, owner, group), each at a 4-byte boundary."""
    control = _control(p, pAbsoluteSD)
    if control & SE_SELF_RELATIVE:
        return _fail(p, ERROR_BAD_DESCRIPTOR_FORMAT)
    owner, group, sacl, dacl = _parts(p, pAbsoluteSD)
    offsets, body, at = {}, b"", 20
    for name, data in (("sacl", sacl), ("dacl", dacl), ("owner", owner), ("group", group)):
        if data:
            data += b"\0" * (-len(data) % 4)
            offsets[name], body, at = at, body + data, at + len(data)
    if not _sizes_fit(p, [(lpdwBufferLength, at)]):
        return _fail(p, ERROR_INSUFFICIENT_BUFFER)
    revision = p.mm.read(pAbsoluteSD, 1)[0]
    p.mm.write(pSelfRelativeSD, struct.pack(
        "<BBHIIII", revision, 0, control | SE_SELF_RELATIVE, offsets.get("owner", 0),
        offsets.get("group", 0), offsets.get("sacl", 0), offsets.get("dacl", 0)) + body)
    return 1


def _map_generic(mask: int, mapping: tuple[int, ...]) -> int:
    for bit, specific in zip(GENERIC_RIGHTS, mapping):
        if mask & bit:
            mask = (mask & ~bit) | specific
    return mask


def sys_advapi32_AccessCheck(p, pSecurityDescriptor, ClientToken, DesiredAccess,
                             GenericMapping, PrivilegeSet, PrivilegeSetLength, GrantedAccess,
                             AccessStatus):
    """Windows' DACL walk for the token's user and groups: no DACL grants everything, each
    ACE that names one of them allows or denies its (generic-mapped) rights in order, the
    owner always has READ_CONTROL and WRITE_DAC. The answer is in *AccessStatus; the call
    fails only for bad arguments (an impersonation token is needed, as on Windows)."""
    from .security import _member_sids
    token = object_of(p, ClientToken, "token")
    if token is None:
        return _fail(p, ERROR_INVALID_HANDLE)
    if getattr(token, "level", None) is None:
        return _fail(p, ERROR_NO_IMPERSONATION_TOKEN)
    mapping = struct.unpack("<4I", p.mm.read(GenericMapping, 16))
    wanted = _map_generic(DesiredAccess & 0xFFFFFFFF, mapping)
    if PrivilegeSetLength and p.mm.read_u32(PrivilegeSetLength) < 20:
        p.mm.write_u32(PrivilegeSetLength, 20)
        return _fail(p, ERROR_INSUFFICIENT_BUFFER)
    if PrivilegeSet:
        p.mm.write(PrivilegeSet, b"\0" * 8)          # PrivilegeCount 0, Control 0
    sids = _member_sids(p)
    owner, _, _, _ = _parts(p, pSecurityDescriptor)
    dacl_at = _sd_part(p, pSecurityDescriptor, 4)
    present = _control(p, pSecurityDescriptor) & SE_DACL_PRESENT
    all_rights = 0x001F01FF | mapping[3]
    if not present or not dacl_at:
        granted = all_rights
    else:
        allowed, denied = (READ_CONTROL | WRITE_DAC if owner in sids else 0), 0
        _, _, size, count, _ = ACL_HEADER.unpack(p.mm.read(dacl_at, 8))
        for at, ace_size in _aces(p, dacl_at, count, size) or []:
            kind, flags, _ = ACE_HEADER.unpack(p.mm.read(at, 4))
            if kind not in (ACCESS_ALLOWED_ACE_TYPE, ACCESS_DENIED_ACE_TYPE) or flags & 0x8:
                continue                              # other kinds; INHERIT_ONLY_ACE
            if read_sid(p, at + 8) not in sids:
                continue
            mask = _map_generic(p.mm.read_u32(at + 4), mapping) & ~(allowed | denied)
            if kind == ACCESS_ALLOWED_ACE_TYPE:
                allowed |= mask
            else:
                denied |= mask
        granted = allowed
    if wanted & MAXIMUM_ALLOWED:
        result = granted
        ok = bool(granted) and not (wanted & ~MAXIMUM_ALLOWED & ~granted)
    else:
        result = wanted if not wanted & ~granted else 0
        ok = bool(wanted) and not wanted & ~granted
    p.mm.write_u32(GrantedAccess, result if ok else 0)
    p.mm.write_u32(AccessStatus, int(ok))
    if not ok:
        p.win32.last_error = ERROR_ACCESS_DENIED
    return 1
