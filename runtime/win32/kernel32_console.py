"""kernel32's console calls for standard handles that are pipes or files here, never a
console: the wide writes and reads go to the handle's file as UTF-8, and the calls that only
a console answers (screen buffer, modes) fail with ERROR_INVALID_HANDLE as Windows does for
a redirected handle."""
from __future__ import annotations

from ..nt import abi
from .msvcrt import _read_fd, _write_fd
from .wide import read_wstr

ERROR_INVALID_HANDLE = 6


def _fd(p, handle) -> int | None:
    try:
        fd = abi.fd_of_handle(handle)
    except Exception:   # NtError: not a descriptor's handle
        fd = None
    if fd is None or fd not in p.fds.fds:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return None
    return fd


def sys_kernel32_WriteConsoleW(p, hConsoleOutput, lpBuffer, nNumberOfCharsToWrite,
                               lpNumberOfCharsWritten, lpReserved):
    fd = _fd(p, hConsoleOutput)
    if fd is None:
        return 0
    text = read_wstr(p, lpBuffer, nNumberOfCharsToWrite)
    if _write_fd(p, fd, text.encode("utf-8", errors="replace")) < 0:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    if lpNumberOfCharsWritten:
        p.mm.write_u32(lpNumberOfCharsWritten, nNumberOfCharsToWrite)
    return 1


def sys_kernel32_ReadConsoleW(p, hConsoleInput, lpBuffer, nNumberOfCharsToRead,
                              lpNumberOfCharsRead, pInputControl):
    """A line's worth of UTF-8 from the handle's file, as UTF-16."""
    fd = _fd(p, hConsoleInput)
    if fd is None:
        return 0
    data = _read_fd(p, fd, max(1, nNumberOfCharsToRead))
    text = data.decode("utf-8", errors="replace")[:nNumberOfCharsToRead]
    p.mm.write(lpBuffer, text.encode("utf-16-le"))
    if lpNumberOfCharsRead:
        p.mm.write_u32(lpNumberOfCharsRead, len(text.encode("utf-16-le")) // 2)
    return 1


def _not_a_console(p, *args) -> int:
    p.win32.last_error = ERROR_INVALID_HANDLE
    return 0


def sys_kernel32_GetConsoleScreenBufferInfo(p, hConsoleOutput, lpConsoleScreenBufferInfo):
    return _not_a_console(p)


def sys_kernel32_WriteConsoleOutputA(p, hConsoleOutput, lpBuffer, dwBufferSize, dwBufferCoord,
                                     lpWriteRegion):
    return _not_a_console(p)


# The console's input queue and cursor: what a program asks only of a console (and takes
# ERROR_INVALID_HANDLE as "redirected": it reads and writes the handle's file instead).
sys_kernel32_GetNumberOfConsoleInputEvents = _not_a_console
sys_kernel32_ReadConsoleInputW = sys_kernel32_ReadConsoleInputA = _not_a_console
sys_kernel32_PeekConsoleInputW = sys_kernel32_PeekConsoleInputA = _not_a_console
sys_kernel32_WriteConsoleInputW = sys_kernel32_FlushConsoleInputBuffer = _not_a_console
sys_kernel32_SetConsoleCursorPosition = sys_kernel32_GetConsoleCursorInfo = _not_a_console
sys_kernel32_SetConsoleCursorInfo = sys_kernel32_FillConsoleOutputCharacterW = _not_a_console
sys_kernel32_FillConsoleOutputAttribute = sys_kernel32_SetConsoleScreenBufferSize = \
    _not_a_console
sys_kernel32_FillConsoleOutputCharacterA = _not_a_console
sys_kernel32_SetConsoleCP = sys_kernel32_SetConsoleOutputCP = _not_a_console   # no console
sys_kernel32_GetConsoleScreenBufferInfoEx = _not_a_console


def sys_kernel32_GetConsoleWindow(p):
    return 0            # no console, so no console window


def sys_kernel32_SetConsoleCtrlHandler(p, HandlerRoutine, Add):
    """Registered for Ctrl+C / Ctrl+Break; nothing here generates those events."""
    handlers = p.win32.ctrl_handlers
    if HandlerRoutine:
        if Add:
            handlers.append(HandlerRoutine)
        elif HandlerRoutine in handlers:
            handlers.remove(HandlerRoutine)
        else:
            p.win32.last_error = 87
            return 0
    else:
        p.win32.ignore_ctrl_c = bool(Add)
    return 1


def sys_kernel32_GenerateConsoleCtrlEvent(p, dwCtrlEvent, dwProcessGroupId):
    p.win32.last_error = ERROR_INVALID_HANDLE   # no console to send it through
    return 0


def sys_kernel32_CreateConsoleScreenBuffer(p, dwDesiredAccess, dwShareMode, lpSecurityAttributes,
                                           dwFlags, lpScreenBufferData):
    """A second screen buffer is the console's output again (crossterm's alternate screen
    writes its escape sequences through it)."""
    from ..nt import abi
    from .kernel32 import _invalid
    if 1 not in p.fds.fds:
        p.win32.last_error = ERROR_INVALID_HANDLE     # no console output to share
        return _invalid(p)
    return abi.handle_of_fd(p.fds.dup(1))


def sys_kernel32_SetConsoleActiveScreenBuffer(p, hConsoleOutput):
    return 1


# --- the window title ------------------------------------------------------------------------

def sys_kernel32_SetConsoleTitleW(p, lpConsoleTitle):
    """Kept for GetConsoleTitle (there is no window to show it on)."""
    p.win32.console_title = read_wstr(p, lpConsoleTitle) if lpConsoleTitle else ""
    return 1


def sys_kernel32_SetConsoleTitleA(p, lpConsoleTitle):
    p.win32.console_title = p.mm.read_cstr(lpConsoleTitle, 1 << 16).decode("latin-1") \
        if lpConsoleTitle else ""
    return 1


def sys_kernel32_GetConsoleTitleW(p, lpConsoleTitle, nSize):
    """The title's length in characters, copied (cut to fit, NUL-terminated)."""
    title = p.win32.console_title
    if lpConsoleTitle and nSize > 0:
        units = title.encode("utf-16-le")[:2 * (nSize - 1)]
        p.mm.write(lpConsoleTitle, units + b"\0\0")
    return len(title)


def sys_kernel32_GetConsoleTitleA(p, lpConsoleTitle, nSize):
    title = p.win32.console_title.encode("latin-1", errors="replace")
    if lpConsoleTitle and nSize > 0:
        p.mm.write(lpConsoleTitle, title[:nSize - 1] + b"\0")
    return len(title)

