"""WSAEventSelect: a socket's network events (FD_READ, FD_WRITE, FD_ACCEPT, FD_CONNECT,
FD_CLOSE) signal an event object, which the program waits on with WSAWaitForMultipleEvents
(or any wait) and reads back with WSAEnumNetworkEvents; libcurl, GHC's and FFmpeg's network
code use it. An event is recorded once, then re-enabled the way Winsock does it: FD_READ by
the next receive, FD_ACCEPT by the next accept, FD_WRITE by a send that would block; a
connect's and a close's happen once. Waits see the sockets' readiness whenever they look at
the event (kernel32_wait), so a blocked wait wakes when a socket becomes ready."""
from __future__ import annotations

import struct
from dataclasses import dataclass, field

from ..files import O_NONBLOCK
from ..net.socket import CONNECTED, LISTENING, StreamSocket
from .kernel32_sync import object_of, sys_kernel32_CreateEventW, sys_kernel32_ResetEvent, \
    sys_kernel32_SetEvent
from .winsock import SOCKET_ERROR, WSAEINVAL, WinsockError, sock_of, winsock_call
from .winsock_select import readable, writable

from .winsock import FD_ACCEPT, FD_CLOSE, FD_CONNECT, FD_READ, FD_WRITE
FD_MAX_EVENTS = 10


@dataclass(eq=False)
class Selection:
    event: object                 # the event object (kernel32_sync.SyncObject)
    mask: int                     # the FD_* the program asked for
    armed: int = 0                # the events that may be recorded now
    recorded: int = 0             # recorded and not yet read by WSAEnumNetworkEvents
    sockets: list = field(default_factory=list)


def _occurring(s) -> int:
    """The network events that hold for s now."""
    now = 0
    if isinstance(s, StreamSocket):
        if s.state == LISTENING:
            return FD_ACCEPT if s.backlog else 0
        if s.state != CONNECTED:
            return 0
        now |= FD_CONNECT
        rx = s.rx
        if rx.segs:
            now |= FD_READ
        elif rx.eof or rx.reset:
            now |= FD_CLOSE
    elif readable(s):
        now |= FD_READ
    if writable(s):
        now |= FD_WRITE
    return now


def refresh(event) -> None:
    """Record what happened on the event's sockets; signal it if anything did."""
    for s in list(event.sockets):
        sel = getattr(s, "win_selection", None)
        if s.closed or sel is None or sel.event is not event:
            event.sockets.remove(s)
            continue
        new = _occurring(s) & sel.mask & sel.armed
        if new:
            sel.recorded |= new
            sel.armed &= ~new
            event.count = 1


@winsock_call(SOCKET_ERROR)
def sys_ws2_32_WSAEventSelect(p, s, hEventObject, lNetworkEvents):
    sock = sock_of(p, s)
    mask = lNetworkEvents & 0x3FF
    old = getattr(sock, "win_selection", None)
    if old is not None and sock in old.event.sockets:
        old.event.sockets.remove(sock)
    if not mask:
        sock.win_selection = None
        return 0
    event = object_of(p, hEventObject, "event")
    if event is None:
        raise WinsockError(WSAEINVAL)
    sock.status_flags |= O_NONBLOCK          # as Winsock: event-selected sockets don't block
    sock.win_selection = Selection(event, mask, armed=mask)
    if sock not in event.sockets:
        event.sockets.append(sock)
    refresh(event)
    return 0


@winsock_call(SOCKET_ERROR)
def sys_ws2_32_WSAEnumNetworkEvents(p, s, hEventObject, lpNetworkEvents):
    """WSANETWORKEVENTS: the events recorded since the last call (then forgotten), and an
    error code per event (none fail on the machine's loopback); the event is reset."""
    sock = sock_of(p, s)
    sel = getattr(sock, "win_selection", None)
    recorded = 0
    if sel is not None:
        refresh(sel.event)
        recorded, sel.recorded = sel.recorded, 0
    p.mm.write(lpNetworkEvents, struct.pack(f"<i{FD_MAX_EVENTS}i", recorded, *[0] * FD_MAX_EVENTS))
    if hEventObject:
        sys_kernel32_ResetEvent(p, hEventObject)
    return 0


def sys_ws2_32_WSACreateEvent(p):
    """A manual-reset event, not signalled (WSA_INVALID_EVENT is never the answer here)."""
    return sys_kernel32_CreateEventW(p, 0, 1, 0, 0)


def sys_ws2_32_WSACloseEvent(p, hEvent):
    from .kernel32 import sys_kernel32_CloseHandle
    return sys_kernel32_CloseHandle(p, hEvent)


def sys_ws2_32_WSASetEvent(p, hEvent):
    return sys_kernel32_SetEvent(p, hEvent)


def sys_ws2_32_WSAResetEvent(p, hEvent):
    return sys_kernel32_ResetEvent(p, hEvent)


WSA_WAIT_FAILED, WSA_MAXIMUM_WAIT_EVENTS = 0xFFFFFFFF, 64


def sys_ws2_32_WSAWaitForMultipleEvents(p, cEvents, lphEvents, fWaitAll, dwTimeout,
                                        fAlertable):
    """WaitForMultipleObjects' answers (WSA_WAIT_EVENT_0 + i, WSA_WAIT_TIMEOUT)."""
    from .kernel32_wait import sys_kernel32_WaitForMultipleObjects
    if not 0 < cEvents <= WSA_MAXIMUM_WAIT_EVENTS:
        p.win32.last_error = 87
        return WSA_WAIT_FAILED
    return sys_kernel32_WaitForMultipleObjects(p, cEvents, lphEvents, fWaitAll, dwTimeout)
