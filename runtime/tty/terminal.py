"""A machine pty held by the host: the keyboard and screen of Machine.spawn(..., tty=True)
(write keys, read what the screen shows), or bridged to host descriptors for
`tblc run --tty`. The scheduler pumps it between slices, as it does host sockets."""
from __future__ import annotations

import atexit
import os
import select
import termios as host_termios

from ..errors import KernelError, WouldBlock
from ..files import O_RDWR
from .pty import Pty, PtyMaster, PtySlave


def host_sources(kernel) -> list:
    """Things outside the guests that feed the machine (pumped by the scheduler)."""
    return kernel.host_sources


class Terminal:
    """The host's end of a machine pty. Unbridged, the embedding program is the keyboard and
    the screen: Machine.run returns when the guests wait for keys (`waits_for_host`)."""

    def __init__(self, kernel, rows: int = 24, cols: int = 80):
        self.kernel = kernel
        self.pty = Pty(kernel)
        self.pty.locked = False
        self.pty.winsize = (rows, cols, 0, 0)
        self.master = PtyMaster(self.pty, O_RDWR)
        self.keys = bytearray()          # typed, not yet taken by the line discipline
        self.in_fd = self.out_fd = None
        self.in_eof = False
        self.saved = None                # the host terminal's settings before raw mode
        host_sources(kernel).append(self)

    @property
    def waits_for_host(self) -> bool:
        return self.in_fd is None and not self.pty.input_closed

    def slave(self) -> PtySlave:
        return PtySlave(self.pty, O_RDWR)

    # --- the embedding API ---------------------------------------------------------------------

    def write(self, keys) -> None:
        """Type keys (bytes or str); they reach the guest as the machine runs."""
        self.keys += keys.encode() if isinstance(keys, str) else bytes(keys)
        self._feed()

    def read(self) -> bytes:
        """What the terminal showed since the last read (output and echo, as bytes)."""
        self._feed()
        return self.pty.take_screen(len(self.pty.screen))

    def resize(self, rows: int, cols: int) -> None:
        """A new window size; the foreground group gets SIGWINCH."""
        self.pty.set_winsize((rows, cols, 0, 0))

    def end_input(self) -> None:
        """No more keys: once what was typed is read, reads see end of file."""
        self.pty.input_closed = True

    def _feed(self) -> None:
        while self.keys:
            try:
                n = self.pty.type_keys(bytes(self.keys))
            except (WouldBlock, KernelError):
                return
            del self.keys[:n]

    # --- bridged to host descriptors -----------------------------------------------------------

    def bridge(self, in_fd: int, out_fd: int) -> None:
        """Host in_fd is the keyboard and out_fd the screen. A host terminal on in_fd goes
        raw (the machine's line discipline does the work) until close()."""
        self.in_fd, self.out_fd = in_fd, out_fd
        if os.isatty(in_fd):
            self.saved = host_termios.tcgetattr(in_fd)
            raw = host_termios.tcgetattr(in_fd)
            raw[0] &= ~(host_termios.BRKINT | host_termios.ICRNL | host_termios.INPCK
                        | host_termios.ISTRIP | host_termios.IXON)
            raw[1] &= ~host_termios.OPOST
            raw[3] &= ~(host_termios.ECHO | host_termios.ICANON | host_termios.IEXTEN
                        | host_termios.ISIG)
            raw[6][host_termios.VMIN], raw[6][host_termios.VTIME] = 1, 0
            host_termios.tcsetattr(in_fd, host_termios.TCSANOW, raw)
            atexit.register(self._restore_host)
            self.follow_host_size()

    def follow_host_size(self) -> None:
        if self.in_fd is not None and os.isatty(self.in_fd):
            size = os.get_terminal_size(self.in_fd)
            self.resize(size.lines, size.columns)

    def pump(self) -> None:
        self._feed()
        if self.in_fd is not None and not self.in_eof and not self.keys:
            try:
                ready = select.select([self.in_fd], [], [], 0)[0]
                data = os.read(self.in_fd, self.pty.ldisc.room() or 1) if ready else None
            except OSError:
                data = b""
            if data == b"":
                self.in_eof = True
                self.end_input()
            elif data:
                self.write(data)
        self.flush()

    def flush(self) -> None:
        if self.out_fd is not None and self.pty.screen:
            data = self.pty.take_screen(len(self.pty.screen))
            try:
                while data:
                    data = data[os.write(self.out_fd, data):]
            except OSError:
                self.out_fd = None     # the host's screen went away; the guest runs on

    def _restore_host(self) -> None:
        if self.saved is not None:
            try:
                host_termios.tcsetattr(self.in_fd, host_termios.TCSANOW, self.saved)
            except (host_termios.error, OSError):
                pass
            self.saved = None

    def host_fds(self) -> list:
        return [self.in_fd] if self.in_fd is not None and not self.in_eof and not self.keys \
            else []

    def close(self) -> None:
        """Show what is left, give the host terminal its settings back, hang the pty up."""
        self.flush()
        self._restore_host()
        if self in host_sources(self.kernel):
            host_sources(self.kernel).remove(self)
        if not self.master.closed:
            self.master.decref()
