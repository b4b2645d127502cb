"""Program file pages shared by exec: the frames holding a cached program file's pages, mapped
copy-on-write into every process that runs it, as Linux maps a binary from its page cache.
A shell running busybox applets neither copies 2 MB per exec nor translates busybox's code
again for every process (translated code is found by its physical page)."""
from __future__ import annotations

from collections import OrderedDict

PAGE = 4096
MAX_PAGES = 16384   # 64 MiB of frames across every cached program, at most 1/8 of the pool


class FilePages:
    """Per engine (its physical pool): file page index -> frame, per program file."""

    def __init__(self, engine, pool_pages: int):
        self.ffi, self.lib, self.phys = engine.ffi, engine.lib, engine.phys
        self.limit = min(MAX_PAGES, pool_pages // 8)
        # Keyed by the identity of the file's bytes, which the entry holds: the kernel's
        # program cache hands out one bytes object per file version, and it cannot be freed
        # (and its id reused) while this cache keeps it.
        self.files: OrderedDict[int, tuple[bytes, dict[int, int]]] = OrderedDict()
        self.pages = 0

    def frames(self, data: bytes, first: int, count: int):
        """A uint32_t[] of the frames of file pages [first, first + count) of data, filled on
        first use; None when the pool has no room (the caller copies the bytes instead)."""
        if count > self.limit:
            return None
        entry = self.files.get(id(data))
        if entry is None or entry[0] is not data:
            entry = self.files[id(data)] = (data, {})
        self.files.move_to_end(id(data))
        pages = entry[1]
        missing = [k for k in range(first, first + count) if k not in pages]
        if missing:
            new = self.ffi.new("uint32_t[]", len(missing))
            chunk = b"".join(data[k * PAGE:(k + 1) * PAGE] for k in missing)
            if self.lib.sv_phys_fill(self.phys, chunk, len(missing), new) != 0:
                return None
            pages.update(zip(missing, new))
            self.pages += len(missing)
            self._evict()
        return self.ffi.new("uint32_t[]", [pages[k] for k in range(first, first + count)])

    def _evict(self) -> None:
        """Drop the least recently exec'd files past the limit; a frame still mapped lives on
        in its processes (the cache held only one reference)."""
        while self.pages > self.limit and len(self.files) > 1:
            _, (_, pages) = self.files.popitem(last=False)
            for ppn in pages.values():
                self.lib.sv_phys_unref(self.phys, ppn)
            self.pages -= len(pages)
