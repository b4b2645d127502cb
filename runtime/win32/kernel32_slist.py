"""Interlocked singly linked lists (SLIST_HEADER), as x64 Windows lays the header out
(Header16): depth and sequence in the first quadword, the first entry's address in the
second (entries are 16-byte aligned; bit 0 is the header type); i386's is one quadword,
next (32 bits), depth and sequence (16 each). A call runs whole within one trap, so each is
atomic against the process's other threads."""
from __future__ import annotations

import struct

from ..nt import abi


def _read(p, head: int) -> tuple[int, int, int]:
    """(first entry, depth, sequence)."""
    if abi.word(p) == 8:
        q0, q1 = struct.unpack("<QQ", p.mm.read(head, 16))
        return q1 & ~0xF, q0 & 0xFFFF, q0 >> 16
    nxt, depth, seq = struct.unpack("<IHH", p.mm.read(head, 8))
    return nxt, depth, seq


def _write(p, head: int, first: int, depth: int, seq: int) -> None:
    if abi.word(p) == 8:
        p.mm.write(head, struct.pack("<QQ", (depth & 0xFFFF) | (seq & (2**48 - 1)) << 16,
                                     first | (1 if first else 0)))
    else:
        p.mm.write(head, struct.pack("<IHH", first, depth & 0xFFFF, seq & 0xFFFF))


def sys_kernel32_InterlockedPushEntrySList(p, ListHead, ListEntry):
    first, depth, seq = _read(p, ListHead)
    abi.write_ptr(p, ListEntry, first)
    _write(p, ListHead, ListEntry, depth + 1, seq + 1)
    return first


def sys_kernel32_InterlockedPopEntrySList(p, ListHead):
    first, depth, seq = _read(p, ListHead)
    if not first:
        return 0
    _write(p, ListHead, abi.read_ptr(p, first), depth - 1, seq + 1)
    return first


def sys_kernel32_InterlockedFlushSList(p, ListHead):
    first, _, seq = _read(p, ListHead)
    _write(p, ListHead, 0, 0, seq + 1)
    return first


def sys_kernel32_QueryDepthSList(p, ListHead):
    return _read(p, ListHead)[1]
