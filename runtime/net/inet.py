"""AF_INET and AF_INET6 on the machine's own loopback network: 127.0.0.0/8 and ::1 are the
machine's; one port space per protocol shared by IPv4 and IPv6 sockets (an IPv6 socket bound
to :: hears IPv4 unless IPV6_V6ONLY), ephemeral ports, EADDRINUSE as Linux decides it.
Nothing here reaches the host: a destination off the machine is the host bridge's to allow
(host.py), else ENETUNREACH."""
from __future__ import annotations

import errno
import zlib

from ..errors import KernelError
from .addr import AF_INET, AF_INET6, SOCK_RAW, IPv4, IPv6, InetAddr, LOOPBACK4, LOOPBACK6

SOL_SOCKET, SO_REUSEADDR, SO_REUSEPORT = 1, 2, 15
IPPROTO_IPV6, IPV6_V6ONLY = 41, 26
EPHEMERAL_FIRST, EPHEMERAL_LAST = 32768, 60999       # net.ipv4.ip_local_port_range
ANY = "any"


def is_local(ip) -> bool:
    return ip.is_loopback or ip.is_unspecified


def _reach(sock, ip) -> tuple:
    """What destinations a socket bound to ip hears: (IPv4 part, IPv6 part), each None,
    ANY, or one address."""
    if sock.family == AF_INET:
        return (ANY if ip.is_unspecified else ip), None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped, None
    if ip.is_unspecified:
        return (None if sock.opts.get((IPPROTO_IPV6, IPV6_V6ONLY)) else ANY), ANY
    return None, ip


def _overlap(a, b) -> bool:
    return a is not None and b is not None and (a == ANY or b == ANY or a == b)


class InetNamespace:
    def __init__(self, net):
        self.net = net
        self.bound = {"tcp": {}, "udp": {}, "ping": {}}    # port -> [bound sockets]
        self.raw: list = []                       # the raw sockets, which hear every packet
        self._next_port = EPHEMERAL_FIRST
        self.reuseport_turns: dict = {}           # (proto, port) -> the last one chosen

    def pump(self) -> None:
        """Move bytes across the host bridges (if the user allowed any) before a socket looks."""
        if self.net.host is not None:
            self.net.host.pump()

    def host_fds(self) -> list[int]:
        return self.net.host.host_fds() if self.net.host is not None else []

    @staticmethod
    def proto(sock) -> str:
        """The port space a socket binds in: a ping socket's port is its echo identifier."""
        return "tcp" if sock.stream else "ping" if sock.protocol in (1, 58) else "udp"

    # --- binding ------------------------------------------------------------------------------

    def _conflict(self, sock, ip, port: int) -> bool:
        mine = _reach(sock, ip)
        for other in self.bound[self.proto(sock)].get(port, ()):
            if other is sock or other.closed:
                continue
            theirs = _reach(other, other.local.ip)
            if not (_overlap(mine[0], theirs[0]) or _overlap(mine[1], theirs[1])):
                continue
            # a reuseport group is one owner's: both sockets asked for it and were made by the
            # same user (inet_csk_bind_conflict, udp_lib_lport_inuse: sock_i_uid), else
            # another user could take a share of a service's connections
            if sock.opts.get((SOL_SOCKET, SO_REUSEPORT)) and \
                    other.opts.get((SOL_SOCKET, SO_REUSEPORT)) and sock.uid == other.uid:
                continue
            if sock.opts.get((SOL_SOCKET, SO_REUSEADDR)) and other.opts.get((SOL_SOCKET, SO_REUSEADDR)) \
                    and (not sock.stream or getattr(other, "state", "") != "listening"):
                continue
            return True
        return False

    def _register(self, sock, ip, port: int) -> None:
        sock.local = InetAddr(ip, port)
        self.bound[self.proto(sock)].setdefault(port, []).append(sock)

    def bind(self, sock, addr: InetAddr, proc, mode: int = 0) -> None:
        if sock.local is not None:
            raise KernelError(errno.EINVAL)
        ip = addr.ip
        if sock.family == AF_INET and ip.version != 4:
            raise KernelError(errno.EAFNOSUPPORT)
        plain = addr.plain()
        if not is_local(plain):
            raise KernelError(errno.EADDRNOTAVAIL)
        if sock.type == SOCK_RAW:      # raw_bind: an address to hear packets for, no port
            sock.local = InetAddr(ip, 0)
            return
        if addr.port == 0:
            self._register(sock, ip, self.ephemeral(sock, ip))
            return
        if self._conflict(sock, ip, addr.port):
            raise KernelError(errno.EADDRINUSE)
        self._register(sock, ip, addr.port)

    def ephemeral(self, sock, ip) -> int:
        span = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1
        for _ in range(span):
            port = self._next_port
            self._next_port = EPHEMERAL_FIRST + (port + 1 - EPHEMERAL_FIRST) % span
            if not self._conflict(sock, ip, port) and not self.bound[self.proto(sock)].get(port):
                return port
        raise KernelError(errno.EADDRNOTAVAIL)

    @staticmethod
    def _facing(sock, dest: InetAddr):
        """The loopback address a packet to dest leaves from, in sock's family's form."""
        plain = dest.plain()
        if plain.version == 4:
            src = plain if plain.is_loopback else LOOPBACK4
            return src if sock.family == AF_INET else IPv6("::ffff:" + str(src))
        return LOOPBACK6

    def autobind(self, sock, dest=None) -> None:
        """An unbound socket that connects or sends gets the loopback address facing dest and
        an ephemeral port; one that listens gets the wildcard."""
        if dest is None:
            ip = IPv4("0.0.0.0") if sock.family == AF_INET else IPv6("::")
        else:
            ip = self._facing(sock, dest)
        self._register(sock, ip, self.ephemeral(sock, ip))

    def source_for(self, sock, dest: InetAddr) -> InetAddr:
        """Where a datagram to dest comes from: a socket bound to the wildcard sends from
        the address routing picks, as the receiver's recvfrom shows it."""
        if not sock.local.ip.is_unspecified:
            return sock.local
        return InetAddr(self._facing(sock, dest), sock.local.port)

    def unbind(self, sock) -> None:
        if sock.local is None or sock.type == SOCK_RAW:
            return
        socks = self.bound[self.proto(sock)].get(sock.local.port, [])
        if sock in socks:
            socks.remove(sock)
            if not socks:
                del self.bound[self.proto(sock)][sock.local.port]

    # --- finding who answers ------------------------------------------------------------------

    def _route(self, sock, dest: InetAddr):
        """The destination as routing sees it; off the machine: the host bridge or ENETUNREACH."""
        if sock.family == AF_INET and dest.ip.version != 4:
            raise KernelError(errno.EAFNOSUPPORT)
        ip = dest.plain()
        if ip.is_unspecified:
            ip = LOOPBACK4 if ip.version == 4 else LOOPBACK6
        return ip

    def _match(self, proto: str, ip, port: int, want, source=None):
        """The socket bound to port that hears ip: one bound to ip itself before a wildcard
        one. Sockets that share the port with SO_REUSEPORT split the work: the source's
        address picks one (reuseport_select_sock's hash), so a UDP flow keeps its socket and
        connections spread over the listeners."""
        exact, wild = [], []
        for s in self.bound[proto].get(port, ()):
            if s.closed or not want(s):
                continue
            reach = _reach(s, s.local.ip)[0 if ip.version == 4 else 1]
            if reach == ip:
                exact.append(s)
            elif reach == ANY:
                wild.append(s)
        group = exact or wild
        if not group:
            return None
        if len(group) > 1 and all(s.opts.get((SOL_SOCKET, SO_REUSEPORT)) for s in group):
            if source is None:         # a connection not bound yet: the next in turn
                turn = self.reuseport_turns[(proto, port)] = \
                    self.reuseport_turns.get((proto, port), -1) + 1
                return group[turn % len(group)]
            return group[zlib.crc32(f"{source.ip}:{source.port}".encode()) % len(group)]
        return group[0]

    def find_listener(self, sock, dest: InetAddr, proc):
        ip = self._route(sock, dest)
        if is_local(ip):
            listener = self._match("tcp", ip, dest.port,
                                   lambda s: getattr(s, "state", "") == "listening", sock.local)
            if listener is not None:
                return listener
        bridge = self.net.host.outbound(ip, dest.port) if self.net.host else None
        if bridge is not None:
            return bridge
        if not is_local(ip):
            self.net.note(f"connect to {ip}:{dest.port} refused: not on this machine "
                          "(no --allow-connect names it)")
            raise KernelError(errno.ENETUNREACH)
        self.net.note(f"connect to {ip}:{dest.port} refused: nothing listens there in this "
                      "machine (a host port needs --allow-connect)")
        raise KernelError(errno.ECONNREFUSED)

    def find_receiver(self, sock, dest: InetAddr, proc):
        ip = self._route(sock, dest)
        if not is_local(ip):
            raise KernelError(errno.ENETUNREACH)
        # the address the datagram leaves from (a wildcard-bound server answers from the
        # address routing picks), which a connected receiver checks against its peer
        src = self.source_for(sock, dest) if sock.local is not None else None

        def hears(s) -> bool:     # a connected UDP socket hears only its peer
            return s.peer_addr is None or src is None or \
                (s.peer_addr.port == src.port and s.peer_addr.plain() == src.plain())
        return self._match("udp", ip, dest.port, hears, src)

    def local_for(self, listener, dest: InetAddr) -> InetAddr:
        """The local address of a connection accepted on listener, in its family's form."""
        ip = self._route(listener, dest)
        if listener.family == AF_INET6 and ip.version == 4:
            ip = IPv6("::ffff:" + str(ip))
        return InetAddr(ip, listener.local.port)
