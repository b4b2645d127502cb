"""Names that follow a rename: a process's working directory and root, and the names its
open files are known by (getcwd, /proc/PID/fd, relative lookups, fchdir), move with the
directory or file renamed, as Linux's dentries do. sysvec keeps these as guest paths (a
Linux cwd as a vfs.DirRef, which also holds the directory's inode), so a rename inside the
machine rewrites the ones under the old name (vfs.py calls this after each rename it
makes)."""
from __future__ import annotations

from .vfs import DirRef


def _moved(path: str, pairs: list[tuple[str, str]]) -> str | None:
    for old, new in pairs:
        if path == old or path.startswith(old + "/"):
            moved = new + path[len(old):]
            # a directory held by reference (vfs.DirRef) stays the same directory
            return path.moved(moved) if isinstance(path, DirRef) else moved
    return None


def follow_renames(kernel, pairs: list[tuple[str, str]]) -> None:
    """pairs: (old, new) guest paths renamed at once (two for RENAME_EXCHANGE)."""
    seen = set()
    for proc in list(kernel.procs.values()):
        if not proc.alive:
            continue
        cwd = _moved(proc.cwd, pairs)
        if cwd is not None:
            proc.cwd = cwd
        root = _moved(proc.root, pairs) if proc.root != "/" else None
        if root is not None:
            proc.root = root
        fds = proc.fds
        if fds is None or id(fds) in seen:
            continue
        seen.add(id(fds))
        for entry in list(fds.fds.values()):
            f = entry[0] if entry else None
            name = getattr(f, "guest_path", None)
            if isinstance(name, str) and name.startswith("/") and id(f) not in seen:
                seen.add(id(f))
                moved = _moved(name, pairs)
                if moved is not None:
                    f.guest_path = moved
