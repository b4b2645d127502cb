"""wtsapi32.dll, Remote Desktop Services' view of the sessions, on a machine that has a console
and no remote desktop: session 0 is services' (disconnected, no user), session 1 the console
where every process here runs (ProcessIdToSessionId's, WTSGetActiveConsoleSessionId's), its
user logged on there. psutil's users() and pywin32's win32ts ask this way."""
from __future__ import annotations

import struct
import time

from ..nt import abi

ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER = 6, 87
ERROR_CTX_WINSTATION_NOT_FOUND = 7022
WTS_CURRENT_SERVER_HANDLE, WTS_CURRENT_SESSION = 0, 0xFFFFFFFF
WTS_ACTIVE, WTS_DISCONNECTED = 0, 4
CONSOLE_SESSION = 1
SESSIONS = [(0, "Services", WTS_DISCONNECTED), (CONSOLE_SESSION, "Console", WTS_ACTIVE)]

# WTS_INFO_CLASS
(WTSInitialProgram, WTSApplicationName, WTSWorkingDirectory, WTSOEMId, WTSSessionId,
 WTSUserName, WTSWinStationName, WTSDomainName, WTSConnectState, WTSClientBuildNumber,
 WTSClientName, WTSClientDirectory, WTSClientProductId, WTSClientHardwareId,
 WTSClientAddress, WTSClientDisplay, WTSClientProtocolType) = range(17)
WTSSessionInfo, WTSIsRemoteSession = 24, 29
WINSTATIONNAME_LENGTH, DOMAIN_LENGTH, USERNAME_LENGTH = 32, 17, 20


def _fail(p, error: int) -> int:
    p.win32.last_error = error
    return 0


def _block(p, data: bytes) -> int:
    """Memory the caller gives back with WTSFreeMemory."""
    block = p.win32.heap.alloc(max(len(data), 1), zero=True)
    p.mm.write(block, data)
    return block


def sys_wtsapi32_WTSEnumerateSessionsW(p, hServer, Reserved, Version, ppSessionInfo, pCount):
    """WTS_SESSION_INFOW for each session, their names after them in the one block."""
    if hServer != WTS_CURRENT_SERVER_HANDLE:
        return _fail(p, ERROR_INVALID_HANDLE)
    if Reserved or Version != 1 or not ppSessionInfo or not pCount:
        return _fail(p, ERROR_INVALID_PARAMETER)
    w = abi.word(p)
    entry = struct.Struct("<I4xQI4x" if w == 8 else "<III")
    names = [name.encode("utf-16-le") + b"\0\0" for _, name, _ in SESSIONS]
    block = p.win32.heap.alloc(entry.size * len(SESSIONS) + sum(len(n) for n in names),
                               zero=True)
    at = block + entry.size * len(SESSIONS)
    for i, ((session, _, state), name) in enumerate(zip(SESSIONS, names)):
        p.mm.write(block + entry.size * i, entry.pack(session, at, state))
        p.mm.write(at, name)
        at += len(name)
    abi.write_ptr(p, ppSessionInfo, block)
    p.mm.write_u32(pCount, len(SESSIONS))
    return 1


def _wchars(text: str, count: int) -> bytes:
    return text.encode("utf-16-le")[:2 * (count - 1)].ljust(2 * count, b"\0")


def _session_info(p, session: int, name: str, state: int, user: str, domain: str) -> bytes:
    """WTSINFOW: the state, the session, byte and frame counters (none), the station, domain
    and user names, and the connect, disconnect, last input, logon and current times (the
    user logged on when the machine started)."""
    from ..procfs import BOOT
    now_ns = time.time_ns()
    now = abi.filetime_of_ns(now_ns)
    logon = abi.filetime_of_ns(now_ns - int((time.monotonic() - BOOT) * 1e9)) if user else 0
    return struct.pack("<II6I", state, session, 0, 0, 0, 0, 0, 0) + \
        _wchars(name, WINSTATIONNAME_LENGTH) + _wchars(domain, DOMAIN_LENGTH) + \
        _wchars(user, USERNAME_LENGTH + 1) + \
        struct.pack("<4x5q", logon, 0, 0, logon, now)      # the times 8-aligned, at 176


def sys_wtsapi32_WTSQuerySessionInformationW(p, hServer, SessionId, WTSInfoClass, ppBuffer,
                                             pBytesReturned):
    """One thing about a session (WTS_CURRENT_SESSION is the console): its id, user, domain,
    station name, state; the client's (the console's: no name, no address, protocol 0);
    WTSINFOW; whether it is remote (no)."""
    from .advapi32 import USER_NAME
    from .kernel32_system import host_name
    if hServer != WTS_CURRENT_SERVER_HANDLE:
        return _fail(p, ERROR_INVALID_HANDLE)
    if not ppBuffer or not pBytesReturned:
        return _fail(p, ERROR_INVALID_PARAMETER)
    session = CONSOLE_SESSION if SessionId == WTS_CURRENT_SESSION else SessionId
    found = next((s for s in SESSIONS if s[0] == session), None)
    if found is None:
        return _fail(p, ERROR_CTX_WINSTATION_NOT_FOUND)
    _, name, state = found
    user = USER_NAME if session == CONSOLE_SESSION else ""
    domain = host_name(p).split(".")[0].upper()[:15] if user else ""
    texts = {WTSInitialProgram: "", WTSApplicationName: "", WTSWorkingDirectory: "",
             WTSOEMId: "", WTSUserName: user, WTSWinStationName: name, WTSDomainName: domain,
             WTSClientName: "", WTSClientDirectory: ""}
    cls = WTSInfoClass
    if cls in texts:
        data = texts[cls].encode("utf-16-le") + b"\0\0"
    elif cls in (WTSSessionId, WTSConnectState, WTSClientBuildNumber, WTSClientHardwareId):
        data = struct.pack("<I", {WTSSessionId: session, WTSConnectState: state}.get(cls, 0))
    elif cls in (WTSClientProductId, WTSClientProtocolType):
        data = struct.pack("<H", 0)                  # the console: no product, protocol 0
    elif cls == WTSClientAddress:
        data = bytes(24)                             # AF_UNSPEC, no address
    elif cls == WTSClientDisplay:
        data = bytes(12)                             # no display
    elif cls == WTSSessionInfo:
        data = _session_info(p, session, name, state, user, domain)
    elif cls == WTSIsRemoteSession:
        data = b"\0"
    else:
        return _fail(p, ERROR_INVALID_PARAMETER)
    abi.write_ptr(p, ppBuffer, _block(p, data))
    p.mm.write_u32(pBytesReturned, len(data))
    return 1


def sys_wtsapi32_WTSFreeMemory(p, pMemory):
    if pMemory:
        p.win32.heap.free(pMemory)
