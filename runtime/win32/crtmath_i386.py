"""The i386 C runtime's math entry points with register conventions of their own, which
MSVC's 32-bit compiler calls instead of pow, sin ...: `_CI<name>` takes its arguments on the
x87 stack (the first in st(1), the second in st(0), both popped) and pushes the result;
`_libm_sse2_<name>[_precise]` takes them in xmm0 and xmm1 and returns in xmm0 (a float in
their low 32 bits for the `f` forms). The results and C errors are crtmath's."""
from __future__ import annotations

import math
import struct

from unicorn import x86_const as X

from .crtfloat import _pop_st0, return_double
from .crtmath import FUNCTIONS, evaluate

CI_NAMES = ("acos", "asin", "atan", "atan2", "cos", "cosh", "exp", "fmod", "log", "log10",
            "pow", "sin", "sinh", "sqrt", "tan", "tanh")
SSE2_NAMES = ("acos", "asin", "atan", "atan2", "cos", "exp", "log", "log10", "pow", "sin",
              "sqrt", "tan")


def _from_fp80(mantissa: int, sign_exponent: int) -> float:
    """An x87 80-bit extended value as a double (rounded)."""
    sign = -1.0 if sign_exponent & 0x8000 else 1.0
    exponent = sign_exponent & 0x7FFF
    if exponent == 0x7FFF:
        return sign * math.inf if mantissa << 1 & ((1 << 64) - 1) == 0 else math.nan
    if exponent == 0 and mantissa == 0:
        return sign * 0.0
    try:
        return sign * math.ldexp(mantissa, exponent - 16383 - 63)
    except OverflowError:
        return sign * math.inf


def _ci_handler(name: str):
    arity = FUNCTIONS[name][0]

    def handler(p):
        second = _from_fp80(*_pop_st0(p)) if arity == 2 else None
        first = _from_fp80(*_pop_st0(p))
        args = [first] if arity == 1 else [first, second]
        return return_double(p, evaluate(p, name, args))
    handler.__name__ = f"sys_msvcrt__CI{name}"
    return handler


def _xmm(p, index: int, single: bool) -> float:
    raw = p.engine.uc.reg_read(X.UC_X86_REG_XMM0 + index)
    if single:
        return struct.unpack("<f", struct.pack("<I", raw & 0xFFFFFFFF))[0]
    return struct.unpack("<d", struct.pack("<Q", raw & (2**64 - 1)))[0]


def _sse2_handler(name: str, single: bool):
    arity = FUNCTIONS[name][0]

    def handler(p):
        result = evaluate(p, name, [_xmm(p, i, single) for i in range(arity)])
        if single:
            try:
                raw = struct.unpack("<I", struct.pack("<f", result))[0]
            except OverflowError:
                raw = struct.unpack("<I", struct.pack("<f", math.copysign(math.inf, result)))[0]
        else:
            raw = struct.unpack("<Q", struct.pack("<d", result))[0]
        p.engine.uc.reg_write(X.UC_X86_REG_XMM0, raw)
        return 0
    return handler


for _name in CI_NAMES:
    globals()[f"sys_msvcrt__CI{_name}"] = _ci_handler(_name)
for _name in SSE2_NAMES:
    globals()[f"sys_msvcrt__libm_sse2_{_name}"] = _sse2_handler(_name, False)
    globals()[f"sys_msvcrt__libm_sse2_{_name}_precise"] = globals()[f"sys_msvcrt__libm_sse2_{_name}"]
    globals()[f"sys_msvcrt__libm_sse2_{_name}f"] = _sse2_handler(_name, True)
