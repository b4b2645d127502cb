"""kernel32's handle table for objects that are no file: semaphores, events and mutexes
(waited for in kernel32_wait), and the searches, jobs, processes, threads and completion
ports other modules keep here."""
from __future__ import annotations

from dataclasses import dataclass, field

from .named_objects import create_named, forget, open_named, read_name

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
    owner: int = 0       # a mutex's owning thread id
    sockets: list = field(default_factory=list)   # an event's WSAEventSelect sockets


def _objects(p) -> dict:
    return p.win32.sync


def _new(p, obj: SyncObject, handle: int = 0) -> int:
    """A handle for obj in p's table (at `handle` when given, as inheritance keeps values).
    An object counts its handles, in every process: the last one's close closes it."""
    objects = _objects(p)
    if not handle:
        handle = FIRST_HANDLE + 4 * (len(objects) + p.win32.sync_closed)
        while handle in objects:        # values inherited from a parent are taken
            handle += 4
    objects[handle] = obj
    obj.open_handles = getattr(obj, "open_handles", 0) + 1
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
    if obj is not None:
        obj.open_handles = getattr(obj, "open_handles", 1) - 1
        if obj.open_handles <= 0:
            forget(p, obj)
            if hasattr(obj, "close"):
                obj.close(p)
    p.win32.sync_closed = p.win32.sync_closed + 1


def close_all_handles(p) -> None:
    """A process that ends closes its handles: the last handle of an object ends what it
    holds (a kill-on-close job's processes, a name, a section's pages)."""
    for handle in list(_objects(p)):
        close_sync_handle(p, handle)


def _create_semaphore(p, initial: int, maximum: int, name: str) -> int:
    if maximum <= 0 or not 0 <= initial <= maximum:
        p.win32.last_error = 87
        return 0
    return create_named(p, name, "semaphore", lambda: SyncObject("semaphore", initial, maximum))


def sys_kernel32_CreateSemaphoreW(p, lpAttributes, lInitialCount, lMaximumCount, lpName):
    return _create_semaphore(p, lInitialCount, lMaximumCount, read_name(p, lpName, True))


def sys_kernel32_CreateSemaphoreA(p, lpAttributes, lInitialCount, lMaximumCount, lpName):
    return _create_semaphore(p, lInitialCount, lMaximumCount, read_name(p, lpName, False))


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


def _create_event(p, manual_reset: bool, initial: bool, name: str) -> int:
    return create_named(p, name, "event",
                        lambda: SyncObject("event", int(initial), 1, manual_reset))


def sys_kernel32_CreateEventW(p, lpAttributes, bManualReset, bInitialState, lpName):
    return _create_event(p, bool(bManualReset), bool(bInitialState), read_name(p, lpName, True))


def sys_kernel32_CreateEventA(p, lpAttributes, bManualReset, bInitialState, lpName):
    return _create_event(p, bool(bManualReset), bool(bInitialState), read_name(p, lpName, False))


CREATE_EVENT_MANUAL_RESET, CREATE_EVENT_INITIAL_SET = 1, 2


def sys_kernel32_CreateEventExW(p, lpEventAttributes, lpName, dwFlags, dwDesiredAccess):
    return _create_event(p, bool(dwFlags & CREATE_EVENT_MANUAL_RESET),
                         bool(dwFlags & CREATE_EVENT_INITIAL_SET), read_name(p, lpName, True))


def sys_kernel32_CreateSemaphoreExW(p, lpSemaphoreAttributes, lInitialCount, lMaximumCount,
                                    lpName, dwFlags, dwDesiredAccess):
    return _create_semaphore(p, lInitialCount, lMaximumCount, read_name(p, lpName, True))


# OpenEvent, OpenMutex, OpenSemaphore: the object of that name, whatever access is asked.

def sys_kernel32_OpenEventW(p, dwDesiredAccess, bInheritHandle, lpName):
    return open_named(p, read_name(p, lpName, True), "event")


def sys_kernel32_OpenEventA(p, dwDesiredAccess, bInheritHandle, lpName):
    return open_named(p, read_name(p, lpName, False), "event")


def sys_kernel32_OpenMutexW(p, dwDesiredAccess, bInheritHandle, lpName):
    return open_named(p, read_name(p, lpName, True), "mutex")


def sys_kernel32_OpenMutexA(p, dwDesiredAccess, bInheritHandle, lpName):
    return open_named(p, read_name(p, lpName, False), "mutex")


def sys_kernel32_OpenSemaphoreW(p, dwDesiredAccess, bInheritHandle, lpName):
    return open_named(p, read_name(p, lpName, True), "semaphore")


def sys_kernel32_OpenSemaphoreA(p, dwDesiredAccess, bInheritHandle, lpName):
    return open_named(p, read_name(p, lpName, False), "semaphore")


def sys_kernel32_FlushProcessWriteBuffers(p):
    return 0        # one core runs every thread: stores are seen in order already


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


def _create_mutex(p, owned: bool, name: str) -> int:
    return create_named(p, name, "mutex", lambda: SyncObject(
        "mutex", int(owned), 1 << 31, owner=p.pid if owned else 0))


LowMemoryResourceNotification, HighMemoryResourceNotification = 0, 1


def sys_kernel32_CreateMemoryResourceNotification(p, NotificationType):
    """A manual-reset event the system sets while memory is low (never, here) or plentiful
    (always): the .NET GC waits on one."""
    if NotificationType not in (LowMemoryResourceNotification, HighMemoryResourceNotification):
        p.win32.last_error = 87
        return 0
    return _new(p, SyncObject("event", int(NotificationType == HighMemoryResourceNotification),
                              1, True))


def sys_kernel32_QueryMemoryResourceNotification(p, ResourceNotificationHandle, ResourceState):
    obj = object_of(p, ResourceNotificationHandle, "event")
    if obj is None or not ResourceState:
        p.win32.last_error = ERROR_INVALID_HANDLE if obj is None else 87
        return 0
    p.mm.write_u32(ResourceState, obj.count)
    return 1


def sys_kernel32_CreateMutexW(p, lpAttributes, bInitialOwner, lpName):
    return _create_mutex(p, bool(bInitialOwner), read_name(p, lpName, True))


def sys_kernel32_CreateMutexA(p, lpAttributes, bInitialOwner, lpName):
    return _create_mutex(p, bool(bInitialOwner), read_name(p, lpName, False))


def sys_kernel32_ReleaseMutex(p, hMutex):
    obj = _objects(p).get(hMutex)
    if obj is None or obj.kind != "mutex" or obj.count == 0 or obj.owner != p.pid:
        p.win32.last_error = ERROR_NOT_OWNER
        return 0
    obj.count -= 1
    if obj.count == 0:
        obj.owner = 0
    return 1


def sys_kernel32_TlsFree(p, dwTlsIndex):
    used = p.win32.tls_used
    if dwTlsIndex not in used:
        p.win32.last_error = 87   # ERROR_INVALID_PARAMETER
        return 0
    used.discard(dwTlsIndex)
    return 1


def sys_kernel32_LocalAlloc(p, uFlags, uBytes):
    return p.win32.heap.alloc(max(uBytes, 1), zero=bool(uFlags & 0x40))


def sys_kernel32_LocalFree(p, hMem):
    p.win32.heap.free(hMem)
    return 0


CREATE_MUTEX_INITIAL_OWNER = 0x1


def sys_kernel32_CreateMutexExW(p, lpMutexAttributes, lpName, dwFlags, dwDesiredAccess):
    return _create_mutex(p, bool(dwFlags & CREATE_MUTEX_INITIAL_OWNER), read_name(p, lpName, True))


def sys_kernel32_CreateMutexExA(p, lpMutexAttributes, lpName, dwFlags, dwDesiredAccess):
    return _create_mutex(p, bool(dwFlags & CREATE_MUTEX_INITIAL_OWNER),
                         read_name(p, lpName, False))
