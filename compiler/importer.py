"""`tblc import`: generate a table spec from public system-call data.

Call numbers come from the systems' own lists (asm/unistd_*.h for Linux, the per-version NT
tables in nt-syscalls-*.csv); signatures come from tables/prototypes/*.txt. An import writes
only a generated base (tables/base/TABLE.tbl), sealed with its content hash; everything a
person decides lives in the overlay that names the base (compiler/overlay.py), which an import
never touches. Pure Python: no lark, no unicorn."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from .layout import SIGNATURE_CAP, Widths, column_header, entry_line, keyed_line  # noqa: F401
from .seal import content_hash


def format_versioned(numbers) -> str:
    """`[-*11,0xed*5,0x112]`: a number (or - for none) per version, runs as VALUE*COUNT."""
    runs: list[list] = []
    for n in numbers:
        if runs and runs[-1][0] == n:
            runs[-1][1] += 1
        else:
            runs.append([n, 1])
    return "[" + ",".join(("-" if n is None else f"{n:#x}") + (f"*{c}" if c > 1 else "")
                          for n, c in runs) + "]"

LINUX_HEADERS_DIR = Path("/usr/include/x86_64-linux-gnu/asm")
PROTOTYPES_DIR = "prototypes"
UNKNOWN_SIGNATURE = "signature unknown: add it to tables/prototypes/"


class TableImportError(Exception):
    """The source data cannot produce a table: a missing file, an unknown column, a bad line."""


# --- the bundled tables and where their data comes from -------------------------------------

@dataclass(frozen=True)
class TableSource:
    """How to regenerate one bundled table: its header and the file its numbers come from."""

    kind: str                   # "linux" or "nt": also the prototypes file's name
    arch: str
    source: str                 # unistd_*.h under LINUX_HEADERS_DIR, or a CSV in the data dir


SOURCES = {
    "linux_x86_64": TableSource("linux", "x86_64", "unistd_64.h"),
    "linux_i386": TableSource("linux", "i386", "unistd_32.h"),
    "nt_x86": TableSource("nt", "i386", "nt-syscalls-x86.csv"),
    "nt_x64": TableSource("nt", "x86_64", "nt-syscalls-x64.csv"),
}
BASE_DIR = "base"
VERSIONS_PER_LINE = 4

# --- the pieces of a table line ------------------------------------------------------------

@dataclass(frozen=True)
class Prototype:
    """One prototypes-file line: `name (args) -> ret  # comment`."""

    name: str
    args: str                   # the parenthesised argument list, as written
    ret: str
    comment: str = ""


@dataclass(frozen=True)
class Call:
    """One generated table line."""

    number: int
    name: str
    args: str
    ret: str
    comment: str = ""
    numbers: tuple | None = None     # a versioned base: the number in each version, or None


_PROTOTYPE = re.compile(r"(?P<name>\w+)(?:@(?P<arch>\w+))?\s*(?P<args>\(.*\))\s*->\s*(?P<ret>\w+)$")
_UNISTD = re.compile(r"^#define\s+__NR_(\w+)\s+(\d+)\s*$", re.M)


def _split_comment(line: str) -> tuple[str, str]:
    """The code part of a line and its trailing comment, both stripped."""
    code, _, comment = line.partition("#")
    return code.strip(), comment.strip()


def parse_prototypes(text: str, arch: str | None = None) -> dict[str, Prototype]:
    """Prototypes by name; a `name@ARCH` line replaces `name` when ARCH is the given arch."""
    plain: dict[str, Prototype] = {}
    special: dict[str, Prototype] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        code, comment = _split_comment(line)
        if not code:
            continue
        m = _PROTOTYPE.match(code)
        if not m:
            raise TableImportError(f"prototypes line {lineno}: expected 'name (args) -> ret', "
                                   f"got {code!r}")
        target = plain if m["arch"] is None else special
        key = m["name"] if m["arch"] is None else f"{m['name']}@{m['arch']}"
        if key in target:
            raise TableImportError(f"prototypes line {lineno}: '{key}' is given twice")
        target[key] = Prototype(m["name"], m["args"], m["ret"], comment)
    for key, proto in special.items():
        if key == f"{proto.name}@{arch}":
            plain[proto.name] = proto
    return plain


# --- numbers from the sources --------------------------------------------------------------

def linux_numbers(unistd_header_text: str) -> dict[str, int]:
    """`#define __NR_name N` lines of asm/unistd_64.h or unistd_32.h."""
    numbers = {name: int(n) for name, n in _UNISTD.findall(unistd_header_text)}
    if not numbers:
        raise TableImportError("no '#define __NR_name N' lines in the unistd header")
    return numbers


def _csv_rows(csv_text: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(csv_text)))
    if not rows:
        raise TableImportError("the NT syscall CSV is empty")
    return rows


def nt_columns(csv_text: str) -> list[str]:
    """The Windows version columns of an nt-syscalls CSV."""
    return _csv_rows(csv_text)[0][1:]


def nt_numbers(csv_text: str, column: str) -> dict[str, int]:
    """One version column of an nt-syscalls CSV: service name -> number, empty cells skipped."""
    header, *rows = _csv_rows(csv_text)
    if column not in header[1:]:
        raise TableImportError(f"no column {column!r} in the NT syscall CSV; available columns: "
                               + ", ".join(repr(c) for c in header[1:]))
    index = header.index(column)
    numbers = {}
    for row in rows:
        cell = row[index].strip() if len(row) > index else ""
        if not cell:
            continue
        try:
            numbers[row[0]] = int(cell, 16)
        except ValueError:
            raise TableImportError(f"{row[0]}: column {column!r} holds {cell!r}, "
                                   "not a hex number") from None
    return numbers


# --- building and rendering a base --------------------------------------------------------

def build_calls(numbers: dict[str, int], prototypes: dict[str, Prototype],
                prototypes_file: str) -> list[Call]:
    """One Call per numbered name, sorted by number; unknown signatures become `()`."""
    calls = []
    for name, number in numbers.items():
        proto = prototypes.get(name)
        if proto is None:
            proto = Prototype(name, "()", "long", UNKNOWN_SIGNATURE + prototypes_file)
        calls.append(Call(number, name, proto.args, proto.ret, proto.comment))
    return sorted(calls, key=lambda c: (c.number, c.name))


def render_base(table: str, source: str, prototypes_file: str, calls: list[Call],
                hex_numbers: bool = False, versions: list[str] | None = None) -> str:
    """A generated base: how it was made, `generated` and its seal, one aligned line per call
    (no handler: those are the overlay's); with VERSIONS, one number per version per call."""
    numbers = [format_versioned(c.numbers) if versions else
               f"{c.number:#06x}" if hex_numbers else str(c.number) for c in calls]
    widths = Widths.of([(n, c.name, c.args, c.ret) for n, c in zip(numbers, calls)])
    lines = [f"# Generated by `tblc import {table}` from {source}",
             f"# with signatures from tables/prototypes/{prototypes_file}.",
             "# Do not edit: re-run the import. Header lines, handlers, policies, trace classes and",
             f"# extra calls go in the overlay, tables/{table}.tbl, which names this file as its base.",
             keyed_line("generated", table)]
    for i in range(0, len(versions or ()), VERSIONS_PER_LINE):
        lines.append(keyed_line("versions", ", ".join(f'"{v}"' for v in
                                                        versions[i:i + VERSIONS_PER_LINE])))
    lines += [keyed_line("hash", '"HASH"'),
             "",
             column_header(widths)]
    for number, c in zip(numbers, calls):
        lines.append(entry_line(widths, number, c.name, c.args, c.ret, "-", c.comment))
    text = "\n".join(lines) + "\n"
    return text.replace('"HASH"', f'"{content_hash(text)}"', 1)


def _source_file(kind: str, arch: str, default: str) -> str:
    """The file a bundled KIND table for ARCH is generated from, for the generated-file note."""
    for spec in SOURCES.values():
        if spec.kind == kind and spec.arch == arch:
            return spec.source
    return default


def import_linux(unistd_header_text: str, prototypes_text: str, table: str, arch: str) -> str:
    """A Linux base from asm/unistd_*.h numbers and linux.txt prototypes."""
    calls = build_calls(linux_numbers(unistd_header_text), parse_prototypes(prototypes_text, arch),
                        "linux.txt")
    source = "asm/" + _source_file("linux", arch, "unistd.h")
    return render_base(table, source, "linux.txt", calls)


def import_nt_versions(csv_text: str, columns: list[str], prototypes_text: str, table: str,
                       arch: str) -> str:
    """One NT base for several versions (columns) of nt-syscalls-*.csv: each call with its
    number in every version, `-` where that version lacks it; calls by name."""
    per_version = [nt_numbers(csv_text, column) for column in columns]
    prototypes = parse_prototypes(prototypes_text, arch)
    calls = []
    for name in sorted(set().union(*per_version)):
        proto = prototypes.get(name) or Prototype(name, "()", "long", UNKNOWN_SIGNATURE + "nt.txt")
        calls.append(Call(-1, name, proto.args, proto.ret, proto.comment,
                          tuple(v.get(name) for v in per_version)))
    source = f"{_source_file('nt', arch, 'the NT syscall CSV')}, {len(columns)} versions"
    return render_base(table, source, "nt.txt", calls, versions=columns)


def import_nt(csv_text: str, column: str, prototypes_text: str, table: str, arch: str) -> str:
    """An NT base from one version column of nt-syscalls-*.csv and nt.txt prototypes."""
    calls = build_calls(nt_numbers(csv_text, column), parse_prototypes(prototypes_text, arch),
                        "nt.txt")
    source = f"{_source_file('nt', arch, 'the NT syscall CSV')} column {column!r}"
    return render_base(table, source, "nt.txt", calls, hex_numbers=True)


# --- regenerating a bundled table ----------------------------------------------------------

def _read(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TableImportError(f"cannot read {what} {path}: {exc.strerror or exc}") from None


def default_data_dir() -> Path:
    """../shared/data beside the repository, where the NT CSV files live."""
    return Path(__file__).resolve().parents[2] / "shared" / "data"


def regenerate(table_name: str, tables_dir: Path, shared_data_dir: Path | None = None,
               column: str | list[str] | None = None) -> str:
    """The generated base of bundled table TABLE_NAME, rebuilt from its sources. NT: one
    version COLUMN, several (a versioned base), or, with none, every version of the data."""
    spec = SOURCES.get(table_name)
    if spec is None:
        raise TableImportError(f"no bundled table '{table_name}' to import "
                               f"(known: {', '.join(sorted(SOURCES))})")
    prototypes = _read(Path(tables_dir) / PROTOTYPES_DIR / f"{spec.kind}.txt", "prototypes file")
    if spec.kind == "linux":
        unistd = _read(LINUX_HEADERS_DIR / spec.source,
                       "Linux syscall header (package linux-libc-dev)")
        return import_linux(unistd, prototypes, table_name, spec.arch)
    data_dir = Path(shared_data_dir) if shared_data_dir else default_data_dir()
    csv_text = _read(data_dir / spec.source, "NT syscall table")
    columns = [column] if isinstance(column, str) else list(column or nt_columns(csv_text))
    if len(columns) == 1:
        return import_nt(csv_text, columns[0], prototypes, table_name, spec.arch)
    return import_nt_versions(csv_text, columns, prototypes, table_name, spec.arch)


def base_path(tables_dir: Path, table_name: str) -> Path:
    """Where `tblc import` writes TABLE_NAME's base."""
    return Path(tables_dir) / BASE_DIR / f"{table_name}.tbl"
