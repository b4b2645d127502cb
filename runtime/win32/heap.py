"""The process heap behind HeapAlloc and malloc: size-classed free lists over 1 MiB arenas
mapped in the guest address space."""
from __future__ import annotations

from ..mm import PROT_READ, PROT_WRITE

ARENA = 1 << 20
ALIGN = 16


class Heap:
    handle = 0x00150000   # what GetProcessHeap returns; any non-zero token does

    def __init__(self, proc):
        self.proc = proc
        self.top = self.end = 0
        self.sizes: dict[int, int] = {}         # block -> size class
        self.free_lists: dict[int, list[int]] = {}

    def alloc(self, size: int, zero: bool = False) -> int:
        size = max(ALIGN, (size + ALIGN - 1) & ~(ALIGN - 1))
        free = self.free_lists.get(size)
        if free:
            block = free.pop()
            if zero:
                self.proc.mm.write(block, b"\0" * size)
        else:
            if self.top + size > self.end:
                length = max(ARENA, size)
                mm = self.proc.mm
                try:
                    start = mm.find_free(length)
                    mm.map(start, length, PROT_READ | PROT_WRITE, "[heap]")
                except Exception:
                    return 0
                self.top, self.end = start, start + length
            block, self.top = self.top, self.top + size   # fresh pages are already zero
        self.sizes[block] = size
        return block

    def free(self, block: int) -> bool:
        size = self.sizes.pop(block, None)
        if size is None:
            return block == 0
        self.free_lists.setdefault(size, []).append(block)
        return True

    def size_of(self, block: int) -> int | None:
        return self.sizes.get(block)
