"""-e trace=SET (strace's syntax) over the spec's trace classes: the C trap path leaves out
the calls a filter does not select, before any Python runs."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from sysvec.compiler.build import TABLES_DIR
from sysvec.compiler.check import load_table
from sysvec.runtime.machine import Machine
from sysvec.runtime.trace_filter import TraceFilter, TraceFilterError

from conftest import PROGRAMS, make_root, tblc

LINE = re.compile(r"^\[pid \d+\] +(\S+?)\(", re.M)
PIPELINE = "cat /f | wc -c; ls / > /dev/null; echo done"


@pytest.fixture(scope="module")
def classes():
    """Call name -> its classes, from the spec."""
    return {e.name: set(e.classes) for e in load_table(TABLES_DIR / "linux_x86_64.tbl", False).entries}


def run(busybox, tmp_path, *options):
    root = make_root(tmp_path, {"/bin/busybox": busybox, "/bin/sh": busybox, "/f": b"hello\n"})
    res = tblc("run", *options, "--root", root, "/bin/busybox", "sh", "-c", PIPELINE)
    assert res.returncode == 0, res.stderr[-2000:]
    assert res.stdout == b"6\ndone\n"
    return LINE.findall(res.stderr.decode()), res.stderr.decode()


def test_class_filter_prints_only_file_calls(busybox, tmp_path, classes):
    calls, err = run(busybox, tmp_path, "-e", "trace=%file")
    assert {"openat", "execve", "readlink"} <= set(calls)
    assert all("file" in classes[c] for c in calls), [c for c in calls if "file" not in classes[c]]
    assert "+++ exited with 0 +++" in err and "exec /bin/busybox" in err


def test_name_filter_and_several_expressions_add_up(busybox, tmp_path):
    calls, _ = run(busybox, tmp_path, "-e", "trace=openat,read", "-e", "pipe2")
    assert set(calls) == {"openat", "read", "pipe2"}


def test_negated_set_excludes(busybox, tmp_path, classes):
    calls, _ = run(busybox, tmp_path, "-e", "trace=!%memory,%signal")
    assert calls and not any(classes[c] & {"memory", "signal"} for c in calls)
    assert {"execve", "write", "openat"} <= set(calls)


def test_plain_trace_flag_is_unchanged(busybox, tmp_path):
    calls, _ = run(busybox, tmp_path, "--trace")
    assert {"rt_sigaction", "openat", "write", "execve", "wait4"} <= set(calls)
    none, err = run(busybox, tmp_path, "-e", "trace=none")
    assert none == [] and "exec /bin/busybox" in err


@pytest.mark.parametrize("expr,message", [
    ("trace=nosuchcall", b"no table has a call named 'nosuchcall'"),
    ("trace=%bogus", b"unknown class '%bogus'"),
    ("signal=SIGINT", b"only 'trace=' expressions"),
    ("trace=read,,write", b"empty item"),
])
def test_bad_expressions_are_usage_errors(busybox, tmp_path, expr, message):
    root = make_root(tmp_path, {"/bin/busybox": busybox})
    res = tblc("run", "-e", expr, "--root", root, "/bin/busybox", "true")
    assert res.returncode == 2
    assert message in res.stderr and b"Traceback" not in res.stderr


def test_unselected_calls_never_reach_python(busybox, tmp_path, classes):
    root = make_root(tmp_path, {"/bin/busybox": busybox, "/bin/sh": busybox, "/f": b"hello\n"})
    m = Machine(root=root, trace=open("/dev/null", "w"))
    m.tracer.use_filter(TraceFilter(["trace=%file"]), m.kernel)
    seen = []
    trace_call = m.kernel.trace_call
    m.kernel.trace_call = lambda nr, args, result: (seen.append(nr), trace_call(nr, args, result))[1]
    with open(tmp_path / "out", "wb") as out:
        p = m.spawn("/bin/busybox", ["sh", "-c", PIPELINE], stdio=(None, out.fileno(), None))
        assert m.run() is True
    m.close()
    assert p.returncode == 0 and (tmp_path / "out").read_bytes() == b"6\ndone\n"
    names = {e.number: e.name for e in load_table(TABLES_DIR / "linux_x86_64.tbl", False).entries}
    assert seen and all("file" in classes[names[nr]] for nr in seen)
    assert len(seen) == len([r for r in m.trace if "call" in r])


def test_filter_parsing():
    f = TraceFilter(["trace=%file,read", "!%memory"])
    assert f.selected("read", 0) and f.selected("x", 1) and f.selected("x", 0)
    only = TraceFilter(["%process"])
    assert only.selected("x", 1 << 1) and not only.selected("read", 0)
    assert not TraceFilter(["trace=!all"]).selected("read", 0xFFFF)
    with pytest.raises(TraceFilterError):
        TraceFilter(["trace=%nope"])


def test_nested_nt_services_of_a_win32_call_are_filtered_too(tmp_path):
    cc = "i686-w64-mingw32-gcc"
    if shutil.which(cc) is None:
        pytest.skip(f"{cc} is not installed")
    exe = tmp_path / "k32.exe"
    subprocess.run([cc, "-O1", "-nostdlib", "-e", "_mainCRTStartup", "-o", str(exe),
                    str(PROGRAMS / "win" / "k32.c"), "-lkernel32"], check=True)
    res = tblc("run", "-e", "trace=NtWriteFile", exe)
    assert res.returncode == 7 and res.stdout == b"hello from kernel32\n"
    err = res.stderr.decode()
    assert "  NtWriteFile(0x8, " in err and "kernel32." not in err
    res = tblc("run", "-e", "trace=kernel32.WriteFile", exe)
    err = res.stderr.decode()
    assert "kernel32.WriteFile(" in err and "NtWriteFile" not in err
