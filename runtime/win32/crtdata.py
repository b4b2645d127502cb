"""Data the C runtime exports as variables rather than functions (msvcrt's __initenv, _iob,
_fmode ...), placed in a page of the process and bound to the importing slots."""
from __future__ import annotations

import struct

FILE_SIZE = {4: 32, 8: 48}   # sizeof(FILE) in msvcrt
# Each variable's offset in the page; __initenv and _environ share the empty environment.
LAYOUT = {"_iob": 0, "__initenv": 0x100, "_environ": 0x100, "__mb_cur_max": 0x140,
          "_fmode": 0x148, "_commode": 0x150, "errno": 0x158, "_doserrno": 0x15C,
          "_sys_nerr": 0x160, "_acmdln": 0x168, "__argc": 0x178,
          "__argv": 0x180,
          # i386 msvcrt: whether the Pentium FDIV erratum needs working around (never)
          "_adjust_fdiv": 0x188,
          # the wide forms a wmain program's start code reads (__wgetmainargs fills them)
          "__winitenv": 0x190, "_wenviron": 0x190, "__wargv": 0x198, "_wcmdln": 0x1A0,
          # the time zone tzset leaves, UTC as kernel32's (mingw's protoc reads them):
          # _daylight, _timezone (seconds west), _dstbias (0: no daylight saving, as the
          # UCRT's tzset sets it then) and _tzname's two pointers, to the zone's names as
          # GetTimeZoneInformation gives them, in two 64-byte buffers at TZNAME_BUFFERS
          "_daylight": 0x1A8, "_timezone": 0x1AC, "_dstbias": 0x1B0, "_tzname": 0x1B8,
          # vcruntime140: type_info's vtable, which every RTTI TypeDescriptor points at (only
          # its address is compared; its one slot, the deleting destructor, is left empty)
          "??_7type_info@@6B@": 0x200,
          # strerror's texts as the old CRT exported them: an array of char* (its strings
          # follow it in the page)
          "_sys_errlist": 0x400}
DATA_DLLS = {"msvcrt", "vcruntime140"}
TZNAME_BUFFERS, TZNAME_SIZE = 0x300, 64


def crt_area(loader) -> dict:
    """Lay the variables out once per process; returns name -> address."""
    if loader.crt_slots is None:
        area = loader.alloc(0x1000, "[msvcrt data]")
        w = loader.word
        pack = "<Q" if w == 8 else "<I"
        slots = {name: area + offset for name, offset in LAYOUT.items()}
        loader.mm.write(area + 0x100, struct.pack(pack, area + 0x108))   # empty environment
        loader.mm.write(area + 0x140, struct.pack("<I", 1))
        loader.mm.write(area + 0x168, struct.pack(pack, loader.start.info["command_line_a"]))
        loader.mm.write(area + 0x1A0, struct.pack(pack, loader.start.info["command_line_w"]))
        _lay_out_tzname(loader, area, pack)
        _lay_out_errlist(loader, slots["_sys_errlist"], slots["_sys_nerr"], pack, w)
        loader.crt_slots = slots
    return loader.crt_slots


def _lay_out_tzname(loader, area: int, pack: str) -> None:
    from .kernel32_timezone import zone_names
    buffers = [area + TZNAME_BUFFERS, area + TZNAME_BUFFERS + TZNAME_SIZE]
    for at, name in zip(buffers, zone_names()):
        loader.mm.write(at, name.encode("latin-1")[:TZNAME_SIZE - 1].ljust(TZNAME_SIZE, b"\0"))
    loader.mm.write(area + LAYOUT["_tzname"], struct.pack(pack, buffers[0]) +
                    struct.pack(pack, buffers[1]))


def _lay_out_errlist(loader, at: int, count_at: int, pack: str, word: int) -> None:
    from .crterrno import ERRLIST
    strings = at + word * len(ERRLIST)
    blob = b""
    for i, text in enumerate(ERRLIST):
        loader.mm.write(at + word * i, struct.pack(pack, strings + len(blob)))
        blob += text.encode() + b"\0"
    loader.mm.write(strings, blob)
    loader.mm.write(count_at, struct.pack("<I", len(ERRLIST)))


def data_symbol(loader, dll: str, sym: str) -> int:
    if dll not in DATA_DLLS or sym not in LAYOUT:
        return 0
    return crt_area(loader).get(sym, 0)
