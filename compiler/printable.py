"""Text from untrusted bytes (a program's interpreter path, a `#!` line, a process's name)
made safe to print on a terminal: control characters are escaped so they cannot move the
cursor, clear the screen or fake another line, and a long text is cut with its length said."""
from __future__ import annotations

import re

MAX_MESSAGE = 2000
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def printable(text: str, limit: int = MAX_MESSAGE) -> str:
    """text with each control character (but tab: a newline too, which would fake a line
    of its own) as \\xNN, at most limit characters of it."""
    if len(text) > limit:
        text = f"{text[:limit]}... ({len(text)} characters)"
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
