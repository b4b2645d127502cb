"""Open file descriptions (host files, directories, pipes, devices, the host's stdio) and the
per-process descriptor table. A description is shared by dup and fork and released when its
last reference goes, as struct file is in the kernel."""
from __future__ import annotations

import errno
import fcntl
import itertools
import os
import select
import stat as S
import time
import zlib
from collections import deque
from array import array
from types import SimpleNamespace

from .abi_structs import DT_DIR, dtype_of_mode, pack_dirent64
from .errors import BrokenPipe, KernelError, WouldBlock

O_ACCMODE, O_RDONLY, O_WRONLY, O_RDWR = 3, 0, 1, 2
O_APPEND, O_NONBLOCK = 0o2000, 0o4000
SEEK_SET, SEEK_CUR, SEEK_END, SEEK_DATA, SEEK_HOLE = 0, 1, 2, 3, 4
PIPE_BUF = 4096
SYNTHETIC_DEV = 5                   # st_dev of nodes with no host file (devices, /proc, pipes)
_inodes = itertools.count(0x1000)   # inode numbers of pipes and synthetic nodes


# Synthetic nodes (/proc, /dev) were made when the machine started, as a kernel's are at boot
# and when a process's /proc directory first appears (not in 1970: `ls -l /proc` shows it).
MADE_NS = time.time_ns()


def synthetic_stat(mode: int, rdev: int = 0, ino: int = 1, size: int = 0):
    """A stat result for a node that has no host file."""
    made = MADE_NS / 1e9
    return SimpleNamespace(st_dev=SYNTHETIC_DEV, st_ino=ino, st_mode=mode, st_nlink=1, st_uid=0,
                           st_gid=0, st_rdev=rdev, st_size=size, st_blocks=0,
                           st_atime_ns=MADE_NS, st_mtime_ns=MADE_NS, st_ctime_ns=MADE_NS,
                           st_atime=made, st_mtime=made, st_ctime=made)


def synthetic_ino(guest_path: str) -> int:
    """A stable inode number for a synthetic node, from its path."""
    return zlib.crc32(os.fsencode(guest_path)) | 0x10000


def _host_errno(exc: OSError, default: int = errno.EIO) -> KernelError:
    return KernelError(exc.errno or default)


# --- what the C trap path sees ---------------------------------------------------------------------
# csrc/files.c answers read, write, pread64, lseek and the fstat family on pipes, /dev/null,
# /dev/zero and regular files without Python when it can. It works on memory owned here: arrays of 64-bit words whose
# fields are csrc/sysvec.h's sv_pipe and sv_file, in order, and a table of description
# addresses per process (tests/test_fast_files.py checks both sides agree).
FAST_FDS = 1024                                         # SV_FAST_FDS
(FAST_NONE, FAST_PIPE_READ, FAST_PIPE_WRITE, FAST_PIPE_RDWR, FAST_NULL, FAST_ZERO, FAST_HOST,
 FAST_HOST_STREAM) = range(8)
FILE_KIND, FILE_STATUS, FILE_PIPE, FILE_HOST_FD, FILE_RDEV = range(5)                # sv_file
(PIPE_RING, PIPE_CAP, PIPE_HEAD, PIPE_LEN, PIPE_READERS, PIPE_WRITERS, PIPE_FLAGS, PIPE_GEN,
 PIPE_INO) = range(9)                                                                 # sv_pipe
PIPE_NOTIFY = 1                                         # SV_PIPE_NOTIFY


def address_of(words: array) -> int:
    return words.buffer_info()[0]


class OpenFile:
    """struct file: status flags, the guest path it was opened by, a reference count."""

    kind = "file"
    path_backed = False             # True when guest_path names the file in the VFS
    inode_locks = None              # the file's advisory locks, once one was taken through it
    lease_state = None              # a lease taken through it (runtime/linux/locks.Lease)
    fast_kind = FAST_NONE           # what the C trap path may answer on it (csrc/files.c)
    _fast = None                    # its sv_file words, made on first use

    def __init__(self, status_flags: int = O_RDONLY, guest_path: str = ""):
        self._status_flags = status_flags
        self.guest_path = guest_path
        self.refs = 1
        self.closed = False

    @property
    def status_flags(self) -> int:
        return self._status_flags

    @status_flags.setter
    def status_flags(self, value: int) -> None:
        self._status_flags = value
        if self._fast is not None:
            self._fast[FILE_STATUS] = value   # F_SETFL, FIONBIO: C sees it at once

    def fast_address(self) -> int:
        """The address of this description's sv_file for the C trap path; 0: Python answers
        every call on it."""
        fast = self._fast
        if fast is None:
            if self.fast_kind == FAST_NONE:
                return 0
            pipe = getattr(self, "pipe", None)
            fast = self._fast = array("q", [self.fast_kind, self._status_flags,
                                            address_of(pipe.state) if pipe else 0,
                                            self.fast_host_fd(), getattr(self, "rdev", 0)])
        return address_of(fast)

    def fast_host_fd(self) -> int:
        return getattr(self, "fd", -1)

    def incref(self) -> "OpenFile":
        self.refs += 1
        return self

    def decref(self) -> None:
        self.refs -= 1
        if self.refs == 0:
            if self.inode_locks is not None:
                self.inode_locks.released(self)
            self.close()
            last = getattr(self, "on_last_close", None)
            if last is not None:      # NT's delete-on-close: the name goes with the last handle
                self.on_last_close = None
                last()

    def close(self) -> None:
        """Release what the description holds; safe to call twice."""
        self.closed = True

    def _check_read(self) -> None:
        if self.status_flags & O_ACCMODE == O_WRONLY:
            raise KernelError(errno.EBADF)

    def _check_write(self) -> None:
        if self.status_flags & O_ACCMODE == O_RDONLY:
            raise KernelError(errno.EBADF)

    def read(self, n: int) -> bytes:
        raise KernelError(errno.EINVAL)

    def write(self, data: bytes) -> int:
        raise KernelError(errno.EINVAL)

    def pread(self, n: int, off: int) -> bytes:
        raise KernelError(errno.ESPIPE)

    def pwrite(self, data: bytes, off: int) -> int:
        raise KernelError(errno.ESPIPE)

    def lseek(self, off: int, whence: int) -> int:
        raise KernelError(errno.ESPIPE)

    def fstat(self):
        raise KernelError(errno.EBADF)

    def getdents64(self, bufsize: int, arch: str = "x86_64") -> bytes:
        raise KernelError(errno.ENOTDIR)

    def isatty(self) -> bool:
        return False

    def readable_now(self) -> bool:
        return True

    def writable_now(self) -> bool:
        return True


# The page caches of files some process maps MAP_SHARED (linux/shm.py's CachedFile), by the
# host file's (st_dev, st_ino): a read of such a file sees what the mappings hold, and a
# write reaches their pages, as Linux's one page cache keeps file I/O and mappings in step.
# While any is registered the machine's file I/O is Python's (vfs.py's file_rules[1]).
shared_pages: dict[tuple, list] = {}


def page_caches(fd: int) -> list:
    """The shared page caches of the host file behind fd (none: no lookup at all)."""
    if not shared_pages:
        return []
    st = os.fstat(fd)
    return shared_pages.get((st.st_dev, st.st_ino), [])


class HostFile(OpenFile):
    """A regular file inside the root, through a host descriptor. O_APPEND is ours, not the
    host's, so F_SETFL can change it. Reads and seeks are the C trap path's (csrc/files.c),
    unless a shared mapping's pages must be seen (shared_pages)."""

    path_backed = True
    fast_kind = FAST_HOST

    def __init__(self, fd: int, status_flags: int, guest_path: str):
        super().__init__(status_flags, guest_path)
        self.fd = fd

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        super().close()

    def _io(self, fn, *args):
        try:
            return fn(*args)
        except OSError as exc:
            raise _host_errno(exc) from None

    def read(self, n):
        self._check_read()
        caches = self._io(page_caches, self.fd)
        if not caches:
            return self._io(os.read, self.fd, n)
        off = self._io(os.lseek, self.fd, 0, SEEK_CUR)
        return self._seen(caches, off, self._io(os.read, self.fd, n))

    def write(self, data):
        self._check_write()
        if not data:
            return 0    # Linux's write of nothing leaves the position, O_APPEND or not
        if self.status_flags & O_APPEND:
            self._io(os.lseek, self.fd, 0, SEEK_END)
        caches = self._io(page_caches, self.fd)
        off = self._io(os.lseek, self.fd, 0, SEEK_CUR) if caches else 0
        done = self._io(os.write, self.fd, data)
        for cache in caches:
            cache.store(off, data[:done])
        return done

    def pread(self, n, off):
        self._check_read()
        data = self._io(os.pread, self.fd, n, off)
        caches = self._io(page_caches, self.fd)
        return self._seen(caches, off, data) if caches else data

    def pwrite(self, data, off):
        self._check_write()
        if self.status_flags & O_APPEND:    # Linux appends whatever the offset says
            off = self._io(os.fstat, self.fd).st_size
        done = self._io(os.pwrite, self.fd, data, off)
        for cache in self._io(page_caches, self.fd):
            cache.store(off, data[:done])
        return done

    @staticmethod
    def _seen(caches: list, off: int, data: bytes) -> bytes:
        """The file's bytes as a read sees them: the mapped pages' over the host's."""
        for cache in caches:
            data = cache.overlay(off, data)
        return data

    def lseek(self, off, whence):
        if whence not in (SEEK_SET, SEEK_CUR, SEEK_END, SEEK_DATA, SEEK_HOLE):
            raise KernelError(errno.EINVAL)
        return self._io(os.lseek, self.fd, off, whence)

    def fstat(self):
        return self._io(os.fstat, self.fd)

    def truncate(self, length: int) -> None:
        self._check_write()
        if length < 0:
            raise KernelError(errno.EINVAL)
        self._io(os.ftruncate, self.fd, length)
        for cache in self._io(page_caches, self.fd):
            cache.current_size()      # what the cut removed reads as zeros in the mappings


class TunableFile(OpenFile):
    """A writable /proc file. A /proc/sys tunable: what is written (one value) replaces its
    value through store(text). A process's own file (/proc/PID/comm): store(data, writer)
    takes the bytes as written and the process that opened it, and answers the count."""

    def __init__(self, store, access: int, guest_path: str, writer=None):
        super().__init__(access, guest_path)
        self.store, self.ino, self.writer = store, synthetic_ino(guest_path), writer

    def write(self, data):
        self._check_write()
        if self.writer is not None:
            return self.store(bytes(data), self.writer)
        self.store(data.decode(errors="replace").strip())
        return len(data)

    def fstat(self):
        return synthetic_stat(S.S_IFREG | 0o644, ino=self.ino)


class PositionedFile(OpenFile):
    """A file whose read and write are its pread and pwrite at a position of its own, which
    lseek moves (from its end() too, when it has one)."""

    pos = 0

    def end(self) -> int | None:
        """SEEK_END's base; None: the file has no end to seek from (EINVAL)."""
        return None

    def read(self, n):
        out = self.pread(n, self.pos)
        self.pos += len(out)
        return out

    def write(self, data):
        n = self.pwrite(data, self.pos)
        self.pos += n
        return n

    def lseek(self, off, whence):
        base = {SEEK_SET: 0, SEEK_CUR: self.pos}.get(whence)
        if whence == SEEK_END:
            base = self.end()
        if base is None or base + off < 0:
            raise KernelError(errno.EINVAL)
        self.pos = base + off
        return self.pos


class BytesFile(PositionedFile):
    """A read-only snapshot of generated contents (a /proc file), seekable like procfs's.
    Its inode number is its path's, as stat of the path gives (cp compares the two)."""

    def __init__(self, data: bytes, guest_path: str):
        super().__init__(O_RDONLY, guest_path)
        self.data, self.ino = data, synthetic_ino(guest_path)

    def end(self) -> int:
        return len(self.data)

    def pread(self, n, off):
        if off < 0:
            raise KernelError(errno.EINVAL)
        return self.data[off:off + n]

    def write(self, data):
        raise KernelError(errno.EBADF)

    def fstat(self):
        return synthetic_stat(S.S_IFREG | 0o444, ino=self.ino, size=len(self.data))


class ProgramBytes(BytesFile):
    """A program the runtime provides in place of a host file (a personality's synthetic
    node): executable, read-only."""

    def fstat(self):
        return synthetic_stat(S.S_IFREG | 0o555, ino=self.ino, size=len(self.data))


class PathFile(OpenFile):
    """An O_PATH descriptor: names a file (a base for *at calls, fstat) but cannot do I/O."""

    path_backed = True

    def __init__(self, host_path: str | None, guest_path: str, st):
        super().__init__(O_RDONLY, guest_path)
        self.host_path, self.st = host_path, st
        self.kind = "dir" if S.S_ISDIR(st.st_mode) else "file"

    def read(self, n):
        raise KernelError(errno.EBADF)

    def write(self, data):
        raise KernelError(errno.EBADF)

    def pread(self, n, off):
        raise KernelError(errno.EBADF)

    def pwrite(self, data, off):
        raise KernelError(errno.EBADF)

    def lseek(self, off, whence):
        raise KernelError(errno.EBADF)

    def getdents64(self, bufsize, arch="x86_64"):
        raise KernelError(errno.EBADF)

    def fstat(self):
        if self.host_path is None:
            return self.st
        try:
            return os.lstat(self.host_path)
        except OSError as exc:
            raise _host_errno(exc) from None


# --- directories -------------------------------------------------------------------------------

class DirectoryBase(OpenFile):
    """A directory read with getdents64: a list of (ino, d_type, name) with a position;
    d_off of an entry is the position after it, so lseek(d_off) resumes there."""

    kind = "dir"

    def __init__(self, guest_path: str, entries: list[tuple[int, int, bytes]]):
        super().__init__(O_RDONLY, guest_path)
        self.entries = entries
        self.pos = 0

    def names(self) -> list[str]:
        """Every entry's name but . and .., in the directory's order (the NT layer's
        listings: FindFirstFile, NtQueryDirectoryFile)."""
        return [os.fsdecode(name) for _, _, name in self.entries if name not in (b".", b"..")]

    def read(self, n):
        raise KernelError(errno.EISDIR)

    def write(self, data):
        raise KernelError(errno.EBADF)    # a directory is never open for writing

    def pread(self, n, off):
        raise KernelError(errno.EISDIR)

    def lseek(self, off, whence):
        if whence == SEEK_SET and off == 0:
            self.relist()     # rewinddir: Linux lists the directory as it is then
            self.pos = 0
            return 0
        new = {SEEK_SET: off, SEEK_CUR: self.pos + off}.get(whence, -1)
        if not 0 <= new <= len(self.entries):
            raise KernelError(errno.EINVAL)
        self.pos = new
        return new

    def relist(self) -> None:
        """Take the entries again (a rewind): names made or removed since show."""

    def getdents64(self, bufsize, arch="x86_64"):
        out = bytearray()
        while self.pos < len(self.entries):
            ino, dtype, name = self.entries[self.pos]
            rec = pack_dirent64(ino, self.pos + 1, dtype, name)
            if len(out) + len(rec) > bufsize:
                if not out:
                    raise KernelError(errno.EINVAL)
                break
            out += rec
            self.pos += 1
        return bytes(out)


class Directory(DirectoryBase):
    """A host directory inside the root: held open (O_NOFOLLOW) so fstat and fchdir see the
    same directory, its entries listed when first read and again after each rewind (so a
    name made between opendir and readdir shows, as on Linux); `extra` adds synthetic names
    (name -> (ino, d_type)), such as the devices in /dev, in place of host ones."""

    path_backed = True

    def __init__(self, host_path: str, guest_path: str, extra: dict | None = None):
        try:
            self.fd = os.open(host_path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
                              | os.O_CLOEXEC)
        except OSError as exc:
            raise _host_errno(exc) from None
        super().__init__(guest_path, None)
        self.host_path = host_path
        self.extra = extra or {}

    @property
    def entries(self) -> list[tuple[int, int, bytes]]:
        if self._entries is None:
            self._entries = self._snapshot(self.extra)
        return self._entries

    @entries.setter
    def entries(self, value) -> None:
        self._entries = value

    def relist(self) -> None:
        if self.fd >= 0 and self.fstat().st_nlink:
            self._entries = None

    def _snapshot(self, extra: dict) -> list[tuple[int, int, bytes]]:
        try:
            ino = os.fstat(self.fd).st_ino
            with os.scandir(self.fd) as it:
                found = list(it)    # the host file system's order, as a chroot would list
        except OSError as exc:
            raise _host_errno(exc) from None
        entries = [(ino, DT_DIR, b"."), (self._parent_ino(ino), DT_DIR, b"..")]
        for e in found:
            try:
                mode = e.stat(follow_symlinks=False).st_mode
            except OSError:
                mode = 0
            entries.append((e.inode(), dtype_of_mode(mode), os.fsencode(e.name)))
        entries = [e for e in entries if e[2] not in extra]     # synthetic names shadow
        return entries + [(i, t, n) for n, (i, t) in sorted(extra.items())]

    def _parent_ino(self, ino: int) -> int:
        """`..`'s inode: the parent's, but the root's own at the top of the guest's tree."""
        if self.guest_path in ("", "/"):
            return ino
        try:
            return os.stat("..", dir_fd=self.fd, follow_symlinks=False).st_ino
        except OSError:
            return ino

    def getdents64(self, bufsize, arch="x86_64"):
        if self.fstat().st_nlink == 0:
            raise KernelError(errno.ENOENT)     # IS_DEADDIR: the directory was removed
        return super().getdents64(bufsize, arch)

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        super().close()

    def fstat(self):
        try:
            return os.fstat(self.fd)
        except OSError as exc:
            raise _host_errno(exc) from None


class SyntheticDirectory(DirectoryBase):
    """A directory with no host counterpart (/proc, /proc/<pid>/fd, /dev without a host one)."""

    def __init__(self, guest_path: str, names):
        """names: {name: d_type}, or a function giving it when the directory is first read
        (/proc/<pid>/fd lists the descriptors open then, the directory's own among them)."""
        self.ino = synthetic_ino(guest_path)
        self._names = self._source = names
        super().__init__(guest_path, [])

    def relist(self) -> None:
        if callable(self._source):     # /proc/PID/fd: the descriptors open now
            self._names = self._source

    def _listed(self) -> None:
        if self._names is None:
            return
        names, self._names = self._names, None
        if callable(names):
            names = names()
        self.entries = [(self.ino, DT_DIR, b"."), (self.ino, DT_DIR, b"..")]
        self.entries += [(synthetic_ino(f"{self.guest_path}/{n}"), t, os.fsencode(n))
                         for n, t in sorted(names.items())]

    def names(self) -> list[str]:
        self._listed()
        return super().names()

    def lseek(self, off, whence):
        self._listed()
        return super().lseek(off, whence)

    def getdents64(self, bufsize, arch="x86_64"):
        self._listed()
        return super().getdents64(bufsize, arch)

    def fstat(self):
        return synthetic_stat(S.S_IFDIR | 0o555, ino=self.ino)


# --- character devices -------------------------------------------------------------------------

def mkdev(major: int, minor: int) -> int:
    """A device number as the kernel's new_encode_dev (and glibc's makedev) encode it."""
    return os.makedev(major, minor)


DEVICE_NUMBERS = {"null": mkdev(1, 3), "zero": mkdev(1, 5), "full": mkdev(1, 7),
                  "random": mkdev(1, 8), "urandom": mkdev(1, 9), "tty": mkdev(5, 0),
                  "ptmx": mkdev(5, 2)}


class Device(OpenFile):
    kind = "chr"

    def __init__(self, name: str, status_flags: int):
        super().__init__(status_flags, f"/dev/{name}")
        self.rdev = DEVICE_NUMBERS[name]

    def fstat(self):
        return device_stat(self.rdev)

    def lseek(self, off, whence):
        return 0

    def read(self, n):
        self._check_read()
        return self.contents(n)

    def pread(self, n, off):
        return self.read(n)

    def write(self, data):
        self._check_write()
        return len(data)

    def pwrite(self, data, off):
        return self.write(data)

    def contents(self, n: int) -> bytes:
        return b""


def device_stat(rdev: int):
    """stat of a character device node: crw-rw-rw-, inode derived from the device number."""
    return synthetic_stat(S.S_IFCHR | 0o666, rdev, ino=rdev)


class DevNull(Device):
    """/dev/null: reads end at once, writes vanish."""

    fast_kind = FAST_NULL

    def __init__(self, flags: int = O_RDWR):
        super().__init__("null", flags)


class DevZero(Device):
    """/dev/zero: endless zero bytes."""

    fast_kind = FAST_ZERO

    def __init__(self, flags: int = O_RDWR):
        super().__init__("zero", flags)

    def contents(self, n):
        return bytes(n)


class DevFull(Device):
    """/dev/full: reads give zero bytes, every write fails ENOSPC (drivers/char/mem.c
    write_full), so programs can test how they handle a full disk."""

    def __init__(self, flags: int = O_RDWR):
        super().__init__("full", flags)

    def contents(self, n):
        return bytes(n)

    def write(self, data):
        self._check_write()
        raise KernelError(errno.ENOSPC)


class DevRandom(Device):
    """/dev/urandom and /dev/random: the host's os.urandom (never blocks)."""

    def __init__(self, flags: int = O_RDWR, name: str = "urandom"):
        super().__init__(name, flags)

    def contents(self, n):
        return os.urandom(min(n, 1 << 20))


# --- the host's stdio --------------------------------------------------------------------------

# The host's memory devices by device number: a run given /dev/null as stdin shows the
# guest the path its own /dev has (readlink /proc/self/fd/0).
MEMORY_DEVICES = {os.makedev(1, minor): f"/dev/{name}" for minor, name in
                  ((3, "null"), (5, "zero"), (7, "full"), (8, "random"), (9, "urandom"))}


class HostStdio(OpenFile):
    """One of the host's descriptors (its stdin, stdout, stderr, or /dev/tty). The host's own
    descriptors are never closed: the guest closing one only drops its reference. Reads
    that would block raise WouldBlock so the scheduler can wait on host_fd with select."""

    def __init__(self, host_fd: int, readable: bool = False, guest_path: str = "", owned=False):
        mode = O_RDWR if owned else (O_RDONLY if readable else O_WRONLY)
        try:
            st = os.fstat(host_fd)
            mode |= fcntl.fcntl(host_fd, fcntl.F_GETFL) & O_APPEND   # `>>` as F_GETFL says
        except OSError:
            st = None
        super().__init__(mode, "")
        self.host_fd = host_fd
        self.owned = owned
        if st is not None and os.isatty(host_fd):
            self.kind, name = "tty", "/dev/tty"
        elif st is not None and S.S_ISFIFO(st.st_mode):
            self.kind, name = "pipe", f"pipe:[{st.st_ino}]"
        elif st is not None and S.S_ISSOCK(st.st_mode):
            self.kind, name = "chr", f"socket:[{st.st_ino}]"
        elif st is not None and S.S_ISCHR(st.st_mode) and st.st_rdev in MEMORY_DEVICES:
            self.kind, name = "chr", MEMORY_DEVICES[st.st_rdev]   # the guest's /dev has them
        else:
            self.kind = "file" if st is not None and S.S_ISREG(st.st_mode) else "chr"
            name = f"host:[{host_fd}]"     # a host path is none of the guest's business
        self.guest_path = guest_path or name

    def fast_host_fd(self) -> int:
        return self.host_fd

    def reopened(self, flags: int) -> "HostStdio | None":
        """Opening /proc/self/fd/N (/dev/stdout) of a regular file tblc was given (`> log`)
        opens that file again, as proc_fd's link does: a description of its own with its
        own offset, and O_TRUNC or O_APPEND as asked. Other kinds share this description."""
        if self.kind != "file" or self.host_fd < 0:
            return None
        wanted = flags & (O_ACCMODE | 0o1000 | O_APPEND)          # O_TRUNC
        # No more access than tblc was handed: the file is the host's, outside the root
        try:
            handed = fcntl.fcntl(self.host_fd, fcntl.F_GETFL) & O_ACCMODE
        except OSError as exc:
            raise _host_errno(exc) from None
        access = flags & O_ACCMODE
        if (access != O_WRONLY and handed == O_WRONLY) or \
                ((access != O_RDONLY or flags & 0o1000) and handed == O_RDONLY):
            raise KernelError(errno.EACCES)
        if self.status_flags & O_APPEND and access != O_RDONLY:
            if flags & 0o1000:             # a file handed for appending is not truncated,
                raise KernelError(errno.EACCES)
            wanted |= O_APPEND             # nor written anywhere but at its end
        try:
            fd = os.open(f"/proc/self/fd/{self.host_fd}", wanted | os.O_CLOEXEC)
        except OSError as exc:
            raise _host_errno(exc) from None
        again = HostStdio(fd, owned=True, guest_path=self.guest_path)
        again.status_flags = wanted & (O_ACCMODE | O_APPEND)
        return again

    def answer_in_c(self) -> None:
        """Let the C trap path read what is there, write, and poll it (csrc/files.c's
        host_stream_*): not a terminal, whose reads and writes go through job control, nor
        under --max-output, which Python counts."""
        if self.kind != "tty":
            self.fast_kind = FAST_HOST_STREAM

    def close(self):
        if self.owned and self.host_fd >= 0:
            os.close(self.host_fd)
            self.host_fd = -1
        super().close()

    def readable_now(self) -> bool:
        try:
            return bool(select.select([self.host_fd], [], [], 0)[0])
        except (OSError, ValueError):
            return True     # let read report the error

    def read(self, n):
        if not self.readable_now():
            raise WouldBlock()
        try:
            return os.read(self.host_fd, n)
        except BlockingIOError:
            raise WouldBlock() from None
        except OSError as exc:
            raise _host_errno(exc) from None

    def write(self, data):
        view, total = memoryview(data), 0
        while total < len(data):
            try:
                total += os.write(self.host_fd, view[total:])
            except BlockingIOError:
                select.select([], [self.host_fd], [], 1.0)
            except BrokenPipeError:
                if total:
                    return total
                raise BrokenPipe() from None
            except OSError as exc:
                if total:
                    return total
                raise _host_errno(exc) from None
        return total

    def pread(self, n, off):
        try:
            return os.pread(self.host_fd, n, off)
        except OSError as exc:
            raise _host_errno(exc, errno.ESPIPE) from None

    def pwrite(self, data, off):
        try:     # (with O_APPEND the host appends, as Linux does)
            return os.pwrite(self.host_fd, data, off)
        except OSError as exc:
            raise _host_errno(exc, errno.ESPIPE) from None

    def truncate(self, length: int) -> None:
        if self.kind != "file":
            raise KernelError(errno.EINVAL)
        try:
            os.ftruncate(self.host_fd, length)
        except OSError as exc:
            raise _host_errno(exc, errno.EINVAL) from None

    def lseek(self, off, whence):
        try:
            return os.lseek(self.host_fd, off, whence)
        except OSError as exc:
            raise _host_errno(exc, errno.ESPIPE) from None

    def fstat(self):
        try:
            return os.fstat(self.host_fd)
        except OSError:
            return synthetic_stat(S.S_IFCHR | 0o620, mkdev(136, 0))

    def isatty(self):
        return self.kind == "tty"


# --- pipes -------------------------------------------------------------------------------------

class _EmptyMessage(bytes):
    """What a read of an empty message on a Windows message pipe gives: no bytes, but true,
    so no caller takes it for the pipe's end."""

    def __bool__(self) -> bool:
        return True


EMPTY_MESSAGE = _EmptyMessage()


class Pipe:
    """The buffer shared by a pipe's two ends, and how many of each end are open. The bytes
    and counters live in words the C trap path reads and writes too (sv_pipe): a ring of
    `capacity` bytes holding `size` bytes from its head."""

    def __init__(self, capacity: int):
        self.state = array("q", bytes(8 * (PIPE_INO + 1)))
        self._new_ring(capacity, b"")
        self.ino = self.state[PIPE_INO] = next(_inodes)
        self.opened = {"r": 0, "w": 0}   # ends ever opened: a FIFO open waits for the other kind
        self.on_data = []                # called when data is written or the last writer
                                         # closes (signal-driven I/O: pipe_release)
        self.on_reader_gone = []         # write ends' O_ASYNC: the last reader closed
        # A Windows message pipe's boundaries (None: a byte stream): the bytes left of each
        # message in the pipe, oldest first.
        self.messages: deque | None = None

    def _new_ring(self, capacity: int, data: bytes) -> None:
        ring = array("B", bytes(capacity))
        view = memoryview(ring)          # held: the ring never moves while C may use it
        view[:len(data)] = data
        self.ring, self.view = ring, view
        st = self.state
        st[PIPE_RING], st[PIPE_CAP], st[PIPE_HEAD], st[PIPE_LEN] = address_of(ring), capacity, 0, len(data)

    # counters, as attributes
    capacity = property(lambda self: self.state[PIPE_CAP])
    size = property(lambda self: self.state[PIPE_LEN], doc="bytes in the pipe")
    generation = property(lambda self: self.state[PIPE_GEN], doc="moves on every read and write")
    readers = property(lambda self: self.state[PIPE_READERS],
                       lambda self, n: self.state.__setitem__(PIPE_READERS, n))
    writers = property(lambda self: self.state[PIPE_WRITERS],
                       lambda self, n: self.state.__setitem__(PIPE_WRITERS, n))

    def drop_reader(self) -> None:
        self.readers -= 1
        if self.readers == 0:
            for notify in list(self.on_reader_gone):
                notify()

    def drop_writer(self) -> None:
        self.writers -= 1
        if self.writers == 0:
            for notify in list(self.on_data):
                notify()

    def notify_changed(self) -> None:
        """on_data changed: writes with callbacks to run are the Python handler's."""
        st = self.state
        st[PIPE_FLAGS] = (st[PIPE_FLAGS] | PIPE_NOTIFY) if self.on_data else \
            (st[PIPE_FLAGS] & ~PIPE_NOTIFY)

    def resize(self, capacity: int) -> None:
        """F_SETPIPE_SZ: the same bytes in a ring of the new size (never below them)."""
        self._new_ring(capacity, self.peek(self.size))

    def peek(self, n: int) -> bytes:
        """Up to n bytes from the head, left in the pipe."""
        st = self.state
        n = min(n, st[PIPE_LEN])
        if n <= 0:
            return b""
        head, cap = st[PIPE_HEAD], st[PIPE_CAP]
        first = min(n, cap - head)
        data = self.view[head:head + first].tobytes()
        return data + self.view[:n - first].tobytes() if n > first else data

    def take(self, n: int) -> bytes:
        """Up to n bytes from the head, removed."""
        data = self.peek(n)
        if data:
            st = self.state
            st[PIPE_HEAD] = (st[PIPE_HEAD] + len(data)) % st[PIPE_CAP]
            st[PIPE_LEN] -= len(data)
            st[PIPE_GEN] += 1
        return data

    def take_message(self, n: int, whole: bool) -> tuple[bytes, bool]:
        """A message pipe's read of up to n bytes: in message read mode (whole) no further
        than the current message's end; (the bytes, whether that message has more)."""
        messages = self.messages
        if messages and messages[0] == 0:     # an empty message is read as one
            messages.popleft()
            self.state[PIPE_GEN] += 1
            return b"", False
        if whole and messages:
            data = self.take(min(n, messages[0]))
        else:
            data = self.take(n)
        left, more = len(data), False
        while left and messages:
            used = min(left, messages[0])
            messages[0] -= used
            left -= used
            if messages[0] == 0:
                messages.popleft()
            elif whole:
                more = True
        return data, more

    def put_message(self, data) -> int:
        """A message pipe's write: the whole message goes in (the ring grows for one larger
        than the room left, as Windows holds a writer's message until it is read): a reader
        then finds every message whole."""
        if len(data) > self.capacity - self.size:
            self.resize(self.size + len(data))
        self.messages.append(len(data))
        if not data:                          # an empty message wakes its reader too
            self.state[PIPE_GEN] += 1
            return 0
        return self.put(data)

    def empty_message_first(self) -> bool:
        return bool(self.messages) and self.messages[0] == 0

    def put(self, data) -> int:
        """As much of data as there is room for, at the tail; how many bytes went in."""
        st = self.state
        cap = st[PIPE_CAP]
        n = min(len(data), cap - st[PIPE_LEN])
        if n <= 0:
            return 0
        tail = (st[PIPE_HEAD] + st[PIPE_LEN]) % cap
        first = min(n, cap - tail)
        view = memoryview(data)
        self.view[tail:tail + first] = view[:first]
        if n > first:
            self.view[:n - first] = view[first:n]
        st[PIPE_LEN] += n
        st[PIPE_GEN] += 1
        return n


class PipeEnd(OpenFile):
    kind = "pipe"
    inode_fd = -1    # a named pipe's: an O_PATH descriptor of the FIFO, whose stat fstat shows

    def __init__(self, pipe: Pipe, flags: int):
        super().__init__(flags, f"pipe:[{pipe.ino}]")
        self.pipe = pipe

    def fast_host_fd(self) -> int:
        return self.inode_fd       # (C leaves a named pipe's fstat to Python)

    def fstat(self):
        if self.inode_fd >= 0:
            try:
                return os.fstat(self.inode_fd)
            except OSError:
                pass
        return synthetic_stat(S.S_IFIFO | 0o600, ino=self.pipe.ino, size=self.pipe.size)

    def close(self):
        if self.inode_fd >= 0:
            os.close(self.inode_fd)
            self.inode_fd = -1
        super().close()


class PipeReadEnd(PipeEnd):
    """Reads block while the pipe is empty and a writer is open; with none, EOF."""

    fast_kind = FAST_PIPE_READ

    def __init__(self, pipe: Pipe):
        super().__init__(pipe, O_RDONLY)
        pipe.readers += 1
        pipe.opened["r"] += 1

    def close(self):
        if not self.closed:
            self.pipe.drop_reader()
        super().close()

    def readable_now(self):
        return bool(self.pipe.size) or self.pipe.writers == 0 or self.pipe.empty_message_first()

    def read(self, n):
        p = self.pipe
        if p.messages is not None and p.empty_message_first():
            p.take_message(n, True)
            self.message_more = False
            return EMPTY_MESSAGE         # a read that succeeds with no bytes: not the end
        if n == 0:
            return b""
        if not p.size:
            if p.writers == 0:
                return b""
            raise WouldBlock()
        if p.messages is not None:      # a Windows message pipe (kernel32_pipe.py)
            data, self.message_more = p.take_message(n, getattr(self, "message_reads", False))
            return data
        return p.take(n)

    def write(self, data):
        raise KernelError(errno.EBADF)


class PipeWriteEnd(PipeEnd):
    """Writes of at most PIPE_BUF bytes go in whole or not at all; larger ones may be partial.
    No reader left: BrokenPipe (SIGPIPE, EPIPE)."""

    fast_kind = FAST_PIPE_WRITE

    def __init__(self, pipe: Pipe):
        super().__init__(pipe, O_WRONLY)
        pipe.writers += 1
        pipe.opened["w"] += 1

    def close(self):
        if not self.closed:
            self.pipe.drop_writer()
        super().close()

    def writable_now(self):
        # As pipe_poll: writable once a PIPE_BUF's worth of room is free, so a blocked atomic
        # write is only retried when it can succeed.
        p = self.pipe
        return p.readers == 0 or p.capacity - p.size >= min(PIPE_BUF, p.capacity)

    def room(self) -> int | None:
        """The bytes a write can put in now; None for a Windows message pipe (whole messages)."""
        p = self.pipe
        return None if p.messages is not None else max(p.capacity - p.size, 0)

    def read(self, n):
        raise KernelError(errno.EBADF)

    def write(self, data):
        p = self.pipe
        if not data and p.messages is None:
            return 0
        if p.readers == 0:
            raise BrokenPipe()
        if p.messages is not None:      # a Windows message: in whole (put_message)
            n = p.put_message(data)
        else:
            room = p.capacity - p.size
            if room <= 0 or (len(data) <= PIPE_BUF and room < len(data)):
                raise WouldBlock()
            n = p.put(data)
        for notify in p.on_data:      # read ends with O_ASYNC (linux/fasync.py)
            notify()
        return n


class DuplexPipeEnd(PipeEnd):
    """One end of a Windows duplex named pipe: two machine pipes crossed, reading from `pipe`
    (what the other end writes) and writing to `peer` (what it reads). Python answers its
    calls (it is no single pipe the C path knows)."""

    fast_kind = FAST_NONE

    def __init__(self, rx: Pipe, tx: Pipe):
        super().__init__(rx, O_RDWR)
        self.peer = tx
        rx.readers += 1
        tx.writers += 1
        rx.opened["r"] += 1
        tx.opened["w"] += 1

    def close(self):
        if not self.closed:
            self.pipe.drop_reader()
            self.peer.drop_writer()
        super().close()

    readable_now, read = PipeReadEnd.readable_now, PipeReadEnd.read

    def writable_now(self):
        return PipeWriteEnd.writable_now(SimpleNamespace(pipe=self.peer))

    def write(self, data):
        return PipeWriteEnd.write(SimpleNamespace(pipe=self.peer), data)


def make_duplex_pipe(capacity: int = 65536) -> tuple[DuplexPipeEnd, DuplexPipeEnd]:
    a, b = Pipe(capacity), Pipe(capacity)
    return DuplexPipeEnd(a, b), DuplexPipeEnd(b, a)


class PipeRdWrEnd(PipeEnd):
    """A FIFO opened O_RDWR: a reader and a writer at once, so the open never waits and a
    write never finds the pipe without a reader (Linux allows it; POSIX leaves it open)."""

    fast_kind = FAST_PIPE_RDWR

    def __init__(self, pipe: Pipe):
        super().__init__(pipe, O_RDWR)
        pipe.readers += 1
        pipe.writers += 1
        pipe.opened["r"] += 1
        pipe.opened["w"] += 1

    def close(self):
        if not self.closed:
            self.pipe.drop_reader()
            self.pipe.drop_writer()
        super().close()

    readable_now, read = PipeReadEnd.readable_now, PipeReadEnd.read
    writable_now, write = PipeWriteEnd.writable_now, PipeWriteEnd.write


def make_pipe(capacity: int = 65536) -> tuple[PipeReadEnd, PipeWriteEnd]:
    """pipe(2): a new pipe's read and write ends."""
    pipe = Pipe(capacity)
    return PipeReadEnd(pipe), PipeWriteEnd(pipe)


# --- the descriptor table ----------------------------------------------------------------------

INR_OPEN_CUR = 1024     # the descriptors a process may have at first (its soft RLIMIT_NOFILE)


class FdTable:
    """A process's descriptors: fd -> [description, close-on-exec]."""

    file_locks = None     # the machine's lock table, once this table took a POSIX lock
    fast = None           # the C trap path's slots: fd -> sv_file address (made on first use)

    def __init__(self, limit: int = 1024):
        self.limit = limit
        self.fds: dict[int, list] = {}

    def fast_slots(self) -> int:
        """The address of this table's slots for the C trap path (csrc/files.c), which answers
        some calls on the descriptors below FAST_FDS; kept in step with every change here."""
        fast = self.fast
        if fast is None:
            fast = self.fast = array("q", bytes(8 * FAST_FDS))
            for fd, (f, _) in self.fds.items():
                if fd < FAST_FDS:
                    fast[fd] = f.fast_address()
        return address_of(fast)

    def _set_slot(self, fd: int, f: OpenFile | None) -> None:
        if self.fast is not None and fd < FAST_FDS:
            self.fast[fd] = f.fast_address() if f is not None else 0

    def check_room(self) -> None:
        """EMFILE now when no descriptor is free: an open finds its descriptor before it
        walks the path (get_unused_fd_flags), so a full table creates no file."""
        if len(self.fds) >= self.limit and all(fd in self.fds for fd in range(self.limit)):
            raise KernelError(errno.EMFILE)

    def install(self, f: OpenFile, cloexec: bool = False, lowest: int = 0) -> int:
        """The lowest free fd >= lowest now refers to f (the caller's reference moves in)."""
        if lowest < 0:
            raise KernelError(errno.EINVAL)
        fd = lowest
        while fd in self.fds:
            fd += 1
        if fd >= self.limit:
            raise KernelError(errno.EMFILE)
        self.fds[fd] = [f, cloexec]
        self._set_slot(fd, f)
        return fd

    def replace(self, fd: int, f: OpenFile) -> None:
        """fd refers to f from now on, its close-on-exec bit kept (AcceptEx: the accepted
        connection takes the handle the program made for it); the caller's reference moves
        in, the old description loses one."""
        entry = self.fds.get(fd)
        if entry is None:
            raise KernelError(errno.EBADF)
        old, entry[0] = entry[0], f
        self._set_slot(fd, f)
        old.decref()

    def get(self, fd: int) -> OpenFile:
        try:
            return self.fds[fd][0]
        except (KeyError, TypeError):
            raise KernelError(errno.EBADF) from None

    def cloexec(self, fd: int) -> bool:
        self.get(fd)
        return self.fds[fd][1]

    def set_cloexec(self, fd: int, value: bool) -> None:
        self.get(fd)
        self.fds[fd][1] = value

    def close(self, fd: int) -> None:
        entry = self.fds.pop(fd, None)
        if entry is None:
            raise KernelError(errno.EBADF)
        self._set_slot(fd, None)
        if self.file_locks is not None:
            self.file_locks.closed(self, entry[0])
        flush = getattr(entry[0], "flush", None)
        if flush is not None:               # f_op->flush: every close, not only the last
            flush(self)
        entry[0].decref()

    def dup(self, fd: int, lowest: int = 0) -> int:
        """dup / F_DUPFD: a new fd (close-on-exec clear) sharing fd's description."""
        f = self.get(fd)
        if not 0 <= lowest < self.limit:
            raise KernelError(errno.EINVAL)
        new = self.install(f, False, lowest)
        f.incref()
        return new

    def dup2(self, old: int, new: int) -> int:
        return self.dup3(old, new, False, allow_same=True)

    def dup3(self, old: int, new: int, cloexec: bool, allow_same: bool = False) -> int:
        """new refers to old's description, closing what new referred to; dup3 refuses
        old == new (EINVAL), dup2 returns it unchanged."""
        f = self.get(old)
        if old == new:
            if allow_same:
                return new
            raise KernelError(errno.EINVAL)
        if not 0 <= new < self.limit:
            raise KernelError(errno.EBADF)
        f.incref()
        if new in self.fds:
            self.close(new)
        self.fds[new] = [f, cloexec]
        self._set_slot(new, f)
        return new

    def fork(self) -> "FdTable":
        """The child's table: the same descriptions, one more reference each."""
        child = FdTable(self.limit)
        for fd, (f, cloexec) in self.fds.items():
            child.fds[fd] = [f.incref(), cloexec]
        return child

    def exec_close(self) -> None:
        """At exec: close the close-on-exec descriptors."""
        for fd in [fd for fd, (_, c) in self.fds.items() if c]:
            self.close(fd)

    def close_all(self) -> None:
        for fd in list(self.fds):
            self.close(fd)

    def items(self) -> list[tuple[int, OpenFile]]:
        return [(fd, f) for fd, (f, _) in sorted(self.fds.items())]
