"""exec maps a cached program's whole file pages copy-on-write from frames shared by every
process running it (runtime/filepages.py): writes by one process, to data or to code, never
reach the next exec of the same file nor a parent; the host gives the expected output."""
from __future__ import annotations

import subprocess
import time

import pytest

from conftest import make_root, tblc
from sysvec.runtime import progcache


@pytest.mark.parametrize("flags", [(), ("-m32",)], ids=["x86_64", "i386"])
def test_exec_of_the_same_file_sees_its_bytes_after_writes(toolchain, tmp_path, flags):
    prog = toolchain.c("exec_share", cc="gcc", flags=flags)
    host = subprocess.run([str(prog)], capture_output=True, timeout=60)
    assert host.returncode == 0, host.stderr
    lines = host.stdout.decode().splitlines()
    assert len(lines) == 8 and len({l.split(" counter ")[1] for l in lines[::2]}) == 1
    root = make_root(tmp_path, {"exec_share": prog})
    # exec shares the pages of settled files only (runtime/progcache.py: unchanged for 2 s,
    # ctime included): wait until the copy in the root is one.
    time.sleep(progcache.SETTLED_NS / 1e9 + 0.5)
    res = tblc("run", "--root", root, "/exec_share")
    assert res.returncode == 0, res.stderr
    assert res.stdout == host.stdout
