"""`tblc import`: generate a table spec from public system-call data.

Call numbers come from the systems' own lists (asm/unistd_*.h for Linux, the per-version NT
tables in nt-syscalls-*.csv); signatures come from tables/prototypes/*.txt. The handler column
is the one part of a generated table a person edits, so every import carries it over, by call
name, from the table being replaced, with the comment that gives a `fail` handler's reason.
Pure Python: no lark, no unicorn."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from .layout import SIGNATURE_CAP, Widths, column_header, entry_line  # noqa: F401 (SIGNATURE_CAP)

LINUX_HEADERS_DIR = Path("/usr/include/x86_64-linux-gnu/asm")
PROTOTYPES_DIR = "prototypes"
UNKNOWN_SIGNATURE = "signature unknown: add it to tables/prototypes/"


class TableImportError(Exception):
    """The source data cannot produce a table: a missing file, an unknown column, a bad line."""


# --- the bundled tables and where their data comes from -------------------------------------

LINUX_X86_64_HEADER = """\
table     linux_x86_64
platform  linux_x86_64
arch      x86_64
gate      syscall
# rcx and r11 are "destroyed by the kernel" in the x86-64 ABI, so by default the trap leaves
# them as they were. Uncomment for the values a real kernel's sysret leaves there (return
# address, rflags); it slows the C trap path by a third or more (bench/README.md):
# leaves    rcx = return, r11 = flags
number    eax
args      rdi, rsi, rdx, r10, r8, r9
return    rax
errors    errno
handlers  runtime.linux
"""

LINUX_I386_HEADER = """\
table     linux_i386
platform  linux_i386
arch      i386
gate      int 0x80
number    eax
args      ebx, ecx, edx, esi, edi, ebp
return    eax
errors    errno
handlers  runtime.linux
"""

NT_X86_HEADER = """\
table     nt_x86
platform  nt_x86
arch      i386
gate      int 0x2e
number    eax
args      stack(edx)
return    eax
errors    ntstatus
handlers  runtime.nt
shadow    win32_x86                 # numbers with bit 12 set: kernel32/msvcrt (tables/win32_x86.tbl)
"""

NT_X64_HEADER = """\
table     nt_x64
platform  nt_x64
arch      x86_64
gate      syscall
# rcx and r11 are "destroyed by the kernel" in the x86-64 ABI, so by default the trap leaves
# them as they were. Uncomment for the values a real kernel's sysret leaves there (return
# address, rflags); it slows the C trap path by a third or more (bench/README.md):
# leaves    rcx = return, r11 = flags
number    eax
args      r10, rdx, r8, r9, stack(rsp+0x28)
return    rax
errors    ntstatus
handlers  runtime.nt
shadow    win32_x64                 # numbers with bit 12 set: kernel32/msvcrt (tables/win32_x64.tbl)
"""


@dataclass(frozen=True)
class TableSource:
    """How to regenerate one bundled table: its header and the file its numbers come from."""

    kind: str                   # "linux" or "nt": also the prototypes file's name
    header: str
    source: str                 # unistd_*.h under LINUX_HEADERS_DIR, or a CSV in the data dir
    column: str | None = None   # NT: the Windows version column used by default


SOURCES = {
    "linux_x86_64": TableSource("linux", LINUX_X86_64_HEADER, "unistd_64.h"),
    "linux_i386": TableSource("linux", LINUX_I386_HEADER, "unistd_32.h"),
    "nt_x86": TableSource("nt", NT_X86_HEADER, "nt-syscalls-x86.csv", "Windows 2000 (SP4)"),
    "nt_x64": TableSource("nt", NT_X64_HEADER, "nt-syscalls-x64.csv", "Windows 7 (SP1)"),
}



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
    handler: str
    comment: str = ""


_PROTOTYPE = re.compile(r"(?P<name>\w+)(?:@(?P<arch>\w+))?\s*(?P<args>\(.*\))\s*->\s*(?P<ret>\w+)$")
_UNISTD = re.compile(r"^#define\s+__NR_(\w+)\s+(\d+)\s*$", re.M)
_TABLE_ENTRY = re.compile(r"^\s*(?:0[xX][0-9a-fA-F]+|\d+)\s+(\w+)\s*\(.*\)\s*->\s*\S+\s+"
                          r"(\S+(?:\s+\w+)?)\s*$")
_HANDLER = re.compile(r"-|(?:c|py)(?::\w+)?|fail \w+")


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


def header_value(header: str, key: str) -> str | None:
    """The single word after KEY in a table header block, or None."""
    for line in header.splitlines():
        words = _split_comment(line)[0].split()
        if len(words) == 2 and words[0] == key:
            return words[1]
    return None


def header_arch(header: str) -> str:
    """The `arch` value of a table header block."""
    arch = header_value(header, "arch")
    if arch is None:
        raise TableImportError("the table header has no 'arch' line")
    return arch


def existing_handlers(table_text: str | None) -> dict[str, str]:
    """The handler column of an existing table, by call name."""
    return {name: handler for name, (handler, _) in _existing_lines(table_text).items()}


def existing_reasons(table_text: str | None) -> dict[str, str]:
    """The comments of an existing table's `fail` lines (why the call fails so), by call name."""
    return {name: comment for name, (handler, comment) in _existing_lines(table_text).items()
            if handler.startswith("fail ") and comment}


def _existing_lines(table_text: str | None) -> dict[str, tuple[str, str]]:
    lines: dict[str, tuple[str, str]] = {}
    for line in (table_text or "").splitlines():
        code, comment = _split_comment(line)
        m = _TABLE_ENTRY.match(code)
        handler = " ".join(m[2].split()) if m else ""
        if m and _HANDLER.fullmatch(handler):
            lines[m[1]] = (handler, comment)
    return lines


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


# --- building and rendering a table --------------------------------------------------------

def build_calls(numbers: dict[str, int], prototypes: dict[str, Prototype],
                handlers: dict[str, str], prototypes_file: str,
                reasons: dict[str, str] | None = None) -> list[Call]:
    """One Call per numbered name, sorted by number; unknown signatures become `()`."""
    calls = []
    for name, number in numbers.items():
        proto = prototypes.get(name)
        if proto is None:
            proto = Prototype(name, "()", "long", UNKNOWN_SIGNATURE + prototypes_file)
        calls.append(Call(number, name, proto.args, proto.ret, handlers.get(name, "-"),
                          (reasons or {}).get(name, proto.comment)))
    return sorted(calls, key=lambda c: (c.number, c.name))


def render(header: str, notes: list[str], calls: list[Call], hex_numbers: bool = False) -> str:
    """The .tbl text: header, a generated-file note, then one aligned line per call."""
    numbers = [f"{c.number:#06x}" if hex_numbers else str(c.number) for c in calls]
    widths = Widths.of([(n, c.name, c.args, c.ret) for n, c in zip(numbers, calls)])
    lines = [header.rstrip("\n"), ""]
    lines += [f"# {note}" for note in notes]
    lines.append(column_header(widths))
    for number, c in zip(numbers, calls):
        lines.append(entry_line(widths, number, c.name, c.args, c.ret, c.handler, c.comment))
    return "\n".join(lines) + "\n"


def _notes(header: str, source: str, prototypes_file: str) -> list[str]:
    """The comment that opens a generated table: how it was made, what may be edited."""
    table = header_value(header, "table") or "TABLE"
    return [f"Generated by `tblc import {table}` from {source}",
            f"with signatures from tables/prototypes/{prototypes_file}.",
            "The header lines and the handler column are hand-edited and preserved on "
            "re-import; the rest is regenerated."]


def _source_file(kind: str, arch: str, default: str) -> str:
    """The file a bundled KIND table for ARCH is generated from, for the generated-file note."""
    for spec in SOURCES.values():
        if spec.kind == kind and header_value(spec.header, "arch") == arch:
            return spec.source
    return default


def import_linux(unistd_header_text: str, prototypes_text: str, header: str,
                 existing_table_text: str | None) -> str:
    """A Linux table from asm/unistd_*.h numbers and linux.txt prototypes."""
    arch = header_arch(header)
    calls = build_calls(linux_numbers(unistd_header_text), parse_prototypes(prototypes_text, arch),
                        existing_handlers(existing_table_text), "linux.txt",
                        existing_reasons(existing_table_text))
    source = "asm/" + _source_file("linux", arch, "unistd.h")
    return render(header, _notes(header, source, "linux.txt"), calls)


def import_nt(csv_text: str, column: str, prototypes_text: str, header: str,
              existing_table_text: str | None) -> str:
    """An NT table from one version column of nt-syscalls-*.csv and nt.txt prototypes."""
    arch = header_arch(header)
    calls = build_calls(nt_numbers(csv_text, column), parse_prototypes(prototypes_text, arch),
                        existing_handlers(existing_table_text), "nt.txt",
                        existing_reasons(existing_table_text))
    source = f"{_source_file('nt', arch, 'the NT syscall CSV')} column {column!r}"
    return render(header, _notes(header, source, "nt.txt"), calls, hex_numbers=True)


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
               column: str | None = None) -> str:
    """The text of bundled table TABLE_NAME rebuilt from its sources, handlers kept."""
    spec = SOURCES.get(table_name)
    if spec is None:
        raise TableImportError(f"no bundled table '{table_name}' to import "
                               f"(known: {', '.join(sorted(SOURCES))})")
    tables_dir = Path(tables_dir)
    prototypes = _read(tables_dir / PROTOTYPES_DIR / f"{spec.kind}.txt", "prototypes file")
    table_path = tables_dir / f"{table_name}.tbl"
    existing = table_path.read_text(encoding="utf-8") if table_path.is_file() else None
    header = existing_header(existing, table_name) or spec.header
    if spec.kind == "linux":
        unistd = _read(LINUX_HEADERS_DIR / spec.source,
                       "Linux syscall header (package linux-libc-dev)")
        return import_linux(unistd, prototypes, header, existing)
    data_dir = Path(shared_data_dir) if shared_data_dir else default_data_dir()
    csv_text = _read(data_dir / spec.source, "NT syscall table")
    return import_nt(csv_text, column or spec.column, prototypes, header, existing)


def existing_header(table_text: str | None, table_name: str) -> str | None:
    """The header block of an existing table file (everything before its generated-file note),
    so hand edits such as a `leaves` line survive a re-import; None when there is none that
    names this table."""
    if not table_text:
        return None
    marker = f"# Generated by `tblc import {table_name}`"
    head, found, _ = table_text.partition(marker)
    if not found or header_value(head, "table") != table_name:
        return None
    return head.rstrip("\n") + "\n"
