"""The process heap behind HeapAlloc and malloc, in the guest address space.

Small blocks come from 1 MiB arenas in size classes (16-byte steps up to 1 KiB, then powers
of two), so a freed block serves any later request of its class and realloc grows in place
within the class: a string grown a byte at a time moves O(log n) times. Large blocks get
their own mapping, returned to the address space when freed."""
from __future__ import annotations

from ..mm import PROT_READ, PROT_WRITE, page_up
from .guestmem import copy

ARENA = 1 << 20
ALIGN = 16
SMALL_STEP_LIMIT = 1024
LARGE = 256 << 10        # blocks from here on are mapped on their own


def size_class(size: int) -> int:
    size = max(ALIGN, (size + ALIGN - 1) & ~(ALIGN - 1))
    if size <= SMALL_STEP_LIMIT:
        return size
    if size >= LARGE:
        return page_up(size)
    return 1 << (size - 1).bit_length()


class Heap:
    handle = 0x00150000   # what GetProcessHeap returns; any non-zero token does

    def __init__(self, proc):
        self.proc = proc
        self.top = self.end = 0
        self.sizes: dict[int, int] = {}         # block -> its capacity (size class)
        self.free_lists: dict[int, list[int]] = {}

    def _map(self, length: int) -> int:
        mm = self.proc.mm
        try:
            start = mm.find_free(length)
            mm.map(start, length, PROT_READ | PROT_WRITE, "[heap]")
        except Exception:
            return 0
        return start

    def alloc(self, size: int, zero: bool = False) -> int:
        capacity = size_class(size)
        if capacity >= LARGE:
            block = self._map(capacity)    # fresh pages are zero
        else:
            free = self.free_lists.get(capacity)
            if free:
                block = free.pop()
                if zero:
                    self.proc.mm.write(block, b"\0" * capacity)
            else:
                if self.top + capacity > self.end:
                    start = self._map(ARENA)
                    if not start:
                        return 0
                    self.top, self.end = start, start + ARENA
                block, self.top = self.top, self.top + capacity
        if block:
            self.sizes[block] = capacity
        return block

    def free(self, block: int) -> bool:
        capacity = self.sizes.pop(block, None)
        if capacity is None:
            return block == 0
        if capacity >= LARGE:
            self.proc.mm.unmap(block, capacity)
        else:
            self.free_lists.setdefault(capacity, []).append(block)
        return True

    def size_of(self, block: int) -> int | None:
        return self.sizes.get(block)

    def fits(self, block: int, size: int) -> bool:
        """realloc may keep the block: the new size is in the same size class."""
        capacity = self.sizes.get(block)
        return capacity is not None and size_class(size) == capacity

    def realloc(self, block: int, size: int) -> int:
        """C's realloc (msvcrt's, and HeapReAlloc's): in place within the size class, else
        moved; 0 for a block this heap never gave."""
        if block == 0:
            return self.alloc(size)
        old = self.size_of(block)
        if old is None:
            return 0
        if size == 0:
            self.free(block)
            return 0
        if self.fits(block, size):
            return block
        new = self.alloc(size)
        if new:
            copy(self.proc, new, block, min(old, size))
            self.free(block)
        return new
