"""struct socket for the machine's network: the open-file side every socket shares, stream
and seqpacket sockets (a connected pair of queues, a listener's backlog) and datagram
sockets. Which names exist and who answers a connect is the address family's business
(unix.py, inet.py): a socket only asks its namespace."""
from __future__ import annotations

import errno
import stat as S
from collections import deque

from ..errors import BrokenPipe, KernelError, WouldBlock
from ..files import O_NONBLOCK, O_RDWR, OpenFile, _inodes, synthetic_stat
from ..readiness import POLLERR, POLLHUP, POLLRDHUP, READABLE, WRITABLE
from .addr import AF_UNIX, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_STREAM
from .queue import DEFAULT_CAPACITY, POLL_HUP, POLL_IN, Queue

MSG_OOB, MSG_PEEK, MSG_CTRUNC, MSG_TRUNC, MSG_DONTWAIT = 0x1, 0x2, 0x8, 0x20, 0x40
MSG_EOR, MSG_WAITALL, MSG_NOSIGNAL, MSG_MORE = 0x80, 0x100, 0x4000, 0x8000
MSG_FASTOPEN, MSG_CMSG_CLOEXEC = 0x20000000, 0x40000000
SHUT_RD, SHUT_WR, SHUT_RDWR = 0, 1, 2
SOMAXCONN = 4096

UNCONNECTED, LISTENING, CONNECTED = "unconnected", "listening", "connected"


def release_ancillary(anc) -> None:
    """Descriptors in flight that nobody will receive are closed (their reference drops)."""
    for f in (anc or {}).get("rights", ()):
        f.decref()


class Socket(OpenFile):
    kind = "sock"
    stream = False
    async_notify = None      # O_ASYNC's signal to the owner when data arrives (linux/fasync.py)
    rx = None                # the receive queue, once there is one
    fastopen = None          # the MSG_FASTOPEN send whose connect is made (linux/socket.py)

    def __init__(self, names, family: int, type_: int, protocol: int, creds: tuple):
        super().__init__(O_RDWR, "")
        self.names, self.family, self.type, self.protocol = names, family, type_, protocol
        self.ino = next(_inodes)
        self.guest_path = f"socket:[{self.ino}]"
        self.local = None            # the bound address (the family's value), None: unbound
        self.peer_addr = None        # where a connected socket sends
        self.creds = creds           # (pid, uid, gid) of the creator: SO_PEERCRED of its peer
        self.uid = creds[1]          # the owner (sock_i_uid): /proc/net, SO_REUSEPORT groups
        self.peer_creds = None
        self.opts: dict = {}         # (level, name) -> value the guest set
        self.so_error = 0
        self.shut_rd = self.shut_wr = False
        self.abort_on_close = False  # SO_LINGER on with no time: close resets the peer
        self.rcvbuf = self.sndbuf = DEFAULT_CAPACITY

    def fstat(self):
        return synthetic_stat(S.S_IFSOCK | 0o777, ino=self.ino)

    def close(self) -> None:
        if not self.closed:
            self.release()
            self.names.unbind(self)
        super().close()

    def release(self) -> None:
        """The last descriptor went away: what the peer sees (EOF, reset) happens here."""

    # read(2) and write(2) are recv and send without flags
    def read(self, n):
        return self.recv(n, 0)[0]

    def write(self, data):
        return self.send(data, 0)

    def readable_now(self):
        return bool(self.poll() & (READABLE | POLLHUP | POLLERR))

    def writable_now(self):
        return bool(self.poll() & (WRITABLE | POLLERR))

    def sync(self) -> None:
        """Let the namespace bring in what arrived from outside the machine (host bridges)."""
        pump = getattr(self.names, "pump", None)
        if pump is not None:
            pump()

    def host_fds(self) -> list[int]:
        fds = getattr(self.names, "host_fds", None)
        return fds() if fds is not None else []

    def take_error(self) -> int:
        err, self.so_error = self.so_error, 0
        return err

    def unread(self) -> int:
        """FIONREAD: bytes waiting (a datagram socket: the size of the next datagram)."""
        return 0


# --- stream and seqpacket ------------------------------------------------------------------------

class StreamSocket(Socket):
    """SOCK_STREAM (TCP, unix stream) and SOCK_SEQPACKET: connection-oriented. Writes block
    while the peer's queue is full; a close with unread data resets the peer."""

    stream = True

    def __init__(self, names, family, type_, protocol, creds):
        super().__init__(names, family, type_, protocol, creds)
        self.state = UNCONNECTED
        self.rx: Queue | None = None
        self.tx: Queue | None = None
        self.peer: StreamSocket | None = None
        self.backlog: deque = deque()
        self.backlog_max = 0
        self.arrivals = 0                    # connections queued (wake-ups of a listener)
        self.listener: StreamSocket | None = None
        self.in_progress = False             # connect said EINPROGRESS; the next says 0

    @property
    def records(self) -> bool:
        return self.type == SOCK_SEQPACKET

    # --- connection set-up ------------------------------------------------------------------

    @staticmethod
    def pair(a: "StreamSocket", b: "StreamSocket") -> None:
        """Connect two sockets to each other (socketpair, or both ends of an accepted connect)."""
        a.rx = Queue(a.rcvbuf, a.records, a.names.budget)
        b.rx = Queue(b.rcvbuf, b.records, b.names.budget)
        a.rx.on_push, b.rx.on_push = a.async_notify, b.async_notify   # O_ASYNC set before
        a.tx, b.tx = b.rx, a.rx
        a.peer, b.peer = b, a
        a.state = b.state = CONNECTED
        a.peer_creds, b.peer_creds = b.creds, a.creds

    def listen(self, backlog: int) -> None:
        if self.state == CONNECTED:
            raise KernelError(errno.EINVAL)
        if self.local is None:
            self.names.autobind(self)
        self.state = LISTENING
        self.backlog_max = max(0, min(backlog if backlog >= 0 else SOMAXCONN, SOMAXCONN))

    def connect(self, addr, proc) -> None:
        if self.state == CONNECTED:
            raise KernelError(errno.EISCONN)
        if self.state == LISTENING:
            raise KernelError(errno.EINVAL)
        target = self.names.find_listener(self, addr, proc)
        if not isinstance(target, StreamSocket):
            target.connect(self, addr)       # a host bridge (inet.py) makes the connection
            return
        if target.type != self.type:
            raise KernelError(errno.EPROTOTYPE)
        if len(target.backlog) > target.backlog_max:
            raise WouldBlock()               # Linux retries the SYN: the caller waits
        if self.local is None and self.family != AF_UNIX:
            self.names.autobind(self, addr)
        if self.family != AF_UNIX and self.local.ip.is_unspecified:
            # bound to the wildcard (libuv and Go bind 0.0.0.0:0 before ConnectEx): connect
            # fixes the source address routing picks, keeping the port (inet_hash_connect)
            self.local = self.names.source_for(self, addr)
        server = target.child()
        StreamSocket.pair(self, server)
        self.peer_addr = server.local = self.names.local_for(target, addr)
        server.peer_addr = self.local
        target.queue_connection(server)

    def queue_connection(self, server: "StreamSocket") -> None:
        """A listener's new connection waits for accept; an O_ASYNC listener is signalled."""
        self.backlog.append(server)
        self.arrivals += 1
        if self.async_notify is not None:
            self.async_notify(POLL_IN)

    def connect_ready(self, addr, proc) -> bool:
        """A connect that waited for backlog room may go on (or fail) now."""
        try:
            target = self.names.find_listener(self, addr, proc)
        except KernelError:
            return True
        return not isinstance(target, StreamSocket) or len(target.backlog) <= target.backlog_max

    def child(self) -> "StreamSocket":
        """The socket accept will return, made when a connection arrives."""
        s = type(self)(self.names, self.family, self.type, self.protocol, self.creds)
        s.opts = dict(self.opts)
        s.rcvbuf, s.sndbuf = self.rcvbuf, self.sndbuf
        s.listener = self
        return s

    def accept(self) -> "StreamSocket":
        if self.state != LISTENING:
            raise KernelError(errno.EINVAL)
        self.sync()
        if not self.backlog:
            raise WouldBlock()
        s = self.backlog.popleft()
        s.listener = None
        return s

    # --- data ---------------------------------------------------------------------------------

    def recv(self, n: int, flags: int):
        """(data, ancillary, source address, msg flags, the message's full length)."""
        if self.state != CONNECTED:
            raise KernelError(errno.EINVAL if self.state == LISTENING and self.family == AF_UNIX
                              else errno.ENOTCONN)
        self.sync()
        rx = self.rx
        peek = bool(flags & MSG_PEEK)
        if rx.segs and not self.shut_rd:
            if self.records:
                seg = rx.pull_record(peek)
                data = seg.data[seg.off:]
                out = data[:n]
                return out, (None if peek else seg.anc), None, \
                    (MSG_TRUNC if len(data) > n else 0), len(data)
            # MSG_WAITALL waits for all n bytes, unless the call may not wait at all
            if flags & MSG_WAITALL and rx.size < n and not rx.eof and rx.size < rx.capacity \
                    and not (flags & MSG_DONTWAIT or self.status_flags & O_NONBLOCK):
                raise WouldBlock()
            data, anc = rx.pull_stream(n, peek)
            return data, (None if peek else anc), None, 0, len(data)
        if rx.reset:                      # the data sent before the reset came first
            rx.reset = False
            rx.eof = True
            raise KernelError(errno.ECONNRESET)
        if rx.eof or self.shut_rd or n == 0:
            return b"", None, None, 0, 0
        raise WouldBlock()

    def send(self, data: bytes, flags: int, dest=None, anc=None, proc=None,
             whole_under: int = 0) -> int:
        """whole_under: Winsock's rule, a send made while fewer bytes than that wait in
        the queue is taken whole (KB214397: within the SO_SNDBUF quota the buffer is
        copied and the send completes); Linux takes what fits."""
        if self.state != CONNECTED:
            if self.shut_wr:
                raise BrokenPipe()
            raise KernelError(errno.ENOTCONN if self.family != AF_UNIX or self.state == UNCONNECTED
                              else errno.EINVAL)
        if dest is not None and self.family != AF_UNIX:
            raise KernelError(errno.EISCONN)
        if self.shut_wr or self.rx.rst_arrived:
            release_ancillary(anc)
            self.so_error = 0                # the reset's error is reported once
            raise BrokenPipe()
        if self.tx.reader_gone:
            release_ancillary(anc)
            if self.family == AF_UNIX:
                raise BrokenPipe()
            # TCP: the peer's close is only a FIN, so the first data goes out (as much as the
            # send buffer has room for) and the peer's kernel answers it with a reset; the
            # next send fails (EPIPE: tcp_reset in CLOSE_WAIT). Nothing to send sends nothing.
            if data:                         # (recv still reads the FIN's end of file;
                self.rx.rst_arrived = True   # poll says POLLERR|POLLHUP, SO_ERROR EPIPE once)
                self.so_error = errno.EPIPE
            return min(len(data), max(self.tx.room(), 1))
        tx = self.tx
        if self.records:
            if len(data) > tx.capacity:
                raise KernelError(errno.EMSGSIZE)
            if not tx.fits(len(data)):
                raise WouldBlock()
            tx.push(data, anc)
            return len(data)
        if not data and anc is None:
            return 0
        room = tx.room()
        if whole_under and tx.size < whole_under:
            room = max(room, min(len(data), tx.budget.limit - tx.budget.used))
        if room <= 0:
            self.sync()
            room = tx.room()
            if room <= 0:
                raise WouldBlock()
        tx.push(data[:room], anc)
        self.sync()
        return min(room, len(data))

    def shutdown(self, how: int) -> None:
        if how not in (SHUT_RD, SHUT_WR, SHUT_RDWR):
            raise KernelError(errno.EINVAL)
        if self.state != CONNECTED:
            if self.state == LISTENING and self.family != AF_UNIX:
                self.release()
                self.state = UNCONNECTED
                return
            raise KernelError(errno.ENOTCONN)
        if how in (SHUT_RD, SHUT_RDWR):
            self.shut_rd = True
            if self.family == AF_UNIX:
                self.rx.reader_gone = True
        if how in (SHUT_WR, SHUT_RDWR):
            self.shut_wr = True
            self.tx.hang_up()

    def release(self) -> None:
        if self.state == LISTENING:
            while self.backlog:           # connections nobody accepted are reset
                s = self.backlog.popleft()
                s.tx.reset_by_peer()
                s.decref()
        elif self.state == CONNECTED:
            tx, rx = self.tx, self.rx
            if rx.size or self.abort_on_close:   # unread data, or SO_LINGER {1, 0}: the
                tx.reset_by_peer()               # peer gets a reset, not an EOF
            for anc in rx.drain():
                release_ancillary(anc)
            rx.reader_gone = True
            # a unix peer sees the whole connection gone (POLL_HUP); TCP, a FIN
            tx.hang_up(POLL_HUP if self.family == AF_UNIX else None)
        self.state = UNCONNECTED if self.state == LISTENING else self.state
        self.shut_rd = self.shut_wr = True

    # --- readiness ----------------------------------------------------------------------------

    def poll(self) -> int:
        self.sync()
        if self.state == LISTENING:
            return READABLE if self.backlog else 0
        if self.state != CONNECTED:     # (a refused connect's error waits in SO_ERROR)
            return WRITABLE | POLLHUP | (POLLERR if self.so_error else 0)
        rx, tx = self.rx, self.tx
        mask = 0
        if rx.segs or rx.eof or self.shut_rd or rx.reset:
            mask |= READABLE
        if rx.eof or self.shut_rd:
            mask |= POLLRDHUP
        # POLLHUP once both directions are shut. A unix peer's close shuts both
        # (unix_release_sock); a TCP peer's FIN only this side's reading, until a reset.
        peer_gone = tx.reader_gone if self.family == AF_UNIX else rx.reset
        if (rx.eof or self.shut_rd) and (self.shut_wr or peer_gone) or rx.reset:
            mask |= POLLHUP
        if rx.rst_arrived:              # the peer's reset answered our data: closed (tcp_done)
            mask |= POLLHUP | WRITABLE
        if rx.reset or self.so_error:
            mask |= POLLERR
        if self.shut_wr or tx.reader_gone or (tx.room() > 0 if not self.records
                                              else tx.fits(1)):
            mask |= WRITABLE
        return mask

    def generation(self):
        if self.state != CONNECTED:
            return (self.state, self.arrivals)
        return (self.rx.pushed, self.rx.eof, self.rx.reset, self.tx.pulled, self.tx.reader_gone,
                self.shut_rd, self.shut_wr)

    def unread(self) -> int:
        if self.state != CONNECTED or not self.rx.segs:
            return 0
        return len(self.rx.segs[0]) if self.records else self.rx.size


# --- datagrams -----------------------------------------------------------------------------------

class DgramSocket(Socket):
    """SOCK_DGRAM (UDP, unix datagram): each send is one message to one receiver. A unix
    sender waits while the receiver's queue is full; UDP drops, as Linux does."""

    def __init__(self, names, family, type_, protocol, creds):
        super().__init__(names, family, type_, protocol, creds)
        self.rx = Queue(self.rcvbuf, True, names.budget)
        self.peer: DgramSocket | None = None     # unix: the socket connect named

    @staticmethod
    def pair(a: "DgramSocket", b: "DgramSocket") -> None:
        a.peer, b.peer = b, a
        a.peer_creds, b.peer_creds = b.creds, a.creds

    def connect(self, addr, proc) -> None:
        if addr is None:                   # AF_UNSPEC: dissolve the association
            self.peer = self.peer_addr = None
            return
        if self.family == AF_UNIX:
            self.peer = self.names.find_receiver(self, addr, proc)
            self.peer_creds = self.peer.creds
        elif self.local is None:
            self.names.autobind(self, addr)
        self.peer_addr = addr

    def send(self, data: bytes, flags: int, dest=None, anc=None, proc=None) -> int:
        if self.shut_wr:
            release_ancillary(anc)
            raise BrokenPipe()
        if self.so_error:
            raise KernelError(self.take_error())
        if dest is None:
            if self.peer is None and self.peer_addr is None:
                raise KernelError(errno.ENOTCONN if self.family == AF_UNIX else errno.EDESTADDRREQ)
            receiver = self.peer if self.family == AF_UNIX else None
            dest = self.peer_addr
        else:
            receiver = None
        if len(data) > 65507 and self.family != AF_UNIX:
            raise KernelError(errno.EMSGSIZE)
        if self.family == AF_UNIX:
            if receiver is None:
                receiver = self.names.find_receiver(self, dest, proc)
            elif receiver.closed:
                raise KernelError(errno.ECONNREFUSED)
            if receiver.peer is not None and receiver.peer is not self and not receiver.peer.closed:
                raise KernelError(errno.EPERM)   # it only hears from the socket it connected to
            if len(data) > receiver.rx.capacity:
                raise KernelError(errno.EMSGSIZE)
            if not receiver.rx.fits(len(data)):
                raise WouldBlock()
            receiver.rx.push(data, anc, self.local)
            return len(data)
        if self.local is None:
            self.names.autobind(self, dest)
        receiver = self.names.find_receiver(self, dest, proc=None)
        if receiver is None:
            if self.peer_addr is not None:
                self.so_error = errno.ECONNREFUSED   # the port-unreachable of a connected socket
            return len(data)
        if receiver.rx.fits(len(data)):   # (where it was sent: IP_PKTINFO's address)
            receiver.rx.push(data, {**(anc or {}), "dest": dest, "sender": self},
                             self.names.source_for(self, dest))
        return len(data)

    def send_ready(self, dest, proc=None) -> bool:
        """A unix sender blocked on a full receiver may retry."""
        receiver = self.peer if dest is None else None
        if receiver is None:
            try:
                receiver = self.names.find_receiver(self, dest or self.peer_addr, proc)
            except KernelError:
                return True
        return receiver is None or receiver.closed or receiver.rx.fits(1)

    def recv(self, n: int, flags: int):
        if self.so_error:
            raise KernelError(self.take_error())
        rx = self.rx
        if rx.segs:
            seg = rx.pull_record(bool(flags & MSG_PEEK))
            data = seg.data[seg.off:]
            anc = None if flags & MSG_PEEK else seg.anc
            return data[:n], anc, seg.addr, (MSG_TRUNC if len(data) > n else 0), len(data)
        if self.shut_rd:
            return b"", None, None, 0, 0
        raise WouldBlock()

    def shutdown(self, how: int) -> None:
        if how not in (SHUT_RD, SHUT_WR, SHUT_RDWR):
            raise KernelError(errno.EINVAL)
        if self.peer is None and self.peer_addr is None and self.family != AF_UNIX:
            raise KernelError(errno.ENOTCONN)
        if how in (SHUT_RD, SHUT_RDWR):
            self.shut_rd = True
        if how in (SHUT_WR, SHUT_RDWR):
            self.shut_wr = True

    def release(self) -> None:
        for anc in self.rx.drain():
            release_ancillary(anc)

    def poll(self) -> int:
        mask = READABLE if self.rx.segs or self.shut_rd else 0
        if self.so_error:
            mask |= POLLERR
        if self.shut_rd and self.shut_wr:
            mask |= POLLHUP
        peer = self.peer
        if peer is None or peer.closed or peer.rx.fits(1):
            mask |= WRITABLE
        return mask

    def generation(self):
        peer = self.peer
        return (self.rx.pushed, self.so_error, self.shut_rd, self.shut_wr,
                peer.rx.pulled if peer is not None else 0)

    def unread(self) -> int:
        return len(self.rx.segs[0]) if self.rx.segs else 0


SOCKET_CLASSES = {SOCK_STREAM: StreamSocket, SOCK_SEQPACKET: StreamSocket, SOCK_DGRAM: DgramSocket}
