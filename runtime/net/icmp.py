"""The machine's ICMP layer (net/ipv4/icmp.c, net/ipv6/icmp.c) and raw ICMP sockets
(net/ipv4/raw.c, net/ipv6/raw.c). An ICMP message sent to one of the machine's addresses
arrives on lo at once: every raw ICMP socket of its family that hears it gets a copy (an
IPv4 one with the IP header the packet had, an IPv6 one without), an echo request is
answered with an echo reply that arrives the same way, and an echo reply goes to the ping
socket with its identifier (ping.py)."""
from __future__ import annotations

import errno
import itertools
import struct

from ..errors import BrokenPipe, KernelError
from .addr import AF_INET, AF_INET6, InetAddr
from .inet import is_local
from .socket import MSG_OOB, DgramSocket

IPPROTO_ICMP, IPPROTO_ICMPV6 = 1, 58
ICMP_ECHOREPLY, ICMP_ECHO = 0, 8
ICMPV6_ECHO_REQUEST, ICMPV6_ECHO_REPLY = 128, 129
ICMP_HEADER = 8
DEFAULT_TTL = 64          # net.ipv4.ip_default_ttl, IPv6's hop limit on lo
SOL_RAW, ICMP_FILTER = 255, 1       # raw_setsockopt: the IPv4 types a raw socket drops
ICMP6_FILTER = 1                    # at level IPPROTO_ICMPV6: the ICMPv6 types it drops
IPV6_CHECKSUM = 7                   # at SOL_RAW: where an ICMPv6 socket's checksum goes
IP_DF = 0x4000

_ip_ids = itertools.count(1)        # the IPv4 header's identification


def checksum(data: bytes) -> int:
    """The Internet checksum (RFC 1071) of data."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def _v6_bytes(ip) -> bytes:
    return ip.packed if ip.version == 6 else bytes(10) + b"\xff\xff" + ip.packed


def with_checksum(message: bytes, src, dst) -> bytes:
    """message with its checksum made: ICMP's over the message, ICMPv6's over its
    pseudo-header too (src and dst are the packet's addresses)."""
    out = bytearray(message)
    out[2:4] = b"\0\0"
    summed = bytes(out) if dst.version == 4 else \
        _v6_bytes(src) + _v6_bytes(dst) + struct.pack("!I3xB", len(out), IPPROTO_ICMPV6) + out
    out[2:4] = struct.pack("!H", checksum(summed))
    return bytes(out)


def _checksum_right(message: bytes, src, dst) -> bool:
    return with_checksum(message, src, dst)[2:4] == message[2:4]


def header_fields(dst, ttl: int) -> dict:
    """What a receiver's IP_PKTINFO and IP_RECVTTL (IPV6_RECVHOPLIMIT) hear of a packet."""
    return {"dest": InetAddr(dst, 0), "ttl" if dst.version == 4 else "hops": ttl}


def receive(inet, src, dst, message: bytes, ttl: int = DEFAULT_TTL) -> None:
    """An ICMP message from src arrived for dst (one of the machine's addresses, both of
    one IP version): icmp_rcv and icmpv6_rcv."""
    v4 = dst.version == 4
    for sock in list(inet.raw):                  # raw_v4_input / ipv6_raw_deliver
        if sock.closed:
            inet.raw.remove(sock)
        elif sock.hears(src, dst, message):
            sock.deliver(src, dst, message, ttl)
    if len(message) < ICMP_HEADER or message[1] != 0 or not _checksum_right(message, src, dst):
        return                                   # (a bad checksum is dropped here)
    if message[0] == (ICMP_ECHO if v4 else ICMPV6_ECHO_REQUEST):
        reply = bytes([ICMP_ECHOREPLY if v4 else ICMPV6_ECHO_REPLY]) + message[1:]
        receive(inet, dst, src, with_checksum(reply, dst, src))
    elif message[0] == (ICMP_ECHOREPLY if v4 else ICMPV6_ECHO_REPLY):
        ident = struct.unpack("!H", message[4:6])[0]
        for sock in inet.bound["ping"].get(ident, ()):          # ping_rcv
            if not sock.closed and sock.family == (AF_INET if v4 else AF_INET6) and \
                    not sock.shut_rd and sock.rx.fits(len(message)):
                sock.rx.push(message, header_fields(dst, ttl), InetAddr(src, 0))
                break


def send(sock, message: bytes, dest, checksummed: bool = True) -> None:
    """What a ping or raw socket's send puts on the wire, from the address routing picks:
    it arrives at once (nothing leaves the machine: ENETUNREACH). The kernel makes the
    checksum of a ping socket's message and of every ICMPv6 one."""
    inet = sock.names
    if sock.family == AF_INET6 and dest.ip.version == 6 and dest.ip.ipv4_mapped is not None:
        raise KernelError(errno.EINVAL)          # ping_v6_sendmsg, rawv6_sendmsg
    ip = inet._route(sock, dest)
    if not is_local(ip):
        raise KernelError(errno.ENETUNREACH)
    source = inet.source_for(sock, dest).plain() if sock.local is not None else \
        inet._facing(sock, dest)
    if source.version == 6 and source.ipv4_mapped is not None:
        source = source.ipv4_mapped
    if not checksummed or ip.version == 6:
        message = with_checksum(message, source, ip)
    ttl = sock.opts.get((0, 2)) if ip.version == 4 else sock.opts.get((41, 16))  # IP_TTL
    receive(inet, source, ip, message, DEFAULT_TTL if ttl is None or ttl < 0 else ttl)


class RawSocket(DgramSocket):
    """socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) or (AF_INET6, SOCK_RAW, IPPROTO_ICMPV6), for
    a process with CAP_NET_RAW: it sends ICMP messages as they are (ICMPv6's checksum
    made by the kernel) and hears every ICMP message that arrives."""

    def __init__(self, names, family, type_, protocol, creds):
        super().__init__(names, family, type_, protocol, creds)
        names.raw.append(self)

    def hears(self, src, dst, message: bytes) -> bool:
        """raw_v4_match / raw_v6_match and the socket's ICMP filter."""
        if (dst.version == 4) != (self.family == AF_INET) or self.shut_rd:
            return False
        if self.local is not None and not self.local.ip.is_unspecified and \
                self.local.plain() != dst:
            return False
        if self.peer_addr is not None and self.peer_addr.plain() != src:
            return False
        kind = message[0] if message else 0
        if self.family == AF_INET:
            blocked = int.from_bytes(self.opts.get((SOL_RAW, ICMP_FILTER), bytes(4)), "little")
            return not (kind < 32 and blocked >> kind & 1)
        blocked = self.opts.get((IPPROTO_ICMPV6, ICMP6_FILTER), bytes(32))
        return not blocked[kind >> 3] >> (kind & 7) & 1

    def deliver(self, src, dst, message: bytes, ttl: int) -> None:
        if self.family == AF_INET:
            header = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(message),
                                           next(_ip_ids) & 0xFFFF, IP_DF, ttl, IPPROTO_ICMP,
                                           0, src.packed, dst.packed))
            header[10:12] = struct.pack("!H", checksum(bytes(header)))
            packet = bytes(header) + message
        else:
            packet = message
        if self.rx.fits(len(packet)):
            self.rx.push(packet, header_fields(dst, ttl), InetAddr(src, 0))

    def send(self, data: bytes, flags: int, dest=None, anc=None, proc=None) -> int:
        if len(data) > 0xFFFF:
            raise KernelError(errno.EMSGSIZE)
        if flags & MSG_OOB:
            raise KernelError(errno.EOPNOTSUPP)
        if self.shut_wr:
            raise BrokenPipe()
        if self.so_error:
            raise KernelError(self.take_error())
        if dest is None:
            dest = self.peer_addr
            if dest is None:
                raise KernelError(errno.EDESTADDRREQ)
        if self.family == AF_INET6 and len(data) < 4:
            raise KernelError(errno.EINVAL)      # (no room for the checksum the kernel makes)
        send(self, data, dest)
        return len(data)
