"""AF_UNIX names: paths bound as socket inodes inside the guest root (never a host socket:
the inode only names the guest socket bound to it) and the machine's abstract namespace."""
from __future__ import annotations

import errno
import itertools
import stat as S

from ..errors import KernelError


class UnixNamespace:
    def __init__(self, fs):
        self.fs = fs
        self.abstract: dict[bytes, object] = {}
        self.inodes: dict[tuple, object] = {}      # (st_dev, st_ino) -> bound socket
        self._autobind = itertools.count(1)

    def bind(self, sock, path: bytes, proc, mode: int = 0o755) -> None:
        """mode: the permissions a path's socket inode gets (the caller's umask applied)."""
        if sock.local is not None:
            raise KernelError(errno.EINVAL)
        if not path:
            self.autobind(sock)
            return
        if path[:1] == b"\0":
            if path in self.abstract:
                raise KernelError(errno.EADDRINUSE)
            self.abstract[path] = sock
        else:
            st = self.fs.mksock(proc.cwd, path.decode("utf-8", "surrogateescape"), mode, proc)
            sock.inode = (st.st_dev, st.st_ino)
            self.inodes[sock.inode] = sock
        sock.local = path

    def autobind(self, sock, dest=None) -> None:
        """An unbound socket that needs a name gets an abstract one of five hex digits."""
        while True:
            name = b"\0%05x" % (next(self._autobind) & 0xFFFFF)
            if name not in self.abstract:
                break
        self.abstract[name] = sock
        sock.local = name

    def unbind(self, sock) -> None:
        path = sock.local
        if path is None:
            return
        if path[:1] == b"\0":
            if self.abstract.get(path) is sock:
                del self.abstract[path]
        elif self.inodes.get(getattr(sock, "inode", None)) is sock:
            del self.inodes[sock.inode]

    def lookup(self, path: bytes, proc):
        """The socket bound to a name; a path that is no socket bound here: ECONNREFUSED."""
        if not path:
            raise KernelError(errno.EINVAL)
        if path[:1] == b"\0":
            target = self.abstract.get(path)
        else:
            cwd = proc.cwd if proc is not None else "/"
            st = self.fs.stat(cwd, path.decode("utf-8", "surrogateescape"), True, proc)
            if not S.S_ISSOCK(st.st_mode):
                raise KernelError(errno.ECONNREFUSED)
            # unix_find_bsd: connecting or sending needs write permission on the socket's
            # file (daemons guard their control sockets with its mode)
            from .. import perm
            perm.check(perm.cred_of(proc), self.fs.iattrs.apply(st), perm.MAY_WRITE)
            target = self.inodes.get((st.st_dev, st.st_ino))
        if target is None or target.closed:
            raise KernelError(errno.ECONNREFUSED)
        return target

    def find_listener(self, sock, path, proc):
        target = self.lookup(path, proc)
        if target.type != sock.type:
            raise KernelError(errno.EPROTOTYPE)
        if getattr(target, "state", None) != "listening":
            raise KernelError(errno.ECONNREFUSED)
        return target

    def find_receiver(self, sock, path, proc):
        target = self.lookup(path, proc)
        if target.type != sock.type:
            raise KernelError(errno.EPROTOTYPE)
        return target

    def local_for(self, listener, dest):
        return listener.local
