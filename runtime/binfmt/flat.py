"""Flat images: the `mysys` custom format of the design notes, and raw images that misc
registrations load for a platform.

mysys file layout (little-endian):
    0   8  magic  b"\\x7fMYSYS\\x01\\x00"
    8   8  load address
    16  8  entry point
    24  8  image length (bytes that follow the 40-byte header)
    32  8  memory length (>= image length; the rest is zeroed)
    40  .. image
"""
from __future__ import annotations

import errno
import struct

from ..errors import ExecError
from ..mm import page_down, page_up
from . import Image, StartStack, load_into_fresh_space

MYSYS_MAGIC = b"\x7fMYSYS\x01\x00"
MYSYS_HEADER = struct.Struct("<8sQQQQ")
FLAT_STACK = 1 << 20


def make_mysys(image: bytes, load: int = 0x400000, entry: int | None = None, bss: int = 0) -> bytes:
    """Pack a mysys executable (for tests, demos and the guest toolchain)."""
    entry = load if entry is None else entry
    return MYSYS_HEADER.pack(MYSYS_MAGIC, load, entry, len(image), len(image) + bss) + image


def load_flat(kernel, bprm, binfmt: str, bits: int, load: int, entry: int, image: bytes,
              mem_len: int) -> Image:
    def fill(mm) -> Image:
        start, end = page_down(load), page_up(load + max(mem_len, len(image), 1))
        if end > mm.layout.user_top or start < mm.layout.mmap_floor:
            raise ExecError(errno.ENOEXEC, f"{bprm.path}: load address {load:#x} is outside "
                            "the user address space")
        mm.map(start, end - start, 7, bprm.path)
        mm.write_force(load, image)
        mm.brk_start = mm.brk = end
        top = mm.layout.stack_top
        mm.map(top - FLAT_STACK, FLAT_STACK, 3, "[stack]")
        start = StartStack(top, bprm.argv, bprm.envp, bprm.filename.encode())
        return Image(binfmt, bits, mm, entry, 0, start=start)
    return load_into_fresh_space(kernel, bprm, bits, fill)


class MysysHandler:
    name = "mysys"
    formats = ("mysys",)

    def recognises(self, bprm) -> bool:
        return bprm.header[:8] == MYSYS_MAGIC

    def load(self, kernel, bprm) -> Image:
        if len(bprm.data) < MYSYS_HEADER.size:
            raise ExecError(errno.ENOEXEC, f"{bprm.path}: truncated mysys header")
        _, load, entry, length, mem_len = MYSYS_HEADER.unpack_from(bprm.data)
        image = bprm.data[MYSYS_HEADER.size:MYSYS_HEADER.size + length]
        if len(image) != length:
            raise ExecError(errno.ENOEXEC, f"{bprm.path}: mysys image is truncated "
                            f"({len(image)} of {length} bytes)")
        if not load <= entry < load + max(mem_len, length):
            raise ExecError(errno.ENOEXEC, f"{bprm.path}: mysys entry {entry:#x} is outside the image")
        return load_flat(kernel, bprm, "mysys", 64, load, entry, image, mem_len)


def main(argv: list[str]) -> int:
    """python -m runtime.binfmt.flat IMAGE.bin OUT.mysys [LOAD_ADDRESS]: wrap a raw image."""
    if len(argv) not in (2, 3):
        print("usage: python -m runtime.binfmt.flat IMAGE.bin OUT.mysys [LOAD_ADDRESS]")
        return 2
    load = int(argv[2], 0) if len(argv) == 3 else 0x400000
    with open(argv[0], "rb") as f:
        image = f.read()
    with open(argv[1], "wb") as f:
        f.write(make_mysys(image, load))
    import os
    os.chmod(argv[1], 0o755)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(main(sys.argv[1:]))
