"""Diagnostics: errors with a location, printed as file:line:col with the line and a caret."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:   # compiler.model is not needed to report, and `tblc run` never loads it
    from .model import Span


@dataclass(frozen=True)
class Diagnostic:
    span: Span
    message: str
    severity: str = "error"

    def render(self) -> str:
        s = self.span
        head = f"{s.file}:{s.line}:{s.column}: {self.severity}: {self.message}"
        if not s.text:
            return head
        # the caret under the column, with the line's tabs kept so both indent alike
        lead = "".join("\t" if c == "\t" else " " for c in s.text[:max(s.column, 1) - 1])
        return f"{head}\n    {s.text.rstrip()}\n    {lead}^"


class SpecError(Exception):
    """A spec has errors; .diagnostics lists every one found."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(d.render() for d in diagnostics))


def render_all(diagnostics: list[Diagnostic]) -> str:
    lines = [d.render() for d in diagnostics]
    n = sum(1 for d in diagnostics if d.severity == "error")
    lines.append(f"{n} error{'s' if n != 1 else ''}")
    return "\n".join(lines)
