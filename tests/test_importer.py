"""`tblc import`: the bundled tables' bases are generated, not typed.

Regenerating each base from its sources gives the committed text byte for byte; the overlay a
person writes survives a re-import byte for byte; the prototypes cover every call the sources
number."""
from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from sysvec.compiler.check import check_file
from sysvec.compiler.check import load_table
from sysvec.compiler.importer import (LINUX_HEADERS_DIR, SIGNATURE_CAP, TableImportError, base_path,
                               import_linux, import_nt, linux_numbers, nt_numbers,
                               parse_prototypes, regenerate)
from sysvec.compiler.seal import content_hash

from conftest import tblc

from conftest import IN_CI

REPO = Path(__file__).resolve().parents[1]
TABLES = REPO / "tables"
PROTOTYPES = TABLES / "prototypes"
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

LINUX_TABLES = {"linux_x86_64": ("unistd_64.h", "x86_64"), "linux_i386": ("unistd_32.h", "i386")}
NT_TABLES = {"nt_x86": ("nt-syscalls-x86.csv", "Windows 2000 (SP4)", "i386"),
             "nt_x64": ("nt-syscalls-x64.csv", "Windows 7 (SP1)", "x86_64")}

# In CI both sources are there (scripts/setup installs linux-libc-dev; CI lays shared/ beside
# the clone): there the tests run, and fail if a source is missing, instead of skipping.
needs_headers = pytest.mark.skipif(
    not IN_CI and not (LINUX_HEADERS_DIR / "unistd_64.h").is_file(),
    reason=f"no {LINUX_HEADERS_DIR}/unistd_64.h (install linux-libc-dev)")
needs_nt_data = pytest.mark.skipif(
    not IN_CI and not DATA.is_dir(),
    reason=f"no NT syscall data at {DATA} (../shared/data beside the repo)")

_ENTRY = re.compile(r"^\s+(0x[0-9a-f]+|\d+|\[[^\]\s]*\])\s+(\w+)\s+(\(.*?\))\s*->\s*(\w+)\s+(\S+)")


def entries(table_text: str) -> dict[str, tuple[int, str, str, str]]:
    """Call name -> (number, arguments, return, handler) of a generated table."""
    found = {}
    for line in table_text.splitlines():
        m = _ENTRY.match(line)
        if m:
            found[m[2]] = (m[1] if m[1].startswith("[") else int(m[1], 0), m[3], m[4], m[5])
    return found


def csv_column(csv_name: str, column: str) -> dict[str, int]:
    with open(DATA / csv_name, newline="") as f:
        return {row["System call"]: int(row[column], 16) for row in csv.DictReader(f)
                if row[column].strip()}


# --- the committed tables are exactly what the importer produces ---------------------------

@needs_headers
@pytest.mark.parametrize("table", sorted(LINUX_TABLES))
def test_linux_table_is_regenerated_byte_for_byte_from_unistd_header(table):
    committed = base_path(TABLES, table).read_text()
    assert regenerate(table, TABLES) == committed, (
        f"tables/base/{table}.tbl differs from its sources: run `tblc import {table}`")


@needs_nt_data
@pytest.mark.parametrize("table", sorted(NT_TABLES))
def test_nt_table_is_regenerated_byte_for_byte_from_csv(table):
    committed = base_path(TABLES, table).read_text()
    assert regenerate(table, TABLES, DATA) == committed, (
        f"tables/base/{table}.tbl differs from its sources: run `tblc import {table}`")


@pytest.mark.parametrize("table", sorted(LINUX_TABLES) + sorted(NT_TABLES))
def test_committed_table_passes_the_spec_checker(table):
    assert check_file(TABLES / f"{table}.tbl", check_python=False) == []
    assert check_file(base_path(TABLES, table), check_python=False) == []


# --- the overlay is the hand-edited part ---------------------------------------------------

UNISTD = "#define __NR_read 0\n#define __NR_write 1\n#define __NR_getpid 39\n"
PROTOS = ("read (fd fd, out[ret] buf, size count) -> ssize\n"
          "write (fd fd, in[count] buf, size count) -> ssize\n"
          "getpid () -> pid\n")
OVERLAY = """table     linux_x86_64
base      "base/linux_x86_64.tbl"
arch      x86_64
gate      syscall
number    eax
args      rdi, rsi, rdx, r10, r8, r9
return    rax
errors    errno
handlers  sysvec.runtime.linux
%process  getpid

#  nr  name    handler
    0  read    py
   39  getpid  fail EPERM  # no process ids here
"""


@needs_headers
@pytest.mark.parametrize("table", sorted(LINUX_TABLES))
def test_overlay_survives_tblc_import_byte_for_byte(tmp_path, table):
    shutil.copytree(TABLES, tmp_path / "tables")
    overlay = tmp_path / "tables" / f"{table}.tbl"
    before = overlay.read_bytes()
    base = base_path(tmp_path / "tables", table)
    base.write_text("stale\n")
    res = tblc("import", table, "--tables-dir", tmp_path / "tables")
    assert res.returncode == 0, res.stderr
    assert overlay.read_bytes() == before
    assert base.read_text() == base_path(TABLES, table).read_text()
    merged = load_table(overlay, check_python=False)
    assert {e.name: str(e.handler) for e in merged.entries}["name_to_handle_at"] == \
        "fail EOPNOTSUPP"


def test_reimport_with_newer_upstream_data_keeps_the_overlay_and_its_effect(tmp_path):
    (tmp_path / "base").mkdir()
    overlay = tmp_path / "linux_x86_64.tbl"
    overlay.write_text(OVERLAY)
    base = tmp_path / "base" / "linux_x86_64.tbl"
    base.write_text(import_linux(UNISTD, PROTOS, "linux_x86_64", "x86_64"))
    first = {e.name: (e.number, str(e.handler), e.classes) for e in load_table(overlay, False).entries}
    assert first["getpid"] == (39, "fail EPERM", ("process",))
    newer = UNISTD + "#define __NR_brand_new 451\n"
    base.write_text(import_linux(newer, PROTOS, "linux_x86_64", "x86_64"))
    again = {e.name: (e.number, str(e.handler), e.classes) for e in load_table(overlay, False).entries}
    assert overlay.read_text() == OVERLAY
    assert again == {**first, "brand_new": (451, "-", ())}


def test_generated_base_says_how_it_was_made_and_is_sealed():
    text = import_linux(UNISTD, PROTOS, "linux_x86_64", "x86_64")
    assert text.startswith("# Generated by `tblc import linux_x86_64` from asm/unistd_64.h\n")
    assert "Do not edit" in text and "tables/linux_x86_64.tbl" in text
    assert f'hash      "{content_hash(text)}"' in text
    assert entries(text)["getpid"] == (39, "()", "pid", "-")


def test_call_without_prototype_gets_empty_signature_and_a_note():
    text = import_linux(UNISTD + "#define __NR_brand_new 999\n", PROTOS, "linux_x86_64", "x86_64")
    line = next(l for l in text.splitlines() if " brand_new " in l)
    assert entries(text)["brand_new"] == (999, "()", "long", "-")
    assert "signature unknown" in line and "prototypes/linux.txt" in line


# --- NT columns ----------------------------------------------------------------------------

@needs_nt_data
def test_unknown_nt_column_is_an_error_naming_the_available_columns():
    with pytest.raises(TableImportError) as err:
        regenerate("nt_x86", TABLES, DATA, column="Windows 95")
    message = str(err.value)
    assert "'Windows 95'" in message
    assert "'Windows 2000 (SP4)'" in message and "'Windows XP (SP3)'" in message


def test_unknown_nt_column_error_does_not_need_the_data_files():
    sample = "System call,Windows 2000 (SP4),Windows 7 (SP1)\nNtClose,0x0018,0x000c\n"
    with pytest.raises(TableImportError, match=r"available columns: 'Windows 2000 \(SP4\)', "
                                               r"'Windows 7 \(SP1\)'"):
        nt_numbers(sample, "Windows Me")


def test_nt_column_skips_services_missing_from_that_version():
    sample = ("System call,Windows 2000 (SP4),Windows 7 (SP1)\n"
              "NtClose,0x0018,0x000c\nNtCreateUserProcess,,0x00aa\n")
    assert nt_numbers(sample, "Windows 2000 (SP4)") == {"NtClose": 0x18}
    text = import_nt(sample, "Windows 7 (SP1)", (PROTOTYPES / "nt.txt").read_text(),
                     "nt_x86", "i386")
    assert entries(text)["NtCreateUserProcess"][0] == 0xAA


@needs_nt_data
def test_other_nt_column_gives_that_versions_numbers():
    text = regenerate("nt_x86", TABLES, DATA, column="Windows XP (SP3)")
    xp = csv_column("nt-syscalls-x86.csv", "Windows XP (SP3)")
    got = entries(text)
    assert got["NtWriteFile"][0] == xp["NtWriteFile"] == 0x112
    assert {name: number for name, (number, *_) in got.items()} == xp
    assert "column 'Windows XP (SP3)'" in text


@needs_nt_data
def test_nt_write_file_has_nine_arguments_and_a_python_handler():
    for table in NT_TABLES:
        call = {e.name: e for e in load_table(TABLES / f"{table}.tbl", False).entries}["NtWriteFile"]
        args = call.signature()
        assert len(call.args) == 9 and str(call.ret) == "status" and call.handler.kind == "py"
        assert "in[Length] Buffer" in args and "in<LARGE_INTEGER> ByteOffset" in args


# --- the prototypes are complete -----------------------------------------------------------

@needs_headers
@pytest.mark.parametrize("table", sorted(LINUX_TABLES))
def test_every_unistd_name_has_a_prototype(table):
    header, arch = LINUX_TABLES[table]
    names = set(linux_numbers((LINUX_HEADERS_DIR / header).read_text()))
    prototypes = parse_prototypes((PROTOTYPES / "linux.txt").read_text(), arch)
    assert names - set(prototypes) == set()


@needs_nt_data
@pytest.mark.parametrize("table", sorted(NT_TABLES))
def test_every_nt_service_in_the_bundled_column_has_a_prototype(table):
    csv_name, column, arch = NT_TABLES[table]
    prototypes = parse_prototypes((PROTOTYPES / "nt.txt").read_text(), arch)
    assert set(csv_column(csv_name, column)) - set(prototypes) == set()


def test_i386_line_replaces_the_shared_prototype_on_i386_only():
    text = (PROTOTYPES / "linux.txt").read_text()
    assert parse_prototypes(text, "x86_64")["mmap"].args.count(",") == 5
    assert parse_prototypes(text, "i386")["mmap"].args == "(in<mmap_arg_struct> arg)"
    assert "offset_hi" in parse_prototypes(text, "i386")["readahead"].args
    assert "offset_hi" not in parse_prototypes(text, "x86_64")["readahead"].args
    # a 64-bit offset needs no @i386 line: `loff` is a register pair on i386
    assert parse_prototypes(text, "i386")["pread64"] == parse_prototypes(text, "x86_64")["pread64"]
    assert "loff pos" in parse_prototypes(text, "i386")["pread64"].args


def test_malformed_prototype_line_is_reported_with_its_line_number():
    with pytest.raises(TableImportError, match="prototypes line 2"):
        parse_prototypes("read (fd fd) -> ssize\nwrite fd, buf\n")


# --- the output reads like syscall_64.tbl --------------------------------------------------

@pytest.mark.parametrize("table", sorted(LINUX_TABLES) + sorted(NT_TABLES))
def test_columns_align_and_long_signatures_do_not_push_the_rest(table):
    lines = [l for l in base_path(TABLES, table).read_text().splitlines() if _ENTRY.match(l)]
    short = [l for l in lines if len(_ENTRY.match(l)[3]) <= SIGNATURE_CAP]
    long = [l for l in lines if len(_ENTRY.match(l)[3]) > SIGNATURE_CAP]
    assert len({_ENTRY.match(l).start(2) for l in lines}) == 1
    assert len({l.index(" -> ") for l in short}) == 1
    assert all(") -> " in l for l in long)
