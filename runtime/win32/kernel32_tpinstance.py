"""The callback instance a thread-pool callback is given (PTP_CALLBACK_INSTANCE, here the
handle of the work, wait or timer object it runs for): what the callback asks to happen as
it returns -- FreeLibraryWhenCallbackReturns, SetEventWhenCallbackReturns and the rest -- is
done by the pool thread right after the callback, as Windows' pool does (msvcp140's
threads let their DLL go so; a waiter learns a callback is over from an event)."""
from __future__ import annotations

from .kernel32_sync import _objects

POOL_KINDS = ("tp work", "tp wait", "tp timer")
# The order the pool does them in, whatever order the callback asked (Windows' callback
# epilogue): locks let go first, so a thread the event wakes finds them free; the DLL last.
ON_RETURN_ORDER = ("critical section", "mutex", "semaphore", "event", "library")


def _pool_object(p, instance):
    obj = _objects(p).get(instance)
    return obj if obj is not None and obj.kind in POOL_KINDS else None


def _on_return(p, instance, key: str, action) -> None:
    """One action of each kind per callback (a second replaces the first, as Windows keeps
    one slot of each); an instance that is no callback's is ignored."""
    obj = _pool_object(p, instance)
    if obj is not None:
        actions = getattr(obj, "on_return", None)
        if actions is None:
            actions = obj.on_return = {}
        actions[key] = action


def run_on_return(p, obj) -> None:
    """The pool thread's callback returned: its instance's actions run, then are gone."""
    actions = getattr(obj, "on_return", None)
    if not actions:
        return
    obj.on_return = {}
    error = p.win32.last_error
    for key in ON_RETURN_ORDER:
        if key in actions:
            actions[key]()
    p.win32.last_error = error


def sys_kernel32_SetEventWhenCallbackReturns(p, pci, evt):
    from .kernel32_sync import sys_kernel32_SetEvent
    _on_return(p, pci, "event", lambda: sys_kernel32_SetEvent(p, evt))


def sys_kernel32_ReleaseSemaphoreWhenCallbackReturns(p, pci, sem, crel):
    from .kernel32_sync import sys_kernel32_ReleaseSemaphore
    _on_return(p, pci, "semaphore", lambda: sys_kernel32_ReleaseSemaphore(p, sem, crel, 0))


def sys_kernel32_ReleaseMutexWhenCallbackReturns(p, pci, mut):
    from .kernel32_sync import sys_kernel32_ReleaseMutex
    _on_return(p, pci, "mutex", lambda: sys_kernel32_ReleaseMutex(p, mut))


def sys_kernel32_LeaveCriticalSectionWhenCallbackReturns(p, pci, pcs):
    from .kernel32_wait import sys_kernel32_LeaveCriticalSection
    _on_return(p, pci, "critical section", lambda: sys_kernel32_LeaveCriticalSection(p, pcs))


def sys_kernel32_FreeLibraryWhenCallbackReturns(p, pci, mod):
    """The reference the callback held goes (msvcp140 takes one on itself before it submits
    work). The last one of a DLL loaded at run time would unload it, running its DllMain
    from the pool's return path; that one is kept, and the DLL stays mapped."""
    def release() -> None:
        refs = p.win32.dll_refs
        if refs.get(mod, 0) > 1:
            refs[mod] -= 1
    _on_return(p, pci, "library", release)


def sys_kernel32_CallbackMayRunLong(p, pci):
    """TRUE: a long callback does not starve the pool (each object has a thread of its own)."""
    return 1


def sys_kernel32_DisassociateCurrentThreadFromCallback(p, pci):
    """The callback stays the instance's until it returns; nothing waits on the difference
    here (WaitForThreadpool*Callbacks watches the object, not the thread)."""
    return 0
