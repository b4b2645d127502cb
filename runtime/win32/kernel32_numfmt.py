"""GetNumberFormat and GetCurrencyFormat (W, A and Ex): a number given as text ("-1234.5")
in the locale's form, or in a NUMBERFMT/CURRENCYFMT the caller gives: rounded half away from
zero to its digits, grouped, with its separators and its negative (and currency) order.
The locale is en-US: "1,234.50", "-1,234.50", "$1,234.50", "-$1,234.50"."""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, localcontext

from ..nt import abi
from .kernel32_datefmt import _put
from .kernel32_locale import LOCALE_INFO
from .wide import read_str

ERROR_INVALID_PARAMETER, ERROR_INVALID_FLAGS = 87, 1004
LOCALE_NOUSEROVERRIDE = 0x80000000
VALUE = re.compile(r"-?[0-9]*(\.[0-9]*)?\Z")
NUMBER_NEGATIVE = ("({})", "-{}", "- {}", "{}-", "{} -")
CURRENCY_POSITIVE = ("{s}{n}", "{n}{s}", "{s} {n}", "{n} {s}")
CURRENCY_NEGATIVE = ("({s}{n})", "-{s}{n}", "{s}-{n}", "{s}{n}-", "({n}{s})", "-{n}{s}",
                     "{n}-{s}", "{n}{s}-", "-{n} {s}", "-{s} {n}", "{n} {s}-", "{s} {n}-",
                     "{s} -{n}", "{n}- {s}", "({s} {n})", "({n} {s})")


def _grouping(text: str) -> list[int]:
    """A locale's grouping ("3;0": threes repeated; "3;2;0": 3, then twos)."""
    return [int(g) for g in text.split(";") if g.isdigit()]


def _groups_of(value: int) -> list[int]:
    """NUMBERFMT's Grouping number as group sizes: 3 is "3;0", 32 is "3;2;0"."""
    return [int(d) for d in str(value)] + [0] if value else []


def _grouped(digits: str, groups: list[int], separator: str) -> str:
    """Integer digits with separators; a trailing 0 repeats the group before it."""
    if not groups or groups == [0]:
        return digits
    parts, rest = [], digits
    sizes = [g for g in groups]
    repeat = sizes[-1] == 0
    if repeat:
        sizes = sizes[:-1]
    i = 0
    while rest:
        size = sizes[i] if i < len(sizes) else (sizes[-1] if repeat and sizes else 0)
        if size == 0 or len(rest) <= size:
            parts.append(rest)
            break
        parts.append(rest[-size:])
        rest = rest[:-size]
        i += 1
    return separator.join(reversed(parts))


def _number(text: str, digits: int, leading_zero: int, groups: list[int], decimal: str,
            thousand: str) -> tuple[bool, str]:
    """(negative, the number's text without its sign)."""
    value = Decimal(text if text not in ("", "-", ".", "-.") else "0")
    with localcontext() as exact:       # as many digits as the text has (the default is 28)
        exact.prec = len(text) + digits + 2
        rounded = abs(value).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    whole, _, fraction = f"{rounded:f}".partition(".")
    whole = _grouped(whole, groups, thousand)
    if whole == "0" and not leading_zero:
        whole = ""
    body = whole + (decimal + fraction if digits else "")
    return value < 0 and rounded != 0, body


def _read_format(p, at: int, wide: bool, currency: bool) -> dict:
    """NUMBERFMT / CURRENCYFMT: NumDigits, LeadingZero, Grouping, decimal and thousand
    separators, NegativeOrder (and PositiveOrder, currency symbol)."""
    w = abi.word(p)
    digits, leading, grouping = (p.mm.read_u32(at + 4 * i) for i in range(3))
    ptr_at = (12 + w - 1) // w * w
    decimal = read_str(p, abi.read_ptr(p, at + ptr_at), wide)
    thousand = read_str(p, abi.read_ptr(p, at + ptr_at + w), wide)
    negative = p.mm.read_u32(at + ptr_at + 2 * w)
    fmt = {"digits": digits, "leading": leading, "groups": _groups_of(grouping),
           "decimal": decimal, "thousand": thousand, "negative": negative}
    if currency:
        fmt["positive"] = p.mm.read_u32(at + ptr_at + 2 * w + 4)
        symbol_at = (ptr_at + 2 * w + 8 + w - 1) // w * w
        fmt["symbol"] = read_str(p, abi.read_ptr(p, at + symbol_at), wide)
    return fmt


def _locale_format(currency: bool) -> dict:
    if currency:
        return {"digits": int(LOCALE_INFO[0x19]), "leading": 1,
                "groups": _grouping(LOCALE_INFO[0x17]), "decimal": LOCALE_INFO[0x15],
                "thousand": LOCALE_INFO[0x16], "negative": int(LOCALE_INFO[0x1C]),
                "positive": int(LOCALE_INFO[0x1B]), "symbol": LOCALE_INFO[0x14]}
    return {"digits": int(LOCALE_INFO[0x11]), "leading": 1,
            "groups": _grouping(LOCALE_INFO[0x10]), "decimal": LOCALE_INFO[0xE],
            "thousand": LOCALE_INFO[0xF], "negative": 1}


def _format(p, currency: bool, flags: int, value_at: int, format_at: int, out: int,
            size: int, wide: bool) -> int:
    if format_at and flags & 0xFFFFFFFF or flags & ~LOCALE_NOUSEROVERRIDE & 0xFFFFFFFF:
        p.win32.last_error = ERROR_INVALID_FLAGS
        return 0
    text = read_str(p, value_at, wide) if value_at else ""
    if not VALUE.match(text) or not value_at:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    fmt = _read_format(p, format_at, wide, currency) if format_at else _locale_format(currency)
    orders = CURRENCY_NEGATIVE if currency else NUMBER_NEGATIVE
    if fmt["digits"] > 9 or fmt["negative"] >= len(orders) or \
            currency and fmt["positive"] >= len(CURRENCY_POSITIVE):
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    negative, body = _number(text, fmt["digits"], fmt["leading"], fmt["groups"],
                             fmt["decimal"], fmt["thousand"])
    if currency:
        picture = (CURRENCY_NEGATIVE[fmt["negative"]] if negative
                   else CURRENCY_POSITIVE[fmt["positive"]])
        result = picture.format(s=fmt["symbol"], n=body)
    else:
        result = NUMBER_NEGATIVE[fmt["negative"]].format(body) if negative else body
    return _put(p, result, out, size & 0xFFFFFFFF, wide)


def sys_kernel32_GetNumberFormatW(p, Locale, dwFlags, lpValue, lpFormat, lpNumberStr, cchNumber):
    return _format(p, False, dwFlags, lpValue, lpFormat, lpNumberStr, cchNumber, True)


def sys_kernel32_GetNumberFormatA(p, Locale, dwFlags, lpValue, lpFormat, lpNumberStr, cchNumber):
    return _format(p, False, dwFlags, lpValue, lpFormat, lpNumberStr, cchNumber, False)


def sys_kernel32_GetNumberFormatEx(p, lpLocaleName, dwFlags, lpValue, lpFormat, lpNumberStr,
                                   cchNumber):
    return _format(p, False, dwFlags, lpValue, lpFormat, lpNumberStr, cchNumber, True)


def sys_kernel32_GetCurrencyFormatW(p, Locale, dwFlags, lpValue, lpFormat, lpCurrencyStr,
                                    cchCurrency):
    return _format(p, True, dwFlags, lpValue, lpFormat, lpCurrencyStr, cchCurrency, True)


def sys_kernel32_GetCurrencyFormatA(p, Locale, dwFlags, lpValue, lpFormat, lpCurrencyStr,
                                    cchCurrency):
    return _format(p, True, dwFlags, lpValue, lpFormat, lpCurrencyStr, cchCurrency, False)


def sys_kernel32_GetCurrencyFormatEx(p, lpLocaleName, dwFlags, lpValue, lpFormat,
                                     lpCurrencyStr, cchCurrency):
    return _format(p, True, dwFlags, lpValue, lpFormat, lpCurrencyStr, cchCurrency, True)
