"""Open file descriptions (host files, directories, pipes, devices, the host's stdio) and the
per-process descriptor table. Descriptions are shared by dup and fork and closed when the
last reference goes."""
from __future__ import annotations

import errno
import os
import select
import stat as S
from types import SimpleNamespace

from .abi_structs import DT_DIR, dtype_of_mode, pack_dirent64
from .errors import BrokenPipe, KernelError, WouldBlock

O_ACCMODE, O_RDONLY, O_WRONLY, O_RDWR = 3, 0, 1, 2
O_APPEND, O_NONBLOCK = 0o2000, 0o4000
SEEK_SET, SEEK_CUR, SEEK_END = 0, 1, 2
PIPE_BUF = 4096


def fake_stat(mode: int, rdev: int = 0, ino: int = 1, size: int = 0):
    return SimpleNamespace(st_dev=5, st_ino=ino, st_mode=mode, st_nlink=1, st_uid=0, st_gid=0,
                           st_rdev=rdev, st_size=size, st_blocks=0, st_atime_ns=0,
                           st_mtime_ns=0, st_ctime_ns=0)


class OpenFile:
    kind = "file"

    def __init__(self, status_flags: int = O_RDONLY, guest_path: str = ""):
        self.status_flags = status_flags
        self.guest_path = guest_path
        self.refs = 1

    # reference counting: dup and fork share the description
    def incref(self) -> "OpenFile":
        self.refs += 1
        return self

    def decref(self) -> None:
        self.refs -= 1
        if self.refs == 0:
            self.close()

    def close(self) -> None:
        pass

    def _check_read(self):
        if self.status_flags & O_ACCMODE == O_WRONLY:
            raise KernelError(errno.EBADF)

    def _check_write(self):
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

    def getdents64(self, bufsize: int, arch: str) -> bytes:
        raise KernelError(errno.ENOTDIR)

    def isatty(self) -> bool:
        return False

    def readable_now(self) -> bool:
        return True

    def writable_now(self) -> bool:
        return True


class HostFile(OpenFile):
    """A regular file inside the root, through a host descriptor."""

    def __init__(self, fd: int, status_flags: int, guest_path: str):
        super().__init__(status_flags, guest_path)
        self.fd = fd

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def _io(self, fn, *args):
        try:
            return fn(*args)
        except OSError as exc:
            raise KernelError(exc.errno or errno.EIO) from None

    def read(self, n):
        self._check_read()
        return self._io(os.read, self.fd, n)

    def write(self, data):
        self._check_write()
        if self.status_flags & O_APPEND:
            self._io(os.lseek, self.fd, 0, SEEK_END)
        return self._io(os.write, self.fd, data)

    def pread(self, n, off):
        self._check_read()
        return self._io(os.pread, self.fd, n, off)

    def pwrite(self, data, off):
        self._check_write()
        return self._io(os.pwrite, self.fd, data, off)

    def lseek(self, off, whence):
        if whence not in (SEEK_SET, SEEK_CUR, SEEK_END, 3, 4):
            raise KernelError(errno.EINVAL)
        return self._io(os.lseek, self.fd, off, whence)

    def fstat(self):
        return self._io(os.fstat, self.fd)

    def truncate(self, length):
        self._check_write()
        self._io(os.ftruncate, self.fd, length)


class Directory(OpenFile):
    """A directory read with getdents64: a snapshot of its entries taken at open."""

    kind = "dir"

    def __init__(self, host_path: str, guest_path: str, extra: dict | None = None):
        super().__init__(O_RDONLY, guest_path)
        self.host_path = host_path
        st = os.stat(host_path)
        entries = [(st.st_ino, DT_DIR, b"."), (st.st_ino, DT_DIR, b"..")]
        try:
            with os.scandir(host_path) as it:
                for e in sorted(it, key=lambda e: e.name):
                    try:
                        mode = e.stat(follow_symlinks=False).st_mode
                    except OSError:
                        mode = 0
                    entries.append((e.inode(), dtype_of_mode(mode), os.fsencode(e.name)))
        except OSError as exc:
            raise KernelError(exc.errno or errno.EIO) from None
        names = {e[2] for e in entries}
        for name, (ino, dtype) in (extra or {}).items():
            if name not in names:
                entries.append((ino, dtype, name))
        self.entries = entries
        self.pos = 0

    def fstat(self):
        try:
            return os.stat(self.host_path)
        except OSError as exc:
            raise KernelError(exc.errno or errno.EIO) from None

    def read(self, n):
        raise KernelError(errno.EISDIR)

    def write(self, data):
        raise KernelError(errno.EISDIR)

    def lseek(self, off, whence):
        if whence == SEEK_SET and 0 <= off <= len(self.entries):
            self.pos = off
            return off
        if whence == SEEK_CUR and 0 <= self.pos + off <= len(self.entries):
            self.pos += off
            return self.pos
        raise KernelError(errno.EINVAL)

    def getdents64(self, bufsize, arch):
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


class Device(OpenFile):
    kind = "chr"

    def __init__(self, name: str, rdev: int, status_flags: int):
        super().__init__(status_flags, f"/dev/{name}")
        self.rdev = rdev

    def fstat(self):
        return fake_stat(S.S_IFCHR | 0o666, self.rdev, ino=self.rdev)

    def lseek(self, off, whence):
        return 0


class DevNull(Device):
    def __init__(self, flags=O_RDWR):
        super().__init__("null", 0x103, flags)

    def read(self, n):
        return b""

    def write(self, data):
        return len(data)

    def pread(self, n, off):
        return b""

    def pwrite(self, data, off):
        return len(data)


class DevZero(DevNull):
    def __init__(self, flags=O_RDWR):
        Device.__init__(self, "zero", 0x105, flags)

    def read(self, n):
        return b"\0" * n

    def pread(self, n, off):
        return b"\0" * n


class DevRandom(DevNull):
    def __init__(self, flags=O_RDWR, name="urandom"):
        Device.__init__(self, name, 0x109, flags)

    def read(self, n):
        return os.urandom(min(n, 1 << 20))

    def pread(self, n, off):
        return self.read(n)


class HostStdio(OpenFile):
    """One of the host's descriptors (its stdin, stdout, stderr, or /dev/tty). Never closed:
    the guest closing it only drops its reference."""

    def __init__(self, host_fd: int, readable: bool = False, guest_path: str = "", owned=False):
        mode = O_RDWR if owned else (O_RDONLY if readable else O_WRONLY)
        super().__init__(mode, guest_path or f"/dev/fd/{host_fd}")
        self.host_fd = host_fd
        self.owned = owned
        try:
            st = os.fstat(host_fd)
            self.kind = "tty" if os.isatty(host_fd) else ("pipe" if S.S_ISFIFO(st.st_mode) else
                                                          "file" if S.S_ISREG(st.st_mode) else "chr")
        except OSError:
            self.kind = "chr"

    def close(self):
        if self.owned and self.host_fd >= 0:
            os.close(self.host_fd)
            self.host_fd = -1

    def readable_now(self) -> bool:
        try:
            return bool(select.select([self.host_fd], [], [], 0)[0])
        except (OSError, ValueError):
            return True

    def read(self, n):
        if not self.readable_now():
            raise WouldBlock()
        try:
            return os.read(self.host_fd, n)
        except BlockingIOError:
            raise WouldBlock() from None
        except OSError as exc:
            raise KernelError(exc.errno or errno.EIO) from None

    def write(self, data):
        view, total = memoryview(data), 0
        while total < len(data):
            try:
                total += os.write(self.host_fd, view[total:])
            except BlockingIOError:
                select.select([], [self.host_fd], [], 1.0)
            except BrokenPipeError:
                raise BrokenPipe() from None
            except OSError as exc:
                if total:
                    return total
                raise KernelError(exc.errno or errno.EIO) from None
        return total

    def pread(self, n, off):
        try:
            return os.pread(self.host_fd, n, off)
        except OSError as exc:
            raise KernelError(exc.errno or errno.ESPIPE) from None

    def lseek(self, off, whence):
        if whence not in (SEEK_SET, SEEK_CUR, SEEK_END):
            raise KernelError(errno.EINVAL)
        try:
            return os.lseek(self.host_fd, off, whence)
        except OSError as exc:
            raise KernelError(exc.errno or errno.ESPIPE) from None

    def fstat(self):
        try:
            return os.fstat(self.host_fd)
        except OSError:
            return fake_stat(S.S_IFCHR | 0o620, 0x8800)

    def isatty(self):
        return self.kind == "tty"


class Pipe:
    """The shared buffer between a pipe's two ends."""

    def __init__(self, capacity: int):
        self.buf = bytearray()
        self.capacity = capacity
        self.readers = 0
        self.writers = 0


class PipeEnd(OpenFile):
    kind = "pipe"

    def __init__(self, pipe: Pipe, flags: int):
        super().__init__(flags, "pipe:[%d]" % id(pipe))
        self.pipe = pipe
        if flags & O_ACCMODE == O_RDONLY:
            pipe.readers += 1
        else:
            pipe.writers += 1

    def close(self):
        if self.status_flags & O_ACCMODE == O_RDONLY:
            self.pipe.readers -= 1
        else:
            self.pipe.writers -= 1

    def fstat(self):
        return fake_stat(S.S_IFIFO | 0o600, ino=id(self.pipe) & 0xFFFFFFF, size=len(self.pipe.buf))

    def readable_now(self):
        return bool(self.pipe.buf) or self.pipe.writers == 0

    def writable_now(self):
        return self.pipe.readers == 0 or len(self.pipe.buf) < self.pipe.capacity

    def read(self, n):
        self._check_read()
        p = self.pipe
        if not p.buf:
            if p.writers == 0:
                return b""
            raise WouldBlock()
        data = bytes(p.buf[:n])
        del p.buf[:n]
        return data

    def write(self, data):
        self._check_write()
        p = self.pipe
        if p.readers == 0:
            raise BrokenPipe()
        room = p.capacity - len(p.buf)
        if room <= 0 or (len(data) <= PIPE_BUF and room < len(data)):
            raise WouldBlock()
        chunk = data[:room]
        p.buf += chunk
        return len(chunk)


def make_pipe(capacity: int = 65536) -> tuple[PipeEnd, PipeEnd]:
    pipe = Pipe(capacity)
    return PipeEnd(pipe, O_RDONLY), PipeEnd(pipe, O_WRONLY)


class FdTable:
    """A process's descriptors: fd -> (description, close-on-exec)."""

    def __init__(self, limit: int = 1024):
        self.limit = limit
        self.fds: dict[int, list] = {}

    def install(self, f: OpenFile, cloexec: bool = False, lowest: int = 0) -> int:
        fd = lowest
        while fd in self.fds:
            fd += 1
        if fd >= self.limit:
            raise KernelError(errno.EMFILE)
        self.fds[fd] = [f, cloexec]
        return fd

    def get(self, fd: int) -> OpenFile:
        try:
            return self.fds[fd][0]
        except KeyError:
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
        entry[0].decref()

    def dup(self, fd: int, lowest: int = 0) -> int:
        f = self.get(fd)
        if lowest < 0 or lowest >= self.limit:
            raise KernelError(errno.EINVAL)
        new = self.install(f, False, lowest)
        f.incref()
        return new

    def dup2(self, old: int, new: int) -> int:
        return self.dup3(old, new, False, allow_same=True)

    def dup3(self, old: int, new: int, cloexec: bool, allow_same: bool = False) -> int:
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
        return new

    def fork(self) -> "FdTable":
        child = FdTable(self.limit)
        for fd, (f, cloexec) in self.fds.items():
            child.fds[fd] = [f.incref(), cloexec]
        return child

    def exec_close(self) -> None:
        for fd in [fd for fd, (_, c) in self.fds.items() if c]:
            self.close(fd)

    def close_all(self) -> None:
        for fd in list(self.fds):
            self.close(fd)

    def items(self):
        return [(fd, f) for fd, (f, _) in sorted(self.fds.items())]
