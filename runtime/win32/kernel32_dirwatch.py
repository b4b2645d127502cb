"""ReadDirectoryChangesW: what changes in a watched directory (or its subtree), as
FILE_NOTIFY_INFORMATION records, from the machine's file system's change reports (the ones
Linux's dnotify hears too). A handle's watch starts recording at its first call, as on
Windows, and keeps what happens between calls; a read waits (or stays pending on the
handle's completion port: Go's fsnotify, libuv's fs.watch) until something changed. More
changes than a watch keeps complete a read with no records: the program must look again."""
from __future__ import annotations

import errno
import os
import struct
import weakref
from dataclasses import dataclass, field

from ..errors import KernelError
from ..kernel import Block
from ..nt import abi
from .kernel32_iocp import Pending, complete, start_pending

FILE_ACTION_ADDED, FILE_ACTION_REMOVED, FILE_ACTION_MODIFIED = 1, 2, 3
FILE_ACTION_RENAMED_OLD_NAME, FILE_ACTION_RENAMED_NEW_NAME = 4, 5
CHANGE_NAMES = 0x1 | 0x2                  # FILE_NOTIFY_CHANGE_FILE_NAME | _DIR_NAME
CHANGE_CONTENT = 0x8 | 0x10               # _SIZE | _LAST_WRITE
CHANGE_ATTRIBUTES = 0x4 | 0x10 | 0x100    # _ATTRIBUTES | _LAST_WRITE | _SECURITY
MAX_RECORDS = 4096
ERROR_INVALID_HANDLE, ERROR_INVALID_FUNCTION, ERROR_INVALID_PARAMETER = 6, 1, 87
ERROR_OPERATION_ABORTED = 995


@dataclass(eq=False)
class DirWatch:
    file: object
    host: str
    subtree: bool
    filter: int
    records: list = field(default_factory=list)    # (action, name relative to the directory)
    overflowed: bool = False
    renaming: bool = False

    def relative(self, directory: str, name: str) -> str | None:
        if directory == self.host:
            return name
        if self.subtree and directory.startswith(self.host + os.sep):
            return os.path.relpath(os.path.join(directory, name), self.host).replace(os.sep, "\\")
        return None

    def record(self, events: tuple, directory: str, name: str) -> None:
        rel = self.relative(directory, name)
        if rel is None:
            return
        if "create" in events or "delete" in events:
            if not self.filter & CHANGE_NAMES:
                return
            if "delete" in events:
                action = FILE_ACTION_RENAMED_OLD_NAME if "rename" in events else \
                    FILE_ACTION_REMOVED
                self.renaming = "rename" in events
            else:
                action = FILE_ACTION_RENAMED_NEW_NAME if self.renaming else FILE_ACTION_ADDED
                self.renaming = False
        elif ("modify" in events or "attrib" in events) and \
                self.filter & (CHANGE_CONTENT if "modify" in events else CHANGE_ATTRIBUTES):
            action = FILE_ACTION_MODIFIED
            if self.records and self.records[-1] == (action, rel):
                return                        # one record for a run of writes, as Windows
        else:
            return
        if len(self.records) >= MAX_RECORDS:
            self.records.clear()
            self.overflowed = True
        elif not self.overflowed:
            self.records.append((action, rel))

    def take(self, room: int) -> bytes:
        """As many records as fit in room bytes, chained by NextEntryOffset; b"" when the
        watch overflowed or the first record does not fit (the program rescans)."""
        if self.overflowed:
            self.overflowed = False
            return b""
        out, sizes = [], []
        used = 0
        for action, name in self.records:
            encoded = name.encode("utf-16-le")
            size = (12 + len(encoded) + 3) & ~3
            if used + size > room:
                break
            out.append((action, encoded))
            sizes.append(size)
            used += size
        if not out:
            self.records.clear()
            return b""
        del self.records[:len(out)]
        data = bytearray()
        for i, ((action, encoded), size) in enumerate(zip(out, sizes)):
            following = size if i + 1 < len(out) else 0
            data += struct.pack("<III", following, action, len(encoded)) + encoded
            data += bytes(size - 12 - len(encoded))
        return bytes(data)


class DirWatchers:
    """The file system listener feeding every watch of a machine."""

    def __init__(self):
        self.watches: list[DirWatch] = []

    def __call__(self, events, directory: str, itself, name: str) -> None:
        for watch in list(self.watches):
            if watch.file.closed:
                self.watches.remove(watch)
            else:
                watch.record(events, directory, name)


def _watch_of(p, handle, subtree: bool, notify_filter: int) -> DirWatch | None:
    try:
        f = p.fds.get(abi.fd_of_handle(handle))
    except Exception:   # NtError / KernelError: no such descriptor
        p.win32.last_error = ERROR_INVALID_HANDLE
        return None
    if getattr(f, "kind", None) != "dir":
        p.win32.last_error = ERROR_INVALID_FUNCTION
        return None
    watch = getattr(f, "dir_watch", None)
    if watch is None:
        fs = p.kernel.fs
        watchers = fs.change_listeners.get("ReadDirectoryChangesW")
        if watchers is None:
            watchers = DirWatchers()
            fs.listen_changes("ReadDirectoryChangesW", watchers)
        host = fs.resolve("/", f.guest_path, True, p).host
        watch = f.dir_watch = DirWatch(f, host, subtree, notify_filter)
        watchers.watches.append(watch)
    watch.subtree, watch.filter = subtree, notify_filter
    return watch


@dataclass(eq=False)
class PendingDirRead(Pending):
    handle: int
    overlapped: int
    watch: DirWatch
    buffer: int
    length: int
    routine: int = 0                 # the completion routine, run as an APC
    apc_queue: list | None = None    # ... in the thread that asked

    def ready(self, p) -> bool:
        return bool(self.watch.records) or self.watch.overflowed

    def finish(self, p) -> None:
        from .apc import queue_routine
        data = self.watch.take(self.length)
        p.mm.write(self.buffer, data)
        complete(p, self.handle, self.overlapped, len(data))
        if self.routine:
            queue_routine(self.apc_queue, self.routine, 0, len(data), self.overlapped)


def sys_kernel32_ReadDirectoryChangesW(p, hDirectory, lpBuffer, nBufferLength, bWatchSubtree,
                                       dwNotifyFilter, lpBytesReturned, lpOverlapped,
                                       lpCompletionRoutine):
    if not lpCompletionRoutine:
        from .kernel32_iocp import begin
        begin(p, lpOverlapped)
    if not dwNotifyFilter or not lpBuffer and nBufferLength:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    watch = _watch_of(p, hDirectory, bool(bWatchSubtree), dwNotifyFilter)
    if watch is None:
        return 0
    state = p.win32
    if state.io_cancelled and not lpOverlapped:     # CancelIoEx / CancelSynchronousIo
        state.io_cancelled, state.sync_io_handle = False, None
        p.win32.last_error = ERROR_OPERATION_ABORTED
        return 0
    if not (watch.records or watch.overflowed):
        if lpOverlapped:    # queued: TRUE, not ERROR_IO_PENDING, for this call
            from .apc import thread_queue
            start_pending(p, PendingDirRead(hDirectory, lpOverlapped, watch, lpBuffer,
                                            nBufferLength, lpCompletionRoutine,
                                            thread_queue(p) if lpCompletionRoutine else None))
            p.win32.last_error = 0
            return 1
        state.sync_io_handle = hDirectory
        raise Block(lambda: bool(watch.records) or watch.overflowed or watch.file.closed)
    state.sync_io_handle = None
    data = watch.take(nBufferLength)
    p.mm.write(lpBuffer, data)
    if lpBytesReturned:
        p.mm.write_u32(lpBytesReturned, len(data))
    if lpOverlapped:
        complete(p, hDirectory, lpOverlapped, len(data), at_once=True)
        if lpCompletionRoutine:
            from .apc import queue_routine, thread_queue
            queue_routine(thread_queue(p), lpCompletionRoutine, 0, len(data), lpOverlapped)
    return 1


# --- FindFirstChangeNotification: a waitable handle for "something changed here" ------------

class _WhileHeld:
    """A notification watch's "file": closed by FindCloseChangeNotification, or once no
    handle holds its event (CloseHandle, the process's end), so no watch outlives it."""

    def __init__(self, event):
        self.event = weakref.ref(event)
        self.shut = False

    @property
    def closed(self) -> bool:
        return self.shut or self.event() is None

    @closed.setter
    def closed(self, value: bool) -> None:
        self.shut = value


@dataclass(eq=False)
class ChangeNotification(DirWatch):
    """A watch whose records only signal its event (a manual-reset event object: the waits
    of kernel32_wait take it as any event)."""
    event: object = None

    def record(self, events: tuple, directory: str, name: str) -> None:
        super().record(events, directory, name)
        if self.records or self.overflowed:
            self.records.clear()
            self.overflowed = False
            self.event.count = 1


def _change_notification(p, path: str, subtree: bool, notify_filter: int) -> int:
    from .kernel32_files import _by_name
    from .kernel32_sync import SyncObject, new_handle
    invalid = (1 << (8 * abi.word(p))) - 1
    if not notify_filter or notify_filter & ~0x17F:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return invalid
    found = []

    def resolve(guest: str) -> None:
        r = p.kernel.fs.resolve("/", guest, True, p)
        if not r.exists or not os.path.isdir(r.host or ""):
            raise KernelError(errno.ENOENT if not r.exists else errno.ENOTDIR)
        found.append(r.host)
    if not _by_name(p, path, resolve) or not found:
        return invalid
    fs = p.kernel.fs
    watchers = fs.change_listeners.get("ReadDirectoryChangesW")
    if watchers is None:
        watchers = DirWatchers()
        fs.listen_changes("ReadDirectoryChangesW", watchers)
    event = SyncObject("event", 0, 1, True)
    watch = ChangeNotification(_WhileHeld(event), found[0], subtree, notify_filter)
    watch.event = weakref.proxy(event)        # (the handle table keeps it, not the watch)
    event.change_watch = watch
    watchers.watches.append(watch)
    return new_handle(p, event)


def sys_kernel32_FindFirstChangeNotificationW(p, lpPathName, bWatchSubtree, dwNotifyFilter):
    """A handle signalled when something the filter names changes in the directory (or its
    subtree); FindNextChangeNotification waits for the next change."""
    from .wide import read_wstr
    return _change_notification(p, read_wstr(p, lpPathName), bool(bWatchSubtree & 0xFFFFFFFF),
                                dwNotifyFilter & 0xFFFFFFFF)


def sys_kernel32_FindFirstChangeNotificationA(p, lpPathName, bWatchSubtree, dwNotifyFilter):
    return _change_notification(p, p.mm.read_cstr(lpPathName).decode("latin-1"),
                                bool(bWatchSubtree & 0xFFFFFFFF), dwNotifyFilter & 0xFFFFFFFF)


def _notification(p, handle):
    from .kernel32_sync import object_of
    event = object_of(p, handle, "event")
    if event is None or getattr(event, "change_watch", None) is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return None
    return event


def sys_kernel32_FindNextChangeNotification(p, hChangeHandle):
    event = _notification(p, hChangeHandle)
    if event is None:
        return 0
    event.count = 0
    return 1


def sys_kernel32_FindCloseChangeNotification(p, hChangeHandle):
    from .kernel32_sync import close_sync_handle
    event = _notification(p, hChangeHandle)
    if event is None:
        return 0
    event.change_watch.file.closed = True      # the listener drops it
    close_sync_handle(p, hChangeHandle)
    return 1
