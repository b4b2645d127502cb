"""The machine's network, as gVisor's netstack is a sandbox's: sockets whose peers are other
sockets of the same machine. AF_UNIX names live in the guest root and in an abstract table;
AF_INET/AF_INET6 live on the machine's own loopback. The host is reached only through what
the user published or allowed (host.py)."""
from __future__ import annotations

import errno
from collections import deque

from ..errors import KernelError
from .addr import (AF_INET, AF_INET6, AF_NETLINK, AF_UNIX, IPPROTO_TCP, IPPROTO_UDP, SOCK_DGRAM,
                   SOCK_RAW, SOCK_STREAM)
from .inet import InetNamespace
from . import icmp, netlink, ping, sock_diag
from .icmp import IPPROTO_ICMP, IPPROTO_ICMPV6
from .queue import Budget
from .socket import SOCKET_CLASSES
from .unix import UnixNamespace

DEFAULT_HOSTNAME, DEFAULT_DOMAINNAME = "sysvec", "(none)"
SOCK_MAX = 11                       # socket types are below this, or EINVAL


class Network:
    def __init__(self, kernel, hostname: str = DEFAULT_HOSTNAME, host=None):
        self.kernel = kernel
        self.hostname = hostname
        self.domainname = DEFAULT_DOMAINNAME   # the NIS domain uname reports (setdomainname)
        self.budget = Budget()      # bytes queued in all the machine's sockets
        self.unix = UnixNamespace(kernel.fs)
        self.inet = InetNamespace(self)
        self.unix.budget = self.inet.budget = self.budget
        self.netlink = netlink.NetlinkNamespace(self.budget)
        self.host = host            # a HostAccess, or None: nothing leaves the machine
        self.notes: deque[str] = deque(maxlen=100)  # why connections were refused (traced)
        kernel.fs.etc_files = etc_files(hostname)

    def socket(self, family: int, type_: int, protocol: int, creds: tuple):
        """A new socket, or the errno Linux gives for a family/type/protocol it lacks."""
        cls = SOCKET_CLASSES.get(type_)
        if not 0 < type_ < SOCK_MAX:
            raise KernelError(errno.EINVAL)
        if family == AF_UNIX:
            if cls is None:
                raise KernelError(errno.ESOCKTNOSUPPORT)
            if protocol not in (0, AF_UNIX):
                raise KernelError(errno.EPROTONOSUPPORT)
            return cls(self.unix, family, type_, protocol, creds)
        if family in (AF_INET, AF_INET6):
            if type_ == SOCK_STREAM and protocol in (0, IPPROTO_TCP):
                return cls(self.inet, family, type_, IPPROTO_TCP, creds)
            if type_ == SOCK_DGRAM and protocol in (0, IPPROTO_UDP):
                return cls(self.inet, family, type_, IPPROTO_UDP, creds)
            if type_ == SOCK_RAW:       # (CAP_NET_RAW is checked first: linux/socket.py)
                if protocol == (IPPROTO_ICMP if family == AF_INET else IPPROTO_ICMPV6):
                    return icmp.RawSocket(self.inet, family, type_, protocol, creds)
                # ICMP is the only protocol the machine's network carries raw
                raise KernelError(errno.EPROTONOSUPPORT)
            if type_ == SOCK_DGRAM and ping.is_ping(family, protocol):
                # an ICMP echo socket (who may open one: linux/socket.py's ping_group_range)
                return ping.PingSocket(self.inet, family, type_, protocol, creds)
            if type_ in (SOCK_STREAM, SOCK_DGRAM):
                raise KernelError(errno.EPROTONOSUPPORT)
            raise KernelError(errno.ESOCKTNOSUPPORT)
        if family == AF_NETLINK:
            if protocol == sock_diag.NETLINK_SOCK_DIAG and type_ in (2, 3):
                return sock_diag.SockDiagSocket(self.netlink, family, type_, protocol, creds,
                                                self.kernel)
            return netlink.new_socket(self.netlink, type_, protocol, creds)
        raise KernelError(errno.EAFNOSUPPORT)

    def note(self, text: str) -> None:
        self.notes.append(text)
        tracer = self.kernel.tracer
        if tracer is not None and hasattr(tracer, "note"):
            tracer.note(self.kernel.running, text)


def etc_files(hostname: str) -> dict[str, bytes]:
    """What /etc says about the network when the root has no such file: this machine's names
    are loopback addresses, and a resolver asking 127.0.0.1 is refused at once."""
    return {
        "hosts": (f"127.0.0.1\tlocalhost\n127.0.1.1\t{hostname}\n"
                  "::1\tlocalhost ip6-localhost ip6-loopback\n").encode(),
        "resolv.conf": b"nameserver 127.0.0.1\noptions timeout:1 attempts:1\n",
        "hostname": f"{hostname}\n".encode(),
        "nsswitch.conf": b"hosts: files dns\n",
    }


def uts_names(kernel) -> tuple[str, str]:
    """The machine's host and domain names (uname, /proc/sys/kernel, core files), without
    making its network for them."""
    net = kernel.net
    return (net.hostname, net.domainname) if net is not None else \
        (DEFAULT_HOSTNAME, DEFAULT_DOMAINNAME)


def network(kernel) -> Network:
    """The kernel's network, made on first use."""
    net = kernel.net
    if net is None:
        net = kernel.net = Network(kernel)
    return net
