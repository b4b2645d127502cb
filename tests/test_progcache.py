"""exec reads a program file once and keeps its bytes while the file is unchanged
(runtime/progcache.py); a file rewritten in place runs its new contents."""
from __future__ import annotations

import os
import time

from conftest import make_root, tblc


def test_a_program_rewritten_in_place_with_its_old_mtime_runs_its_new_contents(busybox,
                                                                                toolchain,
                                                                                tmp_path):
    one = toolchain.c("greeting")
    two = toolchain.c("greeting", flags=('-DGREETING="two"',))
    assert one.stat().st_size == two.stat().st_size
    root = make_root(tmp_path, {"/bin/busybox": busybox, "/p": one, "/two": two})
    os.utime(root / "p", (1, 1))
    # Only files unchanged for two seconds are kept: let /p settle so the first run keeps it.
    time.sleep(max(0.0, 2.2 - (time.time() - os.stat(root / "p").st_ctime)))
    # Same inode, same size, same mtime after the rewrite: only its ctime tells them apart.
    res = tblc("run", "--root", root, "/bin/busybox", "sh", "-c",
               "/p; /p; /bin/busybox cat /two > /p; /bin/busybox touch -d @1 /p; /p")
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().split() == ["one", "one", "two"]
