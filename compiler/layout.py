"""The canonical column layout of a spec: one home for how a table line is written, used by
`tblc import` when it generates a table and by `tblc fmt` when it rewrites one.

    table     linux_x86_64                  key (or %class) in 10 columns, then its values
    #   nr  name   arguments            return   handler
         0  read   (fd fd, ...)      -> ssize    py    # comment

Numbers are right-aligned, names and return types left-aligned, each to the widest in the
file; signatures align `->` up to SIGNATURE_CAP columns and longer ones use one space."""
from __future__ import annotations

from dataclasses import dataclass

SIGNATURE_CAP = 64
KEY_WIDTH = 9          # header keys and %class names, then one space
INDENT = "   "


@dataclass(frozen=True)
class Widths:
    number: int
    name: int
    signature: int
    ret: int

    @classmethod
    def of(cls, rows: list[tuple[str, str, str, str]]) -> "Widths":
        """Column widths for rows of (number, name, signature, return) as written."""
        return cls(max((len(r[0]) for r in rows), default=1),
                   max((len(r[1]) for r in rows), default=4),
                   min(max((len(r[2]) for r in rows), default=2), SIGNATURE_CAP),
                   max((len(r[3]) for r in rows), default=4))


def entry_line(w: Widths, number: str, name: str, signature: str, ret: str, handler: str,
               comment: str = "") -> str:
    line = (f"{INDENT}{number:>{w.number}}  {name:<{w.name}}  {signature:<{w.signature}} -> "
            f"{ret:<{w.ret}}  {handler}")
    if comment:
        line += f"  # {comment}"
    return line.rstrip()


def overlay_line(w: Widths, number: str, name: str, handler: str, comment: str = "") -> str:
    """An overlay's row for a base call: number, name, handler (the base has the rest)."""
    line = f"{INDENT}{number:>{w.number}}  {name:<{w.name}}  {handler}"
    if comment:
        line += f"  # {comment}"
    return line.rstrip()


def name_line(w: Widths, name: str, handler: str, comment: str = "") -> str:
    """A shared row: a call by name (each ABI's base numbers it) and its handler."""
    line = f"{INDENT}{name:<{w.name}}  {handler}"
    if comment:
        line += f"  # {comment}"
    return line.rstrip()


def name_column_header(w: Widths) -> str:
    return f"#  {'name':<{w.name}}  handler"


def overlay_column_header(w: Widths) -> str:
    return f"#  {'nr':>{w.number}}  {'name':<{w.name}}  handler"


def column_header(w: Widths) -> str:
    """The comment line naming the columns, aligned with the entries under it."""
    return (f"#  {'nr':>{w.number}}  {'name':<{w.name}}  {'arguments':<{w.signature}} "
            f"{'return':<{w.ret + 3}}  handler")


def keyed_line(key: str, values: str) -> str:
    """A header line (`args      rdi, rsi`) or a class line (`%memory   mmap, munmap`)."""
    return f"{key:<{KEY_WIDTH}} {values}".rstrip()
