"""Data the C runtime exports as variables rather than functions (msvcrt's __initenv, _iob,
_fmode ...), placed in a page of the process and bound to the importing slots."""
from __future__ import annotations

import struct

FILE_SIZE = {4: 32, 8: 48}   # sizeof(FILE) in msvcrt


def data_symbol(loader, dll: str, sym: str) -> int:
    if dll != "msvcrt":
        return 0
    area = loader.__dict__.get("crt_area")
    if area is None:
        area = loader.alloc(0x2000, "[msvcrt data]")
        loader.crt_area = area
        w = loader.word
        # layout: 0x000 _iob[3] | 0x100 __initenv (char **) -> 0x108 NULL array | small ints
        loader.crt_slots = {
            "_iob": area, "__initenv": area + 0x100, "_environ": area + 0x100,
            "__mb_cur_max": area + 0x140, "_fmode": area + 0x148, "_commode": area + 0x150,
            "__argc": area + 0x158, "__argv": area + 0x160, "_acmdln": area + 0x168,
            "_wcmdln": area + 0x170,
        }
        loader.mm.write(area + 0x100, struct.pack("<Q" if w == 8 else "<I", area + 0x108))
        loader.mm.write(area + 0x140, struct.pack("<I", 1))
        loader.mm.write(area + 0x168, struct.pack("<Q" if w == 8 else "<I", loader.cmdline_a)
                        if hasattr(loader, "cmdline_a") else b"")
    return loader.crt_slots.get(sym, 0)
