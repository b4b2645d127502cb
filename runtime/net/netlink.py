"""AF_NETLINK with NETLINK_ROUTE (net/core/rtnetlink.c): the requests that tell a program
what network the machine has. The machine's network namespace has one interface, the
loopback (lo, 127.0.0.1/8 and ::1/128), and no routes to anywhere else, so glibc's
getifaddrs and if_nameindex, iproute2's `ip addr`, `ip link`, `ip route`, `ip rule` and `ip
route get`, and node's os.networkInterfaces() see that. Nothing can be changed (EPERM, as
without CAP_NET_ADMIN); groups may be joined, and nothing is ever sent to them (nothing
changes); NETLINK_SOCK_DIAG is sock_diag.py's, the other netlink protocols are
EPROTONOSUPPORT."""
from __future__ import annotations

import errno
import ipaddress
import itertools
import struct

from ..errors import KernelError
from .addr import AF_INET, AF_INET6, AF_NETLINK
from .socket import DgramSocket, release_ancillary

NETLINK_ROUTE = 0
SOL_NETLINK = 270
NLMSG = struct.Struct("<IHHII")        # len, type, flags, seq, pid
NLMSG_NOOP, NLMSG_ERROR, NLMSG_DONE = 1, 2, 3
NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK, NLM_F_DUMP = 0x1, 0x2, 0x4, 0x300
RTM_NEWLINK, RTM_GETLINK, RTM_NEWADDR, RTM_GETADDR = 16, 18, 20, 22
RTM_NEWROUTE, RTM_GETROUTE, RTM_GETNEIGH, RTM_GETRULE = 24, 26, 30, 34
RTM_GETQDISC, RTM_GETNETCONF = 38, 82
EMPTY_DUMPS = (RTM_GETNEIGH, RTM_GETQDISC, RTM_GETNETCONF)
IFINFOMSG = struct.Struct("<BxHiII")   # family, type, index, flags, change
IFADDRMSG = struct.Struct("<BBBBI")    # family, prefixlen, flags, scope, index
IFLA_ADDRESS, IFLA_BROADCAST, IFLA_IFNAME, IFLA_MTU, IFLA_QDISC, IFLA_STATS = 1, 2, 3, 4, 6, 7
IFLA_TXQLEN, IFLA_OPERSTATE, IFLA_LINKMODE, IFLA_GROUP, IFLA_STATS64 = 13, 16, 17, 27, 23
IFA_ADDRESS, IFA_LOCAL, IFA_LABEL, IFA_CACHEINFO, IFA_FLAGS = 1, 2, 3, 6, 8
FOREVER = 0xFFFFFFFF
IFF_UP, IFF_LOOPBACK, IFF_RUNNING, IFF_LOWER_UP = 0x1, 0x8, 0x40, 0x10000
IFA_F_PERMANENT, RT_SCOPE_HOST, ARPHRD_LOOPBACK = 0x80, 254, 772
LO_INDEX, LO_MTU = 1, 65536
LO_ADDRESSES = ((AF_INET, "127.0.0.1", 8), (AF_INET6, "::1", 128))


def _attr(kind: int, payload: bytes) -> bytes:
    """One struct rtattr, padded to 4 bytes."""
    size = 4 + len(payload)
    return struct.pack("<HH", size, kind) + payload + bytes(-size % 4)


def _attributes(data: bytes) -> dict[int, bytes]:
    """A request's struct rtattr list: type -> payload (a malformed one ends the list)."""
    found, at = {}, 0
    while at + 4 <= len(data):
        size, kind = struct.unpack_from("<HH", data, at)
        if size < 4 or at + size > len(data):
            break
        found[kind & 0x3FFF] = data[at + 4:at + size]
        at += (size + 3) & ~3
    return found


def _message(kind: int, flags: int, seq: int, port: int, body: bytes) -> bytes:
    size = NLMSG.size + len(body)
    return NLMSG.pack(size, kind, flags, seq, port) + body + bytes(-size % 4)


def _link() -> bytes:
    """lo's struct ifinfomsg and attributes (RTM_NEWLINK)."""
    flags = IFF_UP | IFF_LOOPBACK | IFF_RUNNING | IFF_LOWER_UP
    return (IFINFOMSG.pack(0, ARPHRD_LOOPBACK, LO_INDEX, flags, 0)
            + _attr(IFLA_IFNAME, b"lo\0") + _attr(IFLA_TXQLEN, struct.pack("<I", 1000))
            + _attr(IFLA_OPERSTATE, b"\0") + _attr(IFLA_LINKMODE, b"\0")
            + _attr(IFLA_MTU, struct.pack("<I", LO_MTU)) + _attr(IFLA_GROUP, bytes(4))
            + _attr(IFLA_QDISC, b"noqueue\0") + _attr(IFLA_STATS, bytes(23 * 4))
            + _attr(IFLA_STATS64, bytes(23 * 8))
            + _attr(IFLA_ADDRESS, bytes(6)) + _attr(IFLA_BROADCAST, bytes(6)))


def _address(family: int, ip: str, prefix: int) -> bytes:
    """One of lo's addresses: struct ifaddrmsg and attributes (RTM_NEWADDR)."""
    packed = ipaddress.ip_address(ip).packed
    body = IFADDRMSG.pack(family, prefix, IFA_F_PERMANENT, RT_SCOPE_HOST, LO_INDEX) + \
        _attr(IFA_ADDRESS, packed)
    if family == AF_INET:
        body += _attr(IFA_LOCAL, packed) + _attr(IFA_LABEL, b"lo\0")
    return body + _attr(IFA_FLAGS, struct.pack("<I", IFA_F_PERMANENT)) + \
        _attr(IFA_CACHEINFO, struct.pack("<IIII", FOREVER, FOREVER, 0, 0))


# Routes and rules: what the kernel makes for lo alone (fib_add_ifaddr, addrconf): the local
# table's loopback network, address and broadcast, ::1 in IPv6's; no route anywhere else.
RTMSG = struct.Struct("<BBBBBBBBI")    # family, dst_len, src_len, tos, table, protocol, scope,
FIB_RULE = RTMSG                       # type, flags (fib_rule_hdr has the same shape)
RTA_DST, RTA_SRC, RTA_OIF, RTA_PRIORITY, RTA_PREFSRC, RTA_CACHEINFO = 1, 2, 4, 6, 7, 12
RTA_TABLE, RTA_UID = 15, 25
FRA_PRIORITY, FRA_TABLE, FR_ACT_TO_TBL = 6, 15, 1
RT_TABLE_DEFAULT, RT_TABLE_MAIN, RT_TABLE_LOCAL, RTPROT_KERNEL = 253, 254, 255, 2
RT_SCOPE_UNIVERSE, RT_SCOPE_LINK = 0, 253
RTN_LOCAL, RTN_BROADCAST, RTM_F_CLONED = 2, 3, 0x200
LO_ROUTES = ((AF_INET, "127.0.0.0", 8, RT_SCOPE_HOST, RTN_LOCAL),
             (AF_INET, "127.0.0.1", 32, RT_SCOPE_HOST, RTN_LOCAL),
             (AF_INET, "127.255.255.255", 32, RT_SCOPE_LINK, RTN_BROADCAST),
             (AF_INET6, "::1", 128, RT_SCOPE_UNIVERSE, RTN_LOCAL))
RULES = {AF_INET: ((0, RT_TABLE_LOCAL), (32766, RT_TABLE_MAIN), (32767, RT_TABLE_DEFAULT)),
         AF_INET6: ((0, RT_TABLE_LOCAL), (32766, RT_TABLE_MAIN))}
LOOPBACK_SOURCE = {AF_INET: "127.0.0.1", AF_INET6: "::1"}


def _route(family: int, dst: str, length: int, scope: int, kind: int, flags: int = 0,
           table: int = RT_TABLE_LOCAL, src_len: int = 0) -> bytes:
    """One route (RTM_NEWROUTE): by default, of the local table."""
    protocol = 0 if flags & RTM_F_CLONED else RTPROT_KERNEL
    body = RTMSG.pack(family, length, src_len, 0, table, protocol, scope, kind, flags) + \
        _attr(RTA_TABLE, struct.pack("<I", table)) + \
        _attr(RTA_DST, ipaddress.ip_address(dst).packed)
    if family == AF_INET6:
        body += _attr(RTA_PRIORITY, bytes(4))
    else:
        body += _attr(RTA_PREFSRC, ipaddress.ip_address(LOOPBACK_SOURCE[family]).packed)
    return body + _attr(RTA_OIF, struct.pack("<I", LO_INDEX))


def _routes(family: int) -> list[bytes]:
    return [_route(f, dst, length, scope, kind) for f, dst, length, scope, kind in LO_ROUTES
            if family in (0, f)]


def _rules(family: int) -> list[bytes]:
    return [FIB_RULE.pack(f, 0, 0, 0, table if table < 256 else 0, 0, 0, FR_ACT_TO_TBL, 0)
            + _attr(FRA_TABLE, struct.pack("<I", table))
            + (_attr(FRA_PRIORITY, struct.pack("<I", priority)) if priority else b"")
            for f in (AF_INET, AF_INET6) if family in (0, f) for priority, table in RULES[f]]


def _route_to(body: bytes) -> bytes:
    """`ip route get`: a loopback destination is local; anything else has no route."""
    family = body[0] if body else AF_INET
    dst = _attributes(body[RTMSG.size:]).get(RTA_DST, b"")
    try:
        ip = ipaddress.ip_address(dst)
    except ValueError:
        raise KernelError(errno.EINVAL) from None
    if not ip.is_loopback or family not in LOOPBACK_SOURCE:
        raise KernelError(errno.ENETUNREACH)
    if family == AF_INET:
        # a cloned route from the main table, which holds the local one while no rule was
        # added (fib_trie's merged tables)
        found = _route(family, str(ip), 32, RT_SCOPE_HOST, RTN_LOCAL, RTM_F_CLONED,
                       RT_TABLE_MAIN)
    else:   # rt6_fill_node: the local table's route itself, "from ::", its preferred source
        found = _route(family, str(ip), 128, RT_SCOPE_UNIVERSE, RTN_LOCAL, src_len=128) + \
            _attr(RTA_SRC, bytes(16)) + _attr(RTA_PREFSRC, ip.packed)
    return found + _attr(RTA_CACHEINFO, bytes(32)) + _attr(RTA_UID, bytes(4))


class NetlinkNamespace:
    """Port ids of the machine's netlink sockets: a bound socket's is its own or the
    process id (the first socket of a process), else a negative unique one."""

    def __init__(self, budget):
        self.budget = budget
        self.ports: dict[int, "NetlinkSocket"] = {}
        self.spare = itertools.count(-4096, -1)

    def bind(self, s: "NetlinkSocket", value, proc, mode: int = 0) -> None:
        port, groups = value     # (groups are joined, and nothing is ever sent to them)
        if s.local is not None:
            if port and port != s.local[0]:
                raise KernelError(errno.EINVAL)
            return
        if port:
            if port in self.ports:
                raise KernelError(errno.EADDRINUSE)
            self._take(s, port)
        else:
            self.autobind(s, None, proc)

    def autobind(self, s: "NetlinkSocket", _dest=None, proc=None) -> None:
        if s.local is not None:
            return
        tgid = proc.tgid if proc is not None else s.creds[0]
        port = tgid if tgid not in self.ports else next(self.spare)
        while port in self.ports:
            port = next(self.spare)
        self._take(s, port)

    def _take(self, s: "NetlinkSocket", port: int) -> None:
        s.local = (port & 0xFFFFFFFF, 0)
        self.ports[s.local[0]] = s

    def unbind(self, s: "NetlinkSocket") -> None:
        if s.local is not None and self.ports.get(s.local[0]) is s:
            del self.ports[s.local[0]]


class NetlinkSocket(DgramSocket):
    """A NETLINK_ROUTE socket: each request sent to the kernel (port 0) is answered into
    this socket's queue at once."""

    def connect(self, addr, proc) -> None:
        if addr is not None and addr[0] != 0:
            raise KernelError(errno.ECONNREFUSED)
        self.names.autobind(self, None, proc)
        self.peer_addr = addr

    def send(self, data: bytes, flags: int, dest=None, anc=None, proc=None) -> int:
        release_ancillary(anc)                  # the kernel takes no descriptors (scm_destroy)
        if dest is not None and dest[0] != 0:
            raise KernelError(errno.ECONNREFUSED)   # only the kernel listens
        self.names.autobind(self, None, proc)
        offset = 0
        while offset + NLMSG.size <= len(data):
            size, kind, nflags, seq, _pid = NLMSG.unpack_from(data, offset)
            if size < NLMSG.size or offset + size > len(data):
                break
            self._answer(kind, nflags, seq, data[offset + NLMSG.size:offset + size])
            offset += (size + 3) & ~3
        return len(data)

    def _answer(self, kind: int, flags: int, seq: int, body: bytes) -> None:
        port = self.local[0]
        if not flags & NLM_F_REQUEST or kind < RTM_NEWLINK:
            return                               # not a request: the kernel ignores it
        replies, error = [], 0
        if kind == RTM_GETLINK:
            index = IFINFOMSG.unpack_from(body.ljust(IFINFOMSG.size, b"\0"))[2]
            name = _attributes(body[IFINFOMSG.size:]).get(IFLA_IFNAME, b"").rstrip(b"\0")
            if flags & NLM_F_DUMP or index == LO_INDEX or not index and name == b"lo":
                replies.append(_link())
            else:
                error = errno.ENODEV
        elif kind == RTM_GETADDR:
            family = body[0] if body else 0
            replies = [_address(f, ip, prefix) for f, ip, prefix in LO_ADDRESSES
                       if family in (0, f)]
            if not flags & NLM_F_DUMP:
                error, replies = errno.EOPNOTSUPP, []
        elif kind == RTM_GETROUTE and flags & NLM_F_DUMP:
            replies = _routes(body[0] if body else 0)
        elif kind == RTM_GETROUTE:
            try:
                replies = [_route_to(body)]
            except KernelError as exc:
                error = exc.errno
        elif kind == RTM_GETRULE and flags & NLM_F_DUMP:
            replies = _rules(body[0] if body else 0)
        elif kind in EMPTY_DUMPS and flags & NLM_F_DUMP:
            pass                                 # nothing but the loopback: no entries
        elif kind % 4 == 2 and kind < 128:       # another RTM_GET*
            error = errno.EOPNOTSUPP
        else:                                    # RTM_NEW*, RTM_DEL*, RTM_SET*
            error = errno.EPERM
        if flags & NLM_F_DUMP and not error:
            reply_kind = kind - 2
            for r in replies:
                self._queue(_message(reply_kind, NLM_F_MULTI, seq, port, r))
            self._queue(_message(NLMSG_DONE, NLM_F_MULTI, seq, port, struct.pack("<i", 0)))
            return
        for r in replies:
            self._queue(_message(kind - 2, 0, seq, port, r))
        if error or flags & NLM_F_ACK:
            self._fail(kind, flags, seq, body, error)

    def _fail(self, kind: int, flags: int, seq: int, body: bytes, error: int) -> None:
        """The NLMSG_ERROR answer to a request (an acknowledgement when error is 0)."""
        port = self.local[0]
        header = NLMSG.pack(NLMSG.size + len(body), kind, flags, seq, port)
        self._queue(_message(NLMSG_ERROR, 0, seq, port, struct.pack("<i", -error) + header))

    def _queue(self, message: bytes) -> None:
        if self.rx.fits(len(message)):
            self.rx.push(message, None, (0, 0))
        else:
            self.so_error = errno.ENOBUFS


def new_socket(names: NetlinkNamespace, type_: int, protocol: int, creds: tuple):
    """socket(AF_NETLINK, SOCK_RAW or SOCK_DGRAM, protocol)."""
    if type_ not in (2, 3):
        raise KernelError(errno.ESOCKTNOSUPPORT)
    if protocol != NETLINK_ROUTE:
        raise KernelError(errno.EPROTONOSUPPORT)
    return NetlinkSocket(names, AF_NETLINK, type_, protocol, creds)


def pack_address(value) -> bytes:
    port, groups = value if value is not None else (0, 0)
    return struct.pack("<HHII", AF_NETLINK, 0, port, groups)


def unpack_address(data: bytes):
    if len(data) < 12:
        raise KernelError(errno.EINVAL)
    port, groups = struct.unpack_from("<II", data, 4)
    return port, groups
