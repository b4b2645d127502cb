"""Signal-driven I/O (fs/fcntl.c's f_owner and fasync): F_SETOWN/F_GETOWN, F_SETOWN_EX/
F_GETOWN_EX and F_SETSIG/F_GETSIG keep a description's owner and signal, and a pipe's read end or a socket
with O_ASYNC signals its owner (SIGIO, or the F_SETSIG signal) when data arrives, when the
writer hangs up, on a reset, and for a listener when a connection arrives (kill_fasync)."""
from __future__ import annotations

import errno
import struct

from .. import signals
from ..errors import KernelError

F_SETOWN, F_GETOWN, F_SETSIG, F_GETSIG = 8, 9, 10, 11
F_SETOWN_EX, F_GETOWN_EX = 15, 16
F_OWNER_TID, F_OWNER_PID, F_OWNER_PGRP = 0, 1, 2
O_ASYNC = 0o20000
SIGIO = 29
COMMANDS = {F_SETOWN, F_GETOWN, F_SETSIG, F_GETSIG, F_SETOWN_EX, F_GETOWN_EX}


def fcntl_owner(p, f, cmd: int, arg: int) -> int:
    value = ((arg & 0xFFFFFFFF) ^ 0x80000000) - 0x80000000      # an int argument
    owner_type, owner = getattr(f, "owner", (F_OWNER_PID, 0))
    if cmd == F_GETOWN:
        return -owner if owner_type == F_OWNER_PGRP else owner
    if cmd == F_SETOWN:
        kind, who = (F_OWNER_PGRP, -value) if value < 0 else (F_OWNER_PID, value)
        _check_owner_exists(p, kind, who)
        f.owner = (kind, who)
        f.owner_cred = _setter(p)
        return 0
    if cmd == F_GETOWN_EX:
        p.mm.write(arg, struct.pack("<ii", owner_type, owner))
        return 0
    if cmd == F_SETOWN_EX:
        kind, pid = struct.unpack("<ii", p.mm.read(arg, 8))
        if kind not in (F_OWNER_TID, F_OWNER_PID, F_OWNER_PGRP):
            raise KernelError(errno.EINVAL)
        _check_owner_exists(p, kind, pid)
        f.owner = (kind, pid)
        f.owner_cred = _setter(p)
        return 0
    if cmd == F_GETSIG:
        return getattr(f, "io_signal", 0)
    if not 0 <= value <= signals.NSIG:        # F_SETSIG
        raise KernelError(errno.EINVAL)
    f.io_signal = value
    return 0


def set_async(p, f, on: bool, fd: int = -1) -> None:
    """F_SETFL's O_ASYNC: a pipe's read end, or a socket, signals its owner when data
    arrives (a stream socket's queue is made when it connects: it takes the signal then).
    fd is the descriptor it was set through: an F_SETSIG signal names it (fasync_struct)."""
    f.async_fd = fd
    if f.kind == "sock":
        kernel = p.kernel

        def arrived(code: int = POLL_IN) -> None:
            if not f.closed and f.status_flags & O_ASYNC:
                send_io_signal(kernel, f, code=code)
        f.async_notify = arrived if on else None
        if f.rx is not None:
            f.rx.on_push = f.async_notify
        return
    pipe = getattr(f, "pipe", None)
    if pipe is None or f.kind != "pipe":
        return
    # A read end hears of data and of the last writer's close (POLL_IN); a write end of
    # the last reader's close (POLL_OUT; not of each read, which the C path answers)
    writer = f.status_flags & 3 == 1
    code = POLL_OUT if writer else POLL_IN
    callbacks = pipe.on_reader_gone if writer else pipe.on_data
    mine = [cb for cb in callbacks if getattr(cb, "end", None) is f]
    if on and not mine:
        kernel = p.kernel

        def notify() -> None:
            if f.closed or not f.status_flags & O_ASYNC:
                return
            send_io_signal(kernel, f, code=code)
        notify.end = f
        callbacks.append(notify)
    elif not on:
        for cb in mine:
            callbacks.remove(cb)
    pipe.notify_changed()


POLL_IN, POLL_OUT, POLL_ERR, POLL_HUP = 1, 2, 4, 6    # si_code: why the signal came
# si_band for each reason, as Linux's band_table gives it after mangle_poll
BAND = {POLL_IN: 0x41, POLL_OUT: 0x304, POLL_ERR: 0x8, POLL_HUP: 0x18}


def _setter(p) -> tuple[int, int]:
    """The uid and euid F_SETOWN records (__f_setown): whom the signal may reach."""
    from .cred import cred_of
    c = cred_of(p)
    return c.uid, c.euid


def _check_owner_exists(p, kind: int, who: int) -> None:
    """f_setown: an owner that is no process (or group) of the machine is ESRCH; 0 clears."""
    if not who:
        return
    procs = p.kernel.procs.values()
    if kind == F_OWNER_PGRP:
        found = any(t.pgid == who and t.alive for t in procs)
    else:
        found = any(t.pid == who and t.alive for t in procs)
    if not found:
        raise KernelError(errno.ESRCH)


def _may_signal(setter: tuple[int, int], target) -> bool:
    """sigio_perm: the setter was root, or its uid or euid is the target's uid or saved uid
    (else a user could send any signal, SIGKILL too, to another user's process)."""
    from .cred import cred_of
    uid, euid = setter
    c = cred_of(target)
    return euid == 0 or bool({uid, euid} & {c.uid, c.suid})


def send_io_signal(kernel, f, info=None, code: int = POLL_IN) -> None:
    kind, owner = getattr(f, "owner", (F_OWNER_PID, 0))
    if not owner:
        return
    sig = getattr(f, "io_signal", 0) or SIGIO
    if info is None and getattr(f, "io_signal", 0):
        # F_SETSIG's signal says why and for which descriptor (send_sigio_to_task)
        info = signals.SigInfo(code=code, fd=getattr(f, "async_fd", -1), band=BAND[code])
    procs = kernel.procs.values()
    if kind == F_OWNER_TID:
        targets = [t for t in procs if t.pid == owner]
    elif kind == F_OWNER_PID:
        targets = [t for t in procs if t.pid == owner and t.pid == t.tgid][:1] or \
            [t for t in procs if t.tgid == owner][:1]
    else:
        targets = [t for t in procs if t.pgid == owner and t.pid == t.tgid]
    setter = getattr(f, "owner_cred", (0, 0))
    for t in targets:
        if t.alive and _may_signal(setter, t):
            (signals.send if kind == F_OWNER_TID else signals.send_process)(t, sig, info)
