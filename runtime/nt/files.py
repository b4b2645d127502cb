"""NT file services over the sandboxed VFS: NtCreateFile, NtOpenFile, NtReadFile, NtWriteFile,
NtClose, NtQueryInformationFile. A handle is a descriptor of the process's table."""
from __future__ import annotations

import errno
import stat as S
import struct
import zlib

from ..errors import BrokenPipe, KernelError, WouldBlock
from ..kernel import Block
from ..vfs import O_NOFOLLOW, O_PATH
from sysvec.compiler.errnames import NTSTATUS_OF_ERRNO
from . import abi
from . import dosattrib, reparse, sharing
from .sharing import (FILE_APPEND_DATA, FILE_READ_DATA, FILE_WRITE_DATA, GENERIC_ALL,
                      GENERIC_READ, GENERIC_WRITE)
from .directory import NEW_DIRECTORY_MODE, NEW_FILE_MODE, file_attributes
from .paths import fold_case, is_null_device, split_nt_path, volume_path
from .status import (STATUS_DIRECTORY_NOT_EMPTY, STATUS_NOT_FOUND, STATUS_INVALID_DEVICE_REQUEST, STATUS_NOT_A_REPARSE_POINT,
                     STATUS_ACCESS_DENIED, STATUS_BUFFER_OVERFLOW, STATUS_ACCESS_VIOLATION, STATUS_DISK_FULL,
                     STATUS_END_OF_FILE, STATUS_FILE_IS_A_DIRECTORY, STATUS_INFO_LENGTH_MISMATCH,
                     STATUS_INVALID_HANDLE, STATUS_INVALID_INFO_CLASS, STATUS_INVALID_PARAMETER,
                     STATUS_NOT_A_DIRECTORY, STATUS_NOT_IMPLEMENTED, STATUS_OBJECT_NAME_COLLISION,
                     STATUS_OBJECT_NAME_NOT_FOUND, STATUS_OBJECT_PATH_NOT_FOUND,
                     STATUS_PIPE_BROKEN, STATUS_PIPE_CLOSING, STATUS_SUCCESS,
                     STATUS_UNSUCCESSFUL, STATUS_BUFFER_TOO_SMALL, STATUS_CANCELLED, STATUS_CANNOT_DELETE, NtError)

FILE_SUPERSEDE, FILE_OPEN, FILE_CREATE, FILE_OPEN_IF, FILE_OVERWRITE, FILE_OVERWRITE_IF = range(6)
FILE_SUPERSEDED, FILE_OPENED, FILE_CREATED, FILE_OVERWRITTEN = range(4)
FILE_DIRECTORY_FILE, FILE_NON_DIRECTORY_FILE, FILE_DELETE_ON_CLOSE = 0x1, 0x40, 0x1000
O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY = \
    0, 1, 2, 0o100, 0o200, 0o1000, 0o2000, 0o200000
FILE_USE_FILE_POINTER_POSITION = -2
O_ACCMODE = 3
OBJ_INHERIT = 0x2


def _status_of(exc: KernelError) -> int:
    return getattr(exc, "status", None) or {
        errno.ENOENT: STATUS_OBJECT_NAME_NOT_FOUND, errno.ENOTDIR: STATUS_OBJECT_PATH_NOT_FOUND,
        errno.EEXIST: STATUS_OBJECT_NAME_COLLISION, errno.EISDIR: STATUS_FILE_IS_A_DIRECTORY,
        errno.EACCES: STATUS_ACCESS_DENIED, errno.ELOOP: STATUS_OBJECT_PATH_NOT_FOUND,
    }.get(exc.errno, NTSTATUS_OF_ERRNO.get(exc.errno, STATUS_UNSUCCESSFUL))


def _guest_path(p, root_handle: int, name: str) -> str:
    parts = split_nt_path(name)
    base = "/"
    if root_handle:
        directory = abi.file_of(p, root_handle)
        if directory.kind != "dir":
            raise NtError(STATUS_NOT_A_DIRECTORY)
        base = directory.guest_path
    return fold_case(p.kernel.fs, base, parts, p)


def _parent_exists(fs, path: str, p) -> bool:
    parent = path.rsplit("/", 1)[0] or "/"
    try:
        return fs.resolve("/", parent, True, p).exists
    except KernelError:
        return False


def _lookup_status(exc: KernelError, fs, path: str, p) -> int:
    """The status of a failed lookup of path: a missing directory on the way is
    STATUS_OBJECT_PATH_NOT_FOUND, a missing last name STATUS_OBJECT_NAME_NOT_FOUND."""
    status = _status_of(exc)
    if status == STATUS_OBJECT_NAME_NOT_FOUND and not _parent_exists(fs, path, p):
        status = STATUS_OBJECT_PATH_NOT_FOUND
    return status


def _open(p, handle_out, access, attributes, iosb, disposition, options, share,
          file_attributes: int = 0) -> int:
    from .named_pipes import open_pipe_object
    opened = open_pipe_object(p, handle_out, attributes, iosb)
    if opened is not None:
        return opened
    root, name, object_attributes = abi.read_object_attributes(p, attributes)
    inherit = bool(object_attributes & OBJ_INHERIT)     # a child created to inherit gets it
    from .afd import AfdDevice, is_afd_name
    if not root and is_afd_name(name):      # the sockets' driver (mio polls through it)
        return _install_new(p, AfdDevice(name), handle_out, iosb, FILE_OPENED, inherit)
    from .objects import MountPointManager, is_mount_manager_name
    if not root and is_mount_manager_name(name):
        return _install_new(p, MountPointManager(name), handle_out, iosb, FILE_OPENED,
                            inherit)
    if not root and is_null_device(name):     # \Device\Null, \??\NUL
        return _install_new(p, p.kernel.fs.open("/", "/dev/null", O_RDWR, 0, p), handle_out,
                            iosb, FILE_OPENED, inherit)
    path = _guest_path(p, root, name)
    fs = p.kernel.fs
    if options & reparse.FILE_OPEN_REPARSE_POINT and disposition in (FILE_OPEN, FILE_OPEN_IF):
        link = _open_link(p, path)
        if link is not None:
            return _install_new(p, link, handle_out, iosb, FILE_OPENED, inherit)
    try:
        exists = fs.resolve("/", path, True, p).exists
        is_dir = exists and fs.stat("/", path, True, p).st_mode & 0o170000 == 0o040000
        if is_dir and options & FILE_NON_DIRECTORY_FILE:
            raise NtError(STATUS_FILE_IS_A_DIRECTORY)
        # Neither option: whatever is there opens, a directory as a directory (to rename or
        # delete it, or to stat it), whatever access the caller asked for.
        if options & FILE_DIRECTORY_FILE or (is_dir and disposition in (FILE_OPEN, FILE_OPEN_IF)):
            if disposition in (FILE_CREATE, FILE_OPEN_IF) and not exists:
                fs.mkdir("/", path, NEW_DIRECTORY_MODE, p)
                if file_attributes & dosattrib.KEPT:
                    dosattrib.set_at(p, path, file_attributes, directory=True)
                info = FILE_CREATED
            elif not exists:
                raise NtError(STATUS_OBJECT_NAME_NOT_FOUND)
            elif disposition == FILE_CREATE:
                raise NtError(STATUS_OBJECT_NAME_COLLISION)
            else:
                info = FILE_OPENED
            f = fs.open("/", path, O_DIRECTORY, 0, p)
        else:
            wants_write = access & (GENERIC_WRITE | GENERIC_ALL | FILE_WRITE_DATA | FILE_APPEND_DATA)
            wants_read = access & (GENERIC_READ | GENERIC_ALL | FILE_READ_DATA) or not wants_write
            flags = O_RDWR if wants_read and wants_write else O_WRONLY if wants_write else O_RDONLY
            if access & FILE_APPEND_DATA and not access & (FILE_WRITE_DATA | GENERIC_WRITE):
                flags |= O_APPEND
            st = fs.stat("/", path, True, p) if exists else None
            if exists and (wants_write or disposition in (FILE_OVERWRITE, FILE_OVERWRITE_IF,
                                                          FILE_SUPERSEDE)) and \
                    not st.st_mode & 0o200:
                # FILE_ATTRIBUTE_READONLY: nobody writes it, an administrator neither (the
                # host would let sysvec, which runs as root)
                raise NtError(STATUS_ACCESS_DENIED)
            kept = None
            if exists and disposition in (FILE_OVERWRITE, FILE_OVERWRITE_IF, FILE_SUPERSEDE):
                kept = _check_overwrite(p, path, st, file_attributes)
            shares = p.sysvec.personality.machine(p.kernel).file_shares
            if exists and sharing.file_key(st) is not None:   # before anything is truncated
                shares.check(sharing.file_key(st), access, share)
            if disposition == FILE_OPEN:
                if not exists:
                    raise NtError(STATUS_OBJECT_NAME_NOT_FOUND)
                info = FILE_OPENED
            elif disposition == FILE_CREATE:
                if exists:
                    raise NtError(STATUS_OBJECT_NAME_COLLISION)
                flags |= O_CREAT | O_EXCL
                info = FILE_CREATED
            elif disposition == FILE_OPEN_IF:
                flags |= O_CREAT
                info = FILE_OPENED if exists else FILE_CREATED
            elif disposition == FILE_OVERWRITE:
                if not exists:
                    raise NtError(STATUS_OBJECT_NAME_NOT_FOUND)
                flags |= O_TRUNC
                info = FILE_OVERWRITTEN
            elif disposition in (FILE_OVERWRITE_IF, FILE_SUPERSEDE):
                flags |= O_CREAT | O_TRUNC
                info = (FILE_OVERWRITTEN if disposition == FILE_OVERWRITE_IF else FILE_SUPERSEDED) \
                    if exists else FILE_CREATED
            else:
                raise NtError(STATUS_INVALID_PARAMETER)
            if flags & O_TRUNC and not flags & (O_WRONLY | O_RDWR):
                flags |= O_RDWR
            f = fs.open("/", path, flags, NEW_FILE_MODE, p)
            key = sharing.file_key(f.fstat())
            if key is not None:
                shares.add(key, f, access, share)
            if info != FILE_OPENED:
                try:
                    _made_attributes(p, f, path, info, file_attributes, kept)
                except KernelError:
                    f.decref()
                    raise
    except KernelError as exc:
        status = _lookup_status(exc, fs, path, p)
        abi.write_iosb(p, iosb, status, 0)
        raise NtError(status) from None
    if not options & (FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT):
        f.nt_asynchronous = True
    if options & FILE_DELETE_ON_CLOSE and getattr(f, "path_backed", False):
        f.on_last_close = lambda: _delete_name(p, f, quiet=True)   # Python's O_TEMPORARY files
    f.nt_access = access & 0xFFFFFFFF      # what a section of it may do (kernel32_mapping)
    return _install_new(p, f, handle_out, iosb, info, inherit)


def _check_overwrite(p, path: str, st, asked: int) -> int:
    """Overwriting or superseding a file keeps the hidden and system attributes it has only
    if the caller asks for them again: else STATUS_ACCESS_DENIED (CreateFile's CREATE_ALWAYS
    with FILE_ATTRIBUTE_NORMAL over a hidden file fails so, as FastFAT and NTFS check).
    Returns the file's kept DOS bits."""
    kept = dosattrib.word_at(p, path, st, follow=True)
    hidden_system = dosattrib.FILE_ATTRIBUTE_HIDDEN | dosattrib.FILE_ATTRIBUTE_SYSTEM
    if kept & hidden_system & ~asked:
        raise NtError(STATUS_ACCESS_DENIED)
    return kept


def _made_attributes(p, f, path: str, info: int, asked: int, kept: int | None) -> None:
    """The attributes of a file NtCreateFile made, overwrote or superseded: those asked for
    and ARCHIVE, added to the old ones when overwritten, instead of them when superseded
    (FastFAT's FatSupersedeOrOverwriteFile; Wine's tests of Windows' NtCreateFile agree).
    FILE_ATTRIBUTE_READONLY takes the owner's write bit away (the new handle still writes)."""
    word = asked & dosattrib.KEPT | dosattrib.FILE_ATTRIBUTE_ARCHIVE
    if info == FILE_OVERWRITTEN and kept is not None:
        word |= kept
    if info == FILE_CREATED and word == dosattrib.FILE_ATTRIBUTE_ARCHIVE:
        p.kernel.fs.iattrs.set_dos_word(f.fstat(), None)   # a new inode: nothing to keep
    else:
        dosattrib.set_of(p, f, word)
    if asked & FILE_ATTRIBUTE_READONLY:
        from ..win32.kernel32_files import _chmod
        _chmod(p, path, S.S_IMODE(f.fstat().st_mode) & ~0o222)


def _open_link(p, path: str):
    """FILE_OPEN_REPARSE_POINT: a symbolic link is opened itself (an O_PATH description of
    the link: its attributes, FSCTL_GET_REPARSE_POINT, deleting it), None for anything else."""
    fs = p.kernel.fs
    try:
        if not reparse.is_link(fs.stat("/", path, False, p)):
            return None
        return fs.open("/", path, O_PATH | O_NOFOLLOW, 0, p)
    except KernelError:
        return None


def _install_new(p, f, handle_out, iosb, info, inherit: bool) -> int:
    """The opened object's handle, inheritable when OBJ_INHERIT asked for it."""
    try:
        fd = p.fds.install(f, cloexec=not inherit)
    except KernelError:
        f.decref()
        raise
    abi.write_ptr(p, handle_out, abi.handle_of_fd(fd))
    abi.write_iosb(p, iosb, STATUS_SUCCESS, info)
    return STATUS_SUCCESS


def sys_NtCreateFile(p, FileHandle, DesiredAccess, ObjectAttributes, IoStatusBlock,
                     AllocationSize, FileAttributes, ShareAccess, CreateDisposition,
                     CreateOptions, EaBuffer, EaLength):
    return _open(p, FileHandle, DesiredAccess & 0xFFFFFFFF, ObjectAttributes, IoStatusBlock,
                 CreateDisposition, CreateOptions, ShareAccess & 0xFFFFFFFF,
                 FileAttributes & 0xFFFFFFFF)


def sys_NtOpenFile(p, FileHandle, DesiredAccess, ObjectAttributes, IoStatusBlock, ShareAccess,
                   OpenOptions):
    return _open(p, FileHandle, DesiredAccess & 0xFFFFFFFF, ObjectAttributes, IoStatusBlock,
                 FILE_OPEN, OpenOptions, ShareAccess & 0xFFFFFFFF)


def _offset(p, ByteOffset, f=None) -> int | None:
    """The I/O's position, or None for the file pointer's: a pipe, socket, terminal or device
    has no position, and Windows ignores one given for it."""
    if not ByteOffset or (f is not None and
                          getattr(f, "kind", None) in ("pipe", "tty", "chr", "sock")):
        return None
    value = abi.read_i64(p, ByteOffset)
    return None if value == FILE_USE_FILE_POINTER_POSITION or value < 0 else value


def _moved_to(f, offset: int | None, n: int) -> None:
    """After I/O at a given offset: a file opened for synchronous I/O has its pointer just
    past it, as NT keeps CurrentByteOffset (pread/pwrite leave the host's alone)."""
    if offset is not None and not getattr(f, "nt_asynchronous", False):
        try:
            f.lseek(offset + n, 0)
        except (KernelError, AttributeError):
            pass


def _cancelled(p, IoStatusBlock, handle) -> None:
    """CancelSynchronousIo or CancelIoEx ended this thread's wait (win32/kernel32_misc.py);
    else the handle a wait would be on is noted, for CancelIoEx to find."""
    from ..win32.state import Win32Process
    state = Win32Process.of(p)
    if state is None:
        return
    if state.io_cancelled:
        state.io_cancelled = False
        abi.write_iosb(p, IoStatusBlock, STATUS_CANCELLED, 0)
        raise NtError(STATUS_CANCELLED)
    state.sync_io_handle = handle


def _counted(p, kind: int, transferred: int) -> None:
    """One read (kind 0) or write (1) done, of transferred bytes: the process's I/O counters
    (GetProcessIoCounters, SystemProcessInformation)."""
    counters = p.win32.io_counters
    counters[kind] += 1
    counters[3 + kind] += transferred


def sys_NtReadFile(p, FileHandle, Event, ApcRoutine, ApcContext, IoStatusBlock, Buffer, Length,
                   ByteOffset, Key):
    f = abi.file_of(p, FileHandle)
    abi.write_iosb(p, IoStatusBlock, 0, 0)   # probe it first: a bad pointer does no I/O
    _cancelled(p, IoStatusBlock, FileHandle)
    if not p.mm.writable(Buffer, Length):
        raise NtError(STATUS_ACCESS_VIOLATION)   # nothing consumed
    offset = _offset(p, ByteOffset, f)
    pipe = getattr(f, "pipe", None)
    if pipe is not None and not Length and not pipe.size and pipe.writers and \
            not pipe.empty_message_first():
        raise Block(f.readable_now)     # a zero-length read of a pipe waits for data (libuv)
    try:
        data = f.pread(Length, offset) if offset is not None else f.read(Length)
    except WouldBlock:
        host_fd = getattr(f, "host_fd", None)
        raise Block(f.readable_now, host_fds=[host_fd] if host_fd is not None else ()) from None
    except KernelError as exc:
        raise NtError(_status_of(exc)) from None
    if pipe is not None and not data and not pipe.size and not pipe.writers:
        abi.write_iosb(p, IoStatusBlock, STATUS_PIPE_BROKEN, 0)   # a pipe's end: no writer
        return STATUS_PIPE_BROKEN
    if not data and Length:
        _counted(p, 0, 0)
        abi.write_iosb(p, IoStatusBlock, STATUS_END_OF_FILE, 0)
        return STATUS_END_OF_FILE
    p.mm.write(Buffer, data)
    _moved_to(f, offset, len(data))
    _counted(p, 0, len(data))
    if getattr(f, "message_more", False):    # a message pipe's message goes on past Length
        f.message_more = False
        abi.write_iosb(p, IoStatusBlock, STATUS_BUFFER_OVERFLOW, len(data))
        return STATUS_BUFFER_OVERFLOW
    abi.write_iosb(p, IoStatusBlock, STATUS_SUCCESS, len(data))
    return STATUS_SUCCESS


def sys_NtWriteFile(p, FileHandle, Event, ApcRoutine, ApcContext, IoStatusBlock, Buffer, Length,
                    ByteOffset, Key):
    f = abi.file_of(p, FileHandle)
    abi.write_iosb(p, IoStatusBlock, 0, 0)   # probe it first: a bad pointer does no I/O
    _cancelled(p, IoStatusBlock, FileHandle)
    data = p.mm.read(Buffer, Length)
    offset = _offset(p, ByteOffset, f)
    allowed = p.kernel.output_allowance(p, f, len(data))   # --max-output
    if data and not allowed:
        raise NtError(STATUS_DISK_FULL)
    data = data[:allowed]
    # A pipe write returns once all of it is in the pipe (Windows' blocking pipes): a write
    # larger than the room left waits for the reader, its progress kept across restarts.
    streamed = offset is None and f.kind == "pipe"
    progress = p.pstate.thread_local("pipe_write", dict) if streamed else {}
    key = (FileHandle, Length, zlib.crc32(data)) if streamed else None   # (the CRT's _write
    # copies to a fresh buffer each time it is restarted: the bytes name the write, not where)
    done = progress.pop("done", 0) if progress.pop("key", None) == key else 0
    try:
        n = f.pwrite(data, offset) if offset is not None else f.write(data[done:])
    except WouldBlock:
        if streamed and done:
            progress.update(key=key, done=done)
        raise Block(f.writable_now) from None
    except BrokenPipe:   # the reader is gone: "the pipe is being closed" (ERROR_NO_DATA)
        raise NtError(STATUS_PIPE_CLOSING) from None
    except KernelError as exc:
        raise NtError(_status_of(exc)) from None
    if streamed:
        n += done
        if n < len(data):
            progress.update(key=key, done=n)
            raise Block(f.writable_now)
    if n and p.kernel.fs.on_change is not None and f.kind == "file":
        p.kernel.fs.changed_path(f.guest_path, "modify", ctx=p)   # directory watchers
    _moved_to(f, offset, n)
    _counted(p, 1, n)
    abi.write_iosb(p, IoStatusBlock, STATUS_SUCCESS, n)
    return STATUS_SUCCESS


def sys_NtCancelIoFileEx(p, FileHandle, IoRequestToCancel, IoStatusBlock):
    """The pending request whose IO_STATUS_BLOCK (or OVERLAPPED) is IoRequestToCancel, or
    every one of the handle's: each completes with STATUS_CANCELLED."""
    from ..win32.kernel32_iocp import cancel
    abi.file_of(p, FileHandle)
    if not cancel(p, FileHandle, IoRequestToCancel or None):
        raise NtError(STATUS_NOT_FOUND)
    abi.write_iosb(p, IoStatusBlock, STATUS_SUCCESS, 0)
    return STATUS_SUCCESS


def sys_NtCancelIoFile(p, FileHandle, IoStatusBlock):
    """Every pending request of the handle completes cancelled (none is no error)."""
    from ..win32.kernel32_iocp import cancel
    abi.file_of(p, FileHandle)
    cancel(p, FileHandle, None)
    abi.write_iosb(p, IoStatusBlock, STATUS_SUCCESS, 0)
    return STATUS_SUCCESS


def sys_NtClose(p, Handle):
    from ..win32.kernel32_sync import close_sync_handle, is_sync_handle
    if is_sync_handle(p, Handle):     # a process, thread, event ... kernel32 made
        close_sync_handle(p, Handle)
        return STATUS_SUCCESS
    try:
        fd = abi.fd_of_handle(Handle)
        p.fds.get(fd)
    except KernelError:
        raise NtError(STATUS_INVALID_HANDLE) from None
    from ..win32.kernel32_iocp import handle_closing
    handle_closing(p, Handle)      # its pending I/O ends cancelled, its port forgets it
    p.fds.close(fd)
    return STATUS_SUCCESS


FileBasicInformation, FileStandardInformation, FilePositionInformation = 4, 5, 14
FileInternalInformation, FileAccessInformation, FileModeInformation = 6, 8, 16
FileAllInformation = 18
FILE_GENERIC_READ, FILE_GENERIC_WRITE = 0x120089, 0x120116
FILE_SYNCHRONOUS_IO_ALERT, FILE_SYNCHRONOUS_IO_NONALERT = 0x10, 0x20


def _basic(st, attrs: int | None = None) -> bytes:
    """FILE_BASIC_INFORMATION: creation, access, write and change times, the attributes
    (read-only without the owner's write bit, a link's its own: nt/reparse.py)."""
    times = [abi.filetime_of_ns(getattr(st, n, 0)) for n in ("st_ctime_ns", "st_atime_ns",
                                                             "st_mtime_ns", "st_ctime_ns")]
    return struct.pack("<qqqqI4x", *times, file_attributes(st) if attrs is None else attrs)


def _standard(st) -> bytes:
    """FILE_STANDARD_INFORMATION: allocation, end of file, links, delete pending, directory."""
    is_dir = st.st_mode & 0o170000 == 0o040000
    size = 0 if reparse.is_link(st) else st.st_size      # a link opened itself has no data
    return struct.pack("<qqIBB2x", (size + 4095) & ~4095, size, st.st_nlink, 0, int(is_dir))


def _position(f) -> bytes:
    try:
        return struct.pack("<q", f.lseek(0, 1))
    except KernelError:
        return struct.pack("<q", 0)


def _access(f) -> bytes:
    """What the handle was opened for: libuv tells a pipe's read end from its write end so."""
    access = f.status_flags & O_ACCMODE
    return struct.pack("<I", (FILE_GENERIC_READ if access != O_WRONLY else 0) |
                       (FILE_GENERIC_WRITE if access != O_RDONLY else 0))


def _mode(f) -> bytes:
    """FILE_MODE_INFORMATION: synchronous I/O unless the file was opened for overlapped I/O
    (no FILE_SYNCHRONOUS_IO_* option; CreateFile's FILE_FLAG_OVERLAPPED) or is a socket.
    libuv reads a pipe through a thread when its handle says synchronous."""
    asynchronous = getattr(f, "nt_asynchronous", False) or getattr(f, "kind", None) == "sock"
    return struct.pack("<I", 0 if asynchronous else FILE_SYNCHRONOUS_IO_NONALERT)


def _all(f, st, attrs: int) -> bytes:
    """FILE_ALL_INFORMATION: basic, standard, internal (the index number), EA size, access,
    position, mode and alignment, then a name of length 0 (libuv's stat reads this)."""
    return (_basic(st, attrs) + _standard(st) + struct.pack("<Q", st.st_ino) + struct.pack("<I", 0)
            + _access(f) + _position(f) + _mode(f) + struct.pack("<I", 0) + struct.pack("<I", 0))


FilePipeInformation, FilePipeLocalInformation = 23, 24
FILE_PIPE_CONNECTED_STATE, FILE_PIPE_CLIENT_END, FILE_PIPE_SERVER_END = 3, 0, 1


def _pipe_local(f) -> bytes:
    """FILE_PIPE_LOCAL_INFORMATION of a pipe end: a byte-stream pipe of one instance, what
    waits to be read at this end and the room left in what it writes (libuv's shutdown of a
    pipe waits until the reader took everything: the quota is all free again)."""
    rx = f.pipe if f.status_flags & O_ACCMODE != O_WRONLY else None
    tx = getattr(f, "peer", None) or (f.pipe if f.status_flags & O_ACCMODE != O_RDONLY else None)
    capacity = f.pipe.capacity
    waiting = rx.size if rx is not None else 0
    room = capacity - tx.size if tx is not None else 0
    end = FILE_PIPE_SERVER_END if getattr(f, "pipe_name", None) else FILE_PIPE_CLIENT_END
    return struct.pack("<10I", 0, 2 if tx is not None and rx is not None else int(tx is not None),
                       1, 1, capacity, waiting, capacity if tx is not None else 0, room,
                       FILE_PIPE_CONNECTED_STATE, end)


def sys_NtQueryInformationFile(p, FileHandle, IoStatusBlock, FileInformation, Length,
                               FileInformationClass):
    f = abi.file_of(p, FileHandle)
    try:
        st = f.fstat()
    except KernelError as exc:
        raise NtError(_status_of(exc)) from None

    def attrs() -> int:         # only for the classes that show them (an xattr read)
        return reparse.handle_attributes(p, f, st)
    answers = {FileStandardInformation: lambda: _standard(st),
               FilePositionInformation: lambda: _position(f),
               FileBasicInformation: lambda: _basic(st, attrs()),
               FileAccessInformation: lambda: _access(f),
               FileModeInformation: lambda: _mode(f),
               FileInternalInformation: lambda: struct.pack("<Q", st.st_ino),
               FileAllInformation: lambda: _all(f, st, attrs()),
               FileAttributeTagInformation: lambda: struct.pack("<II", attrs(), reparse.tag(st))}
    if hasattr(f, "pipe"):
        answers[FilePipeLocalInformation] = lambda: _pipe_local(f)
        answers[FilePipeInformation] = lambda: struct.pack("<II", 0, 0)   # byte mode, blocking
    if FileInformationClass in (FileNameInformation, FileNormalizedNameInformation) and \
            getattr(f, "path_backed", False):
        return _file_name(p, f, IoStatusBlock, FileInformation, Length)
    answer = answers.get(FileInformationClass)
    if answer is None:
        raise NtError(STATUS_INVALID_INFO_CLASS)
    data = answer()
    if Length < len(data):
        raise NtError(STATUS_INFO_LENGTH_MISMATCH)
    p.mm.write(FileInformation, data)
    abi.write_iosb(p, IoStatusBlock, STATUS_SUCCESS, len(data))
    return STATUS_SUCCESS


FileNameInformation, FileNormalizedNameInformation = 9, 48
FileAttributeTagInformation = 35




def _file_name(p, f, IoStatusBlock, FileInformation, Length) -> int:
    """FILE_NAME_INFORMATION: the file's path on its volume ("\\dir\\name"); a buffer too small
    for the whole name gets what fits and STATUS_BUFFER_OVERFLOW, as from NTFS."""
    name = volume_path(f.guest_path).encode("utf-16-le")
    if Length < 4:
        raise NtError(STATUS_INFO_LENGTH_MISMATCH)
    data = struct.pack("<I", len(name)) + name
    status = STATUS_SUCCESS if len(data) <= Length else STATUS_BUFFER_OVERFLOW
    data = data[:Length] if Length % 2 == 0 else data[:Length - 1]
    p.mm.write(FileInformation, data)
    abi.write_iosb(p, IoStatusBlock, status, len(data))
    if status:
        raise NtError(status)
    return STATUS_SUCCESS


def _stat_object(p, ObjectAttributes):
    """The file an OBJECT_ATTRIBUTES names, stat'ed without opening it, and its attributes:
    a link's are its own (the final link is not followed, as NTFS answers)."""
    root, name, _ = abi.read_object_attributes(p, ObjectAttributes)
    path = _guest_path(p, root, name)
    fs = p.kernel.fs
    try:
        st = fs.stat("/", path, False, p)
    except KernelError as exc:
        raise NtError(_lookup_status(exc, fs, path, p)) from None
    return st, reparse.attributes(p, path, st)


def sys_NtQueryAttributesFile(p, ObjectAttributes, FileInformation):
    st, attrs = _stat_object(p, ObjectAttributes)
    p.mm.write(FileInformation, _basic(st, attrs))
    return STATUS_SUCCESS


def sys_NtQueryFullAttributesFile(p, ObjectAttributes, FileInformation):
    """FILE_NETWORK_OPEN_INFORMATION: the four times, allocation and end of file, attributes."""
    st, attrs = _stat_object(p, ObjectAttributes)
    basic, standard = _basic(st, attrs), _standard(st)
    p.mm.write(FileInformation, basic[:32] + standard[:16] + basic[32:36] + bytes(4))
    return STATUS_SUCCESS


FileFsVolumeInformation, FileFsSizeInformation, FileFsDeviceInformation = 1, 3, 4
FileFsAttributeInformation, FileFsFullSizeInformation = 5, 7
# The volume's file system as GetVolumeInformation reports it: NTFS, case-preserving,
# Unicode names, hard links and reparse points.
FS_ATTRIBUTES, FS_MAX_COMPONENT = 0x1 | 0x2 | 0x4 | 0x8 | 0x80 | 0x400000, 255
CLUSTER_SECTORS, SECTOR_BYTES = 8, 512


def _volume_sizes(p) -> tuple[int, int]:
    """(clusters in all, clusters free to the caller) of the root's host file system."""
    import os
    st = os.statvfs(p.kernel.fs.root)
    cluster = CLUSTER_SECTORS * SECTOR_BYTES
    return st.f_blocks * st.f_frsize // cluster, st.f_bavail * st.f_frsize // cluster
FILE_DEVICE_DISK, FILE_DEVICE_NAMED_PIPE, FILE_DEVICE_CONSOLE = 0x7, 0x11, 0x50


def sys_NtQueryVolumeInformationFile(p, FileHandle, IoStatusBlock, FsInformation, Length,
                                     FsInformationClass):
    """The volume a file is on: its serial number (the host device, which is what libuv's
    stat takes for st_dev) and its device type; other classes are not implemented, said in
    the I/O status block as callers check it."""
    f = abi.file_of(p, FileHandle)
    try:
        st = f.fstat()
    except KernelError as exc:
        raise NtError(_status_of(exc)) from None
    if FsInformationClass == FileFsVolumeInformation:
        data = struct.pack("<qIIB3x", 0, st.st_dev & 0xFFFFFFFF, 0, 0)
    elif FsInformationClass in (FileFsSizeInformation, FileFsFullSizeInformation):
        # libuv's statfs (node's fs.statfs) asks for the full form
        total, free = _volume_sizes(p)
        data = struct.pack("<qq", total, free) + \
            (struct.pack("<q", free) if FsInformationClass == FileFsFullSizeInformation else b"") \
            + struct.pack("<II", CLUSTER_SECTORS, SECTOR_BYTES)
    elif FsInformationClass == FileFsAttributeInformation:
        name = "NTFS".encode("utf-16-le")
        data = struct.pack("<IiI", FS_ATTRIBUTES, FS_MAX_COMPONENT, len(name)) + name
    elif FsInformationClass == FileFsDeviceInformation:
        kind = st.st_mode & 0o170000
        device = FILE_DEVICE_NAMED_PIPE if kind in (0o010000, 0o140000) else \
            FILE_DEVICE_CONSOLE if kind == 0o020000 else FILE_DEVICE_DISK
        data = struct.pack("<II", device, 0)
    else:
        abi.write_iosb(p, IoStatusBlock, STATUS_NOT_IMPLEMENTED, 0)
        raise NtError(STATUS_NOT_IMPLEMENTED)
    if Length < len(data):
        raise NtError(STATUS_INFO_LENGTH_MISMATCH)
    p.mm.write(FsInformation, data)
    abi.write_iosb(p, IoStatusBlock, STATUS_SUCCESS, len(data))
    return STATUS_SUCCESS




AFD_DEVICE = 0x12         # FSCTL_AFD_BASE: the requests winsock sends its sockets' driver


def sys_NtDeviceIoControlFile(p, FileHandle, Event, ApcRoutine, ApcContext, IoStatusBlock,
                              IoControlCode, InputBuffer, InputBufferLength, OutputBuffer,
                              OutputBufferLength):
    """The files here answer no device or file-system control but one: whether a file is a
    reparse point (no: CreateFile opens what a link names); sockets answer AFD's receive
    requests (runtime/win32/winsock_overlapped), the AFD device its polls (winsock_afd):
    those may pend, and their Event, ApcRoutine and ApcContext say how the caller learns
    that they completed. The console driver's requests (how Zig asks whether a handle is a
    console) are refused as an unsupported device request, which is what a handle that is
    no console gets."""
    f = abi.file_of(p, FileHandle)        # STATUS_INVALID_HANDLE for one that is not a file
    code = IoControlCode & 0xFFFFFFFF     # a ULONG: the rest of its register is junk
    kind = getattr(f, "kind", None)
    if kind in ("afd", "sock"):
        # IOCTL_AFD_POLL asks through any AFD endpoint: \\Device\\Afd (mio's) or a socket
        # (libuv's uv_poll polls through a peer socket of the same provider)
        from ..win32.winsock_afd import IOCTL_AFD_POLL, afd_device_control
        if kind == "afd" or code == IOCTL_AFD_POLL:
            return afd_device_control(p, FileHandle, Event, ApcRoutine, ApcContext,
                                      IoStatusBlock, code, InputBuffer, InputBufferLength,
                                      OutputBuffer, OutputBufferLength)
    if code >> 12 == AFD_DEVICE and kind == "sock":
        from ..win32.winsock_overlapped import afd_control     # a socket's AFD requests
        return afd_control(p, FileHandle, Event, ApcRoutine, ApcContext, code, InputBuffer,
                           InputBufferLength, IoStatusBlock)
    if getattr(f, "kind", None) == "mountmgr":   # which drive letter a volume is
        from .objects import mount_manager_control
        return mount_manager_control(p, IoStatusBlock, code, InputBuffer, InputBufferLength,
                                     OutputBuffer, OutputBufferLength)
    if code in REPARSE_CONTROLS:
        return _reparse_control(p, f, code, IoStatusBlock, InputBuffer, InputBufferLength,
                                OutputBuffer, OutputBufferLength)
    abi.write_iosb(p, IoStatusBlock, STATUS_INVALID_DEVICE_REQUEST, 0)
    raise NtError(STATUS_INVALID_DEVICE_REQUEST)


# File-system controls: kernelbase's DeviceIoControl sends them here; files answer the
# reparse-point ones.
sys_NtFsControlFile = sys_NtDeviceIoControlFile
REPARSE_CONTROLS = (reparse.FSCTL_GET_REPARSE_POINT, reparse.FSCTL_SET_REPARSE_POINT,
                    reparse.FSCTL_DELETE_REPARSE_POINT)


def _reparse_control(p, f, code: int, iosb, in_buf, in_len, out_buf, out_len) -> int:
    """A link's reparse data (a handle opened with FILE_OPEN_REPARSE_POINT), or making or
    unmaking one (nt/reparse.py)."""
    status, written = STATUS_SUCCESS, 0
    try:
        path = _handle_path(f)
        if code == reparse.FSCTL_GET_REPARSE_POINT:
            if not reparse.is_link(f.fstat()):
                raise reparse.ReparseError(STATUS_NOT_A_REPARSE_POINT)
            data = reparse.reparse_data(p, path)
            if out_len < 8:
                raise reparse.ReparseError(STATUS_BUFFER_TOO_SMALL)
            if out_len < len(data):
                data, status = data[:out_len], STATUS_BUFFER_OVERFLOW
            p.mm.write(out_buf, data)
            written = len(data)
        elif code == reparse.FSCTL_SET_REPARSE_POINT:
            reparse.set_reparse_point(p, path, p.mm.read(in_buf, min(in_len, 16 * 1024)))
        else:
            reparse.delete_reparse_point(p, path)
    except reparse.ReparseError as exc:
        status = exc.status
    except KernelError as exc:
        status = _status_of(exc)
    abi.write_iosb(p, iosb, status, written)
    if status:
        raise NtError(status)
    return STATUS_SUCCESS


FileRenameInformation, FileDispositionInformation = 10, 13
FileAllocationInformation, FileEndOfFileInformation = 19, 20
FileDispositionInformationEx, FileRenameInformationEx = 64, 65
FILE_DISPOSITION_DELETE, FILE_RENAME_REPLACE_IF_EXISTS = 0x1, 0x1
FILE_DISPOSITION_POSIX_SEMANTICS, FILE_DISPOSITION_IGNORE_READONLY_ATTRIBUTE = 0x2, 0x10


def _handle_path(f) -> str:
    path = getattr(f, "guest_path", None)
    if not getattr(f, "path_backed", False) or not isinstance(path, str):
        raise NtError(STATUS_INVALID_PARAMETER)
    return path


def _rename(p, f, info: bytes, replace: bool) -> None:
    """FILE_RENAME_INFORMATION: (flags or ReplaceIfExists), RootDirectory, the new name's
    length and the UTF-16 name, an NT path or one relative to RootDirectory."""
    word = abi.word(p)
    root = int.from_bytes(info[word:2 * word], "little")
    length = struct.unpack_from("<I", info, 2 * word)[0]
    name = info[2 * word + 4:2 * word + 4 + length].decode("utf-16-le", errors="replace")
    target = _guest_path(p, root, name)
    fs = p.kernel.fs
    if not replace and fs.resolve("/", target, False, p).exists:
        raise NtError(STATUS_OBJECT_NAME_COLLISION)
    check_replace_target(p, target, sharing.file_key(f.fstat()))
    fs.rename("/", _handle_path(f), "/", target, p)
    f.guest_path = target
    dosattrib.archive_at(p, target)        # a renamed file is to be archived again


def _set_disposition(p, f, flags: int) -> None:
    """Delete pending: the name goes when the last handle to the file closes, and clearing the
    flag before then keeps it (LLVM marks its temporary files so, then renames them). POSIX
    semantics remove the name now, as unlink does; open handles keep the file."""
    _handle_path(f)                               # a file opened by name, or INVALID_PARAMETER
    if not flags & FILE_DISPOSITION_DELETE:
        f.on_last_close = None
        return
    st = f.fstat()
    if S.S_ISREG(st.st_mode) and not st.st_mode & 0o200 and \
            not flags & FILE_DISPOSITION_IGNORE_READONLY_ATTRIBUTE:
        raise NtError(STATUS_CANNOT_DELETE)     # FILE_ATTRIBUTE_READONLY
    if flags & FILE_DISPOSITION_POSIX_SEMANTICS:
        _delete_name(p, f)
        return
    if f.fstat().st_mode & 0o170000 == 0o040000:   # a directory must be empty to be deleted
        if p.kernel.fs.list_names("/", _handle_path(f), p):
            raise NtError(STATUS_DIRECTORY_NOT_EMPTY)
    f.on_last_close = lambda: _delete_name(p, f, quiet=True)


def _delete_name(p, f, quiet: bool = False) -> None:
    path = _handle_path(f)
    is_dir = f.fstat().st_mode & 0o170000 == 0o040000 if not f.closed else \
        p.kernel.fs.stat("/", path, False, p).st_mode & 0o170000 == 0o040000
    try:
        (p.kernel.fs.rmdir if is_dir else p.kernel.fs.unlink)("/", path, p)
    except KernelError:
        if not quiet:      # at the last close nobody is left to tell
            raise


FILE_ATTRIBUTE_READONLY, FILE_ATTRIBUTE_DIRECTORY = 0x1, 0x10


def check_delete_by_name(p, path: str, deleting: bool = True) -> None:
    """What DeleteFile's (or, deleting False, MoveFile's) open of a file for DELETE would
    refuse: one held open without FILE_SHARE_DELETE (STATUS_SHARING_VIOLATION), and when
    deleting a read-only file (STATUS_CANNOT_DELETE; the host would let sysvec, which runs
    as root, delete it)."""
    try:
        st = p.kernel.fs.stat("/", path, False, p)
    except KernelError:
        return          # the call itself says what is missing
    key = sharing.file_key(st)
    if key is None:
        return
    p.sysvec.personality.machine(p.kernel).file_shares.check_delete(key)
    if deleting and not st.st_mode & 0o200:
        raise NtError(STATUS_CANNOT_DELETE)


def check_replace_target(p, path: str, source_key: tuple | None = None) -> None:
    """A rename onto an existing file replaces it, which its holders must allow: one held
    open without FILE_SHARE_DELETE refuses (STATUS_ACCESS_DENIED, as NTFS answers; a
    Python program's os.replace over a file it has open fails so on Windows). A rename
    onto the file itself (a change of case) replaces nothing."""
    try:
        st = p.kernel.fs.stat("/", path, False, p)
    except KernelError:
        return          # nothing to replace
    key = sharing.file_key(st)
    if key is None or key == source_key:
        return
    try:
        p.sysvec.personality.machine(p.kernel).file_shares.check_delete(key)
    except NtError:
        raise NtError(STATUS_ACCESS_DENIED) from None


def _set_basic(p, f, access: int, write: int, attrs: int) -> None:
    """FILE_BASIC_INFORMATION's access and write times (0 or -1: left alone; a file here
    has no creation time of its own) and, when attributes are given, the attributes: exactly
    those (kernelbase's SetFileAttributes adds FILE_ATTRIBUTE_NORMAL so that none is not
    0, "leave them"), read-only as the owner's write permission. A new write time is no
    change of the data: a file whose ARCHIVE a program cleared stays so."""
    path, st = _handle_path(f), f.fstat()
    directory = S.S_ISDIR(st.st_mode) or reparse.is_link(st) and \
        reparse.leads_to_directory(p, path)
    if attrs & dosattrib.FILE_ATTRIBUTE_TEMPORARY and directory:
        raise NtError(STATUS_INVALID_PARAMETER)   # MS-FSA 2.1.5.15.2: no temporary directory
    kept = None
    if not attrs and write not in (0, -1) and S.S_ISREG(st.st_mode):
        kept = dosattrib.word_of(p, f, st)

    def ns(ticks: int, current: int) -> int:
        return current if ticks in (0, -1) else abi.ns_of_filetime(ticks)
    if access not in (0, -1) or write not in (0, -1):
        p.kernel.fs.utimens("/", path, (ns(access, st.st_atime_ns), ns(write, st.st_mtime_ns)),
                            ctx=p)
    if kept is not None and not kept & dosattrib.FILE_ATTRIBUTE_ARCHIVE:
        dosattrib.set_of(p, f, kept)           # cleared at the new time
    if attrs:
        set_attributes(p, f, path, st, attrs, bool(directory))


def set_attributes(p, f, path: str, st, attrs: int, directory: bool) -> None:
    """Set a file's attributes to attrs (nonzero): read-only as the owner's write bit (st:
    the file's stat), the rest as its DOS attribute word, through the handle f when there
    is one, else at path (a link's own)."""
    from ..win32.kernel32_files import _chmod
    if attrs & FILE_ATTRIBUTE_DIRECTORY and not directory:
        raise NtError(STATUS_INVALID_PARAMETER)   # MS-FSA 2.1.5.15.2: a file is no directory
    mode = S.S_IMODE(st.st_mode)
    readonly = bool(attrs & FILE_ATTRIBUTE_READONLY)
    if readonly == bool(mode & 0o200):          # a change of the read-only attribute
        _chmod(p, path, mode & ~0o222 if readonly else mode | 0o200)
    if f is not None:
        dosattrib.set_of(p, f, attrs, directory=directory)
    else:
        dosattrib.set_at(p, path, attrs, directory=directory)


def _sized(f):
    """f, if it is a file with an end to move (STATUS_INVALID_PARAMETER for a directory, a
    pipe or a device, as NTFS answers for a directory: they have none; the handler failed
    inside on a directory handle)."""
    if not hasattr(f, "truncate"):
        raise NtError(STATUS_INVALID_PARAMETER)
    return f


def sys_NtSetInformationFile(p, FileHandle, IoStatusBlock, FileInformation, Length,
                             FileInformationClass):
    """Times (basic information), the position, the end of file, the allocation (a hint),
    deleting (pending until the last handle closes, or at once with POSIX semantics) and
    renaming, the plain and the Ex forms (zig's atomic file writes rename and delete through
    these)."""
    f = abi.file_of(p, FileHandle)
    info = p.mm.read(FileInformation, min(Length, 4096))
    try:
        if FileInformationClass == FileBasicInformation and len(info) >= 36:
            _c, access, write, _ch, attrs = struct.unpack_from("<qqqqI", info)
            _set_basic(p, f, access, write, attrs)
        elif FileInformationClass == FilePositionInformation and len(info) >= 8:
            f.lseek(struct.unpack_from("<q", info)[0], 0)
        elif FileInformationClass == FileEndOfFileInformation and len(info) >= 8:
            _sized(f).truncate(struct.unpack_from("<q", info)[0])
        elif FileInformationClass == FileAllocationInformation and len(info) >= 8:
            # An allocation below the end of file moves the end down to it (NTFS; Rust's
            # fs::write truncates so); a larger one only reserves space, which we skip.
            size = struct.unpack_from("<q", info)[0]
            if size < _sized(f).fstat().st_size:
                f.truncate(max(size, 0))
        elif FileInformationClass in (FileDispositionInformation,
                                      FileDispositionInformationEx) and info:
            flags = 1 if FileInformationClass == FileDispositionInformation and info[0] else \
                0 if FileInformationClass == FileDispositionInformation else \
                struct.unpack_from("<I", info)[0]
            _set_disposition(p, f, flags)
        elif FileInformationClass in (FileRenameInformation, FileRenameInformationEx):
            flags = info[0] if FileInformationClass == FileRenameInformation else \
                struct.unpack_from("<I", info)[0]
            _rename(p, f, info, bool(flags & FILE_RENAME_REPLACE_IF_EXISTS))
        else:
            raise NtError(STATUS_INVALID_INFO_CLASS)
    except KernelError as exc:
        if isinstance(exc, NtError):
            raise
        raise NtError(_status_of(exc)) from None
    abi.write_iosb(p, IoStatusBlock, STATUS_SUCCESS, 0)
    return STATUS_SUCCESS


def sys_NtFlushBuffersFile(p, FileHandle, IoStatusBlock):
    """Writes reach the host file as they are made (the guest's fsync is a no-op too): a valid
    handle is all there is to check."""
    abi.file_of(p, FileHandle)
    abi.write_iosb(p, IoStatusBlock, STATUS_SUCCESS, 0)
    return STATUS_SUCCESS
