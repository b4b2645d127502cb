"""Terminals of the machine: the line discipline (ldisc), pseudo-terminals (pty, /dev/ptmx,
/dev/pts/N), the host's terminal when the guest's stdio is on it (host), job control and
the tty ioctls (tty, ioctl), and the host's end of a machine pty (terminal)."""
from .tty import controlling_tty, terminals

__all__ = ["controlling_tty", "terminals"]
