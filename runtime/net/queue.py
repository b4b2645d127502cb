"""One direction of a socket's data: the receive queue of the reading end (sk_receive_queue).
Byte streams merge segments; record sockets (datagram, seqpacket) keep message boundaries.
A segment may carry ancillary data (passed descriptors, credentials) and a source address;
stream reads never run across a segment with ancillary data, as unix_stream_read_generic."""
from __future__ import annotations

from collections import deque

DEFAULT_CAPACITY = 212992           # net.core.rmem_default
MAX_CAPACITY = 2 * 212992           # SO_RCVBUF at most net.core.rmem_max, doubled
MAX_RECORDS = 512                   # datagrams a queue holds, whatever their size
MACHINE_BUFFERS = 256 << 20         # bytes queued in all sockets of a machine (tcp_mem)
POLL_IN, POLL_ERR, POLL_HUP = 1, 4, 6   # why an O_ASYNC signal came (its si_code)


class Budget:
    """The bytes all of a machine's socket queues may hold: past it, writers wait (or get
    EAGAIN), as under the kernel's memory pressure, and host memory stays bounded."""

    def __init__(self, limit: int = MACHINE_BUFFERS):
        self.limit, self.used = limit, 0


UNLIMITED = Budget(1 << 62)


class Segment:
    __slots__ = ("data", "off", "anc", "addr")

    def __init__(self, data: bytes, anc=None, addr=None):
        self.data, self.off, self.anc, self.addr = data, 0, anc, addr

    def __len__(self):
        return len(self.data) - self.off


class Queue:
    def __init__(self, capacity: int = DEFAULT_CAPACITY, records: bool = False,
                 budget: Budget = UNLIMITED):
        self.budget = budget
        self.segs: deque[Segment] = deque()
        self.size = 0
        self.capacity = capacity
        self.records = records
        self.eof = False            # the writer will send no more (shutdown or close)
        self.reader_gone = False    # the reader closed: writes fail with EPIPE
        self.reset = False          # an RST arrived: ECONNRESET once, after the data before it
        self.rst_arrived = False    # ... and the connection is gone (getpeername: ENOTCONN)
        self.pushed = 0             # wake-ups of the reader (for edge-triggered epoll)
        self.pulled = 0             # wake-ups of the writer
        self.on_push = None         # the reader's O_ASYNC signal (linux/fasync.py): f(si_code)

    def reset_by_peer(self) -> None:
        """The peer reset the connection (a close with data unread, SO_LINGER's abortive
        close, the host side's reset)."""
        self.reset = self.rst_arrived = True
        self._signal(POLL_ERR)

    def hang_up(self, code: int = None) -> None:
        """The writer sends no more (a FIN, a shutdown, a close): the reader wakes, and an
        O_ASYNC reader is signalled as for data (POLL_IN), or POLL_HUP when the whole
        connection went (unix_release_sock)."""
        self.eof = True
        self.pushed += 1
        self._signal(POLL_IN if code is None else code)

    def _signal(self, code: int) -> None:
        if self.on_push is not None:
            self.on_push(code)

    def room(self) -> int:
        if self.records and len(self.segs) >= MAX_RECORDS:
            return 0
        return max(min(self.capacity - self.size, self.budget.limit - self.budget.used), 0)

    def fits(self, n: int) -> bool:
        """A record of n bytes goes in whole now (an empty queue takes any size)."""
        if not self.segs:
            return self.budget.used + n <= self.budget.limit
        return n <= self.room() and len(self.segs) < MAX_RECORDS

    def push(self, data: bytes, anc=None, addr=None) -> None:
        self.segs.append(Segment(bytes(data), anc, addr))
        self.size += len(data)
        self.budget.used += len(data)
        self.pushed += 1
        self._signal(POLL_IN)

    def pull_stream(self, n: int, peek: bool = False):
        """Up to n bytes and the ancillary data of the first segment read: a read stops
        before a segment with ancillary data, and after one."""
        out, anc, got, carrier = [], None, 0, None
        for seg in self.segs:
            if got >= n:
                break
            if seg.anc is not None and got:
                break
            take = min(n - got, len(seg))
            out.append(seg.data[seg.off:seg.off + take])
            got += take
            if seg.anc is not None:
                anc, carrier = seg.anc, seg
                break
        if not peek:
            if carrier is not None:
                carrier.anc = None      # delivered with the first byte read
            left = got
            while left:
                seg = self.segs[0]
                take = min(left, len(seg))
                seg.off += take
                left -= take
                if not len(seg):
                    self.segs.popleft()
            self.size -= got
            self.budget.used -= got
            self.pulled += 1
        return b"".join(out), anc

    def pull_record(self, peek: bool = False) -> Segment:
        seg = self.segs[0]
        if not peek:
            self.segs.popleft()
            self.size -= len(seg)
            self.budget.used -= len(seg)
            self.pulled += 1
        return seg

    def drain(self) -> list:
        """Throw away what is queued; the ancillary data of the dropped segments is returned
        so passed descriptors can be released."""
        ancs = [s.anc for s in self.segs if s.anc is not None]
        self.segs.clear()
        self.budget.used -= self.size
        self.size = 0
        self.pulled += 1
        return ancs
