"""Symbolic links as NTFS shows them: reparse points. A link's own attributes carry
FILE_ATTRIBUTE_REPARSE_POINT (and FILE_ATTRIBUTE_DIRECTORY when it leads to a directory),
FILE_OPEN_REPARSE_POINT opens the link itself instead of what it names (so deleting through
that handle removes the link, never its target), FSCTL_GET_REPARSE_POINT reads it as an
IO_REPARSE_TAG_SYMLINK buffer, and FSCTL_SET_REPARSE_POINT makes an empty directory or file
a link (a junction or a symbolic link). The machine's links are the root's own symlinks."""
from __future__ import annotations

import stat as S
import struct

from ..errors import KernelError
from .dosattrib import word_at, word_of
from .directory import (FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_REPARSE_POINT, NEW_DIRECTORY_MODE,
                        NEW_FILE_MODE, file_attributes)
from .status import (STATUS_DIRECTORY_NOT_EMPTY, STATUS_INVALID_PARAMETER,
                     STATUS_IO_REPARSE_DATA_INVALID, STATUS_IO_REPARSE_TAG_NOT_HANDLED,
                     STATUS_NOT_A_REPARSE_POINT)

FILE_OPEN_REPARSE_POINT = 0x00200000       # NtCreateFile's option, CreateFile's flag
IO_REPARSE_TAG_MOUNT_POINT, IO_REPARSE_TAG_SYMLINK = 0xA0000003, 0xA000000C
SYMLINK_FLAG_RELATIVE = 1
FSCTL_SET_REPARSE_POINT, FSCTL_GET_REPARSE_POINT, FSCTL_DELETE_REPARSE_POINT = \
    0x900A4, 0x900A8, 0x900AC


class ReparseError(Exception):
    def __init__(self, status: int):
        super().__init__(hex(status))
        self.status = status


def is_link(st) -> bool:
    return st is not None and S.S_ISLNK(st.st_mode)


def leads_to_directory(p, path: str) -> bool:
    """Whether the link at path names a directory."""
    try:
        return S.S_ISDIR(p.kernel.fs.stat("/", path, True, p).st_mode)
    except KernelError:
        return False                  # a dangling link: a file link


def attributes(p, path: str, st, near: str | None = None) -> int:
    """FILE_ATTRIBUTE_* of the file at path whose lstat is st, with its DOS attribute word
    (nt/dosattrib.py): a link's are its own, a directory link's a directory's. near: the
    host directory a scan found it in, if known."""
    to_dir = is_link(st) and leads_to_directory(p, path)
    value = file_attributes(st, word_at(p, path, st, directory=S.S_ISDIR(st.st_mode) or to_dir,
                                        near=near))
    return value | FILE_ATTRIBUTE_DIRECTORY if to_dir else value


def handle_attributes(p, f, st) -> int:
    """A handle's file's attributes: a link opened itself (FILE_OPEN_REPARSE_POINT) has a
    link's."""
    if is_link(st) and getattr(f, "path_backed", False):
        return attributes(p, f.guest_path, st)
    return file_attributes(st, word_of(p, f, st))


def tag(st) -> int:
    """WIN32_FIND_DATA's dwReserved0 and FILE_ATTRIBUTE_TAG_INFORMATION's tag."""
    return IO_REPARSE_TAG_SYMLINK if is_link(st) else 0


def windows_target(target: str) -> tuple[str, str, int]:
    """(substitute name, print name, flags) of a link whose target is the guest's text."""
    if target.startswith("/"):
        printed = "C:" + target.replace("/", "\\")
        return "\\??\\" + printed, printed, 0
    relative = target.replace("/", "\\")
    return relative, relative, SYMLINK_FLAG_RELATIVE


def reparse_data(p, path: str) -> bytes:
    """REPARSE_DATA_BUFFER of the link at path (IO_REPARSE_TAG_SYMLINK)."""
    try:
        target = p.kernel.fs.readlink("/", path, p)
    except KernelError:
        raise ReparseError(STATUS_NOT_A_REPARSE_POINT) from None
    substitute, printed, flags = windows_target(target)
    sub, prn = substitute.encode("utf-16-le"), printed.encode("utf-16-le")
    names = sub + prn
    body = struct.pack("<HHHHI", 0, len(sub), len(sub), len(prn), flags) + names
    return struct.pack("<IHH", IO_REPARSE_TAG_SYMLINK, len(body), 0) + body


def _guest_target(name: str, relative: bool) -> str:
    """A reparse buffer's substitute name as the guest's link text."""
    if name.startswith("\\??\\"):
        name = name[4:]
    if not relative and len(name) >= 2 and name[1] == ":":
        return (name[2:] or "\\").replace("\\", "/")
    return name.replace("\\", "/")


def set_reparse_point(p, path: str, data: bytes) -> None:
    """FSCTL_SET_REPARSE_POINT on an empty directory (a junction, or a directory link) or a
    file: it becomes a link to the buffer's substitute name."""
    if len(data) < 8:
        raise ReparseError(STATUS_IO_REPARSE_DATA_INVALID)
    kind, length = struct.unpack_from("<IH", data)
    names_at = {IO_REPARSE_TAG_SYMLINK: 20, IO_REPARSE_TAG_MOUNT_POINT: 16}.get(kind)
    if names_at is None:
        raise ReparseError(STATUS_IO_REPARSE_TAG_NOT_HANDLED)
    if len(data) < names_at or length + 8 != len(data):   # the header's length, exactly
        raise ReparseError(STATUS_IO_REPARSE_DATA_INVALID)
    sub_off, sub_len, _pr_off, _pr_len = struct.unpack_from("<HHHH", data, 8)
    flags = struct.unpack_from("<I", data, 16)[0] if kind == IO_REPARSE_TAG_SYMLINK else 0
    if names_at + sub_off + sub_len > len(data):
        raise ReparseError(STATUS_IO_REPARSE_DATA_INVALID)
    name = data[names_at + sub_off:names_at + sub_off + sub_len].decode("utf-16-le",
                                                                        errors="replace")
    if not name:
        raise ReparseError(STATUS_IO_REPARSE_DATA_INVALID)
    target = _guest_target(name, bool(flags & SYMLINK_FLAG_RELATIVE))
    fs = p.kernel.fs
    st = fs.stat("/", path, False, p)
    if S.S_ISDIR(st.st_mode):
        if fs.list_names("/", path, p):
            raise ReparseError(STATUS_DIRECTORY_NOT_EMPTY)
        fs.rmdir("/", path, p)
    elif is_link(st) or S.S_ISREG(st.st_mode):
        fs.unlink("/", path, p)
    else:
        raise ReparseError(STATUS_INVALID_PARAMETER)
    fs.symlink(target, "/", path, p)


def delete_reparse_point(p, path: str) -> None:
    """FSCTL_DELETE_REPARSE_POINT: the link becomes an empty directory again (or file)."""
    fs = p.kernel.fs
    st = fs.stat("/", path, False, p)
    if not is_link(st):
        raise ReparseError(STATUS_NOT_A_REPARSE_POINT)
    leads_to_dir = attributes(p, path, st) & FILE_ATTRIBUTE_DIRECTORY
    fs.unlink("/", path, p)
    if leads_to_dir:
        fs.mkdir("/", path, NEW_DIRECTORY_MODE, p)
    else:
        fs.open("/", path, 0o101, NEW_FILE_MODE, p).decref()     # O_WRONLY | O_CREAT


__all__ = ["FILE_OPEN_REPARSE_POINT", "FILE_ATTRIBUTE_REPARSE_POINT", "attributes", "tag",
           "reparse_data", "set_reparse_point", "delete_reparse_point", "ReparseError"]
