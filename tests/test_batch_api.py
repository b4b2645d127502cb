"""sysvec.runtime.batch.run as notebooks use it, Parquet records, manifests, bad input, and the HTML
report seen in headless Chromium (SYSVEC_BROWSER_TESTS=1: Chromium is big, scripts/setup
installs it only then). These run in-process (--workers 0) or on one worker: quick."""
from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from conftest import make_root, tblc

pytest.importorskip("rich", reason="tblc batch needs the batch extra (scripts/setup)")

from sysvec.runtime import batch  # noqa: E402


def _manifest(tmp_path, toolchain, busybox):
    root = make_root(tmp_path, {"/bin/busybox": busybox})
    (tmp_path / "runs.yaml").write_text(json.dumps({"programs": [
        {"program": str(toolchain.asm("hello64"))},
        {"program": str(toolchain.asm("crash64")), "args": ["s"]},
        {"program": "/bin/busybox", "root": str(root), "args": "sh -c 'read x; echo got $x'",
         "input": "line\n"},
        {"program": "/bin/busybox", "root": str(root), "args": ["env"], "env": {"ANSWER": "42"}},
    ]}))
    return tmp_path / "runs.yaml"


def test_run_yields_a_record_per_program_in_process(tmp_path, toolchain, busybox):
    records = list(batch.run([_manifest(tmp_path, toolchain, busybox)], workers=0,
                             limits={"max_seconds": 20}))
    assert [r["outcome"] for r in records] == ["exited", "signaled", "exited", "exited"]
    hello, crash, read, env = records
    assert hello["stdout"]["text"] == "hello\n" and hello["syscalls"]["write"] == 1
    assert crash["signal"] == 11 and "SIGSEGV" in crash["fault"] and crash["exit_status"] == 139
    assert read["stdout"]["text"] == "got line\n" and read["platform"] == "linux_x86_64"
    assert "ANSWER=42" in env["stdout"]["text"]
    assert all(set(r) == set(batch.FIELDS) for r in records)


def test_run_on_one_worker_matches_in_process(tmp_path, toolchain, busybox):
    pytest.importorskip("distributed")
    manifest = _manifest(tmp_path, toolchain, busybox)
    inline = list(batch.run([manifest], workers=0, limits={"max_seconds": 20}))
    pooled = list(batch.run([manifest], workers=1, limits={"max_seconds": 20}))
    assert {r["id"]: batch.stable(r) for r in pooled} == \
        {r["id"]: batch.stable(r) for r in inline}


def test_parquet_holds_the_same_records_as_json_lines(tmp_path, toolchain, busybox):
    pytest.importorskip("pyarrow")
    manifest = _manifest(tmp_path, toolchain, busybox)
    for out in ("r.jsonl", "r.parquet"):
        res = tblc("batch", "--workers", "0", "--no-progress", "--out", tmp_path / out, manifest)
        assert res.returncode == 0, res.stderr
    assert not (tmp_path / "r.parquet.jsonl").exists()
    as_json = batch.read_records(tmp_path / "r.jsonl")
    as_parquet = batch.read_records(tmp_path / "r.parquet")
    assert {r["id"]: batch.stable(r) for r in as_parquet} == \
        {r["id"]: batch.stable(r) for r in as_json}


def test_trace_dir_keeps_each_programs_trace(tmp_path, toolchain):
    records = list(batch.run([toolchain.asm("hello64")], workers=0, trace_dir=tmp_path / "t"))
    trace = open(records[0]["trace_file"]).read()
    assert 'write(1, "hello\\n", 6) = 6' in trace


@pytest.mark.parametrize("args,message", [
    (["/nonexistent/corpus"], "no such file or directory"),
    (["--timeout", "-1", "x"], "--timeout must be a positive"),
    (["--workers", "-1", "x"], "--workers must be 0 or more"),
])
def test_bad_batch_input_is_a_clear_error(tmp_path, args, message):
    res = tblc("batch", "--no-progress", "--out", tmp_path / "o.jsonl", *args)
    assert res.returncode == 2 and message in res.stderr.decode()
    assert b"Traceback" not in res.stderr


def test_a_bad_manifest_row_names_its_line(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("program,argz\n/bin/true,x\n")
    res = tblc("batch", "--no-progress", "--out", tmp_path / "o.jsonl", bad)
    assert res.returncode == 2
    assert f"{bad}:2: unknown column argz" in res.stderr.decode()
    assert b"Traceback" not in res.stderr


@pytest.mark.skipif(os.environ.get("SYSVEC_BROWSER_TESTS") != "1",
                    reason="SYSVEC_BROWSER_TESTS=1 runs it (Chromium is ~300 MB: scripts/setup "
                           "installs it only then)")
def test_the_report_renders_in_headless_chromium(tmp_path, toolchain, busybox):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "SYSVEC_BROWSER_TESTS=1 but chromium is missing (scripts/setup installs it)"
    report = tmp_path / "report.html"
    res = tblc("batch", "--workers", "0", "--no-progress", "--out", tmp_path / "o.jsonl",
               "--report", report, _manifest(tmp_path, toolchain, busybox),
               toolchain.asm("probe64"))
    assert res.returncode == 0, res.stderr
    page = report.read_text()
    assert "<svg" in page and "syscall_0x270f" in page and "signaled" in page
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><html><body></body></html>")
    shots = {}
    for name, html in (("report", report), ("blank", blank)):
        png = tmp_path / f"{name}.png"
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                        "--hide-scrollbars", f"--screenshot={png}", "--window-size=1000,1100",
                        html.as_uri()], capture_output=True, timeout=120)
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        shots[name] = png.stat().st_size
    assert shots["report"] > 4 * shots["blank"]     # charts and tables, not an empty page
    shutil.copy(tmp_path / "report.png", tmp_path.parent / "batch-report.png")
