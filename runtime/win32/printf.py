"""printf-family formatting over guest arguments: the variadic part of a call (from the
trap's registers and user stack) or a va_list in guest memory."""
from __future__ import annotations

import re
import struct

from unicorn import x86_const as X

SPEC_TEXT = re.compile(r"%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?(hh|h|ll|l|L|I64|I32|I|z|j|t|w)?"
                       r"([diouxXcsCSpfFeEgGaAn%])")


class CallArgs:
    """Arguments of the current call by position, the variadic ones included."""

    def __init__(self, p, first: int):
        self.p, self.index = p, first
        uc = p.engine.uc
        if p.sysvec.word_bits == 64:
            self.regs = [uc.reg_read(r) for r in (X.UC_X86_REG_R10, X.UC_X86_REG_RDX,
                                                  X.UC_X86_REG_R8, X.UC_X86_REG_R9)]
            self.stack = uc.reg_read(X.UC_X86_REG_RSP) + 0x28
        else:
            self.regs = []
            self.stack = uc.reg_read(X.UC_X86_REG_EDX)

    def slot(self) -> int:
        i = self.index
        self.index += 1
        if i < len(self.regs):
            return self.regs[i]
        w = self.p.sysvec.word_bits // 8
        return self.p.mm.read_word(self.stack + w * (i - len(self.regs)))

    def next(self, size: int) -> int:
        if self.p.sysvec.word_bits == 32 and size == 8:
            low, high = self.slot(), self.slot()
            return low | high << 32
        return self.slot()

    def double(self) -> float:
        return struct.unpack("<d", struct.pack("<Q", self.next(8) & (2**64 - 1)))[0]


class VaList(CallArgs):
    """A va_list: consecutive slots in guest memory (4 bytes on i386, 8 on x64)."""

    def __init__(self, p, pointer: int):
        self.p, self.ptr = p, pointer

    def slot(self) -> int:
        value = self.p.mm.read_word(self.ptr)
        self.ptr += self.p.sysvec.word_bits // 8
        return value


def _signed(value: int, bits: int) -> int:
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >> (bits - 1) else value


def format_guest(p, fmt: bytes, args: CallArgs) -> bytes:
    """The narrow printf family: a byte format (the C locale's latin-1 characters)."""
    return format_text(p, fmt.decode("latin-1"), args, False).encode("latin-1", errors="replace")


POSITIONAL = re.compile(r"%(\d+)\$([-+ #0]*)(\d+)?(?:\.(\d+))?"
                        r"(hh|h|ll|l|L|I64|I32|I|z|j|t|w)?([diouxXcsCSpfFeEgGaA])")


class ListArgs:
    """Arguments already read, handed out in order (positional formats' values)."""

    def __init__(self, values: list[int]):
        self.values, self.index = values, 0

    def next(self, size: int) -> int:
        value = self.values[self.index] if self.index < len(self.values) else 0
        self.index += 1
        return value

    def double(self) -> float:
        return struct.unpack("<d", struct.pack("<Q", self.next(8) & (2**64 - 1)))[0]


def _positional(p, fmt: str, args) -> tuple[str, ListArgs]:
    """A format whose conversions name their arguments (%2$s, the _p printf family's): the
    arguments read in position order (each as wide as its conversion says), the format
    without the positions, and the values in the order its conversions come."""
    word = p.sysvec.word_bits // 8
    sizes: dict[int, int] = {}
    specs = list(POSITIONAL.finditer(fmt))
    for m in specs:
        length, conv = m.group(5), m.group(6)
        size = 8 if conv in "fFeEgGaA" or length in ("ll", "I64", "j") else \
            word if conv in "sSp" or length in ("z", "t", "I") else 4
        sizes.setdefault(int(m.group(1)), size)
    by_position = {n: args.next(sizes[n]) for n in range(1, max(sizes, default=0) + 1)
                   if n in sizes}
    values = [by_position[int(m.group(1))] for m in specs]
    return POSITIONAL.sub(lambda m: "%" + m.group(0)[len(m.group(1)) + 2:], fmt), \
        ListArgs(values)


def format_text(p, fmt: str, args: CallArgs, wide: bool) -> str:
    """printf formatting as text. wide: the wide family's rules, where %s and %c take wide
    strings and characters (and %hs, %hc narrow ones), as MSVC's legacy wide specifiers.
    %S and %C take the other width's (mingw's printf writes narrow strings through a wide
    fwprintf's %S)."""
    word = p.sysvec.word_bits
    if "$" in fmt and POSITIONAL.search(fmt):
        fmt, args = _positional(p, fmt, args)
    out = []
    pos = 0
    for m in SPEC_TEXT.finditer(fmt):
        out.append(fmt[pos:m.start()])
        pos = m.end()
        flags, width, prec, length, conv = m.groups()
        if width == "*":
            width = _signed(args.next(4), 32)
            if width < 0:               # C: a negative width is the - flag and its size
                flags, width = flags + "-", -width
        width = int(width) if width not in (None, "") else None
        if prec == "*":
            prec = _signed(args.next(4), 32)
            if prec < 0:                # ... and a negative precision, none at all
                prec = None
        prec = int(prec) if prec not in (None, "") else None
        if conv == "%":
            out.append("%")
            continue
        family_width = wide if conv in "sc" else not wide      # %S, %C: the other one's
        wide_arg = length in ("l", "w") or (family_width and length != "h")
        conv = conv.lower() if conv in "SC" else conv
        size = 8 if length in ("ll", "I64", "j") else (word // 8 if length in ("z", "t", "I") else 4)
        if conv in "di":
            text = _fmt_py(flags, width, prec, "d", _signed(args.next(size), size * 8))
        elif conv in "ouxX":
            value = args.next(size) & ((1 << (size * 8)) - 1)
            text = _fmt_py(flags, width, prec, conv if conv != "u" else "d", value)
        elif conv == "c":
            text = _pad(chr(args.next(4) & (0xFFFF if wide_arg else 0xFF)), flags, width)
        elif conv == "s":
            ptr = args.next(word // 8)
            if not ptr:
                s = "(null)"
            elif wide_arg:
                raw = b""
                i = 0
                while prec is None or i < prec:
                    ch = p.mm.read(ptr + 2 * i, 2)
                    if ch == b"\0\0":
                        break
                    raw += ch
                    i += 1
                s = raw.decode("utf-16-le", errors="replace")
            else:
                s = p.mm.read_cstr(ptr, 1 << 20).decode("latin-1")
                if prec is not None:
                    s = s[:prec]
            text = _pad(s, flags, width)
        elif conv == "p":
            text = _pad(f"{args.next(word // 8):0{word // 4}X}", flags, width)
        elif conv in "fFeEgGaA":
            value = args.double()
            spec = "%" + flags + (str(width) if width is not None else "") + \
                (f".{prec}" if prec is not None else "") + (conv if conv not in "aA" else "e")
            text = spec % value
        else:  # %n: refuse to write through it, as msvcrt does by default
            text = ""
        out.append(text)
    out.append(fmt[pos:])
    return "".join(out)


def _pad(s: str, flags: str, width) -> str:
    if width is None or len(s) >= width:
        return s
    return s.ljust(width) if "-" in flags else s.rjust(width)


def _fmt_py(flags: str, width, prec, conv: str, value: int) -> str:
    spec = "%" + flags + (str(width) if width is not None else "") + \
        (f".{prec}" if prec is not None else "") + conv
    return spec % value


# wsprintf's specification: %[-][#][0][width][.precision]type, no floating point; a % before
# a character that means nothing there drops the specification and keeps that character.
WSPRINTF_SPEC = re.compile(r"%(-?#?0?)(\d*)(?:\.(\d*))?(I64|I32|I|h|l|w)?(.?)", re.S)


def format_wsprintf(p, fmt: str, args: CallArgs, wide: bool) -> str:
    """user32's wsprintf family: what format_text makes of the specifications wsprintf
    knows; one it does not know (%f) is its last character alone."""
    def rewrite(m) -> str:
        flags, width, prec, length, conv = m.groups()
        if conv == "%":
            return "%%"
        if not conv or conv not in "cCdiuxXpsS":
            return conv.replace("%", "%%")
        if conv in "diuxX" and prec in ("", "0"):   # a number's precision 0 or none is 1
            prec = None
        return "%" + flags + width + (f".{prec}" if prec is not None else "") + \
            (length or "") + conv
    return format_text(p, WSPRINTF_SPEC.sub(rewrite, fmt), args, wide)
