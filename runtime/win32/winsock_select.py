"""select and WSAPoll in Winsock's layouts: an fd_set is a count and an array of SOCKETs
(not a bit mask), a WSAPOLLFD a SOCKET and two shorts with Windows' own POLL* bits. What
is ready is the machine's socket readiness (runtime/readiness) as Windows reports it: a
socket neither connected nor listening is neither readable nor writable."""
from __future__ import annotations

import struct
import time

from .. import readiness
from ..kernel import Block
from ..net.socket import CONNECTED, LISTENING, StreamSocket
from ..nt import abi
from ..readiness import POLLERR, POLLHUP, READABLE, WRITABLE
from .kernel32_iocp import wait_deadline
from .winsock import SOCKET_ERROR, WSAEFAULT, WSAEINVAL, WinsockError, sock_of, winsock_call

MAX_SET = 4096


def readable(s) -> bool:
    if isinstance(s, StreamSocket) and s.state not in (CONNECTED, LISTENING):
        return False
    return bool(readiness.poll_mask(s) & (READABLE | POLLHUP | POLLERR))


def writable(s) -> bool:
    if isinstance(s, StreamSocket) and s.state != CONNECTED:
        return False
    return bool(readiness.poll_mask(s) & (WRITABLE | POLLERR))


def _read_set(p, fdset: int) -> list[int]:
    if not fdset:
        return []
    word = abi.word(p)
    count = p.mm.read_u32(fdset)
    if count > MAX_SET:
        raise WinsockError(WSAEINVAL)
    raw = p.mm.read(fdset + word, count * word)
    return list(struct.unpack(f"<{count}{'Q' if word == 8 else 'I'}", raw))


def _write_set(p, fdset: int, handles: list[int]) -> None:
    if not fdset:
        return
    word = abi.word(p)
    p.mm.write_u32(fdset, len(handles))
    if handles:
        p.mm.write(fdset + word, struct.pack(f"<{len(handles)}{'Q' if word == 8 else 'I'}",
                                             *handles))


def _timeout_ms(p, timeout: int) -> int:
    """A struct timeval (two 32-bit longs on both widths) in milliseconds; INFINITE for
    NULL."""
    if not timeout:
        return 0xFFFFFFFF
    sec, usec = struct.unpack("<ii", p.mm.read(timeout, 8))
    if sec < 0 or usec < 0:
        raise WinsockError(WSAEINVAL)
    return min(sec * 1000 + (usec + 999) // 1000, 0xFFFFFFFE)


def _wait_or_time_up(p, ms: int, ready, socks) -> None:
    """Returns when the time is up (the caller reports nothing ready); otherwise blocks."""
    deadline = wait_deadline(p, ms)
    if ms == 0 or (deadline is not None and time.monotonic() >= deadline):
        p.win32.wait_until = None
        return
    fds = [fd for s in socks for fd in readiness.host_fds(s)]
    raise Block(ready, deadline=deadline, host_fds=fds)


@winsock_call(SOCKET_ERROR)
def sys_ws2_32_select(p, nfds, readfds, writefds, exceptfds, timeout):
    sets = [_read_set(p, fdset) for fdset in (readfds, writefds, exceptfds)]
    if not any(sets):
        raise WinsockError(WSAEINVAL)        # Winsock: at least one socket to wait for
    socks = {h: sock_of(p, h) for handles in sets for h in handles}
    ms = _timeout_ms(p, timeout)

    def answer():
        return ([h for h in sets[0] if readable(socks[h])],
                [h for h in sets[1] if writable(socks[h])],
                [])                            # connects finish at once: no failures to report
    found = answer()
    if not any(found):      # blocks (the call restarts when ready), or the time is up
        _wait_or_time_up(p, ms, lambda: any(answer()), socks.values())
    p.win32.wait_until = None
    for fdset, handles in zip((readfds, writefds, exceptfds), found):
        _write_set(p, fdset, handles)
    return sum(len(h) for h in found)


def sys_ws2_32___WSAFDIsSet(p, fd, set):
    try:
        return int(fd in _read_set(p, set))
    except WinsockError:
        return 0


POLLRDNORM, POLLRDBAND, POLLPRI = 0x100, 0x200, 0x400
POLLWRNORM, POLLWRBAND = 0x10, 0x20
WPOLLERR, WPOLLHUP, WPOLLNVAL = 0x1, 0x2, 0x4


def _revents(p, handle: int, events: int) -> int:
    try:
        s = sock_of(p, handle)
    except WinsockError:
        return WPOLLNVAL
    mask = readiness.poll_mask(s)
    out = 0
    if readable(s):
        out |= events & (POLLRDNORM | POLLRDBAND)
    if writable(s):
        out |= events & POLLWRNORM
    if mask & POLLHUP and getattr(s, "state", "") == CONNECTED:
        out |= WPOLLHUP
    if mask & POLLERR:
        out |= WPOLLERR
    return out


@winsock_call(SOCKET_ERROR)
def sys_ws2_32_WSAPoll(p, fdArray, fds, timeout):
    if not fdArray or fds > MAX_SET:
        raise WinsockError(WSAEFAULT if not fdArray else WSAEINVAL)
    word = abi.word(p)
    size = word + 8 if word == 8 else 8
    entries = []
    for i in range(fds):
        at = fdArray + i * size
        entries.append((at, abi.read_ptr(p, at), struct.unpack("<h", p.mm.read(at + word, 2))[0]))
    ms = 0xFFFFFFFF if timeout < 0 else timeout

    def answer():
        return [_revents(p, handle, events & 0xFFFF) for _, handle, events in entries]
    found = answer()
    if not any(found):
        socks = []
        for _, handle, _ in entries:
            try:
                socks.append(sock_of(p, handle))
            except WinsockError:
                pass
        _wait_or_time_up(p, ms, lambda: any(answer()), socks)
    p.win32.wait_until = None
    for (at, _, _), revents in zip(entries, found):
        p.mm.write(at + word + 2, struct.pack("<H", revents))
    return sum(1 for r in found if r)
