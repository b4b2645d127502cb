"""NtQueryDirectoryFile: a directory handle's entries in the FILE_*_INFORMATION layouts, as
many as fit, from where the handle's scan left off. A scan belongs to the handle (its open
file description): the first call (or RestartScan) lists the directory, through the VFS so
synthetic directories list too, and keeps the FileName mask it gave (* and ? as NTFS matches
them, case-insensitively). kernel32's FindFirstFile and GetFileInformationByHandleEx's
directory classes (Go's os.ReadDir, Rust's read_dir) read the same entries."""
from __future__ import annotations

import fnmatch
import os
import stat as S
import struct

from ..errors import KernelError
from . import abi
from .dosattrib import untouched
from .status import (STATUS_BUFFER_OVERFLOW, STATUS_INFO_LENGTH_MISMATCH, STATUS_INVALID_INFO_CLASS,
                     STATUS_INVALID_PARAMETER, STATUS_NO_MORE_FILES, STATUS_NO_SUCH_FILE,
                     STATUS_SUCCESS, NtError)

FILE_ATTRIBUTE_READONLY, FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_NORMAL = 0x1, 0x10, 0x80
FILE_ATTRIBUTE_REPARSE_POINT = 0x400
# The modes of what a Windows program makes, on the host: Windows has no mode bits (nor a
# umask), so those a Linux user's umask 022 gives; read-only is the write bits' absence.
NEW_FILE_MODE, NEW_DIRECTORY_MODE = 0o644, 0o755
NEW_SOCKET_MODE = 0o755            # (a socket's 0777 under umask 022: AF_UNIX's bind)

# FileInformationClass -> (offset of FileNameLength, offset of FileName, layout name)
FileDirectoryInformation, FileFullDirectoryInformation, FileBothDirectoryInformation = 1, 2, 3
FileNamesInformation, FileIdBothDirectoryInformation, FileIdFullDirectoryInformation = 12, 37, 38
LAYOUTS = {FileDirectoryInformation: 64, FileFullDirectoryInformation: 68,
           FileBothDirectoryInformation: 94, FileNamesInformation: 12,
           FileIdBothDirectoryInformation: 104, FileIdFullDirectoryInformation: 80}


def file_attributes(st, kept: int | None = None) -> int:
    """FILE_ATTRIBUTE_* of a stat result: a directory, read-only without the owner's write
    bit, a symbolic link a reparse point, and the kept DOS bits (hidden, system, archive ...:
    nt/dosattrib.py; None: an untouched file's); NORMAL when none of them is set."""
    kind = S.S_IFMT(st.st_mode)
    value = FILE_ATTRIBUTE_DIRECTORY if kind == S.S_IFDIR else 0
    if kind == S.S_IFLNK:
        value |= FILE_ATTRIBUTE_REPARSE_POINT
    if not st.st_mode & 0o200:
        value |= FILE_ATTRIBUTE_READONLY
    value |= untouched(st, kind == S.S_IFDIR) if kept is None else kept
    return value or FILE_ATTRIBUTE_NORMAL


def _entry(cls: int, index: int, name: str, st, attrs: int, tag: int) -> bytes:
    """One entry, NextEntryOffset still 0 (the next one starts 8-byte aligned); a reparse
    point's EaSize is its tag."""
    encoded = name.encode("utf-16-le")
    if cls == FileNamesInformation:
        raw = struct.pack("<III", 0, index, len(encoded)) + encoded
    else:
        is_dir = S.S_ISDIR(st.st_mode)
        size = 0 if is_dir or S.S_ISLNK(st.st_mode) else st.st_size
        times = [abi.filetime_of_ns(getattr(st, n, 0))
                 for n in ("st_ctime_ns", "st_atime_ns", "st_mtime_ns", "st_ctime_ns")]
        raw = struct.pack("<II4qqqII", 0, index, *times, size, (size + 4095) & ~4095,
                          attrs, len(encoded))
        if cls != FileDirectoryInformation:
            raw += struct.pack("<I", tag)                        # EaSize
        if cls in (FileBothDirectoryInformation, FileIdBothDirectoryInformation):
            raw += b"\0" * 26                                    # no 8.3 short name
        if cls == FileIdBothDirectoryInformation:
            raw += b"\0\0" + struct.pack("<Q", st.st_ino)
        elif cls == FileIdFullDirectoryInformation:
            raw += b"\0" * 4 + struct.pack("<Q", st.st_ino)
        raw += encoded
    return raw


class _Scan:
    def __init__(self, names: list[str], mask: str):
        self.names, self.mask, self.pos = names, mask, 0


# The Linux personality's /dev and /proc, synthesised in every root: not on a Windows drive
# (a program walking C:\\ would wander into /proc), unless the root holds such a folder.
LINUX_ONLY_AT_ROOT = ("dev", "proc")


def folder_names(p, guest_dir: str) -> list[str]:
    """The names in a folder (not . and ..) as Windows programs see them. Raises
    KernelError when it is no folder."""
    names = p.kernel.fs.list_names("/", guest_dir, p)
    if guest_dir.rstrip("/"):
        return names
    root = p.kernel.fs.root
    return [n for n in names if n not in LINUX_ONLY_AT_ROOT or
            os.path.isdir(os.path.join(root, n))]


def _matches(name: str, mask: str) -> bool:
    return mask in ("*", "*.*") or fnmatch.fnmatchcase(name.lower(), mask.lower())


def _start(p, f, mask: str) -> _Scan:
    path = getattr(f, "guest_path", None)
    if getattr(f, "kind", None) != "dir" or not path:
        raise NtError(STATUS_INVALID_PARAMETER)
    try:
        names = [".", ".."] + sorted(folder_names(p, path))
    except KernelError:
        raise NtError(STATUS_INVALID_PARAMETER) from None
    return _Scan([n for n in names if _matches(n, mask)], mask)


def query_directory(p, f, cls: int, length: int, single: bool, mask: str | None,
                    restart: bool) -> tuple[int, bytes]:
    """(status, the entries' bytes) for the next entries of f's scan that fit in length."""
    from . import reparse           # (it builds on this module's attributes)
    if cls not in LAYOUTS:
        raise NtError(STATUS_INVALID_INFO_CLASS)
    if length < LAYOUTS[cls]:
        raise NtError(STATUS_INFO_LENGTH_MISMATCH)
    scan = getattr(f, "nt_scan", None)
    first = scan is None or restart
    if first:
        scan = f.nt_scan = _start(p, f, mask or "*")
    out, last = bytearray(), -1
    while scan.pos < len(scan.names):
        name = scan.names[scan.pos]
        path = f"{f.guest_path.rstrip('/')}/{name}"
        try:
            st = p.kernel.fs.stat("/", path, False, p)
        except KernelError:          # removed since the listing
            scan.pos += 1
            continue
        raw = _entry(cls, scan.pos, name, st,
                     reparse.attributes(p, path, st, getattr(f, "host_path", None)),
                     reparse.tag(st))
        pad = -len(out) % 8
        if len(out) + pad + len(raw) > length:
            if not out:              # not even one entry: the caller needs a larger buffer
                return STATUS_BUFFER_OVERFLOW, b""
            break
        out += b"\0" * pad
        if last >= 0:
            struct.pack_into("<I", out, last, len(out) - last)
        last = len(out)
        out += raw
        scan.pos += 1
        if single:
            break
    if not out:
        return (STATUS_NO_SUCH_FILE if first else STATUS_NO_MORE_FILES), b""
    return STATUS_SUCCESS, bytes(out)


def sys_NtQueryDirectoryFile(p, FileHandle, Event, ApcRoutine, ApcContext, IoStatusBlock,
                             FileInformation, Length, FileInformationClass, ReturnSingleEntry,
                             FileName, RestartScan):
    f = abi.file_of(p, FileHandle)
    mask = abi.read_unicode_string(p, FileName) if FileName else None
    status, data = query_directory(p, f, FileInformationClass & 0xFFFFFFFF, Length & 0xFFFFFFFF,
                                   bool(ReturnSingleEntry & 0xFF), mask,
                                   bool(RestartScan & 0xFF))
    if data:
        p.mm.write(FileInformation, data)
    abi.write_iosb(p, IoStatusBlock, status, len(data))
    if status != STATUS_SUCCESS:
        raise NtError(status)
    return status
