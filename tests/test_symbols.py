"""Crash reports name the function, its offset and the source line from the program's own
symbols and DWARF."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO, tblc


@pytest.mark.parametrize("cc,flags", [("gcc", ("-g", "-O0")), ("gcc", ("-g", "-O0", "-m32")),
                                      ("musl-gcc", ("-g",))])
def test_crash_report_names_function_and_source_line(toolchain, cc, flags):
    res = tblc("run", toolchain.c("crash", cc=cc, flags=flags))
    assert res.returncode == 139, res.stderr
    line = res.stderr.decode().strip().splitlines()[-1]
    assert "killed by SIGSEGV at pc" in line, line
    assert " in crash_here (crash.c:7) <crash_here+0x" in line, line


def test_crash_report_without_debug_information_names_the_symbol(toolchain):
    res = tblc("run", toolchain.c("crash", cc="gcc", flags=("-s",)))   # stripped: nothing
    assert res.returncode == 139 and b"crash_here" not in res.stderr, res.stderr
    res = tblc("run", toolchain.c("crash", cc="gcc"))                 # symbols, no DWARF
    line = res.stderr.decode().strip().splitlines()[-1]
    assert " <crash_here+0x" in line and "crash.c" not in line, line


def test_symbol_readers_are_not_imported_by_a_run_without_a_crash(toolchain, tmp_path):
    prog = toolchain.c("hello", cc="gcc")
    code = ("import sys, shutil\nfrom runtime import Machine\n"
            f"m = Machine(root={str(tmp_path)!r})\n"
            f"shutil.copy({str(prog)!r}, {str(tmp_path / 'hello')!r})\n"
            "p = m.spawn('/hello'); m.run()\n"
            "print(p.returncode, 'elftools' in sys.modules, 'sysvec.runtime.symbols' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert out.stdout.split()[-2:] == ["False", "False"], out


@pytest.mark.parametrize("bits", [64, 32])
def test_pe_crash_report_names_function_and_source_line(toolchain, bits):
    from conftest import mingw_debug

    res = tblc("run", mingw_debug(toolchain, "crash", bits))
    assert res.returncode == 139, res.stderr
    line = res.stderr.decode().strip().splitlines()[-1]
    assert "STATUS_ACCESS_VIOLATION" in line and " in crash_here (crash.c:7) <crash_here+0x" in line, line


@pytest.mark.parametrize("flags", [("-g", "-O0"), ("-g", "-O0", "-m32")])
def test_trace_callers_names_the_calling_line(toolchain, flags):
    res = tblc("run", "--trace-callers", toolchain.c("gdb_write", cc="gcc", flags=flags))
    assert res.returncode == 3 and res.stdout == b"hi\n", res.stderr
    lines = [l for l in res.stderr.decode().splitlines() if "write(1, " in l]
    assert len(lines) == 1 and lines[0].endswith("(gdb_write.c:5)"), lines
    assert '= 3  <- main+0x' in lines[0], lines


def test_trace_without_callers_is_unchanged(toolchain):
    res = tblc("run", "--trace", toolchain.c("gdb_write", cc="gcc", flags=("-g",)))
    line = next(l for l in res.stderr.decode().splitlines() if "write(1, " in l)
    assert line.endswith('write(1, "hi\\n", 3) = 3'), line
