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
from .addr import AF_INET
from .icmp import ICMP_ECHO, ICMP_HEADER, ICMPV6_ECHO_REQUEST, IPPROTO_ICMP, IPPROTO_ICMPV6, send
from .socket import MSG_OOB, DgramSocket


def is_ping(family: int, protocol: int) -> bool:
    """Whether socket(family, SOCK_DGRAM, protocol) asks for a ping socket."""
    return protocol == (IPPROTO_ICMP if family == AF_INET else IPPROTO_ICMPV6)


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
        if self.local is None:
            self.names.autobind(self, dest)
        # the socket's identifier in the request, and its checksum the kernel's
        request = data[:4] + struct.pack("!H", self.local.port) + data[6:]
        send(self, request, dest, checksummed=False)
        return len(data)
