"""msvcrt time: time/_time32/_time64, localtime, gmtime, mktime (each in the 32- and 64-bit
time_t forms msvcrt exports), strftime, ctime and asctime. Local time is the host's zone.
The unsuffixed names use the word size's time_t, as mingw-w64 links them."""
from __future__ import annotations

import struct
import time as host_time

from ..nt import abi
from .crterrno import EINVAL
from .msvcrt import _static_string

TM = struct.Struct("<9i")   # tm_sec, tm_min, tm_hour, tm_mday, tm_mon, tm_year, tm_wday, tm_yday, tm_isdst
DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _bits(p, bits):
    return bits or abi.word(p) * 8


def _read_time(p, addr: int, bits: int) -> int:
    raw = p.mm.read(addr, bits // 8)
    return int.from_bytes(raw, "little", signed=True)


def _now(p, timer, bits: int = 0) -> int:
    bits = _bits(p, bits)
    now = int(host_time.time())
    if timer:
        p.mm.write(timer, now.to_bytes(bits // 8, "little", signed=True))
    return now


def _ret64(p, value: int) -> int:
    """A 64-bit result: i386 returns it in edx:eax."""
    if abi.word(p) == 4:
        from unicorn import x86_const as X
        p.engine.uc.reg_write(X.UC_X86_REG_EDX, (value >> 32) & 0xFFFFFFFF)
    return value


def sys_msvcrt__time64(p, timer):
    return _ret64(p, _now(p, timer, 64))


def sys_msvcrt__time32(p, timer):
    return _now(p, timer, 32)


def _to_tm(st) -> bytes:
    return TM.pack(min(st.tm_sec, 59), st.tm_min, st.tm_hour, st.tm_mday, st.tm_mon - 1,
                   st.tm_year - 1900, (st.tm_wday + 1) % 7, st.tm_yday - 1, max(st.tm_isdst, 0))


def _from_tm(p, addr: int):
    sec, mins, hour, mday, mon, year, wday, yday, isdst = TM.unpack(p.mm.read(addr, TM.size))
    return sec, mins, hour, mday, mon, year, isdst


def _broken_down(p, timer, bits, convert) -> int:
    """localtime/gmtime: a struct tm the process keeps (one per function, as msvcrt's)."""
    if not timer:
        return 0
    try:
        st = convert(_read_time(p, timer, _bits(p, bits)))
    except (OverflowError, OSError, ValueError):
        return 0
    addr = _static_string(p, f"tm:{convert.__name__}", b"\0" * TM.size)
    p.mm.write(addr, _to_tm(st))
    return addr


def sys_msvcrt_localtime(p, timer):
    return _broken_down(p, timer, 0, host_time.localtime)


def sys_msvcrt__localtime64(p, timer):
    return _broken_down(p, timer, 64, host_time.localtime)


def sys_msvcrt__localtime32(p, timer):
    return _broken_down(p, timer, 32, host_time.localtime)


def sys_msvcrt_gmtime(p, timer):
    return _broken_down(p, timer, 0, host_time.gmtime)


def sys_msvcrt__gmtime64(p, timer):
    return _broken_down(p, timer, 64, host_time.gmtime)


def sys_msvcrt__gmtime32(p, timer):
    return _broken_down(p, timer, 32, host_time.gmtime)


def _mktime(p, tm) -> int:
    """mktime: normalises the struct (fields out of range carry over) and returns the time."""
    sec, mins, hour, mday, mon, year, isdst = _from_tm(p, tm)
    try:
        t = int(host_time.mktime((year + 1900, mon + 1, mday, hour, mins, sec, 0, 0, isdst)))
        p.mm.write(tm, _to_tm(host_time.localtime(t)))
        return t
    except (OverflowError, OSError, ValueError):
        return -1


sys_msvcrt_mktime = sys_msvcrt__mktime32 = _mktime


def sys_msvcrt__mktime64(p, tm):
    return _ret64(p, _mktime(p, tm))


# _mkgmtime: a struct tm taken as UTC, normalised; the latest time each width may hold
MKGMTIME_LAST = {32: 0x7FFFD27F, 64: 32535215999}     # 2038-01-18 23:59:59, 3000-12-31


def _mkgmtime(p, tm, bits: int) -> int:
    import datetime
    sec, mins, hour, mday, mon, year, _isdst = _from_tm(p, tm)
    year, mon = year + 1900 + mon // 12, mon % 12
    try:
        days = datetime.date(year, mon + 1, 1).toordinal() - EPOCH_ORDINAL + mday - 1
    except (ValueError, OverflowError):
        return -1
    t = days * 86400 + hour * 3600 + mins * 60 + sec
    if not 0 <= t <= MKGMTIME_LAST[bits]:
        p.mm.write_u32(p.win32.crt["errno"], EINVAL)
        return -1
    p.mm.write(tm, _to_tm(host_time.gmtime(t)))
    return t


EPOCH_ORDINAL = 719163                         # datetime.date(1970, 1, 1).toordinal()


def sys_msvcrt__mkgmtime32(p, tm):
    return _mkgmtime(p, tm, 32) & 0xFFFFFFFF


def sys_msvcrt__mkgmtime64(p, tm):
    return _ret64(p, _mkgmtime(p, tm, 64))


def sys_msvcrt__difftime32(p, time1, time0):
    from .crtfloat import return_double
    signed = [((t & 0xFFFFFFFF) ^ 0x80000000) - 0x80000000 for t in (time1, time0)]
    return return_double(p, float(signed[0] - signed[1]))


def sys_msvcrt__difftime64(p, time1, time0):
    from .crtfloat import return_double
    signed = [t - (1 << 64) if t >> 63 else t for t in (time1, time0)]
    return return_double(p, float(signed[0] - signed[1]))


def sys_msvcrt__difftime64_32(p, time1_lo, time1_hi, time0_lo, time0_hi):
    """i386: each 64-bit time takes two stack words."""
    return sys_msvcrt__difftime64(p, time1_lo | time1_hi << 32, time0_lo | time0_hi << 32)


def _with_zone_name(fmt: str, isdst: int) -> str:
    """fmt with %Z (and %#Z) made the zone's name as _tzname has it, standard or daylight as
    tm_isdst says (Windows' names: "Coordinated Universal Time", not the host's "UTC")."""
    from .kernel32_timezone import zone_names
    name = zone_names()[1 if isdst > 0 else 0].replace("%", "%%")
    out, i = [], 0
    while i < len(fmt):
        if fmt[i] != "%":
            out.append(fmt[i])
            i += 1
            continue
        spec = fmt[i:i + 3] if fmt[i + 1:i + 2] == "#" else fmt[i:i + 2]
        out.append(name if spec in ("%Z", "%#Z") else spec)
        i += len(spec)
    return "".join(out)


def _strftime_text(p, fmt: str, tm: int) -> str | None:
    sec, mins, hour, mday, mon, year, isdst = _from_tm(p, tm)
    wday, yday = TM.unpack(p.mm.read(tm, TM.size))[6:8]
    st = (year + 1900, mon + 1, mday, hour, mins, sec, (wday - 1) % 7, yday + 1, isdst)
    try:
        return host_time.strftime(_with_zone_name(fmt, isdst), st)
    except (ValueError, TypeError, OverflowError):
        return None


def _strftime(p, buffer, size, fmt, tm, wide: bool) -> int:
    """strftime and wcsftime in the C locale: the characters written (NUL not counted), or 0
    when they do not fit."""
    from .wide import encode, read_str
    text = _strftime_text(p, read_str(p, fmt, wide), tm)
    if text is None:
        return 0
    data = encode(text, wide)
    unit = 2 if wide else 1
    if len(data) // unit + 1 > size:
        return 0
    p.mm.write(buffer, data + b"\0" * unit)
    return len(data) // unit


def sys_msvcrt_strftime(p, buffer, size, fmt, tm):
    return _strftime(p, buffer, size, fmt, tm, False)


def sys_msvcrt_wcsftime(p, buffer, size, fmt, tm):
    return _strftime(p, buffer, size, fmt, tm, True)


def sys_msvcrt__Strftime(p, buffer, size, fmt, tm, lc_time):
    """The C++ library's strftime with a locale's names (_Gettnames'): the C locale's here."""
    return _strftime(p, buffer, size, fmt, tm, False)


def sys_msvcrt__Wcsftime(p, buffer, size, fmt, tm, lc_time):
    return _strftime(p, buffer, size, fmt, tm, True)


# --- the C locale's time names, as the C++ library's time facets ask for them ---------------

FULL_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
FULL_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]


def _names_text(short: list[str], full: list[str]) -> str:
    return "".join(f":{a}:{b}" for a, b in zip(short, full))


def _heap_string(p, text: str, wide: bool) -> int:
    """A copy the caller frees with free()."""
    data = text.encode("utf-16-le") + b"\0\0" if wide else text.encode("latin-1") + b"\0"
    at = p.win32.heap.alloc(len(data))
    p.mm.write(at, data)
    return at


def sys_msvcrt__Getdays(p):
    return _heap_string(p, _names_text(DAYS, FULL_DAYS), False)


def sys_msvcrt__Getmonths(p):
    return _heap_string(p, _names_text(MONTHS, FULL_MONTHS), False)


def sys_msvcrt__W_Getdays(p):
    return _heap_string(p, _names_text(DAYS, FULL_DAYS), True)


def sys_msvcrt__W_Getmonths(p):
    return _heap_string(p, _names_text(MONTHS, FULL_MONTHS), True)


def sys_msvcrt__Gettnames(p):
    """A __crt_lc_time_data of the C locale in one heap block the caller frees: the narrow
    names and formats (7 + 7 + 12 + 12 + 2 + 3 pointers), the calendar type and a reference
    count, then the same wide, and the locale's (empty) name."""
    word = abi.word(p)
    pack = "<Q" if word == 8 else "<I"
    texts = DAYS + FULL_DAYS + MONTHS + FULL_MONTHS + ["AM", "PM", "MM/dd/yy",
                                                      "dddd, MMMM dd, yyyy", "HH:mm:ss"]
    narrow = [t.encode("latin-1") + b"\0" for t in texts]
    wide = [t.encode("utf-16-le") + b"\0\0" for t in texts + [""]]
    head = len(texts) * word + 8 + len(wide) * word
    head = (head + 7) & ~7
    block = p.win32.heap.alloc(head + sum(map(len, narrow)) + sum(map(len, wide)))
    at, pointers = block + head, []
    for data in narrow + wide:
        p.mm.write(at, data)
        pointers.append(at)
        at += len(data)
    layout = b"".join(struct.pack(pack, a) for a in pointers[:len(texts)]) + \
        struct.pack("<iI", 1, 0) + b"".join(struct.pack(pack, a) for a in pointers[len(texts):])
    p.mm.write(block, layout)
    return block


sys_msvcrt__W_Gettnames = sys_msvcrt__Gettnames


def _asctime_text(p, tm) -> bytes:
    sec, mins, hour, mday, mon, year, _ = _from_tm(p, tm)
    wday = TM.unpack(p.mm.read(tm, TM.size))[6]
    return (f"{DAYS[wday % 7]} {MONTHS[mon % 12]} {mday:2d} {hour:02d}:{mins:02d}:{sec:02d} "
            f"{year + 1900}\n").encode()


def sys_msvcrt_asctime(p, tm):
    addr = _static_string(p, "asctime", b"\0" * 26)
    p.mm.write(addr, _asctime_text(p, tm) + b"\0")
    return addr


def _ctime(p, timer, bits) -> int:
    tm = _broken_down(p, timer, bits, host_time.localtime)
    return sys_msvcrt_asctime(p, tm) if tm else 0


def sys_msvcrt_ctime(p, timer):
    return _ctime(p, timer, 0)


def sys_msvcrt__ctime64(p, timer):
    return _ctime(p, timer, 64)


def sys_msvcrt__ctime32(p, timer):
    return _ctime(p, timer, 32)


def _ftime(p, timeptr, bits: int) -> int:
    """struct __timeb: the time, its milliseconds, the zone's minutes west of UTC (UTC
    here) and no daylight saving."""
    import struct
    now = host_time.time()
    head = int(now).to_bytes(bits // 8, "little", signed=True)
    p.mm.write(timeptr, head + struct.pack("<Hhh", int(now * 1000) % 1000, 0, 0) +
               b"\0" * (2 if bits == 64 else 0))
    return 0


def sys_msvcrt__ftime64(p, timeptr):
    _ftime(p, timeptr, 64)


def sys_msvcrt__ftime32(p, timeptr):
    _ftime(p, timeptr, 32)


def sys_msvcrt__ftime64_s(p, timeptr):
    return _ftime(p, timeptr, 64) if timeptr else 22        # EINVAL


def sys_msvcrt__strftime_l(p, buffer, size, fmt, tm, locale):
    """The C locale's names whatever locale is given (as strftime's)."""
    return _strftime(p, buffer, size, fmt, tm, False)


def sys_msvcrt__wcsftime_l(p, buffer, size, fmt, tm, locale):
    return _strftime(p, buffer, size, fmt, tm, True)


TIME_UTC = 1


def _timespec_get(p, ts, base, bits: int) -> int:
    """timespec_get: the time now in ts for TIME_UTC (the base back); 0 for another base."""
    import struct
    if base != TIME_UTC or not ts:
        return 0
    ns = host_time.time_ns()
    fmt = "<qi4x" if bits == 64 else "<ii"
    p.mm.write(ts, struct.pack(fmt, ns // 1_000_000_000, ns % 1_000_000_000))
    return base


def sys_msvcrt__timespec64_get(p, ts, base):
    return _timespec_get(p, ts, base, 64)


def sys_msvcrt__timespec32_get(p, ts, base):
    return _timespec_get(p, ts, base, 32)


def sys_msvcrt__ftime(p, timeptr):
    """msvcrt's _ftime: its struct _timeb has the process's time_t (32-bit on i386)."""
    _ftime(p, timeptr, 64 if p.sysvec.word_bits == 64 else 32)
