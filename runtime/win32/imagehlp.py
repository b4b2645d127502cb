"""imagehlp.dll's PE checksums (CheckSumMappedFile, MapFileAndCheckSum): the value a PE
header's CheckSum field should hold -- the file's 16-bit words summed with their carries
folded back in, the field itself left out, plus the file's length. PyInstaller updates its
bootloader's checksum with them; drivers and signed images must carry a right one."""
from __future__ import annotations

import struct

from ..errors import Fault
from .wide import read_str

CHECKSUM_SUCCESS, CHECKSUM_OPEN_FAILURE, CHECKSUM_MAP_FAILURE = 0, 1, 2
MAX_IMAGE = 1 << 30                  # a longer file is not summed
CHUNK = 1 << 20                      # summed a piece at a time: the host holds one piece


def _nt_headers(data: bytes) -> int | None:
    """Where the PE signature is, or None when data (the file's start) is no PE image."""
    if len(data) < 0x40 or data[:2] != b"MZ":
        return None
    at = struct.unpack_from("<I", data, 0x3C)[0]
    return at if at + 0x5C <= len(data) and data[at:at + 4] == b"PE\0\0" else None


def pe_checksum(head: bytes, pieces, length: int) -> tuple[int, int]:
    """(the header's CheckSum field, the checksum the file has): its 16-bit words summed
    with the carries folded in, the field left out, plus its length. head is the file's
    start (its headers), pieces its bytes in order, in even-sized pieces but the last."""
    headers = _nt_headers(head)
    field = 0 if headers is None else headers + 0x58      # OptionalHeader.CheckSum
    stored = struct.unpack_from("<I", head, field)[0] if field else 0
    total = 0
    for piece in pieces:
        padded = piece + b"\0" if len(piece) % 2 else piece
        total += sum(memoryview(padded).cast("H"))
    if field:
        total -= sum(struct.unpack_from("<HH", head, field))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return stored, (total + length) & 0xFFFFFFFF


def sys_imagehlp_CheckSumMappedFile(p, BaseAddress, FileLength, HeaderSum, CheckSum):
    """The checksum of a file mapped at BaseAddress; its NT headers' address, or NULL when it
    is no PE image (the sums are given either way)."""
    length = FileLength & 0xFFFFFFFF
    if length > MAX_IMAGE:
        p.win32.last_error = 8       # ERROR_NOT_ENOUGH_MEMORY
        return 0
    try:
        head = bytes(p.mm.read(BaseAddress, min(length, 0x1000))) if length else b""
        pieces = (bytes(p.mm.read(BaseAddress + at, min(CHUNK, length - at)))
                  for at in range(0, length, CHUNK))
        stored, computed = pe_checksum(head, pieces, length)
    except Fault:
        p.win32.last_error = 998     # ERROR_NOACCESS
        return 0
    p.mm.write_u32(HeaderSum, stored)
    p.mm.write_u32(CheckSum, computed)
    headers = _nt_headers(head)
    return 0 if headers is None else BaseAddress + headers


def _map_file_and_checksum(p, Filename, HeaderSum, CheckSum, wide: bool) -> int:
    from ..errors import KernelError
    from .kernel32_files import _path, full_path
    name = read_str(p, Filename, wide)
    try:
        f = p.kernel.fs.open("/", _path(p, full_path(p, name)), 0, 0, p) if name else None
    except Exception:                # KernelError, NtError: a name that opens nothing
        f = None
    if f is None:
        return CHECKSUM_OPEN_FAILURE
    try:
        length = f.fstat().st_size
        if length > MAX_IMAGE:
            return CHECKSUM_MAP_FAILURE
        head = f.pread(0x1000, 0)
        pieces = (f.pread(CHUNK, at) for at in range(0, length, CHUNK))
        stored, computed = pe_checksum(head, pieces, length)
    except KernelError:
        return CHECKSUM_MAP_FAILURE
    finally:
        f.decref()
    p.mm.write_u32(HeaderSum, stored)
    p.mm.write_u32(CheckSum, computed)
    return CHECKSUM_SUCCESS


def sys_imagehlp_MapFileAndCheckSumW(p, Filename, HeaderSum, CheckSum):
    return _map_file_and_checksum(p, Filename, HeaderSum, CheckSum, True)


def sys_imagehlp_MapFileAndCheckSumA(p, Filename, HeaderSum, CheckSum):
    return _map_file_and_checksum(p, Filename, HeaderSum, CheckSum, False)
