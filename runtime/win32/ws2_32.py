"""Windows Sockets start-up (ws2_32.dll): WSAStartup's version negotiation, the per-thread
last error and the byte-order helpers. The machine's sockets themselves are not reached
through Winsock yet: socket() says no address family is available (WSAEAFNOSUPPORT), which
runtimes probing for IPv4 and IPv6 at start-up (libuv) take as "not supported here"."""
from __future__ import annotations

import struct

from ..nt import abi

WSAVERNOTSUPPORTED = 10092
WSADATA_DESCRIPTION = b"WinSock 2.0"


def sys_ws2_32_WSAStartup(p, wVersionRequested, lpWSAData):
    """Winsock 2.2 is what it offers; a request below 1.1 is refused, as Windows does."""
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


WSAENOTSOCK, WSAEAFNOSUPPORT = 10038, 10047


def sys_ws2_32_htons(p, hostshort):
    return int.from_bytes((hostshort & 0xFFFF).to_bytes(2, "little"), "big")


def sys_ws2_32_htonl(p, hostlong):
    return int.from_bytes((hostlong & 0xFFFFFFFF).to_bytes(4, "little"), "big")


def _no_socket(p) -> int:
    p.win32.last_error = WSAEAFNOSUPPORT
    return (1 << (8 * abi.word(p))) - 1      # INVALID_SOCKET, ~0 of the pointer's width


def sys_ws2_32_socket(p, af, type, protocol):
    return _no_socket(p)


def sys_ws2_32_WSASocketW(p, af, type, protocol, lpProtocolInfo, g, dwFlags):
    return _no_socket(p)


def sys_ws2_32_closesocket(p, s):
    """No socket was ever made, so whatever is passed is not one."""
    p.win32.last_error = WSAENOTSOCK
    return -1


def sys_ws2_32_WSAGetOverlappedResult(p, s, lpOverlapped, lpcbTransfer, fWait, lpdwFlags):
    """No socket exists to have an operation in progress (Go's runtime looks it up at
    start-up)."""
    p.win32.last_error = WSAENOTSOCK
    return 0


def sys_ws2_32_WSAEnumProtocolsW(p, lpiProtocols, lpProtocolBuffer, lpdwBufferLength):
    """The transport protocols installed: none (socket() has no address family to offer)."""
    if lpdwBufferLength:
        p.mm.write_u32(lpdwBufferLength, 0)
    return 0


WSAEFAULT = 10014


def sys_ws2_32_gethostname(p, name, namelen):
    """The machine's host name (the one uname gives its Linux processes), NUL-terminated."""
    net = p.kernel.net
    host = (net.hostname if net is not None else "sysvec").encode()
    if namelen <= len(host):
        p.win32.last_error = WSAEFAULT
        return -1
    p.mm.write(name, host + b"\0")
    return 0


WSAHOST_NOT_FOUND = 11001


def sys_ws2_32_getaddrinfo(p, pNodeName, pServiceName, pHints, ppResult):
    """No address family is offered (see socket()), so no name resolves to an address a
    socket here could use: the name is not found, as for a machine with no network."""
    if ppResult:
        abi.write_ptr(p, ppResult, 0)
    p.win32.last_error = WSAHOST_NOT_FOUND
    return WSAHOST_NOT_FOUND


def sys_ws2_32_freeaddrinfo(p, pAddrInfo):
    return 0        # getaddrinfo never hands a list out
