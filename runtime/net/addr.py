"""Socket address families and struct sockaddr in the guest's layout: what a sockaddr_un,
sockaddr_in or sockaddr_in6 says, turned into a Python value and back."""
from __future__ import annotations

import errno
import ipaddress
import struct

from ..errors import KernelError

AF_UNSPEC, AF_UNIX, AF_INET, AF_INET6, AF_NETLINK = 0, 1, 2, 10, 16
SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, SOCK_SEQPACKET = 1, 2, 3, 5
SOCK_TYPE_MASK = 0xF
SOCK_NONBLOCK, SOCK_CLOEXEC = 0o4000, 0o2000000
IPPROTO_IP, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_IPV6 = 0, 6, 17, 41
UNIX_PATH_MAX = 108
FAMILY_NAMES = {AF_UNSPEC: "AF_UNSPEC", AF_UNIX: "AF_UNIX", AF_INET: "AF_INET",
                AF_INET6: "AF_INET6", AF_NETLINK: "AF_NETLINK"}

IPv4 = ipaddress.IPv4Address
IPv6 = ipaddress.IPv6Address
ANY4, ANY6 = IPv4("0.0.0.0"), IPv6("::")
LOOPBACK4, LOOPBACK6 = IPv4("127.0.0.1"), IPv6("::1")


class InetAddr(tuple):
    """(ip, port) of AF_INET or AF_INET6; v4-mapped v6 addresses keep their family."""

    __slots__ = ()

    def __new__(cls, ip, port: int, flowinfo: int = 0, scope: int = 0):
        return super().__new__(cls, (ip, port, flowinfo, scope))

    ip = property(lambda self: self[0])
    port = property(lambda self: self[1])

    @property
    def family(self) -> int:
        return AF_INET if self.ip.version == 4 else AF_INET6

    def plain(self):
        """The address routing sees: v4-mapped v6 addresses as their IPv4 address."""
        ip = self.ip
        if ip.version == 6 and ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        return ip

    def __repr__(self):
        return f"{self.ip}:{self.port}" if self.ip.version == 4 else f"[{self.ip}]:{self.port}"


def unpack(data: bytes, expect: int | None = None):
    """A guest sockaddr -> (family, value): bytes path (b"" unnamed, b"\\0..." abstract) for
    AF_UNIX, InetAddr for AF_INET/AF_INET6. Bad lengths are EINVAL, as the kernel says."""
    if len(data) < 2:
        raise KernelError(errno.EINVAL)
    family = struct.unpack_from("<H", data)[0]
    if expect is not None and family != expect and not (family == AF_UNSPEC):
        raise KernelError(errno.EAFNOSUPPORT if expect != AF_UNIX else errno.EINVAL)
    if family == AF_UNIX:
        path = data[2:2 + UNIX_PATH_MAX]
        if path[:1] != b"\0":
            path = path.split(b"\0", 1)[0]
        return family, path
    if family == AF_INET:
        if len(data) < 16:
            raise KernelError(errno.EINVAL)
        port = struct.unpack_from(">H", data, 2)[0]
        return family, InetAddr(IPv4(data[4:8]), port)
    if family == AF_INET6:
        if len(data) < 24:
            raise KernelError(errno.EINVAL)
        port, flow = struct.unpack_from(">HI", data, 2)
        scope = struct.unpack_from("<I", data, 24)[0] if len(data) >= 28 else 0
        return family, InetAddr(IPv6(data[8:24]), port, flow, scope)
    if family == AF_UNSPEC:
        return family, None
    if family == AF_NETLINK:
        from .netlink import unpack_address
        return family, unpack_address(data)
    raise KernelError(errno.EAFNOSUPPORT)


def pack(family: int, value) -> bytes:
    """A Python address -> the guest's struct sockaddr (length as the kernel reports it)."""
    if family == AF_UNIX:
        path = value or b""
        return struct.pack("<H", AF_UNIX) + path + (b"\0" if path and path[:1] != b"\0" else b"")
    if family == AF_INET:
        ip = value.plain() if value.ip.version == 6 else value.ip
        return struct.pack("<H", AF_INET) + struct.pack(">H", value.port) + ip.packed + bytes(8)
    if family == AF_INET6:
        ip = value.ip if value.ip.version == 6 else IPv6("::ffff:" + str(value.ip))
        return struct.pack("<H", AF_INET6) + struct.pack(">HI", value.port, value[2]) + \
            ip.packed + struct.pack("<I", value[3])
    if family == AF_NETLINK:
        from .netlink import pack_address
        return pack_address(value)
    return struct.pack("<H", family)


def describe(data: bytes) -> str:
    """A sockaddr as strace prints it: {sa_family=AF_INET, sin_port=htons(80), ...}."""
    try:
        family, value = unpack(data)
    except KernelError:
        family, value = (struct.unpack_from("<H", data)[0] if len(data) >= 2 else -1), None
    name = FAMILY_NAMES.get(family, str(family))
    if family == AF_UNIX:
        from ..trace import quote
        if not value:
            return "{sa_family=AF_UNIX}"
        if value[:1] == b"\0":
            return f"{{sa_family=AF_UNIX, sun_path=@{quote(value[1:], 108)}}}"
        return f"{{sa_family=AF_UNIX, sun_path={quote(value, 108)}}}"
    if family == AF_INET and value is not None:
        return f'{{sa_family=AF_INET, sin_port=htons({value.port}), ' \
               f'sin_addr=inet_addr("{value.ip}")}}'
    if family == AF_INET6 and value is not None:
        return f'{{sa_family=AF_INET6, sin6_port=htons({value.port}), ' \
               f'sin6_flowinfo=htonl({value[2]}), inet_pton(AF_INET6, "{value.ip}"), ' \
               f'sin6_scope_id={value[3]}}}'
    return f"{{sa_family={name}}}"
