"""Drive Debian's gdb in batch mode against `tblc run --gdb`, as a user would."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from conftest import REPO


class Session:
    def __init__(self, gdb: subprocess.CompletedProcess | None, tblc_rc, tblc_out, tblc_err):
        self.gdb_out = gdb.stdout if gdb else ""
        self.gdb_err = gdb.stderr if gdb else ""
        self.rc, self.out, self.err = tblc_rc, tblc_out, tblc_err

    def __repr__(self):
        return (f"gdb stdout:\n{self.gdb_out}\ngdb stderr:\n{self.gdb_err[-2000:]}\n"
                f"tblc rc {self.rc}\nstdout:\n{self.out}\nstderr:\n{self.err[-2000:]}")


def run_gdb(program, commands: list[str], run_args=(), gdb_args=(), exe=None,
            timeout: float = 120, args=()) -> Session:
    """`tblc run --gdb 127.0.0.1:0 [run_args] program [args]`, then `gdb -batch` with commands
    (after `target extended-remote`) on exe (default: the program)."""
    if shutil.which("gdb") is None:
        pytest.skip("gdb is not installed (scripts/setup installs it)")
    exe_cmd = shutil.which("tblc")
    cmd = [exe_cmd] if exe_cmd else [sys.executable, "-m", "sysvec.cli"]
    server = subprocess.Popen(cmd + ["run", "--gdb", "127.0.0.1:0", *map(str, run_args),
                                     str(program), *map(str, args)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO)
    try:
        line = server.stderr.readline().decode()
        found = re.search(r"gdb server on ([\d.]+:\d+)", line)
        if not found:
            server.kill()
            out, err = server.communicate()
            raise AssertionError(f"no gdb server line: {line!r} {err.decode()}")
        # gdb waits 2 s for a reply by default; a loaded 2-core machine can take longer.
        args = ["gdb", "-nx", "-batch", "-ex", "set pagination off",
                "-ex", "set confirm off", "-ex", "set remotetimeout 30", *gdb_args,
                "-ex", f"target extended-remote {found.group(1)}"]
        for c in commands:
            args += ["-ex", c]
        if exe is not False:   # False: gdb finds the program itself (qXfer:exec-file)
            args.append(str(exe or program))
        import tempfile
        gdb = subprocess.run(args, capture_output=True, text=True, cwd=tempfile.gettempdir(),
                             errors="replace",
                             timeout=timeout)
        out, err = server.communicate(timeout=timeout)
        return Session(gdb, server.returncode, out.decode(errors="replace"),
                       line + err.decode(errors="replace"))
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
