"""Windows console modes on a terminal of the machine: GetConsoleMode/SetConsoleMode of a
PE program's standard handles read and set the same termios fields a Linux program would
(line input is ICANON, echo input ECHO, processed input ISIG, processed output OPOST)."""
from __future__ import annotations

from .abi import ECHO, ICANON, ISIG, OPOST, VMIN, VTIME

ENABLE_PROCESSED_INPUT, ENABLE_LINE_INPUT, ENABLE_ECHO_INPUT = 0x1, 0x2, 0x4
ENABLE_PROCESSED_OUTPUT, ENABLE_WRAP_AT_EOL_OUTPUT = 0x1, 0x2
INPUT_MODES = ((ENABLE_PROCESSED_INPUT, ISIG), (ENABLE_LINE_INPUT, ICANON),
               (ENABLE_ECHO_INPUT, ECHO))
TCSANOW = 0


def console_mode(f, is_input: bool) -> int | None:
    """The console mode of an open file, or None when it is not a terminal."""
    tty = getattr(f, "tty", None)
    if tty is None:
        return None
    t = tty.get_termios()
    if is_input:
        return sum(mode for mode, flag in INPUT_MODES if t.lflag & flag)
    return (ENABLE_PROCESSED_OUTPUT if t.oflag & OPOST else 0) | ENABLE_WRAP_AT_EOL_OUTPUT


def set_console_mode(f, is_input: bool, mode: int) -> bool:
    """Set a console mode on a terminal; False when f is not one."""
    tty = getattr(f, "tty", None)
    if tty is None:
        return False
    t = tty.get_termios()
    if is_input:
        for bit, flag in INPUT_MODES:
            t.lflag = t.lflag | flag if mode & bit else t.lflag & ~flag
        if not mode & ENABLE_LINE_INPUT:
            t.cc[VMIN], t.cc[VTIME] = 1, 0     # a read returns once a key is there
    else:
        t.oflag = t.oflag | OPOST if mode & ENABLE_PROCESSED_OUTPUT else t.oflag & ~OPOST
    tty.set_termios(t, TCSANOW)
    return True
