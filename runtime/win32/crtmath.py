"""The C runtime's <math.h>: double and float functions, whose arguments come in xmm0-3 (x64,
by position) or on the stack (i386) and whose result goes back in xmm0 or on the x87 stack
(crtfloat.return_double). Errors are C's: a domain error gives NaN and EDOM, a pole or an
overflow an infinity and ERANGE (math_errhandling's errno half, as the UCRT does)."""
from __future__ import annotations

import math
import struct

from unicorn import x86_const as X

from ..nt import abi
from .crterrno import EDOM, ERANGE
from .crtfloat import return_double
from .msvcrt import _crt
from .printf import CallArgs

# The NaN a domain error gives: the x86 "indefinite" value (-nan(ind) in the UCRT's printf).
INDEFINITE = struct.unpack("<d", bytes.fromhex("000000000000f8ff"))[0]
XMM = (X.UC_X86_REG_XMM0, X.UC_X86_REG_XMM1, X.UC_X86_REG_XMM2, X.UC_X86_REG_XMM3)


class MathArgs:
    """The current call's arguments by position: doubles, floats, ints and pointers."""

    def __init__(self, p):
        self.p, self.i = p, 0
        self.wide = abi.word(p) == 8
        self.stack = None if self.wide else CallArgs(p, 0)

    def double(self) -> float:
        if self.stack is not None:
            return self.stack.double()
        raw = self.p.engine.uc.reg_read(XMM[self.i]) & (2**64 - 1)
        self.i += 1
        return struct.unpack("<d", struct.pack("<Q", raw))[0]

    def single(self) -> float:
        if self.stack is not None:
            raw = self.stack.next(4) & 0xFFFFFFFF
        else:
            raw = self.p.engine.uc.reg_read(XMM[self.i]) & 0xFFFFFFFF
            self.i += 1
        return struct.unpack("<f", struct.pack("<I", raw))[0]

    def word(self) -> int:
        if self.stack is not None:
            return self.stack.next(4)
        regs = (X.UC_X86_REG_RCX, X.UC_X86_REG_RDX, X.UC_X86_REG_R8, X.UC_X86_REG_R9)
        value = self.p.engine.uc.reg_read(regs[self.i])
        self.i += 1
        return value


def _errno(p, code: int) -> None:
    p.mm.write_u32(_crt(p)["errno"], code)


def return_float(p, value: float) -> int:
    """A float result: xmm0's low 32 bits on x64; the x87 stack on i386, as a double is."""
    if abi.word(p) == 4:
        return return_double(p, value)
    try:
        raw = struct.unpack("<I", struct.pack("<f", value))[0]
    except OverflowError:
        raw = struct.unpack("<I", struct.pack("<f", math.copysign(math.inf, value)))[0]
    p.engine.uc.reg_write(X.UC_X86_REG_XMM0, raw)
    return 0


def _round_half_away(x: float) -> float:
    if not math.isfinite(x) or abs(x) >= 2.0**52:
        return x
    whole = float(math.trunc(x))
    if abs(x - whole) >= 0.5:
        whole += math.copysign(1.0, x)
    return math.copysign(whole, x)


def _integral(fn):
    """ceil, floor, trunc: the value itself for infinities and NaN, a signed zero kept."""
    def apply(x: float) -> float:
        return math.copysign(float(fn(x)), x) if math.isfinite(x) else x
    return apply


def _pow(x: float, y: float) -> float:
    if x == 0.0 and y < 0:
        raise ZeroDivisionError
    return math.pow(x, y)


def _fma(x: float, y: float, z: float) -> float:
    """x * y + z rounded once: exact in fractions, then to the nearest double."""
    if not (math.isfinite(x) and math.isfinite(y) and math.isfinite(z)):
        return x * y + z
    from fractions import Fraction
    exact = Fraction(x) * Fraction(y) + Fraction(z)
    return float(exact) if exact else (x * y + z)   # a zero keeps IEEE's sign rules


def _fmin(x: float, y: float) -> float:
    return y if math.isnan(x) else x if math.isnan(y) else min(x, y)


def _fmax(x: float, y: float) -> float:
    return y if math.isnan(x) else x if math.isnan(y) else max(x, y)


def _fdim(x: float, y: float) -> float:
    if math.isnan(x) or math.isnan(y):
        return x + y
    return x - y if x > y else 0.0


def _gamma(x: float) -> float:
    """tgamma: a pole at zero and the negative integers (ERANGE: the infinity with x's sign
    at zero); other negative numbers are fine."""
    if x == 0 or x < 0 and x.is_integer():
        if x == 0:
            raise ZeroDivisionError
        raise ValueError
    return math.gamma(x)


def _lgamma(x: float) -> float:
    if x <= 0 and x.is_integer():
        raise ZeroDivisionError        # a pole: +inf and ERANGE
    return math.lgamma(x)


# name: (arity, function). A ZeroDivisionError marks a pole (an infinite result, ERANGE).
UNARY_POLES = {"log": 0.0, "log2": 0.0, "log10": 0.0, "log1p": -1.0}
FUNCTIONS = {
    "ceil": (1, _integral(math.ceil)), "floor": (1, _integral(math.floor)),
    "trunc": (1, _integral(math.trunc)), "round": (1, _round_half_away),
    "rint": (1, lambda x: float(round(x)) if math.isfinite(x) else x),
    "nearbyint": (1, lambda x: float(round(x)) if math.isfinite(x) else x),
    "sqrt": (1, math.sqrt), "cbrt": (1, math.cbrt), "fabs": (1, math.fabs),
    "exp": (1, math.exp), "exp2": (1, math.exp2), "expm1": (1, math.expm1),
    "log": (1, math.log), "log2": (1, math.log2), "log10": (1, math.log10),
    "log1p": (1, math.log1p),
    "sin": (1, math.sin), "cos": (1, math.cos), "tan": (1, math.tan),
    "asin": (1, math.asin), "acos": (1, math.acos), "atan": (1, math.atan),
    "sinh": (1, math.sinh), "cosh": (1, math.cosh), "tanh": (1, math.tanh),
    "asinh": (1, math.asinh), "acosh": (1, math.acosh), "atanh": (1, math.atanh),
    "atan2": (2, math.atan2), "pow": (2, _pow), "fmod": (2, math.fmod),
    "hypot": (2, math.hypot), "copysign": (2, math.copysign),
    "fmin": (2, _fmin), "fmax": (2, _fmax),
    "erf": (1, math.erf), "erfc": (1, math.erfc), "nextafter": (2, math.nextafter),
    "fma": (3, _fma), "fdim": (2, _fdim), "remainder": (2, math.remainder),
    "tgamma": (1, _gamma), "lgamma": (1, _lgamma),
}


def evaluate(p, name: str, args: list[float]) -> float:
    """fn(*args) with C's errors: NaN and EDOM, or an infinity and ERANGE."""
    _arity, fn = FUNCTIONS[name]
    try:
        return fn(*args)
    except ZeroDivisionError:
        _errno(p, ERANGE)
        return math.copysign(math.inf, args[0]) if name == "tgamma" else math.inf
    except OverflowError:
        _errno(p, ERANGE)
        if name in ("pow",):
            negative = args[0] < 0 and float(args[1]).is_integer() and int(args[1]) % 2
            return -math.inf if negative else math.inf
        return math.inf
    except ValueError:
        pole = UNARY_POLES.get(name)
        if pole is not None and args[0] == pole or name == "atanh" and abs(args[0]) == 1.0:
            _errno(p, ERANGE)
            return math.copysign(math.inf, args[0]) if name == "atanh" else -math.inf
        _errno(p, EDOM)
        return INDEFINITE


FLT_MAX = 3.4028234663852886e38


def _nextafter_single(x: float, y: float) -> float:
    """nextafterf: the next float (not double) after x towards y."""
    if math.isnan(x) or math.isnan(y):
        return x + y
    if x == y:
        return y
    if x == 0:
        return math.copysign(1.401298464324817e-45, y)     # the smallest subnormal float
    bits = struct.unpack("<I", struct.pack("<f", x))[0]
    bits += 1 if (y > x) == (x > 0) else -1
    return struct.unpack("<f", struct.pack("<I", bits))[0]


def _handler(name: str, single: bool):
    arity = FUNCTIONS[name][0]

    def handler(p):
        args = MathArgs(p)
        values = [args.single() if single else args.double() for _ in range(arity)]
        if single and name == "nextafter":
            return return_float(p, _nextafter_single(*values))
        result = evaluate(p, name, values)
        if single and math.isfinite(result) and abs(result) > FLT_MAX:
            _errno(p, ERANGE)          # finite as a double, too large for a float
            result = math.copysign(math.inf, result)
        return return_float(p, result) if single else return_double(p, result)
    handler.__name__ = f"sys_msvcrt_{name}{'f' if single else ''}"
    return handler


for _name in FUNCTIONS:
    globals()[f"sys_msvcrt_{_name}"] = _handler(_name, False)
    globals()[f"sys_msvcrt_{_name}f"] = _handler(_name, True)


QUIET_NAN = struct.unpack("<d", struct.pack("<Q", 0x7FF8000000000000))[0]


def sys_msvcrt_nan(p):
    """nan(tag): a quiet NaN (the tag chooses nothing in the UCRT)."""
    return return_double(p, QUIET_NAN)


def sys_msvcrt_nanf(p):
    return return_float(p, QUIET_NAN)


def sys_msvcrt_ldexp(p):
    args = MathArgs(p)
    x, n = args.double(), args.word()
    n = ((n & 0xFFFFFFFF) ^ 0x80000000) - 0x80000000      # an int
    try:
        return return_double(p, math.ldexp(x, n))
    except OverflowError:
        _errno(p, ERANGE)
        return return_double(p, math.copysign(math.inf, x))


def sys_msvcrt_frexp(p):
    args = MathArgs(p)
    x, exp_out = args.double(), args.word()
    mantissa, exponent = math.frexp(x) if math.isfinite(x) else (x, 0)
    p.mm.write_u32(exp_out, exponent & 0xFFFFFFFF)
    return return_double(p, mantissa)


def sys_msvcrt_modf(p):
    args = MathArgs(p)
    x, whole_out = args.double(), args.word()
    if math.isinf(x):
        whole, frac = x, math.copysign(0.0, x)
    else:
        frac, whole = math.modf(x)
    p.mm.write(whole_out, struct.pack("<d", whole))
    return return_double(p, frac)


# lround/lrint and their long long and float forms: an integer in eax (edx:eax, rax), rounded
# half away from zero or to even (the default rounding mode); out of range or NaN: the
# "integer indefinite" 0x80000000..., as the UCRT returns, and EDOM.
def _to_integer(p, value: float, bits: int) -> int:
    top = 1 << (bits - 1)
    if not math.isfinite(value) or not -top <= value < top:
        _errno(p, EDOM)
        return top
    return int(value) & ((1 << bits) - 1)


def _integer_handler(name: str, single: bool, bits: int, rounding):
    def handler(p):
        args = MathArgs(p)
        value = rounding(args.single() if single else args.double())
        result = _to_integer(p, value, bits)
        if bits == 64:
            from .stdlib import _return_64
            return _return_64(p, result)
        return result
    handler.__name__ = f"sys_msvcrt_{name}"
    return handler


def _half_even(x: float) -> float:
    return float(round(x)) if math.isfinite(x) else x


for _name, _bits, _rounding in (("lround", 32, _round_half_away), ("llround", 64, _round_half_away),
                                ("lrint", 32, _half_even), ("llrint", 64, _half_even)):
    globals()[f"sys_msvcrt_{_name}"] = _integer_handler(_name, False, _bits, _rounding)
    globals()[f"sys_msvcrt_{_name}f"] = _integer_handler(_name + "f", True, _bits, _rounding)


def sys_msvcrt__isnan(p):
    """_isnan(double): non-zero for a NaN."""
    return int(math.isnan(MathArgs(p).double()))


def sys_msvcrt__finite(p):
    """_finite(double): non-zero unless infinite or NaN."""
    return int(math.isfinite(MathArgs(p).double()))


FP_INFINITE, FP_NAN, FP_NORMAL, FP_SUBNORMAL, FP_ZERO = 1, 2, -1, -2, 0


def _classify(x: float, smallest_normal: float) -> int:
    """The UCRT's classification (FP_NAN, FP_INFINITE, FP_NORMAL ...)."""
    if math.isnan(x):
        return FP_NAN
    if math.isinf(x):
        return FP_INFINITE
    if x == 0:
        return FP_ZERO
    return FP_SUBNORMAL if abs(x) < smallest_normal else FP_NORMAL


def sys_msvcrt__dclass(p):
    """_dclass(double)."""
    return _classify(MathArgs(p).double(), 2.2250738585072014e-308)


sys_msvcrt__ldclass = sys_msvcrt__dclass      # long double is double in MSVC's C library


def sys_msvcrt__fdclass(p):
    """_fdclass(float): FLT_MIN is its smallest normal."""
    return _classify(MathArgs(p).single(), 1.1754943508222875e-38)


SIGN_BIT = 0x8000     # what the UCRT's _dsign family returns for a set sign bit


def sys_msvcrt__dsign(p):
    """_dsign(double): the sign bit (as the top word's 0x8000), also of -0.0 and -NaN."""
    x = MathArgs(p).double()
    return SIGN_BIT if struct.pack("<d", x)[7] & 0x80 else 0


sys_msvcrt__ldsign = sys_msvcrt__dsign


def sys_msvcrt__fdsign(p):
    x = MathArgs(p).single()
    return SIGN_BIT if struct.pack("<f", x)[3] & 0x80 else 0


def sys_msvcrt__chgsign(p):
    """_chgsign(double): x with its sign bit flipped (NaN's too)."""
    raw = struct.unpack("<Q", struct.pack("<d", MathArgs(p).double()))[0] ^ (1 << 63)
    return return_double(p, struct.unpack("<d", struct.pack("<Q", raw))[0])


FP_ILOGB0, FP_ILOGBNAN = -0x80000000, 0x7FFFFFFF     # the UCRT's values


def _ilogb(p, x: float) -> int:
    """The exponent of x as an int; 0, NaN and the infinities are domain errors."""
    if x == 0 or math.isnan(x) or math.isinf(x):
        _errno(p, EDOM)
        return FP_ILOGB0 & 0xFFFFFFFF if x == 0 else FP_ILOGBNAN
    return math.frexp(x)[1] - 1


def sys_msvcrt_ilogb(p):
    return _ilogb(p, MathArgs(p).double()) & 0xFFFFFFFF


def sys_msvcrt_ilogbf(p):
    return _ilogb(p, MathArgs(p).single()) & 0xFFFFFFFF


def sys_msvcrt_modff(p):
    """modff(float x, float *iptr): the fraction, the integral part through iptr."""
    args = MathArgs(p)
    x, iptr = args.single(), args.word()
    whole = math.copysign(float(math.trunc(x)), x) if math.isfinite(x) else x
    fraction = math.copysign(0.0, x) if math.isinf(x) else x - whole
    if iptr:
        p.mm.write(iptr & ((1 << abi.word(p) * 8) - 1), struct.pack("<f", whole))
    return return_float(p, fraction)


_FP_LT, _FP_EQ, _FP_GT = 1, 2, 4


def _compare(x: float, y: float) -> int:
    """_dpcomp's mask: less, equal or greater; 0 when either is NaN (unordered)."""
    if math.isnan(x) or math.isnan(y):
        return 0
    return _FP_LT if x < y else _FP_GT if x > y else _FP_EQ


def sys_msvcrt__dpcomp(p):
    args = MathArgs(p)
    return _compare(args.double(), args.double())


sys_msvcrt__ldpcomp = sys_msvcrt__dpcomp


def sys_msvcrt__fdpcomp(p):
    args = MathArgs(p)
    return _compare(args.single(), args.single())


def _logb(p, x: float) -> float:
    """The exponent of x as a float: logb(0) is -inf (a pole, ERANGE), of an infinity
    +inf, of NaN NaN."""
    if x == 0:
        _errno(p, ERANGE)
        return -math.inf
    if not math.isfinite(x):
        return abs(x)
    return float(math.frexp(x)[1] - 1)


def sys_msvcrt_logb(p):
    return return_double(p, _logb(p, MathArgs(p).double()))


def sys_msvcrt_logbf(p):
    return return_float(p, _logb(p, MathArgs(p).single()))


def _scaled(p, x: float, n: int) -> float:
    try:
        return math.ldexp(x, max(-100000, min(100000, n)))
    except OverflowError:
        _errno(p, ERANGE)
        return math.copysign(math.inf, x)


def _scalbn(p, single: bool, long_bits: int):
    args = MathArgs(p)
    x = args.single() if single else args.double()
    n = args.word() & ((1 << long_bits) - 1)
    n -= (n >> (long_bits - 1)) << long_bits            # signed
    result = _scaled(p, x, n)
    if single and math.isfinite(result) and abs(result) > FLT_MAX:
        _errno(p, ERANGE)
        result = math.copysign(math.inf, result)
    return return_float(p, result) if single else return_double(p, result)


def sys_msvcrt_scalbn(p):
    return _scalbn(p, False, 32)


def sys_msvcrt_scalbnf(p):
    return _scalbn(p, True, 32)


def sys_msvcrt_scalbln(p):
    return _scalbn(p, False, 32)          # a long is 32 bits on Windows


def sys_msvcrt_scalblnf(p):
    return _scalbn(p, True, 32)


def _remquo(p, single: bool):
    """remquo(x, y, int *quo): remainder(x, y), and the sign and low bits of the quotient
    rounded to nearest (C asks at least three bits; 31 are given)."""
    from fractions import Fraction
    args = MathArgs(p)
    x, y = (args.single(), args.single()) if single else (args.double(), args.double())
    quo = args.word()
    if math.isnan(x) or math.isnan(y) or math.isinf(x) or y == 0:
        _errno(p, EDOM)
        result, q = INDEFINITE, 0
    else:
        result = math.remainder(x, y) if math.isfinite(y) else x
        exact = Fraction(x) / Fraction(y) if math.isfinite(y) else Fraction(0)
        whole = round(exact)                             # ties to even, as remainder's
        q = (abs(whole) & 0x7FFFFFFF) * (-1 if exact < 0 else 1)
    if quo:
        p.mm.write_u32(quo & ((1 << abi.word(p) * 8) - 1), q & 0xFFFFFFFF)
    return return_float(p, result) if single else return_double(p, result)


def sys_msvcrt_remquo(p):
    return _remquo(p, False)


def sys_msvcrt_remquof(p):
    return _remquo(p, True)


def sys_msvcrt_nexttowardf(p):
    """nexttowardf(float x, long double y): the next float after x towards y (a long double
    is a double here)."""
    args = MathArgs(p)
    x, y = args.single(), args.double()
    return return_float(p, _nextafter_single(x, y))


# --- classification: _fpclass (its bit classes) and _dtest (_dclass through a pointer) ----
_FPCLASS_SNAN, _FPCLASS_QNAN, _FPCLASS_NINF, _FPCLASS_NN = 0x1, 0x2, 0x4, 0x8
_FPCLASS_ND, _FPCLASS_NZ, _FPCLASS_PZ, _FPCLASS_PD = 0x10, 0x20, 0x40, 0x80
_FPCLASS_PN, _FPCLASS_PINF = 0x100, 0x200


def _fp_class(bits: int, exponent_bits: int, fraction_bits: int) -> int:
    """_fpclass's class of a value from its IEEE bits."""
    negative = bits >> (exponent_bits + fraction_bits) & 1
    exponent = bits >> fraction_bits & ((1 << exponent_bits) - 1)
    fraction = bits & ((1 << fraction_bits) - 1)
    if exponent == (1 << exponent_bits) - 1:
        if fraction:
            return _FPCLASS_QNAN if fraction >> (fraction_bits - 1) else _FPCLASS_SNAN
        return _FPCLASS_NINF if negative else _FPCLASS_PINF
    if exponent == 0:
        if not fraction:
            return _FPCLASS_NZ if negative else _FPCLASS_PZ
        return _FPCLASS_ND if negative else _FPCLASS_PD
    return _FPCLASS_NN if negative else _FPCLASS_PN


def sys_msvcrt__fpclass(p):
    raw = struct.unpack("<Q", struct.pack("<d", MathArgs(p).double()))[0]
    return _fp_class(raw, 11, 52)


def sys_msvcrt__fpclassf(p):
    raw = struct.unpack("<I", struct.pack("<f", MathArgs(p).single()))[0]
    return _fp_class(raw, 8, 23)


def sys_msvcrt__dtest(p, px):
    """_dtest(double *): _dclass of the value (_DENORM, _FINITE, _INFCODE, _NANCODE, 0)."""
    value = struct.unpack("<d", p.mm.read(px, 8))[0]
    return _classify(value, 2.2250738585072014e-308) & 0xFFFF


def sys_msvcrt__fdtest(p, px):
    value = struct.unpack("<f", p.mm.read(px, 4))[0]
    return _classify(value, 1.1754943508222875e-38) & 0xFFFF


# --- Bessel functions: the host C library's (glibc's libm has them), correctly rounded to
# the same few ulps as Microsoft's --------------------------------------------------------

def _host_libm():
    import ctypes
    import ctypes.util
    libm = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")
    for name in ("j0", "j1", "y0", "y1"):
        getattr(libm, name).restype = ctypes.c_double
        getattr(libm, name).argtypes = [ctypes.c_double]
    for name in ("jn", "yn"):
        getattr(libm, name).restype = ctypes.c_double
        getattr(libm, name).argtypes = [ctypes.c_int, ctypes.c_double]
    return libm


_LIBM = []


def _bessel(p, name: str, order: bool):
    if not _LIBM:
        _LIBM.append(_host_libm())
    args = MathArgs(p)
    if order:
        n = ((args.word() & 0xFFFFFFFF) ^ 0x80000000) - 0x80000000
        x = args.double()
        value = getattr(_LIBM[0], name)(n, x)
    else:
        x = args.double()
        value = getattr(_LIBM[0], name)(x)
    if name[0] == "y" and x <= 0:
        _errno(p, EDOM if x < 0 else ERANGE)     # y's of 0 is -inf, of a negative NaN
    return return_double(p, value)


def sys_msvcrt__j0(p):
    return _bessel(p, "j0", False)


def sys_msvcrt__j1(p):
    return _bessel(p, "j1", False)


def sys_msvcrt__jn(p):
    return _bessel(p, "jn", True)


def sys_msvcrt__y0(p):
    return _bessel(p, "y0", False)


def sys_msvcrt__y1(p):
    return _bessel(p, "y1", False)


def sys_msvcrt__yn(p):
    return _bessel(p, "yn", True)
