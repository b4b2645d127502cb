"""user32.dll as a console program on a machine with no interactive desktop sees it: the
system metrics of one plain 1024x768 display, with no mouse and no remote session."""
from __future__ import annotations

SM_CXSCREEN, SM_CYSCREEN, SM_CMONITORS = 0, 1, 80
METRICS = {SM_CXSCREEN: 1024, SM_CYSCREEN: 768, SM_CMONITORS: 1}


def sys_user32_GetSystemMetrics(p, nIndex):
    return METRICS.get(nIndex, 0)


# No one can answer a message box here: its text goes to standard error, and the answer is
# the button that gives up (OK alone, else Cancel, Abort or No), so no retry loop follows.
IDOK, IDCANCEL, IDABORT, IDNO = 1, 2, 3, 7
GIVE_UP = {0: IDOK, 1: IDCANCEL, 2: IDABORT, 3: IDCANCEL, 4: IDNO, 5: IDCANCEL, 6: IDCANCEL}


def _message_box(p, text: str, caption: str, kind: int) -> int:
    from ..errors import BrokenPipe, KernelError, WouldBlock
    try:
        err = p.fds.get(2)
        err.write(f"{caption or 'Error'}: {text}\n".encode("utf-8", "replace"))
    except (KernelError, WouldBlock, BrokenPipe):
        pass
    return GIVE_UP.get(kind & 0xF, IDCANCEL)


def sys_user32_MessageBoxA(p, hWnd, lpText, lpCaption, uType):
    text = p.mm.read_cstr(lpText).decode("latin-1") if lpText else ""
    caption = p.mm.read_cstr(lpCaption).decode("latin-1") if lpCaption else ""
    return _message_box(p, text, caption, uType)


def sys_user32_MessageBoxW(p, hWnd, lpText, lpCaption, uType):
    from .wide import read_wstr
    return _message_box(p, read_wstr(p, lpText) if lpText else "",
                        read_wstr(p, lpCaption) if lpCaption else "", uType)


def sys_user32_CharNextExA(p, CodePage, lpCurrentChar, dwFlags):
    """The next character of a single-byte string (the code pages here are single-byte;
    at the terminating zero it stays)."""
    return lpCurrentChar if p.mm.read(lpCurrentChar, 1) == b"\0" else lpCurrentChar + 1


def sys_user32_CharPrevExA(p, CodePage, lpStart, lpCurrentChar, dwFlags):
    """The character before lpCurrentChar in a single-byte string; at the start it stays."""
    return lpCurrentChar - 1 if lpCurrentChar > lpStart else lpStart


def _case_convert(p, lpsz, wide: bool, upper: bool) -> int:
    """CharUpper/CharLower: a pointer whose high word is zero is one character, converted and
    returned; otherwise the string there is converted in place and its pointer returned."""
    from .kernel32_locale import case_mapped_ansi, simple_case
    if lpsz >> 16 == 0:
        if wide:
            return ord(simple_case(chr(lpsz & 0xFFFF), upper))
        return case_mapped_ansi(bytes([lpsz & 0xFF]), upper)[0]
    if wide:
        from .wide import read_wstr
        length = len(read_wstr(p, lpsz).encode("utf-16-le")) // 2
    else:
        length = len(p.mm.read_cstr(lpsz, 1 << 20))
    _case_convert_buffer(p, lpsz, length, wide, upper)
    return lpsz


def _case_convert_buffer(p, lpsz, length: int, wide: bool, upper: bool) -> int:
    """CharUpperBuff/CharLowerBuff: length characters (NULs among them) converted in place."""
    from .kernel32_locale import case_mapped, case_mapped_ansi
    if not lpsz:
        return 0
    if wide:
        from .wide import read_wstr
        p.mm.write(lpsz, case_mapped(read_wstr(p, lpsz, length), upper).encode("utf-16-le"))
    else:
        p.mm.write(lpsz, case_mapped_ansi(p.mm.read(lpsz, length), upper))
    return length


def sys_user32_CharUpperW(p, lpsz):
    return _case_convert(p, lpsz, True, True)


def sys_user32_CharUpperA(p, lpsz):
    return _case_convert(p, lpsz, False, True)


def sys_user32_CharLowerW(p, lpsz):
    return _case_convert(p, lpsz, True, False)


def sys_user32_CharLowerA(p, lpsz):
    return _case_convert(p, lpsz, False, False)


def sys_user32_CharUpperBuffW(p, lpsz, cchLength):
    return _case_convert_buffer(p, lpsz, cchLength, True, True)


def sys_user32_CharUpperBuffA(p, lpsz, cchLength):
    return _case_convert_buffer(p, lpsz, cchLength, False, True)


def sys_user32_CharLowerBuffW(p, lpsz, cchLength):
    return _case_convert_buffer(p, lpsz, cchLength, True, False)


def sys_user32_CharLowerBuffA(p, lpsz, cchLength):
    return _case_convert_buffer(p, lpsz, cchLength, False, False)


WSPRINTF_LIMIT = 1024       # characters wsprintf's buffer takes, its NUL among them


def _wsprintf(p, lpOut, lpFmt, args, wide: bool) -> int:
    """wsprintf's characters stored (at most 1023), without the NUL."""
    from .printf import format_wsprintf
    from .wide import encode, read_str
    unit = 2 if wide else 1
    data = encode(format_wsprintf(p, read_str(p, lpFmt, wide), args, wide), wide)
    data = data[:unit * (WSPRINTF_LIMIT - 1)]
    p.mm.write(lpOut, data + b"\0" * unit)
    return len(data) // unit


def sys_user32_wsprintfA(p, lpOut, lpFmt):
    from .printf import CallArgs
    return _wsprintf(p, lpOut, lpFmt, CallArgs(p, 2), False)


def sys_user32_wsprintfW(p, lpOut, lpFmt):
    from .printf import CallArgs
    return _wsprintf(p, lpOut, lpFmt, CallArgs(p, 2), True)


def sys_user32_wvsprintfA(p, lpOut, lpFmt, arglist):
    from .printf import VaList
    return _wsprintf(p, lpOut, lpFmt, VaList(p, arglist), False)


def sys_user32_wvsprintfW(p, lpOut, lpFmt, arglist):
    from .printf import VaList
    return _wsprintf(p, lpOut, lpFmt, VaList(p, arglist), True)


def sys_comctl32_InitCommonControlsEx(p, picce):
    return 1            # no window classes to register: nothing draws here


# The window station a process is in: one that is not visible (WSF_VISIBLE clear), as a
# service's is; programs ask before showing a message box.
WINDOW_STATION = 0x7A10
UOI_FLAGS, UOI_NAME, UOI_TYPE = 1, 2, 3


def sys_user32_GetProcessWindowStation(p):
    return WINDOW_STATION


def _user_object_information(p, hObj, nIndex, pvInfo, nLength, lpnLengthNeeded, wide: bool):
    import struct
    if nIndex == UOI_FLAGS:
        data = struct.pack("<iiI", 0, 0, 0)
    elif nIndex in (UOI_NAME, UOI_TYPE):
        text = "Service-0x0-3e7$" if nIndex == UOI_NAME else "WindowStation"
        data = text.encode("utf-16-le") + b"\0\0" if wide else text.encode() + b"\0"
    else:
        p.win32.last_error = 87                         # ERROR_INVALID_PARAMETER
        return 0
    if lpnLengthNeeded:
        p.mm.write_u32(lpnLengthNeeded, len(data))
    if nLength < len(data) or not pvInfo:
        p.win32.last_error = 122                        # ERROR_INSUFFICIENT_BUFFER
        return 0
    p.mm.write(pvInfo, data)
    return 1


def sys_user32_GetUserObjectInformationA(p, hObj, nIndex, pvInfo, nLength, lpnLengthNeeded):
    return _user_object_information(p, hObj, nIndex, pvInfo, nLength, lpnLengthNeeded, False)


def sys_user32_GetUserObjectInformationW(p, hObj, nIndex, pvInfo, nLength, lpnLengthNeeded):
    return _user_object_information(p, hObj, nIndex, pvInfo, nLength, lpnLengthNeeded, True)


def sys_user32_RegisterWindowMessageW(p, lpString):
    """A message number, 0xC000 and up, the same for a name (any case) in every process of
    the machine, as the desktop's atom table gives (clipboard formats are numbers from the
    same table: RegisterClipboardFormat is this call)."""
    from .wide import read_wstr
    return _message_number(p, read_wstr(p, lpString))


def sys_user32_RegisterWindowMessageA(p, lpString):
    return _message_number(p, p.mm.read_cstr(lpString).decode("latin-1"))


def _message_number(p, name: str) -> int:
    if not name:
        p.win32.last_error = 87                         # ERROR_INVALID_PARAMETER
        return 0
    numbers = p.sysvec.personality.machine(p.kernel).window_messages
    return numbers.setdefault(name.lower(), 0xC000 + len(numbers))


KEYBOARD_LAYOUT_EN_US = 0x04090409


def sys_user32_GetKeyboardLayout(p, idThread):
    return KEYBOARD_LAYOUT_EN_US


# --- the desktop's settings, as a plain one reports them -------------------------------------

def sys_user32_GetDoubleClickTime(p):
    return 500


def sys_user32_GetCaretBlinkTime(p):
    return 530


def sys_user32_GetKeyboardType(p, nTypeFlag):
    return {0: 4, 1: 0, 2: 12}.get(nTypeFlag, 0)      # an enhanced 101/102-key keyboard


def sys_user32_GetKeyState(p, nVirtKey):
    return 0                                           # no key is down (GetAsyncKeyState too)


def sys_user32_GetForegroundWindow(p):
    return 0


DESKTOP_WINDOW, SCREEN_DC = 0x10010, 0x1010050


def sys_user32_GetDesktopWindow(p):
    return DESKTOP_WINDOW


def sys_user32_GetDC(p, hWnd):
    """The screen's device context (GetDeviceCaps answers for it)."""
    return SCREEN_DC


def sys_user32_ReleaseDC(p, hWnd, hDC):
    return 1


# GetSysColor's indexes: Windows 10's default scheme.
SYS_COLORS = [0xC8C8C8, 0x000000, 0xD1B499, 0xDBCDBF, 0xF0F0F0, 0xFFFFFF, 0x646464, 0x000000,
              0x000000, 0x000000, 0xB4B4B4, 0xFCF7F4, 0xABABAB, 0xD77800, 0xFFFFFF, 0xF0F0F0,
              0xA0A0A0, 0x6D6D6D, 0x000000, 0x000000, 0xFFFFFF, 0x696969, 0xE3E3E3, 0x000000,
              0xE1FFFF, 0x000000, 0xCC6600, 0xEAD1B9, 0xF2E4D7, 0xD77800, 0xF0F0F0]


def sys_user32_GetSysColor(p, nIndex):
    return SYS_COLORS[nIndex] if 0 <= nIndex < len(SYS_COLORS) else 0


# --- the keyboard: a US layout, no key down ---------------------------------------------------

def _us_scan_codes() -> dict[int, int]:
    """Virtual key -> scan code for the keys whose codes programs look up."""
    rows = {0x02: "1234567890", 0x10: "QWERTYUIOP", 0x1E: "ASDFGHJKL", 0x2C: "ZXCVBNM"}
    codes = {ord(ch): first + i for first, keys in rows.items() for i, ch in enumerate(keys)}
    codes.update({0x1B: 0x01, 0x08: 0x0E, 0x09: 0x0F, 0x0D: 0x1C, 0x10: 0x2A, 0x11: 0x1D,
                  0x12: 0x38, 0x20: 0x39})
    return codes


US_SCAN = _us_scan_codes()
US_VK = {code: vk for vk, code in US_SCAN.items()}


def sys_user32_MapVirtualKeyExW(p, uCode, uMapType, dwhkl):
    """MAPVK_VK_TO_VSC (0), VSC_TO_VK (1 and 3), VK_TO_CHAR (2); 0 when there is none."""
    if uMapType == 0:
        return US_SCAN.get(uCode, 0)
    if uMapType in (1, 3):
        return US_VK.get(uCode, 0)
    if uMapType == 2:
        return uCode if 0x30 <= uCode <= 0x39 or 0x41 <= uCode <= 0x5A or uCode == 0x20 else 0
    return 0


def sys_user32_MapVirtualKeyW(p, uCode, uMapType):
    return sys_user32_MapVirtualKeyExW(p, uCode, uMapType, KEYBOARD_LAYOUT_EN_US)


def sys_user32_GetKeyboardState(p, lpKeyState):
    p.mm.write(lpKeyState, bytes(256))
    return 1


def sys_user32_ToUnicodeEx(p, wVirtKey, wScanCode, lpKeyState, pwszBuff, cchBuff, wFlags, dwhkl):
    """The character a key gives with the state's shift: letters, digits and space."""
    state = p.mm.read(lpKeyState, 256) if lpKeyState else bytes(256)
    shifted = bool(state[0x10] & 0x80)
    if 0x41 <= wVirtKey <= 0x5A:
        ch = chr(wVirtKey if shifted else wVirtKey + 32)
    elif 0x30 <= wVirtKey <= 0x39 and not shifted or wVirtKey == 0x20:
        ch = chr(wVirtKey)
    else:
        return 0
    if cchBuff < 1 or not pwszBuff:
        return 0
    p.mm.write(pwszBuff, ch.encode("utf-16-le"))
    return 1


def sys_user32_ToAsciiEx(p, uVirtKey, uScanCode, lpKeyState, lpChar, uFlags, dwhkl):
    scratch = p.win32.scratch
    n = sys_user32_ToUnicodeEx(p, uVirtKey, uScanCode, lpKeyState, scratch, 1, uFlags, dwhkl)
    if n:
        p.mm.write(lpChar, p.mm.read(scratch, 1) + b"\0")
    return n


def sys_user32_GetWindowThreadProcessId(p, hWnd, lpdwProcessId):
    """The desktop is the only window: it belongs to no thread of this machine (0)."""
    if lpdwProcessId:
        p.mm.write_u32(lpdwProcessId, 0)
    return 0


# --- the one display, as monitor APIs describe it -----------------------------------------------

PRIMARY_MONITOR = 0x10001          # HMONITOR of the one display
MONITORINFOF_PRIMARY = 1
MONITORINFOEXW_SIZE = 104          # MONITORINFO (40) and szDevice[32]
DEVICE_NAME = "\\\\.\\DISPLAY1"


def sys_user32_MonitorFromPoint(p, pt, dwFlags, *rest):
    """Every point is on the one display (POINT by value: one argument on x64, two on
    i386, and MONITOR_DEFAULTTO* never matters)."""
    return PRIMARY_MONITOR


def sys_user32_MonitorFromWindow(p, hwnd, dwFlags):
    return PRIMARY_MONITOR


def _monitor_info(p, hMonitor, lpmi, wide: bool) -> int:
    if hMonitor != PRIMARY_MONITOR or not lpmi:
        return 0
    import struct
    size = p.mm.read_u32(lpmi)
    w, h = METRICS[SM_CXSCREEN], METRICS[SM_CYSCREEN]
    p.mm.write(lpmi + 4, struct.pack("<8iI", 0, 0, w, h, 0, 0, w, h, MONITORINFOF_PRIMARY))
    if size >= (MONITORINFOEXW_SIZE if wide else 72):     # the EX forms name the device
        name = DEVICE_NAME.encode("utf-16-le" if wide else "latin-1")
        p.mm.write(lpmi + 40, name + b"\0" * (2 if wide else 1))
    return 1


def sys_user32_GetMonitorInfoW(p, hMonitor, lpmi):
    return _monitor_info(p, hMonitor, lpmi, True)


def sys_user32_GetMonitorInfoA(p, hMonitor, lpmi):
    return _monitor_info(p, hMonitor, lpmi, False)


def sys_user32_GetCursorPos(p, lpPoint):
    """No mouse: the cursor rests at the display's top left."""
    if not lpPoint:
        p.win32.last_error = 87          # ERROR_INVALID_PARAMETER
        return 0
    p.mm.write(lpPoint, b"\0" * 8)
    return 1
