"""The bytes of recently exec'd program files, so a shell running busybox applets thousands
of times reads the 2 MB file once, not at every exec. An entry is found by the host file's
identity and version (device, inode, size, mtime, ctime): a file changed in any way is a new
key, and is read again. As git does with its "racily clean" index entries, a file changed
within the last seconds is not kept: a rewrite within the timestamps' granularity could
leave the key as it was."""
from __future__ import annotations

import time
from collections import OrderedDict

CACHE_BYTES = 64 << 20
SETTLED_NS = 2_000_000_000      # a file unchanged for this long is safe to keep


class ProgramCache:
    def __init__(self, budget: int = CACHE_BYTES):
        self.budget = budget
        self.entries: OrderedDict[tuple, bytes] = OrderedDict()
        self.size = 0
        # What loaders derived from a cached file's bytes (its parsed headers), by the
        # identity of those bytes: valid while the entry holds them, dropped with it.
        self.derived_from: dict[int, dict] = {}

    @staticmethod
    def key(st) -> tuple:
        return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)

    def get(self, st) -> bytes | None:
        key = self.key(st)
        data = self.entries.get(key)
        if data is not None:
            self.entries.move_to_end(key)
        return data

    def holds(self, data: bytes) -> bool:
        """Whether data is the bytes of a cached file (the same object a later exec gets)."""
        return any(d is data for d in self.entries.values())

    def derived(self, data: bytes, kind: str, make):
        """make(), computed once per cached file version: exec parses busybox's ELF headers
        once, not at every exec. Bytes this cache does not hold get a fresh make() each time."""
        notes = self.derived_from.get(id(data))
        if notes is None:
            if not self.holds(data):
                return make()
            notes = self.derived_from[id(data)] = {}
        value = notes.get(kind)
        if value is None:
            value = notes[kind] = make()
        return value

    def put(self, st, data: bytes) -> None:
        settled = time.time_ns() - SETTLED_NS
        if len(data) > self.budget or max(st.st_mtime_ns, st.st_ctime_ns) > settled:
            return
        key = self.key(st)
        if key in self.entries:
            return
        self.entries[key] = data
        self.size += len(data)
        while self.size > self.budget:
            _, old = self.entries.popitem(last=False)
            self.size -= len(old)
            self.derived_from.pop(id(old), None)
