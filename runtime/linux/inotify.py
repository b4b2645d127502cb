"""inotify (fs/notify/inotify): watches on inodes and a queue of events read as struct
inotify_event records. The machine's file system reports each change it makes
(FileSystem.listen_changes: created, deleted, moved, modified, attributes; "isdir" marks a
directory deleted or moved), and the Linux personality its opens and last closes; a watch
on a directory hears about the entries in it (with their names), a watch on a file or
directory about the inode itself. Events are only those this machine makes: a change the
host makes to the root behind its back is not seen (Linux's inotify does not see remote
changes either). Reads (IN_ACCESS) are not reported, nor the close of a file opened before
anyone watched."""
from __future__ import annotations

import errno
import itertools
import os
import stat as S
import struct
import weakref
from collections import deque
from dataclasses import dataclass

from .. import perm
from ..errors import KernelError, WouldBlock
from ..files import O_NONBLOCK, O_RDONLY
from ..readiness import READABLE
from .events import O_CLOEXEC, AnonFile, _install

IN_ACCESS, IN_MODIFY, IN_ATTRIB, IN_CLOSE_WRITE, IN_CLOSE_NOWRITE = 0x1, 0x2, 0x4, 0x8, 0x10
IN_OPEN, IN_MOVED_FROM, IN_MOVED_TO, IN_CREATE, IN_DELETE = 0x20, 0x40, 0x80, 0x100, 0x200
IN_DELETE_SELF, IN_MOVE_SELF, IN_UNMOUNT, IN_Q_OVERFLOW, IN_IGNORED = 0x400, 0x800, 0x2000, 0x4000, 0x8000
IN_ONLYDIR, IN_DONT_FOLLOW, IN_EXCL_UNLINK = 0x01000000, 0x02000000, 0x04000000
IN_MASK_CREATE, IN_MASK_ADD, IN_ISDIR, IN_ONESHOT = 0x10000000, 0x20000000, 0x40000000, 0x80000000
IN_ALL_EVENTS = 0xFFF
WATCH_FLAGS = IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK | IN_MASK_CREATE | IN_MASK_ADD | IN_ONESHOT
EVENT_HEADER = struct.Struct("<iIII")      # wd, mask, cookie, len (of the padded name)
MAX_QUEUED_EVENTS = 16384                  # /proc/sys/fs/inotify/max_queued_events
MAX_USER_WATCHES = 65536                   # per instance here (Linux's is per user)
LISTENER = "inotify"


@dataclass
class Watch:
    wd: int
    mask: int
    key: tuple          # (st_dev, st_ino) of the watched inode
    host: str           # its host path when last seen (a name's deletion or move is its own)
    is_dir: bool


class Inotify(AnonFile):
    """One inotify instance: its watches by descriptor and by inode, and its event queue."""

    def __init__(self):
        super().__init__("inotify", O_RDONLY)
        self.watches: dict[int, Watch] = {}
        self.by_key: dict[tuple, Watch] = {}
        self.wds = itertools.count(1)
        self.queue: deque[bytes] = deque()
        self.queued_bytes = 0
        self.events = 0

    # --- the queue ---------------------------------------------------------------------

    def queue_event(self, wd: int, mask: int, cookie: int = 0, name: str = "") -> None:
        """Queue an event; one equal to the last one queued is merged into it, and a full
        queue ends with one IN_Q_OVERFLOW (inotify_merge, fsnotify_add_event)."""
        if name:
            raw = os.fsencode(name) + b"\0"
            raw = raw.ljust(-(-len(raw) // EVENT_HEADER.size) * EVENT_HEADER.size, b"\0")
        else:
            raw = b""
        record = EVENT_HEADER.pack(wd, mask, cookie, len(raw)) + raw
        if self.queue and self.queue[-1] == record:
            return
        if len(self.queue) >= MAX_QUEUED_EVENTS:
            overflow = EVENT_HEADER.pack(-1, IN_Q_OVERFLOW, 0, 0)
            if self.queue[-1] != overflow:
                self.queue.append(overflow)
                self.queued_bytes += len(overflow)
            self.events += 1
            return
        self.queue.append(record)
        self.queued_bytes += len(record)
        self.events += 1

    def read(self, n):
        """Whole events, as many as fit; EINVAL when the first does not."""
        if not self.queue:
            raise WouldBlock()
        if len(self.queue[0]) > n:
            raise KernelError(errno.EINVAL)
        out = []
        size = 0
        while self.queue and size + len(self.queue[0]) <= n:
            record = self.queue.popleft()
            out.append(record)
            size += len(record)
        self.queued_bytes -= size
        return b"".join(out)

    def poll(self):
        return READABLE if self.queue else 0

    def generation(self):
        return self.events

    def unread(self) -> int:        # FIONREAD
        return self.queued_bytes

    # --- watches -----------------------------------------------------------------------

    def remove(self, watch: Watch, ignored: bool = True) -> None:
        self.watches.pop(watch.wd, None)
        if self.by_key.get(watch.key) is watch:
            del self.by_key[watch.key]
        if ignored:
            self.queue_event(watch.wd, IN_IGNORED)

    def deliver(self, watch: Watch, bits: int, cookie: int = 0, name: str = "",
                isdir: bool = False) -> None:
        if not watch.mask & bits:
            return
        self.queue_event(watch.wd, bits | (IN_ISDIR if isdir else 0), cookie, name)
        if watch.mask & IN_ONESHOT:
            self.remove(watch)


class Hub:
    """The machine's inotify instances, told of every change the file system makes."""

    def __init__(self):
        self.instances: weakref.WeakSet = weakref.WeakSet()
        self.cookies = itertools.count(1)
        self.moving: tuple | None = None    # (cookie, watches moving) between its two halves

    def __call__(self, events: tuple, directory: str, itself, name: str) -> None:
        """One change, reported in Linux's order: an unlinked inode's own events (its link
        count, IN_DELETE_SELF, IN_IGNORED) before its directory's; a directory's events
        before the changed inode's own; IN_MOVE_SELF after both halves of a move."""
        watches = [(i, w) for i in self.instances if not i.closed
                   for w in list(i.watches.values())]
        if not watches:
            return
        path = os.path.join(directory, name) if name else directory
        entry = _lstat(path)
        parent = _key(_lstat(directory))
        isdir = "isdir" in events or entry is not None and S.S_ISDIR(entry.st_mode)
        moved = "moved" in events
        cookie = 0
        if moved and "delete" in events:
            cookie = next(self.cookies)
        elif moved and self.moving is not None:
            cookie = self.moving[0]
        if "delete" in events and not moved:
            for inotify, watch in watches:
                if watch.host == path:
                    if not isdir:
                        inotify.deliver(watch, IN_ATTRIB)     # its link count
                    inotify.deliver(watch, IN_DELETE_SELF)
                    if watch.wd in inotify.watches:
                        inotify.remove(watch)
        if name:
            bits = _parent_event(events)
            for inotify, watch in watches:
                if watch.is_dir and watch.key == parent and watch.wd in inotify.watches:
                    inotify.deliver(watch, bits, cookie, name, isdir)
        bits = _own_event(events)
        if bits:
            key = _key(entry)
            for inotify, watch in watches:
                if watch.key == key and watch.wd in inotify.watches:
                    inotify.deliver(watch, bits, isdir=isdir)   # a directory's: IN_ISDIR
        if moved and "delete" in events:
            self.moving = (cookie, [(i, w) for i, w in watches if w.host == path])
        elif moved and self.moving is not None:
            for inotify, watch in self.moving[1]:   # the moved inode's watches follow it
                watch.host = path
                if watch.wd in inotify.watches:
                    inotify.deliver(watch, IN_MOVE_SELF)
            self.moving = None


# What the inode's own watch (and its directory's, with the name) hears of a use of it.
OWN_EVENTS = {"modify": IN_MODIFY, "attrib": IN_ATTRIB, "open": IN_OPEN,
              "close_write": IN_CLOSE_WRITE, "close_nowrite": IN_CLOSE_NOWRITE}


def _own_event(events: tuple) -> int:
    return next((OWN_EVENTS[e] for e in events if e in OWN_EVENTS), 0)


def _parent_event(events: tuple) -> int:
    """The event a directory's watch gets for a change to an entry in it."""
    if "create" in events:
        return IN_MOVED_TO if "moved" in events else IN_CREATE
    if "delete" in events:
        return IN_MOVED_FROM if "moved" in events else IN_DELETE
    return _own_event(events) or IN_ATTRIB


def _lstat(path: str):
    try:
        return os.lstat(path)
    except OSError:
        return None


def _key(st) -> tuple | None:
    return (st.st_dev, st.st_ino) if st is not None else None


def _hub(fs) -> Hub:
    hub = fs.change_listeners.get(LISTENER)
    if hub is None:
        hub = Hub()
        fs.listen_changes(LISTENER, hub)
    return hub


def _instance(p, fd: int) -> Inotify:
    f = p.fds.get(fd)
    if not isinstance(f, Inotify):
        raise KernelError(errno.EINVAL)
    return f


def sys_inotify_init1(p, flags):
    if flags & ~(O_CLOEXEC | O_NONBLOCK):
        raise KernelError(errno.EINVAL)
    return _install(p, Inotify(), flags)


def sys_inotify_init(p):
    return sys_inotify_init1(p, 0)


def sys_inotify_add_watch(p, fd, pathname, mask):
    """A watch on the inode path names (its descriptor again if it has one: the mask is
    replaced, or added to with IN_MASK_ADD; EEXIST with IN_MASK_CREATE)."""
    from .fs import _path
    inotify = _instance(p, fd)
    mask &= 0xFFFFFFFF
    if not mask & IN_ALL_EVENTS or mask & IN_MASK_ADD and mask & IN_MASK_CREATE:
        raise KernelError(errno.EINVAL)
    fs = p.kernel.fs
    r = fs.resolve(p.cwd, _path(p, pathname), not mask & IN_DONT_FOLLOW, p)
    st = fs._stat_resolved(r, p, not mask & IN_DONT_FOLLOW)
    if mask & IN_ONLYDIR and not S.S_ISDIR(st.st_mode):
        raise KernelError(errno.ENOTDIR)
    # inotify_find_inode: watching is reading what happens to the inode (EACCES without
    # read permission on it)
    perm.check(perm.cred_of(p), fs.iattrs.apply(st), perm.MAY_READ)
    key = _key(st)
    wanted = mask & (IN_ALL_EVENTS | IN_EXCL_UNLINK | IN_ONESHOT)
    watch = inotify.by_key.get(key)
    if watch is not None:
        if mask & IN_MASK_CREATE:
            raise KernelError(errno.EEXIST)
        watch.mask = watch.mask | wanted if mask & IN_MASK_ADD else wanted
        return watch.wd
    if len(inotify.watches) >= MAX_USER_WATCHES:
        raise KernelError(errno.ENOSPC)
    watch = Watch(next(inotify.wds), wanted, key, r.host, S.S_ISDIR(st.st_mode))
    inotify.watches[watch.wd] = watch
    inotify.by_key[key] = watch
    _hub(fs).instances.add(inotify)
    return watch.wd


def sys_inotify_rm_watch(p, fd, wd):
    inotify = _instance(p, fd)
    watch = inotify.watches.get(wd)
    if watch is None:
        raise KernelError(errno.EINVAL)
    inotify.remove(watch)
    return 0
