"""vFile: gdb reads the guest's files (its programs, ld.so, libraries) through the machine's
VFS, so `target:` paths are guest paths and stay inside the root. Read-only: gdb may open,
read, stat and readlink, never write or unlink."""
from __future__ import annotations

import errno
import os
import stat as S
import struct

from ..errors import KernelError
from .protocol import escape

# gdb's File-I/O errno values: Linux's, except these (and EUNKNOWN for the rest).
GDB_ERRNO = {errno.ENAMETOOLONG: 91}
KNOWN = {errno.EPERM, errno.ENOENT, errno.EINTR, errno.EBADF, errno.EACCES, errno.EFAULT,
         errno.EBUSY, errno.EEXIST, errno.ENODEV, errno.ENOTDIR, errno.EISDIR, errno.EINVAL,
         errno.ENFILE, errno.EMFILE, errno.EFBIG, errno.ENOSPC, errno.ESPIPE, errno.EROFS}
EUNKNOWN = 9999
MAX_OPEN = 64


def _fail(code: int) -> str:
    code = GDB_ERRNO.get(code, code if code in KNOWN else EUNKNOWN)
    return f"F-1,{code:x}"


class HostIO:
    def __init__(self, kernel):
        self.kernel = kernel
        self.files: dict[int, object] = {}
        self.next_fd = 3

    def handle(self, text: str, raw: bytes) -> str | bytes:
        verb, _, args = text[6:].partition(":")
        try:
            if verb == "setfs":
                return "F0"   # one file system for every process: the machine's root
            if verb == "open":
                name, flags, _mode = args.split(",")
                if int(flags, 16) & 3:
                    return _fail(errno.EROFS)
                return self._open(bytes.fromhex(name).decode(errors="surrogateescape"))
            if verb == "pread":
                fd, count, offset = (int(x, 16) for x in args.split(","))
                f = self.files.get(fd)
                if f is None:
                    return _fail(errno.EBADF)
                data = f.pread(min(count, 0x3000), offset)
                return f"F{len(data):x};".encode() + escape(data)
            if verb == "close":
                f = self.files.pop(int(args, 16), None)
                if f is None:
                    return _fail(errno.EBADF)
                f.decref()
                return "F0"
            if verb == "fstat":
                f = self.files.get(int(args, 16))
                if f is None:
                    return _fail(errno.EBADF)
                return b"F40;" + escape(_fio_stat(f.fstat()))
            if verb == "readlink":
                target = self.kernel.fs.readlink("/", bytes.fromhex(args).decode(
                    errors="surrogateescape")).encode(errors="surrogateescape")
                return f"F{len(target):x};".encode() + escape(target)
            if verb in ("pwrite", "unlink"):
                return _fail(errno.EROFS)
        except KernelError as exc:
            return _fail(exc.errno)
        except (ValueError, OSError):
            return _fail(errno.EINVAL)
        return ""

    def _open(self, path: str) -> str:
        if len(self.files) >= MAX_OPEN:
            return _fail(errno.EMFILE)
        f = self.kernel.fs.open("/", path, os.O_RDONLY)
        try:
            if S.S_ISDIR(f.fstat().st_mode):
                f.decref()
                return _fail(errno.EISDIR)
        except (KernelError, OSError):
            pass
        fd, self.next_fd = self.next_fd, self.next_fd + 1
        self.files[fd] = f
        return f"F{fd:x}"

    def close_all(self) -> None:
        for f in self.files.values():
            f.decref()
        self.files.clear()


def _fio_stat(st) -> bytes:
    """gdb's struct stat for File-I/O: big-endian, 32-bit fields but 64-bit sizes."""
    return struct.pack(">IIIIIIIQQQIII", st.st_dev & 0xFFFFFFFF, st.st_ino & 0xFFFFFFFF,
                       st.st_mode, st.st_nlink, st.st_uid, st.st_gid, 0, st.st_size,
                       4096, (st.st_size + 511) // 512, int(st.st_atime), int(st.st_mtime),
                       int(st.st_ctime))
