"""msvcrt functions that return a double: atof and strtod. A double comes back in xmm0 on
x64 and on top of the x87 register stack on i386 (pushed, as the callee's fld leaves it)."""
from __future__ import annotations

import math
import re
import struct

from unicorn import x86_const as X

from ..nt import abi

NUMBER = re.compile(rb"[ \t\n\v\f\r]*([+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
                    rb"|inf(?:inity)?|nan))", re.IGNORECASE)


def _fp80(value: float) -> tuple[int, int]:
    """A double as the x87's 80-bit extended format: (64-bit mantissa, sign+exponent)."""
    bits = struct.unpack("<Q", struct.pack("<d", value))[0]
    sign, exp, frac = bits >> 63, (bits >> 52) & 0x7FF, bits & ((1 << 52) - 1)
    if exp == 0x7FF:                                   # inf, nan
        return (1 << 63) | (frac << 11), (sign << 15) | 0x7FFF
    if exp == 0:
        if frac == 0:
            return 0, sign << 15
        shift = 52 - frac.bit_length() + 1             # subnormal: normalise
        return (frac << (11 + shift)) & ((1 << 64) - 1), (sign << 15) | (1 - 1023 + 16383 - shift)
    return (1 << 63) | (frac << 11), (sign << 15) | (exp - 1023 + 16383)


def return_double(p, value: float) -> int:
    uc = p.engine.uc
    if abi.word(p) == 8:
        uc.reg_write(X.UC_X86_REG_XMM0, struct.unpack("<Q", struct.pack("<d", value))[0])
        return 0
    fpsw = uc.reg_read(X.UC_X86_REG_FPSW)
    top = (((fpsw >> 11) & 7) - 1) & 7                 # push: TOP decrements
    uc.reg_write(X.UC_X86_REG_FPSW, (fpsw & ~0x3800) | (top << 11))
    uc.reg_write(X.UC_X86_REG_FP0 + top, _fp80(value))
    tags = uc.reg_read(X.UC_X86_REG_FPTAG)
    uc.reg_write(X.UC_X86_REG_FPTAG, tags & ~(3 << (2 * top)))   # valid
    return 0


def _parse(p, s) -> tuple[float, int]:
    text = p.mm.read_cstr(s, 4096)
    m = NUMBER.match(text)
    if not m:
        return 0.0, 0
    try:
        value = float(m.group(1))
    except (ValueError, OverflowError):
        value = math.inf
    return value, m.end()


def sys_msvcrt_atof(p, s):
    return return_double(p, _parse(p, s)[0])


def sys_msvcrt_strtod(p, s, endptr):
    value, used = _parse(p, s)
    if endptr:
        abi.write_ptr(p, endptr, s + used)
    if math.isinf(value) and used and b"inf" not in p.mm.read_cstr(s, 4096)[:used].lower():
        p.mm.write_u32(p.win32.crt["errno"], 34)   # ERANGE: out of a double's range
    return return_double(p, value)


# The floating-point state a program starts with: SSE exceptions masked, round to nearest;
# the x87 with 53-bit precision (Windows' default, 0x27F).
DEFAULT_MXCSR, DEFAULT_FPCW = 0x1F80, 0x27F


def sys_msvcrt__fpreset(p):
    """Reset the floating-point package (GHC's runtime calls it at start-up)."""
    uc = p.engine.uc
    uc.reg_write(X.UC_X86_REG_MXCSR, DEFAULT_MXCSR)
    uc.reg_write(X.UC_X86_REG_FPCW, DEFAULT_FPCW)
    return 0
