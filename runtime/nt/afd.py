"""\\Device\\Afd, the driver under Windows sockets, as Rust's mio opens it: a handle to the
device (any name below \\Device\\Afd), on which IOCTL_AFD_POLL asks when some sockets are
ready (runtime/win32/winsock_afd.py answers it). Socket handles themselves are the
machine's sockets (runtime/win32/winsock.py)."""
from __future__ import annotations

from ..files import OpenFile

AFD_NAMES = ("\\device\\afd",)


class AfdDevice(OpenFile):
    kind = "afd"

    def __init__(self, name: str):
        super().__init__(0, name)

    def fstat(self):
        from ..files import synthetic_stat
        import stat as S
        return synthetic_stat(S.S_IFCHR | 0o666)


def is_afd_name(name: str) -> bool:
    low = name.lower()
    return any(low == n or low.startswith(n + "\\") for n in AFD_NAMES)
