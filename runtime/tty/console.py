"""A Windows console on a terminal of the machine. GetConsoleMode/SetConsoleMode of a PE
program's standard handles read and set the same termios fields a Linux program would (line
input is ICANON, echo input ECHO, processed input ISIG, processed output OPOST); the mode bits
termios has no field for (virtual-terminal processing, quick edit ...) and the text attribute
are kept beside the terminal, as conhost keeps them per screen buffer. The screen buffer is
the terminal's window, and what a program draws through the console calls (colours, cursor
moves, fills) reaches the terminal as the escape sequences ConPTY would send."""
from __future__ import annotations

import struct
import weakref
from dataclasses import dataclass, field

from .abi import ECHO, ICANON, ICRNL, ISIG, IXON, OPOST, VMIN, VTIME

ENABLE_PROCESSED_INPUT, ENABLE_LINE_INPUT, ENABLE_ECHO_INPUT = 0x1, 0x2, 0x4
ENABLE_WINDOW_INPUT = 0x8
ENABLE_PROCESSED_OUTPUT, ENABLE_WRAP_AT_EOL_OUTPUT = 0x1, 0x2
WINDOW_BUFFER_SIZE_EVENT = 4
# an INPUT_RECORD of WINDOW_BUFFER_SIZE_EVENT: EventType, then dwSize (a COORD) in the
# 16-byte union
WINDOW_BUFFER_SIZE_RECORD = struct.Struct("<Hxxhh12x")
INPUT_MODES = ((ENABLE_PROCESSED_INPUT, ISIG), (ENABLE_LINE_INPUT, ICANON),
               (ENABLE_ECHO_INPUT, ECHO))
INPUT_MODE_BITS, OUTPUT_MODE_BITS = 0x3FF, 0x1F     # what SetConsoleMode accepts
# A new console's input mode beyond the termios bits: mouse input, insert, quick edit,
# extended flags and auto position, as conhost starts (GetConsoleMode gives 0x1F7).
DEFAULT_INPUT_EXTRA = 0x1F0
DEFAULT_ATTRIBUTES = 0x07            # light grey on black
FOREGROUND_INTENSITY, BACKGROUND_INTENSITY = 0x08, 0x80
COMMON_LVB_REVERSE_VIDEO, COMMON_LVB_UNDERSCORE = 0x4000, 0x8000
DEFAULT_SIZE = (24, 80)              # rows, cols of a terminal that reports none
TCSANOW = 0


@dataclass
class ConsoleScreen:
    input_extra: int = DEFAULT_INPUT_EXTRA
    output_extra: int = ENABLE_WRAP_AT_EOL_OUTPUT
    attributes: int = DEFAULT_ATTRIBUTES
    # SetConsoleCP/SetConsoleOutputCP: "input"/"output" -> the code page set
    code_pages: dict = field(default_factory=dict)
    cursor_size: int = 25         # CONSOLE_CURSOR_INFO: percent of a cell, and shown
    cursor_visible: int = 1
    input_records: list = field(default_factory=list)   # INPUT_RECORDs not yet read
    flow_control_held: bool = False   # IXON taken off the terminal while line input is off


_screens: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def screen_of(tty) -> ConsoleScreen:
    screen = _screens.get(tty)
    if screen is None:
        screen = _screens[tty] = ConsoleScreen()
    return screen


def window_resized(tty) -> None:
    """A terminal's new window size: a console whose input mode has ENABLE_WINDOW_INPUT
    gets a WINDOW_BUFFER_SIZE_EVENT with the new buffer size (the window's here), as conhost
    reports a resize in the input buffer (tcell's and crossterm's redraws wait for it)."""
    screen = _screens.get(tty)
    if screen is not None and screen.input_extra & ENABLE_WINDOW_INPUT:
        cols, rows = window_size(tty)
        screen.input_records.append(
            WINDOW_BUFFER_SIZE_RECORD.pack(WINDOW_BUFFER_SIZE_EVENT, cols, rows))


def window_size(tty) -> tuple[int, int]:
    """The console window (and screen buffer): the terminal's (columns, rows)."""
    rows, cols = tty.get_winsize()[:2]
    if not rows or not cols:
        rows, cols = DEFAULT_SIZE
    return cols, rows


def _ansi_colour(bits: int) -> int:
    """Windows' colour bits (blue 1, green 2, red 4) as an ANSI colour number (red 1, green
    2, blue 4)."""
    return (bits & 4) >> 2 | bits & 2 | (bits & 1) << 2


def sgr(attributes: int) -> bytes:
    """SetConsoleTextAttribute's attribute as one SGR sequence. The default grey on black is
    the terminal's own default colours (39, 49), as ConPTY renders it."""
    fg, bg = attributes & 0x0F, attributes >> 4 & 0x0F
    codes = ["0"]
    if fg != DEFAULT_ATTRIBUTES:
        base = 90 if fg & FOREGROUND_INTENSITY else 30
        codes.append(str(base + _ansi_colour(fg)))
    if bg:
        base = 100 if bg & FOREGROUND_INTENSITY else 40
        codes.append(str(base + _ansi_colour(bg)))
    if attributes & COMMON_LVB_UNDERSCORE:
        codes.append("4")
    if attributes & COMMON_LVB_REVERSE_VIDEO:
        codes.append("7")
    return b"\x1b[" + ";".join(codes).encode() + b"m"


def cursor_to(x: int, y: int) -> bytes:
    """A COORD (0-based column, row of the window) as a cursor move."""
    return b"\x1b[%d;%dH" % (y + 1, x + 1)


def fill(x: int, y: int, text: bytes) -> bytes:
    """FillConsoleOutputCharacter: text written at (x, y) with the cursor put back after, as
    the call leaves the cursor where it was."""
    return b"\x1b7" + cursor_to(x, y) + text + b"\x1b8"


def console_mode(f, is_input: bool) -> int | None:
    """The console mode of an open file, or None when it is not a terminal."""
    tty = getattr(f, "tty", None)
    if tty is None:
        return None
    t, screen = tty.get_termios(), screen_of(tty)
    if is_input:
        return sum(mode for mode, flag in INPUT_MODES if t.lflag & flag) | screen.input_extra
    return (ENABLE_PROCESSED_OUTPUT if t.oflag & OPOST else 0) | screen.output_extra


def set_console_mode(f, is_input: bool, mode: int) -> bool:
    """Set a console mode on a terminal; False when f is not one."""
    tty = getattr(f, "tty", None)
    if tty is None:
        return False
    t, screen = tty.get_termios(), screen_of(tty)
    if is_input:
        screen.input_extra = mode & INPUT_MODE_BITS & ~sum(bit for bit, _ in INPUT_MODES)
        for bit, flag in INPUT_MODES:
            t.lflag = t.lflag | flag if mode & bit else t.lflag & ~flag
        # conhost pauses output at Ctrl+S in line input mode alone (inputBuffer.cpp): out
        # of it Ctrl+S and Ctrl+Q are keys (an editor's save and quit), so the terminal's
        # XON/XOFF flow control is off until line input comes back
        if not mode & ENABLE_LINE_INPUT:
            t.cc[VMIN], t.cc[VTIME] = 1, 0     # a read returns once a key is there
            t.iflag &= ~ICRNL                  # ... and Enter is a CR, as conhost gives it
            if t.iflag & IXON:
                screen.flow_control_held = True
                t.iflag &= ~IXON
        else:
            t.iflag |= ICRNL                   # a cooked line ends at Enter
            if screen.flow_control_held:
                screen.flow_control_held = False
                t.iflag |= IXON
    else:
        screen.output_extra = mode & OUTPUT_MODE_BITS & ~ENABLE_PROCESSED_OUTPUT
        t.oflag = t.oflag | OPOST if mode & ENABLE_PROCESSED_OUTPUT else t.oflag & ~OPOST
    tty.set_termios(t, TCSANOW)
    return True
