"""Share access, as NT's I/O manager checks it (IoCheckShareAccess): every open of a file for
reading, writing or deleting says which of those it lets later opens do, and an open that
asks for what an earlier one refuses, or refuses what an earlier one does, fails with
STATUS_SHARING_VIOLATION. Deleting or renaming a file by name is an open for DELETE, so a
file someone holds without FILE_SHARE_DELETE stays where it is (a program's "file in use").

Only regular files opened through NtCreateFile/NtOpenFile take part; Linux processes on the
same machine, and sysvec's own reads of images, never hold a share."""
from __future__ import annotations

import weakref

from .status import STATUS_SHARING_VIOLATION, NtError

FILE_SHARE_READ, FILE_SHARE_WRITE, FILE_SHARE_DELETE = 0x1, 0x2, 0x4
# The access rights an open asks for (their one home; nt/files.py and the Win32 layer import
# them from here)
FILE_READ_DATA, FILE_WRITE_DATA, FILE_APPEND_DATA, FILE_EXECUTE = 0x1, 0x2, 0x4, 0x20
DELETE = 0x10000
MAXIMUM_ALLOWED = 0x02000000     # an administrator's opens are granted everything
GENERIC_READ, GENERIC_WRITE, GENERIC_EXECUTE, GENERIC_ALL = \
    0x80000000, 0x40000000, 0x20000000, 0x10000000

_READS = FILE_READ_DATA | FILE_EXECUTE | GENERIC_READ | GENERIC_EXECUTE | GENERIC_ALL | \
    MAXIMUM_ALLOWED
_WRITES = FILE_WRITE_DATA | FILE_APPEND_DATA | GENERIC_WRITE | GENERIC_ALL | MAXIMUM_ALLOWED
_DELETES = DELETE | GENERIC_ALL | MAXIMUM_ALLOWED


def uses(access: int) -> int:
    """What an access mask does to the data, in FILE_SHARE_* bits: read, write, delete."""
    return (FILE_SHARE_READ if access & _READS else 0) | \
        (FILE_SHARE_WRITE if access & _WRITES else 0) | \
        (FILE_SHARE_DELETE if access & _DELETES else 0)


class ShareTable:
    """The machine's opens that hold a share, by file (host st_dev, st_ino)."""

    def __init__(self):
        self._opens: dict[tuple, weakref.WeakSet] = {}

    def _holders(self, key: tuple):
        """(uses, shares) of each open of the file still open."""
        opens = self._opens.get(key)
        if not opens:
            return []
        live = [f for f in opens if not f.closed]
        if not live:
            del self._opens[key]
        return [f.nt_share for f in live]

    def check(self, key: tuple, access: int, share: int) -> None:
        """Raise STATUS_SHARING_VIOLATION unless an open with this access and share mode
        agrees with every open of the file there is."""
        wanted = uses(access)
        if not wanted:      # attributes, synchronize: such opens share with everything
            return
        for used, shared in self._holders(key):
            if wanted & ~shared or used & ~share:
                raise NtError(STATUS_SHARING_VIOLATION)

    def add(self, key: tuple, f, access: int, share: int) -> None:
        """f (an open description) now holds its share of the file."""
        wanted = uses(access)
        if wanted:
            f.nt_share = (wanted, share & (FILE_SHARE_READ | FILE_SHARE_WRITE |
                                           FILE_SHARE_DELETE))
            self._opens.setdefault(key, weakref.WeakSet()).add(f)

    def check_delete(self, key: tuple) -> None:
        """Deleting or renaming the file by name: an open for DELETE that shares everything."""
        self.check(key, DELETE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)


def file_key(st) -> tuple | None:
    """The key a stat result's file is held under: regular files only."""
    return (st.st_dev, st.st_ino) if st.st_mode & 0o170000 == 0o100000 else None
