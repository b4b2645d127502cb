"""Linux semantics the Linux Test Project's syscall tests measure (issue 19; scripts/ltp runs
LTP itself, which CI does not have): each class of fix has a small C program here that
prints what it saw, built by the tests' toolchains and run natively-equivalent under
`tblc run --root`."""
from __future__ import annotations

import pytest

from conftest import make_root, tblc

CCS = ["gcc", "musl-gcc", "gcc -m32"]


def _run(toolchain, tmp_path, name: str, cc: str, *args) -> list[str]:
    cc, *flags = cc.split()
    exe = toolchain.c(name, cc, tuple(flags))
    root = make_root(tmp_path, {"/prog": exe})
    (root / "tmp").mkdir(exist_ok=True)
    res = tblc("run", "--root", root, "/prog", *args)
    assert res.returncode == 0, res.stdout + res.stderr
    return res.stdout.decode().splitlines()


@pytest.mark.parametrize("cc", CCS)
def test_a_futex_in_a_shared_page_is_one_futex_across_fork(toolchain, tmp_path, cc):
    assert _run(toolchain, tmp_path, "shared_futex", cc) == [
        "child woke on file: 0", "file: woke 1, child status 0",
        "child woke on anon: 0", "anon: woke 1, child status 0"]
