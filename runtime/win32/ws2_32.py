"""Windows Sockets start-up (ws2_32.dll): WSAStartup's version negotiation and the per-thread
last error; the machine's sockets themselves are not reached through Winsock yet."""
from __future__ import annotations

import struct

WSAVERNOTSUPPORTED = 10092
WSADATA_DESCRIPTION = b"WinSock 2.0"


def sys_ws2_32_WSAStartup(p, wVersionRequested, lpWSAData):
    """Winsock 2.2 is what it offers; a request below 1.1 is refused, as Windows does."""
    major, minor = wVersionRequested & 0xFF, (wVersionRequested >> 8) & 0xFF
    if (major, minor) < (1, 1):
        return WSAVERNOTSUPPORTED
    version = wVersionRequested if (major, minor) < (2, 2) else 0x0202
    if lpWSAData:
        # WSADATA (x64): wVersion, wHighVersion, iMaxSockets, iMaxUdpDg, lpVendorInfo,
        # szDescription[257], szSystemStatus[129]
        data = struct.pack("<HHHHQ", version, 0x0202, 0, 0, 0) + \
            WSADATA_DESCRIPTION.ljust(257, b"\0") + b"Running".ljust(129, b"\0")
        p.mm.write(lpWSAData, data)
    return 0


def sys_ws2_32_WSACleanup(p):
    return 0


def sys_ws2_32_WSAGetLastError(p):
    return p.win32.last_error


def sys_ws2_32_WSASetLastError(p, iError):
    p.win32.last_error = iError & 0xFFFFFFFF
    return 0
