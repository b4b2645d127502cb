"""The scanf family over a string in guest memory: sscanf (its variadic pointers from the
trap) and the UCRT's __stdio_common_vsscanf (a va_list). Conversions as C has them:
%d %i %u %o %x %X %p, %f %e %g %a (and their capitals), %c, %s, %[set] and %[^set], %n,
with widths, assignment suppression (*) and the length modifiers hh h l ll L j z t I I32
I64 w. The result is the number of assignments, or EOF (-1) when the input ended before
the first conversion."""
from __future__ import annotations

import re
import struct

from .printf import CallArgs, VaList

SPEC = re.compile(rb"%(\*)?(\d+)?(hh|h|ll|l|L|j|z|t|I64|I32|I|w)?([diouxXpaAeEfFgGcsn%]|\[\^?\]?[^\]]*\])")
FLOAT = re.compile(rb"[+-]?(?:inf(?:inity)?|nan(?:\([0-9a-z_]*\))?|0x[0-9a-f]*\.?[0-9a-f]*"
                   rb"(?:p[+-]?\d+)?|\d*\.?\d*(?:e[+-]?\d+)?)", re.IGNORECASE)
SPACE = b" \t\n\v\f\r"
EOF = 0xFFFFFFFF


def _int_size(length, word: int) -> int:
    return {b"hh": 1, b"h": 2, b"ll": 8, b"I64": 8, b"j": 8, b"I32": 4, b"l": 4,
            b"z": word, b"t": word, b"I": word}.get(length, 4)


def _integer(text: bytes, pos: int, width: int, base: int):
    """(value, end) of an integer at pos in the base (0: C's prefixes), or None."""
    end = min(len(text), pos + width) if width else len(text)
    i, sign = pos, 1
    if i < end and text[i:i + 1] in (b"+", b"-"):
        sign = -1 if text[i:i + 1] == b"-" else 1
        i += 1
    if base in (0, 16) and text[i:i + 2].lower() == b"0x" and i + 2 <= end:
        i += 2
        base = 16
    elif base == 0:
        base = 8 if text[i:i + 1] == b"0" else 10
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"[:base]
    start = i
    while i < end and chr(text[i]).lower() in digits:
        i += 1
    if i == start:
        # "0x" with no digit after it still read the 0
        return (0, start - 1) if base == 16 and start >= 2 and text[start - 2:start].lower() == b"0x" \
            else None
    return sign * int(text[start:i], base), i


def _set(spec: bytes):
    """The bytes a %[...] accepts: a test on one byte."""
    body = spec[1:-1]
    negate = body.startswith(b"^")
    if negate:
        body = body[1:]
    members, i = set(), 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1:i + 2] == b"-":
            members.update(range(body[i], body[i + 2] + 1))
            i += 3
        else:
            members.add(body[i])
            i += 1
    return (lambda b: b not in members) if negate else (lambda b: b in members)


def _ended(result: int, pos: int, end: list | None) -> int:
    if end is not None:
        end.append(pos)
    return result


def scan_guest(p, text: bytes, fmt: bytes, args: CallArgs, end: list | None = None) -> int:
    """Scan text; end, when given, receives how many bytes of it the scan consumed."""
    word = p.sysvec.word_bits // 8
    pos, assigned, converted, fpos = 0, 0, False, 0
    while fpos < len(fmt):
        ch = fmt[fpos:fpos + 1]
        if ch in SPACE and ch:
            while pos < len(text) and text[pos:pos + 1] in SPACE:
                pos += 1
            fpos += 1
            continue
        if ch != b"%":
            if pos >= len(text):
                return _ended(assigned if converted else EOF, pos, end)
            if text[pos:pos + 1] != ch:
                return _ended(assigned, pos, end)
            pos, fpos = pos + 1, fpos + 1
            continue
        m = SPEC.match(fmt, fpos)
        if m is None:
            return _ended(assigned, pos, end)
        fpos = m.end()
        suppress, width, length, conv = m.group(1), m.group(2), m.group(3), m.group(4)
        width = int(width) if width else 0
        if conv == b"%":
            while pos < len(text) and text[pos:pos + 1] in SPACE:
                pos += 1
            if text[pos:pos + 1] != b"%":
                return _ended(assigned, pos, end)
            pos += 1
            continue
        if conv == b"n":
            if not suppress:
                p.mm.write(args.next(word), struct.pack("<i", pos)[:_int_size(length, word)])
            continue
        if conv not in (b"c",) and not conv.startswith(b"["):
            while pos < len(text) and text[pos:pos + 1] in SPACE:
                pos += 1
        if pos >= len(text):
            return _ended(assigned if converted else EOF, pos, end)
        if conv in (b"d", b"i", b"u", b"o", b"x", b"X", b"p"):
            base = {b"d": 10, b"u": 10, b"i": 0, b"o": 8}.get(conv, 16)
            found = _integer(text, pos, width, base)
            if found is None:
                return _ended(assigned, pos, end)
            value, pos = found
            size = word if conv == b"p" else _int_size(length, word)
            if not suppress:
                p.mm.write(args.next(word), (value & ((1 << (8 * size)) - 1)).to_bytes(size, "little"))
        elif conv in b"aAeEfFgG":
            limit = min(len(text), pos + width) if width else len(text)
            fm = FLOAT.match(text, pos, limit)
            if not fm or fm.end() == pos or fm.group(0) in (b"+", b"-", b".", b"+.", b"-."):
                return _ended(assigned, pos, end)
            raw = fm.group(0)
            try:
                value = float.fromhex(raw.decode()) if b"x" in raw.lower() and \
                    not raw.lower().lstrip(b"+-").startswith((b"inf", b"nan")) else float(raw)
            except ValueError:
                return _ended(assigned, pos, end)
            pos = fm.end()
            if not suppress:
                double = length in (b"l", b"L")
                p.mm.write(args.next(word), struct.pack("<d" if double else "<f", value))
        elif conv == b"c":
            count = width or 1
            if pos + count > len(text):
                return _ended(assigned if converted else EOF, pos, end)
            chunk, pos = text[pos:pos + count], pos + count
            if not suppress:
                out = b"".join(bytes((b, 0)) for b in chunk) if length in (b"l", b"w") else chunk
                p.mm.write(args.next(word), out)
        else:                                   # %s and %[set]
            accepts = (lambda b: bytes((b,)) not in SPACE) if conv == b"s" else _set(conv)
            start, limit = pos, min(len(text), pos + width) if width else len(text)
            while pos < limit and accepts(text[pos]):
                pos += 1
            if pos == start:
                return _ended(assigned, pos, end)
            if not suppress:
                chunk = text[start:pos]
                out = (b"".join(bytes((b, 0)) for b in chunk) + b"\0\0") \
                    if length in (b"l", b"w") else chunk + b"\0"
                p.mm.write(args.next(word), out)
        converted = True
        if not suppress:
            assigned += 1
    return _ended(assigned, pos, end)


def sys_msvcrt_sscanf(p, buffer, format):
    return scan_guest(p, p.mm.read_cstr(buffer, 1 << 20), p.mm.read_cstr(format, 1 << 16),
                      CallArgs(p, 2)) & 0xFFFFFFFF


def sys_ucrtbase___stdio_common_vsscanf(p, options, buffer, count, format, locale, arglist):
    """count: the input's length, or (size_t)-1 for a NUL-terminated one."""
    if count == (1 << p.sysvec.word_bits) - 1:
        text = p.mm.read_cstr(buffer, 1 << 20)
    else:
        text = p.mm.read(buffer, count).split(b"\0", 1)[0]
    return scan_guest(p, text, p.mm.read_cstr(format, 1 << 16), VaList(p, arglist)) & 0xFFFFFFFF


def sys_ucrtbase___stdio_common_vfscanf(p, options, stream, format, locale, arglist):
    """fscanf: scan what ungetc or an earlier scan left, with a read of up to 64 KiB after
    it (for a pipe or terminal only when what is left is blank, so the read that may wait
    comes before anything is consumed); what the scan did not use goes back."""
    from .msvcrt import _read_fd
    from .stdlib import _file
    fd, entry = _file(p, stream)
    if fd is None:
        return EOF
    f = p.fds.fds.get(fd, [None])[0]
    is_file = getattr(f, "kind", None) == "file"
    pushed = bytes(p.win32.pushback.get(fd, b""))
    fresh = b""
    if is_file or not pushed.strip():
        p.win32.pushback.pop(fd, None)
        fresh = _read_fd(p, fd, 65536)
    else:
        p.win32.pushback.pop(fd, None)
    data = pushed + fresh
    if not data:
        if entry is not None:
            entry["eof"] = True
        return EOF
    end: list = []
    result = scan_guest(p, data, p.mm.read_cstr(format, 1 << 16), VaList(p, arglist), end)
    rest = data[end[0] if end else len(data):]
    if rest:
        _give_back(p, fd, f if is_file else None, rest, len(fresh))
    return result & 0xFFFFFFFF


def _give_back(p, fd: int, f, rest: bytes, fresh: int) -> None:
    """Unscanned input returns to the stream: the part a file read gave moves the file's
    position back (ftell stays right); the rest (a pipe's, or ungetc's) waits in the
    pushback."""
    if f is not None and fresh:
        back = min(len(rest), fresh)
        try:
            f.lseek(-back, 1)
            rest = rest[:len(rest) - back]
        except Exception:       # KernelError: not seekable after all
            pass
    if rest:
        p.win32.pushback.setdefault(fd, bytearray())[:0] = rest
