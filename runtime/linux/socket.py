"""Linux socket calls over the machine's network (runtime/net): argument layouts (sockaddr,
msghdr, cmsghdr, option values), blocking and O_NONBLOCK, SIGPIPE; i386's socketcall
multiplexer. What a socket does lives in runtime/net; this module only speaks the ABI."""
from __future__ import annotations

import errno
import struct

from .. import readiness, signals
from ..errors import BrokenPipe, KernelError, WouldBlock
from ..files import O_NONBLOCK
from ..block import kept_deadline
from ..kernel import Block
from ..net import network
from ..net.addr import (AF_INET, AF_INET6, AF_NETLINK, AF_UNIX, AF_UNSPEC, IPPROTO_IP,
                        IPPROTO_IPV6, IPPROTO_TCP, SOCK_CLOEXEC, SOCK_DGRAM, SOCK_NONBLOCK,
                        SOCK_RAW, SOCK_TYPE_MASK, pack, unpack)
from ..net.inet import is_local
from ..net.netlink import SOL_NETLINK
from ..net.icmp import (ICMP6_FILTER, ICMP_FILTER, IPPROTO_ICMPV6, IPV6_CHECKSUM, SOL_RAW,
                        RawSocket)
from ..net.ping import is_ping
from ..net.socket import (CONNECTED, LISTENING, MSG_CMSG_CLOEXEC, MSG_CTRUNC, MSG_DONTWAIT,
                          MSG_FASTOPEN, MSG_NOSIGNAL, MSG_OOB, MSG_TRUNC, MSG_WAITALL, UNCONNECTED,
                          DgramSocket, Socket, StreamSocket, release_ancillary)
from ..net.queue import MAX_CAPACITY
from .cred import cred_of
from .fs import _gather, _iovecs

SOL_SOCKET, SCM_RIGHTS, SCM_CREDENTIALS = 1, 1, 2
SO_TYPE, SO_ERROR, SO_SNDBUF, SO_RCVBUF, SO_LINGER = 3, 4, 7, 8, 13
SO_PASSCRED, SO_PEERCRED, SO_RCVTIMEO, SO_SNDTIMEO = 16, 17, 20, 21
TIMEO_NEW = {SO_RCVTIMEO: 66, SO_SNDTIMEO: 67}     # the 64-bit time_t forms (i386 time64)
SO_ACCEPTCONN, SO_SNDBUFFORCE, SO_RCVBUFFORCE, SO_PROTOCOL, SO_DOMAIN = 30, 32, 33, 38, 39
TCP_INFO = 11
SCM_MAX_FD = 253
MAX_SOCKADDR = 128
SEND_MAX = 1 << 26   # one send's bytes pass through host memory: larger sends are short
# Integer options a program may set and read back, with Linux's defaults.
SO_BINDTODEVICE, SO_COOKIE, TCP_CONGESTION, TCP_MAXSEG = 25, 57, 13, 2
SO_PRIORITY, SO_MARK = 12, 36
TCP_FASTOPEN, TCP_FASTOPEN_CONNECT = 23, 30
TCP_DEFER_ACCEPT, TCP_RTO_MAX = 9, 120
TC_PRIO_INTERACTIVE = 6              # the highest SO_PRIORITY anyone may set
IP_UNPRIVILEGED_PORT_START = 1024    # net.ipv4.ip_unprivileged_port_start
CAP_NET_BIND_SERVICE, CAP_NET_ADMIN, CAP_NET_RAW = 10, 12, 13
AF_PACKET = 17
TCP_MSS_DEFAULT = 536
TCP_MIN_MSS, MAX_TCP_WINDOW = 88, 32767   # TCP_MAXSEG's range (0: the default)
INT_OPTIONS = {
    SOL_SOCKET: {1: 0, 2: 0, 5: 0, 6: 0, 9: 0, 10: 0, 11: 0, 12: 0, 15: 0, SO_PASSCRED: 0,
                 18: 1, 19: 1, 29: 0, 34: 0, 35: 0, 36: 0, 46: 0, 60: 0,
                 42: -1 & 0xFFFFFFFF,    # SO_PEEK_OFF: off
                 49: -1 & 0xFFFFFFFF,    # SO_INCOMING_CPU: none recorded
                 56: 0},                 # SO_INCOMING_NAPI_ID
    IPPROTO_TCP: {1: 0, 2: 65483, 3: 0, 4: 7200, 5: 75, 6: 9, 7: 6, 8: 60, 9: 0, 10: 0,
                  12: 1, 18: 0, 23: 0, 25: -1 & 0xFFFFFFFF, 30: 0},
    IPPROTO_IP: {1: 0, 2: 64, 3: 0, 7: 0, 8: 0, 10: 0, 11: 0, 12: 0, 13: 0, 14: 1500, 15: 0,
                 32: 0, 33: 1, 34: 1, 49: 0},
    IPPROTO_IPV6: {16: 64, 17: 0, 18: 1, 19: 1, 23: 0, 25: 0, 26: 0, 49: 0, 67: 0},
    SOL_NETLINK: {1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 8: 0, 10: 0, 11: 0, 12: 0},
}


def _creds(p) -> tuple:
    """What a peer's SO_PEERCRED says of p: its pid, effective uid and gid (cred_to_ucred)."""
    c = cred_of(p)
    return (p.tgid, c.euid, c.egid)


def _sender_creds(p) -> tuple:
    """What SO_PASSCRED's receiver hears of a sender that sent none: its pid, real uid and
    gid (scm_send's default)."""
    c = cred_of(p)
    return (p.tgid, c.uid, c.gid)


def _tcp(s) -> bool:
    return isinstance(s, StreamSocket) and s.family in (AF_INET, AF_INET6)


def _take_reset(s) -> int:
    """A reset that arrived is the socket's pending error (sk_err = ECONNRESET): the first
    read, write or SO_ERROR reports it, once; after it reads see the end and writes EPIPE."""
    if _tcp(s) and s.rx is not None and s.rx.reset:
        s.rx.reset = False
        s.rx.eof = True
        return errno.ECONNRESET
    return 0


def _sock(p, fd) -> Socket:
    f = p.fds.get(fd)
    if not isinstance(f, Socket):
        raise KernelError(errno.ENOTSOCK)
    return f


def _nonblocking(s, flags: int = 0) -> bool:
    return bool(s.status_flags & O_NONBLOCK or flags & MSG_DONTWAIT)


def _block(s, ready, p=None, optname: int = 0, what: str = ""):
    """Block until ready(); with SO_RCVTIMEO/SO_SNDTIMEO set, only until the timeout, after
    which the restarted call fails with EAGAIN (the deadline survives the restarts), and a
    signal ends it with EINTR, SA_RESTART or not."""
    timeout = _timeout(p, s, optname) if p is not None else None
    if timeout is None:
        return Block(ready, host_fds=readiness.host_fds(s))
    p.linux.sock_deadline, deadline = kept_deadline(p.linux.sock_deadline, (id(s), what),
                                                    timeout)
    if deadline is None:
        return KernelError(errno.EAGAIN)

    def interrupted() -> None:
        p.linux.sock_deadline = None
    # sock_intr_errno: a wait with a timeout is never restarted (EINTR even under SA_RESTART)
    return Block(ready, host_fds=readiness.host_fds(s), deadline=deadline, restartable=False,
                 on_interrupt=interrupted)


def _timeout(p, s, optname: int) -> float | None:
    """SO_RCVTIMEO / SO_SNDTIMEO in seconds, None when unset (or zero: wait for ever)."""
    raw = s.opts.get((SOL_SOCKET, optname)) or s.opts.get((SOL_SOCKET, TIMEO_NEW[optname]))
    if not raw:
        return None
    wide = p.sysvec.word_bits == 64 or len(raw) >= 16
    sec, usec = struct.unpack_from("<qq" if wide else "<ii", raw.ljust(16 if wide else 8, b"\0"))
    return sec + usec / 1e6 if sec > 0 or usec > 0 else None


def _install(p, s, flags: int) -> int:
    if flags & SOCK_NONBLOCK:
        s.status_flags |= O_NONBLOCK
    try:
        return p.fds.install(s, cloexec=bool(flags & SOCK_CLOEXEC))
    except KernelError:
        s.decref()
        raise


# --- addresses in guest memory -------------------------------------------------------------------

def _read_sockaddr(p, addr: int, addrlen: int):
    if addrlen < 0 or addrlen > MAX_SOCKADDR:
        raise KernelError(errno.EINVAL)
    if addrlen < 2:
        raise KernelError(errno.EINVAL)
    return unpack(p.mm.read(addr, addrlen))


def _write_sockaddr(p, addr: int, lenp: int, family: int, value) -> None:
    """Copy an address out as the kernel's move_addr_to_user: truncated to the caller's
    buffer, the full length written back."""
    if not addr or not lenp:
        return
    room = struct.unpack("<i", p.mm.read(lenp, 4))[0]
    if room < 0:
        raise KernelError(errno.EINVAL)
    data = pack(family, value)
    p.mm.write(addr, data[:room])
    p.mm.write(lenp, struct.pack("<i", len(data)))


def _dest(s, family: int, value):
    """A destination given to connect/sendto, checked against the socket's family."""
    if family == AF_UNSPEC:
        return None
    if family != s.family:
        raise KernelError(errno.EINVAL if s.family == AF_UNIX else errno.EAFNOSUPPORT)
    return value


# --- socket, socketpair, bind, listen ------------------------------------------------------------

def sys_socket(p, family, type_, protocol):
    flags = type_ & ~SOCK_TYPE_MASK
    if flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC):
        raise KernelError(errno.EINVAL)
    if family == AF_PACKET and 0 < type_ & SOCK_TYPE_MASK < 11 and \
            not cred_of(p).capable(CAP_NET_RAW):
        raise KernelError(errno.EPERM)   # packet_create: raw frames need CAP_NET_RAW
    if family in (AF_INET, AF_INET6) and type_ & SOCK_TYPE_MASK == SOCK_DGRAM and \
            is_ping(family, protocol):
        _ping_group_check(p)
    if family in (AF_INET, AF_INET6) and type_ & SOCK_TYPE_MASK == SOCK_RAW:
        if protocol == 0:
            raise KernelError(errno.EPROTONOSUPPORT)    # inet_create: no wildcard protocol
        if not cred_of(p).capable(CAP_NET_RAW):
            raise KernelError(errno.EPERM)
    s = network(p.kernel).socket(family, type_ & SOCK_TYPE_MASK, protocol, _creds(p))
    s.uid = cred_of(p).fsuid         # the socket inode's owner (sock_alloc: current_fsuid)
    return _install(p, s, flags)


def _ping_group_check(p) -> None:
    """ping_init_sock: a ping socket is for a process whose effective group, or one of its
    supplementary groups, is in net.ipv4.ping_group_range (EACCES)."""
    from ..procfs import sysctl
    try:      # (what root wrote: two numbers, else no group)
        low, high = (int(v) for v in str(sysctl(p.kernel, "net/ipv4/ping_group_range")).split())
    except ValueError:
        low, high = 1, 0
    cred = cred_of(p)
    if not any(low <= gid <= high for gid in (cred.egid, *cred.groups)):
        raise KernelError(errno.EACCES)


def sys_socketpair(p, family, type_, protocol, usockvec):
    flags = type_ & ~SOCK_TYPE_MASK
    if flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC):
        raise KernelError(errno.EINVAL)
    if family != AF_UNIX:
        net_family_ok = family in (AF_INET, AF_INET6)
        raise KernelError(errno.EOPNOTSUPP if net_family_ok else errno.EAFNOSUPPORT)
    net = network(p.kernel)
    a = net.socket(family, type_ & SOCK_TYPE_MASK, protocol, _creds(p))
    b = net.socket(family, type_ & SOCK_TYPE_MASK, protocol, _creds(p))
    a.uid = b.uid = cred_of(p).fsuid
    type(a).pair(a, b)
    fd_a = _install(p, a, flags)
    try:
        fd_b = _install(p, b, flags)
    except KernelError:
        p.fds.close(fd_a)
        raise
    try:
        p.mm.write(usockvec, struct.pack("<ii", fd_a, fd_b))
    except KernelError:
        p.fds.close(fd_a)
        p.fds.close(fd_b)
        raise
    return 0


def sys_bind(p, fd, umyaddr, addrlen):
    s = _sock(p, fd)
    family, value = _read_sockaddr(p, umyaddr, addrlen)
    if family == AF_UNSPEC and s.family == AF_INET:
        family, value = AF_INET, unpack(b"\x02\x00" + p.mm.read(umyaddr + 2, 14))[1]
    if family != s.family:
        raise KernelError(errno.EINVAL if s.family == AF_UNIX else errno.EAFNOSUPPORT)
    if s.family in (AF_INET, AF_INET6) and 0 < value.port < IP_UNPRIVILEGED_PORT_START \
            and not cred_of(p).capable(CAP_NET_BIND_SERVICE):
        if not is_local(value.plain()):
            raise KernelError(errno.EADDRNOTAVAIL)   # (__inet_bind checks the address first)
        raise KernelError(errno.EACCES)
    s.names.bind(s, value, p, mode=0o777 & ~p.linux.umask)
    return 0


def sys_listen(p, fd, backlog):
    s = _sock(p, fd)
    if not isinstance(s, StreamSocket):
        raise KernelError(errno.EOPNOTSUPP)
    if s.family == AF_UNIX and s.local is None:
        raise KernelError(errno.EINVAL)
    s.creds = _creds(p)              # what a connecting peer's SO_PEERCRED says (listen time)
    s.listen(backlog)
    return 0


# --- connect and accept --------------------------------------------------------------------------

def sys_connect(p, fd, uservaddr, addrlen):
    s = _sock(p, fd)
    family, value = _read_sockaddr(p, uservaddr, addrlen)
    if isinstance(s, DgramSocket):
        s.connect(_dest(s, family, value), p)
        return 0
    if family != s.family:
        raise KernelError(errno.EINVAL if s.family == AF_UNIX else errno.EAFNOSUPPORT)
    if s.in_progress and s.state == CONNECTED:
        s.in_progress = False       # the connect that finds the handshake done: 0, then EISCONN
        return 0
    _stream_connect(p, s, value, _nonblocking(s))
    return 0


def _stream_connect(p, s, value, nonblock: bool) -> None:
    """__inet_stream_connect and unix_stream_connect: connect(2)'s, or a Fast Open send's."""
    if s.so_error and s.state != CONNECTED:
        raise KernelError(s.take_error())   # how the last attempt ended (a refusal)
    if s.state != CONNECTED:
        s.creds = _creds(p)          # the listener's SO_PEERCRED: the connecting process
    try:
        s.connect(value, p)
    except KernelError as exc:
        if exc.errno != errno.ECONNREFUSED or not nonblock or s.family == AF_UNIX:
            raise
        # the peer's reset comes after the call, even on the loopback: EINPROGRESS now, the
        # refusal through poll (POLLERR) and SO_ERROR
        s.so_error = errno.ECONNREFUSED
        raise KernelError(errno.EINPROGRESS) from None
    except WouldBlock:
        if nonblock:
            raise KernelError(errno.EAGAIN if s.family == AF_UNIX else errno.EINPROGRESS) from None
        raise _block(s, lambda: s.closed or s.connect_ready(value, p)) from None
    if nonblock and s.family != AF_UNIX:
        # TCP's handshake never completes within the call, loopback included: the socket
        # is connected (writable) when the caller first looks
        s.in_progress = True
        raise KernelError(errno.EINPROGRESS)


def sys_accept4(p, fd, upeer_sockaddr, upeer_addrlen, flags):
    if flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC):
        raise KernelError(errno.EINVAL)
    s = _sock(p, fd)
    if not isinstance(s, StreamSocket):
        raise KernelError(errno.EOPNOTSUPP)
    if s.state != LISTENING:
        raise KernelError(errno.EINVAL)
    try:
        new = s.accept()
        p.linux.sock_deadline = None
    except WouldBlock:
        if _nonblocking(s):
            raise KernelError(errno.EAGAIN) from None
        raise _block(s, lambda: s.closed or s.state != LISTENING or bool(s.backlog),
                     p, SO_RCVTIMEO, "accept") from None
    if upeer_sockaddr:
        try:
            _write_sockaddr(p, upeer_sockaddr, upeer_addrlen, new.family, new.peer_addr)
        except KernelError:
            s.backlog.appendleft(new)    # as Linux: a bad address loses no connection
            raise
    return _install(p, new, flags)


def sys_accept(p, fd, upeer_sockaddr, upeer_addrlen):
    return sys_accept4(p, fd, upeer_sockaddr, upeer_addrlen, 0)


# --- sending -------------------------------------------------------------------------------------

def _send(p, s, key, data: bytes, flags: int, dest, make_anc=None) -> int:
    """Send data; a blocking stream send returns once every byte is queued (the progress is
    kept across the restart, as a pipe write's); SIGPIPE unless MSG_NOSIGNAL."""
    progress = p.linux.send_progress
    done = progress[1] if progress and progress[0] == key else 0
    p.linux.send_progress = None
    nonblock = _nonblocking(s, flags)
    if done == 0:
        reset = _take_reset(s)           # tcp_sendmsg: sk_err before anything is sent
        if reset:
            raise KernelError(reset)
    while True:
        anc = make_anc() if make_anc is not None and done == 0 else None
        try:
            n = s.send(data[done:], flags, dest, anc, p)
        except WouldBlock:
            release_ancillary(anc)
            if nonblock:
                if done:
                    return done
                raise KernelError(errno.EAGAIN) from None
            if isinstance(s, DgramSocket):
                blk = _block(s, lambda: s.closed or s.send_ready(dest, p), p, SO_SNDTIMEO, "send")
            else:
                blk = _block(s, lambda: s.closed or s.writable_now(), p, SO_SNDTIMEO, "send")
            if isinstance(blk, KernelError):      # SO_SNDTIMEO ran out
                if done:
                    return done
                raise blk
            if done:
                p.linux.send_progress = (key, done)
                blk.partial = done
                blk.on_interrupt = lambda: setattr(p.linux, "send_progress", None)
            raise blk from None
        except BrokenPipe:
            release_ancillary(anc)
            if done:
                return done
            if not flags & MSG_NOSIGNAL:
                signals.send(p, signals.SIGPIPE)
            raise KernelError(errno.EPIPE) from None
        except KernelError:
            release_ancillary(anc)
            if done:
                return done
            raise
        done += n
        if done >= len(data) or not isinstance(s, StreamSocket) or s.records or nonblock:
            p.linux.sock_deadline = None
            return done


def _is_fastopen(s, flags: int) -> bool:
    return bool(flags & MSG_FASTOPEN) and isinstance(s, StreamSocket) and s.family != AF_UNIX


def _send_fastopen(p, s, key, data: bytes, flags: int, make_anc=None) -> int:
    try:
        n = _send(p, s, key, data, flags, None, make_anc)
    except KernelError:
        s.fastopen = None
        raise
    s.fastopen = None
    return n


def _fastopen(p, s, key, addr: int, addr_len: int, flags: int) -> None:
    """MSG_FASTOPEN on a TCP socket (tcp_sendmsg_fastopen, net.ipv4.tcp_fastopen = 1: the
    client side on): the send connects first, as connect(2) would with the send's
    non-blocking flag. No server here hands out a Fast Open cookie, so no data rides on the
    SYN: a blocking send connects and then sends, a non-blocking one says EINPROGRESS with
    nothing sent (the caller sends once the socket is writable)."""
    if s.state == CONNECTED and s.fastopen == key:
        return                       # the same send restarted after its connect was made
    if addr and addr_len >= 2:
        family, value = _read_sockaddr(p, addr, addr_len)
        if family == AF_UNSPEC:
            raise KernelError(errno.EOPNOTSUPP)
    else:
        family, value = s.family, None
    if s.in_progress and s.state == CONNECTED:
        s.in_progress = False        # the handshake an earlier call began is done: send
        return
    if s.state != UNCONNECTED:
        raise KernelError(errno.EISCONN)
    if value is None:
        raise KernelError(errno.EINVAL)  # (tcp_v4_connect: no address)
    if family != s.family:
        raise KernelError(errno.EAFNOSUPPORT)
    _stream_connect(p, s, value, _nonblocking(s, flags))
    s.fastopen = key


def sys_sendto(p, fd, buff, length, flags, addr, addr_len):
    s = _sock(p, fd)
    data = p.mm.read(buff, min(length, SEND_MAX))
    dest = None
    key = ("sendto", fd, buff, length)
    if _is_fastopen(s, flags):
        _fastopen(p, s, key, addr, addr_len, flags)
        return _send_fastopen(p, s, key, data, flags)
    if addr:
        family, value = _read_sockaddr(p, addr, addr_len)
        dest = _dest(s, family, value) if not isinstance(s, StreamSocket) else None
    return _send(p, s, key, data, flags, dest)


def sys_send(p, fd, buff, length, flags):
    return sys_sendto(p, fd, buff, length, flags, 0, 0)


def _msghdr(p, msg: int) -> tuple:
    """(name, namelen, iov, iovlen, control, controllen, flags) of a struct msghdr."""
    if p.sysvec.word_bits == 64:
        return struct.unpack("<QI4xQQQQi4x", p.mm.read(msg, 56))
    return struct.unpack("<IIIIIIi", p.mm.read(msg, 28))


def _cmsg_layout(p) -> tuple[str, int]:
    """struct cmsghdr's header format and CMSG_ALIGN's unit for the process's word size."""
    return ("<QiI", 8) if p.sysvec.word_bits == 64 else ("<IiI", 4)


def _check_creds(p, pid: int, uid: int, gid: int) -> None:
    """scm_check_creds: the pid must be the sender's (or CAP_SYS_ADMIN), the uid one of its
    real, effective or saved uids (or CAP_SETUID), the gid likewise (or CAP_SETGID); a
    receiver that trusts SCM_CREDENTIALS would otherwise take anyone for root."""
    from .cred import CAP_SETGID, CAP_SETUID, CAP_SYS_ADMIN, cred_of
    c = cred_of(p)
    if pid != p.tgid and not c.capable(CAP_SYS_ADMIN) or \
            uid not in (c.uid, c.euid, c.suid) and not c.capable(CAP_SETUID) or \
            gid not in (c.gid, c.egid, c.sgid) and not c.capable(CAP_SETGID):
        raise KernelError(errno.EPERM)


def _align(n: int, unit: int) -> int:
    return (n + unit - 1) & ~(unit - 1)


def _parse_control(p, s, control: int, controllen: int):
    """SCM_RIGHTS and SCM_CREDENTIALS of a sendmsg, as a function building the ancillary
    data (descriptors referenced anew each attempt)."""
    if not control or not controllen:
        return None
    fmt, unit = _cmsg_layout(p)
    head = struct.calcsize(fmt)
    raw = p.mm.read(control, min(controllen, 1 << 16))
    rights, creds, pos, header = [], None, 0, {}
    while pos + head <= len(raw):
        length, level, type_ = struct.unpack_from(fmt, raw, pos)
        if length < head or pos + length > len(raw):
            raise KernelError(errno.EINVAL)
        body = raw[pos + head:pos + length]
        if level != SOL_SOCKET:
            if s.family == AF_UNIX:
                raise KernelError(errno.EINVAL)
            field = IP_HEADER_CMSGS.get((level, type_))
            if field is not None and body:    # this packet's TTL, TOS, hop limit, class
                header[field] = body[0] if len(body) < 4 else \
                    struct.unpack_from("<i", body)[0]
        elif type_ == SCM_RIGHTS:
            if s.family != AF_UNIX:
                raise KernelError(errno.EINVAL)
            rights += [struct.unpack_from("<i", body, i)[0] for i in range(0, len(body) - 3, 4)]
        elif type_ == SCM_CREDENTIALS:
            if s.family != AF_UNIX or len(body) < 12:
                raise KernelError(errno.EINVAL)
            creds = struct.unpack_from("<iII", body)
            _check_creds(p, *creds)
        else:
            raise KernelError(errno.EINVAL)
        pos += _align(length, unit)
    if len(rights) > SCM_MAX_FD:
        raise KernelError(errno.EINVAL)
    files = [p.fds.get(fd) for fd in rights]      # EBADF before anything is sent
    if not files and creds is None and not header:
        return None

    def make():
        if s.family != AF_UNIX:
            return dict(header)
        for f in files:
            f.incref()
        anc = {"creds": creds or _sender_creds(p)}
        if files:
            anc["rights"] = list(files)
        return anc
    return make


def sys_sendmsg(p, fd, msg, flags):
    s = _sock(p, fd)
    name, namelen, iov, iovlen, control, controllen, _ = _msghdr(p, msg)
    data = _gather(p, iov, iovlen, SEND_MAX)
    dest = None
    key = ("sendmsg", fd, msg)
    if name and namelen and not isinstance(s, StreamSocket):
        family, value = _read_sockaddr(p, name, namelen)
        dest = _dest(s, family, value)
    make_anc = _parse_control(p, s, control, controllen)
    if _is_fastopen(s, flags):
        _fastopen(p, s, key, name, namelen, flags)
        return _send_fastopen(p, s, key, data, flags, make_anc)
    return _send(p, s, key, data, flags, dest, make_anc)


# --- receiving -----------------------------------------------------------------------------------

def _recv(p, s, n: int, flags: int):
    if flags & MSG_OOB and _tcp(s) and s.state != LISTENING:
        raise KernelError(errno.EINVAL)      # tcp_recv_urg: no urgent data is ever held
    try:
        got = s.recv(n, flags)
        p.linux.sock_deadline = None
        return got
    except WouldBlock:
        if _nonblocking(s, flags):
            raise KernelError(errno.EAGAIN) from None
        if flags & MSG_WAITALL and signals.next_signal(p):
            try:     # a signal ends MSG_WAITALL's wait: the bytes already there are returned
                got = s.recv(n, flags & ~MSG_WAITALL)
                p.linux.sock_deadline = None
                return got
            except WouldBlock:
                pass
        raise _block(s, lambda: s.closed or s.readable_now(), p, SO_RCVTIMEO, "recv") from None


def _source(s, addr):
    """The address a message came from: a datagram's sender, else the connected peer's."""
    if addr is not None:
        return addr
    if isinstance(s, StreamSocket) and s.family == AF_UNIX and s.state == CONNECTED:
        return s.peer.local if s.peer is not None else None
    return None


def sys_recvfrom(p, fd, ubuf, size, flags, addr, addr_len):
    s = _sock(p, fd)
    size = min(size, 1 << 26)
    if not p.mm.writable(ubuf, size):
        raise KernelError(errno.EFAULT)
    data, anc, src, mflags, full = _recv(p, s, size, flags)
    release_ancillary(anc)
    p.mm.write(ubuf, data)
    source = _source(s, src)
    if addr and source is None and s.family == AF_UNIX and addr_len:
        p.mm.write(addr_len, struct.pack("<i", 0))    # an unnamed sender has no address
    elif addr and not (isinstance(s, StreamSocket) and s.family != AF_UNIX):
        _write_sockaddr(p, addr, addr_len, s.family, source)
    elif addr and addr_len:
        p.mm.write(addr_len, struct.pack("<i", 0))
    return _received(s, flags, data, full)


def sys_recv(p, fd, ubuf, size, flags):
    return sys_recvfrom(p, fd, ubuf, size, flags, 0, 0)


def _put_control(p, s, anc, control: int, controllen: int, flags: int) -> tuple[int, int]:
    """Write the cmsgs of a received message: (bytes used, MSG_CTRUNC or 0). Passed
    descriptors that do not fit are closed, as scm_detach_fds does."""
    fmt, unit = _cmsg_layout(p)
    head = struct.calcsize(fmt)
    out, trunc = bytearray(), 0
    # scm_recv: the credentials first, then the descriptors in the room left
    if s.opts.get((SOL_SOCKET, SO_PASSCRED)) and s.family == AF_UNIX:
        creds = (anc or {}).get("creds") or s.peer_creds or (0, 65534, 65534)
        body = struct.pack("<iII", *creds)
        cmsg = struct.pack(fmt, head + len(body), SOL_SOCKET, SCM_CREDENTIALS) + body
        if len(cmsg) <= controllen:
            out += cmsg + bytes(_align(len(cmsg), unit) - len(cmsg))
        else:
            trunc = MSG_CTRUNC
    rights = list((anc or {}).get("rights", ()))
    if rights:
        left = controllen - len(out)
        room = (left - head) // 4 if left >= head else 0
        taken, fds = rights[:max(room, 0)], []
        for f in rights[len(taken):]:
            f.decref()
        for f in taken:
            try:
                fds.append(p.fds.install(f, cloexec=bool(flags & MSG_CMSG_CLOEXEC)))
            except KernelError:
                f.decref()
                trunc = MSG_CTRUNC
        if len(taken) < len(rights):
            trunc = MSG_CTRUNC
        if fds:
            body = struct.pack(f"<{len(fds)}i", *fds)
            out += struct.pack(fmt, head + len(body), SOL_SOCKET, SCM_RIGHTS) + body
            out += bytes(_align(len(out), unit) - len(out))
    if isinstance(s, DgramSocket) and s.family in (AF_INET, AF_INET6):
        for level, kind, body in _ip_ancillary(s, anc):
            room = controllen - len(out)
            if room < head:                  # put_cmsg: not even a header fits
                trunc = MSG_CTRUNC
                break
            length = head + len(body)
            if room < length:                # what fits, its cmsg_len saying so
                trunc, length = MSG_CTRUNC, room
            out += (struct.pack(fmt, length, level, kind) + body)[:length]
            out += bytes(min(_align(len(out), unit), controllen) - len(out))
    out = out[:controllen]
    if out:
        p.mm.write(control, bytes(out))
    return len(out), trunc


# What a datagram socket asked to hear of each packet's IP header: (option, its cmsg's level
# and type) in the order ip_cmsg_recv and ip6_datagram_recv_ctl write them.
IP_PKTINFO, IP_RECVTTL, IP_RECVTOS, IP_TTL, IP_TOS = 8, 12, 13, 2, 1
IPV6_RECVPKTINFO, IPV6_PKTINFO, IPV6_RECVHOPLIMIT, IPV6_HOPLIMIT = 49, 50, 51, 52
IPV6_RECVTCLASS, IPV6_TCLASS, IPV6_UNICAST_HOPS = 66, 67, 16
IPV6_2292PKTINFO, IPV6_2292HOPLIMIT = 2, 8
LOOPBACK_IFINDEX, LOOPBACK_TTL = 1, 64


# A sendmsg's per-packet IP header fields (cmsgs), by (level, type)
IP_HEADER_CMSGS = {(IPPROTO_IP, IP_TTL): "ttl", (IPPROTO_IP, IP_TOS): "tos",
                   (IPPROTO_IPV6, IPV6_HOPLIMIT): "hops", (IPPROTO_IPV6, IPV6_TCLASS): "tclass"}


def _header_field(anc, name: str, sender_option, default: int) -> int:
    """What the packet's IP header said: the sendmsg's cmsg, else the sending socket's
    option (IP_TTL, IP_TOS, IPV6_UNICAST_HOPS, IPV6_TCLASS; -1 or unset: the default)."""
    value = (anc or {}).get(name)
    if value is None or value < 0:
        sender = (anc or {}).get("sender")
        value = sender.opts.get(sender_option) if sender is not None else None
    return default if value is None or value < 0 else value


def _ip_ancillary(s, anc) -> list[tuple[int, int, bytes]]:
    """The IP_PKTINFO, TTL and TOS (or IPv6's packet info, hop limit and traffic class)
    cmsgs the socket asked for: every packet here came in on lo, its header as its sender
    made it."""
    dest = (anc or {}).get("dest") or s.local
    opts, out = s.opts, []
    if s.family == AF_INET:
        if opts.get((IPPROTO_IP, IP_PKTINFO)) and dest is not None:
            addr = dest.ip.packed
            out.append((IPPROTO_IP, IP_PKTINFO, struct.pack("<i4s4s", LOOPBACK_IFINDEX, addr,
                                                            addr)))
        if opts.get((IPPROTO_IP, IP_RECVTTL)):
            ttl = _header_field(anc, "ttl", (IPPROTO_IP, IP_TTL), LOOPBACK_TTL)
            out.append((IPPROTO_IP, IP_TTL, struct.pack("<i", ttl)))
        if opts.get((IPPROTO_IP, IP_RECVTOS)):
            tos = _header_field(anc, "tos", (IPPROTO_IP, IP_TOS), 0)
            out.append((IPPROTO_IP, IP_TOS, bytes([tos & 0xFF])))
        return out
    if opts.get((IPPROTO_IPV6, IPV6_RECVPKTINFO)) and dest is not None:
        out.append((IPPROTO_IPV6, IPV6_PKTINFO, struct.pack("<16sI", _ipv6_bytes(dest.ip),
                                                            LOOPBACK_IFINDEX)))
    if opts.get((IPPROTO_IPV6, IPV6_RECVHOPLIMIT)):
        hops = _header_field(anc, "hops", (IPPROTO_IPV6, IPV6_UNICAST_HOPS), LOOPBACK_TTL)
        out.append((IPPROTO_IPV6, IPV6_HOPLIMIT, struct.pack("<i", hops)))
    if opts.get((IPPROTO_IPV6, IPV6_RECVTCLASS)):
        tclass = _header_field(anc, "tclass", (IPPROTO_IPV6, IPV6_TCLASS), 0)
        out.append((IPPROTO_IPV6, IPV6_TCLASS, struct.pack("<i", tclass & 0xFF)))
    # RFC 2292's older options, after the others (busybox's ping asks for the hop limit so)
    if opts.get((IPPROTO_IPV6, IPV6_2292PKTINFO)) and dest is not None:
        out.append((IPPROTO_IPV6, IPV6_2292PKTINFO, struct.pack("<16sI", _ipv6_bytes(dest.ip),
                                                                LOOPBACK_IFINDEX)))
    if opts.get((IPPROTO_IPV6, IPV6_2292HOPLIMIT)):
        hops = _header_field(anc, "hops", (IPPROTO_IPV6, IPV6_UNICAST_HOPS), LOOPBACK_TTL)
        out.append((IPPROTO_IPV6, IPV6_2292HOPLIMIT, struct.pack("<i", hops)))
    return out


def _ipv6_bytes(ip) -> bytes:
    """An address as IPv6 puts it in a header (an IPv4 one v4-mapped)."""
    if ip.version == 6:
        return ip.packed
    return bytes(10) + b"\xff\xff" + ip.packed


def sys_recvmsg(p, fd, msg, flags):
    s = _sock(p, fd)
    name, namelen, iov, iovlen, control, controllen, _ = _msghdr(p, msg)
    vecs = _iovecs(p, iov, iovlen)
    if not all(p.mm.writable(base, n) for base, n in vecs):
        raise KernelError(errno.EFAULT)
    total = min(sum(n for _, n in vecs), 1 << 26)
    data, anc, src, mflags, full = _recv(p, s, total, flags)
    pos = 0
    for base, n in vecs:
        chunk = data[pos:pos + n]
        if not chunk:
            break
        p.mm.write(base, chunk)
        pos += len(chunk)
    used, trunc = _put_control(p, s, anc, control, controllen, flags)
    wide = p.sysvec.word_bits == 64
    if name:
        src = None if isinstance(s, StreamSocket) and s.family != AF_UNIX else _source(s, src)
        data_addr = pack(s.family, src) if src is not None or s.family == AF_UNIX else b""
        if s.family == AF_UNIX and src is None:
            data_addr = b""
        p.mm.write(name, data_addr[:namelen])
        p.mm.write(msg + 8, struct.pack("<I", len(data_addr))) if wide else \
            p.mm.write(msg + 4, struct.pack("<I", len(data_addr)))
    if wide:
        p.mm.write(msg + 40, struct.pack("<Q", used))
        p.mm.write(msg + 48, struct.pack("<i", mflags | trunc))
    else:
        p.mm.write(msg + 20, struct.pack("<I", used))
        p.mm.write(msg + 24, struct.pack("<i", mflags | trunc))
    return _received(s, flags, data, full)


def _mmsg(p, mmsg: int, vlen: int, flags: int, one) -> int:
    """sendmmsg/recvmmsg: struct mmsghdr is a msghdr and the count it moved."""
    size = 64 if p.sysvec.word_bits == 64 else 32
    done = 0
    for i in range(min(vlen, 1024)):
        try:
            n = one(mmsg + i * size, flags if i == 0 else flags | MSG_DONTWAIT)
        except (KernelError, Block):
            if done:
                return done
            raise
        p.mm.write(mmsg + i * size + size - 8, struct.pack("<I", n))
        done += 1
    return done


def _received(s, flags: int, data: bytes, full: int) -> int:
    """What recv returns: with MSG_TRUNC a message socket's (datagram or seqpacket) whole
    message length, however much fitted."""
    if flags & MSG_TRUNC and (isinstance(s, DgramSocket) or getattr(s, "records", False)):
        return full
    return len(data)


def sys_sendmmsg(p, fd, mmsg, vlen, flags):
    _sock(p, fd)                  # EBADF, ENOTSOCK before anything else, even for vlen 0
    return _mmsg(p, mmsg, vlen, flags, lambda m, f: sys_sendmsg(p, fd, m, f))


def _recvmmsg(p, fd, mmsg, vlen, flags, timeout, timespec_size: int):
    if timeout:                   # the timeout is read first: EFAULT for a bad one
        p.mm.read(timeout, timespec_size)
    _sock(p, fd)
    return _mmsg(p, mmsg, vlen, flags, lambda m, f: sys_recvmsg(p, fd, m, f))


def sys_recvmmsg(p, fd, mmsg, vlen, flags, timeout):
    return _recvmmsg(p, fd, mmsg, vlen, flags, timeout, 16 if p.sysvec.word_bits == 64 else 8)


def sys_recvmmsg_time64(p, fd, mmsg, vlen, flags, timeout):
    """i386's recvmmsg with a 64-bit timespec."""
    return _recvmmsg(p, fd, mmsg, vlen, flags, timeout, 16)


# --- names, shutdown, options --------------------------------------------------------------------

def sys_getsockname(p, fd, usockaddr, usockaddr_len):
    s = _sock(p, fd)
    local = s.local
    if local is None and s.family == AF_NETLINK:
        local = (0, 0)
    elif local is None and s.family != AF_UNIX:
        from ..net.addr import ANY4, ANY6, InetAddr
        local = InetAddr(ANY4 if s.family == AF_INET else ANY6, 0)
    _write_sockaddr(p, usockaddr, usockaddr_len, s.family, local)
    return 0


def sys_getpeername(p, fd, usockaddr, usockaddr_len):
    s = _sock(p, fd)
    if isinstance(s, StreamSocket):
        if s.state != CONNECTED or s.rx.rst_arrived:
            raise KernelError(errno.ENOTCONN)
        peer = s.peer_addr if s.family != AF_UNIX else (s.peer.local if s.peer else None)
    else:
        if s.peer is None and s.peer_addr is None:
            raise KernelError(errno.ENOTCONN)
        peer = s.peer_addr if s.family != AF_UNIX else s.peer.local
    _write_sockaddr(p, usockaddr, usockaddr_len, s.family, peer)
    return 0


def sys_shutdown(p, fd, how):
    s = _sock(p, fd)
    s.shutdown(how)
    if _tcp(s) and s.rx is not None and s.rx.rst_arrived:
        raise KernelError(errno.ENOTCONN)   # inet_shutdown: a reset closed it (TCP_CLOSE)
    return 0


def _level_applies(s, level: int) -> bool:
    if level == SOL_SOCKET:
        return True
    if level == IPPROTO_TCP:
        return isinstance(s, StreamSocket) and s.family != AF_UNIX
    if level == IPPROTO_IP:
        return s.family in (AF_INET, AF_INET6)
    if level == IPPROTO_IPV6:
        return s.family == AF_INET6
    if level == SOL_NETLINK:
        return s.family == AF_NETLINK
    if level in (SOL_RAW, IPPROTO_ICMPV6):
        return isinstance(s, RawSocket)
    return False


# A raw ICMP socket's own options: (level, name) -> (the family they are for, their size)
RAW_OPTIONS = {(SOL_RAW, ICMP_FILTER): (AF_INET, 4), (SOL_RAW, IPV6_CHECKSUM): (AF_INET6, 4),
               (IPPROTO_ICMPV6, ICMP6_FILTER): (AF_INET6, 32)}
RAW_DEFAULTS = {ICMP6_FILTER: bytes(32), IPV6_CHECKSUM: (2).to_bytes(4, "little")}


def _raw_option(s, level: int, optname: int) -> int:
    """The option's size, after raw_setsockopt's and rawv6_setsockopt's checks: the
    ICMP filter of an IPv4 socket, the ICMPv6 filter and checksum offset of an IPv6 one;
    any other is ENOPROTOOPT."""
    family, size = RAW_OPTIONS.get((level, optname), (None, 0))
    if family != s.family:
        raise KernelError(errno.ENOPROTOOPT)
    return size


def sys_setsockopt(p, fd, level, optname, optval, optlen):
    s = _sock(p, fd)
    if optlen < 0:
        raise KernelError(errno.EINVAL)
    if not _level_applies(s, level):
        raise KernelError(errno.ENOPROTOOPT)
    # The kernel copies optlen bytes from optval whatever the option: NULL is EFAULT too.
    raw = p.mm.read(optval, min(optlen, 256)) if optlen else b""
    if level in (SOL_RAW, IPPROTO_ICMPV6):
        size = _raw_option(s, level, optname)
        if optname == IPV6_CHECKSUM and level == SOL_RAW:
            if len(raw) < 4:
                raise KernelError(errno.EINVAL)
            offset = int.from_bytes(raw[:4], "little", signed=True)
            if offset > 0 and offset & 1:
                raise KernelError(errno.EINVAL)     # (an odd offset)
        old = s.opts.get((level, optname), RAW_DEFAULTS.get(optname, bytes(size)))
        s.opts[(level, optname)] = raw[:size] + old[len(raw[:size]):]
        return 0
    if level == SOL_SOCKET and optname == SO_LINGER and optlen < 8:
        raise KernelError(errno.EINVAL)               # shorter than struct linger
    if level == IPPROTO_TCP and optname == TCP_MAXSEG and optlen >= 4:
        mss = struct.unpack("<i", raw[:4])[0]
        if mss and not TCP_MIN_MSS <= mss <= MAX_TCP_WINDOW:
            raise KernelError(errno.EINVAL)
    if level == SOL_SOCKET and optname in (SO_RCVTIMEO, SO_SNDTIMEO, SO_LINGER, 66, 67):
        s.opts[(level, optname)] = raw
        if optname == SO_LINGER and s.family != AF_UNIX and len(raw) >= 8:
            onoff, seconds = struct.unpack("<ii", raw[:8])
            s.abort_on_close = bool(onoff) and seconds == 0
        return 0
    if level == SOL_SOCKET and optname == 25:         # SO_BINDTODEVICE: only lo exists
        return 0
    if level == SOL_SOCKET and optname in (SO_PRIORITY, SO_MARK) and optlen >= 4:
        # sk_set_prio_allowed and SO_MARK: only priorities 0..6 without CAP_NET_RAW or
        # CAP_NET_ADMIN, and no mark at all
        value = struct.unpack("<i", raw[:4])[0]
        if (optname == SO_MARK or not 0 <= value <= TC_PRIO_INTERACTIVE) and \
                not (cred_of(p).capable(CAP_NET_RAW) or cred_of(p).capable(CAP_NET_ADMIN)):
            raise KernelError(errno.EPERM)
    if level == IPPROTO_TCP and optname == TCP_CONGESTION:
        name = raw.split(b"\0", 1)[0]
        if name not in (b"cubic", b"reno"):           # the algorithms this kernel has
            raise KernelError(errno.ENOENT)
        s.opts[(level, optname)] = name
        return 0
    ints = INT_OPTIONS.get(level, {})
    if level == SOL_SOCKET and optname in (SO_SNDBUF, SO_RCVBUF, SO_SNDBUFFORCE, SO_RCVBUFFORCE):
        if optlen < 4:
            raise KernelError(errno.EINVAL)
        value = max(struct.unpack("<i", raw[:4])[0], 0)
        size = max(min(value, MAX_CAPACITY // 2) * 2, 4608)   # doubled, as the kernel does
        if optname in (SO_RCVBUF, SO_RCVBUFFORCE):
            s.rcvbuf = size
            rx = getattr(s, "rx", None)
            if rx is not None:
                rx.capacity = size
        else:
            s.sndbuf = size
        return 0
    if optname not in ints and not (level == IPPROTO_IP and optname in range(32, 50)) \
            and not (level == IPPROTO_IPV6 and optname in range(1, 80)):
        raise KernelError(errno.ENOPROTOOPT)
    if optlen < 4 and not (level == IPPROTO_IP and optlen >= 1):
        raise KernelError(errno.EINVAL)
    value = int.from_bytes(raw[:4], "little", signed=True)
    if level == IPPROTO_IPV6 and optname == 26 and s.local is not None:
        raise KernelError(errno.EINVAL)               # V6ONLY is fixed once bound
    if level == IPPROTO_TCP and optname == TCP_DEFER_ACCEPT:
        value = _defer_accept_seconds(value)          # kept as SYN-ACK retransmissions
    if level == IPPROTO_TCP and optname == TCP_FASTOPEN and \
            (value < 0 or s.state not in (UNCONNECTED, LISTENING)):
        raise KernelError(errno.EINVAL)               # a queue length, before connecting
    if level == IPPROTO_TCP and optname == TCP_FASTOPEN_CONNECT and \
            (value not in (0, 1) or s.state != UNCONNECTED):
        raise KernelError(errno.EINVAL)
    s.opts[(level, optname)] = value
    return 0


def _defer_accept_seconds(seconds: int) -> int:
    """TCP_DEFER_ACCEPT's seconds as getsockopt reads them back: Linux keeps the number of
    SYN-ACK retransmissions that covers them (secs_to_retrans, 1 s doubling to 120 s) and
    answers the time those take (retrans_to_secs): 5 reads back as 7."""
    if seconds <= 0:
        return 0
    timeout = period = 1
    retrans = 1
    while seconds > period and retrans < 255:
        retrans += 1
        timeout = min(timeout * 2, TCP_RTO_MAX)
        period += timeout
    return period


def _option_value(p, s, level: int, optname: int) -> bytes:
    if level == SOL_SOCKET:
        if optname == SO_ERROR:             # (read only when asked: reading clears it)
            return struct.pack("<i", s.take_error() or _take_reset(s))
        fixed = {SO_TYPE: s.type, SO_PROTOCOL: s.protocol,
                 SO_DOMAIN: s.family, SO_SNDBUF: s.sndbuf, SO_RCVBUF: s.rcvbuf,
                 SO_ACCEPTCONN: int(getattr(s, "state", "") == LISTENING)}
        if optname in fixed:
            return struct.pack("<i", fixed[optname])
        if optname == SO_PEERCRED:
            creds = s.peer_creds if s.family == AF_UNIX else None
            return struct.pack("<iII", *(creds or (0, 0xFFFFFFFF, 0xFFFFFFFF)))
        if optname in (SO_RCVTIMEO, SO_SNDTIMEO):
            size = 16 if p.sysvec.word_bits == 64 else 8
            return s.opts.get((level, optname), bytes(size))
        if optname == SO_LINGER:
            return s.opts.get((level, optname), bytes(8))
        if optname == SO_BINDTODEVICE:      # bound to no device: an empty name
            return b""
        if optname == SO_COOKIE:            # the socket's own 64-bit number
            return struct.pack("<Q", s.ino)
    if level == IPPROTO_TCP and optname == TCP_CONGESTION:
        return s.opts.get((level, optname), b"cubic").ljust(16, b"\0")
    if level == IPPROTO_TCP and optname == TCP_MAXSEG and (level, optname) not in s.opts and \
            getattr(s, "state", "") != CONNECTED:
        return struct.pack("<i", TCP_MSS_DEFAULT)    # no path yet: the default MSS
    if level == IPPROTO_TCP and optname == TCP_INFO:
        info = bytearray(104)
        info[0] = 1 if getattr(s, "state", "") == CONNECTED else 10 if s.state == LISTENING else 7
        return bytes(info)
    ints = INT_OPTIONS.get(level, {})
    if optname in ints or (level, optname) in s.opts:
        value = s.opts.get((level, optname), ints.get(optname, 0))
        return struct.pack("<I", value & 0xFFFFFFFF)
    raise KernelError(errno.ENOPROTOOPT)


def sys_getsockopt(p, fd, level, optname, optval, optlen):
    s = _sock(p, fd)
    if not _level_applies(s, level):
        raise KernelError(errno.EOPNOTSUPP if level == IPPROTO_TCP else errno.ENOPROTOOPT)
    room = struct.unpack("<i", p.mm.read(optlen, 4))[0]
    if room < 0:
        raise KernelError(errno.EINVAL)
    if level in (SOL_RAW, IPPROTO_ICMPV6):
        size = _raw_option(s, level, optname)
        value = s.opts.get((level, optname), RAW_DEFAULTS.get(optname, bytes(size)))
    else:
        value = _option_value(p, s, level, optname)
    p.mm.write(optval, value[:room])
    p.mm.write(optlen, struct.pack("<i", min(room, len(value))))
    return 0


# --- i386: socketcall(call, args) ----------------------------------------------------------------

# net/socket.c's SYS_* numbers: the call, and the direct call whose spec types its arguments
SOCKETCALLS = {
    1: ("socket", "socket"), 2: ("bind", "bind"), 3: ("connect", "connect"),
    4: ("listen", "listen"), 5: ("accept", "accept4"), 6: ("getsockname", "getsockname"),
    7: ("getpeername", "getpeername"), 8: ("socketpair", "socketpair"), 9: ("send", "sendto"),
    10: ("recv", "recvfrom"), 11: ("sendto", "sendto"), 12: ("recvfrom", "recvfrom"),
    13: ("shutdown", "shutdown"), 14: ("setsockopt", "setsockopt"),
    15: ("getsockopt", "getsockopt"), 16: ("sendmsg", "sendmsg"), 17: ("recvmsg", "recvmsg"),
    18: ("accept4", "accept4"), 19: ("recvmmsg", "recvmmsg"), 20: ("sendmmsg", "sendmmsg"),
}
SOCKETCALL_NARGS = {"accept": 3, "send": 4, "recv": 4}


def sys_socketcall(p, call, uargs):
    """The i386 multiplexer: arguments are words in user memory, typed by the spec of the
    direct call of the same name (so a descriptor is signed and a pointer is not)."""
    entry = SOCKETCALLS.get(call)
    if entry is None:
        raise KernelError(errno.EINVAL)
    name, typed_as = entry
    spec = next((c for c in p.sysvec.calls.values() if c.name == typed_as), None)
    if spec is None:
        raise KernelError(errno.EINVAL)
    nargs = SOCKETCALL_NARGS.get(name, len(spec.args))
    words = struct.unpack(f"<{nargs}I", p.mm.read(uargs, 4 * nargs))
    args = []
    for word, arg in zip(words, spec.args):
        if arg["kind"] in ("int", "fd", "pid", "uid", "gid", "sig", "long", "ssize", "off"):
            word = word - (1 << 32) if word & 0x80000000 else word
        args.append(word)
    return globals()[f"sys_{name}"](p, *args)
