"""kernel32 synchronisation objects for a process with one thread: semaphores, events and
mutexes as counters. A wait that could only be satisfied by another thread cannot succeed:
it times out, or with INFINITE fails (WAIT_FAILED) rather than hang the process. The C++
runtime's static initialisation creates and waits on such objects."""
from __future__ import annotations

from dataclasses import dataclass

WAIT_OBJECT_0, WAIT_TIMEOUT, WAIT_FAILED = 0, 0x102, 0xFFFFFFFF
INFINITE = 0xFFFFFFFF
ERROR_INVALID_HANDLE, ERROR_TOO_MANY_POSTS, ERROR_NOT_OWNER = 6, 298, 288
FIRST_HANDLE = 0x100000    # above the handles of descriptors (4 * (fd + 1))


@dataclass
class SyncObject:
    kind: str            # "semaphore", "event", "mutex"
    count: int = 0       # semaphore count; event signalled (1/0); mutex recursion depth
    limit: int = 1
    manual_reset: bool = False


def _objects(p) -> dict:
    return p.win32.__dict__.setdefault("sync", {})


def _new(p, obj: SyncObject) -> int:
    objects = _objects(p)
    handle = FIRST_HANDLE + 4 * (len(objects) + p.win32.__dict__.get("sync_closed", 0))
    objects[handle] = obj
    return handle


def new_handle(p, obj) -> int:
    """A handle for any kernel32 object with a `kind` (searches, jobs, processes ...)."""
    return _new(p, obj)


def object_of(p, handle: int, kind: str):
    obj = _objects(p).get(handle)
    return obj if obj is not None and obj.kind == kind else None


def is_sync_handle(p, handle: int) -> bool:
    return handle in _objects(p)


def close_sync_handle(p, handle: int) -> None:
    obj = _objects(p).pop(handle, None)
    if hasattr(obj, "close"):
        obj.close(p)
    p.win32.sync_closed = p.win32.__dict__.get("sync_closed", 0) + 1


def sys_kernel32_CreateSemaphoreW(p, lpAttributes, lInitialCount, lMaximumCount, lpName):
    if lMaximumCount <= 0 or not 0 <= lInitialCount <= lMaximumCount:
        p.win32.last_error = 87
        return 0
    return _new(p, SyncObject("semaphore", lInitialCount, lMaximumCount))


def sys_kernel32_ReleaseSemaphore(p, hSemaphore, lReleaseCount, lpPreviousCount):
    obj = _objects(p).get(hSemaphore)
    if obj is None or obj.kind != "semaphore":
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    if lpPreviousCount:
        p.mm.write_u32(lpPreviousCount, obj.count)
    if lReleaseCount <= 0 or obj.count + lReleaseCount > obj.limit:
        p.win32.last_error = ERROR_TOO_MANY_POSTS
        return 0
    obj.count += lReleaseCount
    return 1


def sys_kernel32_CreateEventW(p, lpAttributes, bManualReset, bInitialState, lpName):
    return _new(p, SyncObject("event", 1 if bInitialState else 0, 1, bool(bManualReset)))


def _signal_event(p, hEvent, signalled: int) -> int:
    obj = _objects(p).get(hEvent)
    if obj is None or obj.kind != "event":
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    obj.count = signalled
    return 1


def sys_kernel32_SetEvent(p, hEvent):
    return _signal_event(p, hEvent, 1)


def sys_kernel32_ResetEvent(p, hEvent):
    return _signal_event(p, hEvent, 0)


def sys_kernel32_CreateMutexW(p, lpAttributes, bInitialOwner, lpName):
    return _new(p, SyncObject("mutex", 1 if bInitialOwner else 0, 1 << 31))


def sys_kernel32_ReleaseMutex(p, hMutex):
    obj = _objects(p).get(hMutex)
    if obj is None or obj.kind != "mutex" or obj.count == 0:
        p.win32.last_error = ERROR_NOT_OWNER
        return 0
    obj.count -= 1
    return 1


def sys_kernel32_WaitForSingleObjectEx(p, hHandle, dwMilliseconds, bAlertable):
    return sys_kernel32_WaitForSingleObject(p, hHandle, dwMilliseconds)


def sys_kernel32_WaitForSingleObject(p, hHandle, dwMilliseconds):
    obj = _objects(p).get(hHandle)
    if obj is not None and hasattr(obj, "wait"):
        return obj.wait(p, dwMilliseconds)   # a process: waiting blocks in the kernel
    if obj is None or obj.kind not in ("semaphore", "event", "mutex"):
        p.win32.last_error = ERROR_INVALID_HANDLE
        return WAIT_FAILED
    if obj.kind == "mutex":              # the one thread owns it, recursively
        obj.count += 1
        return WAIT_OBJECT_0
    if obj.count > 0:
        if obj.kind == "semaphore" or not obj.manual_reset:
            obj.count -= 1
        return WAIT_OBJECT_0
    if dwMilliseconds != INFINITE:
        return WAIT_TIMEOUT   # nothing else could signal it: waiting would only delay
    p.win32.last_error = ERROR_INVALID_HANDLE   # no other thread could ever signal it
    return WAIT_FAILED


def sys_kernel32_TlsFree(p, dwTlsIndex):
    return 1


def sys_kernel32_LocalAlloc(p, uFlags, uBytes):
    return p.win32.heap.alloc(max(uBytes, 1), zero=bool(uFlags & 0x40))


def sys_kernel32_LocalFree(p, hMem):
    p.win32.heap.free(hMem)
    return 0


def sys_kernel32_FormatMessageA(p, dwFlags, lpSource, dwMessageId, dwLanguageId, lpBuffer,
                                nSize, Arguments):
    """Messages for system error codes, in the caller's buffer (or one it frees with
    LocalFree when FORMAT_MESSAGE_ALLOCATE_BUFFER)."""
    import os
    text = f"{os.strerror(dwMessageId) if dwMessageId < 200 else 'Unknown error'}\r\n".encode()
    if dwFlags & 0x100:   # FORMAT_MESSAGE_ALLOCATE_BUFFER
        from ..nt import abi
        buf = p.win32.heap.alloc(len(text) + 1)
        p.mm.write(buf, text + b"\0")
        abi.write_ptr(p, lpBuffer, buf)
        return len(text)
    if nSize < len(text) + 1:
        p.win32.last_error = 122
        return 0
    p.mm.write(lpBuffer, text + b"\0")
    return len(text)
