"""Program file pages shared by exec: the frames holding a cached program file's pages, mapped
copy-on-write into every process that runs it, as Linux maps a binary from its page cache.
A shell running busybox applets neither copies 2 MB per exec nor translates busybox's code
again for every process (translated code is found by its physical page)."""
from __future__ import annotations

from collections import OrderedDict

PAGE = 4096
MAX_PAGES = 16384   # 64 MiB of frames across every cached program, at most 1/8 of the pool


class FileEntry:
    """One cached file: its bytes, page index -> frame, and the frame arrays of the page
    ranges exec has mapped (the frame numbers again: `pages` holds the references)."""

    __slots__ = ("data", "pages", "ranges")

    def __init__(self, data: bytes):
        self.data = data
        self.pages: dict[int, int] = {}
        self.ranges: dict[tuple[int, int], object] = {}


class FilePages:
    """Per engine (its physical pool): file page index -> frame, per program file."""

    def __init__(self, engine, pool_pages: int):
        self.ffi, self.lib, self.phys = engine.ffi, engine.lib, engine.phys
        self.limit = min(MAX_PAGES, pool_pages // 8)
        # Keyed by the identity of the file's bytes, which the entry holds: the kernel's
        # program cache hands out one bytes object per file version, and it cannot be freed
        # (and its id reused) while this cache keeps it.
        self.files: OrderedDict[int, FileEntry] = OrderedDict()
        self.pages = 0

    def frames(self, data: bytes, first: int, count: int):
        """A uint32_t[] of the frames of file pages [first, first + count) of data, filled on
        first use; None when the pool has no room (the caller copies the bytes instead).
        A range asked for again (every exec of the program maps the same segments) gets the
        array made the first time."""
        if count > self.limit:
            return None
        key = id(data)
        entry = self.files.get(key)
        if entry is None or entry.data is not data:
            entry = self.files[key] = FileEntry(data)
        self.files.move_to_end(key)
        array = entry.ranges.get((first, count))
        if array is not None:
            return array
        pages = entry.pages
        missing = [k for k in range(first, first + count) if k not in pages]
        if missing:
            new = self.ffi.new("uint32_t[]", len(missing))
            chunk = b"".join(data[k * PAGE:(k + 1) * PAGE] for k in missing)
            if self.lib.sv_phys_fill(self.phys, chunk, len(missing), new) != 0:
                return None
            pages.update(zip(missing, new))
            self.pages += len(missing)
            self._evict()
        array = entry.ranges[(first, count)] = \
            self.ffi.new("uint32_t[]", [pages[k] for k in range(first, first + count)])
        return array

    def _evict(self) -> None:
        """Drop the least recently exec'd files past the limit; a frame still mapped lives on
        in its processes (the cache held only one reference)."""
        while self.pages > self.limit and len(self.files) > 1:
            _, entry = self.files.popitem(last=False)
            for ppn in entry.pages.values():
                self.lib.sv_phys_unref(self.phys, ppn)
            self.pages -= len(entry.pages)
