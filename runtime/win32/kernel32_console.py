"""kernel32's console calls. The wide writes and reads go to the handle's file as UTF-8.
On a terminal of the machine the handle is a console (runtime/tty/console): its screen
buffer is the terminal's window, and colours, cursor moves and fills reach the terminal as
escape sequences. On a pipe or a file the calls that only a console answers fail with
ERROR_INVALID_HANDLE, as Windows does for a redirected handle."""
from __future__ import annotations

import struct

from ..nt import abi
from ..tty import console
from . import console_input
from .msvcrt import _read_fd, _write_fd
from .wide import read_wstr

ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER = 6, 87
# CONSOLE_SCREEN_BUFFER_INFO: dwSize, dwCursorPosition, wAttributes, srWindow,
# dwMaximumWindowSize; the Ex form adds popup attributes, full-screen support and the palette.
SCREEN_BUFFER_INFO = struct.Struct("<hhhhHhhhhhh")
SCREEN_BUFFER_INFO_EX_SIZE = 0x60
# The palette conhost starts with (COLORREF 0x00BBGGRR), in Windows' colour order.
CONSOLE_PALETTE = (0x0C0C0C, 0xDA3700, 0x0EA113, 0xDD963A, 0x1F0FC5, 0x981788, 0x009CC1,
                   0xCCCCCC, 0x767676, 0xFF783B, 0x0CC616, 0xD6D661, 0x5648E7, 0x9E00B4,
                   0xA5F1F9, 0xF2F2F2)


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
    tty = getattr(p.fds.get(fd), "tty", None)
    text = console_input.take_typed_text(tty, nNumberOfCharsToRead) if tty is not None else ""
    if not text:
        data = _read_fd(p, fd, max(1, nNumberOfCharsToRead))
        text = data.decode("utf-8", errors="replace")[:nNumberOfCharsToRead]
    p.mm.write(lpBuffer, text.encode("utf-16-le"))
    if lpNumberOfCharsRead:
        p.mm.write_u32(lpNumberOfCharsRead, len(text.encode("utf-16-le")) // 2)
    return 1


def sys_kernel32_ReadConsoleA(p, hConsoleInput, lpBuffer, nNumberOfCharsToRead,
                              lpNumberOfCharsRead, pInputControl):
    """ReadConsoleW's characters in the console's input code page (OpenSSL's and node's
    password prompts)."""
    fd = _fd(p, hConsoleInput)
    if fd is None:
        return 0
    tty = getattr(p.fds.get(fd), "tty", None)
    text = console_input.take_typed_text(tty, nNumberOfCharsToRead) if tty is not None else ""
    if text:
        data = text.encode(_codec(console_code_page(p, "input", 437)), "replace")
    else:
        data = _read_fd(p, fd, max(1, nNumberOfCharsToRead))[:nNumberOfCharsToRead]
    p.mm.write(lpBuffer, data)
    if lpNumberOfCharsRead:
        p.mm.write_u32(lpNumberOfCharsRead, len(data))
    return 1


def _codec(page: int) -> str:
    return {65001: "utf-8", 1252: "cp1252", 437: "cp437", 850: "cp850"}.get(page, "cp437")


def _not_a_console(p, *args) -> int:
    p.win32.last_error = ERROR_INVALID_HANDLE
    return 0


def _terminal(p, handle):
    """(descriptor, terminal) of a console handle, or None with ERROR_INVALID_HANDLE when the
    handle is a pipe, a file or no handle."""
    fd = _fd(p, handle)
    tty = getattr(p.fds.get(fd), "tty", None) if fd is not None else None
    if tty is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return None
    return fd, tty


def _screen_buffer_info(tty) -> bytes:
    """The window is the whole buffer (no scroll-back, as under ConPTY); where the cursor
    is the terminal does not say: the top left."""
    cols, rows = console.window_size(tty)
    return SCREEN_BUFFER_INFO.pack(cols, rows, 0, 0, console.screen_of(tty).attributes,
                                   0, 0, cols - 1, rows - 1, cols, rows)


def sys_kernel32_GetConsoleScreenBufferInfo(p, hConsoleOutput, lpConsoleScreenBufferInfo):
    found = _terminal(p, hConsoleOutput)
    if found is None:
        return 0
    p.mm.write(lpConsoleScreenBufferInfo, _screen_buffer_info(found[1]))
    return 1


def _terminal_for_info_ex(p, handle, info: int):
    """_terminal, for a call given a CONSOLE_SCREEN_BUFFER_INFOEX: its cbSize must be the
    structure's (ERROR_INVALID_PARAMETER otherwise)."""
    found = _terminal(p, handle)
    if found is not None and p.mm.read_u32(info) != SCREEN_BUFFER_INFO_EX_SIZE:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return None
    return found


def sys_kernel32_GetConsoleScreenBufferInfoEx(p, hConsoleOutput, lpConsoleScreenBufferInfoEx):
    found = _terminal_for_info_ex(p, hConsoleOutput, lpConsoleScreenBufferInfoEx)
    if found is None:
        return 0
    popup = 0xF5                                   # conhost's: purple on white
    p.mm.write(lpConsoleScreenBufferInfoEx + 4, _screen_buffer_info(found[1]) +
               struct.pack("<HI16I", popup, 0, *CONSOLE_PALETTE))
    return 1


def _draw(p, handle, data: bytes) -> int:
    """Send what a console call draws to the terminal; 0 (with the error set) when the
    handle is no console."""
    found = _terminal(p, handle)
    if found is None:
        return 0
    _write_fd(p, found[0], data)
    return 1


def sys_kernel32_SetConsoleTextAttribute(p, hConsoleOutput, wAttributes):
    found = _terminal(p, hConsoleOutput)
    if found is None:
        return 0
    console.screen_of(found[1]).attributes = wAttributes & 0xFFFF
    _write_fd(p, found[0], console.sgr(wAttributes & 0xFFFF))
    return 1


def _coord(value: int) -> tuple[int, int]:
    """A COORD passed by value: X in the low 16 bits, Y in the high."""
    return value & 0xFFFF, value >> 16 & 0xFFFF


def sys_kernel32_SetConsoleCursorPosition(p, hConsoleOutput, dwCursorPosition):
    return _draw(p, hConsoleOutput, console.cursor_to(*_coord(dwCursorPosition)))


def _fill_character(p, handle, text: str, length: int, coord: int, written_at: int) -> int:
    found = _terminal(p, handle)
    if found is None:
        return 0
    cols, rows = console.window_size(found[1])
    x, y = _coord(coord)
    length = max(0, min(length, cols * rows - (y * cols + x)))   # up to the buffer's end
    _write_fd(p, found[0], console.fill(x, y, (text * length).encode("utf-8", "replace")))
    if written_at:
        p.mm.write_u32(written_at, length)
    return 1


def sys_kernel32_FillConsoleOutputCharacterW(p, hConsoleOutput, cCharacter, nLength,
                                             dwWriteCoord, lpNumberOfCharsWritten):
    return _fill_character(p, hConsoleOutput, chr(cCharacter & 0xFFFF), nLength, dwWriteCoord,
                           lpNumberOfCharsWritten)


def sys_kernel32_FillConsoleOutputCharacterA(p, hConsoleOutput, cCharacter, nLength,
                                             dwWriteCoord, lpNumberOfCharsWritten):
    return _fill_character(p, hConsoleOutput, bytes([cCharacter & 0xFF]).decode("latin-1"),
                           nLength, dwWriteCoord, lpNumberOfCharsWritten)


def sys_kernel32_FillConsoleOutputAttribute(p, hConsoleOutput, wAttribute, nLength, dwWriteCoord,
                                            lpNumberOfAttrsWritten):
    """The cells keep their text; a terminal cannot recolour text already shown without
    drawing it again, so only the count is given (what a clear-screen routine checks)."""
    found = _terminal(p, hConsoleOutput)
    if found is None:
        return 0
    if lpNumberOfAttrsWritten:
        p.mm.write_u32(lpNumberOfAttrsWritten, nLength)
    return 1


# --- drawing cells: what full-screen programs (tcell's, curses ports) draw a frame with -------
SMALL_RECT = struct.Struct("<hhhh")     # Left, Top, Right, Bottom


def _cells(text: str, attributes: list[int], x: int, y: int, cols: int) -> bytes:
    """Cells drawn from (x, y) on, a row at a time, each run of one attribute in its colour;
    the cursor and the current colour are put back after (as the call leaves them)."""
    out, current = bytearray(b"\x1b7"), None
    for i, ch in enumerate(text):
        col = x + i
        if i == 0 or col % cols == 0:
            out += console.cursor_to(col % cols, y + col // cols)
        if attributes and attributes[i] != current:
            current = attributes[i]
            out += console.sgr(current)
        out += ch.encode("utf-8", "replace")
    return bytes(out + b"\x1b8")


def _write_output(p, handle, buffer: int, size: int, origin: int, region: int, wide: bool) -> int:
    """WriteConsoleOutput: a rectangle of CHAR_INFO cells (a character and its attribute)
    from a buffer of size (columns, rows), at the region given, clipped to the window;
    the region written is given back."""
    found = _terminal(p, handle)
    if found is None:
        return 0
    fd, tty = found
    cols, rows = console.window_size(tty)
    width, height = _coord(size)
    bx, by = _coord(origin)
    left, top, right, bottom = SMALL_RECT.unpack(p.mm.read(region, 8))
    right, bottom = min(right, cols - 1, left + width - 1 - bx), min(bottom, rows - 1,
                                                                       top + height - 1 - by)
    left, top = max(left, 0), max(top, 0)
    out = bytearray()
    for row in range(top, bottom + 1):
        count = right - left + 1
        if count <= 0:
            break
        start = buffer + 4 * ((by + row - top) * width + bx)
        raw = p.mm.read(start, 4 * count)
        chars = [struct.unpack_from("<HH", raw, 4 * i) for i in range(count)]
        text = "".join(chr(c) if wide else bytes([c & 0xFF]).decode("latin-1")
                       for c, _ in chars)
        out += _cells(text, [a for _, a in chars], left, row, cols)
    out += console.sgr(console.screen_of(tty).attributes)
    _write_fd(p, fd, bytes(out))
    p.mm.write(region, SMALL_RECT.pack(left, top, max(right, left - 1), max(bottom, top - 1)))
    return 1


def sys_kernel32_WriteConsoleOutputW(p, hConsoleOutput, lpBuffer, dwBufferSize, dwBufferCoord,
                                     lpWriteRegion):
    return _write_output(p, hConsoleOutput, lpBuffer, dwBufferSize, dwBufferCoord,
                         lpWriteRegion, True)


def sys_kernel32_WriteConsoleOutputA(p, hConsoleOutput, lpBuffer, dwBufferSize, dwBufferCoord,
                                     lpWriteRegion):
    return _write_output(p, hConsoleOutput, lpBuffer, dwBufferSize, dwBufferCoord,
                         lpWriteRegion, False)


def _write_characters(p, handle, text: str, coord: int, written_at: int) -> int:
    found = _terminal(p, handle)
    if found is None:
        return 0
    cols, rows = console.window_size(found[1])
    x, y = _coord(coord)
    text = text[:max(0, cols * rows - (y * cols + x))]      # up to the buffer's end
    _write_fd(p, found[0], _cells(text, [], x, y, cols))
    if written_at:
        p.mm.write_u32(written_at, len(text))
    return 1


def sys_kernel32_WriteConsoleOutputCharacterW(p, hConsoleOutput, lpCharacter, nLength,
                                              dwWriteCoord, lpNumberOfCharsWritten):
    text = p.mm.read(lpCharacter, 2 * nLength).decode("utf-16-le", "replace")
    return _write_characters(p, hConsoleOutput, text, dwWriteCoord, lpNumberOfCharsWritten)


def sys_kernel32_WriteConsoleOutputCharacterA(p, hConsoleOutput, lpCharacter, nLength,
                                              dwWriteCoord, lpNumberOfCharsWritten):
    text = p.mm.read(lpCharacter, nLength).decode("latin-1")
    return _write_characters(p, hConsoleOutput, text, dwWriteCoord, lpNumberOfCharsWritten)


def sys_kernel32_WriteConsoleOutputAttribute(p, hConsoleOutput, lpAttribute, nLength,
                                             dwWriteCoord, lpNumberOfAttrsWritten):
    """As FillConsoleOutputAttribute: the text shown keeps its colours; the count is given."""
    return sys_kernel32_FillConsoleOutputAttribute(p, hConsoleOutput, 0, nLength,
                                                   dwWriteCoord, lpNumberOfAttrsWritten)


def _scroll(p, handle, rect: int, clip: int, destination: int, fill: int, wide: bool) -> int:
    """ScrollConsoleScreenBuffer: the rows of the rectangle move up or down to the
    destination (the terminal's scrolling region does it; a sideways move of part of a row
    is more than a terminal can do, and is left as it is), and the rows left behind are
    filled with the fill cell."""
    found = _terminal(p, handle)
    if found is None:
        return 0
    fd, tty = found
    cols, rows = console.window_size(tty)
    left, top, right, bottom = SMALL_RECT.unpack(p.mm.read(rect, 8))
    dx, dy = _coord(destination)
    dy = dy - 0x10000 if dy & 0x8000 else dy
    char, attributes = struct.unpack("<HH", p.mm.read(fill, 4))
    ch = chr(char) if wide else bytes([char & 0xFF]).decode("latin-1")
    top, bottom = max(top, 0), min(bottom, rows - 1)
    shift = dy - top
    if shift == 0 or top > bottom:
        return 1
    out = bytearray(b"\x1b7" + console.sgr(attributes))
    out += b"\x1b[%d;%dr" % (min(top, dy) + 1, min(rows, max(bottom, dy + bottom - top) + 1))
    out += b"\x1b[%dT" % shift if shift > 0 else b"\x1b[%dS" % -shift
    out += b"\x1b[r" + console.sgr(console.screen_of(tty).attributes) + b"\x1b8"
    if ch != " ":      # the terminal blanks what scrolls in; another fill is drawn over it
        first = top if shift > 0 else bottom + shift + 1
        for row in range(first, first + min(abs(shift), bottom - top + 1)):
            out += _cells(ch * cols, [attributes] * cols, 0, row, cols)
    _write_fd(p, fd, bytes(out))
    return 1


def sys_kernel32_ScrollConsoleScreenBufferW(p, hConsoleOutput, lpScrollRectangle,
                                            lpClipRectangle, dwDestinationOrigin, lpFill):
    return _scroll(p, hConsoleOutput, lpScrollRectangle, lpClipRectangle, dwDestinationOrigin,
                   lpFill, True)


def sys_kernel32_ScrollConsoleScreenBufferA(p, hConsoleOutput, lpScrollRectangle,
                                            lpClipRectangle, dwDestinationOrigin, lpFill):
    return _scroll(p, hConsoleOutput, lpScrollRectangle, lpClipRectangle, dwDestinationOrigin,
                   lpFill, False)


# --- the window: the terminal's, which a program cannot resize --------------------------------

def sys_kernel32_GetLargestConsoleWindowSize(p, hConsoleOutput):
    """The largest window: the terminal's own size (a COORD returned by value; 0 with
    ERROR_INVALID_HANDLE off a console)."""
    found = _terminal(p, hConsoleOutput)
    if found is None:
        return 0
    cols, rows = console.window_size(found[1])
    return cols | rows << 16


def sys_kernel32_SetConsoleWindowInfo(p, hConsoleOutput, bAbsolute, lpConsoleWindow):
    """The window is the whole buffer: a window that fits in it is accepted as it is (tcell
    sets the window to the buffer's size on every resize); one larger fails, as on Windows."""
    found = _terminal(p, hConsoleOutput)
    if found is None:
        return 0
    cols, rows = console.window_size(found[1])
    left, top, right, bottom = SMALL_RECT.unpack(p.mm.read(lpConsoleWindow, 8))
    if not bAbsolute:      # relative to the current window, which starts at (0, 0)
        right, bottom = cols - 1 + right, rows - 1 + bottom
    if left < 0 or top < 0 or right < left or bottom < top or right >= cols or bottom >= rows:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    return 1


def sys_kernel32_SetConsoleScreenBufferSize(p, hConsoleOutput, dwSize):
    """A buffer as large as the window or larger is accepted (the terminal has no scroll-back
    to size); a smaller one fails with ERROR_INVALID_PARAMETER, as Windows refuses it."""
    found = _terminal(p, hConsoleOutput)
    if found is None:
        return 0
    cols, rows = console.window_size(found[1])
    width, height = _coord(dwSize)
    if width < cols or height < rows:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    return 1


def sys_kernel32_SetConsoleScreenBufferInfoEx(p, hConsoleOutput, lpConsoleScreenBufferInfoEx):
    """Only the current attribute is taken (the terminal's size and palette are its own)."""
    if _terminal_for_info_ex(p, hConsoleOutput, lpConsoleScreenBufferInfoEx) is None:
        return 0
    attributes = struct.unpack("<H", p.mm.read(lpConsoleScreenBufferInfoEx + 12, 2))[0]
    return sys_kernel32_SetConsoleTextAttribute(p, hConsoleOutput, attributes)


# The console's input queue and cursor: what a program asks only of a console (and takes
# ERROR_INVALID_HANDLE as "redirected": it reads and writes the handle's file instead).
def set_console_role(p, fd: int, is_input: bool) -> None:
    """Which console buffer a handle stands for when its descriptor alone cannot say: on a
    terminal open both ways, the input buffer and the screen buffer are one file, so a
    duplicate of standard input, or CONIN$ opened by name, is remembered as input."""
    entry = p.fds.fds.get(fd)
    if entry is not None:
        p.win32.console_roles[fd] = (entry[0], is_input)


def _input_side(fd: int, f, p=None) -> bool:
    """Whether a terminal descriptor stands for the console's input buffer rather than a
    screen buffer: one open only for reading, or standard input when the terminal is open
    both ways on all three (a --tty run, a login); a handle given a role (above)."""
    role = p.win32.console_roles.get(fd) if p is not None else None
    if role is not None and role[0] is f:
        return role[1]
    access = f.status_flags & 3
    if access == 0:
        return True
    if access == 1:
        return False
    return fd == 0 or str(getattr(f, "guest_path", "")).upper().endswith("CONIN$")


def sys_kernel32_GetNumberOfConsoleInputEvents(p, hConsoleInput, lpcNumberOfEvents):
    """An input handle on the terminal: 1 when input is waiting, else 0 (a key's worth: the
    terminal's bytes are not events). An output handle or a file: ERROR_INVALID_HANDLE, which
    CPython's console detection takes as "an output buffer"."""
    found = _terminal(p, hConsoleInput)
    if found is None:
        return 0
    fd, tty = found
    f = p.fds.get(fd)
    if not _input_side(fd, f, p):               # a screen buffer
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    p.mm.write_u32(lpcNumberOfEvents, console_input.pending_count(p, fd, f, tty))
    return 1


def console_input_file(p, handle):
    """(descriptor, file, terminal) of a console input handle, or None."""
    try:
        fd = abi.fd_of_handle(handle)
    except Exception:   # NtError: not a descriptor's handle
        return None
    entry = p.fds.fds.get(fd)
    tty = getattr(entry[0], "tty", None) if entry else None
    if tty is None or not _input_side(fd, entry[0], p):
        return None
    return fd, entry[0], tty


def _input(p, handle):
    found = console_input_file(p, handle)
    if found is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
    return found


def _read_input(p, handle, buffer, length, count_at, remove: bool, wide: bool) -> int:
    found = _input(p, handle)
    return int(found is not None and console_input.read_records(
        p, *found, buffer, length & 0xFFFFFFFF, count_at, remove, wide))


def sys_kernel32_ReadConsoleInputW(p, hConsoleInput, lpBuffer, nLength, lpNumberOfEventsRead):
    """Blocks until a record is there, then takes up to nLength."""
    return _read_input(p, hConsoleInput, lpBuffer, nLength, lpNumberOfEventsRead, True, True)


def sys_kernel32_ReadConsoleInputA(p, hConsoleInput, lpBuffer, nLength, lpNumberOfEventsRead):
    return _read_input(p, hConsoleInput, lpBuffer, nLength, lpNumberOfEventsRead, True, False)


def sys_kernel32_PeekConsoleInputW(p, hConsoleInput, lpBuffer, nLength, lpNumberOfEventsRead):
    """The records waiting, left in the buffer (none: 0 of them, at once)."""
    return _read_input(p, hConsoleInput, lpBuffer, nLength, lpNumberOfEventsRead, False, True)


def sys_kernel32_PeekConsoleInputA(p, hConsoleInput, lpBuffer, nLength, lpNumberOfEventsRead):
    return _read_input(p, hConsoleInput, lpBuffer, nLength, lpNumberOfEventsRead, False, False)


def sys_kernel32_WriteConsoleInputW(p, hConsoleInput, lpBuffer, nLength, lpNumberOfEventsWritten):
    found = _input(p, hConsoleInput)
    return int(found is not None and console_input.write_records(
        p, found[2], lpBuffer, nLength & 0xFFFFFFFF, lpNumberOfEventsWritten))


def sys_kernel32_FlushConsoleInputBuffer(p, hConsoleInput):
    found = _input(p, hConsoleInput)
    return int(found is not None and console_input.flush_input(p, *found))


def sys_kernel32_GetConsoleCursorInfo(p, hConsoleOutput, lpConsoleCursorInfo):
    """CONSOLE_CURSOR_INFO: the cursor's height in percent of a cell and whether it shows
    (conhost starts at 25 and visible)."""
    found = _terminal(p, hConsoleOutput)
    if found is None:
        return 0
    screen = console.screen_of(found[1])
    p.mm.write(lpConsoleCursorInfo, struct.pack("<Ii", screen.cursor_size, screen.cursor_visible))
    return 1


def sys_kernel32_SetConsoleCursorInfo(p, hConsoleOutput, lpConsoleCursorInfo):
    """Showing or hiding the cursor reaches the terminal (DECTCEM); a size outside 1-100 is
    ERROR_INVALID_PARAMETER."""
    found = _terminal(p, hConsoleOutput)
    if found is None:
        return 0
    size, visible = struct.unpack("<Ii", p.mm.read(lpConsoleCursorInfo, 8))
    if not 1 <= size <= 100:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    screen = console.screen_of(found[1])
    screen.cursor_size, screen.cursor_visible = size, int(bool(visible))
    _write_fd(p, found[0], b"\x1b[?25h" if visible else b"\x1b[?25l")
    return 1




def process_console(p):
    """The terminal the process's console is: the one a standard handle is on, or None (its
    standard handles are all pipes or files: the process has no console)."""
    for fd in (0, 1, 2):
        f = p.fds.fds.get(fd)
        tty = getattr(f[0], "tty", None) if f else None
        if tty is not None:
            return tty
    return None


def console_code_page(p, side: str, default: int) -> int:
    tty = process_console(p)
    return console.screen_of(tty).code_pages.get(side, default) if tty else default


def _set_code_page(p, side: str, page: int) -> int:
    from .kernel32_locale import VALID_CODE_PAGES
    tty = process_console(p)
    if tty is None:
        return _not_a_console(p)
    if page not in VALID_CODE_PAGES:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    console.screen_of(tty).code_pages[side] = page
    return 1


def sys_kernel32_SetConsoleCP(p, wCodePageID):
    return _set_code_page(p, "input", wCodePageID & 0xFFFFFFFF)


def sys_kernel32_SetConsoleOutputCP(p, wCodePageID):
    return _set_code_page(p, "output", wCodePageID & 0xFFFFFFFF)


# A process runs attached to the run's console (its standard handles): allocating or attaching
# another fails as on Windows (ERROR_ACCESS_DENIED) until FreeConsole detaches it, after which
# either attaches it again. The standard handles stay what they were.
ATTACH_PARENT_PROCESS = 0xFFFFFFFF
ERROR_ACCESS_DENIED = 5


def sys_kernel32_AllocConsole(p):
    if not p.win32.console_freed:
        p.win32.last_error = ERROR_ACCESS_DENIED
        return 0
    p.win32.console_freed = False
    return 1


def sys_kernel32_AttachConsole(p, dwProcessId):
    return sys_kernel32_AllocConsole(p)


def sys_kernel32_FreeConsole(p):
    p.win32.console_freed = True
    return 1


# The console window's handle: one per machine (its conhost), owned by no guest process.
CONSOLE_WINDOW = 0x00020100


def sys_kernel32_GetConsoleWindow(p):
    """A process attached to a console (a standard handle on the terminal) has its window;
    one whose handles are all pipes or files, or that freed its console, has none."""
    return CONSOLE_WINDOW if process_console(p) is not None and not p.win32.console_freed \
        else 0


def sys_kernel32_SetConsoleCtrlHandler(p, HandlerRoutine, Add):
    """Registered for Ctrl+C / Ctrl+Break (console_ctrl.py calls them); with no routine,
    whether Ctrl+C is ignored (children inherit that)."""
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

