"""Opt-in host access, explicit and narrow: a published guest port answers on a host loopback
port (`--publish HOSTPORT:GUESTPORT`), and guests may connect out to named host loopback
ports (`--allow-connect 127.0.0.1:PORT`). Each such connection is a bridge: a guest stream
socket whose peer is a host socket, pumped whenever the scheduler looks at the machine.
Anything else never leaves the machine."""
from __future__ import annotations

import errno
import ipaddress
import socket as host_socket
import struct

from ..errors import KernelError, SysvecError
from .addr import LOOPBACK4, InetAddr
from .socket import StreamSocket

CHUNK = 1 << 16


def parse_publish(text) -> tuple[int, int]:
    """"HOSTPORT:GUESTPORT" -> (host port, guest port)."""
    try:
        host, guest = (int(x) for x in str(text).split(":"))
    except ValueError:
        raise SysvecError(f"--publish {text!r}: expected HOSTPORT:GUESTPORT, e.g. 8080:80") from None
    for port in (host, guest):
        if not 0 < port < 65536:
            raise SysvecError(f"--publish {text!r}: ports are 1 to 65535")
    return host, guest


def parse_allow(text) -> tuple[str, int]:
    """"127.0.0.1:PORT" (or "[::1]:PORT") -> (address, port): host loopback only."""
    addr, _, port = str(text).rpartition(":")
    addr = addr.strip("[]") or "127.0.0.1"
    try:
        ip = ipaddress.ip_address("127.0.0.1" if addr == "localhost" else addr)
        port = int(port)
    except ValueError:
        raise SysvecError(f"--allow-connect {text!r}: expected ADDRESS:PORT, e.g. 127.0.0.1:5432") from None
    if not ip.is_loopback:
        raise SysvecError(f"--allow-connect {text!r}: only host loopback addresses may be allowed")
    if not 0 < port < 65536:
        raise SysvecError(f"--allow-connect {text!r}: ports are 1 to 65535")
    return str(ip), port


class Bridge:
    """A guest stream socket's peer that is a host socket: `end` is the guest-side pair member
    nobody holds a descriptor for; its receive queue is what the guest sent."""

    def __init__(self, end: StreamSocket, sock: host_socket.socket):
        self.end, self.sock = end, sock
        self.sent_eof = self.host_eof = self.done = False

    def pump(self) -> None:
        end, sock = self.end, self.sock
        to_guest, from_guest = end.tx, end.rx
        try:
            while from_guest.size:            # what the guest sent goes out first
                data, _ = from_guest.pull_stream(CHUNK, peek=True)
                n = sock.send(data)
                from_guest.pull_stream(n)
                if n < len(data):
                    break
            while not self.host_eof and to_guest.room() > 0 and not to_guest.reader_gone:
                data = sock.recv(min(CHUNK, to_guest.room()))
                if not data:
                    self.host_eof = True
                    to_guest.hang_up()
                    break
                to_guest.push(data)
        except (BlockingIOError, InterruptedError):
            pass
        except OSError:                   # the host side reset: so is the guest's
            to_guest.reset_by_peer()
            to_guest.pushed += 1              # (wakes a reader waiting for data)
            from_guest.drain()
            from_guest.reader_gone = True
            self.close(reset=False)
            return
        if from_guest.eof and not from_guest.size and not self.sent_eof:
            self.sent_eof = True
            try:
                sock.shutdown(host_socket.SHUT_WR)
            except OSError:
                pass
        guest = end.peer
        if from_guest.reader_gone or (guest is not None and guest.closed and not from_guest.size):
            self.close(reset=bool(end.tx.reset))
        elif self.sent_eof and self.host_eof:
            self.close(reset=False)

    def close(self, reset: bool) -> None:
        if self.done:
            return
        self.done = True
        if reset:   # the guest closed with data unread: the host client sees a reset
            try:
                self.sock.setsockopt(host_socket.SOL_SOCKET, host_socket.SO_LINGER,
                                     struct.pack("ii", 1, 0))
            except OSError:
                pass
        self.sock.close()
        self.end.rx.drain()               # nothing more goes out: give back the bytes
        self.end.rx.reader_gone = True

    def flush(self, timeout: float = 2.0) -> None:
        """The machine is ending: what the guest wrote still goes out, then the socket closes."""
        if self.done:
            return
        data, _ = self.end.rx.pull_stream(self.end.rx.size)
        try:
            self.sock.settimeout(timeout)
            self.sock.sendall(data)
        except OSError:
            pass
        self.close(reset=False)


class Published:
    """A host loopback listening socket answering for a guest port."""

    def __init__(self, host_port: int, guest_port: int):
        self.host_port, self.guest_port = host_port, guest_port
        self.sock = host_socket.socket(host_socket.AF_INET, host_socket.SOCK_STREAM)
        self.sock.setsockopt(host_socket.SOL_SOCKET, host_socket.SO_REUSEADDR, 1)
        try:
            self.sock.bind(("127.0.0.1", host_port))
        except OSError as exc:
            self.sock.close()
            raise SysvecError(f"--publish {host_port}:{guest_port}: host port {host_port}: "
                              f"{exc.strerror}") from None
        self.sock.listen(64)
        self.sock.setblocking(False)


class HostAccess:
    def __init__(self, net, publish=(), allow=()):
        self.net = net
        self.published = [Published(h, g) for h, g in publish]
        self.allowed = {(ip, port) for ip, port in allow}
        self.bridges: list[Bridge] = []

    # --- outbound -----------------------------------------------------------------------------

    def outbound(self, ip, port: int):
        """A connector for an allowed host loopback port, else None."""
        if (str(ip), port) in self.allowed:
            return Connector(self, str(ip), port)
        return None

    # --- pumping ------------------------------------------------------------------------------

    def pump(self) -> None:
        for pub in self.published:
            self._accept(pub)
        for bridge in list(self.bridges):
            bridge.pump()
            if bridge.done:
                self.bridges.remove(bridge)

    def _accept(self, pub: Published) -> None:
        inet = self.net.inet
        while True:
            listener = inet._match("tcp", LOOPBACK4, pub.guest_port,
                                   lambda s: getattr(s, "state", "") == "listening")
            if listener is not None and len(listener.backlog) > listener.backlog_max:
                return                    # the guest's backlog is full: the host queue waits
            try:
                conn, (addr, port) = pub.sock.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                return
            if listener is None:          # nothing listens in the guest: refuse
                conn.setsockopt(host_socket.SOL_SOCKET, host_socket.SO_LINGER,
                                struct.pack("ii", 1, 0))
                conn.close()
                self.net.note(f"published port {pub.host_port}: no guest listens on "
                              f"{pub.guest_port}")
                continue
            conn.setblocking(False)
            end = StreamSocket(inet, listener.family, listener.type, listener.protocol,
                               (0, 0, 0))
            server = listener.child()
            StreamSocket.pair(end, server)
            server.local = inet.local_for(listener, InetAddr(LOOPBACK4, pub.guest_port))
            server.peer_addr = InetAddr(LOOPBACK4, port)
            listener.queue_connection(server)
            self.bridges.append(Bridge(end, conn))

    def host_fds(self) -> list[int]:
        return [p.sock.fileno() for p in self.published] + \
            [b.sock.fileno() for b in self.bridges if not b.done]

    def flush(self) -> None:
        for bridge in self.bridges:
            bridge.flush()
        self.bridges.clear()

    def close(self) -> None:
        self.flush()
        for pub in self.published:
            pub.sock.close()
        self.published.clear()


class Connector:
    """What a guest connect to an allowed host port finds in place of a listener."""

    def __init__(self, access: HostAccess, ip: str, port: int):
        self.access, self.ip, self.port = access, ip, port

    def connect(self, sock: StreamSocket, addr: InetAddr) -> None:
        family = host_socket.AF_INET6 if ":" in self.ip else host_socket.AF_INET
        hs = host_socket.socket(family, host_socket.SOCK_STREAM)
        hs.settimeout(2.0)
        try:
            hs.connect((self.ip, self.port))
        except OSError as exc:
            hs.close()
            self.access.net.note(f"connect to host {self.ip}:{self.port}: {exc.strerror or exc}")
            raise KernelError(exc.errno if exc.errno in (errno.ECONNREFUSED, errno.ETIMEDOUT)
                              else errno.ECONNREFUSED) from None
        hs.setblocking(False)
        if sock.local is None:
            sock.names.autobind(sock, addr)
        end = StreamSocket(sock.names, sock.family, sock.type, sock.protocol, (0, 0, 0))
        StreamSocket.pair(sock, end)
        sock.peer_addr = addr
        self.access.bridges.append(Bridge(end, hs))
