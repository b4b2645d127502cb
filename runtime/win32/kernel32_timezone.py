"""The machine's time zone, which is UTC (as crttime.py's _tzset says), in the shapes kernel32
gives it: TIME_ZONE_INFORMATION and its dynamic form, and the SYSTEMTIME conversions that
use them."""
from __future__ import annotations

import datetime
import struct

TIME_ZONE_ID_UNKNOWN = 0          # a zone without daylight saving time
TZI_SIZE, DYNAMIC_TZI_SIZE = 172, 432
UTC_NAME, UTC_KEY = "Coordinated Universal Time", "UTC"
EPOCH_1601 = datetime.datetime(1601, 1, 1)
ERROR_INVALID_PARAMETER = 87


def zone_names() -> tuple[str, str]:
    """The zone's standard and daylight names, which the C runtime's tzset copies into
    _tzname (its ANSI code page's) and strftime's %Z gives."""
    return UTC_NAME, UTC_NAME


def _wname(text: str, chars: int) -> bytes:
    return text.encode("utf-16-le")[:2 * (chars - 1)].ljust(2 * chars, b"\0")


def _utc_tzi() -> bytes:
    # Bias, StandardName[32], StandardDate, StandardBias, DaylightName[32], DaylightDate, DaylightBias
    return struct.pack("<i", 0) + _wname(UTC_NAME, 32) + bytes(16) + struct.pack("<i", 0) + \
        _wname(UTC_NAME, 32) + bytes(16) + struct.pack("<i", 0)


def sys_kernel32_GetTimeZoneInformation(p, lpTimeZoneInformation):
    p.mm.write(lpTimeZoneInformation, _utc_tzi())
    return TIME_ZONE_ID_UNKNOWN


def sys_kernel32_GetDynamicTimeZoneInformation(p, pTimeZoneInformation):
    data = _utc_tzi() + _wname(UTC_KEY, 128) + b"\0"
    p.mm.write(pTimeZoneInformation, data.ljust(DYNAMIC_TZI_SIZE, b"\0"))
    return TIME_ZONE_ID_UNKNOWN


def _systemtime(t: datetime.datetime) -> bytes:
    weekday = (t.weekday() + 1) % 7   # Sunday is 0
    return struct.pack("<8H", t.year, t.month, weekday, t.day, t.hour, t.minute, t.second,
                       t.microsecond // 1000)


def _read_systemtime(p, at: int) -> datetime.datetime | None:
    year, month, _, day, hour, minute, second, ms = struct.unpack("<8H", p.mm.read(at, 16))
    try:
        return datetime.datetime(year, month, day, hour, minute, second, ms * 1000)
    except ValueError:
        return None


def sys_kernel32_FileTimeToSystemTime(p, lpFileTime, lpSystemTime):
    ticks = struct.unpack("<Q", p.mm.read(lpFileTime, 8))[0]
    if ticks >> 63:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    try:
        t = EPOCH_1601 + datetime.timedelta(microseconds=ticks // 10)
    except OverflowError:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    p.mm.write(lpSystemTime, _systemtime(t))
    return 1


def _zone_bias(p, zone: int, t: datetime.datetime, local: bool) -> int:
    """The minutes UTC is ahead of the zone's local time at t (UTC, or local time): its bias
    and the standard or daylight bias its rules give then (no zone given: the machine's,
    UTC)."""
    from .timezones import in_daylight
    if not zone:
        return 0
    data = p.mm.read(zone, TZI_SIZE)
    bias, std_bias, dst_bias = (struct.unpack_from("<i", data, at)[0] for at in (0, 84, 168))
    std_date, dst_date = struct.unpack_from("<8H", data, 68), struct.unpack_from("<8H", data, 152)
    daylight = in_daylight(bias, std_bias, dst_bias, std_date, dst_date, t, local)
    return bias + (dst_bias if daylight else std_bias)


def sys_kernel32_SystemTimeToTzSpecificLocalTime(p, lpTimeZoneInformation, lpUniversalTime,
                                                 lpLocalTime):
    """UTC to the zone's local time, in its daylight time when its rules say so."""
    t = _read_systemtime(p, lpUniversalTime)
    if t is None:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    bias = _zone_bias(p, lpTimeZoneInformation, t, local=False)
    p.mm.write(lpLocalTime, _systemtime(t - datetime.timedelta(minutes=bias)))
    return 1


def sys_kernel32_TzSpecificLocalTimeToSystemTime(p, lpTimeZoneInformation, lpLocalTime,
                                                 lpUniversalTime):
    """The zone's local time to UTC: the inverse of the function above."""
    t = _read_systemtime(p, lpLocalTime)
    if t is None:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    bias = _zone_bias(p, lpTimeZoneInformation, t, local=True)
    p.mm.write(lpUniversalTime, _systemtime(t + datetime.timedelta(minutes=bias)))
    return 1


def sys_kernel32_SystemTimeToFileTime(p, lpSystemTime, lpFileTime):
    t = _read_systemtime(p, lpSystemTime)
    if t is None or t < EPOCH_1601:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    delta = t - EPOCH_1601
    ticks = (delta.days * 86400 + delta.seconds) * 10_000_000 + delta.microseconds * 10
    p.mm.write(lpFileTime, struct.pack("<Q", ticks))
    return 1


def sys_kernel32_GetTimeZoneInformationForYear(p, wYear, pdtzi, ptzi):
    """The zone's rules for a year: UTC's, every year."""
    p.mm.write(ptzi, _utc_tzi())
    return 1


# --- FAT's (MS-DOS) date and time, and local file times (the machine's zone is UTC) --------

def sys_kernel32_FileTimeToLocalFileTime(p, lpFileTime, lpLocalFileTime):
    p.mm.write(lpLocalFileTime, p.mm.read(lpFileTime, 8))
    return 1


def sys_kernel32_LocalFileTimeToFileTime(p, lpLocalFileTime, lpFileTime):
    p.mm.write(lpFileTime, p.mm.read(lpLocalFileTime, 8))
    return 1


FAT_EPOCH_YEAR, FAT_LAST_YEAR = 1980, 2107


def sys_kernel32_DosDateTimeToFileTime(p, wFatDate, wFatTime, lpFileTime):
    """Date: day (bits 0-4), month (5-8), years since 1980 (9-15); time: seconds / 2 (0-4),
    minutes (5-10), hours (11-15)."""
    date, clock = wFatDate & 0xFFFF, wFatTime & 0xFFFF
    try:
        t = datetime.datetime(FAT_EPOCH_YEAR + (date >> 9), date >> 5 & 0xF, date & 0x1F,
                              clock >> 11, clock >> 5 & 0x3F, (clock & 0x1F) * 2)
    except ValueError:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    ticks = (t - EPOCH_1601) // datetime.timedelta(microseconds=1) * 10
    p.mm.write(lpFileTime, struct.pack("<Q", ticks))
    return 1


def sys_kernel32_FileTimeToDosDateTime(p, lpFileTime, lpFatDate, lpFatTime):
    """Two-second precision; a time outside FAT's years (1980-2107) cannot be written."""
    ticks = struct.unpack("<Q", p.mm.read(lpFileTime, 8))[0]
    try:
        t = EPOCH_1601 + datetime.timedelta(microseconds=ticks // 10)
    except OverflowError:
        t = None
    if t is None or not FAT_EPOCH_YEAR <= t.year <= FAT_LAST_YEAR:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    date = (t.year - FAT_EPOCH_YEAR) << 9 | t.month << 5 | t.day
    clock = t.hour << 11 | t.minute << 5 | t.second // 2
    if lpFatDate:
        p.mm.write(lpFatDate, struct.pack("<H", date))
    if lpFatTime:
        p.mm.write(lpFatTime, struct.pack("<H", clock))
    return 1
