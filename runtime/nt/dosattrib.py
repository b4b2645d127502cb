"""The DOS attribute word NTFS keeps with every file: FILE_ATTRIBUTE_HIDDEN, SYSTEM, ARCHIVE,
TEMPORARY, OFFLINE and NOT_CONTENT_INDEXED (read-only is the owner's write bit, directory and
reparse point the file's kind: nt/directory.py). The host file carries it as its user
extended attribute user.DOSATTRIB, the hex string ("0x22") Samba and Wine keep there, so it
lasts across processes and runs and travels with cp -a, rsync -X and tar --xattrs. An inode
the host cannot give one (a symbolic link, a FIFO, a file system without user attributes)
has it in the machine's inode attribute table (runtime/iattr.py; --attrs FILE keeps it).

A file nobody set attributes on reads as Windows shows a file it made: ARCHIVE (a directory:
none). A program clears ARCHIVE (a backup tool, attrib -a); the file's next change sets it
again, as NTFS does on a write, a truncation or a rename. A change is seen whatever made it
(WriteFile, a mapped view, the CRT, a Linux program of the machine): a cleared word notes
the modification time and size it was cleared at (user.sysvec.unarchived), and a file whose
data changed since reads ARCHIVE again."""
from __future__ import annotations

import errno
import os
import stat as S

from ..errors import KernelError
from ..mounts import check_readonly

FILE_ATTRIBUTE_READONLY, FILE_ATTRIBUTE_HIDDEN, FILE_ATTRIBUTE_SYSTEM = 0x1, 0x2, 0x4
FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_ARCHIVE, FILE_ATTRIBUTE_NORMAL = 0x10, 0x20, 0x80
FILE_ATTRIBUTE_TEMPORARY, FILE_ATTRIBUTE_OFFLINE = 0x100, 0x1000
FILE_ATTRIBUTE_NOT_CONTENT_INDEXED = 0x2000
# The bits the word keeps: what SetFileAttributes and NtCreateFile may set, but read-only
# (the mode's) and normal (no bit: what a word without any reads as).
KEPT = (FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM | FILE_ATTRIBUTE_ARCHIVE |
        FILE_ATTRIBUTE_TEMPORARY | FILE_ATTRIBUTE_OFFLINE | FILE_ATTRIBUTE_NOT_CONTENT_INDEXED)
XATTR = "user.DOSATTRIB"
CLEARED_AT = "user.sysvec.unarchived"     # "WORD MTIME_NS SIZE" of a word without ARCHIVE
# The host's answers that mean "no user attribute on this inode": the table keeps it then.
UNSUPPORTED = (errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM, errno.ELOOP, errno.ENXIO,
               errno.ENOSPC, errno.E2BIG)


def untouched(st, directory: bool) -> int:
    """The word of a file nobody set attributes on: NTFS gives every file it makes ARCHIVE
    (a file link too); a directory, pipe or device has none."""
    kind = S.S_IFMT(st.st_mode)
    return FILE_ATTRIBUTE_ARCHIVE if not directory and kind in (S.S_IFREG, S.S_IFLNK) else 0


def _parse(raw: bytes | None) -> int | None:
    """The word of a user.DOSATTRIB value: its leading "0x..." hex string (Samba's newer
    values follow it with a binary blob), None when there is none."""
    if not raw:
        return None
    text = raw.split(b"\0", 1)[0].strip()
    if not text.lower().startswith(b"0x"):
        return None
    try:
        return int(text[2:], 16) & KEPT
    except ValueError:
        return None


def _cleared_at(raw: bytes | None, word: int) -> tuple[int, int] | None:
    """(mtime_ns, size) the archive bit of word was cleared at, if the note is word's."""
    try:
        noted, mtime_ns, size = raw.decode("ascii").split()
        return (int(mtime_ns), int(size)) if int(noted, 16) == word else None
    except (AttributeError, UnicodeDecodeError, ValueError):
        return None


def _names(host) -> list[str]:
    """The user attributes a host file has (a descriptor, or a path never followed): most
    have none, which listing says faster than a failed read."""
    try:
        if isinstance(host, int):
            return os.listxattr(host)
        return os.listxattr(host, follow_symlinks=False)
    except OSError:
        return []


def _get(host, name: str) -> bytes | None:
    try:
        if isinstance(host, int):
            return os.getxattr(host, name)
        return os.getxattr(host, name, follow_symlinks=False)
    except OSError:
        return None


def _kept(st, directory: bool, word: int, stamp: tuple[int, int] | None) -> int:
    """The word as it reads now: ARCHIVE again for a file whose data changed since a
    program cleared it."""
    if not word & FILE_ATTRIBUTE_ARCHIVE and not directory and stamp is not None and \
            S.S_ISREG(st.st_mode) and stamp != (st.st_mtime_ns, st.st_size):
        return word | FILE_ATTRIBUTE_ARCHIVE
    return word


def read_word(fs, st, host, directory: bool | None = None) -> int:
    """The kept bits of the file whose lstat (or fstat) is st; host: its host descriptor or
    path (None for a file of no host inode). directory: whether it counts as one (a link
    to a directory does), else st says."""
    if directory is None:
        directory = S.S_ISDIR(st.st_mode)
    entry = fs.iattrs.dos_word(st)
    if entry is not None:
        return _kept(st, directory, *entry)
    if host is None or not (S.S_ISREG(st.st_mode) or S.S_ISDIR(st.st_mode)):
        return untouched(st, directory)
    names = _names(host)
    word = _parse(_get(host, XATTR)) if XATTR in names else None
    if word is None:
        return untouched(st, directory)
    stamp = None
    if not word & FILE_ATTRIBUTE_ARCHIVE and S.S_ISREG(st.st_mode) and CLEARED_AT in names:
        stamp = _cleared_at(_get(host, CLEARED_AT), word)
    return _kept(st, directory, word, stamp)


def _host_call(call, host, *args) -> None:
    if isinstance(host, int):
        call(host, *args)
    else:
        call(host, *args, follow_symlinks=False)


def write_word(fs, st, host, word: int, directory: bool | None = None) -> None:
    """Keep word (its KEPT bits) for the file st is the current stat of. The untouched
    file's word is no word at all; a regular file's word without ARCHIVE notes what it was
    cleared at. host: a host descriptor or path (written through it: the caller reached
    it safely), None for a file the table keeps it for."""
    if directory is None:
        directory = S.S_ISDIR(st.st_mode)
    word &= KEPT
    plain = word == untouched(st, directory)
    stamp = (st.st_mtime_ns, st.st_size) if S.S_ISREG(st.st_mode) and \
        not word & FILE_ATTRIBUTE_ARCHIVE else None
    if host is not None and (S.S_ISREG(st.st_mode) or S.S_ISDIR(st.st_mode)):
        try:
            if plain:
                for name in (XATTR, CLEARED_AT):
                    try:
                        _host_call(os.removexattr, host, name)
                    except OSError as exc:
                        if exc.errno != errno.ENODATA:
                            raise
            else:
                _host_call(os.setxattr, host, XATTR, b"0x%x\0" % word)
                if stamp is not None:
                    _host_call(os.setxattr, host, CLEARED_AT,
                               b"0x%x %d %d" % (word, stamp[0], stamp[1]))
                else:
                    try:
                        _host_call(os.removexattr, host, CLEARED_AT)
                    except OSError as exc:
                        if exc.errno != errno.ENODATA:
                            raise
            fs.iattrs.set_dos_word(st, None)
            return
        except OSError as exc:
            if exc.errno == errno.EROFS:
                raise KernelError(errno.EROFS) from None
            if exc.errno not in UNSUPPORTED:
                raise KernelError(exc.errno or errno.EIO) from None
    fs.iattrs.set_dos_word(st, None if plain else word, stamp)


# --- by guest path and by handle ------------------------------------------------------------

def _resolved(p, path: str, follow: bool):
    r = p.kernel.fs.resolve("/", path, follow, p)
    return r.host if r.synthetic is None and r.exists else None


def word_at(p, path: str, st, directory: bool | None = None, follow: bool = False,
            near: str | None = None) -> int:
    """The kept bits of the file at guest path (st: its lstat, or stat when follow). near:
    the host directory the name is likely in (a directory scan's): the name there is the
    file when it is st's inode, which spares walking path again."""
    host = None
    if near is not None and not follow:
        candidate = os.path.join(near, path.rsplit("/", 1)[-1])
        try:
            seen = os.lstat(candidate)
            if (seen.st_dev, seen.st_ino) == (st.st_dev, st.st_ino):
                host = candidate
        except OSError:
            pass
    if host is None:
        try:
            host = _resolved(p, path, follow)
        except KernelError:
            host = None
    return read_word(p.kernel.fs, st, host, directory)


def _handle_host(f):
    """A host descriptor that reaches the handle's file itself, or None."""
    fd = getattr(f, "fd", None)
    return fd if isinstance(fd, int) and fd >= 0 and getattr(f, "path_backed", False) else None


def word_of(p, f, st, directory: bool | None = None) -> int:
    """The kept bits of a handle's file (st: its fstat)."""
    host = _handle_host(f)
    if host is None and getattr(f, "path_backed", False):
        host = getattr(f, "host_path", None)      # an O_PATH description (a link itself)
    return read_word(p.kernel.fs, st, host, directory)


def set_at(p, path: str, word: int, follow: bool = False, directory: bool | None = None) -> None:
    """Set the word of the file at guest path, reached race-free from the root (a link,
    never followed unless follow, has its word in the table)."""
    fs = p.kernel.fs
    r = fs.resolve("/", path, follow, p)
    if not r.exists:
        raise KernelError(errno.ENOENT)
    if r.synthetic is not None:
        return                        # /proc, /dev: nothing to keep
    check_readonly(fs.mount_of(r.guest))
    try:
        st = os.lstat(r.host)
    except OSError as exc:
        raise KernelError(exc.errno or errno.ENOENT) from None
    fd = None
    if S.S_ISREG(st.st_mode) or S.S_ISDIR(st.st_mode):
        fd = fs.open_host_fd(r.host)
    try:
        if fd is not None:
            st = os.fstat(fd)
        write_word(fs, st, fd, word, directory)
    finally:
        if fd is not None:
            os.close(fd)


def set_of(p, f, word: int, directory: bool | None = None) -> None:
    """Set the word of a handle's file: through its host descriptor, else by its name."""
    host = _handle_host(f)
    if host is not None:
        guest = getattr(f, "guest_path", None)
        if isinstance(guest, str) and guest.startswith("/"):
            check_readonly(p.kernel.fs.mount_of(guest))
        write_word(p.kernel.fs, os.fstat(host), host, word, directory)
    elif getattr(f, "path_backed", False) and isinstance(getattr(f, "guest_path", None), str):
        set_at(p, f.guest_path, word, directory=directory)


def archive_at(p, path: str) -> None:
    """The file at path changed in a way its data does not show (a rename): it is to be
    archived again. A directory is not."""
    fs = p.kernel.fs
    try:
        st = fs.stat("/", path, False, p)
        if S.S_ISLNK(st.st_mode) and S.S_ISDIR(fs.stat("/", path, True, p).st_mode):
            return                    # a directory link
    except KernelError:
        return
    if S.S_ISDIR(st.st_mode):
        return
    word = word_at(p, path, st)
    if not word & FILE_ATTRIBUTE_ARCHIVE:
        set_at(p, path, word | FILE_ATTRIBUTE_ARCHIVE)
