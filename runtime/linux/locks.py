"""Advisory file locks, as fs/locks.c keeps them: POSIX record locks (fcntl F_SETLK...), owned
by a descriptor table and released by any close of the file through it (so at exit too);
open-file-description locks (F_OFD_SETLK...), owned by the description and released with its
last reference; and flock(2) locks, whole-file, also owned by the description and never
conflicting with the other two kinds. F_SETLKW and blocking flock wait in the scheduler;
a POSIX wait that would close a cycle of owners each waiting for the next fails EDEADLK.
Leases (F_SETLEASE) are broken as __break_lease does: an open or truncate that conflicts
signals the holder and waits until it gives the lease up, or lease-break-time passes."""
from __future__ import annotations

import errno
import os
import struct
import time
from dataclasses import dataclass

from .. import perm
from ..errors import KernelError
from ..files import O_ACCMODE, O_RDONLY, O_WRONLY, SEEK_CUR, SEEK_END, SEEK_SET
from .fasync import F_OWNER_PID, send_io_signal

F_RDLCK, F_WRLCK, F_UNLCK = 0, 1, 2
F_GETLK, F_SETLK, F_SETLKW = 5, 6, 7
F_GETLK64, F_SETLK64, F_SETLKW64 = 12, 13, 14          # i386's struct flock64 forms
F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW = 36, 37, 38
F_SETLEASE, F_GETLEASE = 1024, 1025
CAP_LEASE = 28
LOCK_SH, LOCK_EX, LOCK_NB, LOCK_UN = 1, 2, 4, 8
OFFSET_MAX = (1 << 63) - 1
POSIX, OFD, FLOCK = "posix", "ofd", "flock"

GETLK = {F_GETLK, F_GETLK64, F_OFD_GETLK}
SETLKW = {F_SETLKW, F_SETLKW64, F_OFD_SETLKW}
COMMANDS = {F_GETLK, F_SETLK, F_SETLKW, F_GETLK64, F_SETLK64, F_SETLKW64,
            F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW, F_SETLEASE, F_GETLEASE}


@dataclass
class Lock:
    kind: str            # POSIX, OFD or FLOCK
    owner: object        # POSIX: the FdTable; OFD and FLOCK: the open file description
    type: int            # F_RDLCK or F_WRLCK
    start: int
    end: int             # inclusive; OFFSET_MAX: to the end of the file, however it grows
    pid: int             # POSIX and FLOCK: the locker's tgid (F_GETLK reports a POSIX one's,
                         # /proc/locks both); OFD: -1

    def conflicts(self, other: "Lock") -> bool:
        if (self.kind == FLOCK) != (other.kind == FLOCK) or self.owner is other.owner:
            return False
        if F_WRLCK not in (self.type, other.type):
            return False
        return self.start <= other.end and other.start <= self.end


@dataclass
class Lease:
    """A lease taken through one description (kept as its lease_state)."""
    type: int                       # F_RDLCK or F_WRLCK
    break_at: float | None = None   # monotonic time a breaker may take it away; None: unbroken
    break_write: bool = False       # a writer waits: the holder may not downgrade to F_RDLCK

    def target(self) -> int:
        """F_GETLEASE: while broken, the type it is being broken to (a reader leaves a
        read lease, a writer none)."""
        if self.break_at is None:
            return self.type
        return F_UNLCK if self.break_write or self.type == F_RDLCK else F_RDLCK

    def conflicts(self, write: bool) -> bool:
        return write or self.type == F_WRLCK


class InodeLocks:
    """The locks on one file."""

    def __init__(self, table: "LockTable", key):
        self.table, self.key = table, key
        self.locks: list[Lock] = []

    def conflict(self, req: Lock) -> Lock | None:
        return next((l for l in self.locks if l.conflicts(req)), None)

    def apply(self, req: Lock) -> None:
        """Set (or with F_UNLCK clear) req's range for its owner, splitting and merging the
        owner's own locks as the kernel does (adjacent locks of one type coalesce)."""
        mine = [l for l in self.locks if l.owner is req.owner and l.kind == req.kind]
        keep = [l for l in self.locks if not (l.owner is req.owner and l.kind == req.kind)]
        start, end = req.start, req.end
        for l in mine:
            touching = l.start <= end + 1 and start <= l.end + 1
            if l.type == req.type and touching:
                start, end = min(start, l.start), max(end, l.end)
                continue
            if l.end < req.start or l.start > req.end:
                keep.append(l)
                continue
            if l.start < req.start:
                keep.append(Lock(l.kind, l.owner, l.type, l.start, req.start - 1, l.pid))
            if l.end > req.end:
                keep.append(Lock(l.kind, l.owner, l.type, req.end + 1, l.end, l.pid))
        if req.type != F_UNLCK:
            keep.append(Lock(req.kind, req.owner, req.type, start, end, req.pid))
        self.locks = sorted(keep, key=lambda l: l.start)
        self.table.changed(self)

    def remove(self, owner, kinds=(POSIX, OFD, FLOCK)) -> None:
        before = len(self.locks)
        self.locks = [l for l in self.locks if not (l.owner is owner and l.kind in kinds)]
        if len(self.locks) != before:
            self.table.changed(self)

    def released(self, description) -> None:
        """The description's last reference went: its OFD and flock locks go with it."""
        self.remove(description, kinds=(OFD, FLOCK))


class LockTable:
    """Every file's locks on one machine, by host (st_dev, st_ino); and who waits for what."""

    def __init__(self):
        self.files: dict[tuple, InodeLocks] = {}
        self.waiting: dict[int, tuple[InodeLocks, Lock]] = {}   # id(POSIX owner) -> its wait
        self.leases: dict[tuple, list] = {}     # (st_dev, st_ino) -> descriptions with a lease

    def of(self, f) -> InodeLocks:
        st = f.fstat()
        key = (st.st_dev, st.st_ino)
        inode = self.files.get(key)
        if inode is None:
            inode = self.files[key] = InodeLocks(self, key)
        f.inode_locks = inode        # the description releases its locks through this
        return inode

    def closed(self, fds, f) -> None:
        """close(2) of a file through fds (any of its descriptions) drops the POSIX locks fds
        holds on it. runtime/files.py calls this for a table that has taken a lock."""
        if not any(l.owner is fds for inode in self.files.values() for l in inode.locks):
            return
        try:
            st = f.fstat()
        except KernelError:
            return
        inode = self.files.get((st.st_dev, st.st_ino))
        if inode is not None:
            inode.remove(fds, kinds=(POSIX,))

    def changed(self, inode: InodeLocks) -> None:
        if not inode.locks:
            self.files.pop(inode.key, None)

    def deadlocks(self, req: Lock, blocker: Lock) -> bool:
        """Would req's owner waiting for blocker's owner close a cycle of POSIX waits?"""
        owner, seen = blocker.owner, 0
        while seen < 64:
            if owner is req.owner:
                return True
            wait = self.waiting.get(id(owner))
            if wait is None:
                return False
            inode, want = wait
            next_blocker = inode.conflict(want)
            if next_blocker is None or next_blocker.kind != POSIX:
                return False
            owner, seen = next_blocker.owner, seen + 1
        return False


def proc_locks(kernel) -> str:
    """/proc/locks as lock_get_status writes it: one line per lock, numbered, with its kind,
    type, owner's pid, device:inode and range (flock's whole file: 0 EOF)."""
    from .personality import personality
    table = personality.machine(kernel).file_locks
    lines = []
    for (dev, ino), inode in (table.files.items() if table is not None else ()):
        for lock in inode.locks:
            kind = {POSIX: "POSIX  ADVISORY ", OFD: "OFDLCK ADVISORY ",
                    FLOCK: "FLOCK  ADVISORY "}[lock.kind]
            kind_type = "WRITE" if lock.type == F_WRLCK else "READ "
            span = "0 EOF" if lock.kind == FLOCK else \
                f"{lock.start} {'EOF' if lock.end == OFFSET_MAX else lock.end}"
            lines.append(f"{len(lines) + 1}: {kind} {kind_type} {lock.pid} "
                         f"{os.major(dev):02x}:{os.minor(dev):02x}:{ino} {span}\n")
    return "".join(lines)


def lock_table(kernel) -> LockTable:
    """The machine's POSIX record locks and leases (LinuxMachine.file_locks)."""
    from .personality import personality

    state = personality.machine(kernel)
    if state.file_locks is None:
        state.file_locks = LockTable()
    return state.file_locks


# --- struct flock ------------------------------------------------------------------------------

def _layout(p, cmd: int) -> tuple[str, int]:
    """struct flock's layout: x86-64 has one (64-bit offsets); i386 has struct flock with
    32-bit offsets for F_GETLK/F_SETLK/F_SETLKW and struct flock64 (packed) for the rest."""
    if p.mm.bits == 64:
        return "<hh4xqqi4x", 32
    if cmd in (F_GETLK, F_SETLK, F_SETLKW):
        return "<hhiii", 16
    return "<hhqqi", 24


def _read_flock(p, cmd: int, addr: int) -> tuple[int, int, int, int, int]:
    fmt, size = _layout(p, cmd)
    return struct.unpack(fmt, p.mm.read(addr, size))


def _write_flock(p, cmd: int, addr: int, ltype, whence, start, length, pid) -> None:
    fmt, _ = _layout(p, cmd)
    if p.mm.bits == 32 and cmd == F_GETLK and (start > 0x7FFFFFFF or length > 0x7FFFFFFF):
        raise KernelError(errno.EOVERFLOW)
    p.mm.write(addr, struct.pack(fmt, ltype, whence, start, length, pid))


def _position(f) -> int:
    """The description's file position (f_pos): 0 for a pipe or socket, which has none."""
    try:
        return f.lseek(0, SEEK_CUR) if hasattr(f, "lseek") else 0
    except KernelError:         # ESPIPE
        return 0


def _range(f, whence: int, start: int, length: int) -> tuple[int, int]:
    """flock_to_posix_lock: the inclusive byte range l_whence/l_start/l_len names."""
    if whence == SEEK_SET:
        base = 0
    elif whence == SEEK_CUR:
        base = _position(f)
    elif whence == SEEK_END:
        base = f.fstat().st_size
    else:
        raise KernelError(errno.EINVAL)
    start += base
    if start < 0:
        raise KernelError(errno.EINVAL)
    if length > 0:
        end = start + length - 1
    elif length < 0:
        end, start = start - 1, start + length
        if start < 0:
            raise KernelError(errno.EINVAL)
    else:
        end = OFFSET_MAX
    return start, min(end, OFFSET_MAX)


# --- the calls -----------------------------------------------------------------------------------

def fcntl_lock(p, f, cmd: int, arg: int) -> int:
    """fcntl's F_GETLK/F_SETLK/F_SETLKW, their 64-bit and open-file-description forms, and
    leases (kept on the description; nobody else on the machine is told to break them)."""
    if cmd in (F_SETLEASE, F_GETLEASE):
        return _lease(p, f, cmd, arg)
    ltype, whence, start, length, pid = _read_flock(p, cmd, arg)
    ofd = cmd in (F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW)
    if ofd and pid != 0:
        raise KernelError(errno.EINVAL)
    if ltype not in (F_RDLCK, F_WRLCK, F_UNLCK):
        raise KernelError(errno.EINVAL)
    if not hasattr(f, "fstat"):      # locks live on inodes: a pipe's, a socket's, a device's
        raise KernelError(errno.EINVAL)
    lo, hi = _range(f, whence, start, length)
    req = Lock(OFD if ofd else POSIX, f if ofd else p.fds, ltype, lo, hi,
               -1 if ofd else p.tgid)
    inode = lock_table(p.kernel).of(f)
    if not ofd:
        p.fds.file_locks = inode.table      # its closes now drop its locks
    if cmd in GETLK:
        if ltype == F_UNLCK:
            raise KernelError(errno.EINVAL)
        held = inode.conflict(req)
        if held is None:
            _write_flock(p, cmd, arg, F_UNLCK, whence, start, length, pid)
        else:
            span = 0 if held.end == OFFSET_MAX else held.end - held.start + 1
            _write_flock(p, cmd, arg, held.type, SEEK_SET, held.start, span, held.pid)
        return 0
    access = f.status_flags & O_ACCMODE
    if ltype == F_RDLCK and access == O_WRONLY or ltype == F_WRLCK and access == O_RDONLY:
        raise KernelError(errno.EBADF)
    _set(p, inode, req, wait=cmd in SETLKW)
    return 0


def _lease(p, f, cmd: int, arg: int) -> int:
    """check_conflicting_open: a read lease needs nobody to have the file open for writing
    (a writer waiting for this lease's break counts), a write lease nobody else to have it
    open at all. Taking one makes the caller the description's owner, whom the lease-break
    signal goes to (do_fcntl_add_lease's __f_setown)."""
    if cmd == F_SETLEASE:
        if arg not in (F_RDLCK, F_WRLCK, F_UNLCK):
            raise KernelError(errno.EINVAL)
        # generic_setlease: only the file's owner, or CAP_LEASE, takes or gives up a lease
        # (a lease holds back every other opener of the file for lease-break-time)
        if hasattr(f, "fstat"):
            cred = perm.cred_of(p)
            view = p.kernel.fs.iattrs.apply(f.fstat())
            if cred is not None and cred.fsuid != perm.owner(view)[0] and \
                    not cred.capable(CAP_LEASE):
                raise KernelError(errno.EACCES)
    if f.kind != "file" or not hasattr(f, "fd"):
        raise KernelError(errno.EINVAL)
    lease = f.lease_state
    if cmd == F_GETLEASE:
        return lease.target() if lease is not None else F_UNLCK
    if arg == F_RDLCK and f.status_flags & O_ACCMODE != O_RDONLY:
        raise KernelError(errno.EAGAIN)      # the file is open for writing: by this caller
    if arg != F_UNLCK:
        others = _other_opens(p, f)
        if arg == F_WRLCK and others or arg == F_RDLCK and (
                lease is not None and lease.break_write or
                any(o.status_flags & O_ACCMODE != O_RDONLY for o in others)):
            raise KernelError(errno.EAGAIN)
    st = f.fstat()
    holders = lock_table(p.kernel).leases
    key = (st.st_dev, st.st_ino)
    if lease is not None:
        holders[key].remove(f)
        if not holders[key]:
            del holders[key]
    f.lease_state = None
    if arg != F_UNLCK:
        f.lease_state = Lease(arg)
        holders.setdefault(key, []).append(f)
        f.owner = (F_OWNER_PID, p.tgid)
    return 0


def break_lease(p, f, write: bool, nonblock: bool) -> None:
    """__break_lease, for an open (the new description f) or truncate of f's file: every
    other description's conflicting lease is broken, its holder signalled once; the caller
    waits until none is left, or EWOULDBLOCK with O_NONBLOCK. A lease whose holder let
    lease-break-time pass is taken away."""
    holders = lock_table(p.kernel).leases
    if not holders:
        return
    st = f.fstat()
    key = (st.st_dev, st.st_ino)
    if key not in holders:
        return
    holders[key] = [o for o in holders[key] if not o.closed]   # a lease goes with its file
    now = time.monotonic()

    def conflicting() -> list:
        return [o for o in holders.get(key, ()) if o is not f and not o.closed
                and o.lease_state is not None and o.lease_state.conflicts(write)]
    for o in conflicting():
        lease = o.lease_state
        if lease.break_at is None:
            from ..procfs import sysctl
            lease.break_at = now + sysctl(p.kernel, "fs/lease-break-time")
            send_io_signal(p.kernel, o)
        elif now >= lease.break_at:
            holders[key].remove(o)
            o.lease_state = None
        lease.break_write |= write
    left = conflicting()
    if not left:
        if key in holders and not holders[key]:
            del holders[key]
        return
    if nonblock:
        raise KernelError(errno.EWOULDBLOCK)
    from ..kernel import Block
    raise Block(lambda: not conflicting(), deadline=min(o.lease_state.break_at for o in left))


def _other_opens(p, f) -> list:
    """The machine's other open descriptions of f's file."""
    st = f.fstat()
    seen, out = {id(f)}, []
    for proc in p.kernel.procs.values():
        if not proc.alive or proc.fds is None:
            continue
        for _, other in proc.fds.items():
            if id(other) in seen or other.kind != "file" or not hasattr(other, "fd"):
                continue
            seen.add(id(other))
            try:
                ost = other.fstat()
            except KernelError:
                continue
            if (ost.st_dev, ost.st_ino) == (st.st_dev, st.st_ino):
                out.append(other)
    return out


def sys_flock(p, fd, operation):
    f = p.fds.get(fd)
    op = operation & ~LOCK_NB
    if op not in (LOCK_SH, LOCK_EX, LOCK_UN):
        raise KernelError(errno.EINVAL)
    if not hasattr(f, "fstat"):
        raise KernelError(errno.EINVAL)
    try:
        inode = lock_table(p.kernel).of(f)
    except KernelError:
        raise KernelError(errno.EINVAL) from None
    ltype = {LOCK_SH: F_RDLCK, LOCK_EX: F_WRLCK, LOCK_UN: F_UNLCK}[op]
    # A conversion drops the old lock first, as Linux's flock does (it is not atomic).
    inode.remove(f, kinds=(FLOCK,))
    if ltype != F_UNLCK:
        _set(p, inode, Lock(FLOCK, f, ltype, 0, OFFSET_MAX, p.tgid), wait=not operation & LOCK_NB,
             busy=errno.EWOULDBLOCK)
    return 0


def _set(p, inode: InodeLocks, req: Lock, wait: bool, busy: int = errno.EAGAIN) -> None:
    from ..kernel import Block
    table = inode.table
    blocker = inode.conflict(req) if req.type != F_UNLCK else None
    if blocker is None:
        table.waiting.pop(id(req.owner), None)
        inode.apply(req)
        return
    if not wait:
        raise KernelError(busy)
    if req.kind == POSIX and table.deadlocks(req, blocker):
        table.waiting.pop(id(req.owner), None)
        raise KernelError(errno.EDEADLK)
    if req.kind == POSIX:
        table.waiting[id(req.owner)] = (inode, req)
    raise Block(lambda: inode.conflict(req) is None,
                on_interrupt=lambda: table.waiting.pop(id(req.owner), None))

