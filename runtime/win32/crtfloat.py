"""msvcrt functions that return a double: atof and strtod. A double comes back in xmm0 on
x64 and on top of the x87 register stack on i386 (pushed, as the callee's fld leaves it)."""
from __future__ import annotations

import math
import re
import struct

from unicorn import x86_const as X

from ..nt import abi
from .crterrno import ERANGE

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


INTEGER_INDEFINITE = 1 << 63      # what fistp stores for a value no int64 holds


def _pop_st0(p) -> tuple[int, int]:
    """Pop the x87 stack's top: (64-bit mantissa, sign and exponent)."""
    uc = p.engine.uc
    fpsw = uc.reg_read(X.UC_X86_REG_FPSW)
    top = (fpsw >> 11) & 7
    value = uc.reg_read(X.UC_X86_REG_FP0 + top)
    uc.reg_write(X.UC_X86_REG_FPTAG, uc.reg_read(X.UC_X86_REG_FPTAG) | 3 << (2 * top))   # empty
    uc.reg_write(X.UC_X86_REG_FPSW, (fpsw & ~0x3800) | ((top + 1) & 7) << 11)
    return value


def _truncate_fp80(mantissa: int, sign_exponent: int) -> int:
    """An 80-bit extended value rounded toward zero to an int64, as fistp does with the
    rounding control set to chop (integer indefinite when it does not fit, NaN and infinity
    included)."""
    exponent = sign_exponent & 0x7FFF
    if exponent == 0x7FFF:
        return INTEGER_INDEFINITE
    shift = exponent - 16383 - 63
    magnitude = mantissa << shift if shift >= 0 else mantissa >> -shift
    value = -magnitude if sign_exponent & 0x8000 else magnitude
    if not -(1 << 63) <= value < 1 << 63:
        return INTEGER_INDEFINITE
    return value & ((1 << 64) - 1)


def sys_msvcrt__ftol(p):
    """i386 msvcrt's float-to-integer conversion the compiler calls for a cast: st(0)
    popped, truncated, returned in edx:eax."""
    mantissa, sign_exponent = _pop_st0(p)
    value = _truncate_fp80(mantissa, sign_exponent)
    p.engine.uc.reg_write(X.UC_X86_REG_EDX, value >> 32)
    return value & 0xFFFFFFFF


def _parse(p, s) -> tuple[float, int]:
    from .msvcrt import number_text
    return _number_of(number_text(p, s))


def _number_of(text: bytes) -> tuple[float, int]:
    """strtod's reading of text: (the value, the bytes it took); an overflow is infinite."""
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
    if math.isinf(value) and used and b"inf" not in p.mm.read(s, used).lower():
        p.mm.write_u32(p.win32.crt["errno"], ERANGE)   # out of a double's range
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


# _controlfp's abstract control word, and where each of its bits lives in MXCSR and in the
# x87 control word: (abstract bit, MXCSR bit, x87 bit) for the exception masks.
EXCEPTION_BITS = [(0x10, 0x80, 0x01), (0x80000, 0x100, 0x02), (0x08, 0x200, 0x04),
                  (0x04, 0x400, 0x08), (0x02, 0x800, 0x10), (0x01, 0x1000, 0x20)]
_MCW_RC, _MCW_PC, _MCW_DN = 0x300, 0x30000, 0x03000000
_DN_FLUSH = 0x01000000
MXCSR_FLUSH = 0x8040                         # flush-to-zero and denormals-are-zero
X87_PRECISION = {0: 0x300, 0x10000: 0x200, 0x20000: 0x000}    # _PC_64, _PC_53, _PC_24


def _abstract(mxcsr: int, fpcw: int | None) -> int:
    """The abstract word from MXCSR (x64), or from the x87's word with its precision (i386)."""
    word = 0
    for abstract, sse, x87 in EXCEPTION_BITS:
        if (fpcw & x87) if fpcw is not None else (mxcsr & sse):
            word |= abstract
    rounding = ((fpcw >> 10) & 3) if fpcw is not None else ((mxcsr >> 13) & 3)
    word |= rounding << 8
    if fpcw is not None:
        word |= next(pc for pc, bits in X87_PRECISION.items() if bits == fpcw & 0x300) \
            if fpcw & 0x300 != 0x100 else 0
    if mxcsr & MXCSR_FLUSH:
        word |= _DN_FLUSH
    return word


def _concrete(word: int, mxcsr: int, fpcw: int) -> tuple[int, int]:
    """MXCSR and the x87 control word set from an abstract word."""
    for abstract, sse, x87 in EXCEPTION_BITS:
        mxcsr = (mxcsr | sse) if word & abstract else (mxcsr & ~sse)
        fpcw = (fpcw | x87) if word & abstract else (fpcw & ~x87)
    rounding = (word >> 8) & 3
    mxcsr = (mxcsr & ~0x6000) | rounding << 13
    fpcw = (fpcw & ~0xC00) | rounding << 10
    fpcw = (fpcw & ~0x300) | X87_PRECISION.get(word & _MCW_PC, 0x200)
    mxcsr = (mxcsr | MXCSR_FLUSH) if word & _DN_FLUSH else (mxcsr & ~MXCSR_FLUSH)
    return mxcsr, fpcw


def sys_msvcrt__controlfp(p, newval, mask):
    """Read the floating-point control word and change the bits under mask (precision only
    on i386, where the x87 computes doubles)."""
    uc = p.engine.uc
    wide = abi.word(p) == 8
    mxcsr, fpcw = uc.reg_read(X.UC_X86_REG_MXCSR), uc.reg_read(X.UC_X86_REG_FPCW)
    current = _abstract(mxcsr, None if wide else fpcw)
    if wide:
        mask &= ~_MCW_PC
    if mask:
        word = (current & ~mask) | (newval & mask)
        mxcsr, fpcw = _concrete(word, mxcsr, fpcw)
        uc.reg_write(X.UC_X86_REG_MXCSR, mxcsr)
        uc.reg_write(X.UC_X86_REG_FPCW, fpcw)
        current = _abstract(mxcsr, None if wide else fpcw)
    return current


def sys_msvcrt__control87(p, newval, mask):
    return sys_msvcrt__controlfp(p, newval, mask)


def sys_msvcrt_strtof(p, s, endptr):
    from .crtmath import return_float
    value, used = _parse(p, s)
    if endptr:
        abi.write_ptr(p, endptr, s + used)
    return return_float(p, value)


def _parse_wide(p, s) -> tuple[float, int]:
    """_parse for a wide string: (the value, the characters it took)."""
    from .wide import read_wstr
    return _number_of(read_wstr(p, s)[:NUMBER_CHARS_MAX].encode("latin-1", errors="replace"))


NUMBER_CHARS_MAX = 4096


def sys_msvcrt_wcstod(p, s, endptr):
    value, used = _parse_wide(p, s)
    if endptr:
        abi.write_ptr(p, endptr, s + 2 * used)
    if math.isinf(value) and used and "inf" not in _wide_prefix(p, s, used).lower():
        p.mm.write_u32(p.win32.crt["errno"], ERANGE)
    return return_double(p, value)


def sys_msvcrt_wcstof(p, s, endptr):
    from .crtmath import return_float
    value, used = _parse_wide(p, s)
    if endptr:
        abi.write_ptr(p, endptr, s + 2 * used)
    return return_float(p, value)


def _wide_prefix(p, s, used: int) -> str:
    return p.mm.read(s, 2 * used).decode("utf-16-le", errors="replace")


def sys_msvcrt__controlfp_s(p, currentControl, newControl, mask):
    """_controlfp with its result stored (when asked for) and 0, the secure form's errno_t."""
    current = sys_msvcrt__controlfp(p, newControl, mask)
    if currentControl:
        p.mm.write_u32(currentControl, current & 0xFFFFFFFF)
    return 0


# --- <fenv.h>: the exception flags and the rounding direction ------------------------------
# The UCRT's FE_ flags, and the status bits behind each in MXCSR and the x87 status word
# (the same positions in both: invalid 0x01, divide by zero 0x04, overflow 0x08, underflow
# 0x10, inexact 0x20). A flag is set if either unit raised it.
FE_FLAGS = ((0x10, 0x01), (0x08, 0x04), (0x04, 0x08), (0x02, 0x10), (0x01, 0x20))
FE_ALL_EXCEPT = 0x1F
FE_ROUNDING = {0: 0, 1: 0x100, 2: 0x200, 3: 0x300}   # MXCSR RC -> FE_TONEAREST, DOWNWARD ...


def _raised(p) -> int:
    uc = p.engine.uc
    status = uc.reg_read(X.UC_X86_REG_MXCSR) | uc.reg_read(X.UC_X86_REG_FPSW)
    return sum(fe for fe, bit in FE_FLAGS if status & bit)


def _set_raised(p, flags: int, on: bool) -> None:
    uc = p.engine.uc
    bits = sum(bit for fe, bit in FE_FLAGS if flags & fe)
    mxcsr, fpsw = uc.reg_read(X.UC_X86_REG_MXCSR), uc.reg_read(X.UC_X86_REG_FPSW)
    uc.reg_write(X.UC_X86_REG_MXCSR, mxcsr | bits if on else mxcsr & ~bits)
    uc.reg_write(X.UC_X86_REG_FPSW, fpsw | bits if on else fpsw & ~bits)


def sys_msvcrt_fetestexcept(p, excepts):
    """Which of the exceptions asked about were raised (numpy asks after its loops)."""
    return _raised(p) & excepts & FE_ALL_EXCEPT


def sys_msvcrt_feclearexcept(p, excepts):
    _set_raised(p, excepts & FE_ALL_EXCEPT, False)
    return 0


def sys_msvcrt_feraiseexcept(p, excepts):
    """The flags are raised; a trap an unmasked exception would take is not taken here."""
    _set_raised(p, excepts & FE_ALL_EXCEPT, True)
    return 0


def sys_msvcrt_fegetexceptflag(p, flagp, excepts):
    if not flagp:
        return 1
    p.mm.write_u32(flagp, _raised(p) & excepts & FE_ALL_EXCEPT)
    return 0


def sys_msvcrt_fesetexceptflag(p, flagp, excepts):
    if not flagp:
        return 1
    flags = p.mm.read_u32(flagp) & excepts & FE_ALL_EXCEPT
    _set_raised(p, excepts & FE_ALL_EXCEPT & ~flags, False)
    _set_raised(p, flags, True)
    return 0


def sys_msvcrt_fegetround(p):
    return FE_ROUNDING[(p.engine.uc.reg_read(X.UC_X86_REG_MXCSR) >> 13) & 3]


def sys_msvcrt_fesetround(p, rounding):
    """The rounding direction of both units; another value is refused (non-zero)."""
    rc = next((k for k, v in FE_ROUNDING.items() if v == rounding & 0xFFFFFFFF), None)
    if rc is None:
        return 1
    uc = p.engine.uc
    uc.reg_write(X.UC_X86_REG_MXCSR, uc.reg_read(X.UC_X86_REG_MXCSR) & ~0x6000 | rc << 13)
    uc.reg_write(X.UC_X86_REG_FPCW, uc.reg_read(X.UC_X86_REG_FPCW) & ~0xC00 | rc << 10)
    return 0


# The whole environment: the UCRT's fenv_t is {_Fe_ctl: _controlfp's word, _Fe_stat: flags}.
_MCW_ENV = 0x0008001F | 0x300 | 0x30000 | 0x3000000    # _MCW_EM, _MCW_RC, _MCW_PC, _MCW_DN


def sys_msvcrt_fegetenv(p, envp):
    p.mm.write(envp, struct.pack("<II", sys_msvcrt__controlfp(p, 0, 0) & 0xFFFFFFFF,
                                 _raised(p)))
    return 0


def sys_msvcrt_fesetenv(p, envp):
    ctl, stat = struct.unpack("<II", p.mm.read(envp, 8))
    sys_msvcrt__controlfp(p, ctl, _MCW_ENV)
    _set_raised(p, FE_ALL_EXCEPT, False)
    _set_raised(p, stat & FE_ALL_EXCEPT, True)
    return 0


def sys_msvcrt_feholdexcept(p, envp):
    """Save the environment, clear the flags and mask every exception (non-stop mode)."""
    sys_msvcrt_fegetenv(p, envp)
    _set_raised(p, FE_ALL_EXCEPT, False)
    sys_msvcrt__controlfp(p, 0x0008001F, 0x0008001F)
    return 0


def sys_msvcrt_feupdateenv(p, envp):
    """Install the environment, then raise again the flags raised meanwhile."""
    raised = _raised(p)
    sys_msvcrt_fesetenv(p, envp)
    _set_raised(p, raised, True)
    return 0


def sys_msvcrt__statusfp(p):
    """The status word in _controlfp's terms (_SW_INEXACT 1 ... _SW_INVALID 0x10): the
    FE_ flags share those values."""
    return _raised(p)


def sys_msvcrt__clearfp(p):
    """The status word, then cleared."""
    raised = _raised(p)
    _set_raised(p, FE_ALL_EXCEPT, False)
    return raised


# --- _ecvt and _fcvt: a double's digits, without the point, in the thread's buffer ---------
CVTBUFSIZE = 349                  # _CVTBUFSIZE: the most digits either gives


def _cvt_result(p, digits: str, point: int, negative: bool, dec: int, sign: int) -> int:
    if dec:
        p.mm.write_u32(dec, point & 0xFFFFFFFF)
    if sign:
        p.mm.write_u32(sign, int(negative))
    buf = p.win32.strings.get("_cvt") or p.win32.heap.alloc(CVTBUFSIZE + 1)
    p.win32.strings["_cvt"] = buf
    p.mm.write(buf, digits[:CVTBUFSIZE].encode() + b"\0")
    return buf


def sys_msvcrt__ecvt(p):
    """_ecvt(value, count, *dec, *sign): count significant digits, correctly rounded; *dec
    is where the point goes (0 for zero), *sign whether the value is negative."""
    from .crtmath import MathArgs
    args = MathArgs(p)
    value, count = args.double(), _int(args.word())
    dec, sign = args.word(), args.word()
    count = max(1, min(count, CVTBUFSIZE))
    negative = math.copysign(1.0, value) < 0
    if not math.isfinite(value):
        return _cvt_result(p, "1#INF" if math.isinf(value) else "1#QNAN", 1, negative, dec, sign)
    if value == 0:
        return _cvt_result(p, "0" * count, 0, negative, dec, sign)
    mantissa, exponent = f"{abs(value):.{count - 1}e}".split("e")
    return _cvt_result(p, mantissa.replace(".", ""), int(exponent) + 1, negative, dec, sign)


def sys_msvcrt__fcvt(p):
    """_fcvt(value, count, *dec, *sign): the digits with count of them after the point,
    leading zeros dropped (*dec negative when the first digit comes later)."""
    from .crtmath import MathArgs
    args = MathArgs(p)
    value, count = args.double(), _int(args.word())
    dec, sign = args.word(), args.word()
    count = max(0, min(count, CVTBUFSIZE))
    negative = math.copysign(1.0, value) < 0
    if not math.isfinite(value):
        return _cvt_result(p, "1#INF" if math.isinf(value) else "1#QNAN", 1, negative, dec, sign)
    whole, _, fraction = f"{abs(value):.{count}f}".partition(".")
    digits = (whole + fraction).lstrip("0")
    if not digits:
        return _cvt_result(p, "0" * count, 0, negative, dec, sign)
    point = len(whole) if whole != "0" else -(len(fraction) - len(fraction.lstrip("0")))
    return _cvt_result(p, digits, point, negative, dec, sign)


def _int(word: int) -> int:
    return ((word & 0xFFFFFFFF) ^ 0x80000000) - 0x80000000


def sys_msvcrt__strtof_l(p, s, endptr, locale):
    return sys_msvcrt_strtof(p, s, endptr)
