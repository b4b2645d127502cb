"""Terminals of the machine: the N_TTY line discipline (ldisc), pseudo-terminals (pty:
/dev/ptmx, /dev/pts/N; devices: the /dev nodes), the host's terminal when the guest's stdio
is on it (host), job control and the tty ioctls (tty, ioctl), the host's end of a machine
pty (terminal), a spawned process's stdio (stdio), host signals handed to the guests
(hostsig), and Windows console modes over termios (console). Numbers live in abi."""
from .tty import controlling_tty, terminals

__all__ = ["controlling_tty", "terminals"]
