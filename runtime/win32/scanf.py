"""The scanf family over a string in guest memory: sscanf and swscanf (their variadic
pointers from the trap) and the UCRT's __stdio_common_vsscanf/vswscanf (a va_list), and
fscanf. Conversions as C has them: %d %i %u %o %x %X %p, %f %e %g %a (and their capitals),
%c, %s, %[set] and %[^set], %n, with widths, assignment suppression (*) and the length
modifiers hh h l ll L j z t I I32 I64 w; %S and %C are the other width's string and
character, as Microsoft's. The wide forms scan UTF-16 text, their %s storing wide strings
(%hs narrow ones). The result is the number of assignments, or EOF (-1) when the input
ended before the first conversion."""
from __future__ import annotations

import copy

import re
import struct

from .printf import CallArgs, VaList

SPEC = re.compile(r"%(\*)?(\d+)?(hh|h|ll|l|L|j|z|t|I64|I32|I|w)?([diouxXpaAeEfFgGcCsSn%]|\[\^?\]?[^\]]*\])")
FLOAT = re.compile(r"[+-]?(?:inf(?:inity)?|nan(?:\([0-9a-z_]*\))?|0x[0-9a-f]*\.?[0-9a-f]*"
                   r"(?:p[+-]?\d+)?|\d*\.?\d*(?:e[+-]?\d+)?)", re.IGNORECASE)
SPACE = " \t\n\v\f\r"
EOF = 0xFFFFFFFF


def _int_size(length, word: int) -> int:
    return {"hh": 1, "h": 2, "ll": 8, "I64": 8, "j": 8, "I32": 4, "l": 4,
            "z": word, "t": word, "I": word}.get(length, 4)


def _integer(text: str, pos: int, width: int, base: int):
    """(value, end) of an integer at pos in the base (0: C's prefixes), or None."""
    end = min(len(text), pos + width) if width else len(text)
    i, sign = pos, 1
    if i < end and text[i:i + 1] in ("+", "-"):
        sign = -1 if text[i:i + 1] == "-" else 1
        i += 1
    if base in (0, 16) and text[i:i + 2].lower() == "0x" and i + 2 <= end:
        i += 2
        base = 16
    elif base == 0:
        base = 8 if text[i:i + 1] == "0" else 10
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"[:base]
    start = i
    while i < end and text[i].lower() in digits:
        i += 1
    if i == start:
        # "0x" with no digit after it still read the 0
        return (0, start - 1) if base == 16 and start >= 2 and text[start - 2:start].lower() == "0x" \
            else None
    return sign * int(text[start:i], base), i


def _set(spec: str):
    """The characters a %[...] accepts: a test on one character."""
    body = spec[1:-1]
    negate = body.startswith("^")
    if negate:
        body = body[1:]
    members, i = set(), 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1:i + 2] == "-":
            members.update(chr(c) for c in range(ord(body[i]), ord(body[i + 2]) + 1))
            i += 3
        else:
            members.add(body[i])
            i += 1
    return (lambda b: b not in members) if negate else (lambda b: b in members)


def _ended(result: int, pos: int, end: list | None) -> int:
    if end is not None:
        end.append(pos)
    return result


def _stored(chunk: str, wide: bool, terminate: bool) -> bytes:
    if wide:
        return chunk.encode("utf-16-le", "surrogatepass") + (b"\0\0" if terminate else b"")
    return chunk.encode("latin-1", "replace") + (b"\0" if terminate else b"")


def scan_guest(p, text, fmt, args: CallArgs, end: list | None = None,
               wide: bool = False) -> int:
    """Scan text (bytes, or str for the wide forms: wide says so); end, when given, receives
    how many characters of it the scan consumed."""
    if isinstance(text, bytes):
        text = text.decode("latin-1")
    if isinstance(fmt, bytes):
        fmt = fmt.decode("latin-1")
    word = p.sysvec.word_bits // 8
    pos, assigned, converted, fpos = 0, 0, False, 0
    while fpos < len(fmt):
        ch = fmt[fpos:fpos + 1]
        if ch in SPACE and ch:
            while pos < len(text) and text[pos:pos + 1] in SPACE:
                pos += 1
            fpos += 1
            continue
        if ch != "%":
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
        if conv == "%":
            while pos < len(text) and text[pos:pos + 1] in SPACE:
                pos += 1
            if text[pos:pos + 1] != "%":
                return _ended(assigned, pos, end)
            pos += 1
            continue
        if conv == "n":
            if not suppress:
                p.mm.write(args.next(word), struct.pack("<i", pos)[:_int_size(length, word)])
            continue
        if conv not in ("c", "C") and not conv.startswith("["):
            while pos < len(text) and text[pos:pos + 1] in SPACE:
                pos += 1
        if pos >= len(text):
            return _ended(assigned if converted else EOF, pos, end)
        if conv in ("d", "i", "u", "o", "x", "X", "p"):
            base = {"d": 10, "u": 10, "i": 0, "o": 8}.get(conv, 16)
            found = _integer(text, pos, width, base)
            if found is None:
                return _ended(assigned, pos, end)
            value, pos = found
            size = word if conv == "p" else _int_size(length, word)
            if not suppress:
                p.mm.write(args.next(word), (value & ((1 << (8 * size)) - 1)).to_bytes(size, "little"))
        elif conv in "aAeEfFgG":
            limit = min(len(text), pos + width) if width else len(text)
            fm = FLOAT.match(text, pos, limit)
            if not fm or fm.end() == pos or fm.group(0) in ("+", "-", ".", "+.", "-."):
                return _ended(assigned, pos, end)
            raw = fm.group(0)
            try:
                value = float.fromhex(raw) if "x" in raw.lower() and \
                    not raw.lower().lstrip("+-").startswith(("inf", "nan")) else float(raw)
            except ValueError:
                return _ended(assigned, pos, end)
            pos = fm.end()
            if not suppress:
                double = length in ("l", "L")
                p.mm.write(args.next(word), struct.pack("<d" if double else "<f", value))
        elif conv in ("c", "C"):
            count = width or 1
            if pos + count > len(text):
                return _ended(assigned if converted else EOF, pos, end)
            chunk, pos = text[pos:pos + count], pos + count
            if not suppress:
                p.mm.write(args.next(word), _stored(chunk, _wide_text(conv, length, wide), False))
        else:                                   # %s and %[set]
            accepts = (lambda c: c not in SPACE) if conv in ("s", "S") else _set(conv)
            start, limit = pos, min(len(text), pos + width) if width else len(text)
            while pos < limit and accepts(text[pos]):
                pos += 1
            if pos == start:
                return _ended(assigned, pos, end)
            if not suppress:
                p.mm.write(args.next(word),
                           _stored(text[start:pos], _wide_text(conv, length, wide), True))
        converted = True
        if not suppress:
            assigned += 1
    return _ended(assigned, pos, end)


def _wide_text(conv: str, length, wide: bool) -> bool:
    """Whether a %s, %c or %[ stores wide characters: l or w asks so, h narrow; otherwise
    the function's own width, the other one for %S and %C."""
    if length in ("l", "w"):
        return True
    if length == "h":
        return False
    return wide != (conv in ("S", "C"))


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


def sys_msvcrt_swscanf(p, buffer, format):
    from .wide import read_wstr
    return scan_guest(p, read_wstr(p, buffer), read_wstr(p, format), CallArgs(p, 2),
                      wide=True) & 0xFFFFFFFF


def sys_ucrtbase___stdio_common_vswscanf(p, options, buffer, count, format, locale, arglist):
    """The wide vsscanf: count characters, or (size_t)-1 for a NUL-terminated string."""
    from .wide import read_wstr
    if count == (1 << p.sysvec.word_bits) - 1:
        text = read_wstr(p, buffer)
    else:
        text = read_wstr(p, buffer, count).split("\0", 1)[0]
    return scan_guest(p, text, read_wstr(p, format), VaList(p, arglist), wide=True) & 0xFFFFFFFF


def sys_ucrtbase___stdio_common_vfscanf(p, options, stream, format, locale, arglist):
    return _scan_stream(p, stream, format, VaList(p, arglist))


def sys_msvcrt_fscanf(p, stream, format):
    return _scan_stream(p, stream, format, CallArgs(p, 2))


def sys_msvcrt_scanf(p, format):
    from .msvcrt import _crt
    return _scan_stream(p, _crt(p)["_iob"], format, CallArgs(p, 1))     # stdin: _iob[0]


def _scan_stream(p, stream, format, args) -> int:
    """fscanf: scan what ungetc or an earlier scan left, with a read of up to 64 KiB after
    it (for a pipe or terminal only when what is left is blank); what the scan did not use
    goes back. On a pipe or terminal a scan that ran to the end of what was there waits for
    more and scans again, as the CRT's getc would (a number cut between two writes, a
    conversion still to come), until the input ends. Whatever was taken is kept in the
    pushback while a read waits, so the call's restart loses nothing."""
    from .crtstream import nt_read
    from .stdlib import _file
    fd, entry = _file(p, stream)
    if fd is None:
        return EOF
    f = p.fds.fds.get(fd, [None])[0]
    is_file = getattr(f, "kind", None) == "file"
    data = bytes(p.win32.pushback.get(fd, b""))
    fresh, ended = 0, False
    if is_file or not data.strip():
        more = nt_read(p, fd, 65536)     # may wait: the pushback is still there (stdout and a
                                         # stream's unwritten bytes are written first)
        fresh, ended = len(more), not more
        data += more
    fmt = p.mm.read_cstr(format, 1 << 16)
    first_args = copy.copy(args)        # a scan again takes the arguments from the first
    while True:
        p.win32.pushback.pop(fd, None)
        if not data:
            if entry is not None:
                entry["eof"] = True
            return EOF
        end: list = []
        result = scan_guest(p, data, fmt, copy.copy(first_args), end)
        used = end[0] if end else len(data)
        if is_file or ended or used < len(data):
            break
        p.win32.pushback[fd] = bytearray(data)      # kept if the read below waits
        more = nt_read(p, fd, 65536)
        ended = not more
        data += more
    rest = data[used:]
    if rest:
        _give_back(p, fd, f if is_file else None, rest, fresh)
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
