"""The tty ioctls (tty_ioctl, tty_jobctrl_ioctl, pty_unix98_ioctl) on any terminal of the
machine; `f` is the open file the call came through (a pty master answers for its pair)."""
from __future__ import annotations

import errno
import struct

from ..errors import KernelError
from .abi import (FIONREAD, TCFLSH, TCGETA, TCGETS, TCSBRK, TCSBRKP, TCSETA, TCSETAF, TCSETAW,
                  TCSETS, TCSETSF, TCSETSW, TCXONC, TERMIOS, TIOCCBRK, TIOCGLCKTRMIOS, TIOCGPGRP,
                  TIOCGPTLCK, TIOCGPTN, TIOCGPTPEER, TIOCGSID, TIOCGWINSZ, TIOCGPKT, TIOCNOTTY,
                  TIOCOUTQ, TIOCPKT, TIOCSBRK, TIOCSCTTY, TIOCSLCKTRMIOS, TIOCSPGRP, TIOCSPTLCK,
                  TIOCSWINSZ, WINSIZE, Termios)
from .tty import controlling_tty, group_members

TCSANOW, TCSADRAIN, TCSAFLUSH = 0, 1, 2
SET_WHEN = {TCSETS: TCSANOW, TCSETSW: TCSADRAIN, TCSETSF: TCSAFLUSH}


# struct termio: the low 16 bits of each flag word and 8 control characters
TERMIO = struct.Struct("<HHHHB8s")
SET_WHEN_TERMIO = {TCSETA: TCSANOW, TCSETAW: TCSADRAIN, TCSETAF: TCSAFLUSH}
CAP_SYS_ADMIN = 21


def tty_ioctl(p, f, tty, cmd: int, arg: int) -> int:
    if getattr(f, "hung_up", False):   # hung_up_tty_ioctl: a pty slave after its master
        raise KernelError(errno.ENOTTY if cmd == TIOCSPGRP else errno.EIO)
    master = getattr(f, "is_master", False)
    if cmd == TCGETS:
        p.mm.write(arg, tty.get_termios().pack())
    elif cmd in SET_WHEN:
        new = Termios.unpack(p.mm.read(arg, TERMIOS.size))
        tty.check_change(p)
        tty.set_termios(_unlocked(tty, new), SET_WHEN[cmd])
    elif cmd == TCGETA:
        t = tty.get_termios()
        p.mm.write(arg, TERMIO.pack(t.iflag & 0xFFFF, t.oflag & 0xFFFF, t.cflag & 0xFFFF,
                                    t.lflag & 0xFFFF, t.line, bytes(t.cc[:8])))
    elif cmd in SET_WHEN_TERMIO:
        iflag, oflag, cflag, lflag, line, cc = TERMIO.unpack(p.mm.read(arg, TERMIO.size))
        new = tty.get_termios().copy()       # the high halves and the other characters stay
        new.iflag = new.iflag & ~0xFFFF | iflag
        new.oflag = new.oflag & ~0xFFFF | oflag
        new.cflag = new.cflag & ~0xFFFF | cflag
        new.lflag = new.lflag & ~0xFFFF | lflag
        new.line, new.cc[:8] = line, list(cc)
        tty.check_change(p)
        tty.set_termios(_unlocked(tty, new), SET_WHEN_TERMIO[cmd])
    elif cmd == TIOCGLCKTRMIOS:
        p.mm.write(arg, getattr(tty, "termios_lock", _NO_LOCK).pack())
    elif cmd == TIOCSLCKTRMIOS:
        from ..perm import cred_of
        cred = cred_of(p)
        if cred is not None and not cred.capable(CAP_SYS_ADMIN):
            raise KernelError(errno.EPERM)
        tty.termios_lock = Termios.unpack(p.mm.read(arg, TERMIOS.size))
    elif cmd in (TIOCSBRK, TIOCCBRK):
        pass                     # a pty has no line to hold in break
    elif cmd == TIOCGWINSZ:
        p.mm.write(arg, WINSIZE.pack(*tty.get_winsize()))
    elif cmd == TIOCSWINSZ:
        tty.set_winsize(WINSIZE.unpack(p.mm.read(arg, WINSIZE.size)))
    elif cmd in (FIONREAD, TIOCOUTQ):
        p.mm.write_u32(arg, tty.unread() if cmd == FIONREAD else 0)
    elif cmd == TCFLSH:
        if arg not in (0, 1, 2):
            raise KernelError(errno.EINVAL)
        tty.check_change(p)
        tty.flush(arg)
    elif cmd in (TCSBRK, TCSBRKP, TCXONC):
        tty.check_change(p)      # drain / break / flow control: output is never held
    elif cmd in (TIOCGPGRP, TIOCSPGRP, TIOCGSID, TIOCSCTTY, TIOCNOTTY):
        return _job_control(p, tty, master, cmd, arg)
    elif cmd in (TIOCGPTN, TIOCSPTLCK, TIOCGPTLCK, TIOCGPTPEER, TIOCPKT, TIOCGPKT):
        if not master:
            raise KernelError(errno.ENOTTY)
        return tty.master_ioctl(p, cmd, arg)
    else:
        raise KernelError(errno.ENOTTY)
    return 0


_NO_LOCK = Termios(0, 0, 0, 0, 0, [0] * 19)


def _unlocked(tty, new: Termios) -> Termios:
    """The bits and characters TIOCSLCKTRMIOS locked keep their value
    (unset_locked_termios)."""
    lock = getattr(tty, "termios_lock", None)
    if lock is None:
        return new
    old = tty.get_termios()
    for name in ("iflag", "oflag", "cflag", "lflag"):
        mask = getattr(lock, name)
        setattr(new, name, getattr(new, name) & ~mask | getattr(old, name) & mask)
    new.line = old.line if lock.line else new.line
    new.cc = [o if locked else n for n, o, locked in zip(new.cc, old.cc, lock.cc)]
    return new


def _job_control(p, tty, master: bool, cmd: int, arg: int) -> int:
    if cmd == TIOCSCTTY:
        return _set_ctty(p, tty, arg)
    mine = controlling_tty(p) is tty
    if cmd == TIOCNOTTY:
        if not mine:
            raise KernelError(errno.ENOTTY)
        if p.sid == p.pid:
            tty.leader_exited(p.sid)
        return 0
    if not mine and not master:
        raise KernelError(errno.ENOTTY)
    if cmd == TIOCGPGRP:
        p.mm.write_u32(arg, tty.pgrp or 0)
    elif cmd == TIOCGSID:
        if tty.session is None:
            raise KernelError(errno.ENOTTY)
        p.mm.write_u32(arg, tty.session)
    else:   # TIOCSPGRP
        if not mine:
            raise KernelError(errno.ENOTTY)
        tty.check_change(p)
        pgrp = p.mm.read_u32(arg)
        if pgrp >= 1 << 31:
            raise KernelError(errno.EINVAL)
        members = group_members(p.kernel, pgrp)
        if not members:
            raise KernelError(errno.ESRCH)
        if any(t.sid != tty.session for t in members):
            raise KernelError(errno.EPERM)
        tty.pgrp = pgrp
    return 0


def _set_ctty(p, tty, steal: int) -> int:
    """TIOCSCTTY: a session leader with no controlling terminal takes this one."""
    if controlling_tty(p) is tty:
        return 0
    if p.sid != p.pid or controlling_tty(p) is not None:
        raise KernelError(errno.EPERM)
    if tty.session is not None:
        if steal != 1 or (p.cred is not None and p.cred.euid != 0):   # None: root's
            raise KernelError(errno.EPERM)
        tty.detach()
    tty.attach(p)
    return 0
