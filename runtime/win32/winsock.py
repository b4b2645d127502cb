"""Windows Sockets over the machine's network (runtime/net): a SOCKET is a handle of the
process's descriptor table holding the same socket objects Linux processes get, so Windows
and Linux programs of one machine talk over its loopback. This module speaks Winsock's
ABI: AF_INET6 is 23 in a sockaddr, a failure is SOCKET_ERROR with a WSAE* code in the
thread's last error, a socket blocks unless ioctlsocket(FIONBIO) says not to (a timeout is
SO_RCVTIMEO's milliseconds), and a lost connection is WSAECONNRESET, never SIGPIPE.
Overlapped operations are winsock_overlapped's, select and WSAPoll winsock_select's."""
from __future__ import annotations

import errno
import functools
import struct

from .. import readiness
from ..errors import BrokenPipe, KernelError, WouldBlock
from ..files import O_NONBLOCK
from ..block import kept_deadline
from ..kernel import Block
from ..net import network
from ..net.addr import AF_INET, AF_INET6, AF_UNIX, AF_UNSPEC, pack, unpack
from ..net.socket import (CONNECTED, LISTENING, MSG_PEEK, MSG_WAITALL, DgramSocket, Socket,
                          StreamSocket)
from ..nt.directory import NEW_SOCKET_MODE
from ..nt import abi

WIN_AF_INET6 = 23
FAMILIES = {AF_UNSPEC: AF_UNSPEC, AF_UNIX: AF_UNIX, AF_INET: AF_INET, WIN_AF_INET6: AF_INET6}
SOCKET_ERROR = -1
WIN_MSG_OOB, WIN_MSG_PEEK, WIN_MSG_WAITALL = 0x1, 0x2, 0x8
MAX_SOCKADDR = 128

WSAEINTR, WSAEFAULT, WSAEINVAL, WSAEWOULDBLOCK = 10004, 10014, 10022, 10035
WSAENOTSOCK, WSAEMSGSIZE, WSAENOPROTOOPT, WSAEOPNOTSUPP = 10038, 10040, 10042, 10045
WSAEAFNOSUPPORT, WSAECONNRESET, WSAENOTCONN, WSAESHUTDOWN = 10047, 10054, 10057, 10058
WSAETIMEDOUT, WSAESOCKTNOSUPPORT, WSAEPROTONOSUPPORT = 10060, 10044, 10043
# Winsock's codes are 10000 + the BSD errno, which Linux numbers otherwise: mapped by name.
WSA_OF_ERRNO = {
    errno.EINTR: WSAEINTR, errno.EBADF: 10009, errno.EACCES: 10013, errno.EPERM: 10013,
    errno.EFAULT: WSAEFAULT, errno.EINVAL: WSAEINVAL, errno.EMFILE: 10024,
    errno.EAGAIN: WSAEWOULDBLOCK, errno.EINPROGRESS: 10036, errno.EALREADY: 10037,
    errno.ENOTSOCK: WSAENOTSOCK, errno.EDESTADDRREQ: 10039, errno.EMSGSIZE: WSAEMSGSIZE,
    errno.EPROTOTYPE: 10041, errno.ENOPROTOOPT: WSAENOPROTOOPT,
    errno.EPROTONOSUPPORT: WSAEPROTONOSUPPORT, errno.ESOCKTNOSUPPORT: WSAESOCKTNOSUPPORT,
    errno.EOPNOTSUPP: WSAEOPNOTSUPP, errno.EPFNOSUPPORT: 10046,
    errno.EAFNOSUPPORT: WSAEAFNOSUPPORT, errno.EADDRINUSE: 10048, errno.EADDRNOTAVAIL: 10049,
    errno.ENETDOWN: 10050, errno.ENETUNREACH: 10051, errno.ENETRESET: 10052,
    errno.ECONNABORTED: 10053, errno.ECONNRESET: WSAECONNRESET, errno.ENOBUFS: 10055,
    errno.ENOMEM: 10055, errno.EISCONN: 10056, errno.ENOTCONN: WSAENOTCONN,
    errno.ESHUTDOWN: WSAESHUTDOWN, errno.ETIMEDOUT: WSAETIMEDOUT,
    errno.ECONNREFUSED: 10061, errno.EHOSTUNREACH: 10065, errno.EPIPE: WSAECONNRESET,
}


class WinsockError(Exception):
    def __init__(self, code: int):
        super().__init__(code)
        self.code = code


def wsa_code(exc: KernelError) -> int:
    return WSA_OF_ERRNO.get(exc.errno, WSAEINVAL)


def winsock_call(fail):
    """A Winsock function: WinsockError and KernelError become the thread's last error and
    the function's failure value (SOCKET_ERROR, INVALID_SOCKET, NULL); waits (Block) and
    faults pass through to the dispatcher."""
    def wrap(fn):
        @functools.wraps(fn)
        def call(p, *args):
            try:
                return fn(p, *args)
            except WinsockError as exc:
                p.win32.last_error = exc.code
            except KernelError as exc:
                p.win32.last_error = wsa_code(exc)
            return fail(p) if callable(fail) else fail
        return call
    return wrap


def invalid_socket(p) -> int:
    return (1 << (8 * abi.word(p))) - 1      # INVALID_SOCKET, ~0 of the pointer's width


def sock_of(p, handle) -> Socket:
    try:
        f = p.fds.get(abi.fd_of_handle(handle))
    except Exception:   # NtError / KernelError: no such descriptor
        raise WinsockError(WSAENOTSOCK) from None
    if not isinstance(f, Socket):
        raise WinsockError(WSAENOTSOCK)
    return f


def nonblocking(s) -> bool:
    return bool(s.status_flags & O_NONBLOCK)


FD_READ, FD_WRITE, FD_ACCEPT, FD_CONNECT, FD_CLOSE = 1, 2, 8, 16, 32


def rearm(s, bits: int) -> None:
    """A receive, an accept or a send that would block lets WSAEventSelect record that
    event again (winsock_events); FD_CONNECT and FD_CLOSE happen once."""
    selection = getattr(s, "win_selection", None)
    if selection is not None:
        selection.armed |= bits & ~(FD_CONNECT | FD_CLOSE)


# --- addresses -----------------------------------------------------------------------------

def read_sockaddr(p, addr: int, addrlen: int):
    """A guest sockaddr -> (Linux family, value); Windows' AF_INET6 is 23."""
    if not addr or addrlen < 2:
        raise WinsockError(WSAEFAULT)
    data = p.mm.read(addr, min(addrlen, MAX_SOCKADDR))
    family = FAMILIES.get(struct.unpack_from("<H", data)[0])
    if family is None:
        raise WinsockError(WSAEAFNOSUPPORT)
    try:
        family, value = unpack(struct.pack("<H", family) + data[2:])
    except KernelError as exc:
        raise WinsockError(WSAEFAULT if exc.errno == errno.EINVAL else wsa_code(exc)) from None
    if family == AF_UNIX and value[:1] not in (b"", b"\0"):
        value = _unix_path(p, value)
    return family, value


def _unix_path(p, name: bytes) -> bytes:
    """An AF_UNIX path is a Windows path ("C:\\run\\x.sock", or relative to the current
    directory): the guest path it names, which the machine's sockets are bound by."""
    from .kernel32_files import _path
    try:
        return _path(p, name.decode("utf-8", "replace")).encode("utf-8", "surrogateescape")
    except Exception:    # NtError: a name no path can be
        raise WinsockError(WSAEINVAL) from None


def sockaddr_bytes(family: int, value) -> bytes:
    data = pack(family, value)
    return struct.pack("<H", WIN_AF_INET6) + data[2:] if family == AF_INET6 else data


def write_sockaddr(p, addr: int, lenp: int, family: int, value) -> None:
    """Copy an address out: a buffer too small for it is WSAEFAULT (Winsock does not
    truncate); the length written back."""
    if not addr:
        return
    data = sockaddr_bytes(family, value)
    room = struct.unpack("<i", p.mm.read(lenp, 4))[0] if lenp else 0
    if room < len(data):
        raise WinsockError(WSAEFAULT)
    p.mm.write(addr, data)
    p.mm.write(lenp, struct.pack("<i", len(data)))


def checked_family(s, family: int) -> None:
    if family != s.family:
        raise WinsockError(WSAEAFNOSUPPORT if family != AF_UNSPEC else WSAEINVAL)


# --- sockets made and closed ---------------------------------------------------------------

SOCK_STREAM, SOCK_DGRAM, SOCK_RAW = 1, 2, 3
IPPROTO_TCP, IPPROTO_UDP, IPPROTO_IPV6, IPV6_V6ONLY_LINUX = 6, 17, 41, 26
FROM_PROTOCOL_INFO = -1


WSA_FLAG_NO_HANDLE_INHERIT = 0x80
# Windows' sockets are inheritable handles unless made with WSA_FLAG_NO_HANDLE_INHERIT (or
# SetHandleInformation clears the flag): a child made with bInheritHandles holds them under
# the same values (PostgreSQL's backend closes its copy of the postmaster's socket so).


def new_socket(p, af: int, type_: int, protocol: int, inherit: bool = True) -> int:
    family = FAMILIES.get(af)
    if family is None or family == AF_UNSPEC:
        raise WinsockError(WSAEAFNOSUPPORT)
    if type_ == SOCK_RAW:
        raise WinsockError(WSAESOCKTNOSUPPORT)
    if family != AF_UNIX and protocol not in (0, IPPROTO_TCP, IPPROTO_UDP):
        raise WinsockError(WSAEPROTONOSUPPORT)
    s = network(p.kernel).socket(family, type_, protocol, (p.tgid, 0, 0))
    if family == AF_INET6:
        s.opts[(IPPROTO_IPV6, IPV6_V6ONLY_LINUX)] = 1    # Windows' default: IPv6 only
    try:
        return abi.handle_of_fd(p.fds.install(s, cloexec=not inherit))
    except KernelError:
        s.decref()
        raise


@winsock_call(invalid_socket)
def sys_ws2_32_socket(p, af, kind, protocol):
    return new_socket(p, af, kind, protocol)


def _from_protocol_info(p, info: int, af, type_, protocol):
    """WSAPROTOCOL_INFO's address family, type and protocol stand in for FROM_PROTOCOL_INFO
    (-1) arguments (both the A and W forms have them at the same offsets)."""
    if info:
        fam, _, _, typ, proto = struct.unpack("<5i", p.mm.read(info + 76, 20))
        af = fam if af == FROM_PROTOCOL_INFO else af
        type_ = typ if type_ == FROM_PROTOCOL_INFO else type_
        protocol = proto if protocol == FROM_PROTOCOL_INFO else protocol
    return af, type_, protocol


PROVIDER_RESERVED = 112      # WSAPROTOCOL_INFO.dwProviderReserved: a duplicate's token


def _claimed(p, info: int):
    """The socket a WSADuplicateSocket's WSAPROTOCOL_INFO stands for, with the reference the
    description held (each description makes one socket handle), or None."""
    if not info:
        return None
    handoffs = p.sysvec.personality.machine(p.kernel).socket_handoffs
    entry = handoffs.pop(p.mm.read_u32(info + PROVIDER_RESERVED), None)
    return entry[0] if entry is not None else None


def drop_handoffs(machine, pid: int) -> None:
    """The process a description was made for is gone without making its socket: the
    description's reference goes (the connection closes if no handle holds it)."""
    for token, (sock, target) in list(machine.socket_handoffs.items()):
        if target == pid:
            del machine.socket_handoffs[token]
            sock.decref()


@winsock_call(invalid_socket)
def sys_ws2_32_WSASocketW(p, af, kind, protocol, lpProtocolInfo, g, dwFlags):
    inherit = not dwFlags & WSA_FLAG_NO_HANDLE_INHERIT
    shared = _claimed(p, lpProtocolInfo)
    if shared is not None:      # the other half of WSADuplicateSocket: the same socket
        try:
            return abi.handle_of_fd(p.fds.install(shared, cloexec=not inherit))
        except KernelError:
            shared.decref()
            raise
    return new_socket(p, *_from_protocol_info(p, lpProtocolInfo, af, kind, protocol), inherit)


@winsock_call(SOCKET_ERROR)
def sys_ws2_32_WSADuplicateSocketW(p, s, dwProcessId, lpProtocolInfo):
    """A WSAPROTOCOL_INFO from which WSASocket (in this process or dwProcessId) makes a
    handle to the same socket (Rust's TcpStream::try_clone, handing a socket to a child).
    The description holds the socket: the caller may close its handle at once."""
    return _duplicate_socket(p, s, dwProcessId, lpProtocolInfo, wide=True)


@winsock_call(SOCKET_ERROR)
def sys_ws2_32_WSADuplicateSocketA(p, s, dwProcessId, lpProtocolInfo):
    """The ANSI form: the same structure with its protocol's name in 256 single bytes
    (PostgreSQL hands each connection to its backend process so)."""
    return _duplicate_socket(p, s, dwProcessId, lpProtocolInfo, wide=False)


def _duplicate_socket(p, s, target: int, lpProtocolInfo, wide: bool) -> int:
    from .winsock_options import protocol_info
    sock = sock_of(p, s)
    if not lpProtocolInfo:
        raise WinsockError(WSAEFAULT)
    info = bytearray(protocol_info(sock))
    if not wide:        # szProtocol: 256 WCHARs -> 256 CHARs
        name = bytes(info[-512:]).decode("utf-16-le").rstrip("\0").encode("latin-1")
        info = info[:-512] + name.ljust(256, b"\0")
    if target not in p.kernel.procs:
        raise WinsockError(WSAEINVAL)
    machine = p.sysvec.personality.machine(p.kernel)
    token = machine.handoff_tokens = (machine.handoff_tokens + 1) & 0xFFFFFFFF or 1
    struct.pack_into("<I", info, PROVIDER_RESERVED, token)
    p.mm.write(lpProtocolInfo, bytes(info))      # EFAULT before the socket is held
    machine.socket_handoffs[token] = (sock.incref(), target)
    return 0


@winsock_call(SOCKET_ERROR)
def sys_ws2_32_closesocket(p, s):
    from .kernel32_iocp import handle_closing
    sock_of(p, s)
    handle_closing(p, s)
    p.fds.close(abi.fd_of_handle(s))
    return 0


# --- bind, listen, connect, accept ---------------------------------------------------------

@winsock_call(SOCKET_ERROR)
def sys_ws2_32_bind(p, s, name, namelen):
    sock = sock_of(p, s)
    family, value = read_sockaddr(p, name, namelen)
    checked_family(sock, family)
    sock.names.bind(sock, value, p, mode=NEW_SOCKET_MODE)
    return 0


@winsock_call(SOCKET_ERROR)
def sys_ws2_32_listen(p, s, backlog):
    sock = sock_of(p, s)
    if not isinstance(sock, StreamSocket):
        raise WinsockError(WSAEOPNOTSUPP)
    if sock.local is None:
        raise WinsockError(WSAEINVAL)          # Winsock wants a bound socket
    sock.listen(min(backlog & 0x7FFFFFFF, 4096))
    return 0


def wait_for(p, s, ready, timeout_option: int | None = None):
    """The Block a blocking socket call raises; with SO_RCVTIMEO/SO_SNDTIMEO set, the
    restarted call fails with WSAETIMEDOUT once that many milliseconds passed."""
    ms = s.opts.get(("win", timeout_option), 0) if timeout_option else 0
    if not ms:
        return Block(ready, host_fds=readiness.host_fds(s))
    p.win32.wsa_deadline, deadline = kept_deadline(p.win32.wsa_deadline,
                                                   (id(s), timeout_option), ms / 1000)
    if deadline is None:
        raise WinsockError(WSAETIMEDOUT)
    return Block(ready, host_fds=readiness.host_fds(s), deadline=deadline)


@winsock_call(SOCKET_ERROR)
def sys_ws2_32_connect(p, s, name, namelen):
    sock = sock_of(p, s)
    family, value = read_sockaddr(p, name, namelen)
    if isinstance(sock, DgramSocket):
        sock.connect(value if family != AF_UNSPEC else None, p)
        return 0
    checked_family(sock, family)
    try:
        sock.connect(value, p)
    except WouldBlock:
        if nonblocking(sock):
            raise WinsockError(WSAEWOULDBLOCK) from None
        raise wait_for(p, sock, lambda: sock.closed or sock.connect_ready(value, p)) from None
    if nonblocking(sock):       # Windows never connects a non-blocking socket in the call:
        raise WinsockError(WSAEWOULDBLOCK)   # select or an event says when (here: at once)
    return 0


def sys_ws2_32_WSAConnect(p, s, name, namelen, lpCallerData, lpCalleeData, lpSQOS, lpGQOS):
    """connect: TCP/IP exchanges no connect data and QoS is a request, not a condition."""
    return sys_ws2_32_connect(p, s, name, namelen)


SOL_SOCKET = 0xFFFF
SO_RCVTIMEO, SO_SNDTIMEO = 0x1006, 0x1005


def accept_now(p, listener: StreamSocket) -> StreamSocket:
    """A connection waiting on listener (WouldBlock when none is)."""
    if not isinstance(listener, StreamSocket):
        raise WinsockError(WSAEOPNOTSUPP)
    if listener.state != LISTENING:
        raise WinsockError(WSAEINVAL)
    rearm(listener, FD_ACCEPT)
    new = listener.accept()
    # An accepted socket has its listener's properties, its blocking mode among them.
    new.status_flags = listener.status_flags
    return new


@winsock_call(invalid_socket)
def sys_ws2_32_accept(p, s, addr, addrlen):
    sock = sock_of(p, s)
    try:
        new = accept_now(p, sock)
    except WouldBlock:
        if nonblocking(sock):
            raise WinsockError(WSAEWOULDBLOCK) from None
        raise wait_for(p, sock, lambda: sock.closed or sock.state != LISTENING
                       or bool(sock.backlog), SO_RCVTIMEO) from None
    p.win32.wsa_deadline = None
    try:
        write_sockaddr(p, addr, addrlen, new.family, new.peer_addr)
    except WinsockError:
        sock.backlog.appendleft(new)           # a bad buffer loses no connection
        raise
    try:
        # inheritable as the listening socket is (WSA_FLAG_NO_HANDLE_INHERIT carries over)
        return abi.handle_of_fd(p.fds.install(new, cloexec=p.fds.cloexec(abi.fd_of_handle(s))))
    except KernelError:
        new.decref()
        raise


def sys_ws2_32_WSAAccept(p, s, addr, addrlen, lpfnCondition, dwCallbackData):
    """accept, with the condition function's say: every connection is taken (CF_ACCEPT, what
    a program without one gets); a program's condition function is not consulted."""
    return sys_ws2_32_accept(p, s, addr, addrlen)


# --- data ----------------------------------------------------------------------------------

def linux_recv_flags(flags: int) -> int:
    if flags & WIN_MSG_OOB:
        raise WinsockError(WSAEOPNOTSUPP)     # no urgent data on the machine's loopback
    return (MSG_PEEK if flags & WIN_MSG_PEEK else 0) | \
        (MSG_WAITALL if flags & WIN_MSG_WAITALL else 0)


def recv_now(s, n: int, flags: int):
    """(data, source, truncated) now, or WouldBlock; a reset is WSAECONNRESET."""
    if isinstance(s, StreamSocket) and s.state == LISTENING:
        raise WinsockError(WSAENOTCONN)
    rearm(s, FD_READ)
    try:
        data, anc, source, mflags, full = s.recv(n, flags)
    except KernelError as exc:
        raise _port_unreachable(s, exc) from None
    return data, source, full > len(data)


def _port_unreachable(s, exc: KernelError) -> KernelError | WinsockError:
    """A datagram's port-unreachable is Linux's ECONNREFUSED and Winsock's WSAECONNRESET
    (the error SIO_UDP_CONNRESET is about)."""
    if exc.errno == errno.ECONNREFUSED and isinstance(s, DgramSocket):
        return WinsockError(WSAECONNRESET)
    return exc


def recv_blocking(p, s, n: int, flags: int):
    """recv as the socket's mode says: WSAEWOULDBLOCK, or a wait for data."""
    try:
        got = recv_now(s, n, flags)
    except WouldBlock:
        if nonblocking(s):
            raise WinsockError(WSAEWOULDBLOCK) from None
        raise wait_for(p, s, lambda: s.closed or s.readable_now(), SO_RCVTIMEO) from None
    p.win32.wsa_deadline = None
    return got


def _store_received(p, buf: int, got, from_addr: int = 0, fromlen: int = 0) -> int:
    data, source, truncated = got
    p.mm.write(buf, data)
    if from_addr and source is not None:
        write_sockaddr(p, from_addr, fromlen, source.family if hasattr(source, "family")
                       else AF_UNIX, source)
    if truncated:
        raise WinsockError(WSAEMSGSIZE)        # the datagram's first bytes are in buf
    return len(data)


@winsock_call(SOCKET_ERROR)
def sys_ws2_32_recv(p, s, buf, length, flags):
    sock = sock_of(p, s)
    got = recv_blocking(p, sock, max(length, 0), linux_recv_flags(flags))
    return _store_received(p, buf, got)


@winsock_call(SOCKET_ERROR)
def sys_ws2_32_recvfrom(p, s, buf, length, flags, from_, fromlen):
    sock = sock_of(p, s)
    got = recv_blocking(p, sock, max(length, 0), linux_recv_flags(flags))
    return _store_received(p, buf, got, from_, fromlen)


def send_now(p, s, data: bytes, dest=None) -> int:
    """As much of data as fits now (WouldBlock when nothing does); a lost connection is
    WSAECONNRESET, a shut-down one WSAESHUTDOWN; no SIGPIPE."""
    try:
        if isinstance(s, StreamSocket) and not s.records:
            return s.send(data, 0, dest, None, p, whole_under=s.sndbuf)
        return s.send(data, 0, dest, None, p)
    except WouldBlock:
        rearm(s, FD_WRITE)
        raise
    except BrokenPipe:
        raise WinsockError(WSAESHUTDOWN if s.shut_wr and getattr(s, "tx", None) is not None
                           and not s.tx.reader_gone else WSAECONNRESET) from None
    except KernelError as exc:
        raise _port_unreachable(s, exc) from None


def send_blocking(p, s, key, data: bytes, dest=None) -> int:
    """A blocking socket's send returns once all of data is queued (the progress kept
    across the call's restarts); a non-blocking one sends what fits."""
    progress = p.win32.wsa_send
    done = progress[1] if progress and progress[0] == key else 0
    p.win32.wsa_send = None
    while True:
        try:
            n = send_now(p, s, data[done:], dest)
        except WouldBlock:
            if nonblocking(s):
                if done:
                    return done
                raise WinsockError(WSAEWOULDBLOCK) from None
            ready = (lambda: s.closed or s.send_ready(dest, p)) if isinstance(s, DgramSocket) \
                else (lambda: s.closed or s.writable_now())
            try:
                blk = wait_for(p, s, ready, SO_SNDTIMEO)
            except WinsockError:
                if done:
                    return done
                raise
            p.win32.wsa_send = (key, done)
            raise blk from None
        done += n
        if done >= len(data) or not isinstance(s, StreamSocket) or nonblocking(s):
            p.win32.wsa_deadline = None
            return done


@winsock_call(SOCKET_ERROR)
def sys_ws2_32_send(p, s, buf, length, flags):
    sock = sock_of(p, s)
    data = p.mm.read(buf, min(max(length, 0), 1 << 26))
    return send_blocking(p, sock, ("send", s, buf, length), data)


@winsock_call(SOCKET_ERROR)
def sys_ws2_32_sendto(p, s, buf, length, flags, to, tolen):
    sock = sock_of(p, s)
    data = p.mm.read(buf, min(max(length, 0), 1 << 26))
    dest = None
    if to and isinstance(sock, DgramSocket):
        family, dest = read_sockaddr(p, to, tolen)
        checked_family(sock, family)
    return send_blocking(p, sock, ("sendto", s, buf, length), data, dest)


@winsock_call(SOCKET_ERROR)
def sys_ws2_32_shutdown(p, s, how):
    sock_of(p, s).shutdown(how)        # SD_RECEIVE/SD_SEND/SD_BOTH are SHUT_RD/WR/RDWR
    return 0


@winsock_call(SOCKET_ERROR)
def sys_ws2_32_getsockname(p, s, name, namelen):
    sock = sock_of(p, s)
    if sock.local is None:
        raise WinsockError(WSAEINVAL)          # Winsock: not bound yet
    write_sockaddr(p, name, namelen, sock.family, sock.local)
    return 0


@winsock_call(SOCKET_ERROR)
def sys_ws2_32_getpeername(p, s, name, namelen):
    sock = sock_of(p, s)
    if sock.peer_addr is None or getattr(sock, "state", CONNECTED) != CONNECTED:
        raise WinsockError(WSAENOTCONN)
    write_sockaddr(p, name, namelen, sock.family, sock.peer_addr)
    return 0
