"""NETLINK_SOCK_DIAG (net/core/sock_diag.c, net/ipv4/inet_diag.c, net/unix/diag.c): the
dumps of the machine's sockets that iproute2's ss asks for before it falls back to
/proc/net (it printed "Cannot open netlink socket: Protocol not supported" first). The
sockets are those /proc/net lists: TCP and UDP ones that are bound, every unix one, each with
its state, queues, owner and inode (which ss -p finds in /proc/PID/fd)."""
from __future__ import annotations

import errno
import struct

from .addr import AF_INET, AF_INET6, AF_UNIX, IPPROTO_TCP, IPPROTO_UDP
from .netlink import (NLM_F_DUMP, NLM_F_MULTI, NLM_F_REQUEST, NLMSG_DONE, NetlinkSocket, _attr,
                      _message)
from .procnet import TCP_CLOSE, TCP_ESTABLISHED, TCP_LISTEN, open_sockets
from .socket import CONNECTED, LISTENING, StreamSocket

NETLINK_SOCK_DIAG = 4
SOCK_DIAG_BY_FAMILY, SOCK_DESTROY = 20, 21
TCPDIAG_GETSOCK, DCCPDIAG_GETSOCK = 18, 19
AF_MAX = 46
# struct inet_diag_req_v2: family, protocol, ext, pad, states, then struct inet_diag_sockid
INET_DIAG_REQ = struct.Struct("<BBBxI")
SOCKID = struct.Struct("!HH16s16s")            # sport, dport, src, dst (network order)
SOCKID_TAIL = struct.Struct("<III")            # if, cookie[2]
# struct inet_diag_msg: family, state, timer, retrans, sockid, expires, rqueue, wqueue, uid,
# inode
INET_DIAG_MSG_HEAD = struct.Struct("<BBBB")
INET_DIAG_MSG_TAIL = struct.Struct("<IIIII")
INET_DIAG_SHUTDOWN = 8
# struct unix_diag_req: family, protocol, pad, states, ino, show, cookie[2]
UNIX_DIAG_REQ = struct.Struct("<BBxxIIIII")
UNIX_DIAG_MSG = struct.Struct("<BBBxIII")      # family, type, state, ino, cookie[2]
UDIAG_SHOW_NAME, UDIAG_SHOW_VFS, UDIAG_SHOW_PEER = 0x1, 0x2, 0x4
UDIAG_SHOW_ICONS, UDIAG_SHOW_RQLEN, UDIAG_SHOW_UID = 0x8, 0x10, 0x40
UNIX_DIAG_NAME, UNIX_DIAG_VFS, UNIX_DIAG_PEER, UNIX_DIAG_ICONS = 0, 1, 2, 3
UNIX_DIAG_RQLEN, UNIX_DIAG_SHUTDOWN, UNIX_DIAG_UID = 4, 6, 7
SHUTDOWN_RCV, SHUTDOWN_SEND = 1, 2


def _state(sock) -> int:
    """The TCP state a socket reports (a datagram socket: established once connected)."""
    if isinstance(sock, StreamSocket):
        return {LISTENING: TCP_LISTEN, CONNECTED: TCP_ESTABLISHED}.get(sock.state, TCP_CLOSE)
    connected = sock.peer_addr is not None or getattr(sock, "peer", None) is not None
    return TCP_ESTABLISHED if connected else TCP_CLOSE


def _queues(sock) -> tuple[int, int]:
    """(rqueue, wqueue): a listener's accept queue and its limit, else the bytes unread and
    (unix) the bytes sent and not yet read by the peer; what TCP and UDP send on lo is
    delivered and acknowledged at once (tcp_diag_get_info: write_seq - snd_una is 0)."""
    if isinstance(sock, StreamSocket) and sock.state == LISTENING:
        return len(sock.backlog), sock.backlog_max
    rx = sock.rx.size if sock.rx is not None else 0
    tx = getattr(sock, "tx", None) if sock.family == AF_UNIX else None
    return rx, tx.size if tx is not None else 0


def _shutdown(sock) -> int:
    return (SHUTDOWN_RCV if sock.shut_rd else 0) | (SHUTDOWN_SEND if sock.shut_wr else 0)


def _v6_bytes(ip) -> bytes:
    return ip.packed if ip.version == 6 else ip.packed + bytes(12)


def _inet_msg(sock) -> bytes:
    """inet_sk_diag_fill: struct inet_diag_msg and INET_DIAG_SHUTDOWN."""
    peer = sock.peer_addr if _state(sock) == TCP_ESTABLISHED else None
    local = sock.local
    src = _v6_bytes(local.ip)
    dst = _v6_bytes(peer.ip) if peer is not None else bytes(16)
    rqueue, wqueue = _queues(sock)
    return (INET_DIAG_MSG_HEAD.pack(sock.family, _state(sock), 0, 0)
            + SOCKID.pack(local.port, peer.port if peer is not None else 0, src, dst)
            + SOCKID_TAIL.pack(0, sock.ino, 0)
            + INET_DIAG_MSG_TAIL.pack(0, rqueue, wqueue, sock.uid, sock.ino)
            + _attr(INET_DIAG_SHUTDOWN, bytes([_shutdown(sock)])))


def _unix_name(sock) -> bytes | None:
    name = sock.local
    if not name:
        return None
    return name if name[:1] == b"\0" else name + b"\0"     # a path's as bound, NUL-ended


def _unix_msg(sock, show: int) -> bytes:
    """sk_diag_fill: struct unix_diag_msg and the attributes show asks for."""
    body = UNIX_DIAG_MSG.pack(AF_UNIX, sock.type, _state(sock), sock.ino, sock.ino, 0)
    name = _unix_name(sock)
    if show & UDIAG_SHOW_NAME and name is not None:
        body += _attr(UNIX_DIAG_NAME, name)
    peer = getattr(sock, "peer", None)
    if show & UDIAG_SHOW_PEER and peer is not None:
        body += _attr(UNIX_DIAG_PEER, struct.pack("<I", peer.ino))
    if show & UDIAG_SHOW_ICONS and isinstance(sock, StreamSocket) and sock.state == LISTENING:
        body += _attr(UNIX_DIAG_ICONS, b"".join(
            struct.pack("<I", c.peer.ino if c.peer is not None else 0) for c in sock.backlog))
    if show & UDIAG_SHOW_RQLEN:
        body += _attr(UNIX_DIAG_RQLEN, struct.pack("<II", *_queues(sock)))
    if show & UDIAG_SHOW_UID:
        body += _attr(UNIX_DIAG_UID, struct.pack("<I", sock.uid))
    return body + _attr(UNIX_DIAG_SHUTDOWN, bytes([_shutdown(sock)]))


class SockDiagSocket(NetlinkSocket):
    """A NETLINK_SOCK_DIAG socket: SOCK_DIAG_BY_FAMILY dumps are answered at once."""

    def __init__(self, names, family, type_, protocol, creds, kernel):
        super().__init__(names, family, type_, protocol, creds)
        self.kernel = kernel

    def _answer(self, kind: int, flags: int, seq: int, body: bytes) -> None:
        if not flags & NLM_F_REQUEST:
            return
        if kind == SOCK_DESTROY:        # (a kernel built without INET_DIAG_DESTROY)
            self._fail(kind, flags, seq, body, errno.EOPNOTSUPP)
            return
        if kind in (TCPDIAG_GETSOCK, DCCPDIAG_GETSOCK):
            # the old requests: the machine has no DCCP, and ss asks TCP the new way
            self._fail(kind, flags, seq, body, errno.ENOENT)
            return
        if kind != SOCK_DIAG_BY_FAMILY or not body:
            self._fail(kind, flags, seq, body, errno.EINVAL)
            return
        family, dump = body[0], bool(flags & NLM_F_DUMP)
        if family in (AF_INET, AF_INET6) and len(body) >= INET_DIAG_REQ.size + SOCKID.size:
            _, protocol, _ext, states = INET_DIAG_REQ.unpack_from(body)
            stream = {IPPROTO_TCP: True, IPPROTO_UDP: False}.get(protocol)
            if stream is None:
                self._fail(kind, flags, seq, body, errno.ENOENT)    # no such handler
                return
            wanted = SOCKID.unpack_from(body, INET_DIAG_REQ.size)
            found = [_inet_msg(s) for s in open_sockets(self.kernel)
                     if s.family == family and s.stream == stream and s.local is not None
                     and s.protocol == protocol and states >> _state(s) & 1]
            if not dump:                # inet_diag_get_exact: the socket the id names
                found = [m for m in found if SOCKID.unpack_from(m, 4) == wanted][:1]
        elif family == AF_UNIX and len(body) >= UNIX_DIAG_REQ.size:
            _, _, states, ino, show, _, _ = UNIX_DIAG_REQ.unpack_from(body)
            found = [_unix_msg(s, show) for s in open_sockets(self.kernel)
                     if s.family == AF_UNIX and (states >> _state(s) & 1 or not dump)
                     and (dump or s.ino == ino)]
        else:                           # short, past AF_MAX, or a family with no handler
            short = family in (AF_INET, AF_INET6, AF_UNIX) or family >= AF_MAX
            self._fail(kind, flags, seq, body, errno.EINVAL if short else errno.ENOENT)
            return
        port = self.local[0]
        if not dump:
            if not found:
                self._fail(kind, flags, seq, body, errno.ENOENT)
            else:
                self._queue(_message(SOCK_DIAG_BY_FAMILY, 0, seq, port, found[0]))
            return
        for msg in found:
            self._queue(_message(SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, seq, port, msg))
        self._queue(_message(NLMSG_DONE, NLM_F_MULTI, seq, port, struct.pack("<i", 0)))
