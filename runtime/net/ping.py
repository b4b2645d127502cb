"""ICMP echo ("ping") sockets (net/ipv4/ping.c): socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)
and its IPv6 twin send echo requests without a raw socket. The socket is bound to an
identifier (its port) that the kernel writes into each request; the machine's ICMP layer
answers a request to one of its addresses at once (icmp_echo, icmpv6_echo_reply), and the
reply goes to the socket with that identifier, without IP header. Who may open one is
net.ipv4.ping_group_range's business (linux/socket.py)."""
from __future__ import annotations

import errno
import struct

from ..errors import BrokenPipe, KernelError
from .addr import AF_INET, InetAddr
from .inet import is_local
from .socket import MSG_OOB, DgramSocket

IPPROTO_ICMP, IPPROTO_ICMPV6 = 1, 58
ICMP_ECHOREPLY, ICMP_ECHO = 0, 8
ICMPV6_ECHO_REQUEST, ICMPV6_ECHO_REPLY = 128, 129
ICMP_HEADER = 8


def is_ping(family: int, protocol: int) -> bool:
    """Whether socket(family, SOCK_DGRAM, protocol) asks for a ping socket."""
    return protocol == (IPPROTO_ICMP if family == AF_INET else IPPROTO_ICMPV6)


def checksum(data: bytes) -> int:
    """The Internet checksum (RFC 1071) of data."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


class PingSocket(DgramSocket):
    """A ping socket: each send is one echo request, each message received one reply."""

    def send(self, data: bytes, flags: int, dest=None, anc=None, proc=None) -> int:
        # ping_common_sendmsg's checks, then ping_v4_sendmsg's / ping_v6_sendmsg's
        if len(data) > 0xFFFF:
            raise KernelError(errno.EMSGSIZE)
        if len(data) < ICMP_HEADER:
            raise KernelError(errno.EINVAL)
        if flags & MSG_OOB:
            raise KernelError(errno.EOPNOTSUPP)
        v4 = self.family == AF_INET
        if data[0] != (ICMP_ECHO if v4 else ICMPV6_ECHO_REQUEST) or data[1] != 0:
            raise KernelError(errno.EINVAL)
        if self.shut_wr:
            raise BrokenPipe()
        if self.so_error:
            raise KernelError(self.take_error())
        if dest is None:
            dest = self.peer_addr
            if dest is None:
                raise KernelError(errno.EDESTADDRREQ)
        if not v4 and dest.ip.version == 6 and dest.ip.ipv4_mapped is not None:
            raise KernelError(errno.EINVAL)      # ping_v6_sendmsg: no v4-mapped address
        ip = self.names._route(self, dest)
        if not is_local(ip):
            raise KernelError(errno.ENETUNREACH)
        if self.local is None:
            self.names.autobind(self, dest)
        source = self.names.source_for(self, dest)
        # the machine's echo reply: the request with its type turned, the socket's
        # identifier in it, and the checksum remade (ICMPv6's over its pseudo-header)
        reply = bytearray(data)
        reply[0] = ICMP_ECHOREPLY if v4 else ICMPV6_ECHO_REPLY
        reply[2:4] = b"\0\0"
        reply[4:6] = struct.pack("!H", self.local.port)
        if v4:
            summed = bytes(reply)
        else:
            summed = _v6_bytes(ip) + _v6_bytes(source.plain()) + \
                struct.pack("!I3xB", len(reply), IPPROTO_ICMPV6) + bytes(reply)
        reply[2:4] = struct.pack("!H", checksum(summed))
        if not self.shut_rd and self.rx.fits(len(reply)):    # from the address pinged
            self.rx.push(bytes(reply), {"dest": source}, InetAddr(ip, 0))
        return len(data)


def _v6_bytes(ip) -> bytes:
    return ip.packed if ip.version == 6 else bytes(10) + b"\xff\xff" + ip.packed
