"""Errno fidelity: calls the spec declares `fail ERROR` answer that error, in C, on the real
engine, as a Linux kernel in a container without the feature does, not ENOSYS."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from sysvec.compiler.check import load_table
from sysvec.runtime.machine import Machine

from conftest import make_root, tblc

TABLES = Path(__file__).resolve().parents[1] / "tables"
TOOLCHAINS = [("musl-gcc", (), "linux_x86_64"), ("gcc", (), "linux_x86_64"),
              ("gcc", ("-m32",), "linux_i386")]
IDS = ["musl-x86_64", "glibc-x86_64", "glibc-i386"]


def fail_policy(table: str) -> dict[str, str]:
    """Call name -> the error its `fail` handler names."""
    return {e.name: e.handler.error for e in load_table(TABLES / f"{table}.tbl", False).entries
            if e.handler.kind == "fail"}


@pytest.mark.parametrize("cc,flags,table", TOOLCHAINS, ids=IDS)
def test_unsupported_calls_fail_with_the_specs_errno_not_enosys(toolchain, tmp_path, cc, flags, table):
    exe = toolchain.c("unsupported", cc=cc, flags=flags)
    root = make_root(tmp_path, {"/unsupported": exe, "/probe": b"x\n"})
    res = tblc("run", "--root", root, "/unsupported")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.decode().splitlines()
    got = dict(line.split() for line in lines)
    assert len(got) == 9, lines
    # what a file system or a descriptor cannot do says "not supported"
    for call in ("name_to_handle_at", "io_uring_enter", "io_uring_register"):
        assert got[call] == "EOPNOTSUPP", call
    # and every call answers what its spec line says
    policy = fail_policy(table)
    assert got == {call: policy[call] for call in got}
    assert got["clone3"] == "ENOSYS"   # glibc's clone fallback depends on it


def test_fail_handlers_never_enter_python(toolchain, tmp_path):
    exe = toolchain.c("unsupported")
    root = make_root(tmp_path, {"/unsupported": exe, "/probe": b"x\n"})
    m = Machine(root=root)
    entered = []
    python_call = m.kernel.python_call
    m.kernel.python_call = lambda nr, args: (entered.append(nr), python_call(nr, args))[1]
    out = tmp_path / "out"
    with open(out, "wb") as f:
        p = m.spawn("/unsupported", stdio=(None, f.fileno(), None))
        assert m.run() is True
    m.close()
    assert p.returncode == 0
    assert b"name_to_handle_at EOPNOTSUPP" in out.read_bytes()
    numbers = {e.name: e.number for e in load_table(TABLES / "linux_x86_64.tbl", False).entries}
    failing = {numbers[name] for name in fail_policy("linux_x86_64")}
    assert entered, "the program's Python-handled calls (open, write, exit) were not seen"
    assert not failing & set(entered)


def test_trace_shows_the_declared_error(toolchain, tmp_path):
    root = make_root(tmp_path, {"/unsupported": toolchain.c("unsupported"), "/probe": b"x\n"})
    res = tblc("run", "--trace", "--root", root, "/unsupported")
    assert res.returncode == 0
    err = res.stderr.decode()
    line = next(x for x in err.splitlines() if "name_to_handle_at(" in x)
    assert '"/probe"' in line and line.endswith("= -1 EOPNOTSUPP (Operation not supported)")
    assert "bpf(" in err and "= -1 EPERM (Operation not permitted)" in err


def _dynamic_root(tmp_path: Path, program: str) -> Path | None:
    """A root holding a host program and the shared libraries ldd names for it."""
    exe = shutil.which(program)
    if exe is None:
        return None
    ldd = subprocess.run(["ldd", exe], capture_output=True, text=True)
    if ldd.returncode != 0:
        return None
    files = {"/bin/" + program: Path(exe)}
    for word in ldd.stdout.split():
        if word.startswith("/"):
            files[word] = Path(os.path.realpath(word))
    return make_root(tmp_path, files)


def test_gnu_ls_long_listing_no_longer_says_function_not_implemented(tmp_path):
    """Debian's coreutils ls (dynamic, with libselinux) asks every file for its SELinux label
    and ACL through lgetxattr/getxattr; ENOSYS made it print 'Function not implemented'."""
    root = _dynamic_root(tmp_path, "ls")
    if root is None:
        pytest.skip("no dynamically linked ls on this host")
    (root / "d").mkdir()
    (root / "d" / "file").write_bytes(b"hello\n")
    res = tblc("run", "--trace", "--root", root, "/bin/ls", "-l", "/d")
    assert res.returncode == 0, res.stderr[-2000:]
    own = [line for line in res.stderr.splitlines() if not line.startswith(b"[pid ")]
    assert b"Function not implemented" not in res.stdout + b"\n".join(own)
    assert res.stdout.startswith(b"total ")
    assert b" 6 " in res.stdout and res.stdout.rstrip().endswith(b" file")
    assert b"xattr(" in res.stderr and b"EOPNOTSUPP" in res.stderr


def test_busybox_ls_long_listing(busybox, tmp_path):
    root = make_root(tmp_path, {"/bin/busybox": busybox, "/d/file": b"hello\n"})
    res = tblc("run", "--root", root, "/bin/busybox", "ls", "-l", "/d")
    assert res.returncode == 0, res.stderr
    assert b"Function not implemented" not in res.stdout + res.stderr
    assert res.stdout.rstrip().endswith(b" /d/file") or res.stdout.rstrip().endswith(b" file")

