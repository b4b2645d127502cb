"""gdb's own signal numbers (gdb/signals.def), which the remote protocol speaks, against the
Linux numbers the kernel uses. They agree only up to SIGKILL's neighbours: SIGBUS is 10 to
gdb and 7 to Linux, SIGUSR1 30 and 10, SIGCHLD 20 and 17."""
from __future__ import annotations

import signal as host

# gdb's numbering, by name: GDB_SIGNAL_HUP = 1 ... GDB_SIGNAL_PRIO = 44.
_GDB = ["0", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "EMT", "FPE", "KILL", "BUS", "SEGV",
        "SYS", "PIPE", "ALRM", "TERM", "URG", "STOP", "TSTP", "CONT", "CHLD", "TTIN", "TTOU",
        "IO", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "LOST", "USR1", "USR2", "PWR", "POLL"]
GDB_NUMBER = {f"SIG{name}": n for n, name in enumerate(_GDB) if n}
REALTIME_33 = 45     # GDB_SIGNAL_REALTIME_33; 34..63 follow it
REALTIME_32, REALTIME_64 = 77, 78


def _linux_names() -> dict[int, str]:
    """Linux x86 numbers by name, from the host's own table (the guest's numbering)."""
    names = {}
    for sig in host.Signals:
        names.setdefault(int(sig), sig.name)
    return names


_LINUX = _linux_names()


def to_gdb(sig: int) -> int:
    """A Linux signal number as gdb numbers it; 0 for no signal."""
    if not sig:
        return 0
    name = _LINUX.get(sig)
    if name in GDB_NUMBER:
        return GDB_NUMBER[name]
    if 33 <= sig <= 63:
        return REALTIME_33 + sig - 33
    return {32: REALTIME_32, 64: REALTIME_64}.get(sig, 0)


def from_gdb(number: int) -> int:
    """gdb's number for a signal back to Linux's; 0 when Linux has no such signal."""
    if REALTIME_33 <= number < REALTIME_33 + 31:
        return number - REALTIME_33 + 33
    if number in (REALTIME_32, REALTIME_64):
        return 32 if number == REALTIME_32 else 64
    by_name = {name: n for n, name in _LINUX.items()}
    name = next((k for k, v in GDB_NUMBER.items() if v == number), None)
    return by_name.get(name, 0) if name else 0
