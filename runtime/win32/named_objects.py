"""\\BaseNamedObjects: the machine's one namespace of named kernel objects -- sections,
events, mutexes, semaphores and waitable timers alike. Another process opens an object by its
name (a single-instance mutex, an event two processes signal each other with, shared
memory); creating one under a name that is taken opens what is there (ERROR_ALREADY_EXISTS,
its creation arguments ignored), or fails when it is of another kind (ERROR_INVALID_HANDLE),
as Windows answers. A name lasts while a handle to its object is open anywhere, and a process
that ends closes its handles. Names are case-sensitive; the machine has one session, so
"Global\\" and "Local\\" name the same namespace."""
from __future__ import annotations

ERROR_FILE_NOT_FOUND, ERROR_INVALID_HANDLE, ERROR_ALREADY_EXISTS = 2, 6, 183
NAMESPACE_PREFIXES = ("Global\\", "Local\\")
MAX_NAME = 32767


def _names(p) -> dict:
    return p.sysvec.personality.machine(p.kernel).named_objects


def read_name(p, address: int, wide: bool) -> str:
    """An object name argument ("" for none: the object is unnamed)."""
    if not address:
        return ""
    if wide:
        from .wide import read_wstr
        return read_wstr(p, address)
    return p.mm.read_cstr(address, MAX_NAME).decode("latin-1")


def _key(name: str) -> str:
    for prefix in NAMESPACE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def create_named(p, name: str, kind: str, make) -> int:
    """A handle to a new object make() gives, under name ("" for none), or to the object
    already of that name; kernel32 clears the last error when it made one."""
    from .kernel32_sync import new_handle
    key = _key(name) if name else ""
    found = _names(p).get(key) if key else None
    if found is not None:
        if found.kind != kind:
            p.win32.last_error = ERROR_INVALID_HANDLE
            return 0
        p.win32.last_error = ERROR_ALREADY_EXISTS
        return new_handle(p, found)
    obj = make()
    if obj is None:                  # make() refused, having set the last error
        return 0
    handle = new_handle(p, obj)
    if key:
        obj.object_name = key
        _names(p)[key] = obj
    p.win32.last_error = 0
    return handle


def open_named(p, name: str, kind: str) -> int:
    """A new handle to the object of that name, or 0 with ERROR_FILE_NOT_FOUND (none) or
    ERROR_INVALID_HANDLE (one of another kind)."""
    from .kernel32_sync import new_handle
    found = _names(p).get(_key(name)) if name else None
    if found is None:
        p.win32.last_error = ERROR_FILE_NOT_FOUND
        return 0
    if found.kind != kind:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    return new_handle(p, found)


def forget(p, obj) -> None:
    """The last handle to obj closed: its name is free again."""
    key = getattr(obj, "object_name", "")     # (objects made unnamed have none)
    if key and _names(p).get(key) is obj:
        del _names(p)[key]
