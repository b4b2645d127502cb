"""`tblc import`: the bundled tables are generated, not typed.

Regenerating each table from its sources gives the committed text byte for byte; the handler
column survives a re-import; the prototypes cover every call the sources number."""
from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from compiler.check import check_file
from compiler.importer import (LINUX_HEADERS_DIR, LINUX_X86_64_HEADER, NT_X86_HEADER, SIGNATURE_CAP,
                               TableImportError, existing_handlers, import_linux, import_nt,
                               linux_numbers, nt_numbers, parse_prototypes, regenerate)

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

_ENTRY = re.compile(r"^\s+(0x[0-9a-f]+|\d+)\s+(\w+)\s+(\(.*?\))\s*->\s*(\w+)\s+(\S+)")


def entries(table_text: str) -> dict[str, tuple[int, str, str, str]]:
    """Call name -> (number, arguments, return, handler) of a generated table."""
    found = {}
    for line in table_text.splitlines():
        m = _ENTRY.match(line)
        if m:
            found[m[2]] = (int(m[1], 0), m[3], m[4], m[5])
    return found


def csv_column(csv_name: str, column: str) -> dict[str, int]:
    with open(DATA / csv_name, newline="") as f:
        return {row["System call"]: int(row[column], 16) for row in csv.DictReader(f)
                if row[column].strip()}


# --- the committed tables are exactly what the importer produces ---------------------------

@needs_headers
@pytest.mark.parametrize("table", sorted(LINUX_TABLES))
def test_linux_table_is_regenerated_byte_for_byte_from_unistd_header(table):
    committed = (TABLES / f"{table}.tbl").read_text()
    assert regenerate(table, TABLES) == committed, (
        f"tables/{table}.tbl differs from its sources: run `tblc import {table}`")


@needs_nt_data
@pytest.mark.parametrize("table", sorted(NT_TABLES))
def test_nt_table_is_regenerated_byte_for_byte_from_csv(table):
    committed = (TABLES / f"{table}.tbl").read_text()
    assert regenerate(table, TABLES, DATA) == committed, (
        f"tables/{table}.tbl differs from its sources: run `tblc import {table}`")


@pytest.mark.parametrize("table", sorted(LINUX_TABLES) + sorted(NT_TABLES))
def test_committed_table_passes_the_spec_checker(table):
    assert check_file(TABLES / f"{table}.tbl", check_python=False) == []


# --- the handler column is the hand-edited part --------------------------------------------

UNISTD = "#define __NR_read 0\n#define __NR_write 1\n#define __NR_getpid 39\n"
PROTOS = ("read (fd fd, out[ret] buf, size count) -> ssize\n"
          "write (fd fd, in[count] buf, size count) -> ssize\n"
          "getpid () -> pid\n")


def test_handler_column_survives_reimport():
    first = import_linux(UNISTD, PROTOS, LINUX_X86_64_HEADER, None)
    assert set(existing_handlers(first).values()) == {"-"}
    edited = first.replace("-> pid    -", "-> pid    c")
    edited = edited.replace("-> ssize  -", "-> ssize  py:sys_rw")
    again = import_linux(UNISTD, PROTOS, LINUX_X86_64_HEADER, edited)
    assert again == edited
    assert existing_handlers(again) == {"read": "py:sys_rw", "write": "py:sys_rw", "getpid": "c"}


@needs_headers
def test_handler_edited_in_bundled_table_survives_tblc_import(tmp_path):
    shutil.copytree(TABLES, tmp_path / "tables")
    path = tmp_path / "tables" / "linux_x86_64.tbl"
    text = path.read_text()
    assert existing_handlers(text)["uselib"] == "-"
    path.write_text(re.sub(r"(\n\s+134  uselib .*-> int\s+)-", r"\1py:sys_uselib_stub", text))
    regenerated = regenerate("linux_x86_64", tmp_path / "tables")
    assert existing_handlers(regenerated)["uselib"] == "py:sys_uselib_stub"
    assert existing_handlers(regenerated)["read"] == existing_handlers(text)["read"]


@needs_nt_data
def test_header_edited_in_bundled_table_survives_tblc_import(tmp_path):
    """Uncommenting `leaves` (or any header edit) is kept, like the handler column."""
    shutil.copytree(TABLES, tmp_path / "tables")
    path = tmp_path / "tables" / "nt_x64.tbl"
    text = path.read_text()
    assert "\n# leaves    rcx = return, r11 = flags\n" in text
    path.write_text(text.replace("\n# leaves    rcx = return", "\nleaves    rcx = return"))
    regenerated = regenerate("nt_x64", tmp_path / "tables", DATA)
    assert "\nleaves    rcx = return, r11 = flags\n" in regenerated
    assert regenerated == path.read_text()


def test_call_without_prototype_gets_empty_signature_and_a_note():
    text = import_linux(UNISTD + "#define __NR_brand_new 999\n", PROTOS, LINUX_X86_64_HEADER, None)
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
                     NT_X86_HEADER, None)
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
        number, args, ret, handler = entries((TABLES / f"{table}.tbl").read_text())["NtWriteFile"]
        assert args.count(",") + 1 == 9 and ret == "status" and handler == "py"
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
    assert "pos_hi" in parse_prototypes(text, "i386")["pread64"].args
    assert "pos_hi" not in parse_prototypes(text, "x86_64")["pread64"].args


def test_malformed_prototype_line_is_reported_with_its_line_number():
    with pytest.raises(TableImportError, match="prototypes line 2"):
        parse_prototypes("read (fd fd) -> ssize\nwrite fd, buf\n")


# --- the output reads like syscall_64.tbl --------------------------------------------------

@pytest.mark.parametrize("table", sorted(LINUX_TABLES) + sorted(NT_TABLES))
def test_columns_align_and_long_signatures_do_not_push_the_rest(table):
    lines = [l for l in (TABLES / f"{table}.tbl").read_text().splitlines() if _ENTRY.match(l)]
    short = [l for l in lines if len(_ENTRY.match(l)[3]) <= SIGNATURE_CAP]
    long = [l for l in lines if len(_ENTRY.match(l)[3]) > SIGNATURE_CAP]
    assert len({_ENTRY.match(l).start(2) for l in lines}) == 1
    assert len({l.index(" -> ") for l in short}) == 1
    assert all(") -> " in l for l in long)


def test_generated_table_says_how_it_was_made():
    text = import_linux(UNISTD, PROTOS, LINUX_X86_64_HEADER, None)
    after_header = text.split("\n\n", 1)[1]
    assert after_header.startswith("# Generated by `tblc import linux_x86_64` from asm/unistd_64.h")
    assert "hand-edited and preserved on re-import" in after_header
