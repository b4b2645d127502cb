"""\\Device\\Afd, the driver under Windows sockets, as Rust's mio opens it: a handle to the
device (any name below \\Device\\Afd), on which IOCTL_AFD_POLL asks when some sockets are
ready (runtime/win32/winsock_afd.py answers it). Socket handles themselves are the
machine's sockets (runtime/win32/winsock.py)."""
from __future__ import annotations

from .objects import NtDevice

AFD_NAMES = ("\\device\\afd",)


class AfdDevice(NtDevice):
    kind = "afd"
    nt_signalled = False        # a wait on the handle: signalled as its polls complete


def is_afd_name(name: str) -> bool:
    low = name.lower()
    return any(low == n or low.startswith(n + "\\") for n in AFD_NAMES)
