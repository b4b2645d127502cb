"""Windows' time zone database as every Windows has it in the registry (HKLM\\SOFTWARE\\
Microsoft\\Windows NT\\CurrentVersion\\Time Zones): a key per zone with its display name, its
standard and daylight names and its rules (TZI, REG_TZI_FORMAT). The machine's own zone is
UTC; programs look others up by name (pywin32 converts every FILETIME through "GMT Standard
Time", .NET's FindSystemTimeZoneById and dateutil's tzwin read them), and the rules are the
ones SystemTimeToTzSpecificLocalTime applies (kernel32_timezone.py)."""
from __future__ import annotations

import datetime
import struct

TIME_ZONES_KEY = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Time Zones"
REG_SZ, REG_BINARY = 1, 3

# A rule's date as a SYSTEMTIME in "day-in-month" form: month, day of the week (0: Sunday),
# which of them (5: the last), hour.
EU = ((10, 0, 5, 3), (3, 0, 5, 2))         # (standard from, daylight from): last Sundays
UK = ((10, 0, 5, 2), (3, 0, 5, 1))
EET = ((10, 0, 5, 4), (3, 0, 5, 3))
US = ((11, 0, 1, 2), (3, 0, 2, 2))         # first Sunday of November, second of March
AU = ((4, 0, 1, 3), (10, 0, 1, 2))
NZ = ((4, 0, 1, 3), (9, 0, 5, 2))

# key: (display, standard name, daylight name, bias in minutes (UTC = local + bias), rules)
ZONES = {
    "Dateline Standard Time": ("(UTC-12:00) International Date Line West",
                               "Dateline Standard Time", "Dateline Daylight Time", 720, None),
    "UTC-11": ("(UTC-11:00) Coordinated Universal Time-11", "UTC-11", "UTC-11", 660, None),
    "Hawaiian Standard Time": ("(UTC-10:00) Hawaii", "Hawaiian Standard Time",
                               "Hawaiian Daylight Time", 600, None),
    "Alaskan Standard Time": ("(UTC-09:00) Alaska", "Alaskan Standard Time",
                              "Alaskan Daylight Time", 540, US),
    "Pacific Standard Time": ("(UTC-08:00) Pacific Time (US & Canada)", "Pacific Standard Time",
                              "Pacific Daylight Time", 480, US),
    "US Mountain Standard Time": ("(UTC-07:00) Arizona", "US Mountain Standard Time",
                                  "US Mountain Daylight Time", 420, None),
    "Mountain Standard Time": ("(UTC-07:00) Mountain Time (US & Canada)",
                               "Mountain Standard Time", "Mountain Daylight Time", 420, US),
    "Central Standard Time": ("(UTC-06:00) Central Time (US & Canada)", "Central Standard Time",
                              "Central Daylight Time", 360, US),
    "Eastern Standard Time": ("(UTC-05:00) Eastern Time (US & Canada)", "Eastern Standard Time",
                              "Eastern Daylight Time", 300, US),
    "Atlantic Standard Time": ("(UTC-04:00) Atlantic Time (Canada)", "Atlantic Standard Time",
                               "Atlantic Daylight Time", 240, US),
    "E. South America Standard Time": ("(UTC-03:00) Brasilia", "E. South America Standard Time",
                                       "E. South America Daylight Time", 180, None),
    "UTC-02": ("(UTC-02:00) Coordinated Universal Time-02", "UTC-02", "UTC-02", 120, None),
    "UTC": ("(UTC) Coordinated Universal Time", "Coordinated Universal Time",
            "Coordinated Universal Time", 0, None),
    "GMT Standard Time": ("(UTC+00:00) Dublin, Edinburgh, Lisbon, London", "GMT Standard Time",
                          "GMT Daylight Time", 0, UK),
    "Greenwich Standard Time": ("(UTC+00:00) Monrovia, Reykjavik", "Greenwich Standard Time",
                                "Greenwich Daylight Time", 0, None),
    "W. Europe Standard Time": ("(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna",
                                "W. Europe Standard Time", "W. Europe Daylight Time", -60, EU),
    "Central Europe Standard Time": (
        "(UTC+01:00) Belgrade, Bratislava, Budapest, Ljubljana, Prague",
        "Central Europe Standard Time", "Central Europe Daylight Time", -60, EU),
    "Romance Standard Time": ("(UTC+01:00) Brussels, Copenhagen, Madrid, Paris",
                              "Romance Standard Time", "Romance Daylight Time", -60, EU),
    "Central European Standard Time": ("(UTC+01:00) Sarajevo, Skopje, Warsaw, Zagreb",
                                       "Central European Standard Time",
                                       "Central European Daylight Time", -60, EU),
    "GTB Standard Time": ("(UTC+02:00) Athens, Bucharest", "GTB Standard Time",
                          "GTB Daylight Time", -120, EET),
    "FLE Standard Time": ("(UTC+02:00) Helsinki, Kyiv, Riga, Sofia, Tallinn, Vilnius",
                          "FLE Standard Time", "FLE Daylight Time", -120, EET),
    "South Africa Standard Time": ("(UTC+02:00) Harare, Pretoria", "South Africa Standard Time",
                                   "South Africa Daylight Time", -120, None),
    "Russian Standard Time": ("(UTC+03:00) Moscow, St. Petersburg", "Russian Standard Time",
                              "Russian Daylight Time", -180, None),
    "Arabian Standard Time": ("(UTC+04:00) Abu Dhabi, Muscat", "Arabian Standard Time",
                              "Arabian Daylight Time", -240, None),
    "India Standard Time": ("(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi",
                            "India Standard Time", "India Daylight Time", -330, None),
    "China Standard Time": ("(UTC+08:00) Beijing, Chongqing, Hong Kong, Urumqi",
                            "China Standard Time", "China Daylight Time", -480, None),
    "Tokyo Standard Time": ("(UTC+09:00) Osaka, Sapporo, Tokyo", "Tokyo Standard Time",
                            "Tokyo Daylight Time", -540, None),
    "Korea Standard Time": ("(UTC+09:00) Seoul", "Korea Standard Time", "Korea Daylight Time",
                            -540, None),
    "AUS Eastern Standard Time": ("(UTC+10:00) Canberra, Melbourne, Sydney",
                                  "AUS Eastern Standard Time", "AUS Eastern Daylight Time",
                                  -600, AU),
    "UTC+12": ("(UTC+12:00) Coordinated Universal Time+12", "UTC+12", "UTC+12", -720, None),
    "New Zealand Standard Time": ("(UTC+12:00) Auckland, Wellington", "New Zealand Standard Time",
                                  "New Zealand Daylight Time", -720, NZ),
}


def _systemtime(rule) -> bytes:
    if rule is None:
        return bytes(16)
    month, weekday, which, hour = rule
    return struct.pack("<8H", 0, month, weekday, which, hour, 0, 0, 0)


def tzi(bias: int, rules) -> bytes:
    """REG_TZI_FORMAT: Bias, StandardBias, DaylightBias, StandardDate, DaylightDate."""
    standard, daylight = rules or (None, None)
    return struct.pack("<iii", bias, 0, -60 if rules else 0) + _systemtime(standard) + \
        _systemtime(daylight)


def registry_keys() -> dict:
    """The Time Zones keys as registry_store's KEYS has them."""
    return {f"{TIME_ZONES_KEY}\\{key}": {
        "Display": (REG_SZ, display), "Std": (REG_SZ, std), "Dlt": (REG_SZ, dlt),
        "TZI": (REG_BINARY, tzi(bias, rules))}
        for key, (display, std, dlt, bias, rules) in ZONES.items()}


# --- applying a zone's rules -----------------------------------------------------------------

def transition(year: int, date: tuple) -> datetime.datetime | None:
    """When a rule's SYSTEMTIME (wYear, wMonth, wDayOfWeek, wDay, wHour, wMinute, wSecond,
    wMilliseconds) falls in year: an absolute date when wYear is set, else the wDay'th
    wDayOfWeek of the month (5: its last); None for no rule (wMonth 0)."""
    w_year, month, weekday, day, hour, minute, second, ms = date
    if not 1 <= month <= 12:
        return None
    try:
        if w_year:
            return datetime.datetime(year, month, day, hour, minute, second, ms * 1000)
        first = datetime.date(year, month, 1)
        offset = (weekday - (first.weekday() + 1) % 7) % 7     # Windows counts Sunday as 0
        found = first + datetime.timedelta(days=offset + 7 * (min(max(day, 1), 5) - 1))
        while found.month != month:                             # "the fifth": the last
            found -= datetime.timedelta(days=7)
        return datetime.datetime(found.year, found.month, found.day, hour, minute, second,
                                 ms * 1000)
    except ValueError:
        return None


def in_daylight(bias: int, std_bias: int, dst_bias: int, std_date: tuple, dst_date: tuple,
                t: datetime.datetime, local: bool) -> bool:
    """Whether t (UTC, or the zone's local time) falls in the zone's daylight time. The
    daylight start is given in standard local time, the standard start in daylight time."""
    start = transition(t.year, dst_date)
    end = transition(t.year, std_date)
    if start is None or end is None:
        return False
    if not local:
        start += datetime.timedelta(minutes=bias + std_bias)
        end += datetime.timedelta(minutes=bias + dst_bias)
    if start < end:                               # northern: daylight inside the year
        return start <= t < end
    return t >= start or t < end                  # southern: daylight across the new year
