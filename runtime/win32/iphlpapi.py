"""iphlpapi.dll: the machine's network interfaces as Windows lists them. The machine has one,
its loopback (127.0.0.1/8 and ::1/128), the interface its Linux guests see as `lo`;
GetAdaptersAddresses lays it out as IP_ADAPTER_ADDRESSES_LH (libuv's interface list, Node's
os.networkInterfaces and its connect's address selection read it)."""
from __future__ import annotations

import ctypes

from ..net.addr import AF_INET, AF_INET6, IPv4, IPv6, InetAddr
from ..nt import abi
from .winsock import WIN_AF_INET6, sockaddr_bytes

ERROR_BUFFER_OVERFLOW, ERROR_INVALID_PARAMETER, ERROR_NO_DATA = 111, 87, 232
IF_TYPE_SOFTWARE_LOOPBACK, IF_OPER_STATUS_UP = 24, 1
LOOPBACK_INDEX = 1
ADDRESSES = ((AF_INET, IPv4("127.0.0.1"), 8), (AF_INET6, IPv6("::1"), 128))
FRIENDLY_NAME = "Loopback Pseudo-Interface 1"
DESCRIPTION = "Software Loopback Interface 1"
LOOPBACK_LUID = (IF_TYPE_SOFTWARE_LOOPBACK << 48) | 1     # NET_LUID: IfType in the top 16 bits
ADAPTER_NAME = b"{6B6A4C2D-0000-4000-8000-000000000001}"


def _layouts(word: int):
    """IP_ADAPTER_ADDRESSES_LH and IP_ADAPTER_UNICAST_ADDRESS_LH with word-sized pointers,
    laid out by ctypes' C rules (which MSVC's agree with for these types)."""
    ptr = ctypes.c_uint64 if word == 8 else ctypes.c_uint32
    u32, u64 = ctypes.c_uint32, ctypes.c_uint64

    class SocketAddress(ctypes.Structure):
        _fields_ = [("lpSockaddr", ptr), ("iSockaddrLength", ctypes.c_int32)]

    class Unicast(ctypes.Structure):
        _fields_ = [("Length", u32), ("Flags", u32), ("Next", ptr), ("Address", SocketAddress),
                    ("PrefixOrigin", u32), ("SuffixOrigin", u32), ("DadState", u32),
                    ("ValidLifetime", u32), ("PreferredLifetime", u32), ("LeaseLifetime", u32),
                    ("OnLinkPrefixLength", ctypes.c_uint8)]
        _pack_ = 8

    class Adapter(ctypes.Structure):
        _fields_ = [("Length", u32), ("IfIndex", u32), ("Next", ptr), ("AdapterName", ptr),
                    ("FirstUnicastAddress", ptr), ("FirstAnycastAddress", ptr),
                    ("FirstMulticastAddress", ptr), ("FirstDnsServerAddress", ptr),
                    ("DnsSuffix", ptr), ("Description", ptr), ("FriendlyName", ptr),
                    ("PhysicalAddress", ctypes.c_uint8 * 8), ("PhysicalAddressLength", u32),
                    ("Flags", u32), ("Mtu", u32), ("IfType", u32), ("OperStatus", u32),
                    ("Ipv6IfIndex", u32), ("ZoneIndices", u32 * 16), ("FirstPrefix", ptr),
                    ("TransmitLinkSpeed", u64), ("ReceiveLinkSpeed", u64),
                    ("FirstWinsServerAddress", ptr), ("FirstGatewayAddress", ptr),
                    ("Ipv4Metric", u32), ("Ipv6Metric", u32), ("Luid", u64),
                    ("Dhcpv4Server", SocketAddress), ("CompartmentId", u32),
                    ("NetworkGuid", ctypes.c_uint8 * 16), ("ConnectionType", u32),
                    ("TunnelType", u32), ("Dhcpv6Server", SocketAddress),
                    ("Dhcpv6ClientDuid", ctypes.c_uint8 * 130), ("Dhcpv6ClientDuidLength", u32),
                    ("Dhcpv6Iaid", u32), ("FirstDnsSuffix", ptr)]
        _pack_ = 8

    return Adapter, Unicast


def _addresses(family: int):
    wanted = {0: (AF_INET, AF_INET6), AF_INET: (AF_INET,), WIN_AF_INET6: (AF_INET6,)}
    return [a for a in ADDRESSES if a[0] in wanted.get(family, ())]


def sys_iphlpapi_GetAdaptersAddresses(p, Family, Flags, Reserved, AdapterAddresses,
                                      SizePointer):
    if not SizePointer or Family not in (0, AF_INET, WIN_AF_INET6):
        return ERROR_INVALID_PARAMETER
    addresses = _addresses(Family)
    if not addresses:
        return ERROR_NO_DATA
    Adapter, Unicast = _layouts(abi.word(p))
    texts = [FRIENDLY_NAME.encode("utf-16-le") + b"\0\0", b"\0\0",
             DESCRIPTION.encode("utf-16-le") + b"\0\0", ADAPTER_NAME + b"\0"]
    sockaddrs = [sockaddr_bytes(fam, InetAddr(ip, 0)) for fam, ip, _ in addresses]
    size = ctypes.sizeof(Adapter) + len(addresses) * ctypes.sizeof(Unicast) + \
        sum(len(s) for s in sockaddrs) + sum(len(t) for t in texts)
    size = (size + 7) & ~7
    room = p.mm.read_u32(SizePointer)
    if not AdapterAddresses or room < size:
        p.mm.write_u32(SizePointer, size)
        return ERROR_BUFFER_OVERFLOW
    base = AdapterAddresses
    at = base + ctypes.sizeof(Adapter)
    unicast_at = at
    at += len(addresses) * ctypes.sizeof(Unicast)
    blob = bytearray()
    for i, ((_, _, prefix), raw) in enumerate(zip(addresses, sockaddrs)):
        u = Unicast(Length=ctypes.sizeof(Unicast), Flags=0,
                    Next=unicast_at + (i + 1) * ctypes.sizeof(Unicast)
                    if i + 1 < len(addresses) else 0,
                    PrefixOrigin=2, SuffixOrigin=2, DadState=4,          # well-known, preferred
                    ValidLifetime=0xFFFFFFFF, PreferredLifetime=0xFFFFFFFF,
                    LeaseLifetime=0xFFFFFFFF, OnLinkPrefixLength=prefix)
        u.Address.lpSockaddr = at + len(blob)
        u.Address.iSockaddrLength = len(raw)
        blob += raw
        p.mm.write(unicast_at + i * ctypes.sizeof(Unicast), bytes(u))
    text_at = []
    for t in texts:
        text_at.append(at + len(blob))
        blob += t
    p.mm.write(at, bytes(blob))
    a = Adapter(Length=ctypes.sizeof(Adapter), IfIndex=LOOPBACK_INDEX, Next=0,
                AdapterName=text_at[3], FirstUnicastAddress=unicast_at,
                DnsSuffix=text_at[1], Description=text_at[2], FriendlyName=text_at[0],
                PhysicalAddressLength=0, Flags=0x80 | 0x100,          # IPv4 and IPv6 enabled
                Mtu=0xFFFFFFFF, IfType=IF_TYPE_SOFTWARE_LOOPBACK, OperStatus=IF_OPER_STATUS_UP,
                Ipv6IfIndex=LOOPBACK_INDEX, TransmitLinkSpeed=1_073_741_824,
                ReceiveLinkSpeed=1_073_741_824, Ipv4Metric=75, Ipv6Metric=75,
                Luid=LOOPBACK_LUID, CompartmentId=1, ConnectionType=1)
    p.mm.write(base, bytes(a))
    p.mm.write_u32(SizePointer, size)
    return 0


def sys_iphlpapi_if_nametoindex(p, InterfaceName):
    """The loopback's index for its names (Linux's "lo" too); 0 for any other."""
    name = p.mm.read_cstr(InterfaceName).decode("latin-1") if InterfaceName else ""
    return LOOPBACK_INDEX if name.lower() in ("lo", "loopback_0", "loopback pseudo-interface 1") \
        else 0
