"""The Win32 state of a process and of each of its threads. The process's state (heap,
handles, environment, modules, current directory ...) is one dictionary its threads share;
what Windows keeps per thread (the last error, the TEB, TLS and FLS values, the callbacks
and exception dispatches in progress, a wait's deadline) lives in `local`."""
from __future__ import annotations


def _local(name: str, default=None):
    return property(lambda self: self.local.get(name, default),
                    lambda self, value: self.local.__setitem__(name, value))


class Win32State:
    """p.win32: attributes are the process's (shared by its threads), except the per-thread
    ones below; `thread_local(name, factory)` gives any other per-thread container."""

    __slots__ = ("local", "__dict__")   # `local` is the thread's, outside the shared dict

    last_error = _local("last_error", 0)
    teb = _local("teb", 0)
    wait_until = _local("wait_until")
    in_top_filter = _local("in_top_filter", False)

    def __init__(self, shared: dict | None = None, **fields):
        object.__setattr__(self, "local", {})
        if shared is not None:
            self.__dict__ = shared
        for name, value in fields.items():
            setattr(self, name, value)

    def thread_local(self, name: str, factory):
        if name not in self.local:
            self.local[name] = factory()
        return self.local[name]

    def for_thread(self, teb: int) -> "Win32State":
        """The state a new thread of this process sees."""
        return Win32State(self.__dict__, teb=teb)
