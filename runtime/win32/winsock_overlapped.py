"""Overlapped sockets, as libuv and Go use them: WSARecv/WSASend (and their datagram forms)
with an OVERLAPPED, AcceptEx and ConnectEx (reached through WSAIoctl's extension function
pointers, exported by the generated mswsock.dll), WSAGetOverlappedResult. An operation that
can finish now completes at once (a packet to the socket's port unless the program asked
for FILE_SKIP_COMPLETION_PORT_ON_SUCCESS); one that cannot stays pending on the port
(kernel32_iocp) until the socket is ready. A zero-byte receive waits for data without
taking any (libuv's way to wait on many sockets without a buffer each)."""
from __future__ import annotations

import errno
import struct
from dataclasses import dataclass

from ..errors import KernelError, WouldBlock
from ..net.addr import AF_UNIX, AF_UNSPEC
from ..net.socket import CONNECTED, LISTENING, MSG_PEEK, UNCONNECTED, StreamSocket
from ..nt import abi
from ..nt.status import (STATUS_ADDRESS_ALREADY_EXISTS, STATUS_BUFFER_OVERFLOW,
                         STATUS_CANCELLED, STATUS_CONNECTION_ABORTED,
                         STATUS_CONNECTION_REFUSED, STATUS_CONNECTION_RESET,
                         STATUS_HOST_UNREACHABLE, STATUS_INVALID_CONNECTION,
                         STATUS_INVALID_DEVICE_REQUEST, STATUS_INVALID_HANDLE,
                         STATUS_INVALID_PARAMETER, STATUS_IO_TIMEOUT, STATUS_LOCAL_DISCONNECT,
                         STATUS_NETWORK_UNREACHABLE, STATUS_PENDING, STATUS_REMOTE_DISCONNECT,
                         STATUS_SUCCESS)
from .kernel32_iocp import (Pending, begin, complete, nt_apc, nt_begin, overlapped_result,
                            set_status, start_pending)
from .winsock import (SOCKET_ERROR, WSAEFAULT, WSAEINVAL, WSAEMSGSIZE, WSAENOTCONN,
                      WSAEOPNOTSUPP, WSA_OF_ERRNO, WinsockError, accept_now, linux_recv_flags,
                      read_sockaddr, recv_blocking, recv_now, send_blocking, send_now,
                      sock_of, sockaddr_bytes, winsock_call, write_sockaddr, checked_family)
from .winsock_options import socket_ioctl
from .winsock_select import readable

# How a failed socket operation completes: errno -> NTSTATUS (as AFD reports it), and back to
# the WSAE* code WSAGetOverlappedResult gives (the errno's own, for these).
STATUS_OF_ERRNO = {
    errno.ECONNRESET: STATUS_CONNECTION_RESET, errno.EPIPE: STATUS_CONNECTION_RESET,
    errno.ECONNREFUSED: STATUS_CONNECTION_REFUSED, errno.ECONNABORTED: STATUS_CONNECTION_ABORTED,
    errno.ENOTCONN: STATUS_INVALID_CONNECTION, errno.ETIMEDOUT: STATUS_IO_TIMEOUT,
    errno.ENETUNREACH: STATUS_NETWORK_UNREACHABLE, errno.EHOSTUNREACH: STATUS_HOST_UNREACHABLE,
    errno.EADDRINUSE: STATUS_ADDRESS_ALREADY_EXISTS,
}
WSA_OPERATION_ABORTED = 995
WSA_OF_STATUS = {**{status: WSA_OF_ERRNO[err] for err, status in STATUS_OF_ERRNO.items()},
                 STATUS_CANCELLED: WSA_OPERATION_ABORTED, STATUS_BUFFER_OVERFLOW: WSAEMSGSIZE,
                 STATUS_LOCAL_DISCONNECT: WSA_OF_ERRNO[errno.ESHUTDOWN],
                 STATUS_REMOTE_DISCONNECT: WSA_OF_ERRNO[errno.ECONNRESET]}
ERRNO_OF_WSA = {code: err for err, code in WSA_OF_ERRNO.items()}


def _status_of(exc: Exception) -> int:
    if isinstance(exc, WinsockError):
        if exc.code == WSAEMSGSIZE:
            return STATUS_BUFFER_OVERFLOW
        err = ERRNO_OF_WSA.get(exc.code)
    else:
        err = exc.errno
    return STATUS_OF_ERRNO.get(err, STATUS_INVALID_PARAMETER)


def _wsabufs(p, buffers: int, count: int) -> list[tuple[int, int]]:
    """WSABUF array -> [(address, length)]: {ULONG len; CHAR *buf}, the pointer aligned."""
    if count > 1024 or (count and not buffers):
        raise WinsockError(WSAEINVAL if count > 1024 else WSAEFAULT)
    word = abi.word(p)
    out = []
    for i in range(count):
        at = buffers + i * 2 * word
        out.append((abi.read_ptr(p, at + word), p.mm.read_u32(at)))
    return out


def _scatter(p, bufs, data: bytes) -> None:
    at = 0
    for addr, length in bufs:
        if at >= len(data):
            break
        p.mm.write(addr, data[at:at + length])
        at += length


def _gather(p, bufs) -> bytes:
    return b"".join(p.mm.read(addr, length) for addr, length in bufs if length)


def _put_u32(p, addr: int, value: int) -> None:
    if addr:
        p.mm.write_u32(addr, value)


class SocketOp(Pending):
    """A pending socket operation: gone once its handle holds no socket (closed, or made
    something else behind the Winsock calls' backs), so ready() and finish() find one."""

    def gone(self, p) -> bool:
        try:
            sock_of(p, self.handle)
        except WinsockError:
            return True
        return False


# --- receiving -----------------------------------------------------------------------------

def _receive(s, total: int, flags: int):
    """What a receive into total bytes of buffers takes now, or WouldBlock; a zero-byte
    receive waits for data without taking any (libuv's way to wait without a buffer)."""
    if total == 0:
        if not readable(s):
            raise WouldBlock()
        return b"", None, False
    return recv_now(s, total, flags)


@dataclass(eq=False)
class PendingRecv(SocketOp):
    handle: int
    overlapped: int
    bufs: list
    flags: int
    from_addr: int = 0
    fromlen: int = 0

    def ready(self, p) -> bool:
        s = sock_of(p, self.handle)
        return s.closed or readable(s)

    def finish(self, p) -> None:
        s = sock_of(p, self.handle)
        total = sum(n for _, n in self.bufs)
        try:
            got = _receive(s, total, self.flags)
            count = _deliver(p, self.bufs, got, self.from_addr, self.fromlen)
        except WouldBlock:
            start_pending(p, self)        # woken for nothing: wait again
            return
        except (WinsockError, KernelError) as exc:
            self.done(p, 0, _status_of(exc))
            return
        self.done(p, count, STATUS_BUFFER_OVERFLOW if got[2] else STATUS_SUCCESS)


def _deliver(p, bufs, got, from_addr: int, fromlen: int) -> int:
    data, source, _truncated = got
    _scatter(p, bufs, data)
    if from_addr and source is not None:
        write_sockaddr(p, from_addr, fromlen, source.family, source)
    return len(data)


def _wsa_recv(p, s, buffers, count, received, flags_ptr, overlapped, from_addr=0, fromlen=0):
    begin(p, overlapped)
    sock = sock_of(p, s)
    bufs = _wsabufs(p, buffers, count)
    total = sum(n for _, n in bufs)
    flags = linux_recv_flags(p.mm.read_u32(flags_ptr) if flags_ptr else 0)
    if not overlapped:
        got = recv_blocking(p, sock, total, flags)
        n = _deliver(p, bufs, got, from_addr, fromlen)
        _put_u32(p, received, n)
        _put_u32(p, flags_ptr, 0)
        if got[2]:
            raise WinsockError(WSAEMSGSIZE)
        return 0
    if isinstance(sock, StreamSocket) and sock.state != CONNECTED:
        raise WinsockError(10057)                   # WSAENOTCONN
    try:
        got = _receive(sock, total, flags)
    except WouldBlock:
        start_pending(p, PendingRecv(s, overlapped, bufs, flags, from_addr, fromlen))
        return SOCKET_ERROR                         # WSA_IO_PENDING
    n = _deliver(p, bufs, got, from_addr, fromlen)
    _put_u32(p, received, n)
    _put_u32(p, flags_ptr, 0)
    complete(p, s, overlapped, n, STATUS_BUFFER_OVERFLOW if got[2] else STATUS_SUCCESS,
             at_once=True)
    if got[2]:
        raise WinsockError(WSAEMSGSIZE)
    return 0


@winsock_call(SOCKET_ERROR)
def sys_ws2_32_WSARecv(p, s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags,
                       lpOverlapped, lpCompletionRoutine):
    return _wsa_recv(p, s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags,
                     lpOverlapped)


@winsock_call(SOCKET_ERROR)
def sys_ws2_32_WSARecvFrom(p, s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags,
                           lpFrom, lpFromlen, lpOverlapped, lpCompletionRoutine):
    return _wsa_recv(p, s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags,
                     lpOverlapped, lpFrom, lpFromlen)


# AFD's receive requests, which libuv sends with NtDeviceIoControlFile on a UDP socket's
# handle (its workaround for SetFileCompletionNotificationModes on datagram sockets): an
# AFD_RECV_INFO or AFD_RECV_DATAGRAM_INFO, the OVERLAPPED as the IO_STATUS_BLOCK.
IOCTL_AFD_RECEIVE, IOCTL_AFD_RECEIVE_DATAGRAM = 0x12017, 0x1201B
TDI_RECEIVE_PEEK = 0x80


def afd_control(p, handle, event: int, apc_routine: int, apc_context: int, code: int,
                info: int, info_length: int, iosb: int) -> int:
    """The NTSTATUS of an AFD request on a socket: done now (its packet as an overlapped
    WSARecv's), STATUS_PENDING until the socket is readable, or how it failed. Its Event
    is reset now and set when it completes, its ApcRoutine queued then; ApcContext is the
    port packet's context (libuv passes the OVERLAPPED, or NULL for no packet)."""
    if code not in (IOCTL_AFD_RECEIVE, IOCTL_AFD_RECEIVE_DATAGRAM):
        return STATUS_INVALID_DEVICE_REQUEST
    nt_begin(p, handle, event)
    apc = nt_apc(p, apc_routine)
    word = abi.word(p)
    try:
        sock = sock_of(p, handle)
        buffers = abi.read_ptr(p, info)
        count, _afd_flags, tdi_flags = struct.unpack("<III", p.mm.read(info + word, 12))
        from_addr = fromlen = 0
        if code == IOCTL_AFD_RECEIVE_DATAGRAM:
            at = (info + word + 12 + word - 1) & ~(word - 1)
            from_addr, fromlen = abi.read_ptr(p, at), abi.read_ptr(p, at + word)
        bufs = _wsabufs(p, buffers, count)
    except WinsockError:
        return STATUS_INVALID_HANDLE
    flags = MSG_PEEK if tdi_flags & TDI_RECEIVE_PEEK else 0
    total = sum(n for _, n in bufs)
    try:
        got = _receive(sock, total, flags)
        n = _deliver(p, bufs, got, from_addr, fromlen)
    except WouldBlock:
        op = PendingRecv(handle, apc_context, bufs, flags, from_addr, fromlen)
        op.iosb, op.event, op.apc = iosb, event, apc
        start_pending(p, op)
        return STATUS_PENDING
    except (WinsockError, KernelError) as exc:
        status = _status_of(exc)
        set_status(p, iosb, status, 0)
        return status
    status = STATUS_BUFFER_OVERFLOW if got[2] else STATUS_SUCCESS
    complete(p, handle, apc_context, n, status, at_once=True, iosb=iosb, event=event, apc=apc)
    return status


# --- sending -------------------------------------------------------------------------------

@dataclass(eq=False)
class PendingSend(SocketOp):
    handle: int
    overlapped: int
    data: bytes
    sent: int = 0
    dest: object = None

    def ready(self, p) -> bool:
        s = sock_of(p, self.handle)
        return s.closed or s.writable_now()

    def finish(self, p) -> None:
        s = sock_of(p, self.handle)
        try:
            self.sent += send_now(p, s, self.data[self.sent:], self.dest)
        except WouldBlock:
            pass
        except (WinsockError, KernelError) as exc:
            complete(p, self.handle, self.overlapped, self.sent, _status_of(exc))
            return
        if self.sent < len(self.data):
            start_pending(p, self)        # the rest when there is room
            return
        complete(p, self.handle, self.overlapped, self.sent)


def _send_or_pend(p, handle, sock, overlapped, data: bytes, dest=None) -> int | None:
    """An overlapped send: all of data now (an empty datagram is still one), completed at
    once, and its count; or None, the rest pending until there is room (WSA_IO_PENDING)."""
    sent = 0
    try:
        while True:
            sent += send_now(p, sock, data[sent:], dest)
            if sent >= len(data):
                break
    except WouldBlock:
        start_pending(p, PendingSend(handle, overlapped, data, sent, dest))
        return None
    complete(p, handle, overlapped, sent, at_once=True)
    return sent


def _wsa_send(p, s, buffers, count, sent_out, overlapped, dest_addr=0, dest_len=0):
    begin(p, overlapped)
    sock = sock_of(p, s)
    data = _gather(p, _wsabufs(p, buffers, count))
    dest = None
    if dest_addr and not isinstance(sock, StreamSocket):
        family, dest = read_sockaddr(p, dest_addr, dest_len)
        if family != AF_UNSPEC:
            checked_family(sock, family)
    if not overlapped:
        n = send_blocking(p, sock, ("wsasend", s, buffers, count), data, dest)
        _put_u32(p, sent_out, n)
        return 0
    sent = _send_or_pend(p, s, sock, overlapped, data, dest)
    if sent is None:
        return SOCKET_ERROR                         # WSA_IO_PENDING
    _put_u32(p, sent_out, sent)
    return 0


@winsock_call(SOCKET_ERROR)
def sys_ws2_32_WSASend(p, s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags,
                       lpOverlapped, lpCompletionRoutine):
    return _wsa_send(p, s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, lpOverlapped)


@winsock_call(SOCKET_ERROR)
def sys_ws2_32_WSASendTo(p, s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags,
                         lpTo, iTolen, lpOverlapped, lpCompletionRoutine):
    return _wsa_send(p, s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, lpOverlapped,
                     lpTo, iTolen)


def _wsamsg(p, msg: int) -> tuple[int, int, int, int]:
    """(name, namelen, lpBuffers, dwBufferCount) of a WSAMSG; its control data (ancillary
    options such as IP_PKTINFO) are not acted on."""
    w = abi.word(p)
    name = abi.read_ptr(p, msg)
    namelen = p.mm.read_u32(msg + w)
    buffers = abi.read_ptr(p, msg + (16 if w == 8 else 8))
    count = p.mm.read_u32(msg + (24 if w == 8 else 12))
    return name, namelen, buffers, count


@winsock_call(SOCKET_ERROR)
def sys_ws2_32_WSASendMsg(p, Handle, lpMsg, dwFlags, lpNumberOfBytesSent, lpOverlapped,
                          lpCompletionRoutine):
    """WSASendTo with its buffers and address in a WSAMSG (Deno's and quinn's UDP sends)."""
    if not lpMsg:
        raise WinsockError(WSAEFAULT)
    name, namelen, buffers, count = _wsamsg(p, lpMsg)
    return _wsa_send(p, Handle, buffers, count, lpNumberOfBytesSent, lpOverlapped, name,
                     namelen)


@winsock_call(SOCKET_ERROR)
def sys_mswsock_WSARecvMsg(p, s, lpMsg, lpdwNumberOfBytesRecvd, lpOverlapped,
                           lpCompletionRoutine):
    """WSARecvFrom into a WSAMSG (reached through WSAIoctl's WSAID_WSARECVMSG): the sender
    in its name, dwFlags the message's flags; no control data comes (Control.len 0)."""
    if not lpMsg:
        raise WinsockError(WSAEFAULT)
    name, _, buffers, count = _wsamsg(p, lpMsg)
    w = abi.word(p)
    p.mm.write_u32(lpMsg + (32 if w == 8 else 16), 0)             # Control.len
    return _wsa_recv(p, s, buffers, count, lpdwNumberOfBytesRecvd,
                     lpMsg + (48 if w == 8 else 24), lpOverlapped, name,
                     lpMsg + w if name else 0)


MAX_TRANSMIT = 1 << 26     # what one TransmitFile reads at once (Go sends files in chunks)


@winsock_call(0)
def sys_mswsock_TransmitFile(p, hSocket, hFile, nNumberOfBytesToWrite, nNumberOfBytesPerSend,
                             lpOverlapped, lpTransmitBuffers, dwReserved):
    """A file's bytes sent on a connected socket (Go's sendfile; http.FileServer): from the
    OVERLAPPED's offset, else the file's position (which then moves past them), the whole
    rest when the count is 0; TRANSMIT_FILE_BUFFERS' head and tail around them."""
    sock = sock_of(p, hSocket)
    if not isinstance(sock, StreamSocket) or sock.state != CONNECTED:
        raise WinsockError(10057)                   # WSAENOTCONN
    head = tail = b""
    if lpTransmitBuffers:
        word = abi.word(p)
        head_at, head_len, tail_at, tail_len = (
            abi.read_ptr(p, lpTransmitBuffers), p.mm.read_u32(lpTransmitBuffers + word),
            abi.read_ptr(p, lpTransmitBuffers + 2 * word),
            p.mm.read_u32(lpTransmitBuffers + 3 * word))
        head = p.mm.read(head_at, head_len) if head_at and head_len else b""
        tail = p.mm.read(tail_at, tail_len) if tail_at and tail_len else b""
    body = b""
    if hFile:
        try:
            f = p.fds.get(abi.fd_of_handle(hFile))
        except Exception:   # NtError / KernelError: not a descriptor
            raise WinsockError(10009) from None     # WSAEBADF
        want = nNumberOfBytesToWrite or MAX_TRANSMIT
        if lpOverlapped:
            offset = p.mm.read_u32(lpOverlapped + 2 * abi.word(p)) | \
                p.mm.read_u32(lpOverlapped + 2 * abi.word(p) + 4) << 32
            body = f.pread(min(want, MAX_TRANSMIT), offset)
        else:
            body = f.read(min(want, MAX_TRANSMIT))
    data = head + body + tail
    if not lpOverlapped:
        send_blocking(p, sock, ("transmit", hSocket, hFile), data)
        return 1
    return 0 if _send_or_pend(p, hSocket, sock, lpOverlapped, data) is None else 1


# --- AcceptEx and ConnectEx ----------------------------------------------------------------

ADDRESS_SLOT = 4     # an address area of AcceptEx's buffer: its length, then the sockaddr


@dataclass(eq=False)
class PendingAccept(SocketOp):
    handle: int          # the listening socket: its port gets the packet
    overlapped: int
    acceptor: int        # the socket the program made for the connection
    buffer: int
    data_length: int
    local_length: int
    remote_length: int
    conn: object = None  # taken from the backlog, waiting for its first data

    def ready(self, p) -> bool:
        listener = sock_of(p, self.handle)
        if self.conn is not None:
            return readable(self.conn)
        return listener.closed or bool(getattr(listener, "backlog", None)) or \
            getattr(listener, "state", "") != LISTENING

    def finish(self, p) -> None:
        try:
            count = _accept_into(p, self)
        except WouldBlock:
            start_pending(p, self)
            return
        except (WinsockError, KernelError) as exc:
            complete(p, self.handle, self.overlapped, 0, _status_of(exc))
            return
        complete(p, self.handle, self.overlapped, count)


def _accept_into(p, op: PendingAccept) -> int:
    """Take a connection (WouldBlock: none yet, or its first data has not come), give it
    the acceptor's handle, and fill the program's buffer: data, then both addresses."""
    if op.conn is None:
        op.conn = accept_now(p, sock_of(p, op.handle))
    conn = op.conn
    data = b""
    if op.data_length:
        if not readable(conn):
            raise WouldBlock()
        data = conn.recv(op.data_length, 0)[0]
    fd = abi.fd_of_handle(op.acceptor)
    old = sock_of(p, op.acceptor)
    conn.status_flags = old.status_flags
    p.fds.replace(fd, conn)
    op.conn = None
    p.mm.write(op.buffer, data)
    for offset, room, address in ((op.data_length, op.local_length, conn.local),
                                  (op.data_length + op.local_length, op.remote_length,
                                   conn.peer_addr)):
        raw = sockaddr_bytes(conn.family, address)
        if room >= ADDRESS_SLOT + len(raw):
            p.mm.write(op.buffer + offset, struct.pack("<I", len(raw)) + raw)
    return len(data)


@winsock_call(0)
def sys_mswsock_AcceptEx(p, sListenSocket, sAcceptSocket, lpOutputBuffer, dwReceiveDataLength,
                         dwLocalAddressLength, dwRemoteAddressLength, lpdwBytesReceived,
                         lpOverlapped):
    begin(p, lpOverlapped)
    listener, acceptor = sock_of(p, sListenSocket), sock_of(p, sAcceptSocket)
    if not isinstance(acceptor, StreamSocket) or acceptor.state != UNCONNECTED or \
            acceptor.local is not None:
        raise WinsockError(WSAEINVAL)
    if not lpOverlapped:
        raise WinsockError(WSAEINVAL)        # AcceptEx is overlapped only
    op = PendingAccept(sListenSocket, lpOverlapped, sAcceptSocket, lpOutputBuffer,
                       dwReceiveDataLength, dwLocalAddressLength, dwRemoteAddressLength)
    if not isinstance(listener, StreamSocket) or listener.state != LISTENING:
        raise WinsockError(WSAEINVAL)
    try:
        count = _accept_into(p, op)
    except WouldBlock:
        start_pending(p, op)
        return 0                                # FALSE, ERROR_IO_PENDING
    _put_u32(p, lpdwBytesReceived, count)
    complete(p, sListenSocket, lpOverlapped, count, at_once=True)
    return 1


def sys_mswsock_GetAcceptExSockaddrs(p, lpOutputBuffer, dwReceiveDataLength,
                                     dwLocalAddressLength, dwRemoteAddressLength,
                                     LocalSockaddr, LocalSockaddrLength, RemoteSockaddr,
                                     RemoteSockaddrLength):
    """Pointers into the buffer AcceptEx filled (its address areas are this module's)."""
    for offset, where, length in ((dwReceiveDataLength, LocalSockaddr, LocalSockaddrLength),
                                  (dwReceiveDataLength + dwLocalAddressLength, RemoteSockaddr,
                                   RemoteSockaddrLength)):
        area = lpOutputBuffer + offset
        if where:
            abi.write_ptr(p, where, area + ADDRESS_SLOT)
        if length:
            p.mm.write_u32(length, p.mm.read_u32(area))
    return 0


@dataclass(eq=False)
class PendingConnect(SocketOp):
    handle: int
    overlapped: int
    address: object
    data: bytes

    def ready(self, p) -> bool:
        s = sock_of(p, self.handle)
        return s.closed or s.connect_ready(self.address, p)

    def finish(self, p) -> None:
        s = sock_of(p, self.handle)
        try:
            s.connect(self.address, p)
            sent = send_now(p, s, self.data) if self.data else 0
        except WouldBlock:
            start_pending(p, self)
            return
        except (WinsockError, KernelError) as exc:
            complete(p, self.handle, self.overlapped, 0, _status_of(exc))
            return
        complete(p, self.handle, self.overlapped, sent)


@winsock_call(0)
def sys_mswsock_ConnectEx(p, s, name, namelen, lpSendBuffer, dwSendDataLength, lpdwBytesSent,
                          lpOverlapped):
    begin(p, lpOverlapped)
    sock = sock_of(p, s)
    family, address = read_sockaddr(p, name, namelen)
    checked_family(sock, family)
    if not isinstance(sock, StreamSocket) or sock.local is None or not lpOverlapped:
        raise WinsockError(WSAEINVAL)            # ConnectEx wants a bound stream socket
    data = p.mm.read(lpSendBuffer, dwSendDataLength) if lpSendBuffer and dwSendDataLength \
        else b""
    try:
        sock.connect(address, p)
    except WouldBlock:
        start_pending(p, PendingConnect(s, lpOverlapped, address, data))
        return 0                                # FALSE, ERROR_IO_PENDING
    sent = send_now(p, sock, data) if data else 0
    _put_u32(p, lpdwBytesSent, sent)
    complete(p, s, lpOverlapped, sent, at_once=True)
    return 1


@winsock_call(0)
def sys_mswsock_DisconnectEx(p, s, lpOverlapped, dwFlags, dwReserved):
    """Close the connection (both directions, as shutdown(SD_BOTH)); TF_REUSE_SOCKET's reuse
    is not offered, the socket stays shut. Done at once, with or without an OVERLAPPED."""
    sock = sock_of(p, s)
    if not isinstance(sock, StreamSocket) or sock.state != CONNECTED:
        raise WinsockError(10057)                   # WSAENOTCONN
    sock.shutdown(2)
    if lpOverlapped:
        complete(p, s, lpOverlapped, 0, at_once=True)
    return 1


# --- WSAIoctl and the overlapped result ----------------------------------------------------

SIO_GET_EXTENSION_FUNCTION_POINTER, SIO_BASE_HANDLE = 0xC8000006, 0x48000022
SIO_AF_UNIX_GETPEERPID = 0x58000100      # the connected AF_UNIX peer's process id
SIO_BSP_HANDLES = {0x4800001B, 0x4800001C, 0x4800001D, SIO_BASE_HANDLE}
# Controls taken and left without effect on a loopback with no timers: keep-alive values,
# the loopback fast path, the initial RTO (libuv's fast refusal), UDP's ICMP resets.
SIO_ACCEPTED = {0x98000004, 0x98000010, 0x98000011, 0x9800000C, 0x9800000F}
EXTENSIONS = {
    "b5367df1-cbac-11cf-95ca-00805f48a192": "AcceptEx",
    "25a207b9-ddf3-4660-8ee9-76e58c74063e": "ConnectEx",
    "b5367df2-cbac-11cf-95ca-00805f48a192": "GetAcceptExSockaddrs",
    "b5367df0-cbac-11cf-95ca-00805f48a192": "TransmitFile",
    "7fda2e11-8630-436f-a031-f536a6eec157": "DisconnectEx",
    "f689d7c8-6f1f-436b-8a53-e54fe351c322": "WSARecvMsg",
}


def _extension(p, guid: bytes) -> int:
    """The address of mswsock's export a WSAID_* GUID names (mswsock mapped on demand)."""
    import uuid
    from .kernel32 import _load_generated
    name = EXTENSIONS.get(str(uuid.UUID(bytes_le=guid)))
    found = (p.win32.modules.get("mswsock") or _load_generated(p, "mswsock")) if name else None
    base, exports = found or (0, {})
    if not name or name not in exports:
        raise WinsockError(WSAEINVAL)
    return base + exports[name]


@winsock_call(SOCKET_ERROR)
def sys_ws2_32_WSAIoctl(p, s, dwIoControlCode, lpvInBuffer, cbInBuffer, lpvOutBuffer,
                        cbOutBuffer, lpcbBytesReturned, lpOverlapped, lpCompletionRoutine):
    sock = sock_of(p, s)
    code, word = dwIoControlCode & 0xFFFFFFFF, abi.word(p)
    returned = 0
    if code == SIO_GET_EXTENSION_FUNCTION_POINTER:
        if cbInBuffer < 16 or cbOutBuffer < word:
            raise WinsockError(WSAEFAULT)
        abi.write_ptr(p, lpvOutBuffer, _extension(p, p.mm.read(lpvInBuffer, 16)))
        returned = word
    elif code in SIO_BSP_HANDLES:
        if cbOutBuffer < word:
            raise WinsockError(WSAEFAULT)
        abi.write_ptr(p, lpvOutBuffer, s)         # no layered provider: the socket itself
        returned = word
    elif code == SIO_AF_UNIX_GETPEERPID:          # OCaml's Unix.socketpair checks its peer
        creds = getattr(sock, "peer_creds", None)
        if getattr(sock, "family", None) != AF_UNIX:
            raise WinsockError(WSAEOPNOTSUPP)
        if creds is None:
            raise WinsockError(WSAENOTCONN)
        if cbOutBuffer < 4 or not lpvOutBuffer:
            raise WinsockError(WSAEFAULT)
        p.mm.write_u32(lpvOutBuffer, creds[0])
        returned = 4
    elif code in SIO_ACCEPTED:
        pass
    elif code in (0x8004667E, 0x4004667F):        # FIONBIO reads its input, FIONREAD writes
        buf = lpvInBuffer if code == 0x8004667E else lpvOutBuffer
        if not buf:
            raise WinsockError(WSAEFAULT)
        socket_ioctl(p, sock, code, buf)
        returned = 4 if code == 0x4004667F else 0
    else:
        raise WinsockError(WSAEOPNOTSUPP)
    _put_u32(p, lpcbBytesReturned, returned)
    if lpOverlapped:
        complete(p, s, lpOverlapped, returned, at_once=True)
    return 0


@winsock_call(0)
def sys_ws2_32_WSAGetOverlappedResult(p, s, lpOverlapped, lpcbTransfer, fWait, lpdwFlags):
    sock_of(p, s)
    result = overlapped_result(p, s, lpOverlapped, bool(fWait))
    if result is None:
        raise WinsockError(996)                   # WSA_IO_INCOMPLETE
    status, count = result
    _put_u32(p, lpcbTransfer, count)
    _put_u32(p, lpdwFlags, 0)
    if status:
        raise WinsockError(WSA_OF_STATUS.get(status, WSAEINVAL))
    return 1
