"""The embedding API, machine manifests (binfmt_misc-style registrations, limits) and the
Chrome trace-event timeline."""
from __future__ import annotations

import json

import pytest
import yaml

from sysvec.runtime.errors import ExecError, ManifestError
from sysvec.runtime.machine import Machine

from conftest import make_root, tblc


def test_spawn_run_and_read_statuses_and_trace(toolchain, tmp_path):
    root = make_root(tmp_path, {"/hello": toolchain.asm("hello64"), "/crash": toolchain.asm("crash64")})
    m = Machine(root=root, trace=None, trace_json=str(tmp_path / "t.json"))
    m.kernel.report_crashes = False
    ok = m.spawn("/hello", ["/hello"], stdio=(None, None, None))
    bad = m.spawn("/crash", ["/crash", "d"], stdio=(None, None, None))
    assert m.run() is True
    assert ok.returncode == 0 and bad.returncode == 128 + 8 and bad.signal == 8
    calls = [r["call"] for r in m.trace if r.get("pid") == ok.pid and "call" in r]
    assert calls == ["write", "exit"]
    assert any("SIGFPE" in r and "idiv" in r for r in m.crash_reports)
    m.close()
    events = json.loads((tmp_path / "t.json").read_text())["traceEvents"]
    lanes = {e["pid"] for e in events}
    assert {ok.pid, bad.pid} <= lanes
    assert any(e["ph"] == "X" and e["name"] == "write" and e["cat"] == "linux_x86_64" for e in events)
    assert any(e["ph"] == "X" and e.get("cat") == "run" for e in events)


def test_spawn_of_a_missing_program_raises_exec_error(tmp_path):
    m = Machine(root=make_root(tmp_path, {}))
    with pytest.raises(ExecError):
        m.spawn("/nope")


def test_budget_stops_a_spinning_guest(busybox, tmp_path):
    m = Machine(root=make_root(tmp_path, {"/bin/busybox": busybox}))
    p = m.spawn("/bin/busybox", ["sh", "-c", "while :; do :; done"], stdio=(None, None, None))
    assert m.run(max_blocks=200_000) is False
    assert p.running
    m.kill_all()
    assert p.returncode == 137


def test_misc_registration_runs_an_interpreter_by_extension(busybox, tmp_path):
    root = make_root(tmp_path, {"/bin/busybox": busybox, "/bin/sh": busybox,
                                "/greet.bbs": b"echo greeted $1\n"})
    manifest = tmp_path / "machine.yaml"
    manifest.write_text(yaml.safe_dump({"binfmts": [
        {"name": "bbscript", "extension": "bbs", "interpreter": "/bin/sh"}]}))
    res = tblc("run", "--manifest", manifest, "--root", root, "/greet.bbs", "you")
    assert res.returncode == 0, res.stderr
    assert res.stdout == b"greeted you\n"


def test_misc_registration_loads_a_flat_image_for_a_platform(toolchain, tmp_path):
    image = toolchain.flat("mysys_hello")
    root = make_root(tmp_path, {"/prog.raw": b"RAW!" + image})
    manifest = {"binfmts": [{"name": "raw", "magic": "RAW!", "platform": "mysys",
                             "load_address": 0x400000 - 4, "entry": 0x400000}]}
    (tmp_path / "m.yaml").write_text(yaml.safe_dump(manifest))
    res = tblc("run", "--trace", "--manifest", tmp_path / "m.yaml", "--root", root, "/prog.raw")
    assert res.returncode == 5, res.stderr
    assert res.stdout == b"mysys hello\n" * 3
    assert b"exec /prog.raw: mysys" in res.stderr


def test_bad_manifest_is_a_clear_error(tmp_path):
    (tmp_path / "m.yaml").write_text(yaml.safe_dump({"binfmts": [{"name": "x", "magic": "AB"}]}))
    with pytest.raises(ManifestError, match="exactly one of 'interpreter' or 'platform'"):
        Machine(root=tmp_path, manifest=tmp_path / "m.yaml")
    res = tblc("run", "--manifest", tmp_path / "m.yaml", "--root", tmp_path, "/x")
    assert res.returncode == 2 and b"exactly one of" in res.stderr


def test_unknown_binary_is_enoexec_with_a_reason(tmp_path):
    root = make_root(tmp_path, {"/blob": b"\x00\x01\x02 not a program"})
    res = tblc("run", "--root", root, "/blob")
    assert res.returncode == 126   # what a Linux shell (bash) gives for ENOEXEC
    assert res.stderr == b"tblc: /blob: exec format error (not a format any registered handler recognises)\n"


def test_physical_memory_is_reused_across_many_processes(busybox, tmp_path):
    m = Machine(root=make_root(tmp_path, {"/bin/busybox": busybox}))
    p = m.spawn("/bin/busybox", ["sh", "-c", "for i in $(seq 1 300); do /bin/busybox true; done"],
                stdio=(None, None, None))
    assert m.run() is True and p.returncode == 0
    phys = m.kernel.engine(64).phys
    # Each exec touches hundreds of fresh pages: without reuse 300 of them outgrow a 64 MiB chunk.
    assert phys.nchunks == 1, phys.nchunks
    assert phys.in_use < 16384


@pytest.mark.parametrize("text,message", [
    ("limits: [1, 2, 3]\n", b"'limits' must be a dict"),
    ("limits: {max_fds: abc}\n", b"limit 'max_fds' must be a number"),
    ("binfmts: [5]\n", b"every entry of 'binfmts' must be a dict"),
    ("binfmts: [{name: x, magic: AB, offset: abc, platform: mysys}]\n", b"binfmt 'x'"),
    ("env: [1, 2]\n", b"'env' must be a dict"),
    ("tables: 5\n", b"'tables' must be a list"),
    ("colour: blue\n", b"unknown key 'colour'"),
])
def test_malformed_manifests_are_clear_errors(tmp_path, text, message):
    (tmp_path / "m.yaml").write_text(text)
    res = tblc("run", "--manifest", tmp_path / "m.yaml", "--root", tmp_path, "/x")
    assert res.returncode == 2, res.stderr
    assert message in res.stderr and b"internal error" not in res.stderr


def test_a_block_budget_counts_code_translated_before_it(toolchain, tmp_path):
    """With no quantum there is no block hook until a run asks for a block budget; the code
    already translated without the hook must be translated again, or its blocks go uncounted
    and the budget never ends the run."""
    loop = toolchain.asm_source("yieldloop", ".intel_syntax noprefix\n.globl _start\n_start:\n"
                                "    mov eax, 24\n    syscall\n    jmp _start\n")
    m = Machine(root=make_root(tmp_path, {"/loop": loop}), limits={"quantum": 0})
    p = m.spawn("/loop", stdio=(None, None, None))
    assert m.run(max_seconds=0.3) is False and m.scheduler.blocks == 0   # no hook: no count
    assert m.run(max_blocks=5000, max_seconds=20) is False
    assert m.scheduler.blocks >= 5000 and p.running
    m.kill_all()
