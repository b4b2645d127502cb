"""GetDateFormat and GetTimeFormat (W, A and Ex): a SYSTEMTIME (or now, in the machine's
time zone, UTC) through a format picture, the locale's own when none is given (en-US:
"M/d/yyyy", "dddd, MMMM d, yyyy", "h:mm:ss tt"). Pictures are Windows': runs of d, M, y, g
for dates and h, H, m, s, t for times, text in single quotes ('' is a quote)."""
from __future__ import annotations

import re
import struct
import time

from .kernel32_locale import LOCALE_INFO
from .wide import encode, read_str

DATE_LONGDATE, DATE_YEARMONTH = 0x2, 0x8
TIME_NOMINUTESORSECONDS, TIME_NOSECONDS, TIME_NOTIMEMARKER, TIME_FORCE24HOURFORMAT = 1, 2, 4, 8
ERROR_INSUFFICIENT_BUFFER, ERROR_INVALID_PARAMETER = 122, 87
DAYS = [LOCALE_INFO[0x2A + i] for i in range(7)]          # Monday first, as LOCALE_SDAYNAME1
SHORT_DAYS = [LOCALE_INFO[0x31 + i] for i in range(7)]
MONTHS = [LOCALE_INFO[0x38 + i] for i in range(12)]
SHORT_MONTHS = [LOCALE_INFO[0x44 + i] for i in range(12)]
PICTURE = re.compile(r"'(?:[^']|'')*'?|d+|M+|y+|g+|h+|H+|m+|s+|t+|.", re.S)


def _systemtime(p, address: int) -> tuple:
    """(year, month, weekday Sunday=0, day, hour, minute, second) of a SYSTEMTIME, or now."""
    if address:
        return struct.unpack("<7H", p.mm.read(address, 14))
    now = time.gmtime()
    return (now.tm_year, now.tm_mon, (now.tm_wday + 1) % 7, now.tm_mday, now.tm_hour,
            now.tm_min, now.tm_sec)


def _render(picture: str, t: tuple, date: bool) -> str:
    year, month, weekday, day, hour, minute, second = t
    out = []
    for token in PICTURE.findall(picture):
        c, n = token[0], len(token)
        if c == "'":
            out.append(token[1:-1].replace("''", "'") if token.endswith("'") and n > 1
                       else token[1:])
        elif date and c == "d":
            out.append(str(day) if n == 1 else f"{day:02d}" if n == 2 else
                       SHORT_DAYS[(weekday + 6) % 7] if n == 3 else DAYS[(weekday + 6) % 7])
        elif date and c == "M":
            out.append(str(month) if n == 1 else f"{month:02d}" if n == 2 else
                       SHORT_MONTHS[month - 1] if n == 3 else MONTHS[month - 1])
        elif date and c == "y":
            out.append(str(year % 100) if n == 1 else f"{year % 100:02d}" if n == 2 else
                       str(year))
        elif date and c == "g":
            out.append("A.D.")
        elif not date and c in "hH":
            value = hour if c == "H" else (hour % 12 or 12)
            out.append(str(value) if n == 1 else f"{value:02d}")
        elif not date and c in "ms":
            value = minute if c == "m" else second
            out.append(str(value) if n == 1 else f"{value:02d}")
        elif not date and c == "t":
            marker = LOCALE_INFO[0x28] if hour < 12 else LOCALE_INFO[0x29]
            out.append(marker[:1] if n == 1 else marker)
        else:
            out.append(token)
    return "".join(out)


def _time_picture(flags: int) -> str:
    picture = LOCALE_INFO[0x1003]
    if flags & TIME_FORCE24HOURFORMAT:
        picture = picture.replace("h", "H")
    if flags & TIME_NOTIMEMARKER:
        picture = picture.replace(" tt", "")
    if flags & (TIME_NOSECONDS | TIME_NOMINUTESORSECONDS):
        picture = picture.replace(":ss", "")
    if flags & TIME_NOMINUTESORSECONDS:
        picture = picture.replace(":mm", "")
    return picture


def _put(p, text: str, buffer: int, size: int, wide: bool) -> int:
    """The length with its NUL, in characters; 0 and ERROR_INSUFFICIENT_BUFFER if it does
    not fit; with size 0, only the length."""
    data = encode(text, wide) + (b"\0\0" if wide else b"\0")
    chars = len(data) // (2 if wide else 1)
    if size == 0:
        return chars
    if chars > size or not buffer:
        p.win32.last_error = ERROR_INSUFFICIENT_BUFFER
        return 0
    p.mm.write(buffer, data)
    return chars


def _format(p, date: bool, flags: int, when: int, picture_at: int, out: int, size: int,
            wide: bool) -> int:
    t = _systemtime(p, when)
    if date and not 1 <= t[1] <= 12 or not date and (t[4] > 23 or t[5] > 59 or t[6] > 59):
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    if picture_at:
        picture = read_str(p, picture_at, wide)
    elif date:
        picture = LOCALE_INFO[0x20] if flags & DATE_LONGDATE else \
            "MMMM yyyy" if flags & DATE_YEARMONTH else LOCALE_INFO[0x1F]
    else:
        picture = _time_picture(flags)
    return _put(p, _render(picture, t, date), out, size, wide)


def sys_kernel32_GetDateFormatW(p, Locale, dwFlags, lpDate, lpFormat, lpDateStr, cchDate):
    return _format(p, True, dwFlags, lpDate, lpFormat, lpDateStr, cchDate, True)


def sys_kernel32_GetDateFormatA(p, Locale, dwFlags, lpDate, lpFormat, lpDateStr, cchDate):
    return _format(p, True, dwFlags, lpDate, lpFormat, lpDateStr, cchDate, False)


def sys_kernel32_GetDateFormatEx(p, lpLocaleName, dwFlags, lpDate, lpFormat, lpDateStr,
                                 cchDate, lpCalendar):
    return _format(p, True, dwFlags, lpDate, lpFormat, lpDateStr, cchDate, True)


def sys_kernel32_GetTimeFormatW(p, Locale, dwFlags, lpTime, lpFormat, lpTimeStr, cchTime):
    return _format(p, False, dwFlags, lpTime, lpFormat, lpTimeStr, cchTime, True)


def sys_kernel32_GetTimeFormatA(p, Locale, dwFlags, lpTime, lpFormat, lpTimeStr, cchTime):
    return _format(p, False, dwFlags, lpTime, lpFormat, lpTimeStr, cchTime, False)


def sys_kernel32_GetTimeFormatEx(p, lpLocaleName, dwFlags, lpTime, lpFormat, lpTimeStr,
                                 cchTime):
    return _format(p, False, dwFlags, lpTime, lpFormat, lpTimeStr, cchTime, True)
