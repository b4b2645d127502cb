"""N_TTY, the line discipline between a terminal's keyboard side and its programs: input
flags (ICRNL ...), signal keys (ISIG), canonical line editing (ICANON: erase, kill, word
erase, EOF, literal next, reprint), echo, non-canonical reads (VMIN, VTIME) and output processing (OPOST, ONLCR)."""
from __future__ import annotations

import time
from collections import deque

from .. import signals
from ..errors import WouldBlock
from .abi import (ECHO, ECHOCTL, ECHOE, ECHOK, ECHOKE, ECHONL, ICANON, ICRNL, IEXTEN, IGNCR,
                  INLCR, ISIG, ISTRIP, IUTF8, NOFLSH, OCRNL, ONLCR, OPOST, POSIX_VDISABLE,
                  VEOF, VEOL, VEOL2, VERASE, VINTR, VKILL, VLNEXT, VMIN, VQUIT, VREPRINT,
                  VSUSP, VTIME, VWERASE, Termios)

INPUT_MAX = 4096          # N_TTY_BUF_SIZE: a canonical line never grows past it
SIGNAL_KEYS = ((VINTR, signals.SIGINT), (VQUIT, signals.SIGQUIT), (VSUSP, signals.SIGTSTP))


class LineDiscipline:
    """One terminal's N_TTY state. `echo(bytes)` carries what the terminal shows (echo and
    processed output) to the screen side; `signal(sig)` reaches the foreground group."""

    def __init__(self, echo, signal):
        self.termios = Termios()
        self.echo_out, self.signal = echo, signal
        self.lines: deque[bytes] = deque()   # finished canonical lines (b"" is an EOF)
        self.line = bytearray()              # the line being edited
        self.raw = bytearray()               # non-canonical input
        self.literal_next = False            # VLNEXT came: the next key is taken as it is
        self.vtime_deadline: float | None = None
        # A Windows pseudo console's: a CR LF a program writes is one newline, as conhost's
        # processed output makes it, so ONLCR adds a CR only before a bare LF.
        self.crlf_whole = False
        self.last_out = 0                    # the last byte output processing gave
        # Also a pseudo console's: conhost edits and echoes a cooked line when a read asks
        # for it, so keys typed ahead wait unechoed after the program's output, not before
        # it (signal keys act at once). `reading`: a read waits, so keys echo as they come.
        self.echo_when_read = False
        self.typeahead = bytearray()
        self.reading = False

    # --- the keyboard side ---------------------------------------------------------------------

    def room(self) -> int:
        """Input bytes that can be taken now (the keyboard side waits beyond it)."""
        held = len(self.raw) + len(self.line) + sum(len(x) for x in self.lines) \
            + len(self.typeahead)
        return max(0, 4 * INPUT_MAX - held)

    def receive(self, data: bytes) -> None:
        for c in data:
            if self._held_for_a_read(c):
                self.typeahead.append(c)
            else:
                self._receive_char(c)
                if self.reading and self.lines:
                    self.reading = False    # the waiting read has its line; the rest waits

    def _held_for_a_read(self, c: int) -> bool:
        t = self.termios
        if not self.echo_when_read or self.reading or not t.lflag & ICANON:
            return False
        signal_key = t.lflag & ISIG and any(c == t.cc[index] != POSIX_VDISABLE
                                            for index, _ in SIGNAL_KEYS)
        return not signal_key

    def _take_typeahead(self) -> None:
        """A read came: keys typed ahead are edited and echoed now, up to one finished line
        (the rest waits for the next read)."""
        finished, taken = len(self.lines), 0
        while taken < len(self.typeahead) and len(self.lines) == finished:
            self._receive_char(self.typeahead[taken])
            taken += 1
        del self.typeahead[:taken]

    def _receive_char(self, c: int) -> None:
        t = self.termios
        if t.iflag & ISTRIP:
            c &= 0x7F
        if self.literal_next:     # no signal, translation or editing (n_tty_receive_char_lnext)
            self.literal_next = False
            if t.lflag & ICANON:
                self._add_to_line(c)
                return
        if c == 0x0D:
            if t.iflag & IGNCR:
                return
            if t.iflag & ICRNL:
                c = 0x0A
        elif c == 0x0A and t.iflag & INLCR:
            c = 0x0D
        cc = t.cc
        if t.lflag & ISIG:
            for index, sig in SIGNAL_KEYS:
                if c == cc[index] != POSIX_VDISABLE:
                    if not t.lflag & NOFLSH:
                        self.flush_input()
                    if t.lflag & ECHO:
                        self._echo_char(c)
                    self.signal(sig)
                    return
        if not t.lflag & ICANON:
            self.raw.append(c)
            if t.lflag & ECHO:
                self._echo_char(c)
            return
        if c == cc[VERASE] != POSIX_VDISABLE:
            self._erase(1)
        elif c == cc[VKILL] != POSIX_VDISABLE:
            if t.lflag & ECHO and t.lflag & (ECHOK | ECHOKE | ECHOE) != ECHOK | ECHOKE | ECHOE:
                self.line.clear()        # n_tty's eraser: show the kill key, not the erasing
                self._echo_char(c)
                if t.lflag & ECHOK:
                    self._show(b"\n")
            else:
                self._erase(len(self.line))
        elif c == cc[VWERASE] != POSIX_VDISABLE and t.lflag & IEXTEN:
            self._erase_word()
        elif c == cc[VLNEXT] != POSIX_VDISABLE and t.lflag & IEXTEN:
            self.literal_next = True
            if t.lflag & ECHO and t.lflag & ECHOCTL:
                self._show(b"^\b")      # a caret the next key's echo writes over
        elif c == cc[VREPRINT] != POSIX_VDISABLE and t.lflag & ECHO and t.lflag & IEXTEN:
            self._echo_char(c)
            self._show(b"\n")
            for typed in bytes(self.line):
                self._echo_char(typed)
        elif c == cc[VEOF] != POSIX_VDISABLE:
            self._finish_line()
        elif c == 0x0A or c in (cc[VEOL], cc[VEOL2]) and c != POSIX_VDISABLE:
            self.line.append(c)
            if t.lflag & (ECHO | ECHONL):
                self._echo_char(c, always=True)
            self._finish_line()
        else:
            self._add_to_line(c)

    def _add_to_line(self, c: int) -> None:
        if len(self.line) < INPUT_MAX - 1:
            self.line.append(c)
            if self.termios.lflag & ECHO:
                self._echo_char(c)

    def _finish_line(self) -> None:
        self.lines.append(bytes(self.line))
        self.line.clear()

    def _erase(self, count: int) -> None:
        t = self.termios
        for _ in range(count):
            if not self.line:
                return
            c = self.line.pop()
            if t.iflag & IUTF8:      # a multi-byte character goes as one
                while 0x80 <= c < 0xC0 and self.line:
                    c = self.line.pop()
            if t.lflag & ECHO:
                if t.lflag & (ECHOE | ECHOKE):
                    width = 2 if self._shown_as_caret(c) else 1
                    self._show(b"\b \b" * width)
                else:
                    self._echo_char(self.termios.cc[VERASE])

    def _erase_word(self) -> None:
        while self.line and self.line[-1] in b" \t":
            self._erase(1)
        while self.line and self.line[-1] not in b" \t":
            self._erase(1)

    def _shown_as_caret(self, c: int) -> bool:
        return bool(self.termios.lflag & ECHOCTL) and (c < 0x20 and c not in (0x09, 0x0A)
                                                       or c == 0x7F)

    def _echo_char(self, c: int, always: bool = False) -> None:
        if self._shown_as_caret(c) and not always:
            self._show(b"^" + bytes([c ^ 0x40]))
        else:
            self._show(bytes([c]))

    def _show(self, data: bytes) -> None:
        self.echo_out(self.output(data))

    def flush_input(self) -> None:
        self.literal_next = False
        self.lines.clear()
        self.line.clear()
        self.raw.clear()
        self.typeahead.clear()

    # --- the program side ----------------------------------------------------------------------

    def set_termios(self, new: Termios) -> None:
        was_canonical = self.termios.lflag & ICANON
        self.termios = new
        if was_canonical and not new.lflag & ICANON:
            # What was typed moves to the raw queue, as n_tty_set_termios does.
            self.raw += b"".join(self.lines) + self.line
            self.lines.clear()
            self.line.clear()
        elif not was_canonical and new.lflag & ICANON and self.raw:
            self.line += self.raw
            self.raw.clear()
        self.vtime_deadline = None
        if self.typeahead and not new.lflag & ICANON:     # raw reads take keys as they are
            held, self.typeahead = bytes(self.typeahead), bytearray()
            self.receive(held)

    def readable(self) -> bool:
        t = self.termios
        if t.lflag & ICANON:
            return bool(self.lines or self.typeahead)     # typeahead: a read edits it
        vmin, vtime = t.cc[VMIN], t.cc[VTIME]
        if len(self.raw) >= max(vmin, 1) or (self.raw and vtime):
            return True
        if vmin == 0:
            return vtime == 0 or (self.vtime_deadline is not None
                                  and time.monotonic() >= self.vtime_deadline)
        return False

    def next_deadline(self) -> float | None:
        return self.vtime_deadline

    def unread(self) -> int:
        if self.termios.lflag & ICANON:
            return sum(len(x) for x in self.lines) + len(self.typeahead)
        return len(self.raw)

    def read(self, n: int) -> bytes:
        """A read by a program: one line at most in canonical mode; WouldBlock to wait."""
        t = self.termios
        if t.lflag & ICANON:
            if self.echo_when_read and not self.lines:
                self._take_typeahead()
            if not self.lines:
                self.reading = self.echo_when_read
                raise WouldBlock()
            self.reading = False
            line = self.lines.popleft()
            if len(line) > n:
                self.lines.appendleft(line[n:])
                line = line[:n]
            return line
        if not self.readable():
            if t.cc[VMIN] == 0 and self.vtime_deadline is None:
                self.vtime_deadline = time.monotonic() + t.cc[VTIME] / 10
            raise WouldBlock()
        self.vtime_deadline = None
        data = bytes(self.raw[:n])
        del self.raw[:n]
        return data

    def output(self, data: bytes) -> bytes:
        """Output processing of what a program writes (and of echo)."""
        t = self.termios
        if not t.oflag & OPOST:
            return data
        if t.oflag & OCRNL:
            data = data.replace(b"\r", b"\n")
        if t.oflag & ONLCR:
            if self.crlf_whole:
                data = _bare_lf_to_crlf(data, self.last_out)
            else:
                data = data.replace(b"\n", b"\r\n")
        if data:
            self.last_out = data[-1]
        return data


def _bare_lf_to_crlf(data: bytes, before: int) -> bytes:
    """Each LF not already after a CR (before: the byte the last output ended with)."""
    out = bytearray()
    previous = before
    for part in data.split(b"\n")[:-1]:
        out += part
        if not (part[-1:] == b"\r" or (not part and previous == 0x0D)):
            out += b"\r"
        out += b"\n"
        previous = 0x0A
    return bytes(out + data.rsplit(b"\n", 1)[-1]) if b"\n" in data else data
