"""`tblc fmt`: rewrite a spec in the canonical column layout (compiler/layout.py).

Idempotent, and nothing but layout changes: comment lines are kept as written, a trailing
comment stays where it was when there is room, the column-names comment is redrawn to the
new widths. A file with a syntax error is not touched."""
from __future__ import annotations

import re

from .diagnostics import Diagnostic
from .layout import (Widths, column_header, entry_line, keyed_line, name_column_header,
                     name_line, overlay_column_header, overlay_line)
from .parse import RawSpec, _Builder, _parser, parse_text

_COLUMN_HEADER = re.compile(r"#\s+nr\s+name\s+arguments\s+return\s+handler\s*")
_OVERLAY_HEADER = re.compile(r"#\s+nr\s+name\s+handler\s*")
_NAME_HEADER = re.compile(r"#\s+name\s+handler\s*")


def _one_line(line: str, lineno: int, file: str) -> RawSpec:
    """The raw items of one line that parses (parse_text has already vouched for it)."""
    spec = RawSpec(file)
    _Builder(spec, file, lineno, line).line(_parser().parse(line))
    return spec


def _header_values(code: str, key: str) -> str:
    values = []
    for value in re.findall(r'\s*("[^"]*"|[^,]+)', code[len(key):]):
        if value.startswith('"'):     # a file or version name: as written
            values.append(value)
            continue
        value = " ".join(value.split())
        value = re.sub(r"\s*=\s*", " = ", value)
        value = re.sub(r"\s*\(\s*", "(", value)
        value = re.sub(r"\s*\)", ")", value)
        value = re.sub(r"\s*\+\s*", "+", value)
        values.append(value)
    return ", ".join(values)


def _with_comment(code: str, line: str) -> str:
    """CODE plus LINE's trailing comment, at the comment's old column when there is room."""
    column = line.find("#")
    if column < 0:
        return code
    comment = line[column:].rstrip()
    gap = column - len(code) if column - len(code) >= 2 else 2
    return code + " " * gap + comment


def format_text(text: str, file: str = "<spec>") -> tuple[str | None, list[Diagnostic]]:
    """The canonical text of a spec, or None and the syntax errors that prevent it."""
    raw = parse_text(text, file)
    if raw.diagnostics:
        return None, raw.diagnostics
    lines = text.splitlines()
    items: dict[int, RawSpec] = {}
    rows = []
    for lineno, line in enumerate(lines, start=1):
        if not line.split("#", 1)[0].strip():
            continue
        item = items[lineno] = _one_line(line, lineno, file)
        for e in item.entries:
            rows.append(("" if e.named else line.split()[0], e.name,
                         "" if e.short else _signature(e),
                         "" if e.short else str(e.ret)))
    widths = Widths.of(rows)
    out = []
    for lineno, line in enumerate(lines, start=1):
        item = items.get(lineno)
        if item is None:   # blank or a comment line
            if _COLUMN_HEADER.fullmatch(line.strip()):
                line = column_header(widths)
            elif _OVERLAY_HEADER.fullmatch(line.strip()):
                line = overlay_column_header(widths)
            elif _NAME_HEADER.fullmatch(line.strip()):
                line = name_column_header(widths)
            out.append(line.rstrip())
            continue
        code = line.split("#", 1)[0].strip()
        if item.entries:
            e = item.entries[0]
            comment = line.split("#", 1)[1].strip() if "#" in line else ""
            if e.named:
                out.append(name_line(widths, e.name, str(e.handler), comment))
                continue
            if e.short:
                out.append(overlay_line(widths, code.split()[0], e.name, str(e.handler), comment))
                continue
            handler = str(e.handler) + (f' "{e.export}"' if e.export else "")
            out.append(entry_line(widths, code.split()[0], e.name, _signature(e), str(e.ret),
                                  handler, comment))
        elif item.headers:
            key = item.headers[0].key
            out.append(_with_comment(keyed_line(key, _header_values(code, key)), line))
        elif item.classes:
            c = item.classes[0]
            calls = ", ".join(("!" if r.remove else "") + r.name for r in c.calls)
            out.append(_with_comment(keyed_line("%" + c.cls, calls), line))
        else:
            a = item.aliases[0]
            out.append(_with_comment(f"type {a.name} = {a.type}", line))
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n", []


def _signature(entry) -> str:
    return "(" + ", ".join(f"{a.type} {a.name}" for a in entry.args) + ")"
