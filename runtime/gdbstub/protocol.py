"""The GDB remote serial protocol's framing: `$payload#checksum` packets, acks, escapes, and
the out-of-band interrupt byte (0x03, Ctrl-C in gdb)."""
from __future__ import annotations

import select
import socket

INTERRUPT = 0x03


class Disconnected(Exception):
    """gdb closed the connection."""


def checksum(data: bytes) -> int:
    return sum(data) & 0xFF


def escape(data: bytes) -> bytes:
    """Binary replies (qXfer, vFile) escape $, #, } and * as '}' + (byte ^ 0x20)."""
    out = bytearray()
    for b in data:
        if b in b"$#}*":
            out += bytes((0x7D, b ^ 0x20))
        else:
            out.append(b)
    return bytes(out)


def unescape(data: bytes) -> bytes:
    """The X packet's binary data."""
    out, it = bytearray(), iter(data)
    for b in it:
        out.append(next(it, 0) ^ 0x20 if b == 0x7D else b)
    return bytes(out)


class Connection:
    """One gdb on a socket: receive packets (and interrupts), send replies."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.buf = bytearray()
        self.ack = True           # until QStartNoAckMode
        self.interrupted = False  # a 0x03 arrived

    def fileno(self) -> int:
        return self.sock.fileno()

    def _fill(self, timeout: float | None) -> bool:
        ready, _, _ = select.select([self.sock], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = self.sock.recv(65536)
        except OSError:
            chunk = b""
        if not chunk:
            raise Disconnected()
        self.buf += chunk
        return True

    def poll_interrupt(self) -> bool:
        """While the guest runs: has gdb asked to stop it? Never blocks."""
        while self._fill(0):
            pass
        while self.buf and self.buf[0] in (INTERRUPT, ord("+"), ord("-")):
            if self.buf.pop(0) == INTERRUPT:
                self.interrupted = True
        return self.interrupted

    def receive(self, timeout: float | None = None) -> bytes | None:
        """The next packet's payload (acked), or None on timeout. An interrupt byte seen
        here sets `interrupted`."""
        while True:
            while self.buf and self.buf[0] != ord("$"):
                if self.buf.pop(0) == INTERRUPT:
                    self.interrupted = True
            end = self.buf.find(b"#")
            if self.buf and end >= 0 and len(self.buf) >= end + 3:
                payload = bytes(self.buf[1:end])
                given = bytes(self.buf[end + 1:end + 3])
                del self.buf[:end + 3]
                ok = given.lower() == f"{checksum(payload):02x}".encode()
                if self.ack:
                    self._send_raw(b"+" if ok else b"-")
                if ok:
                    return payload
                continue
            if not self._fill(timeout):
                return None

    def send(self, payload: bytes | str) -> None:
        if isinstance(payload, str):
            payload = payload.encode()
        self._send_raw(b"$" + payload + b"#" + f"{checksum(payload):02x}".encode())
        # In ack mode gdb answers '+'; receive() and poll_interrupt() skip it.

    def _send_raw(self, data: bytes) -> None:
        try:
            self.sock.sendall(data)
        except OSError:
            raise Disconnected() from None

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass
