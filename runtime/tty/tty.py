"""struct tty_struct: what every terminal of the machine shares — the session it controls,
its foreground process group, its window size — and job control: signal keys reach the
foreground group, a background job touching the terminal gets SIGTTIN/SIGTTOU, the session
leader's exit hangs the terminal up. Subclasses say where termios live (the machine's line
discipline, or the host's terminal)."""
from __future__ import annotations

import errno

from .. import signals
from ..errors import KernelError
from ..kernel import Block
from ..pcb import SigAction
from .abi import TOSTOP, Termios


def terminals(kernel) -> list:
    """Every terminal of the machine (ptys, the host's terminal)."""
    return kernel.terminals


def controlling_tty(p):
    """The process's controlling terminal: the one its session holds, or None."""
    return next((t for t in terminals(p.kernel) if t.session is not None and t.session == p.sid),
                None)


def group_members(kernel, pgrp) -> list:
    return [t for t in kernel.procs.values() if t.pgid == pgrp and t.alive and t.pid == t.tgid]


def session_leaders(kernel, sid) -> list:
    return [t for t in kernel.procs.values() if t.pid == sid == t.sid and t.alive and
            t.pid == t.tgid]


def _ignored_or_blocked(p, sig: int) -> bool:
    return p.sigactions.get(sig, SigAction()).handler == signals.SIG_IGN or \
        bool(p.sigmask & signals.bit(sig))


class Tty:
    name = "tty"
    rdev = 0          # its device number (a pty's /dev/pts/N, the host terminal's own)

    def __init__(self, kernel):
        self.kernel = kernel
        self.session: int | None = None    # the session this is the controlling terminal of
        self.pgrp: int | None = None       # its foreground process group
        self.winsize = (0, 0, 0, 0)        # rows, cols, xpixel, ypixel
        terminals(kernel).append(self)

    # --- what subclasses provide ---------------------------------------------------------------

    def get_termios(self) -> Termios:
        raise NotImplementedError

    def set_termios(self, new: Termios, when: int) -> None:
        raise NotImplementedError

    def flush(self, queue: int) -> None:
        """TCFLSH: drop typed input and/or pending output."""

    def unread(self) -> int:
        return 0

    def get_winsize(self) -> tuple:
        return self.winsize

    def set_winsize(self, ws: tuple) -> None:
        """TIOCSWINSZ: a new size reaches the foreground group as SIGWINCH."""
        if ws != self.get_winsize():
            self.winsize = ws
            self.window_changed()

    def window_changed(self) -> None:
        """The window has a new size: the foreground group hears SIGWINCH, and a Windows
        console that asked for window input finds the event in its input buffer."""
        from . import console
        self.signal_group(signals.SIGWINCH)
        console.window_resized(self)

    # --- sessions and process groups -----------------------------------------------------------

    def signal_group(self, sig: int) -> None:
        """Signal the foreground process group (a key such as ^C, a resize, a hangup)."""
        if self.pgrp is not None:
            for t in group_members(self.kernel, self.pgrp):
                signals.send_process(t, sig)

    def foreground_alive(self) -> bool:
        return self.pgrp is not None and bool(group_members(self.kernel, self.pgrp))

    def attach(self, leader, hangup: bool = True) -> None:
        """The session leader's session now controls this terminal (TIOCSCTTY, or its first
        open of a terminal); the leader's exit hangs it up. A program spawned on a terminal
        is attached without that: on a host, the session leader is the user's shell, which
        outlives it, so what it leaves running in the background goes on."""
        self.session, self.pgrp = leader.sid, leader.pgid
        if hangup:
            leader.exit_hooks.append(lambda: self.leader_exited(leader.sid))

    def leader_exited(self, sid: int) -> None:
        """disassociate_ctty: the foreground group gets SIGHUP and SIGCONT, the terminal is
        free for another session."""
        if self.session != sid:
            return
        self.signal_group(signals.SIGHUP)
        self.signal_group(signals.SIGCONT)
        self.session = self.pgrp = None

    def hangup(self) -> None:
        """__tty_hangup: the session's leader gets SIGHUP and SIGCONT and the session loses
        the terminal (tty_signal_session_leader); the foreground group gets them only when
        that leader exits (its tty_old_pgrp, signalled by disassociate_ctty)."""
        if self.session is not None:
            old_pgrp = self.pgrp
            for leader in session_leaders(self.kernel, self.session):
                signals.send_process(leader, signals.SIGHUP)
                signals.send_process(leader, signals.SIGCONT)
                if old_pgrp is not None:
                    leader.exit_hooks.append(lambda: self._signal_group(old_pgrp))
        self.session = self.pgrp = None

    def _signal_group(self, pgrp) -> None:
        for t in group_members(self.kernel, pgrp):
            signals.send_process(t, signals.SIGHUP)
            signals.send_process(t, signals.SIGCONT)

    def detach(self) -> None:
        self.session = self.pgrp = None

    def job_control(self, p, reading: bool) -> None:
        """A background process of the terminal's session reading it gets SIGTTIN (writing
        with TOSTOP set: SIGTTOU); the call waits and runs again once it is continued."""
        if self.session is None or p.sid != self.session or p.pgid == self.pgrp:
            return
        if not reading and not self.get_termios().lflag & TOSTOP:
            return
        self._background(p, signals.SIGTTIN if reading else signals.SIGTTOU, reading)

    def check_change(self, p) -> None:
        """tty_check_change: a background process changing the terminal gets SIGTTOU."""
        if self.session is None or p.sid != self.session or p.pgid == self.pgrp:
            return
        self._background(p, signals.SIGTTOU, False)

    def _background(self, p, sig: int, reading: bool) -> None:
        if _ignored_or_blocked(p, sig):
            if reading:
                raise KernelError(errno.EIO)
            return                      # writes and changes go ahead, as on Linux
        for t in group_members(self.kernel, p.pgid):
            signals.send_process(t, sig)
        # -ERESTARTSYS: the call runs again when the process is continued (or its handler
        # has run); a stop leaves it waiting here.
        raise Block(lambda: not p.stopped)
