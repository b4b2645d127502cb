"""The user's location and locale-name lookups for the one locale here, en-US
(kernel32_locale.py): the United States as the user's GEOID, GetGeoInfoW's answers for it,
and LCID <-> name."""
from __future__ import annotations

from .kernel32_locale import LCID_EN_US, LOCALE_NAME
from .wide import read_wstr

GEOID_US = 244
GEOCLASS_NATION = 16
# GetGeoInfo's answers for the United States (GEOTYPE -> value), as Windows gives them.
GEO_US = {1: "38.8833", 2: "-77.0167", 3: "US", 4: "USA", 5: "244", 6: "840",
          7: "en-US", 8: "United States", 14: "US", 15: "840"}
ERROR_INVALID_PARAMETER, ERROR_INSUFFICIENT_BUFFER = 87, 122
ERROR_INVALID_FUNCTION = 1


def _wide_out(p, buffer: int, chars: int, text: str) -> int:
    """Write text with its terminator when it fits; the length it needs in characters."""
    data = text.encode("utf-16-le") + b"\0\0"
    need = len(data) // 2
    if chars == 0:
        return need
    if chars < need or not buffer:
        p.win32.last_error = ERROR_INSUFFICIENT_BUFFER
        return 0
    p.mm.write(buffer, data)
    return need


def sys_kernel32_GetUserGeoID(p, GeoClass):
    return GEOID_US if GeoClass == GEOCLASS_NATION else -1 & 0xFFFFFFFF


def sys_kernel32_GetGeoInfoW(p, Location, GeoType, lpGeoData, cchData, LangId):
    value = GEO_US.get(GeoType)
    if Location != GEOID_US or value is None:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    return _wide_out(p, lpGeoData, cchData, value)


def sys_kernel32_LCIDToLocaleName(p, Locale, lpName, cchName, dwFlags):
    if Locale not in (LCID_EN_US, 0x400, 0x800, 0x0):   # en-US and the user/system defaults
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    return _wide_out(p, lpName, cchName, LOCALE_NAME)


def sys_kernel32_LocaleNameToLCID(p, lpName, dwFlags):
    name = read_wstr(p, lpName)
    if name in ("", LOCALE_NAME, "!x-sys-default-locale") or name.lower() == "en-us":
        return LCID_EN_US
    p.win32.last_error = ERROR_INVALID_PARAMETER
    return 0


def sys_kernel32_ResolveLocaleName(p, lpNameToResolve, lpLocaleName, cchLocaleName):
    name = read_wstr(p, lpNameToResolve)
    if name.lower() not in ("", "en", "en-us"):
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    return _wide_out(p, lpLocaleName, cchLocaleName, LOCALE_NAME)


def sys_kernel32_GetGeoInfoA(p, Location, GeoType, lpGeoData, cchData, LangId):
    value = GEO_US.get(GeoType)
    if Location != GEOID_US or value is None:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    data = value.encode("latin-1", "replace") + b"\0"
    if cchData == 0:
        return len(data)
    if cchData < len(data) or not lpGeoData:
        p.win32.last_error = ERROR_INSUFFICIENT_BUFFER
        return 0
    p.mm.write(lpGeoData, data)
    return len(data)
