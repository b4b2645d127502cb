"""Directory notification (fs/notify/dnotify): fcntl(F_NOTIFY) asks for a signal when what a
directory holds changes. The machine's file system reports each change (FileSystem.listen_changes,
set on first use); a watch's owner gets SIGIO, or the F_SETSIG signal with si_fd naming the
watched descriptor. Without DN_MULTISHOT a watch fires once."""
from __future__ import annotations

import errno
import os
import stat as S
from dataclasses import dataclass

from .. import signals
from ..errors import KernelError
from .fasync import F_OWNER_PID, send_io_signal

F_NOTIFY = 1026
DN_ACCESS, DN_MODIFY, DN_CREATE, DN_DELETE, DN_RENAME, DN_ATTRIB = 1, 2, 4, 8, 0x10, 0x20
DN_MULTISHOT = 0x80000000
# The file system's change names (runtime/vfs.py) and the dnotify event each is.
EVENTS = {"access": DN_ACCESS, "modify": DN_MODIFY, "create": DN_CREATE,
          "delete": DN_DELETE, "rename": DN_RENAME, "attrib": DN_ATTRIB,
          "moved": 0, "isdir": 0,     # (qualifiers, for inotify)
          "open": 0, "close_write": 0, "close_nowrite": 0}   # (uses, not changes)
POLL_MSG = 3
POLLIN, POLLRDNORM, POLLMSG = 0x1, 0x40, 0x400


@dataclass
class Watch:
    file: object        # the open directory's description
    fds: object         # the descriptor table that asked (dnotify's dn_owner)
    fd: int             # the descriptor number, reported as si_fd
    mask: int


def _watches(kernel) -> dict:
    from .personality import personality
    return personality.machine(kernel).dnotify


def fcntl_notify(p, fd: int, f, arg: int) -> int:
    """fcntl_dirnotify: on a directory only; a mask of no event removes the caller's watch,
    another one adds to it."""
    if f.kind != "dir":
        raise KernelError(errno.ENOTDIR)
    st = f.fstat()
    if not S.S_ISDIR(st.st_mode):
        raise KernelError(errno.ENOTDIR)
    table = _watches(p.kernel)
    key = (st.st_dev, st.st_ino)
    watches = table.setdefault(key, [])
    mine = next((w for w in watches if w.file is f and w.fds is p.fds), None)
    if not arg & ~DN_MULTISHOT:
        if mine is not None:
            watches.remove(mine)
        if not watches:
            del table[key]
        return 0
    if mine is None:
        watches.append(Watch(f, p.fds, fd, arg))
    else:
        mine.fd, mine.mask = fd, mine.mask | arg
    f.owner = (F_OWNER_PID, p.tgid)     # the signal goes to the caller (__f_setown)
    fs, kernel = p.kernel.fs, p.kernel
    fs.listen_changes("dnotify", lambda events, directory, itself, name:
                      changed(kernel, events, directory, itself))
    return 0


def changed(kernel, events: tuple, directory: str, itself: str | None = None) -> None:
    """A change the file system made: `events` (one fsnotify event) in the host directory
    `directory` (an entry created, deleted, renamed inside it, or an entry's attributes or
    data), and on the directory `itself` when the change is to a directory's own
    attributes."""
    table = _watches(kernel)
    if not table:
        return
    bit = sum(EVENTS[e] for e in events)
    for host in (directory, itself):
        if host is None:
            continue
        try:
            st = os.stat(host)
        except OSError:
            continue
        key = (st.st_dev, st.st_ino)
        watches = [w for w in table.get(key, ()) if not w.file.closed]
        for w in watches:
            if not w.mask & bit:
                continue
            sig = getattr(w.file, "io_signal", 0)
            info = signals.SigInfo(POLL_MSG, fd=w.fd, band=POLLIN | POLLRDNORM | POLLMSG) \
                if sig else None
            send_io_signal(kernel, w.file, info)
            if not w.mask & DN_MULTISHOT:
                w.mask = 0
        watches = [w for w in watches if w.mask & ~DN_MULTISHOT]
        if watches:
            table[key] = watches
        else:
            table.pop(key, None)
