"""The UCRT's C99 complex functions (creal, cabs, carg, cexp, cpow ... and their f and l
forms) over MSVC's complex types, and the old _cabs. _Dcomplex (and _Lcomplex: long double
is double) is two doubles: x64 passes it by reference and returns it through a hidden first
pointer; i386 passes it on the stack and returns it through a hidden first pointer too.
_Fcomplex is two floats, passed and returned as one 64-bit integer (RAX; EDX:EAX)."""
from __future__ import annotations

import cmath
import math
import struct

from ..nt import abi
from .crtfloat import return_double
from .crtmath import return_float
from .printf import CallArgs

FLT_MAX = 3.4028234663852886e38


def _read_double_complex(p, args: CallArgs) -> complex:
    if abi.word(p) == 8:
        re, im = struct.unpack("<dd", p.mm.read(args.slot(), 16))
        return complex(re, im)
    return complex(args.double(), args.double())


def _read_float_complex(p, args: CallArgs) -> complex:
    raw = args.slot() if abi.word(p) == 8 else args.slot() | args.slot() << 32
    re, im = struct.unpack("<ff", struct.pack("<Q", raw & (2**64 - 1)))
    return complex(re, im)


def _as_float(x: float) -> float:
    return math.copysign(math.inf, x) if math.isfinite(x) and abs(x) > FLT_MAX else x


def _packed_float_complex(z: complex) -> int:
    return struct.unpack("<Q", struct.pack("<ff", _as_float(z.real), _as_float(z.imag)))[0]


def _apply(fn, *zs: complex) -> complex:
    """fn over complex numbers, an overflow an infinity and an undefined result NaN, as C
    gives them (no errno: the complex functions set none)."""
    try:
        return fn(*zs)
    except OverflowError:
        return complex(math.inf, math.inf)
    except (ValueError, ZeroDivisionError):
        return complex(math.nan, math.nan)


def _cpow(z: complex, w: complex) -> complex:
    if z == 0:
        return complex(0.0, 0.0) if w.real > 0 else complex(math.inf, 0.0)
    return z ** w


REAL_FUNCTIONS = {"creal": lambda z: z.real, "cimag": lambda z: z.imag, "cabs": abs,
                  "carg": cmath.phase}
COMPLEX_FUNCTIONS = {"ccos": (1, cmath.cos), "ccosh": (1, cmath.cosh), "cexp": (1, cmath.exp),
                     "csin": (1, cmath.sin), "csinh": (1, cmath.sinh), "ctan": (1, cmath.tan),
                     "ctanh": (1, cmath.tanh), "clog": (1, cmath.log), "csqrt": (1, cmath.sqrt),
                     "cpow": (2, _cpow), "cacos": (1, cmath.acos), "cacosh": (1, cmath.acosh),
                     "casin": (1, cmath.asin), "casinh": (1, cmath.asinh),
                     "catan": (1, cmath.atan), "catanh": (1, cmath.atanh)}


def _real_handler(name: str, fn, single: bool):
    def handler(p):
        args = CallArgs(p, 0)
        z = (_read_float_complex if single else _read_double_complex)(p, args)
        value = _apply(lambda v: complex(fn(v), 0.0), z).real
        return return_float(p, value) if single else return_double(p, value)
    return handler


def _complex_handler(name: str, arity: int, fn, single: bool):
    def handler(p):
        args = CallArgs(p, 0)
        if single:
            from .crttime import _ret64
            zs = [_read_float_complex(p, args) for _ in range(arity)]
            return _ret64(p, _packed_float_complex(_apply(fn, *zs)))
        hidden = args.slot()                  # where the result goes; returned in RAX / EAX
        zs = [_read_double_complex(p, args) for _ in range(arity)]
        z = _apply(fn, *zs)
        p.mm.write(hidden, struct.pack("<dd", z.real, z.imag))
        return hidden
    return handler


for _name, _fn in REAL_FUNCTIONS.items():
    globals()[f"sys_msvcrt_{_name}"] = globals()[f"sys_msvcrt_{_name}l"] = \
        _real_handler(_name, _fn, False)
    globals()[f"sys_msvcrt_{_name}f"] = _real_handler(_name, _fn, True)
for _name, (_arity, _fn) in COMPLEX_FUNCTIONS.items():
    globals()[f"sys_msvcrt_{_name}"] = globals()[f"sys_msvcrt_{_name}l"] = \
        _complex_handler(_name, _arity, _fn, False)
    globals()[f"sys_msvcrt_{_name}f"] = _complex_handler(_name, _arity, _fn, True)

# struct _complex {double x, y}: _Dcomplex's layout
sys_msvcrt__cabs = globals()["sys_msvcrt_cabs"]
