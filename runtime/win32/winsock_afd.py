"""IOCTL_AFD_POLL on a \\Device\\Afd handle, how Rust's mio (and so tokio: Deno, uv ...)
waits for sockets on Windows: AFD_POLL_INFO names sockets and the events wanted; the
request completes, with a packet to the AFD handle's completion port, when one of them
holds (AFD_POLL_RECEIVE, _SEND, _ACCEPT, _DISCONNECT, _ABORT, _LOCAL_CLOSE), the output
listing which. It stays pending until then, or until its Timeout (relative when negative, an
absolute time when positive, never at LONGLONG's largest) with STATUS_TIMEOUT and no socket,
and NtCancelIoFileEx ends it cancelled. NtDeviceIoControlFile's Event is reset when the poll
starts and set when it completes, its ApcRoutine runs as a user APC then (libuv's and hand-
written pollers wait so, not on a port), and the AFD handle itself is signalled."""
from __future__ import annotations

import struct
import time
from dataclasses import dataclass

from ..net.socket import CONNECTED, LISTENING, StreamSocket
from ..nt import abi
from ..nt.status import (STATUS_INVALID_DEVICE_REQUEST, STATUS_INVALID_PARAMETER, STATUS_PENDING,
                         STATUS_SUCCESS, STATUS_TIMEOUT)
from .kernel32_iocp import Pending, complete, nt_apc, nt_begin, start_pending
from .winsock import WinsockError, sock_of
from .winsock_select import writable

IOCTL_AFD_POLL = 0x12024
AFD_POLL_RECEIVE, AFD_POLL_SEND = 0x1, 0x4
AFD_POLL_DISCONNECT, AFD_POLL_ABORT, AFD_POLL_LOCAL_CLOSE = 0x8, 0x10, 0x20
AFD_POLL_ACCEPT, AFD_POLL_CONNECT_FAIL = 0x80, 0x100
ALWAYS = AFD_POLL_LOCAL_CLOSE            # reported whether asked for or not
MAX_HANDLES = 1024
NO_TIMEOUT = 0x7FFFFFFFFFFFFFFF          # mio's (Wine's TIMEOUT_INFINITE)


def _events_now(p, handle: int) -> int:
    """The AFD_POLL_* events that hold for a socket handle now."""
    try:
        s = sock_of(p, handle)
    except WinsockError:
        return AFD_POLL_LOCAL_CLOSE                  # closed while polled
    events = 0
    if isinstance(s, StreamSocket):
        if s.state == LISTENING:
            return AFD_POLL_ACCEPT if s.backlog else 0
        if s.state != CONNECTED:
            return AFD_POLL_CONNECT_FAIL if s.so_error else 0
        s.sync()
        rx = s.rx
        if rx.segs:
            events |= AFD_POLL_RECEIVE
        if rx.reset:
            events |= AFD_POLL_ABORT
        elif rx.eof or s.shut_rd:
            events |= AFD_POLL_DISCONNECT
    elif s.readable_now():
        events |= AFD_POLL_RECEIVE
    if writable(s):
        events |= AFD_POLL_SEND
    return events


def _layout(p) -> tuple[int, int]:
    """(size of one AFD_POLL_HANDLE_INFO, its handle's struct format)."""
    return (16, "<QIi") if abi.word(p) == 8 else (12, "<IIi")


@dataclass(eq=False)
class PendingPoll(Pending):
    handle: int                  # the AFD device's handle: its port gets the packet
    overlapped: int              # the ApcContext: the packet's lpOverlapped
    output: int
    output_length: int
    wanted: list                 # (socket handle, events asked for)
    iosb: int = 0                # where the status goes
    event: int = 0               # NtDeviceIoControlFile's Event, ApcRoutine and Timeout
    apc: tuple | None = None
    deadline: float | None = None

    def ready(self, p) -> bool:
        return bool(_results(p, self.wanted)) or self.timed_out()

    def timed_out(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    def finish(self, p) -> None:
        results = _results(p, self.wanted)
        count = _write_results(p, self.output, self.output_length, results)
        self.done(p, count, STATUS_SUCCESS if results else STATUS_TIMEOUT)

    def gone(self, p) -> bool:
        try:
            p.fds.get(abi.fd_of_handle(self.handle))
        except Exception:   # NtError / KernelError: the AFD handle was closed
            return True
        return False

    def watched_handles(self) -> list:
        """The polled sockets: only they change what the poll reports (mio waits in
        GetQueuedCompletionStatusEx for a host server's late answer so)."""
        return [handle for handle, _events in self.wanted]


def _results(p, wanted: list) -> list:
    out = []
    for handle, events in wanted:
        now = _events_now(p, handle) & (events | ALWAYS)
        if now:
            out.append((handle, now))
    return out


def _write_results(p, output: int, length: int, results: list) -> int:
    """The output AFD_POLL_INFO (Timeout, NumberOfHandles, Exclusive, the handles); its size."""
    size, fmt = _layout(p)
    fits = max(0, (length - 16) // size)
    results = results[:fits]
    data = struct.pack("<qII", 0, len(results), 0) + b"".join(
        struct.pack(fmt, handle, events, 0) for handle, events in results)
    p.mm.write(output, data)
    return len(data)


def _deadline(timeout: int) -> float | None:
    """When a poll of this Timeout ends by itself: a negative one is relative (100 ns
    units), a positive one an absolute system time (FILETIME), the largest never."""
    if timeout == NO_TIMEOUT:
        return None
    return time.monotonic() + abi.seconds_until(timeout)


def afd_device_control(p, handle, event, apc_routine, apc_context, iosb, code, info,
                       info_length, output, output_length) -> int:
    if code & 0xFFFFFFFF != IOCTL_AFD_POLL:
        return STATUS_INVALID_DEVICE_REQUEST
    size, fmt = _layout(p)
    if info_length < 16 or not output or output_length < 16:
        return STATUS_INVALID_PARAMETER
    nt_begin(p, handle, event)
    timeout, count, _exclusive = struct.unpack("<qII", p.mm.read(info, 16))
    count = min(count, MAX_HANDLES, (info_length - 16) // size)
    wanted = [struct.unpack(fmt, p.mm.read(info + 16 + i * size, size))[:2] for i in range(count)]
    results = _results(p, wanted)
    apc = nt_apc(p, apc_routine)
    if results or timeout == 0:
        n = _write_results(p, output, output_length, results)
        complete(p, handle, apc_context, n, STATUS_SUCCESS, at_once=True, iosb=iosb,
                 event=event, apc=apc)
        return STATUS_SUCCESS
    start_pending(p, PendingPoll(handle, apc_context, output, output_length, wanted, iosb=iosb,
                                 event=event, apc=apc, deadline=_deadline(timeout)))
    return STATUS_PENDING
