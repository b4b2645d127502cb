"""`tblc diff OLD NEW`: what changed between two generated bases (or any two specs), call by
call, so a user sees what an upgrade of the upstream data does before building with it."""
from __future__ import annotations

from pathlib import Path

from .check import check_base, load_table
from .diagnostics import SpecError
from .overlay import find_version, is_base, resolve, versions
from .textfile import read_text
from .parse import RawEntry, parse_text


class DiffError(Exception):
    def __init__(self, message: str, diagnostics=()):
        super().__init__(message)
        self.diagnostics = list(diagnostics)


def _calls(path: Path) -> dict[str, tuple[str, str]]:
    """Call name -> (number as the file writes it, signature) of a base, overlay or table;
    FILE@VERSION takes a versioned base or overlay at that version."""
    version = None
    if not path.exists() and "@" in str(path):
        name, _, version = str(path).rpartition("@")
        path = Path(name)
    try:
        text = read_text(path)
    except OSError as exc:
        raise DiffError(f"cannot read {path}: {exc.strerror or exc}") from None
    raw = parse_text(text, str(path))
    if is_base(raw):
        diags = check_base(raw, text)
        if diags:
            raise DiffError(f"{path} has errors", diags)
        available = versions(raw)
        if version is not None or available:
            chosen = find_version(version or "", available)
            if chosen is None:
                raise DiffError(f"{path}: name a version, FILE@VERSION, one of: "
                                + ", ".join(repr(v) for v in available))
            return {e.name: (f"{e.number:#06x}", _signature(e))
                    for e in resolve(raw, chosen).entries}
        return {e.name: (_number(e), _signature(e)) for e in raw.entries}
    try:
        table = load_table(path, check_python=False, target=version)
    except SpecError as exc:
        raise DiffError(f"{path} has errors", exc.diagnostics) from None
    if version is not None and table.version is None:
        raise DiffError(f"{path} has no versions")
    return {e.name: (str(e.number) if not table.versions else f"{e.number:#06x}",
                     e.signature()) for e in table.entries}


def _number(e: RawEntry) -> str:
    return e.span.text.split()[0]


def _signature(e: RawEntry) -> str:
    return f"{e.name}(" + ", ".join(f"{a.type} {a.name}" for a in e.args) + f") -> {e.ret}"


def diff_bases(old: Path, new: Path) -> list[str]:
    """One line per change: added, removed, renumbered, and changed signatures."""
    a, b = _calls(old), _calls(new)
    lines = []
    for name in sorted(b.keys() - a.keys(), key=lambda n: _key(b[n][0])):
        lines.append(f"added       {b[name][0]:>8}  {name}")
    for name in sorted(a.keys() - b.keys(), key=lambda n: _key(a[n][0])):
        lines.append(f"removed     {a[name][0]:>8}  {name}")
    for name in sorted(a.keys() & b.keys(), key=lambda n: _key(b[n][0])):
        if a[name][0] != b[name][0] and _key(a[name][0]) != _key(b[name][0]):
            lines.append(f"renumbered  {a[name][0]:>8} -> {b[name][0]}  {name}")
    for name in sorted(a.keys() & b.keys(), key=lambda n: _key(b[n][0])):
        if a[name][1] != b[name][1]:
            lines.append(f"signature   {b[name][0]:>8}  {a[name][1]}  =>  {b[name][1]}")
    return lines


def _key(number: str) -> int:
    return int(number, 0)
