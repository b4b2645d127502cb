"""iphlpapi.dll's newer interface and address tables (netioapi.h), for the machine's one
interface, its loopback: GetIfTable2(Ex) and GetIfEntry2 (MIB_IF_ROW2),
GetUnicastIpAddressTable (its 127.0.0.1/8 and ::1/128), empty anycast and multicast tables,
FreeMibTable, the LUID/name/index conversions and ConvertLengthToIpv4Mask. Java's
NetworkInterface (which SecureRandom's seed generator walks) and .NET list interfaces so."""
from __future__ import annotations

import ctypes
import struct

from ..net.addr import AF_INET, AF_INET6, InetAddr
from ..nt import abi
from .iphlpapi import (ADDRESSES, ERROR_BUFFER_OVERFLOW, DESCRIPTION, FRIENDLY_NAME, IF_OPER_STATUS_UP,
                       IF_TYPE_SOFTWARE_LOOPBACK, LOOPBACK_INDEX, LOOPBACK_LUID)
from .winsock import WIN_AF_INET6, sockaddr_bytes
from .wide import read_wstr

ERROR_FILE_NOT_FOUND, ERROR_NOT_ENOUGH_MEMORY, ERROR_NOT_SUPPORTED = 2, 8, 50
ERROR_INVALID_PARAMETER, ERROR_NOT_FOUND = 87, 1168
LOOPBACK_NAME = "loopback_0"                             # ConvertInterfaceLuidToName's form
LOOPBACK_GUID = bytes.fromhex("2d4c6a6b000000408000000000000001")
u8, u32, u64 = ctypes.c_uint8, ctypes.c_uint32, ctypes.c_uint64


class IfRow2(ctypes.Structure):
    """MIB_IF_ROW2 (netioapi.h): 1352 bytes on both widths (no pointers)."""
    _fields_ = [("InterfaceLuid", u64), ("InterfaceIndex", u32), ("InterfaceGuid", u8 * 16),
                ("Alias", ctypes.c_uint16 * 257), ("Description", ctypes.c_uint16 * 257),
                ("PhysicalAddressLength", u32), ("PhysicalAddress", u8 * 32),
                ("PermanentPhysicalAddress", u8 * 32), ("Mtu", u32), ("Type", u32),
                ("TunnelType", u32), ("MediaType", u32), ("PhysicalMediumType", u32),
                ("AccessType", u32), ("DirectionType", u32), ("Flags", u8),
                ("OperStatus", u32), ("AdminStatus", u32), ("MediaConnectState", u32),
                ("NetworkGuid", u8 * 16), ("ConnectionType", u32),
                ("TransmitLinkSpeed", u64), ("ReceiveLinkSpeed", u64),
                ("Counters", u64 * 18)]


class UnicastRow(ctypes.Structure):
    """MIB_UNICASTIPADDRESS_ROW: 80 bytes."""
    _fields_ = [("Address", u8 * 28), ("InterfaceLuid", u64), ("InterfaceIndex", u32),
                ("PrefixOrigin", u32), ("SuffixOrigin", u32), ("ValidLifetime", u32),
                ("PreferredLifetime", u32), ("OnLinkPrefixLength", u8), ("SkipAsSource", u8),
                ("DadState", u32), ("ScopeId", u32), ("CreationTimeStamp", u64)]


def _wide_field(text: str, chars: int):
    data = (ctypes.c_uint16 * chars)()
    for i, ch in enumerate(text.encode("utf-16-le")[::2][:chars - 1]):
        data[i] = ch
    return data


def _if_row() -> IfRow2:
    row = IfRow2(InterfaceLuid=LOOPBACK_LUID, InterfaceIndex=LOOPBACK_INDEX,
                 Mtu=0xFFFFFFFF, Type=IF_TYPE_SOFTWARE_LOOPBACK, MediaType=0,
                 PhysicalMediumType=0, AccessType=1, DirectionType=0,   # loopback, send+receive
                 OperStatus=IF_OPER_STATUS_UP, AdminStatus=1, MediaConnectState=1,
                 ConnectionType=1, TransmitLinkSpeed=1_073_741_824,
                 ReceiveLinkSpeed=1_073_741_824)
    row.InterfaceGuid[:] = list(LOOPBACK_GUID)
    row.Alias = _wide_field(FRIENDLY_NAME, 257)
    row.Description = _wide_field(DESCRIPTION, 257)
    return row


def _table(p, rows: list, row_type) -> int:
    """A MIB_*_TABLE in the process's heap: NumEntries, then the rows 8-byte aligned."""
    size = ctypes.sizeof(row_type)
    block = p.win32.heap.alloc(8 + max(len(rows), 1) * size, zero=True)
    p.mm.write(block, struct.pack("<I", len(rows)))
    for i, row in enumerate(rows):
        p.mm.write(block + 8 + i * size, bytes(row))
    return block


def sys_iphlpapi_GetIfTable2(p, Table):
    if not Table:
        return ERROR_INVALID_PARAMETER
    abi.write_ptr(p, Table, _table(p, [_if_row()], IfRow2))
    return 0


def sys_iphlpapi_GetIfTable2Ex(p, Level, Table):
    return sys_iphlpapi_GetIfTable2(p, Table)


def sys_iphlpapi_GetIfEntry2(p, Row):
    """The row of the interface the caller's row names by LUID (or, LUID 0, by index)."""
    if not Row:
        return ERROR_INVALID_PARAMETER
    luid, index = struct.unpack("<QI", p.mm.read(Row, 12))
    if luid != LOOPBACK_LUID and not (luid == 0 and index == LOOPBACK_INDEX):
        return ERROR_NOT_FOUND if luid or index else ERROR_INVALID_PARAMETER
    p.mm.write(Row, bytes(_if_row()))
    return 0


def _families(family: int) -> tuple:
    return {0: (AF_INET, AF_INET6), AF_INET: (AF_INET,), WIN_AF_INET6: (AF_INET6,)}.get(family)


def sys_iphlpapi_GetUnicastIpAddressTable(p, Family, Table):
    families = _families(Family)
    if families is None or not Table:
        return ERROR_INVALID_PARAMETER
    rows = []
    for fam, ip, prefix in ADDRESSES:
        if fam in families:
            row = UnicastRow(InterfaceLuid=LOOPBACK_LUID, InterfaceIndex=LOOPBACK_INDEX,
                             PrefixOrigin=2, SuffixOrigin=2, ValidLifetime=0xFFFFFFFF,
                             PreferredLifetime=0xFFFFFFFF, OnLinkPrefixLength=prefix,
                             DadState=4)                         # well-known, preferred
            raw = sockaddr_bytes(fam, InetAddr(ip, 0))
            row.Address[:len(raw)] = list(raw)
            rows.append(row)
    abi.write_ptr(p, Table, _table(p, rows, UnicastRow))
    return 0


def sys_iphlpapi_GetAnycastIpAddressTable(p, Family, Table):
    """No anycast addresses: an empty table (the row size does not matter then)."""
    if _families(Family) is None or not Table:
        return ERROR_INVALID_PARAMETER
    abi.write_ptr(p, Table, _table(p, [], UnicastRow))
    return 0


def sys_iphlpapi_GetMulticastIpAddressTable(p, Family, Table):
    return sys_iphlpapi_GetAnycastIpAddressTable(p, Family, Table)


def sys_iphlpapi_FreeMibTable(p, Memory):
    if Memory:
        p.win32.heap.free(Memory)


def sys_iphlpapi_ConvertInterfaceLuidToNameW(p, InterfaceLuid, InterfaceName, Length):
    if not InterfaceLuid or not InterfaceName:
        return ERROR_INVALID_PARAMETER
    if struct.unpack("<Q", p.mm.read(InterfaceLuid, 8))[0] != LOOPBACK_LUID:
        return ERROR_INVALID_PARAMETER
    data = (LOOPBACK_NAME + "\0").encode("utf-16-le")
    if Length < len(data) // 2:
        return ERROR_NOT_ENOUGH_MEMORY
    p.mm.write(InterfaceName, data)
    return 0



def sys_iphlpapi_ConvertInterfaceNameToLuidW(p, InterfaceName, InterfaceLuid):
    if not InterfaceName or not InterfaceLuid:
        return ERROR_INVALID_PARAMETER
    if read_wstr(p, InterfaceName).lower() != LOOPBACK_NAME:
        return ERROR_INVALID_PARAMETER
    p.mm.write(InterfaceLuid, struct.pack("<Q", LOOPBACK_LUID))
    return 0


def sys_iphlpapi_ConvertInterfaceIndexToLuid(p, InterfaceIndex, InterfaceLuid):
    if InterfaceIndex != LOOPBACK_INDEX or not InterfaceLuid:
        return ERROR_FILE_NOT_FOUND
    p.mm.write(InterfaceLuid, struct.pack("<Q", LOOPBACK_LUID))
    return 0



def sys_iphlpapi_ConvertInterfaceLuidToIndex(p, InterfaceLuid, InterfaceIndex):
    if not InterfaceLuid or not InterfaceIndex or \
            struct.unpack("<Q", p.mm.read(InterfaceLuid, 8))[0] != LOOPBACK_LUID:
        return ERROR_INVALID_PARAMETER
    p.mm.write_u32(InterfaceIndex, LOOPBACK_INDEX)
    return 0


def sys_iphlpapi_ConvertLengthToIpv4Mask(p, MaskLength, Mask):
    if MaskLength > 32:
        if Mask:
            p.mm.write_u32(Mask, 0xFFFFFFFF)                 # INADDR_NONE, as Windows
        return ERROR_INVALID_PARAMETER
    bits = (0xFFFFFFFF << (32 - MaskLength)) & 0xFFFFFFFF
    p.mm.write(Mask, bits.to_bytes(4, "big"))               # network byte order
    return 0


def sys_iphlpapi_NotifyAddrChange(p, Handle, overlapped):
    """Address changes never come (the loopback's addresses are fixed): a wait for one is not
    offered (ERROR_NOT_SUPPORTED), as on a system without the notification service."""
    return ERROR_NOT_SUPPORTED


def sys_iphlpapi_if_indextoname(p, InterfaceIndex, InterfaceName):
    """The loopback's NDIS name ("loopback_0", as Windows names it) into the caller's
    IF_NAMESIZE buffer; NULL for any other index."""
    if InterfaceIndex & 0xFFFFFFFF != LOOPBACK_INDEX or not InterfaceName:
        return 0
    p.mm.write(InterfaceName, LOOPBACK_NAME.encode() + b"\0")
    return InterfaceName


# --- GetNetworkParams ----------------------------------------------------------------------------

MAX_HOSTNAME_LEN, MAX_DOMAIN_NAME_LEN, MAX_SCOPE_ID_LEN = 128, 128, 256
DNS_SERVER = b"127.0.0.1"          # the machine answers its own names (its resolver's server)


def _fixed_info(word: int):
    """FIXED_INFO_W2KSP1 with word-sized pointers (MSVC's layout, as ctypes lays it out)."""
    ptr = ctypes.c_uint64 if word == 8 else ctypes.c_uint32

    class IpAddrString(ctypes.Structure):
        _fields_ = [("Next", ptr), ("IpAddress", ctypes.c_char * 16),
                    ("IpMask", ctypes.c_char * 16), ("Context", ctypes.c_uint32)]

    class FixedInfo(ctypes.Structure):
        _fields_ = [("HostName", ctypes.c_char * (MAX_HOSTNAME_LEN + 4)),
                    ("DomainName", ctypes.c_char * (MAX_DOMAIN_NAME_LEN + 4)),
                    ("CurrentDnsServer", ptr), ("DnsServerList", IpAddrString),
                    ("NodeType", ctypes.c_uint32),
                    ("ScopeId", ctypes.c_char * (MAX_SCOPE_ID_LEN + 4)),
                    ("EnableRouting", ctypes.c_uint32), ("EnableProxy", ctypes.c_uint32),
                    ("EnableDns", ctypes.c_uint32)]
    return FixedInfo


def sys_iphlpapi_GetNetworkParams(p, pFixedInfo, pOutBufLen):
    """The host name, no domain, and one DNS server, the machine itself (c-ares, Node's DNS
    resolver, reads its servers here and gives up when the call is missing)."""
    from .kernel32_system import host_name
    if not pOutBufLen:
        return ERROR_INVALID_PARAMETER
    info_type = _fixed_info(abi.word(p))
    size = ctypes.sizeof(info_type)
    have = p.mm.read_u32(pOutBufLen)
    if not pFixedInfo or have < size:
        p.mm.write_u32(pOutBufLen, size)
        return ERROR_BUFFER_OVERFLOW
    info = info_type()
    info.HostName = host_name(p).encode("ascii", "replace")[:MAX_HOSTNAME_LEN]
    info.DnsServerList.IpAddress = DNS_SERVER
    info.DnsServerList.IpMask = b"255.255.255.255"
    info.NodeType = 1                   # BROADCAST_NODETYPE
    info.EnableDns = 1
    p.mm.write(pFixedInfo, bytes(info))
    return 0
