"""What a newcomer tripped on (issue 12, item 5): each trap, the way a user meets it, answered
with a diagnostic that says what to do instead of an internal error or silence."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sysvec.runtime.errors import ManifestError
from sysvec.runtime.machine import Machine

from conftest import make_root, tblc

REPO = Path(__file__).resolve().parent.parent

# write and exit under numbers of its own: only this table makes hello64 print.
OWN_TABLE = """\
table     own_x86_64
platform  own_x86_64
arch      x86_64
gate      syscall
number    eax
args      rdi, rsi, rdx, r10, r8, r9
return    rax
errors    errno
handlers  sysvec.runtime.linux

    1  write       (fd fd, in[count] buf, size count)   -> ssize  py
   60  exit        (int status)                         -> void   py
"""


def test_a_missing_table_file_is_a_diagnostic_not_an_internal_error(toolchain, tmp_path):
    res = tblc("build", tmp_path / "nope.tbl")
    assert res.returncode == 2, res.stderr
    assert b"nope.tbl: no such table file" in res.stderr and b"internal error" not in res.stderr
    res = tblc("run", "--table", tmp_path / "nope.tbl", toolchain.asm("hello64"))
    assert res.returncode == 2, res.stderr
    assert b"nope.tbl: no such table file" in res.stderr and b"internal error" not in res.stderr


def test_manifest_table_paths_are_the_manifests_not_the_working_directorys(toolchain, tmp_path):
    machine = tmp_path / "machine"
    machine.mkdir()
    (machine / "own.tbl").write_text(OWN_TABLE)
    (machine / "m.yaml").write_text("tables: [own.tbl]\nlinks: {elf64: own_x86_64}\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    res = tblc("run", "--trace", "--manifest", machine / "m.yaml", toolchain.asm("hello64"),
               cwd=elsewhere)
    assert (res.returncode, res.stdout) == (0, b"hello\n"), res.stderr
    assert b": own_x86_64" in res.stderr   # the exec line names the manifest's table


def test_running_a_directory_says_it_is_a_directory(tmp_path):
    res = tblc("run", tmp_path)
    assert res.returncode == 126, res.stderr
    assert b"is a directory" in res.stderr and b"--root" in res.stderr
    assert b"no such file" not in res.stderr


def test_an_unknown_key_in_a_binfmt_entry_is_refused(tmp_path):
    (tmp_path / "m.yaml").write_text(yaml.safe_dump({"binfmts": [
        {"name": "raw", "magic": "RAW!", "platform": "mysys", "entyr": 0x400000}]}))
    with pytest.raises(ManifestError, match="binfmt 'raw': unknown key 'entyr'"):
        Machine(root=tmp_path, manifest=tmp_path / "m.yaml")
    res = tblc("run", "--manifest", tmp_path / "m.yaml", "--root", tmp_path, "/x")
    assert res.returncode == 2 and b"unknown key 'entyr'" in res.stderr


def test_the_output_limit_says_why_the_guest_ended(busybox, tmp_path):
    root = make_root(tmp_path, {"/bin/busybox": busybox})
    res = tblc("run", "--max-output", "16K", "--root", root, "/bin/busybox", "yes")
    assert res.returncode == 128 + 25
    assert b"output limit (16384 bytes, --max-output)" in res.stderr
    assert res.stderr.count(b"output limit") == 1


def test_run_help_describes_every_option_and_args_is_optional():
    from sysvec.cli import parser

    run = next(a for a in parser()._subparsers._group_actions[0].choices.items()
               if a[0] == "run")[1]
    undescribed = [a.dest for a in run._actions if not a.help]
    assert undescribed == []
    res = tblc("run", "--help")
    assert res.returncode == 0
    assert b"PROGRAM [ARGS ...]" in res.stdout and b"optional" in res.stdout


def test_the_table_language_doc_names_python_handlers_as_the_checker_does():
    from sysvec.compiler.check import python_function
    from sysvec.compiler.model import Handler

    assert python_function("write", Handler(kind="py")) == "sys_write"
    assert python_function("kernel32.WriteFile", Handler(kind="py")) == "sys_kernel32_WriteFile"
    dsl = (REPO / "compiler" / "DSL.md").read_text()
    assert "`py` (function `sys_<name>`" in dsl
    assert "`py` (function `<name>`" not in dsl


def test_the_demo_parent_compiles_without_warnings(tmp_path):
    res = subprocess.run(["musl-gcc", "-static", "-Wall", "-Werror", "-O2", "-o",
                          str(tmp_path / "parent"), str(REPO / "demo" / "parent.c")],
                         capture_output=True)
    assert res.returncode == 0, res.stderr


def test_setup_reinstalls_the_package_only_when_it_is_not_current(tmp_path):
    """scripts/setup asks scripts/pip_current.py; a tree the package is not installed from
    needs pip, the tree it is installed from (with its pyproject recorded) does not."""
    check = [sys.executable, str(REPO / "scripts" / "pip_current.py")]
    other = tmp_path / "tree"
    other.mkdir()
    (other / "pyproject.toml").write_text("[project]\n")
    assert subprocess.run(check + [str(other), str(tmp_path / "stamp")]).returncode == 1
    from importlib import metadata
    try:
        url = json.loads(metadata.distribution("sysvec").read_text("direct_url.json") or "{}")
    except metadata.PackageNotFoundError:
        url = {}
    tree = Path(url.get("url", "file://")[len("file://"):])
    # (An editable install whose tree has gone since, as after a CI checkout, shows nothing.)
    if url.get("dir_info", {}).get("editable") and (tree / "pyproject.toml").exists():
        import hashlib
        stamp = tmp_path / "stamp"
        stamp.write_text(hashlib.sha256((tree / "pyproject.toml").read_bytes()).hexdigest())
        assert subprocess.run(check + [str(tree), str(stamp)]).returncode == 0
    text = (REPO / "scripts" / "setup").read_text()
    assert 'echo "setup: installing Debian packages:$missing"' in text


def test_a_dynamic_program_without_root_points_at_root(tmp_path):
    src = tmp_path / "dyn.c"
    src.write_text("int main(void) { return 0; }\n")
    exe = tmp_path / "dyn"
    subprocess.run(["gcc", "-o", str(exe), str(src)], check=True)
    res = tblc("run", exe)
    assert res.returncode == 127
    assert b"ld-linux" in res.stderr and b"--root" in res.stderr
    script = tmp_path / "s.sh"
    script.write_text("#!/bin/sh\necho hi\n")
    script.chmod(0o755)
    res = tblc("run", script)
    assert res.returncode == 127 and b"/bin/sh" in res.stderr and b"--root" in res.stderr


def test_the_manifest_reference_names_every_key():
    """docs/manifest.md lists every key sysvec reads: top-level, limits, binfmts, network."""
    from dataclasses import fields

    from sysvec.runtime.binfmt.misc import MiscHandler
    from sysvec.runtime.kernel import Limits
    from sysvec.runtime.machine import MANIFEST_SHAPE, NETWORK_KEYS

    doc = (REPO / "docs" / "manifest.md").read_text()
    keys = [*MANIFEST_SHAPE, *NETWORK_KEYS, *(f.name for f in fields(Limits)),
            *(f.name for f in fields(MiscHandler))]
    assert [k for k in keys if f"| `{k}` |" not in doc] == []
