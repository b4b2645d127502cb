"""UTF-16 strings in guest memory, and the Win32 rules for returning a string into a caller's
buffer (W functions count characters, A functions bytes; too small a buffer gets the size
it needs, NUL included)."""
from __future__ import annotations

ERROR_INSUFFICIENT_BUFFER = 122
MAX_CHARS = 1 << 16


def read_wstr(p, addr: int, count: int = -1) -> str:
    """A NUL-terminated (count < 0) or counted UTF-16 string."""
    if not addr:
        return ""
    if count >= 0:
        return p.mm.read(addr, 2 * count).decode("utf-16-le", errors="replace")
    raw = bytearray()
    while len(raw) < 2 * MAX_CHARS:
        chunk = p.mm.read(addr + len(raw), 2)
        if chunk == b"\0\0":
            break
        raw += chunk
    return raw.decode("utf-16-le", errors="replace")


def read_str(p, addr: int, wide: bool) -> str:
    return read_wstr(p, addr) if wide else p.mm.read_cstr(addr, MAX_CHARS).decode("latin-1")


def encode(text: str, wide: bool) -> bytes:
    return text.encode("utf-16-le") if wide else text.encode("latin-1", errors="replace")


def put_string(p, text: str, buffer: int, size: int, wide: bool) -> int:
    """GetCurrentDirectory's convention: the length written without its NUL, or when the
    buffer is too small, the size needed with the NUL (in characters)."""
    data = encode(text, wide)
    unit = 2 if wide else 1
    chars = len(data) // unit
    if size < chars + 1 or not buffer:
        return chars + 1
    p.mm.write(buffer, data + b"\0" * unit)
    return chars


def put_sized(p, data: bytes, buffer: int, size_at: int) -> int:
    """The in/out size convention (GetLogicalProcessorInformation, CreateWellKnownSid): the
    size needed goes to *size_at; data is written when the buffer holds it (1), else
    ERROR_INSUFFICIENT_BUFFER (0)."""
    have = p.mm.read_u32(size_at)
    p.mm.write_u32(size_at, len(data))
    if have < len(data) or not buffer:
        p.win32.last_error = ERROR_INSUFFICIENT_BUFFER
        return 0
    p.mm.write(buffer, data)
    return 1


def put_truncated(p, text: str, buffer: int, size: int, wide: bool) -> int:
    """GetModuleFileName's convention: truncate and report ERROR_INSUFFICIENT_BUFFER."""
    unit = 2 if wide else 1
    data = encode(text, wide)
    chars = len(data) // unit
    if size == 0:
        return 0
    if chars + 1 > size:
        p.mm.write(buffer, data[:unit * (size - 1)] + b"\0" * unit)
        p.win32.last_error = ERROR_INSUFFICIENT_BUFFER
        return size
    p.mm.write(buffer, data + b"\0" * unit)
    return chars
