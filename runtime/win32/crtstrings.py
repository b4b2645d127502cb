"""msvcrt string and character functions beyond stdlib.py: tokens and spans, memchr, case
and reversal in place, integer to text, and the remaining character classes."""
from __future__ import annotations


def _cstr(p, addr: int) -> bytes:
    return p.mm.read_cstr(addr, 1 << 30)


def sys_msvcrt_strspn(p, s, accept):
    text, chars = _cstr(p, s), set(_cstr(p, accept))
    n = 0
    while n < len(text) and text[n] in chars:
        n += 1
    return n


def sys_msvcrt_strcspn(p, s, reject):
    text, chars = _cstr(p, s), set(_cstr(p, reject))
    n = 0
    while n < len(text) and text[n] not in chars:
        n += 1
    return n


def sys_msvcrt_strpbrk(p, s, accept):
    text, chars = _cstr(p, s), set(_cstr(p, accept))
    return next((s + i for i, ch in enumerate(text) if ch in chars), 0)


def next_token(p, start: int, delim: int) -> tuple[int, int]:
    """strtok's step from start: (the token, 0 when none; where the next call begins, 0
    at the end), the delimiter after the token overwritten with a NUL."""
    if not start:
        return 0, 0
    return token_step(p, start, list(_cstr(p, start)), set(_cstr(p, delim)), 1)


def token_step(p, start: int, text: list, chars: set, width: int) -> tuple[int, int]:
    """strtok's and wcstok's step over text (characters of width bytes at start)."""
    i = 0
    while i < len(text) and text[i] in chars:
        i += 1
    if i == len(text):
        return 0, 0
    j = i
    while j < len(text) and text[j] not in chars:
        j += 1
    if j == len(text):
        return start + width * i, 0
    p.mm.write(start + width * j, b"\0" * width)
    return start + width * i, start + width * (j + 1)


def sys_msvcrt_strtok(p, s, delim):
    """strtok: the position between calls is the process's, as msvcrt keeps it per thread."""
    token, p.win32.strtok_next = next_token(p, s if s else p.win32.strtok_next, delim)
    return token


def sys_msvcrt_memchr(p, buf, c, count):
    data = p.mm.read(buf, count) if count else b""
    i = data.find(bytes([c & 0xFF]))
    return buf + i if i >= 0 else 0


def _rewrite(p, s, change) -> int:
    text = _cstr(p, s)
    p.mm.write(s, change(text))
    return s


def sys_msvcrt__strupr(p, s):
    return _rewrite(p, s, bytes.upper)


def sys_msvcrt__strlwr(p, s):
    return _rewrite(p, s, bytes.lower)


def sys_msvcrt__strrev(p, s):
    return _rewrite(p, s, lambda t: t[::-1])


DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _to_text(value: int, radix: int, bits: int, signed_decimal: bool) -> bytes:
    value &= (1 << bits) - 1
    negative = signed_decimal and radix == 10 and value >> (bits - 1)
    if negative:
        value = (1 << bits) - value
    out = ""
    while True:
        value, digit = divmod(value, radix)
        out = DIGITS[digit] + out
        if not value:
            break
    return (("-" if negative else "") + out).encode()


def sys_msvcrt__itoa(p, value, buffer, radix):
    """_itoa/_ltoa: negative numbers get a sign only in base 10, as in msvcrt."""
    if not 2 <= radix <= 36:
        return buffer
    p.mm.write(buffer, _to_text(value, radix, 32, True) + b"\0")
    return buffer


def sys_msvcrt__ultoa(p, value, buffer, radix):
    if not 2 <= radix <= 36:
        return buffer
    p.mm.write(buffer, _to_text(value, radix, 32, False) + b"\0")
    return buffer


def _ctype(test):
    return lambda p, c: int(0 <= c < 128 and test(chr(c)))


sys_msvcrt_ispunct = _ctype(lambda ch: 33 <= ord(ch) <= 126 and not ch.isalnum())
sys_msvcrt_isprint = _ctype(lambda ch: 32 <= ord(ch) <= 126)
sys_msvcrt_isgraph = _ctype(lambda ch: 33 <= ord(ch) <= 126)
sys_msvcrt_iscntrl = _ctype(lambda ch: ord(ch) < 32 or ord(ch) == 127)



def sys_msvcrt__i64tow(p, value, buffer, radix):
    if 2 <= radix <= 36:
        p.mm.write(buffer, _to_text(value, radix, 64, True).decode().encode("utf-16-le") +
                   b"\0\0")
    return buffer


def sys_msvcrt__ui64tow(p, value, buffer, radix):
    if 2 <= radix <= 36:
        p.mm.write(buffer, _to_text(value, radix, 64, False).decode().encode("utf-16-le") +
                   b"\0\0")
    return buffer


def sys_msvcrt__itow(p, value, buffer, radix):
    if 2 <= radix <= 36:
        p.mm.write(buffer, _to_text(value, radix, 32, True).decode().encode("utf-16-le") +
                   b"\0\0")
    return buffer


def sys_msvcrt__i64toa(p, value, buffer, radix):
    if 2 <= radix <= 36:
        p.mm.write(buffer, _to_text(value, radix, 64, True) + b"\0")
    return buffer


def sys_msvcrt__ui64toa(p, value, buffer, radix):
    if 2 <= radix <= 36:
        p.mm.write(buffer, _to_text(value, radix, 64, False) + b"\0")
    return buffer


# --- rotations (the intrinsics' library forms) ---------------------------------------------

def _rotate(value: int, shift: int, bits: int, left: bool) -> int:
    value &= (1 << bits) - 1
    shift = (shift & 0xFFFFFFFF) % bits
    if not left:
        shift = (bits - shift) % bits
    return ((value << shift) | (value >> (bits - shift))) & ((1 << bits) - 1)


def sys_msvcrt__rotl(p, value, shift):
    return _rotate(value, shift, 32, True)


def sys_msvcrt__rotr(p, value, shift):
    return _rotate(value, shift, 32, False)


def sys_msvcrt__rotl64(p, value, shift):
    from .stdlib import _return_64
    return _return_64(p, _rotate(value, shift, 64, True))


def sys_msvcrt__rotr64(p, value, shift):
    from .stdlib import _return_64
    return _return_64(p, _rotate(value, shift, 64, False))
