"""Guest buffers of a size the program names, filled or copied a bounded piece at a time: a
handler holds no host copy as large as the guest asked for (RtlGenRandom built a gigabyte of
random bytes before it wrote the first one). A handler that makes its bytes at a cost checks
the buffer first: one the process cannot write fails before anything is made, with the
access violation Windows' own code would take there."""
from __future__ import annotations

import os

from ..errors import Fault
from ..mm import PROT_WRITE

PIECE = 1 << 20


def check_writable(p, addr: int, length: int) -> None:
    """Fault (the guest's access violation) at the first byte of [addr, addr+length) the
    process cannot write, if any."""
    mm = p.mm
    if not length or mm.writable(addr, length):
        return
    at = addr
    for v in mm.vmas_in(addr, addr + length):
        if v.start > at or not v.prot & PROT_WRITE:
            break
        at = v.end
    raise Fault(at)


def fill(p, addr: int, length: int, make=bytes) -> None:
    """[addr, addr+length) written with make(n) for each piece (zeros by default), up to
    the piece that faults, as memset writes until it does."""
    mm, end = p.mm, addr + length
    for at in range(addr, end, PIECE):
        mm.write(at, make(min(PIECE, end - at)))


def fill_random(p, addr: int, length: int) -> None:
    """The buffer filled from the host's random source, once it is known to be writable."""
    check_writable(p, addr, length)
    fill(p, addr, length, os.urandom)


def copy(p, dst: int, src: int, length: int) -> None:
    """length bytes from src to dst (ranges that do not overlap), a piece at a time."""
    mm = p.mm
    for offset in range(0, length, PIECE):
        mm.write(dst + offset, mm.read(src + offset, min(PIECE, length - offset)))
