"""The machine's mount table: file systems mounted over directories of the guest's tree
(one mount namespace per machine, as a container has).

The one file system a guest can mount is tmpfs: a fresh empty directory of the host, outside
the root, in a private scratch directory of the machine's own (so a walk from it can never
reach a host file the guest did not make there), removed when it is unmounted or the machine
ends. A mount is found by its mountpoint's guest path, so `..` at its top leads back to the
mountpoint's parent as on Linux; MS_RDONLY makes every change under it fail with EROFS
(mnt_want_write)."""
from __future__ import annotations

import errno
import os
import shutil
import tempfile
from dataclasses import dataclass

from .errors import KernelError

# include/uapi/linux/mount.h
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_SYNCHRONOUS, MS_REMOUNT, MS_MANDLOCK, MS_DIRSYNC = 16, 32, 64, 128
MS_NOSYMFOLLOW, MS_NOATIME, MS_NODIRATIME, MS_BIND, MS_MOVE = 256, 1024, 2048, 4096, 8192
MS_REC, MS_SILENT = 16384, 32768
MS_UNBINDABLE, MS_PRIVATE, MS_SLAVE, MS_SHARED = 1 << 17, 1 << 18, 1 << 19, 1 << 20
MS_RELATIME, MS_STRICTATIME, MS_LAZYTIME = 1 << 21, 1 << 24, 1 << 25
MS_MGC_MSK, MS_MGC_VAL = 0xFFFF0000, 0xC0ED0000
MS_PROPAGATION = MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE
# The per-mount flags a mount or remount keeps (the rest act once or are per-superblock).
MNT_FLAGS = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOSYMFOLLOW | MS_NOATIME | \
    MS_NODIRATIME | MS_RELATIME
MNT_FORCE, MNT_DETACH, MNT_EXPIRE, UMOUNT_NOFOLLOW = 1, 2, 4, 8
# statfs(2)'s f_type and f_flags (include/uapi/linux/magic.h, statfs.h).
TMPFS_MAGIC = 0x01021994
ST_RDONLY, ST_NOSUID, ST_NODEV, ST_NOEXEC = 1, 2, 4, 8
ST_NOATIME, ST_NODIRATIME, ST_RELATIME, ST_NOSYMFOLLOW = 1024, 2048, 4096, 8192
_ST_OF_MS = {MS_RDONLY: ST_RDONLY, MS_NOSUID: ST_NOSUID, MS_NODEV: ST_NODEV,
             MS_NOEXEC: ST_NOEXEC, MS_NOATIME: ST_NOATIME, MS_NODIRATIME: ST_NODIRATIME,
             MS_RELATIME: ST_RELATIME, MS_NOSYMFOLLOW: ST_NOSYMFOLLOW}
_OPTION_OF_MS = ((MS_NOSUID, "nosuid"), (MS_NODEV, "nodev"), (MS_NOEXEC, "noexec"),
                 (MS_NOATIME, "noatime"), (MS_NODIRATIME, "nodiratime"),
                 (MS_RELATIME, "relatime"), (MS_NOSYMFOLLOW, "nosymfollow"))
# The file systems this machine can mount (/proc/filesystems): none needs a block device.
FILESYSTEMS = ("tmpfs",)
TMPFS_ROOT_MODE = 0o1777


@dataclass
class Mount:
    parts: tuple[str, ...]      # the mountpoint, as normalised guest path components
    host: str                   # the host directory holding the file system's files
    fstype: str
    source: str
    flags: int                  # MNT_FLAGS bits

    @property
    def guest(self) -> str:
        return "/" + "/".join(self.parts)

    @property
    def readonly(self) -> bool:
        return bool(self.flags & MS_RDONLY)

    def statfs_flags(self) -> int:
        return sum(st for ms, st in _ST_OF_MS.items() if self.flags & ms)

    def line(self) -> str:
        """Its /proc/mounts line."""
        options = ["ro" if self.readonly else "rw"]
        options += [name for bit, name in _OPTION_OF_MS if self.flags & bit]
        return f"{self.source} {self.guest} {self.fstype} {','.join(options)} 0 0\n"


class MountTable:
    """The mounts of one machine, in the order they were made (a later mount on the same
    directory hides an earlier one)."""

    def __init__(self):
        self.mounts: list[Mount] = []
        self.generation = 0     # counts mounts and unmounts (a cached walk is stale after one)
        self.on_change = None   # told of each mount and unmount

    def covering(self, parts) -> Mount | None:
        """The mount the guest path `parts` is on (None: the root file system): the last one
        made on a prefix of it (a later mount is either inside an earlier one's tree or
        hides it)."""
        if not self.mounts:
            return None
        parts = tuple(parts)
        best = None
        for m in self.mounts:
            if parts[:len(m.parts)] == m.parts:
                best = m
        return best

    def at(self, parts) -> Mount | None:
        """The topmost mount whose mountpoint is exactly `parts`."""
        m = self.covering(parts)
        return m if m is not None and m.parts == tuple(parts) else None

    def host_path(self, root: str, parts: list[str]) -> str:
        m = self.covering(parts)
        if m is None:
            return os.path.join(root, *parts) if parts else root
        rest = parts[len(m.parts):]
        return os.path.join(m.host, *rest) if rest else m.host

    def base_of(self, host: str) -> str | None:
        """The scratch directory of the mount holding a host path, None for the root's."""
        for m in sorted(self.mounts, key=lambda m: -len(m.host)):
            if host == m.host or host.startswith(m.host + os.sep):
                return os.path.dirname(m.host)
        return None

    @staticmethod
    def atime_flags(flags: int, old: int = MS_RELATIME) -> int:
        """relatime unless the caller asks otherwise; a remount that names no atime flag
        keeps the mount's."""
        if flags & (MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME):
            return flags & ~MS_STRICTATIME
        return flags | old & (MS_NOATIME | MS_NODIRATIME | MS_RELATIME)

    def mount_tmpfs(self, parts, source: str, flags: int) -> Mount:
        scratch = tempfile.mkdtemp(prefix="sysvec-tmpfs-")
        host = os.path.join(scratch, "fs")
        os.mkdir(host)
        os.chmod(host, TMPFS_ROOT_MODE)
        m = Mount(tuple(parts), host, "tmpfs", source or "none",
                  self.atime_flags(flags) & MNT_FLAGS)
        self.mounts.append(m)
        self._changed()
        return m

    def remount(self, m: Mount, flags: int) -> None:
        m.flags = self.atime_flags(flags, m.flags) & MNT_FLAGS

    def umount(self, m: Mount) -> None:
        """Take m away, with every mount below it (they are unreachable now)."""
        gone = [n for n in self.mounts if n.parts[:len(m.parts)] == m.parts
                and self.mounts.index(n) >= self.mounts.index(m)]
        for n in gone:
            self.mounts.remove(n)
            shutil.rmtree(os.path.dirname(n.host), ignore_errors=True)
        self._changed()

    def _changed(self) -> None:
        self.generation += 1
        if self.on_change is not None:
            self.on_change()

    def close(self) -> None:
        for m in reversed(list(self.mounts)):
            if m in self.mounts:
                self.umount(m)

    def proc_mounts(self) -> str:
        return "".join(m.line() for m in self.mounts)

    def mountinfo(self) -> str:
        """The mounts' /proc/PID/mountinfo lines: ids from 2 (1 is the root's), each under
        the mount its mountpoint is on, an anonymous device number as tmpfs has."""
        ids = {id(m): n for n, m in enumerate(self.mounts, 2)}
        lines = []
        for n, m in enumerate(self.mounts, 2):
            earlier = [o for o in self.mounts[:n - 2] if m.parts[:len(o.parts)] == o.parts]
            parent = ids[id(earlier[-1])] if earlier else 1
            options = m.line().split()[3]
            lines.append(f"{n} {parent} 0:{40 + n} / {m.guest} {options} - {m.fstype} "
                         f"{m.source} {'ro' if m.readonly else 'rw'}\n")
        return "".join(lines)


def check_readonly(m: Mount | None) -> None:
    """mnt_want_write: nothing changes on a read-only mount."""
    if m is not None and m.readonly:
        raise KernelError(errno.EROFS)
