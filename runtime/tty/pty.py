"""Unix98 pseudo-terminals (devpts): opening /dev/ptmx makes a pair; the slave /dev/pts/N is
a terminal with the machine's line discipline, the master is its keyboard and screen."""
from __future__ import annotations

import errno
import stat as S

from ..errors import KernelError, WouldBlock
from ..files import (DEVICE_NUMBERS, O_ACCMODE, O_NONBLOCK, O_RDWR, O_WRONLY, OpenFile, mkdev,
                     synthetic_stat)
from ..readiness import POLLERR, POLLHUP, POLLPRI, READABLE, WRITABLE
from .abi import (IXON, TCIFLUSH, TCOFLUSH, TIOCGPKT, TIOCGPTLCK, TIOCGPTN, TIOCPKT,
                  TIOCPKT_DATA, TIOCPKT_DOSTOP, TIOCPKT_FLUSHREAD, TIOCPKT_FLUSHWRITE,
                  TIOCPKT_NOSTOP, TIOCSPTLCK, VSTART, VSTOP, Termios)
from .ldisc import LineDiscipline
from .tty import Tty, terminals

PTY_SLAVE_MAJOR, PTMX = 136, DEVICE_NUMBERS["ptmx"]
OUTPUT_MAX = 65536       # screen bytes the master has not read before slave writes wait
O_NOCTTY, O_CLOEXEC = 0o400, 0o2000000
STATUS_FLAGS = 0o3 | 0o2000 | 0o4000     # access mode, O_APPEND, O_NONBLOCK


TTY_GROUP = 5            # devpts's gid=5 mount option, Debian's "tty" group


def slave_stat(index: int, owner: tuple[int, int] = (0, TTY_GROUP)):
    """stat of /dev/pts/N, the same through the path and through a descriptor: mode 0620,
    owned by whoever opened /dev/ptmx, group tty."""
    rdev = mkdev(PTY_SLAVE_MAJOR, index)
    st = synthetic_stat(S.S_IFCHR | 0o620, rdev, ino=rdev | 0x20000)
    st.st_uid, st.st_gid = owner
    st.guest_owner = owner
    return st


def ptys(kernel) -> dict:
    """Index -> pair, for the ptys of the machine with a /dev/pts node: the master's last
    close removes it (devpts_pty_kill), though a hung-up slave may still be open."""
    return {t.index: t for t in terminals(kernel) if isinstance(t, Pty) and not t.hung_up()}


class Pty(Tty):
    """One pair: the slave's termios and line discipline, the screen bytes for the master."""

    def __init__(self, kernel):
        used = {t.index for t in terminals(kernel) if isinstance(t, Pty)}
        self.index = next(i for i in range(len(used) + 1) if i not in used)
        super().__init__(kernel)
        self.name = f"/dev/pts/{self.index}"
        self.rdev = mkdev(PTY_SLAVE_MAJOR, self.index)
        self.locked = True
        self.screen = bytearray()        # output and echo, for the master to read
        self.ldisc = LineDiscipline(self.screen.extend, self.signal_group)
        self.masters = self.slaves = 0
        self.slave_opened = False
        self.input_closed = False        # the keyboard side said EOF (a host bridge's stdin)
        self.packet = False              # TIOCPKT: the master's reads carry a status byte
        self.ctrl_status = 0             # TIOCPKT_* events its next read reports
        self.owner = (0, TTY_GROUP)      # the slave node's owner: the ptmx opener's uid

    # --- termios -------------------------------------------------------------------------------

    def get_termios(self) -> Termios:
        return self.ldisc.termios.copy()

    def set_termios(self, new: Termios, when: int) -> None:
        if when == 2:                    # TCSAFLUSH: typed input is dropped
            self.ldisc.flush_input()
        old = self.ldisc.termios
        if self.packet:                  # pty_set_termios: whether ^S/^Q now stop output
            def stops(t: Termios) -> bool:
                return bool(t.iflag & IXON) and t.cc[VSTART] == 0x11 and t.cc[VSTOP] == 0x13
            if stops(old) != stops(new) or (old.iflag ^ new.iflag) & IXON:
                self.ctrl_status &= ~(TIOCPKT_DOSTOP | TIOCPKT_NOSTOP)
                self.ctrl_status |= TIOCPKT_DOSTOP if stops(new) else TIOCPKT_NOSTOP
        self.ldisc.set_termios(new)

    def flush(self, queue: int) -> None:
        if queue != TCOFLUSH:
            self.ldisc.flush_input()
            if self.packet:
                self.ctrl_status |= TIOCPKT_FLUSHREAD
        if queue != TCIFLUSH:
            self.screen.clear()
            if self.packet:
                self.ctrl_status |= TIOCPKT_FLUSHWRITE

    def unread(self) -> int:
        return self.ldisc.unread()

    # --- the keyboard and screen side ----------------------------------------------------------

    def type_keys(self, data: bytes) -> int:
        """Bytes written to the master: as many as the line discipline takes now."""
        n = min(len(data), self.ldisc.room())
        if data and not n:
            raise WouldBlock()
        self.ldisc.receive(data[:n])
        return n

    def take_screen(self, n: int) -> bytes:
        data = bytes(self.screen[:n])
        del self.screen[:n]
        return data

    def hung_up(self) -> bool:
        """The master's last close hung the slave up: every slave descriptor is now a hung-up
        file (hung_up_tty_fops), and the node is gone."""
        return self.masters == 0

    def hangup(self) -> None:
        """pty_close of the master: tty_vhangup of the slave, whose unread input and
        unshown output go (tty_ldisc_hangup flushes both)."""
        self.ldisc.flush_input()
        self.screen.clear()
        super().hangup()
        self.release()

    def master_ioctl(self, p, cmd: int, arg: int) -> int:
        if cmd == TIOCGPTN:
            p.mm.write_u32(arg, self.index)
        elif cmd == TIOCSPTLCK:
            self.locked = bool(p.mm.read_u32(arg))
        elif cmd == TIOCGPTLCK:
            p.mm.write_u32(arg, int(self.locked))
        elif cmd == TIOCPKT:
            on = bool(p.mm.read_u32(arg))
            if on and not self.packet:
                self.ctrl_status = 0
            self.packet = on
        elif cmd == TIOCGPKT:
            p.mm.write_u32(arg, int(self.packet))
        else:   # TIOCGPTPEER: a descriptor for the slave, without a path walk
            if self.locked:
                raise KernelError(errno.EIO)
            return p.fds.install(PtySlave(self, O_RDWR | (arg & ~O_CLOEXEC)),
                                 cloexec=bool(arg & O_CLOEXEC))
        return 0

    def release(self) -> None:
        if self.masters == 0 and self.slaves == 0 and self in terminals(self.kernel):
            terminals(self.kernel).remove(self)


class PtyMaster(OpenFile):
    """/dev/ptmx once opened: writes are keystrokes, reads are what the terminal shows."""

    kind = "chr"
    is_master = True

    def __init__(self, pty: Pty, flags: int):
        super().__init__(flags & STATUS_FLAGS, "/dev/ptmx")
        self.tty = pty
        pty.masters += 1

    def close(self) -> None:
        if not self.closed:
            pty = self.tty
            pty.masters -= 1
            if pty.masters == 0:
                pty.hangup()
        super().close()

    def isatty(self) -> bool:
        return True

    def fstat(self):
        return synthetic_stat(S.S_IFCHR | 0o666, PTMX, ino=PTMX)

    def read(self, n):
        pty = self.tty
        if pty.packet and pty.ctrl_status:   # a status event alone, its byte the read
            status, pty.ctrl_status = pty.ctrl_status, 0
            return bytes([status])
        if pty.screen:
            if pty.packet:                  # TIOCPKT_DATA, then what fits after it
                return bytes([TIOCPKT_DATA]) + pty.take_screen(max(n - 1, 0))
            return pty.take_screen(n)
        if pty.slave_opened and pty.slaves == 0:
            raise KernelError(errno.EIO)     # every slave closed: as Linux, EIO not EOF
        raise WouldBlock()

    def write(self, data):
        return self.tty.type_keys(data)

    def readable_now(self):
        pty = self.tty
        return bool(pty.screen) or (pty.packet and bool(pty.ctrl_status)) or \
            (pty.slave_opened and pty.slaves == 0)

    def writable_now(self):
        return self.tty.ldisc.room() > 0

    def poll(self) -> int:
        pty = self.tty
        hup = pty.slave_opened and pty.slaves == 0
        # Every slave closed: POLLHUP, and POLLIN only while output is left to read, as
        # n_tty_poll (a read then is EIO).
        status = POLLPRI | READABLE if pty.packet and pty.ctrl_status else 0
        return (READABLE if pty.screen else 0) | status | (POLLHUP if hup else 0) | \
            (WRITABLE if self.writable_now() else 0)


class PtySlave(OpenFile):
    """/dev/pts/N: a terminal; reads and writes go through the line discipline."""

    kind = "chr"

    def __init__(self, pty: Pty, flags: int):
        super().__init__(flags & STATUS_FLAGS, pty.name)
        self.tty = pty
        self.reader_waiting = False          # a blocking read is waiting for input
        pty.slaves += 1
        pty.slave_opened = True

    def close(self) -> None:
        if not self.closed:
            self.tty.slaves -= 1
            self.tty.release()
        super().close()

    def isatty(self) -> bool:
        return True

    def fstat(self):
        return slave_stat(self.tty.index, self.tty.owner)

    @property
    def hung_up(self) -> bool:
        return self.tty.hung_up()

    def read(self, n):
        self._check_read()
        pty = self.tty
        if pty.hung_up():
            # hung_up_tty_read: end of file; a read that was waiting when the hangup came
            # saw n_tty_read's TTY_OTHER_CLOSED instead: EIO
            waited, self.reader_waiting = self.reader_waiting, False
            if waited:
                raise KernelError(errno.EIO)
            return b""
        try:
            data = pty.ldisc.read(n)
        except WouldBlock:
            if pty.input_closed:
                return b""                   # the host's keyboard side is at end of file
            self.reader_waiting = not self.status_flags & O_NONBLOCK
            raise
        self.reader_waiting = False
        return data

    def write(self, data):
        self._check_write()
        pty = self.tty
        if pty.hung_up():
            raise KernelError(errno.EIO)     # hung_up_tty_write
        if len(pty.screen) >= OUTPUT_MAX:
            raise WouldBlock()
        pty.screen += pty.ldisc.output(bytes(data))
        return len(data)

    def readable_now(self):
        pty = self.tty
        return pty.ldisc.readable() or pty.hung_up() or pty.input_closed

    def writable_now(self):
        return self.tty.hung_up() or len(self.tty.screen) < OUTPUT_MAX

    def poll(self) -> int:
        if self.tty.hung_up():               # hung_up_tty_poll
            return READABLE | WRITABLE | POLLERR | POLLHUP
        return (READABLE if self.readable_now() else 0) | \
            (WRITABLE if self.writable_now() else 0)

    def next_deadline(self):
        return self.tty.ldisc.next_deadline()


def open_ptmx(kernel, flags: int, ctx=None) -> PtyMaster:
    """open("/dev/ptmx"): a new pair, its slave locked until TIOCSPTLCK(0), the slave owned
    by the opener's fsuid (devpts_pty_new)."""
    pty = Pty(kernel)
    cred = getattr(ctx, "cred", None)
    if cred is not None:
        pty.owner = (cred.fsuid, TTY_GROUP)
    return PtyMaster(pty, flags)


def open_slave(p, index: int, flags: int) -> PtySlave:
    """open("/dev/pts/N"): EIO while locked; a session leader with no controlling terminal
    takes it as one unless O_NOCTTY."""
    pty = ptys(p.kernel).get(index)
    if pty is None:                      # never made, or its master closed
        raise KernelError(errno.ENOENT)
    if pty.locked:
        raise KernelError(errno.EIO)
    _may_open(p, pty, flags)
    f = PtySlave(pty, flags)
    maybe_acquire(p, pty, flags)
    return f


def _may_open(p, pty: Pty, flags: int) -> None:
    """may_open on the slave node: its mode 0620 and owner, as for any device file (another
    user could read what is typed at a root shell's terminal)."""
    from .. import perm
    want = {O_WRONLY: perm.MAY_WRITE, O_RDWR: perm.MAY_READ | perm.MAY_WRITE}.get(
        flags & O_ACCMODE, perm.MAY_READ)
    perm.check(perm.cred_of(p), slave_stat(pty.index, pty.owner), want)


def maybe_acquire(p, tty, flags: int) -> None:
    """tty_open_proc_set_tty: a session leader with no controlling terminal that opens one
    for reading (a write-only open gives no such privilege) gets it as its own."""
    from .tty import controlling_tty
    if not flags & O_NOCTTY and flags & O_ACCMODE != O_WRONLY and p.sid == p.pid and \
            tty.session is None and controlling_tty(p) is None:
        tty.attach(p)
