"""The host's terminal when the guest's stdio is on it: the host's own line discipline does
the work, so the guest's termios go to the host terminal field by field (struct termios is
the same on the host), the window size is the host's, and the keys that make signals reach
tblc, which hands them to the guest's foreground group. The settings the run started with
come back when it ends, however it ends."""
from __future__ import annotations

import atexit
import fcntl
import os
import termios as host_termios

from .abi import NCCS, TIOCGWINSZ, WINSIZE, Termios
from .tty import Tty, terminals

CBAUD = 0o10017          # the speed bits of c_cflag (what cfgetospeed reads)


def host_terminal(kernel, fd: int):
    """The HostTerminal for host descriptor fd, made once per terminal; None if fd is not a
    terminal."""
    try:
        if not os.isatty(fd):
            return None
        rdev = os.fstat(fd).st_rdev
    except OSError:
        return None
    for t in terminals(kernel):
        if isinstance(t, HostTerminal) and t.rdev == rdev:
            return t
    try:
        return HostTerminal(kernel, fd, rdev)
    except host_termios.error:
        return None


class HostTerminal(Tty):
    name = "/dev/tty"

    def __init__(self, kernel, fd: int, rdev: int):
        self.saved = host_termios.tcgetattr(fd)
        super().__init__(kernel)
        self.fd, self.rdev = fd, rdev
        self.changed = False
        self.size_set = None       # a size the guest set (TIOCSWINSZ), until the host's changes
        atexit.register(self.restore)

    def get_termios(self) -> Termios:
        iflag, oflag, cflag, lflag, _, _, cc = host_termios.tcgetattr(self.fd)
        raw = [c[0] if isinstance(c, bytes) else c for c in cc[:NCCS]]
        return Termios(iflag, oflag, cflag, lflag, 0, raw + [0] * (NCCS - len(raw)))

    def set_termios(self, new: Termios, when: int) -> None:
        cc = host_termios.tcgetattr(self.fd)[6]
        cc[:NCCS] = new.cc[:NCCS]          # the host's c_cc is longer; the rest stays
        speed = new.cflag & CBAUD
        try:
            host_termios.tcsetattr(self.fd, when, [new.iflag, new.oflag, new.cflag, new.lflag,
                                                   speed, speed, cc])
        except (host_termios.error, OSError):
            pass    # a field the host refuses: the host terminal keeps its setting
        self.changed = True

    def flush(self, queue: int) -> None:
        try:
            host_termios.tcflush(self.fd, queue)
        except host_termios.error:
            pass

    def unread(self) -> int:
        try:
            return int.from_bytes(fcntl.ioctl(self.fd, host_termios.FIONREAD, b"\0" * 4),
                                  "little")
        except OSError:
            return 0

    def get_winsize(self) -> tuple:
        if self.size_set is not None:
            return self.size_set
        try:
            return WINSIZE.unpack(fcntl.ioctl(self.fd, TIOCGWINSZ, b"\0" * WINSIZE.size))
        except OSError:
            return (24, 80, 0, 0)

    def set_winsize(self, ws: tuple) -> None:
        self.size_set = None
        if ws != self.get_winsize():
            self.size_set = ws
            self.window_changed()

    def host_resized(self) -> None:
        """The host's SIGWINCH: the guest's foreground group hears it."""
        self.size_set = None
        self.window_changed()

    def restore(self) -> None:
        """Put back the settings the run started with (safe to call at any time, twice)."""
        if self.changed:
            try:
                host_termios.tcsetattr(self.fd, host_termios.TCSANOW, self.saved)
                self.changed = False
            except (host_termios.error, OSError):
                pass

    def runtime_output(self):
        """While the runtime itself writes to the terminal (a report): the run's starting
        settings, then the guest's again."""
        return _Borrowed(self)


class _Borrowed:
    def __init__(self, term: HostTerminal):
        self.term, self.current = term, None

    def __enter__(self):
        if self.term.changed:
            try:
                self.current = host_termios.tcgetattr(self.term.fd)
                host_termios.tcsetattr(self.term.fd, host_termios.TCSANOW, self.term.saved)
            except (host_termios.error, OSError):
                self.current = None
        return self

    def __exit__(self, *exc):
        if self.current is not None:
            try:
                host_termios.tcsetattr(self.term.fd, host_termios.TCSANOW, self.current)
            except (host_termios.error, OSError):
                pass


def runtime_output(kernel, stream):
    """The context to write a runtime message to stream in: the host terminal's starting
    settings if stream is that terminal and a guest changed them (a raw terminal would
    show a report as a staircase), else nothing."""
    import contextlib
    try:
        rdev = os.fstat(stream.fileno()).st_rdev if os.isatty(stream.fileno()) else None
    except (OSError, ValueError, AttributeError):
        rdev = None
    term = next((t for t in terminals(kernel) if isinstance(t, HostTerminal) and t.rdev == rdev
                 and t.changed), None) if rdev is not None else None
    return term.runtime_output() if term is not None else contextlib.nullcontext()


class TerminalSafeStream:
    """A stream (the trace's) whose every write goes out in runtime_output."""

    def __init__(self, stream, kernel):
        self.stream, self.kernel = stream, kernel

    def write(self, text):
        with runtime_output(self.kernel, self.stream):
            n = self.stream.write(text)
            self.stream.flush()
        return n

    def __getattr__(self, name):
        return getattr(self.stream, name)
