"""Inode attributes a guest sets that its host file must not carry: the owner (chown), the
set-user-ID and set-group-ID bits (chmod), and the type and number of a device node (mknod).
A setuid-root host file or a host device node inside the root would be a way out of it for
any host user, so, as fakeroot does, they are kept here by the host file's (device, inode)
and laid over every stat the guest sees; the host file is a plain one. They last as long as
the machine (a file created or changed on the host meanwhile keeps what was set here until
its last name is removed through the guest). A machine given an attribute file keeps them
across runs there (as fakeroot's -s/-i save files do, by the host files' (device, inode)),
so a root the guest set up (chown, chmod u+s, mknod) stays so.

Windows' DOS attribute word (hidden, system, archive ...) is kept here too for the files whose
host inode cannot carry it as a user extended attribute (a symbolic link, a device node, a
file system without user attributes: runtime/nt/dosattrib.py); it changes no stat."""
from __future__ import annotations

import json
import os
import stat as S
from array import array
import dataclasses
from dataclasses import dataclass
from types import SimpleNamespace

from sysvec.compiler.textfile import read_bytes

SETID_BITS = S.S_ISUID | S.S_ISGID
# The inode flags kept (tmpfs's, as Linux 6.x offers them through FS_IOC_SETFLAGS).
FS_IMMUTABLE_FL, FS_APPEND_FL, FS_NODUMP_FL, FS_NOATIME_FL = 0x10, 0x20, 0x40, 0x80
INODE_FLAGS = FS_IMMUTABLE_FL | FS_APPEND_FL | FS_NODUMP_FL | FS_NOATIME_FL
DEVICE_TYPES = (S.S_IFCHR, S.S_IFBLK)
_STAT_FIELDS = ("st_dev", "st_ino", "st_mode", "st_nlink", "st_rdev", "st_size", "st_blocks",
                "st_atime_ns", "st_mtime_ns", "st_ctime_ns")


@dataclass
class Attrs:
    uid: int = 0
    gid: int = 0
    setid: int = 0          # the S_ISUID | S_ISGID bits of the mode
    devtype: int = 0        # S_IFCHR or S_IFBLK for a device node, else 0
    rdev: int = 0
    iflags: int = 0         # inode flags (FS_IOC_SETFLAGS): immutable, append-only...

    def plain(self) -> bool:
        return self == Attrs()


def _key(st) -> tuple[int, int]:
    return (st.st_dev, st.st_ino)


FILE_FORMAT = "sysvec-inode-attrs 1"


class AttrFileError(Exception):
    """An attribute file that is not one (the machine reports it as its error)."""


class InodeAttrs:
    """The attributes of one machine's files, by host (st_dev, st_ino)."""

    def __init__(self):
        self.table: dict[tuple[int, int], Attrs] = {}
        # the DOS attribute words kept here: (dev, ino) -> (word, (mtime_ns, size) or None)
        self.dos: dict[tuple[int, int], tuple[int, tuple[int, int] | None]] = {}
        # how many entries the table has, and how many keep set-id bits, where the C trap
        # path reads them: with no entry fstat shows the host's stat unchanged, and with no
        # set-id bits a write has none to remove, so C answers them (csrc/files.c)
        self.entries = array("q", [0, 0])
        self.on_change = None   # told of every change (lookups that checked permissions)

    def _counted(self, before: Attrs | None = None, after: Attrs | None = None) -> None:
        self.entries[0] = len(self.table)
        self.entries[1] += bool(after and after.setid) - bool(before and before.setid)

    def load(self, path) -> None:
        """What an earlier machine saved in path (nothing yet if it does not exist)."""
        try:
            data = json.loads(read_bytes(path))
            if data.get("format") != FILE_FORMAT:
                raise ValueError("no format line")
            rows = [tuple(int(v) for v in row) for row in data["inodes"]]
            dos = [tuple(int(v) for v in row) for row in data.get("dos", [])]
        except FileNotFoundError:
            return
        except OSError as exc:
            raise AttrFileError(f"{path}: cannot read: {exc.strerror or exc}") from None
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise AttrFileError(f"{path}: not a sysvec attribute file ({exc})") from None
        for dev, ino, uid, gid, setid, devtype, rdev, *more in rows:
            attrs = Attrs(uid, gid, setid & SETID_BITS, devtype if devtype in DEVICE_TYPES
                          else 0, rdev, (more[0] if more else 0) & INODE_FLAGS)
            if not attrs.plain():
                self.table[(dev, ino)] = attrs
        self._counted()
        self.entries[1] = sum(1 for a in self.table.values() if a.setid)
        for dev, ino, word, mtime_ns, size in (row[:5] for row in dos if len(row) >= 5):
            self.dos[(dev, ino)] = (word, (mtime_ns, size) if size >= 0 else None)

    def save(self, path) -> None:
        """Write the table to path, replacing it whole (a crash leaves the old one)."""
        rows = [[dev, ino, a.uid, a.gid, a.setid, a.devtype, a.rdev, a.iflags]
                for (dev, ino), a in sorted(self.table.items())]
        dos = [[dev, ino, word, *(stamp or (0, -1))]
               for (dev, ino), (word, stamp) in sorted(self.dos.items())]
        tmp = f"{path}.tmp{os.getpid()}"
        with open(tmp, "w") as f:
            json.dump({"format": FILE_FORMAT, "inodes": rows, "dos": dos}, f)
        os.replace(tmp, path)

    def _update(self, st, **changes) -> None:
        before = self.table.get(_key(st))
        attrs = dataclasses.replace(before) if before is not None else Attrs()
        for name, value in changes.items():
            setattr(attrs, name, value)
        if attrs.plain():
            self.table.pop(_key(st), None)
            attrs = None
        else:
            self.table[_key(st)] = attrs
        self._counted(before, attrs)
        if self.on_change is not None:
            self.on_change()

    def device(self, st) -> tuple[int, int] | None:
        """(S_IFCHR or S_IFBLK, rdev) when the file is a device node made by mknod."""
        attrs = self.table.get(_key(st))
        return (attrs.devtype, attrs.rdev) if attrs and attrs.devtype else None

    def apply(self, st):
        """What the guest's stat shows: st itself, or a copy with the kept attributes; the
        owner is in guest_owner (the packers write 0:0 without it: the guest is root)."""
        attrs = self.table.get(_key(st))
        if attrs is None:
            return st
        view = SimpleNamespace(**{f: getattr(st, f, 0) for f in _STAT_FIELDS})
        view.st_mode = view.st_mode & ~SETID_BITS | attrs.setid
        if attrs.devtype:
            view.st_mode = S.S_IMODE(view.st_mode) | attrs.devtype
            view.st_rdev, view.st_size, view.st_blocks = attrs.rdev, 0, 0
        view.guest_owner = (attrs.uid, attrs.gid)
        return view

    def iflags(self, st) -> int:
        attrs = self.table.get(_key(st))
        return attrs.iflags if attrs is not None else 0

    def set_iflags(self, st, flags: int) -> None:
        self._update(st, iflags=flags & INODE_FLAGS)

    def chmod(self, st, mode: int) -> None:
        self._update(st, setid=mode & SETID_BITS)

    def kill_privs(self, st, cred) -> bool:
        """file_remove_privs: a write (or truncate) by a caller without CAP_FSETID clears
        set-user-ID, and set-group-ID when group execute is set. True if it changed any."""
        from .perm import CAP_FSETID
        attrs = self.table.get(_key(st))
        if attrs is None or not attrs.setid or cred is None or cred.capable(CAP_FSETID):
            return False
        setid = attrs.setid & ~S.S_ISUID
        if st.st_mode & S.S_IXGRP:
            setid &= ~S.S_ISGID
        if setid == attrs.setid:
            return False
        self._update(st, setid=setid)
        return True

    def chown(self, st, uid: int, gid: int) -> None:
        """chown(2): -1 keeps an id. Changing the owner of a non-directory clears set-user-ID,
        and set-group-ID when group execute is set, even for root (Linux since 2.2.13)."""
        attrs = self.table.get(_key(st), Attrs())
        changes = {}
        if uid != -1:
            changes["uid"] = uid
        if gid != -1:
            changes["gid"] = gid
        if not S.S_ISDIR(st.st_mode):
            setid = attrs.setid & ~S.S_ISUID
            if st.st_mode & S.S_IXGRP:
                setid &= ~S.S_ISGID
            changes["setid"] = setid
        self._update(st, **changes)

    def own(self, st, uid: int, gid: int, setgid: bool = False) -> None:
        """A new file's owner (the creator's fs ids), and set-group-ID for a directory made
        in a set-group-ID one."""
        self._update(st, uid=uid, gid=gid, **({"setid": S.S_ISGID} if setgid else {}))

    def mknod(self, st, devtype: int, rdev: int) -> None:
        self._update(st, devtype=devtype, rdev=rdev)

    def unlinked(self, st) -> None:
        """A name of st's file was removed: with its last name the inode may be reused."""
        if S.S_ISDIR(st.st_mode) or st.st_nlink <= 1:
            self._counted(self.table.pop(_key(st), None))
            self.dos.pop(_key(st), None)

    def dos_word(self, st) -> tuple[int, tuple[int, int] | None] | None:
        """The DOS attribute word kept here for st's inode, with the (mtime_ns, size) its
        archive bit was cleared at; None when the host file keeps it or nobody set one."""
        return self.dos.get(_key(st))

    def set_dos_word(self, st, word: int | None, stamp: tuple[int, int] | None = None) -> None:
        """Keep a DOS attribute word for st's inode (None: forget it)."""
        if word is None:
            self.dos.pop(_key(st), None)
        else:
            self.dos[_key(st)] = (word, stamp)
