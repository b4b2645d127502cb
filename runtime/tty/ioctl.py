"""The tty ioctls (tty_ioctl, tty_jobctrl_ioctl, pty_unix98_ioctl) on any terminal of the
machine; `f` is the open file the call came through (a pty master answers for its pair)."""
from __future__ import annotations

import errno

from ..errors import KernelError
from .abi import (FIONREAD, TCFLSH, TCGETS, TCSBRK, TCSBRKP, TCSETS, TCSETSF, TCSETSW, TCXONC,
                  TERMIOS, TIOCGPGRP, TIOCGPTLCK, TIOCGPTN, TIOCGPTPEER, TIOCGSID, TIOCGWINSZ,
                  TIOCGPKT, TIOCNOTTY, TIOCOUTQ, TIOCPKT, TIOCSCTTY, TIOCSPGRP, TIOCSPTLCK,
                  TIOCSWINSZ, WINSIZE, Termios)
from .tty import controlling_tty, group_members

TCSANOW, TCSADRAIN, TCSAFLUSH = 0, 1, 2
SET_WHEN = {TCSETS: TCSANOW, TCSETSW: TCSADRAIN, TCSETSF: TCSAFLUSH}


def tty_ioctl(p, f, tty, cmd: int, arg: int) -> int:
    master = getattr(f, "is_master", False)
    if cmd == TCGETS:
        p.mm.write(arg, tty.get_termios().pack())
    elif cmd in SET_WHEN:
        new = Termios.unpack(p.mm.read(arg, TERMIOS.size))
        tty.check_change(p)
        tty.set_termios(new, SET_WHEN[cmd])
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
