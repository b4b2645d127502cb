"""Linux's terminal ABI, the one home of its numbers: struct termios (asm-generic termbits.h,
the same on x86-64 and i386), its flag bits and c_cc indices, and the tty ioctls."""
from __future__ import annotations

import struct
from dataclasses import dataclass, field

# ioctl numbers (asm-generic/ioctls.h)
TCGETS, TCSETS, TCSETSW, TCSETSF = 0x5401, 0x5402, 0x5403, 0x5404
TCSBRK, TCXONC, TCFLSH = 0x5409, 0x540A, 0x540B
TIOCSCTTY, TIOCGPGRP, TIOCSPGRP, TIOCOUTQ = 0x540E, 0x540F, 0x5410, 0x5411
TIOCGWINSZ, TIOCSWINSZ, FIONREAD, TIOCNOTTY = 0x5413, 0x5414, 0x541B, 0x5422
TCSBRKP, TIOCGSID = 0x5425, 0x5429
TIOCGPTN, TIOCSPTLCK, TIOCGPTPEER = 0x80045430, 0x40045431, 0x5441
TIOCGPTLCK = 0x80045439
TIOCPKT, TIOCGPKT = 0x5420, 0x80045438
# the SysV struct termio calls, the termios lock and the break ioctls
TCGETA, TCSETA, TCSETAW, TCSETAF = 0x5405, 0x5406, 0x5407, 0x5408
TIOCSBRK, TIOCCBRK, TIOCGLCKTRMIOS, TIOCSLCKTRMIOS = 0x5427, 0x5428, 0x5456, 0x5457
TTY_IOCTLS = {TCGETS, TCSETS, TCSETSW, TCSETSF, TCSBRK, TCXONC, TCFLSH, TIOCSCTTY, TIOCGPGRP,
              TIOCSPGRP, TIOCOUTQ, TIOCGWINSZ, TIOCSWINSZ, TIOCNOTTY, TCSBRKP, TIOCGSID,
              TIOCGPTN, TIOCSPTLCK, TIOCGPTPEER, TIOCGPTLCK, TIOCPKT, TIOCGPKT,
              TCGETA, TCSETA, TCSETAW, TCSETAF, TIOCSBRK, TIOCCBRK, TIOCGLCKTRMIOS, TIOCSLCKTRMIOS}
# packet mode's status byte (a master's read starts with it)
TIOCPKT_DATA, TIOCPKT_FLUSHREAD, TIOCPKT_FLUSHWRITE = 0, 1, 2
TIOCPKT_NOSTOP, TIOCPKT_DOSTOP = 16, 32
TCIFLUSH, TCOFLUSH, TCIOFLUSH = 0, 1, 2

# c_iflag
IGNBRK, BRKINT, IGNPAR, PARMRK, INPCK, ISTRIP = 0o1, 0o2, 0o4, 0o10, 0o20, 0o40
INLCR, IGNCR, ICRNL, IUCLC, IXON, IXANY, IXOFF, IMAXBEL, IUTF8 = \
    0o100, 0o200, 0o400, 0o1000, 0o2000, 0o4000, 0o10000, 0o20000, 0o40000
# c_oflag
OPOST, OLCUC, ONLCR, OCRNL, ONOCR, ONLRET = 0o1, 0o2, 0o4, 0o10, 0o20, 0o40
# c_cflag
B38400, CS8, CREAD = 0o17, 0o60, 0o200
# c_lflag
ISIG, ICANON, ECHO, ECHOE, ECHOK, ECHONL, NOFLSH, TOSTOP = \
    0o1, 0o2, 0o10, 0o20, 0o40, 0o100, 0o200, 0o400
ECHOCTL, ECHOPRT, ECHOKE, FLUSHO, PENDIN, IEXTEN = 0o1000, 0o2000, 0o4000, 0o10000, 0o40000, 0o100000
# c_cc indices
VINTR, VQUIT, VERASE, VKILL, VEOF, VTIME, VMIN, VSWTC = 0, 1, 2, 3, 4, 5, 6, 7
VSTART, VSTOP, VSUSP, VEOL, VREPRINT, VDISCARD, VWERASE, VLNEXT, VEOL2 = \
    8, 9, 10, 11, 12, 13, 14, 15, 16
NCCS = 19
POSIX_VDISABLE = 0

TERMIOS = struct.Struct("<IIIIB19s")       # struct termios as the TCGETS family passes it
WINSIZE = struct.Struct("<HHHH")           # ws_row, ws_col, ws_xpixel, ws_ypixel


def _default_cc() -> list[int]:
    """INIT_C_CC: ^C ^\\ DEL ^U ^D, VTIME 0, VMIN 1, ^Q ^S ^Z, ^R ^O ^W ^V."""
    cc = [0] * NCCS
    cc[VINTR], cc[VQUIT], cc[VERASE], cc[VKILL], cc[VEOF] = 0x03, 0x1C, 0x7F, 0x15, 0x04
    cc[VMIN], cc[VSTART], cc[VSTOP], cc[VSUSP] = 1, 0x11, 0x13, 0x1A
    cc[VREPRINT], cc[VDISCARD], cc[VWERASE], cc[VLNEXT] = 0x12, 0x0F, 0x17, 0x16
    return cc


@dataclass
class Termios:
    """struct termios; a new terminal starts as a pty's slave does (tty_std_termios,
    with the echo flags and the cflag of drivers/tty/pty.c: no HUPCL)."""
    iflag: int = ICRNL | IXON
    oflag: int = OPOST | ONLCR
    cflag: int = B38400 | CS8 | CREAD
    lflag: int = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN
    line: int = 0
    cc: list = field(default_factory=_default_cc)

    def pack(self) -> bytes:
        return TERMIOS.pack(self.iflag, self.oflag, self.cflag, self.lflag, self.line,
                            bytes(self.cc))

    @classmethod
    def unpack(cls, data: bytes) -> "Termios":
        iflag, oflag, cflag, lflag, line, cc = TERMIOS.unpack(data)
        return cls(iflag, oflag, cflag, lflag, line, list(cc))

    def copy(self) -> "Termios":
        return Termios(self.iflag, self.oflag, self.cflag, self.lflag, self.line, list(self.cc))
