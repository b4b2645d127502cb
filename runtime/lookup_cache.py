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
looked up; every thread keeps its number in a word C reads (PCB.lookup_words).

Everything that can change where a walk leads invalidates every entry at once: a name
removed, renamed or made a symlink (vfs.py's _names_changed), a mount or unmount, any change
of attributes (chmod, chown: search permission). Creating a name needs nothing: a lookup
that failed was never recorded."""
from __future__ import annotations

import os
import stat as S

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
        if not raw or len(raw) >= self._lib.SV_LOOKUP_PATH or \
                (follow and S.S_ISLNK(r.st.st_mode)):
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
        if len(self._dirs) >= self._lib.SV_LOOKUP_DIRS:     # the C table is full: start over
            self.invalidate()
        encoded = os.fsencode(host)
        fd = self._lib.sv_open_dir_no_symlinks(encoded)   # as C opens it again
        if fd < 0:
            return None
        try:
            dir_st = os.fstat(fd)
            found = os.stat(name, dir_fd=fd, follow_symlinks=False)
        except OSError:
            os.close(fd)
            return None
        index = len(self._dirs)
        if (found.st_dev, found.st_ino) != (st.st_dev, st.st_ino) or \
                self._lib.sv_lookups_set_dir(self.c, index, fd, dir_st.st_dev, dir_st.st_ino,
                                             encoded) != 0:    # (a path too long for C)
            os.close(fd)
            return None
        self._dirs[host] = index
        self._dir_fds.append(fd)
        return index
