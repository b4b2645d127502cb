"""What the C trap path needs to answer stat, lstat, newfstatat and statx of a path without
walking it again (csrc/lookups.c), as Linux's dcache lets a lookup skip the walk.

The walk (vfs.py) stays the only judge of where a path leads. After a walk that ended on a
plain host file, `remember` records the guest path with the caller's lookup context and the
place the walk ended: a directory held open by descriptor and a name in it. C stats that name
in that directory (never following a host symlink) when the same context asks for the same
path again.

A lookup context is everything besides the path that decides a walk: the root (chroot), the
working directory (the directory itself, not only its name) and the credentials (search
permission). Equal contexts get the same number, so a forked shell shares what its parent
looked up; every thread keeps its number in a word C reads (`words_of`).

Everything that can change where a walk leads invalidates every entry at once: a name
removed, renamed or made a symlink (vfs.py's _names_changed), a mount or unmount, any change
of attributes (chmod, chown: search permission). Creating a name needs nothing: a lookup
that failed was never recorded."""
from __future__ import annotations

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
        self._dir_fds: list[int] = []

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
        self._lib.sv_lookups_invalidate(self.c)
        for fd in self._dir_fds:
            os.close(fd)
        self._dirs.clear()
        self._dir_fds.clear()

    def remember(self, context: int, path: str, follow: bool, r) -> None:
        """Record the walk of path (as the guest passed it, relative to the cwd or absolute)
        that gave the Resolved r, if C can answer it again: a host file the walk lstat'ed."""
        if self.c is None or not context or r.synthetic is not None or not r.exists or \
                r.st is None or r.in_synthetic or r.dir_expected:
            return
        raw = os.fsencode(path)
        if not raw or len(raw) >= 256 or (follow and S.S_ISLNK(r.st.st_mode)):
            return
        parent, name = os.path.split(r.host)
        if not name:
            return
        index = self._dir_index(parent)
        if index is None:
            return
        try:   # the directory held is the one the walk went through
            st = os.stat(name, dir_fd=self._dir_fds[index], follow_symlinks=False)
        except OSError:
            return
        if (st.st_dev, st.st_ino) != (r.st.st_dev, r.st.st_ino):
            return
        self._lib.sv_lookups_add(self.c, context, int(follow), raw, len(raw), index,
                                 os.fsencode(name))

    def _dir_index(self, host: str) -> int | None:
        index = self._dirs.get(host)
        if index is not None:
            return index
        if len(self._dir_fds) >= 64:        # SV_LOOKUP_DIRS: start over
            self.invalidate()
        encoded = os.fsencode(host)
        if len(encoded) >= 4096:
            return None
        try:
            fd = os.open(host, os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC)
        except OSError:
            return None
        st = os.fstat(fd)
        index = len(self._dir_fds)
        self._dir_fds.append(fd)
        self._dirs[host] = index
        self._lib.sv_lookups_set_dir(self.c, index, fd, st.st_dev, st.st_ino, encoded)
        return index


def words_of(context: int) -> array:
    """A thread's lookup-context word, where C reads it."""
    return array("q", [context])
