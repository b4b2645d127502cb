"""Trace classes: strace's %file, %process, ... for each call, derived from its argument types
where a type says it, and given or taken away by the spec's `%class call, !call` lines."""
from __future__ import annotations

from .model import ArgType

# strace's names, in the order they are listed; a class's bit is its index.
CLASSES = ("file", "process", "network", "signal", "ipc", "memory", "desc", "creds", "clock")
BIT = {name: 1 << i for i, name in enumerate(CLASSES)}

# What an argument or return type says about a call, as strace's classes do: a call taking a
# file name is a %file call, one taking or returning a descriptor a %desc call, ...
_BY_KIND = {"path": "file", "fd": "desc", "sig": "signal", "uid": "creds", "gid": "creds"}


def derived(args: tuple[ArgType, ...], ret: ArgType) -> set[str]:
    """The classes a call's argument and return types imply."""
    found = {_BY_KIND[t.kind] for t in args if t.kind in _BY_KIND}
    if ret.kind in ("fd", "uid", "gid"):
        found.add(_BY_KIND[ret.kind])
    return found


def ordered(classes) -> tuple[str, ...]:
    return tuple(c for c in CLASSES if c in classes)


def mask(classes) -> int:
    """The classes as a bit mask (bit i: CLASSES[i]), as the C trap path tests them."""
    bits = 0
    for c in classes:
        bits |= BIT[c]
    return bits
