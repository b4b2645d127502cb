"""Windows Sockets start-up (ws2_32.dll): WSAStartup's version negotiation, the per-thread
last error, the byte-order helpers and the host name. The sockets are winsock.py's (and
winsock_options, _select, _overlapped); names and addresses winsock_names.py's."""
from __future__ import annotations

import struct

from ..nt import abi

WSAVERNOTSUPPORTED = 10092
WSADATA_DESCRIPTION = b"WinSock 2.0"


def sys_ws2_32_WSAStartup(p, wVersionRequested, lpWSAData):
    """Winsock 2.2 is what it offers; a request below 1.1 is refused, as Windows does."""
    wVersionRequested &= 0xFFFF            # a WORD: what a caller leaves above it is junk
    major, minor = wVersionRequested & 0xFF, (wVersionRequested >> 8) & 0xFF
    if (major, minor) < (1, 1):
        return WSAVERNOTSUPPORTED
    version = wVersionRequested if (major, minor) < (2, 2) else 0x0202
    if lpWSAData:
        texts = WSADATA_DESCRIPTION.ljust(257, b"\0") + b"Running".ljust(129, b"\0")
        if abi.word(p) == 8:
            # WSADATA (x64): wVersion, wHighVersion, iMaxSockets, iMaxUdpDg, lpVendorInfo,
            # szDescription[257], szSystemStatus[129]
            data = struct.pack("<HHHHQ", version, 0x0202, 0, 0, 0) + texts
        else:
            # WSADATA (x86): the two texts come before the counts and lpVendorInfo
            data = struct.pack("<HH", version, 0x0202) + texts + struct.pack("<HHI", 0, 0, 0)
        p.mm.write(lpWSAData, data)
    return 0


def sys_ws2_32_WSACleanup(p):
    return 0


def sys_ws2_32_WSAGetLastError(p):
    return p.win32.last_error


def sys_ws2_32_WSASetLastError(p, iError):
    p.win32.last_error = iError & 0xFFFFFFFF
    return 0


def sys_ws2_32_htons(p, hostshort):
    return int.from_bytes((hostshort & 0xFFFF).to_bytes(2, "little"), "big")


def sys_ws2_32_htonl(p, hostlong):
    return int.from_bytes((hostlong & 0xFFFFFFFF).to_bytes(4, "little"), "big")


WSAENOTSOCK, WSAEFAULT_ = 10038, 10014


def _byte_swap(p, s, value: int, out: int, size: int) -> int:
    """WSAHtonl and its family: the converted value through a pointer, and 0, or
    SOCKET_ERROR with WSAENOTSOCK (s is no socket) or WSAEFAULT (no pointer)."""
    from .winsock import WinsockError, sock_of
    try:
        sock_of(p, s)
    except WinsockError:
        p.win32.last_error = WSAENOTSOCK
        return -1
    if not out:
        p.win32.last_error = WSAEFAULT_
        return -1
    data = (value & ((1 << 8 * size) - 1)).to_bytes(size, "big")
    p.mm.write(out, data)
    return 0


def sys_ws2_32_WSAHtonl(p, s, hostlong, lpnetlong):
    return _byte_swap(p, s, hostlong, lpnetlong, 4)


def sys_ws2_32_WSAHtons(p, s, hostshort, lpnetshort):
    return _byte_swap(p, s, hostshort, lpnetshort, 2)


def sys_ws2_32_WSAEnumProtocolsW(p, lpiProtocols, lpProtocolBuffer, lpdwBufferLength):
    """The transport protocols installed: none listed (Go looks for layered providers
    without XP1_IFS_HANDLES here; there are none)."""
    if lpdwBufferLength:
        p.mm.write_u32(lpdwBufferLength, 0)
    return 0


WSAEFAULT = 10014


def sys_ws2_32_gethostname(p, name, namelen):
    """The machine's host name (the one uname gives its Linux processes), NUL-terminated."""
    from .kernel32_system import host_name
    host = host_name(p).encode()
    if namelen <= len(host):
        p.win32.last_error = WSAEFAULT
        return -1
    p.mm.write(name, host + b"\0")
    return 0


def sys_ws2_32_GetHostNameW(p, name, namelen):
    """gethostname in UTF-16 (namelen counts characters)."""
    from .kernel32_system import host_name
    host = host_name(p).encode("utf-16-le")
    if namelen <= len(host) // 2:
        p.win32.last_error = WSAEFAULT
        return -1
    p.mm.write(name, host + b"\0\0")
    return 0
