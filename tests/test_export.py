"""tblc export: every bundled table as JSON that validates against the versioned schema
(compiler/table.schema.json) and says what the spec says, and as CSV with the same rows."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest

from sysvec.compiler.build import TABLES_DIR
from sysvec.compiler.check import load_table
from sysvec.compiler.errnames import error_result

from conftest import tblc

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "compiler" / "table.schema.json").read_text())
BUNDLED = sorted(p.stem for p in TABLES_DIR.glob("*.tbl"))


@pytest.fixture(scope="module")
def validator():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    return jsonschema.Draft202012Validator(SCHEMA)


@pytest.mark.parametrize("name", BUNDLED)
def test_every_bundled_table_exports_json_that_validates_and_matches_the_spec(name, validator):
    res = tblc("export", name, "--format", "json")
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    errors = sorted(validator.iter_errors(doc), key=str)
    assert not errors, errors[0]
    table = load_table(TABLES_DIR / f"{name}.tbl", check_python=False)
    assert (doc["format"], doc["version"], doc["table"]) == ("sysvec-table", 3, table.name)
    assert [(c["number"], c["name"]) for c in doc["calls"]] == \
        [(e.number, e.name) for e in table.entries]
    for call, entry in zip(doc["calls"], table.entries):
        assert [(a["name"], a["type"]) for a in call["args"]] == \
            [(a.name, str(a.type)) for a in entry.args]
        assert call["return"]["type"] == str(entry.ret)
        assert call["classes"] == list(entry.classes)
        assert call["handler"]["kind"] == (entry.handler.kind or "unimplemented")
        if entry.handler.kind == "fail":
            assert call["handler"]["result"] == \
                error_result(table.convention.errors, entry.handler.error)
        if entry.handler.kind == "c+py":   # C first, and the Python handler it falls back to
            assert call["handler"]["function"] == f"sv_c_{entry.name}"
            assert call["handler"]["fallback"] == f"sys_{entry.name}"


@pytest.mark.parametrize("name", BUNDLED)
def test_csv_export_has_the_json_rows(name, tmp_path):
    out = tmp_path / f"{name}.csv"
    res = tblc("export", name, "--format", "csv", "-o", out)
    assert res.returncode == 0 and res.stdout == b"", res.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    doc = json.loads(tblc("export", name).stdout)
    assert len(rows) == len(doc["calls"])
    for row, call in zip(rows, doc["calls"]):
        assert (row["table"], int(row["number"]), row["name"]) == (name, call["number"], call["name"])
        assert row["arguments"] == ", ".join(f"{a['type']} {a['name']}" for a in call["args"])
        assert (row["classes"].split("|") if row["classes"] else []) == call["classes"]
        assert row["handler"] == call["handler"]["kind"]
        assert row["error"] == (call["handler"]["error"] or "")


def test_linux_export_carries_the_errno_policy_and_classes():
    doc = json.loads(tblc("export", "linux_x86_64").stdout)
    calls = {c["name"]: c for c in doc["calls"]}
    assert calls["name_to_handle_at"]["handler"] == {"kind": "fail", "function": None,
                                                     "error": "EOPNOTSUPP", "result": -95}
    assert calls["openat"]["classes"] == ["file", "desc"]
    assert calls["mmap"]["classes"] == ["memory", "desc"]
    assert calls["openat"]["handler"]["function"] == "sys_openat"
    assert calls["read"]["handler"] == {"kind": "c+py", "function": "sv_c_read",
                                        "fallback": "sys_read", "error": None, "result": None}
    assert doc["gates"] == [{"kind": "syscall", "vector": None}]
    nt = json.loads(tblc("export", "nt_x86").stdout)
    assert nt["convention"]["stack"] == {"register": "edx", "offset": 0}
    assert nt["gates"] == [{"kind": "int", "vector": 0x2e}]


def test_schema_rejects_what_the_format_does_not_allow(validator):
    doc = json.loads(tblc("export", "mysys").stdout)
    assert validator.is_valid(doc)
    for broken in ({**doc, "version": 1}, {**doc, "extra": 1},
                   {**doc, "calls": [{**doc["calls"][0], "classes": ["bogus"]}]},
                   {**doc, "calls": [{**doc["calls"][0], "number": -1}]}):
        assert not validator.is_valid(broken)


def test_export_errors_are_plain(tmp_path):
    res = tblc("export", "no_such_table")
    assert res.returncode == 2 and b"no table 'no_such_table'" in res.stderr
    bad = tmp_path / "bad.tbl"
    bad.write_text("table t\n1 a () -> int -\n")
    res = tblc("export", bad)
    assert res.returncode == 1 and b"missing header line" in res.stderr
    res = tblc("export", "mysys", "-o", tmp_path / "no" / "dir" / "x.json")
    assert res.returncode == 2 and b"cannot write" in res.stderr
    res = tblc("export", "mysys", "--format", "xml")
    assert res.returncode == 2 and b"invalid choice" in res.stderr
