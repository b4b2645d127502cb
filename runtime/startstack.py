"""The System V start-up stack every personality's processes here begin on: strings and other
blobs at the top, then argc, argv, envp and an auxiliary vector at a 16-byte aligned stack
pointer. What goes into it is the personality's (Personality.start_stack; Linux's is in
runtime/linux/auxv.py); this only writes the layout."""
from __future__ import annotations

import struct

AT_NULL = 0   # the vector's end


class StartStackWriter:
    """Writes downward from top: push() blobs first, then finish() the vector under them."""

    def __init__(self, mm, top: int):
        self.mm, self.sp, self.top = mm, top, top
        self.word = mm.bits // 8
        self.blobs: list[tuple[int, bytes]] = []

    def push(self, data: bytes) -> int:
        """A blob below the last one; its address."""
        self.sp -= len(data)
        self.blobs.append((self.sp, data))
        return self.sp

    def push_strings(self, strings: list[bytes]) -> list[int]:
        """NUL-terminated strings, the first lowest (as argv's and envp's are); their addresses."""
        return [self.push(s + b"\0") for s in reversed(strings)][::-1]

    def align(self) -> None:
        self.sp &= ~15

    def finish(self, argv: list[int], envp: list[int], auxv: list[tuple[int, int]]) -> int:
        """argc, the argv and envp pointers and auxv (AT_NULL added); returns the stack pointer.
        The vector is also kept as mm.saved_auxv (Linux's: /proc/PID/auxv, a debugger's)."""
        pack = "Q" if self.word == 8 else "I"
        mask = (1 << (8 * self.word)) - 1
        vector = [w & mask for pair in auxv + [(AT_NULL, 0)] for w in pair]
        words = [len(argv)] + argv + [0] + envp + [0] + vector
        self.sp = (self.sp - len(words) * self.word) & ~15
        self.mm.saved_auxv = struct.pack(f"<{len(vector)}{pack}", *vector)
        # One write from the pointers up to the top: the blobs lie end to end below it (the
        # gaps align() left read as the zeros a fresh stack holds).
        image = bytearray(self.top - self.sp)
        for addr, data in self.blobs:
            image[addr - self.sp:addr - self.sp + len(data)] = data
        struct.pack_into(f"<{len(words)}{pack}", image, 0, *(w & mask for w in words))
        self.mm.write(self.sp, bytes(image))
        return self.sp
