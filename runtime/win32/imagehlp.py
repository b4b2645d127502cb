"""imagehlp.dll's PE checksums (CheckSumMappedFile, MapFileAndCheckSum): the value a PE
header's CheckSum field should hold -- the file's 16-bit words summed with their carries
folded back in, the field itself left out, plus the file's length. PyInstaller updates its
bootloader's checksum with them; drivers and signed images must carry a right one."""
from __future__ import annotations

import struct

from ..errors import Fault
from .wide import read_str

CHECKSUM_SUCCESS, CHECKSUM_OPEN_FAILURE, CHECKSUM_MAP_FAILURE = 0, 1, 2
MAX_IMAGE = 1 << 30                  # a longer mapped file is not read into the host


def _nt_headers(data: bytes) -> int | None:
    """Where the PE signature is, or None when data is no PE image."""
    if len(data) < 0x40 or data[:2] != b"MZ":
        return None
    at = struct.unpack_from("<I", data, 0x3C)[0]
    return at if at + 0x5C <= len(data) and data[at:at + 4] == b"PE\0\0" else None


def pe_checksum(data: bytes) -> tuple[int, int]:
    """(the header's CheckSum field, the checksum the file has): 0 for the field when the
    data is no PE image, whose words are all summed."""
    headers = _nt_headers(data)
    field = 0 if headers is None else headers + 0x58      # OptionalHeader.CheckSum
    stored = struct.unpack_from("<I", data, field)[0] if field else 0
    padded = data + b"\0" if len(data) % 2 else data
    total = sum(memoryview(padded).cast("H"))
    if field:
        total -= sum(struct.unpack_from("<HH", data, field))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return stored, (total + len(data)) & 0xFFFFFFFF


def sys_imagehlp_CheckSumMappedFile(p, BaseAddress, FileLength, HeaderSum, CheckSum):
    """The checksum of a file mapped at BaseAddress; its NT headers' address, or NULL when it
    is no PE image (the sums are given either way)."""
    length = FileLength & 0xFFFFFFFF
    if length > MAX_IMAGE:
        p.win32.last_error = 8       # ERROR_NOT_ENOUGH_MEMORY
        return 0
    try:
        data = bytes(p.mm.read(BaseAddress, length)) if length else b""
    except Fault:
        p.win32.last_error = 998     # ERROR_NOACCESS
        return 0
    stored, computed = pe_checksum(data)
    p.mm.write_u32(HeaderSum, stored)
    p.mm.write_u32(CheckSum, computed)
    headers = _nt_headers(data)
    return 0 if headers is None else BaseAddress + headers


def _map_file_and_checksum(p, Filename, HeaderSum, CheckSum, wide: bool) -> int:
    from .kernel32_files import _path, file_bytes, full_path
    name = read_str(p, Filename, wide)
    try:
        data = file_bytes(p, _path(p, full_path(p, name)), MAX_IMAGE + 1) if name else None
    except Exception:                # NtError: a name NT paths refuse
        data = None
    if data is None:
        return CHECKSUM_OPEN_FAILURE
    if len(data) > MAX_IMAGE:
        return CHECKSUM_MAP_FAILURE
    stored, computed = pe_checksum(data)
    p.mm.write_u32(HeaderSum, stored)
    p.mm.write_u32(CheckSum, computed)
    return CHECKSUM_SUCCESS


def sys_imagehlp_MapFileAndCheckSumW(p, Filename, HeaderSum, CheckSum):
    return _map_file_and_checksum(p, Filename, HeaderSum, CheckSum, True)


def sys_imagehlp_MapFileAndCheckSumA(p, Filename, HeaderSum, CheckSum):
    return _map_file_and_checksum(p, Filename, HeaderSum, CheckSum, False)
