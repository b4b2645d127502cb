"""What the C trap path needs to answer stat, lstat, newfstatat and statx of a path without
walking it again (csrc/lookups.c), as Linux's dcache lets a lookup skip the walk.

The walk (vfs.py) stays the only judge of where a path leads. After a walk that met no
synthetic node (a /proc/self/fd link leads somewhere only for one process, and only while
the descriptor is open) and ended on a plain host file, `remember` records the guest path
with the caller's lookup context and the place the walk ended: a host directory and a name
in it, held open. C stats the name there (never following it) when the same context asks
for the same path again within a second, once it has seen (a tick of the coarse clock ago
at most) that the directory's host path, followed without any host symlink, still reaches
the directory held.

A lookup context is everything besides the path that decides a walk: the root (chroot), the
working directory (the directory itself, not only its name) and the credentials (search
permission). Equal contexts get the same number, so a forked shell shares what its parent
looked up; every thread keeps its number in a word C reads (`words_of`).

Everything that can change where a walk leads invalidates every entry at once: a name
removed, renamed or made a symlink (vfs.py's _names_changed), a mount or unmount, any change
of attributes (chmod, chown: search permission). Creating a name needs nothing: a lookup
that failed was never recorded."""
from __future__ import annotations

import errno
import os
import stat as S
from array import array

from . import perm

CONTEXTS_MAX = 4096     # contexts numbered before the numbering starts over


class LookupCache:
    def __init__(self):
        self.c = None               # sv_lookups *, once an engine attached (attach)
        self._lib = None
        self._contexts: dict = {}   # (root, cwd, their inodes, creds) -> number
        self._next_context = 1
        self._dirs: dict[str, int] = {}     # host directory -> index in the C table
        self._dir_fds: list[int] = []       # their descriptors (O_PATH), held for C

    def attach(self, ffi, lib) -> None:
        """Give the cache its C side (the first engine of the machine does)."""
        if self.c is None:
            self.c = ffi.new("sv_lookups *")
            self._lib = lib

    def close(self) -> None:
        self.invalidate()

    # --- contexts ------------------------------------------------------------------------

    def context(self, root, cwd, cred) -> int:
        """The number of the lookup context (root, cwd, cred)."""
        key = (str(root), getattr(root, "ident", None), str(cwd), getattr(cwd, "ident", None),
               None if perm.unchecked(cred) else cred)
        number = self._contexts.get(key)
        if number is None:
            if len(self._contexts) >= CONTEXTS_MAX:
                self._contexts.clear()      # numbers are never reused: old entries go stale
            number = self._contexts[key] = self._next_context
            self._next_context += 1
        return number

    # --- entries -------------------------------------------------------------------------

    def invalidate(self) -> None:
        """Names or attributes changed: no entry made before may be used."""
        if self.c is None:
            return
        self._lib.sv_lookups_invalidate(self.c)   # (C uses no descriptor of a stale entry)
        for fd in self._dir_fds:
            os.close(fd)
        self._dirs.clear()
        self._dir_fds.clear()

    def remember(self, context: int, path: str, follow: bool, r) -> None:
        """Record the walk of path (as the guest passed it, relative to the cwd or absolute)
        that gave the Resolved r, if C can answer it again: a host file the walk lstat'ed,
        reached without a synthetic node on the way."""
        if self.c is None or not context or r.synthetic is not None or not r.exists or \
                r.st is None or r.in_synthetic or r.dir_expected or r.via_synthetic:
            return
        raw = os.fsencode(path)
        if not raw or len(raw) >= 256 or (follow and S.S_ISLNK(r.st.st_mode)):
            return
        parent, name = os.path.split(r.host)
        if not name:
            return
        index = self._dir_index(parent, name, r.st)
        if index is not None:
            self._lib.sv_lookups_add(self.c, context, int(follow), raw, len(raw), index,
                                     os.fsencode(name))

    def _dir_index(self, host: str, name: str, st) -> int | None:
        """The C table's index of the directory host, which must hold name as the file st
        (the walk's) and be reached without a host symlink, as C will reach it."""
        index = self._dirs.get(host)
        if index is not None:
            return index
        if len(self._dirs) >= 64:           # SV_LOOKUP_DIRS: start over
            self.invalidate()
        encoded = os.fsencode(host)
        if len(encoded) >= 4096:
            return None
        try:
            fd = open_no_symlinks(host)
        except OSError:
            return None
        try:
            dir_st = os.fstat(fd)
            found = os.stat(name, dir_fd=fd, follow_symlinks=False)
        except OSError:
            os.close(fd)
            return None
        if (found.st_dev, found.st_ino) != (st.st_dev, st.st_ino):
            os.close(fd)
            return None
        index = len(self._dirs)
        self._dirs[host] = index
        self._dir_fds.append(fd)
        self._lib.sv_lookups_set_dir(self.c, index, fd, dir_st.st_dev, dir_st.st_ino, encoded)
        return index


def words_of(context: int) -> array:
    """A thread's lookup-context word, where C reads it."""
    return array("q", [context])


_OPENAT2 = 437                   # the system call number (x86-64 and i386 alike)
_RESOLVE_NO_SYMLINKS = 0x04


def open_no_symlinks(path: str) -> int:
    """An O_PATH descriptor of the directory path, refused (ELOOP, ENOTDIR) if any component
    of it is a symbolic link: openat2's RESOLVE_NO_SYMLINKS, as csrc/lookups.c opens it; where
    a kernel or a seccomp filter refuses openat2, a walk a component at a time."""
    global _openat2_refused
    if not _openat2_refused:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        how = (ctypes.c_uint64 * 3)(os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC, 0,
                                    _RESOLVE_NO_SYMLINKS)
        fd = libc.syscall(_OPENAT2, -100, os.fsencode(path), ctypes.byref(how),
                          ctypes.sizeof(how))
        if fd >= 0:
            return fd
        err = ctypes.get_errno()
        if err not in (errno.ENOSYS, errno.EPERM):
            raise OSError(err, os.strerror(err), path)
        _openat2_refused = True
    return _walk_no_symlinks(path)


_openat2_refused = False


def _walk_no_symlinks(path: str) -> int:
    flags = os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC
    fd = os.open("/", flags)
    try:
        for name in [n for n in path.split("/") if n]:
            step = os.open(name, flags | os.O_NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = step
    except OSError:
        os.close(fd)
        raise
    return fd
