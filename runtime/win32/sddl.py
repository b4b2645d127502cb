"""Security descriptors written as text (SDDL): ConvertStringSecurityDescriptorToSecurity-
Descriptor builds the self-relative descriptor an SDDL string describes (owner, group, DACL
and SACL with their flags, allow/deny/audit ACEs with inheritance flags, rights by name or
number, SIDs by alias or S-1-... form), and ConvertStringSidToSid one SID. PyInstaller's
one-file bootloader restricts its unpack folder to the user so; services and installers
build pipe and file DACLs the same way. As acl.py says, nothing here enforces them."""
from __future__ import annotations

import re
import struct

from ..nt import abi
from .security import sid, sid_of_uid, user_sid
from .wide import read_str

SDDL_REVISION_1 = 1
ERROR_INVALID_PARAMETER, ERROR_INVALID_SID, ERROR_INVALID_ACL = 87, 1337, 1336
ERROR_UNKNOWN_REVISION = 1305
SE_OWNER_DEFAULTED, SE_DACL_PRESENT, SE_SACL_PRESENT = 0x1, 0x4, 0x10
SE_DACL_AUTO_INHERIT_REQ, SE_SACL_AUTO_INHERIT_REQ = 0x100, 0x200
SE_DACL_AUTO_INHERITED, SE_SACL_AUTO_INHERITED = 0x400, 0x800
SE_DACL_PROTECTED, SE_SACL_PROTECTED, SE_SELF_RELATIVE = 0x1000, 0x2000, 0x8000

SID_ALIASES = {
    "WD": sid(1, 0), "CO": sid(3, 0), "CG": sid(3, 1), "OW": sid(3, 4), "NU": sid(5, 2),
    "IU": sid(5, 4), "SU": sid(5, 6), "AN": sid(5, 7), "PS": sid(5, 10), "AU": sid(5, 11),
    "RC": sid(5, 12), "SY": sid(5, 18), "LS": sid(5, 19), "NS": sid(5, 20),
    "BA": sid(5, 32, 544), "BU": sid(5, 32, 545), "BG": sid(5, 32, 546), "PU": sid(5, 32, 547),
    "AO": sid(5, 32, 548), "SO": sid(5, 32, 549), "PO": sid(5, 32, 550), "BO": sid(5, 32, 551),
    "RE": sid(5, 32, 552), "RU": sid(5, 32, 554), "RD": sid(5, 32, 555), "NO": sid(5, 32, 556),
    "LW": sid(16, 4096), "ME": sid(16, 8192), "HI": sid(16, 12288), "SI": sid(16, 16384),
    "AC": sid(15, 2, 1),
}
ACE_TYPES = {"A": 0, "D": 1, "AU": 2, "AL": 3, "OA": 5, "OD": 6, "OU": 7, "ML": 0x11}
ACE_FLAGS = {"OI": 0x1, "CI": 0x2, "NP": 0x4, "IO": 0x8, "ID": 0x10, "SA": 0x40, "FA": 0x80}
RIGHTS = {
    "GA": 0x10000000, "GX": 0x20000000, "GW": 0x40000000, "GR": 0x80000000,
    "RC": 0x20000, "SD": 0x10000, "WD": 0x40000, "WO": 0x80000,
    "RP": 0x10, "WP": 0x20, "CC": 0x1, "DC": 0x2, "LC": 0x4, "SW": 0x8, "LO": 0x80,
    "DT": 0x40, "CR": 0x100,
    "FA": 0x1F01FF, "FR": 0x120089, "FW": 0x120116, "FX": 0x1200A0,
    "KA": 0xF003F, "KR": 0x20019, "KW": 0x20006, "KX": 0x20019,
    "NR": 0x1, "NW": 0x2, "NX": 0x4,
}
ACL_FLAGS = {"P": 0x1000, "AI": 0x400, "AR": 0x100}


class SddlError(ValueError):
    def __init__(self, error: int = ERROR_INVALID_PARAMETER):
        super().__init__(error)
        self.error = error


def parse_sid(text: str, p=None) -> bytes:
    """A SID from its string: an alias (WD, BA ...; DA/DU: the machine's own users) or
    S-1-<authority>-<sub>... ."""
    text = text.strip()
    upper = text.upper()
    if upper in SID_ALIASES:
        return SID_ALIASES[upper]
    if upper in ("LA", "DA") and p is not None:
        return sid_of_uid(0)
    if upper == "OW" and p is not None:
        return user_sid(p)
    m = re.fullmatch(r"S-1-(0x[0-9A-Fa-f]+|\d+)((?:-\d+){0,15})", text, re.I)
    if not m:
        raise SddlError(ERROR_INVALID_SID)
    text_authority = m.group(1)
    authority = int(text_authority[2:], 16) if text_authority[:2].lower() == "0x" else \
        int(text_authority, 10)
    subs = [int(s, 10) for s in m.group(2).split("-")[1:]]
    if authority >= 1 << 48 or any(s >= 1 << 32 for s in subs):
        raise SddlError(ERROR_INVALID_SID)
    return sid(authority, *subs)


def _number(text: str) -> int:
    """A number as wcstoul reads one with base 0: 0x hexadecimal, a leading 0 octal."""
    if text[:2].lower() == "0x":
        return int(text[2:], 16)
    if len(text) > 1 and text[0] == "0":
        return int(text[1:], 8)
    return int(text, 10)


def _rights(text: str) -> int:
    if re.fullmatch(r"0[xX][0-9A-Fa-f]+|0[0-7]*|[1-9]\d*", text):
        return _number(text) & 0xFFFFFFFF
    if len(text) % 2:
        raise SddlError()
    mask = 0
    for i in range(0, len(text), 2):
        right = RIGHTS.get(text[i:i + 2].upper())
        if right is None:
            raise SddlError()
        mask |= right
    return mask


def _ace(text: str, p) -> bytes:
    fields = text.split(";")
    if len(fields) < 6:
        raise SddlError(ERROR_INVALID_ACL)
    kind = ACE_TYPES.get(fields[0].upper())
    if kind is None or kind in (5, 6, 7):     # object ACEs (directory services): not here
        raise SddlError(ERROR_INVALID_ACL)
    flags = 0
    for i in range(0, len(fields[1]), 2):
        flag = ACE_FLAGS.get(fields[1][i:i + 2].upper())
        if flag is None:
            raise SddlError(ERROR_INVALID_ACL)
        flags |= flag
    body = struct.pack("<I", _rights(fields[2])) + parse_sid(fields[5], p)
    return struct.pack("<BBH", kind, flags, 4 + len(body)) + body


def _acl(text: str, p) -> tuple[int, bytes]:
    """(its descriptor control flags, the ACL) from "flags(ace)(ace)..."."""
    m = re.fullmatch(r"([A-Za-z_]*)((?:\([^()]*\))*)", text)
    if not m:
        raise SddlError(ERROR_INVALID_ACL)
    control, flags = 0, m.group(1).upper()
    while flags:
        for name, bit in ACL_FLAGS.items():
            if flags.startswith(name):
                control, flags = control | bit, flags[len(name):]
                break
        else:
            if flags.startswith("NO_ACCESS_CONTROL"):
                return control, b""           # a NULL ACL
            raise SddlError(ERROR_INVALID_ACL)
    aces = [_ace(a, p) for a in re.findall(r"\(([^()]*)\)", m.group(2))]
    body = b"".join(aces)
    if 8 + len(body) > 0xFFFF:             # AclSize is 16 bits
        raise SddlError(ERROR_INVALID_ACL)
    return control, struct.pack("<BBHHH", 2, 0, 8 + len(body), len(aces), 0) + body


def descriptor_from_sddl(text: str, p=None) -> bytes:
    """The self-relative SECURITY_DESCRIPTOR an SDDL string describes."""
    parts = re.split(r"(?i)(?:^|(?<=[)\w]))([OGDS]):", text.strip())
    if parts[0].strip():
        raise SddlError()
    owner = group = dacl = sacl = None
    control = SE_SELF_RELATIVE
    for tag, value in zip(parts[1::2], parts[2::2]):
        tag = tag.upper()
        if tag == "O":
            owner = parse_sid(value, p)
        elif tag == "G":
            group = parse_sid(value, p)
        elif tag == "D":
            flags, dacl = _acl(value, p)
            control |= SE_DACL_PRESENT | flags
        else:
            flags, sacl = _acl(value, p)
            control |= SE_SACL_PRESENT | (flags << 1 & (SE_SACL_PROTECTED | SE_SACL_AUTO_INHERITED
                                                         | SE_SACL_AUTO_INHERIT_REQ))
    out, offsets = b"", []
    for part in (owner, group, sacl, dacl):
        offsets.append(20 + len(out) if part else 0)
        out += part or b""
    return struct.pack("<BBHIIII", 1, 0, control, *offsets) + out


def _convert(p, text_at, revision, out_at, size_at, wide: bool) -> int:
    if revision != SDDL_REVISION_1:
        p.win32.last_error = ERROR_UNKNOWN_REVISION
        return 0
    if not text_at or not out_at:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    try:
        data = descriptor_from_sddl(read_str(p, text_at, wide), p)
    except SddlError as exc:
        p.win32.last_error = exc.error
        return 0
    block = p.win32.heap.alloc(len(data))    # the caller frees it with LocalFree
    p.mm.write(block, data)
    abi.write_ptr(p, out_at, block)
    if size_at:
        p.mm.write_u32(size_at, len(data))
    return 1


def sys_advapi32_ConvertStringSecurityDescriptorToSecurityDescriptorW(
        p, StringSecurityDescriptor, StringSDRevision, SecurityDescriptor, SecurityDescriptorSize):
    return _convert(p, StringSecurityDescriptor, StringSDRevision, SecurityDescriptor,
                    SecurityDescriptorSize, True)


def sys_advapi32_ConvertStringSecurityDescriptorToSecurityDescriptorA(
        p, StringSecurityDescriptor, StringSDRevision, SecurityDescriptor, SecurityDescriptorSize):
    return _convert(p, StringSecurityDescriptor, StringSDRevision, SecurityDescriptor,
                    SecurityDescriptorSize, False)


def _string_sid(p, StringSid, Sid, wide: bool) -> int:
    try:
        data = parse_sid(read_str(p, StringSid, wide), p) if StringSid else None
    except SddlError:
        data = None
    if data is None or not Sid:
        p.win32.last_error = ERROR_INVALID_SID if StringSid else ERROR_INVALID_PARAMETER
        return 0
    block = p.win32.heap.alloc(len(data))
    p.mm.write(block, data)
    abi.write_ptr(p, Sid, block)
    return 1


def sys_advapi32_ConvertStringSidToSidW(p, StringSid, Sid):
    return _string_sid(p, StringSid, Sid, True)


def sys_advapi32_ConvertStringSidToSidA(p, StringSid, Sid):
    return _string_sid(p, StringSid, Sid, False)
