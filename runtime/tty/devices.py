"""The terminal device nodes of /dev: tty (the caller's controlling terminal), ptmx, and the
devpts directory /dev/pts of the open ptys."""
from __future__ import annotations

import errno
import os

from ..abi_structs import DT_CHR
from ..errors import KernelError
from ..files import HostStdio
from .pty import PtySlave, open_ptmx, open_slave, ptys
from .tty import controlling_tty


def devpts_node(names: list[str], ctx) -> tuple | None:
    """The synthetic node of /dev/pts or /dev/pts/N (vfs's node tuples)."""
    kernel = getattr(ctx, "kernel", None)
    open_ones = ptys(kernel) if kernel is not None else {}
    if not names:
        return ("dir", {str(i): DT_CHR for i in sorted(open_ones)})
    if len(names) == 1 and names[0].isdigit() and int(names[0]) in open_ones:
        return ("dev", f"pts/{int(names[0])}")
    return None


def open_terminal(name: str, flags: int, ctx):
    kernel = getattr(ctx, "kernel", None)
    if kernel is None:                 # a lookup from outside any process
        raise KernelError(errno.ENXIO)
    flags &= ~0o2000000                # O_CLOEXEC is the descriptor's, not the file's
    if name == "ptmx":
        return open_ptmx(kernel, flags, ctx)
    if name.startswith("pts/"):
        return open_slave(ctx, int(name[4:]), flags)
    tty = controlling_tty(ctx)         # /dev/tty: the caller's controlling terminal
    if tty is None:
        raise KernelError(errno.ENXIO)
    if hasattr(tty, "ldisc"):
        return PtySlave(tty, flags)
    try:
        fd = os.dup(tty.fd)
    except OSError:
        raise KernelError(errno.ENXIO) from None
    f = HostStdio(fd, True, "/dev/tty", owned=True)
    f.tty = tty
    return f
