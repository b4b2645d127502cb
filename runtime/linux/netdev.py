"""The network-device ioctls on a socket (net/core/dev_ioctl.c, SIOCGIF*): struct ifreq
questions about the machine's one interface, the loopback. glibc's if_nametoindex and
if_indextoname ask these; the setting ones are EPERM (no CAP_NET_ADMIN)."""
from __future__ import annotations

import errno
import struct

from ..errors import KernelError
from ..net.addr import AF_INET
from ..net.netlink import ARPHRD_LOOPBACK, IFF_LOOPBACK, IFF_RUNNING, IFF_UP, LO_INDEX, LO_MTU

SIOCGIFNAME, SIOCGIFCONF, SIOCGIFFLAGS, SIOCGIFADDR = 0x8910, 0x8912, 0x8913, 0x8915
SIOCGIFBRDADDR, SIOCGIFNETMASK, SIOCGIFMETRIC, SIOCGIFMTU = 0x8919, 0x891B, 0x891D, 0x8921
SIOCGIFHWADDR, SIOCGIFINDEX, SIOCGIFTXQLEN = 0x8927, 0x8933, 0x8942
GETTERS = {SIOCGIFNAME, SIOCGIFCONF, SIOCGIFFLAGS, SIOCGIFADDR, SIOCGIFBRDADDR, SIOCGIFNETMASK,
           SIOCGIFMETRIC, SIOCGIFMTU, SIOCGIFHWADDR, SIOCGIFINDEX, SIOCGIFTXQLEN}
# SIOCADDRT, SIOCDELRT, SIOCSIFFLAGS, SIOCSIFADDR, SIOCSIFDSTADDR, SIOCSIFBRDADDR,
# SIOCSIFNETMASK, SIOCSIFMETRIC, SIOCSIFMTU, SIOCSIFNAME, SIOCSIFHWADDR, SIOCDIFADDR,
# SIOCSIFTXQLEN
SETTERS = {0x890B, 0x890C, 0x8914, 0x8916, 0x8918, 0x891A, 0x891C, 0x891E, 0x8922, 0x8923,
           0x8924, 0x8936, 0x8943}
IFNAMSIZ = 16
LO_NAME = b"lo"


def handles(cmd: int) -> bool:
    return cmd in GETTERS or cmd in SETTERS


def _ifreq_size(p) -> int:
    return 40 if p.sysvec.word_bits == 64 else 32


def _sockaddr_in(ip: bytes) -> bytes:
    return struct.pack("<HH", AF_INET, 0) + ip + bytes(8)


def _answer(cmd: int) -> bytes:
    """The union part of lo's struct ifreq for a getter."""
    if cmd == SIOCGIFFLAGS:
        return struct.pack("<H", IFF_UP | IFF_LOOPBACK | IFF_RUNNING)
    if cmd in (SIOCGIFMTU, SIOCGIFINDEX, SIOCGIFTXQLEN, SIOCGIFMETRIC):
        return struct.pack("<i", {SIOCGIFMTU: LO_MTU, SIOCGIFINDEX: LO_INDEX,
                                  SIOCGIFTXQLEN: 1000, SIOCGIFMETRIC: 0}[cmd])
    if cmd == SIOCGIFADDR:
        return _sockaddr_in(bytes([127, 0, 0, 1]))
    if cmd == SIOCGIFNETMASK:
        return _sockaddr_in(bytes([255, 0, 0, 0]))
    if cmd == SIOCGIFBRDADDR:
        return _sockaddr_in(bytes(4))
    return struct.pack("<H", ARPHRD_LOOPBACK) + bytes(14)      # SIOCGIFHWADDR


def netdev_ioctl(p, cmd: int, arg: int) -> int:
    if cmd in SETTERS:
        raise KernelError(errno.EPERM)
    if cmd == SIOCGIFCONF:
        return _ifconf(p, arg)
    size = _ifreq_size(p)
    req = p.mm.read(arg, size)
    if cmd == SIOCGIFNAME:
        if struct.unpack_from("<i", req, IFNAMSIZ)[0] != LO_INDEX:
            raise KernelError(errno.ENODEV)
        p.mm.write(arg, LO_NAME.ljust(IFNAMSIZ, b"\0"))
        return 0
    if req[:IFNAMSIZ].split(b"\0", 1)[0] != LO_NAME:
        raise KernelError(errno.ENODEV)
    p.mm.write(arg + IFNAMSIZ, _answer(cmd))
    return 0


def _ifconf(p, arg: int) -> int:
    """SIOCGIFCONF: one struct ifreq per interface with an IPv4 address (lo's); with no
    buffer, the length they need."""
    wide = p.sysvec.word_bits == 64
    fmt = "<i4xQ" if wide else "<iI"
    length, buf = struct.unpack(fmt, p.mm.read(arg, struct.calcsize(fmt)))
    entry = LO_NAME.ljust(IFNAMSIZ, b"\0") + _sockaddr_in(bytes([127, 0, 0, 1]))
    entry = entry.ljust(_ifreq_size(p), b"\0")
    if buf:
        if length < len(entry):
            entry = b""        # room for no whole entry: none is written
        if entry:
            p.mm.write(buf, entry)
    p.mm.write(arg, struct.pack("<i", len(entry)))
    return 0
