"""Winsock's socket options and ioctls in Windows' numbering: an option with a Linux
counterpart that the machine's network acts on (SO_REUSEADDR, IPV6_V6ONLY, TCP_NODELAY,
the buffer sizes) is stored the way Linux stores it; Windows' own (the timeouts in
milliseconds, the accept and connect contexts, SO_PROTOCOL_INFO) are answered here."""
from __future__ import annotations

import struct
import uuid

from ..net.addr import AF_INET6
from ..net.socket import CONNECTED, LISTENING, StreamSocket
from .winsock import (SOCKET_ERROR, SOL_SOCKET, SO_RCVTIMEO, SO_SNDTIMEO, WIN_AF_INET6,
                      WSAEFAULT, WSAENOPROTOOPT, WSAEINVAL, WSAEOPNOTSUPP, WinsockError,
                      sock_of, winsock_call, WSA_OF_ERRNO)

IPPROTO_IP, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_IPV6 = 0, 6, 17, 41
SO_DEBUG, SO_ACCEPTCONN, SO_REUSEADDR, SO_KEEPALIVE = 0x1, 0x2, 0x4, 0x8
SO_DONTROUTE, SO_BROADCAST, SO_LINGER, SO_OOBINLINE = 0x10, 0x20, 0x80, 0x100
SO_DONTLINGER, SO_EXCLUSIVEADDRUSE = 0xFFFFFF7F, 0xFFFFFFFB
SO_SNDBUF, SO_RCVBUF, SO_ERROR, SO_TYPE = 0x1001, 0x1002, 0x1007, 0x1008
SO_MAX_MSG_SIZE, SO_PROTOCOL_INFOA, SO_PROTOCOL_INFOW = 0x2003, 0x2004, 0x2005
SO_UPDATE_ACCEPT_CONTEXT, SO_CONNECT_TIME, SO_UPDATE_CONNECT_CONTEXT = 0x700B, 0x700C, 0x7010
TCP_NODELAY, IPV6_V6ONLY = 1, 27
IP_MTU_DISCOVER, IPV6_MTU_DISCOVER, IP_PMTUDISC_MAX = 71, 71, 4
# Windows (level, option) -> Linux's, for what runtime/net reads or Linux guests share.
AS_LINUX = {
    (SOL_SOCKET, SO_REUSEADDR): (1, 2), (SOL_SOCKET, SO_KEEPALIVE): (1, 9),
    (SOL_SOCKET, SO_BROADCAST): (1, 6), (SOL_SOCKET, SO_OOBINLINE): (1, 10),
    (SOL_SOCKET, SO_DONTROUTE): (1, 5), (SOL_SOCKET, SO_DEBUG): (1, 1),
    (IPPROTO_TCP, TCP_NODELAY): (6, 1), (IPPROTO_IPV6, IPV6_V6ONLY): (41, 26),
}
# Options taken and given back as the program set them (with their default when unset).
KEPT = {
    (SOL_SOCKET, SO_EXCLUSIVEADDRUSE): 0, (SOL_SOCKET, SO_DONTLINGER): 1,
    (SOL_SOCKET, SO_RCVTIMEO): 0, (SOL_SOCKET, SO_SNDTIMEO): 0,
    (IPPROTO_TCP, 3): 7200, (IPPROTO_TCP, 16): 10, (IPPROTO_TCP, 17): 1,   # keep-alive
    (IPPROTO_TCP, 15): 0,                                                  # TCP_FASTOPEN
    (IPPROTO_IP, 4): 128, (IPPROTO_IP, 3): 0, (IPPROTO_IPV6, 4): 128,     # TTLs, IP_TOS
    (IPPROTO_IP, 9): 0, (IPPROTO_IP, 10): 1, (IPPROTO_IP, 11): 1,          # multicast
    (IPPROTO_IPV6, 9): 0, (IPPROTO_IPV6, 10): 1, (IPPROTO_IPV6, 11): 1,
    (IPPROTO_UDP, 1): 0,
    # don't-fragment, packet info and ECN reception (quic-go and msquic set them on their
    # UDP sockets and give up when both families refuse): kept, loopback never fragments
    (IPPROTO_IP, 14): 0, (IPPROTO_IPV6, 14): 0, (IPPROTO_IP, 19): 0, (IPPROTO_IPV6, 19): 0,
    (IPPROTO_IP, 50): 0, (IPPROTO_IPV6, 50): 0,
    # IP_MTU_DISCOVER/IPV6_MTU_DISCOVER (Windows 10): a PMTUD_STATE, IP_PMTUDISC_NOT_SET
    # unless set. Haskell's network sets IP_PMTUDISC_DO on every IPv4 socket; refused, it
    # closed the handle its Socket's finalizer later closed again (pandoc server's listener)
    (IPPROTO_IP, IP_MTU_DISCOVER): 0, (IPPROTO_IPV6, IPV6_MTU_DISCOVER): 0,
}
XP1_IFS_HANDLES, XP1_GUARANTEED_ORDER = 0x20000, 0x4


@winsock_call(SOCKET_ERROR)
def sys_ws2_32_setsockopt(p, s, level, optname, optval, optlen):
    sock = sock_of(p, s)
    key = (level & 0xFFFFFFFF, optname & 0xFFFFFFFF)
    if key in ((SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT), (SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT)):
        return 0     # AcceptEx/ConnectEx sockets are whole here already
    if optlen < 0 or (optlen and not optval):
        raise WinsockError(WSAEFAULT)
    raw = p.mm.read(optval, min(optlen, 64)) if optval else b""
    if key == (SOL_SOCKET, SO_LINGER):
        sock.opts[("win", SO_LINGER)] = raw[:4].ljust(4, b"\0")
        return 0
    value = int.from_bytes(raw[:4], "little") if len(raw) >= 4 else \
        (raw[0] if raw else 0)
    if key in ((SOL_SOCKET, SO_SNDBUF), (SOL_SOCKET, SO_RCVBUF)):
        size = max(min(value, 1 << 22), 4096)
        if optname == SO_RCVBUF:
            sock.rcvbuf = size
            if getattr(sock, "rx", None) is not None:
                sock.rx.capacity = size
        else:
            sock.sndbuf = size
        return 0
    if key == (IPPROTO_IPV6, IPV6_V6ONLY) and sock.local is not None:
        raise WinsockError(WSAEINVAL)           # fixed once bound
    linux = AS_LINUX.get(key)
    if linux is not None:
        sock.opts[linux] = 1 if value else 0
        return 0
    if key in ((IPPROTO_IP, IP_MTU_DISCOVER), (IPPROTO_IPV6, IPV6_MTU_DISCOVER)) and \
            value >= IP_PMTUDISC_MAX:
        raise WinsockError(WSAEINVAL)
    if key in KEPT:
        sock.opts[("win", key[1] if level == SOL_SOCKET else key)] = value
        return 0
    raise WinsockError(WSAENOPROTOOPT)


# The ProviderId of Windows' own TCP/IP provider (MSAFD Tcpip) for IPv4 and IPv6: libuv's
# uv_poll polls a socket with IOCTL_AFD_POLL only when its provider is one of these (else a
# thread per socket sits in select: Bun's servers did, and one stopped never let go).
MSAFD_PROVIDERS = {2: uuid.UUID("e70f1aa0-ab8b-11cf-8ca3-00805f48a192").bytes_le,
                   WIN_AF_INET6: uuid.UUID("f9eab0c0-26d4-11d0-bbbf-00aa006c34e4").bytes_le}


def protocol_info(sock) -> bytes:
    """WSAPROTOCOL_INFOW of the socket's provider: an IFS provider (its sockets are
    handles), which libuv checks before it trusts completion ports with them."""
    family = WIN_AF_INET6 if sock.family == AF_INET6 else sock.family
    stream = isinstance(sock, StreamSocket)
    flags1 = XP1_IFS_HANDLES | (XP1_GUARANTEED_ORDER | 0x2 if stream else 0x1)
    provider = MSAFD_PROVIDERS.get(family, bytes(16))
    head = struct.pack("<5I", flags1, 0, 0, 0, 0x8) + provider + struct.pack("<I", 1001)
    chain = struct.pack("<i", 1) + bytes(28)
    body = struct.pack("<9i", 2, family, 28, 16, sock.type, sock.protocol, 0, 0, 0) + \
        struct.pack("<i", 0) + struct.pack("<I", 0)
    name = ("MSAFD Tcpip [TCP/IP]" if stream else "MSAFD Tcpip [UDP/IP]").encode("utf-16-le")
    return head + chain + body + name.ljust(256 * 2, b"\0")


def _value(p, sock, level: int, optname: int) -> bytes:
    key = (level, optname)
    if level == SOL_SOCKET:
        fixed = {SO_TYPE: sock.type, SO_SNDBUF: sock.sndbuf, SO_RCVBUF: sock.rcvbuf,
                 SO_ACCEPTCONN: int(getattr(sock, "state", "") == LISTENING),
                 SO_MAX_MSG_SIZE: 0xFFFFFFFF if isinstance(sock, StreamSocket) else 65507,
                 SO_CONNECT_TIME: 0 if getattr(sock, "state", "") == CONNECTED else 0xFFFFFFFF}
        if optname == SO_ERROR:
            err = sock.take_error()
            return struct.pack("<i", WSA_OF_ERRNO.get(err, 0) if err else 0)
        if optname in fixed:
            return struct.pack("<I", fixed[optname] & 0xFFFFFFFF)
        if optname in (SO_PROTOCOL_INFOW, SO_PROTOCOL_INFOA):
            info = protocol_info(sock)
            if optname == SO_PROTOCOL_INFOA:     # the name in 256 narrow characters
                info = info[:116] + info[116:].decode("utf-16-le").encode("latin-1")
            return info
        if optname == SO_LINGER:
            return sock.opts.get(("win", SO_LINGER), bytes(4))
    linux = AS_LINUX.get(key)
    if linux is not None:
        default = 1 if key == (IPPROTO_IPV6, IPV6_V6ONLY) else 0
        return struct.pack("<I", sock.opts.get(linux, default))
    if key in KEPT:
        return struct.pack("<I", sock.opts.get(("win", optname if level == SOL_SOCKET else key),
                                               KEPT[key]) & 0xFFFFFFFF)
    raise WinsockError(WSAENOPROTOOPT)


@winsock_call(SOCKET_ERROR)
def sys_ws2_32_getsockopt(p, s, level, optname, optval, optlen):
    sock = sock_of(p, s)
    if not optval or not optlen:
        raise WinsockError(WSAEFAULT)
    room = struct.unpack("<i", p.mm.read(optlen, 4))[0]
    value = _value(p, sock, level & 0xFFFFFFFF, optname & 0xFFFFFFFF)
    if len(value) == 4 and room == 1:
        value = value[:1]          # a BOOL option may be read into one byte, as Windows allows
    elif room < len(value):
        raise WinsockError(WSAEFAULT)
    p.mm.write(optval, value)
    p.mm.write(optlen, struct.pack("<i", len(value)))
    return 0


FIONREAD, FIONBIO, SIOCATMARK = 0x4004667F, 0x8004667E, 0x40047307


def socket_ioctl(p, sock, cmd: int, arg: int) -> None:
    """The ioctls ioctlsocket and WSAIoctl share; WinsockError for any other."""
    from ..files import O_NONBLOCK
    if cmd == FIONBIO:
        if p.mm.read_u32(arg):
            sock.status_flags |= O_NONBLOCK
        else:
            sock.status_flags &= ~O_NONBLOCK
    elif cmd == FIONREAD:
        sock.sync()
        p.mm.write_u32(arg, sock.unread())
    elif cmd == SIOCATMARK:
        p.mm.write_u32(arg, 1)        # no urgent data ever waits
    else:
        raise WinsockError(WSAEOPNOTSUPP if cmd & 0x08000000 else WSAEINVAL)


@winsock_call(SOCKET_ERROR)
def sys_ws2_32_ioctlsocket(p, s, cmd, argp):
    sock = sock_of(p, s)
    if not argp:
        raise WinsockError(WSAEFAULT)
    socket_ioctl(p, sock, cmd & 0xFFFFFFFF, argp)
    return 0
