"""The C runtime's own locks: msvcrt's numbered _lock/_unlock (its streams, heap, environment
...) and UCRT's _lock_file/_unlock_file. A single CRT call runs whole within one trap, but a
caller may hold one across many: mingw-w64's printf takes the stream's lock and then writes a
character at a time with fputc, so without a real lock two threads' lines interleave. Each is
a recursive lock owned by a thread, kept in the process's state; a waiter blocks until the
owner's last unlock and then retries the call."""
from __future__ import annotations

from ..kernel import Block


def _locks(p) -> dict:
    """key -> [owning thread id, recursion count], shared by the process's threads."""
    return p.win32.crt_locks


def _take(p, key) -> int:
    locks = _locks(p)
    owner, count = locks.get(key, (0, 0))
    if owner not in (0, p.pid):
        raise Block(lambda: key not in locks)
    locks[key] = (p.pid, count + 1)
    return 0


def _release(p, key) -> int:
    locks = _locks(p)
    owner, count = locks.get(key, (0, 0))
    if owner == p.pid:          # another thread's unlock is the caller's bug: ignored
        if count > 1:
            locks[key] = (owner, count - 1)
        else:
            del locks[key]
    return 0


def sys_msvcrt__lock(p, locknum):
    return _take(p, ("msvcrt", locknum & 0xFFFFFFFF))


def sys_msvcrt__unlock(p, locknum):
    return _release(p, ("msvcrt", locknum & 0xFFFFFFFF))


def sys_ucrtbase__lock_file(p, stream):
    return _take(p, ("stream", stream))


def sys_ucrtbase__unlock_file(p, stream):
    return _release(p, ("stream", stream))
