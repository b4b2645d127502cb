"""Batch files (.bat, .cmd) as cmd.exe runs them (runtime/win32/cmd.py): a frame per file or
`call :label`, its lines read one at a time, each expanded -- %0 to %9, %*, the tilde forms
(%~1, %~dp0, %~nx1 ...), then the environment -- and run as a command line; labels, `goto`
(and `goto :eof`), `call` of a label or another batch file, `exit /b N`, `shift`, `if` (string
comparison, `exist`, `errorlevel`, `defined`, with `not` and `/i`), `setlocal`/`endlocal` (the
environment and the expansion mode put back at the end of the frame), and echo: with echo on,
each line is shown after cmd's prompt, as cmd does. A line that leaves a block in parentheses
open, or ends in ^, goes on in the next lines (runtime/win32/cmd.py)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

BATCH_EXTENSIONS = (".bat", ".cmd")
ARGUMENT = re.compile(r"%%|%\*|%~([fdpnxsa]*)([0-9])|%([0-9])")


@dataclass
class Frame:
    lines: list                   # the file's lines
    path: str                     # its Windows path (%0's full form)
    args: list                    # %0, %1, ...
    pc: int = 0                   # the next line
    saved: tuple = ((), 0)        # the caller's steps and position, taken up again at the end
    environments: list = field(default_factory=list)    # setlocal's saved environments


def batch_text(p, path: str) -> list[str] | None:
    """A batch file's lines (cmd reads them as the ANSI code page), or None."""
    from .kernel32_files import file_bytes
    data = file_bytes(p, path)
    return None if data is None else data.decode("latin-1").replace("\r\n", "\n").split("\n")


def _tilde(value: str, mods: str, full: str) -> str:
    """%~ modifiers of one argument: no quotes, then d (drive), p (path), n (name), x
    (extension), f (the full path)."""
    value = value.strip('"')
    if not mods:
        return value
    path = full if "f" in mods or "d" in mods or "p" in mods else value
    head, _, leaf = path.replace("/", "\\").rpartition("\\")
    stem, dot, ext = leaf.rpartition(".") if "." in leaf else (leaf, "", "")
    out = ""
    if "f" in mods and not set(mods) & set("dpnx"):
        return path
    if "d" in mods:
        out += path[:2] if path[1:2] == ":" else ""
    if "p" in mods:
        out += (head[2:] if head[1:2] == ":" else head) + "\\"
    if "n" in mods:
        out += stem
    if "x" in mods:
        out += dot + ext
    return out


def expand_arguments(p, frame: Frame, line: str) -> str:
    """%0-%9, %* and %~ forms of the frame's arguments (a missing one is empty)."""
    from .kernel32_files import full_path

    def arg(i: int) -> str:
        return frame.args[i] if i < len(frame.args) else ""

    def one(m) -> str:
        if m.group(0) == "%%":
            return "%%"                 # left for the environment's pass: one % (for's %%x)
        if m.group(0) == "%*":
            return " ".join(frame.args[1:])
        if m.group(3) is not None:
            return arg(int(m.group(3)))
        i = int(m.group(2))
        value = arg(i)
        if i == 0:                      # %0's modifiers are the batch file's own path's
            return _tilde(frame.path if m.group(1) else value, m.group(1), frame.path)
        return _tilde(value, m.group(1), full_path(p, value.strip('"')) if value else "")
    # One pass from the left, as cmd reads a line: `%%4` is a % and a 4, not %4.
    return ARGUMENT.sub(one, line)


def find_label(frame: Frame, label: str) -> int | None:
    """The line after `:label` (any case), or None."""
    words = label.strip().lstrip(":").split()
    want = words[0].lower() if words else ""
    for i, line in enumerate(frame.lines):
        text = line.strip()
        if text.startswith(":") and not text.startswith("::"):
            name = text[1:].split()
            if name and name[0].lower() == want:
                return i + 1
    return None


IF = re.compile(r'\s*(/i\s+)?(not\s+)?(?:(exist)\s+("[^"]*"|\S+)|(errorlevel)\s+(\d+)|'
                r'(defined)\s+(\S+)|("[^"]*"|[^\s=]+)\s*==\s*("[^"]*"|\S+))\s+(.*)',
                re.I | re.S)


def unescape(text: str) -> str:
    """Text with cmd's ^ escapes read (a ^ inside quotes is itself)."""
    return re.sub(r'("[^"]*"?)|\^(.)', lambda m: m.group(1) or m.group(2), text, flags=re.S)


def if_command(p, rest: str, errorlevel: int) -> tuple[bool, str] | None:
    """(whether the condition holds, the command it guards), or None for a form not known."""
    from .kernel32_files import _exists, full_path
    from .kernel32_system import _env_key
    m = IF.match(rest)
    if not m:
        return None
    fold, negate = bool(m.group(1)), bool(m.group(2))
    if m.group(3):
        held = _exists(p, full_path(p, unescape(m.group(4)).strip('"')))
    elif m.group(5):
        held = errorlevel >= int(m.group(6))
    elif m.group(7):
        held = _env_key(p, unescape(m.group(8))) is not None
    else:
        a, b = unescape(m.group(9)), unescape(m.group(10))
        held = a.lower() == b.lower() if fold else a == b
    return held != negate, m.group(11)
