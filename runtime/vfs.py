"""The guest's file system: every path is resolved component by component inside the
process's root, following symlinks ourselves (absolute targets restart at the root, `..`
never climbs above it), so no route leads to a host file outside the root. /dev and
/proc/self entries every guest needs are synthesised."""
from __future__ import annotations

import errno
import os
import stat as S
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from .abi_structs import DT_CHR, DT_DIR, DT_LNK, DT_REG
from .errors import KernelError
from .files import (O_ACCMODE, O_RDONLY, DevNull, DevRandom, DevZero, Directory, HostFile,
                    HostStdio, OpenFile, fake_stat)

MAX_SYMLINKS = 40
NAME_MAX, PATH_MAX = 255, 4096
O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_NONBLOCK = 0o100, 0o200, 0o1000, 0o2000, 0o4000
O_DIRECTORY, O_NOFOLLOW, O_PATH = 0o200000, 0o400000, 0o10000000
R_OK, W_OK, X_OK = 4, 2, 1

DEVICES = {"null": DevNull, "zero": DevZero, "urandom": DevRandom,
           "random": lambda flags: DevRandom(flags, "random")}
DEV_LINKS = {"stdin": "/proc/self/fd/0", "stdout": "/proc/self/fd/1",
             "stderr": "/proc/self/fd/2", "fd": "/proc/self/fd"}


@dataclass
class Resolved:
    host: str           # host path inside the root (meaningless for synthetic nodes)
    guest: str          # normalised guest path
    exists: bool
    synthetic: tuple | None = None   # ('dev', name) ('link', target) ('dir', names) ('file', bytes) ('fd', n)


class FileSystem:
    def __init__(self, root: Path):
        self.root = os.path.realpath(root)

    # --- synthetic nodes -------------------------------------------------------------------

    def synthetic(self, parts: list[str], ctx) -> tuple | None:
        if not parts:
            return None
        if parts[0] == "dev" and len(parts) == 2:
            name = parts[1]
            if name in DEVICES or name == "tty":
                return ("dev", name)
            if name in DEV_LINKS:
                return ("link", DEV_LINKS[name])
        if parts[0] == "dev" and len(parts) == 1 and not os.path.isdir(self._host(parts)):
            return ("dir", {n: DT_CHR for n in list(DEVICES) + ["tty"]})
        if parts[0] != "proc" or ctx is None:
            return None
        from .procfs import node
        return node(parts, ctx)

    # --- resolution ------------------------------------------------------------------------

    def _host(self, parts: list[str]) -> str:
        return os.path.join(self.root, *parts) if parts else self.root

    def resolve(self, cwd: str, path, follow: bool = True, ctx=None) -> Resolved:
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        if not path:
            raise KernelError(errno.ENOENT)
        if len(path) >= PATH_MAX:
            raise KernelError(errno.ENAMETOOLONG)
        start = path if path.startswith("/") else f"{cwd}/{path}"
        must_be_dir = path.endswith("/")
        todo = deque(c for c in start.split("/") if c not in ("", "."))
        stack: list[str] = []
        links = 0
        while todo:
            comp = todo.popleft()
            if comp == "..":
                if stack:
                    stack.pop()
                continue
            if len(comp.encode(errors="surrogateescape")) > NAME_MAX:
                raise KernelError(errno.ENAMETOOLONG)
            while todo and todo[0] == ".":
                todo.popleft()
            final = not todo
            parts = stack + [comp]
            syn = self.synthetic(parts, ctx)
            target = None
            if syn is not None:
                if syn[0] == "link":
                    target = syn[1]
                elif syn[0] == "fd" and (not final or follow) and syn[2].startswith("/"):
                    if not final:
                        target = syn[2]
                if target is None or (final and not follow):
                    if not final and syn[0] not in ("dir",):
                        raise KernelError(errno.ENOTDIR)
                    stack.append(comp)
                    if final:
                        return Resolved(self._host(stack), "/" + "/".join(stack), True, syn)
                    continue
            else:
                host = self._host(parts)
                try:
                    st = os.lstat(host)
                except FileNotFoundError:
                    if final:
                        return Resolved(host, "/" + "/".join(parts), False)
                    raise KernelError(errno.ENOENT) from None
                except OSError as exc:
                    raise KernelError(exc.errno or errno.EACCES) from None
                if S.S_ISLNK(st.st_mode) and (not final or follow or must_be_dir):
                    target = os.readlink(host)
                elif not final and not S.S_ISDIR(st.st_mode):
                    raise KernelError(errno.ENOTDIR)
                else:
                    stack.append(comp)
                    continue
            links += 1
            if links > MAX_SYMLINKS:
                raise KernelError(errno.ELOOP)
            if target.startswith("/"):
                stack = []
            todo.extendleft(reversed([c for c in target.split("/") if c not in ("", ".")]))
        host = self._host(stack)
        return Resolved(host, "/" + "/".join(stack), True, None)

    def _lstat_resolved(self, r: Resolved, ctx):
        if r.synthetic is not None:
            kind = r.synthetic[0]
            if kind == "dev":
                return DEVICES_STAT(r.synthetic[1])
            if kind in ("link", "fd"):
                return fake_stat(S.S_IFLNK | 0o777)
            if kind == "dir":
                return fake_stat(S.S_IFDIR | 0o555, ino=hash(r.guest) & 0xFFFFFF)
            return fake_stat(S.S_IFREG | 0o444, size=len(r.synthetic[1]))
        if not r.exists:
            raise KernelError(errno.ENOENT)
        try:
            return os.lstat(r.host)
        except OSError as exc:
            raise KernelError(exc.errno or errno.ENOENT) from None

    # --- operations ------------------------------------------------------------------------

    def stat(self, cwd: str, path, follow: bool = True, ctx=None):
        r = self.resolve(cwd, path, follow, ctx)
        if r.synthetic is not None and r.synthetic[0] == "fd" and follow:
            return ctx.fds.get(r.synthetic[1]).fstat()
        return self._lstat_resolved(r, ctx)

    def lstat(self, cwd: str, path, ctx=None):
        return self.stat(cwd, path, False, ctx)

    def open(self, cwd: str, path, flags: int, mode: int, ctx=None) -> OpenFile:
        excl_create = flags & O_CREAT and flags & O_EXCL
        follow = not (flags & O_NOFOLLOW or excl_create)
        r = self.resolve(cwd, path, follow, ctx)
        if r.synthetic is not None:
            return self._open_synthetic(r, flags, ctx)
        access = flags & O_ACCMODE
        if r.exists:
            if excl_create:
                raise KernelError(errno.EEXIST)
            st = os.lstat(r.host)
            if S.S_ISLNK(st.st_mode):
                raise KernelError(errno.ELOOP)
            if S.S_ISDIR(st.st_mode):
                if access != O_RDONLY or flags & O_CREAT:
                    raise KernelError(errno.EISDIR)
                return Directory(r.host, r.guest)
            if flags & O_DIRECTORY:
                raise KernelError(errno.ENOTDIR)
            if not S.S_ISREG(st.st_mode):
                raise KernelError(errno.EACCES)  # host devices, fifos, sockets stay out of reach
        elif not flags & O_CREAT:
            raise KernelError(errno.ENOENT)
        host_flags = access | (flags & (O_TRUNC | O_APPEND)) | os.O_NOFOLLOW | os.O_CLOEXEC
        if flags & O_CREAT:
            host_flags |= os.O_CREAT | (os.O_EXCL if flags & O_EXCL else 0)
        try:
            fd = os.open(r.host, host_flags, mode & 0o7777)
        except OSError as exc:
            raise KernelError(exc.errno or errno.EACCES) from None
        return HostFile(fd, flags & (O_ACCMODE | O_APPEND | O_NONBLOCK), r.guest)

    def _open_synthetic(self, r: Resolved, flags: int, ctx) -> OpenFile:
        kind = r.synthetic[0]
        if kind == "dev":
            name = r.synthetic[1]
            if name == "tty":
                try:
                    fd = os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY | os.O_CLOEXEC)
                except OSError:
                    raise KernelError(errno.ENXIO) from None
                return HostStdio(fd, True, "/dev/tty", owned=True)
            return DEVICES[name](flags & O_ACCMODE)
        if kind == "fd":
            return ctx.fds.get(r.synthetic[1]).incref()
        if kind == "dir":
            d = Directory.__new__(Directory)
            OpenFile.__init__(d, O_RDONLY, r.guest)
            d.host_path = None
            d.entries = [(1, DT_DIR, b"."), (1, DT_DIR, b"..")] + \
                [(i + 2, t, n.encode()) for i, (n, t) in enumerate(sorted(r.synthetic[1].items()))]
            d.pos = 0
            d.fstat = lambda: fake_stat(S.S_IFDIR | 0o555)
            return d
        if kind == "file":
            from .files import make_pipe
            data = r.synthetic[1]
            reader, writer = make_pipe(max(len(data), 1))
            writer.write(data)
            writer.decref()
            reader.guest_path = r.guest
            return reader
        raise KernelError(errno.ENOENT)

    def access(self, cwd: str, path, mode: int, ctx=None) -> None:
        st = self.stat(cwd, path, True, ctx)
        if mode & X_OK and not S.S_ISDIR(st.st_mode) and not st.st_mode & 0o111:
            raise KernelError(errno.EACCES)

    def readlink(self, cwd: str, path, ctx=None) -> str:
        r = self.resolve(cwd, path, False, ctx)
        if r.synthetic is not None:
            if r.synthetic[0] == "link":
                return r.synthetic[1]
            if r.synthetic[0] == "fd":
                return r.synthetic[2]
            raise KernelError(errno.EINVAL)
        if not r.exists:
            raise KernelError(errno.ENOENT)
        try:
            return os.readlink(r.host)
        except OSError as exc:
            raise KernelError(errno.EINVAL if exc.errno == errno.EINVAL else exc.errno) from None

    def _parent_ok(self, r: Resolved) -> None:
        if r.synthetic is not None or r.guest.startswith(("/proc/", "/dev/")) and not os.path.isdir(
                os.path.dirname(r.host)):
            raise KernelError(errno.EACCES)

    def _host_call(self, fn, *args, **kw):
        try:
            return fn(*args, **kw)
        except OSError as exc:
            raise KernelError(exc.errno or errno.EIO) from None

    def mkdir(self, cwd: str, path, mode: int, ctx=None) -> None:
        r = self.resolve(cwd, path, False, ctx)
        if r.exists:
            raise KernelError(errno.EEXIST)
        self._parent_ok(r)
        self._host_call(os.mkdir, r.host, mode & 0o7777)

    def unlink(self, cwd: str, path, ctx=None) -> None:
        r = self.resolve(cwd, path, False, ctx)
        if not r.exists:
            raise KernelError(errno.ENOENT)
        if r.synthetic is not None:
            raise KernelError(errno.EACCES)
        if S.S_ISDIR(os.lstat(r.host).st_mode):
            raise KernelError(errno.EISDIR)
        self._host_call(os.unlink, r.host)

    def rmdir(self, cwd: str, path, ctx=None) -> None:
        r = self.resolve(cwd, path, False, ctx)
        if not r.exists:
            raise KernelError(errno.ENOENT)
        if r.guest == "/" or r.synthetic is not None:
            raise KernelError(errno.EBUSY)
        if not S.S_ISDIR(os.lstat(r.host).st_mode):
            raise KernelError(errno.ENOTDIR)
        self._host_call(os.rmdir, r.host)

    def rename(self, cwd: str, old, cwd2: str, new, ctx=None) -> None:
        a = self.resolve(cwd, old, False, ctx)
        b = self.resolve(cwd2, new, False, ctx)
        if not a.exists:
            raise KernelError(errno.ENOENT)
        if a.synthetic is not None or b.synthetic is not None or a.guest == "/":
            raise KernelError(errno.EBUSY)
        self._host_call(os.rename, a.host, b.host)

    def link(self, cwd: str, old, cwd2: str, new, ctx=None) -> None:
        a = self.resolve(cwd, old, False, ctx)
        b = self.resolve(cwd2, new, False, ctx)
        if not a.exists:
            raise KernelError(errno.ENOENT)
        if b.exists:
            raise KernelError(errno.EEXIST)
        if a.synthetic is not None or b.synthetic is not None:
            raise KernelError(errno.EXDEV)
        self._host_call(os.link, a.host, b.host, follow_symlinks=False)

    def symlink(self, target: str, cwd: str, linkpath, ctx=None) -> None:
        r = self.resolve(cwd, linkpath, False, ctx)
        if r.exists:
            raise KernelError(errno.EEXIST)
        self._parent_ok(r)
        # The target is stored verbatim: our resolver interprets it inside the root.
        self._host_call(os.symlink, os.fsdecode(target), r.host)

    def chdir_target(self, cwd: str, path, ctx=None) -> str:
        r = self.resolve(cwd, path, True, ctx)
        st = self._lstat_resolved(r, ctx)
        if not S.S_ISDIR(st.st_mode):
            raise KernelError(errno.ENOTDIR)
        return r.guest

    def truncate(self, cwd: str, path, length: int, ctx=None) -> None:
        r = self.resolve(cwd, path, True, ctx)
        if not r.exists:
            raise KernelError(errno.ENOENT)
        if r.synthetic is not None or not S.S_ISREG(os.lstat(r.host).st_mode):
            raise KernelError(errno.EINVAL)
        self._host_call(os.truncate, r.host, length)


def DEVICES_STAT(name: str):
    rdev = {"null": 0x103, "zero": 0x105, "random": 0x108, "urandom": 0x109, "tty": 0x500}[name]
    return fake_stat(S.S_IFCHR | 0o666, rdev, ino=rdev)
