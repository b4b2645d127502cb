"""Whether a file a warm server imported (runtime/warmstart.py) has changed since it started,
answered without a stat of every one of them (~700, 1.5 ms) on every run: inotify watches
their directories, and only after one of them reported an event are the files' sizes and
mtimes compared again (an event may be for a file that is no module: an editor's swap file).
Without inotify (a watch limit reached, no libc symbol) every question compares them."""
from __future__ import annotations

import os

# <sys/inotify.h>: what changes a file in a watched directory, or the directory itself.
IN_MODIFY, IN_ATTRIB, IN_CLOSE_WRITE = 0x2, 0x4, 0x8
IN_MOVED_FROM, IN_MOVED_TO, IN_CREATE, IN_DELETE = 0x40, 0x80, 0x100, 0x200
IN_DELETE_SELF, IN_MOVE_SELF = 0x400, 0x800
CHANGES = (IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE
           | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF)


def stamps_differ(stamps: dict) -> bool:
    """Whether any path's (mtime, size) is not the one recorded, or the path is gone."""
    for path, stamp in stamps.items():
        try:
            st = os.stat(path)
        except OSError:
            return True
        if (st.st_mtime_ns, st.st_size) != stamp:
            return True
    return False


class ModuleWatch:
    """The paths TAKE_STAMPS() stamps ({path: (mtime_ns, size)}), watched: their stamps are
    taken again once the watches are set, so no change falls between the two."""

    def __init__(self, take_stamps):
        self.fd = _watch({path if os.path.isdir(path) else os.path.dirname(path)
                          for path in take_stamps()})
        self.stamps = take_stamps()

    def changed(self) -> bool:
        if self.fd is None:
            return stamps_differ(self.stamps)
        events = False
        try:
            while os.read(self.fd, 1 << 16):      # drained: later events are news
                events = True
        except BlockingIOError:
            pass
        except OSError:
            events = True
        return events and stamps_differ(self.stamps)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _watch(directories: set) -> int | None:
    """An inotify descriptor (non-blocking, close-on-exec) watching DIRECTORIES; None when
    any of them cannot be watched."""
    import ctypes
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        init, add = libc.inotify_init1, libc.inotify_add_watch
    except (OSError, AttributeError):
        return None
    add.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
    fd = init(os.O_NONBLOCK | os.O_CLOEXEC)
    if fd < 0:
        return None
    for directory in directories:
        if add(fd, os.fsencode(directory), CHANGES) < 0:
            os.close(fd)
            return None
    return fd
