"""What the host and the runtime do never becomes a guest's result: host signals end the run
with 128+signal, a failing trace sink stops tracing with one warning, and a handler bug ends
the process it hit with SIGSYS and a report instead of a made-up errno."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from conftest import REPO, make_root, tblc

LOOP = "i=0; while [ $i -lt 4000 ]; do i=$((i+1)); echo x > /dev/null; done; echo done $i; exit 7"


def tblc_cmd() -> list[str]:
    exe = shutil.which("tblc")
    return [exe] if exe else [sys.executable, "-m", "sysvec.cli"]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP],
                         ids=["SIGTERM", "SIGINT", "SIGHUP"])
@pytest.mark.parametrize("script", ["while :; do true; done",
                                    "while :; do echo x > /dev/null; done",
                                    "sleep 100"], ids=["compute", "calls", "blocked"])
def test_host_signal_ends_the_run_with_128_plus_signal(busybox, tmp_path, signum, script):
    """A spinning guest, one making Python-handled calls (where the signal lands inside a
    handler), and one blocked in a wait all end promptly; nothing is reported as an error."""
    root = make_root(tmp_path, {"/bin/busybox": busybox})
    proc = subprocess.Popen(tblc_cmd() + ["run", "--root", str(root), "/bin/busybox", "sh", "-c",
                                          "echo started; " + script],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # The guest runs (tblc's handlers are in place) before the signal: a fixed sleep lost
    # that race on a loaded machine, and the host's default action killed tblc.
    assert proc.stdout.readline() == b"started\n"
    time.sleep(0.5)
    sent = time.monotonic()
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 128 + signum, err
    assert time.monotonic() - sent < 5
    assert b"internal error" not in err and b"Traceback" not in err, err


def test_trace_sink_that_closes_stops_tracing_and_the_guest_runs_on(busybox, tmp_path):
    """--trace to a pipe whose reader goes away (`2>&1 | head`): one warning, the guest's
    calls keep their results, and its exit status is its own."""
    root = make_root(tmp_path, {"/bin/busybox": busybox})
    proc = subprocess.Popen(tblc_cmd() + ["run", "--trace", "--root", str(root), "/bin/busybox",
                                          "sh", "-c", LOOP],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stderr.read(300)
    proc.stderr.close()
    out = proc.stdout.read()
    assert proc.wait(timeout=60) == 7
    assert out == b"done 4000\n"


def test_trace_to_a_full_device_warns_once(busybox, tmp_path):
    root = make_root(tmp_path, {"/bin/busybox": busybox})
    with open("/dev/full", "w") as full:
        res = subprocess.run(tblc_cmd() + ["run", "--trace", "--root", str(root), "/bin/busybox",
                                           "sh", "-c", LOOP], stdout=subprocess.PIPE, stderr=full,
                             timeout=60)
    assert (res.returncode, res.stdout) == (7, b"done 4000\n")


def test_unwritable_trace_timeline_is_a_warning_not_a_traceback(toolchain, tmp_path):
    res = tblc("run", "--trace-json", tmp_path / "no" / "such" / "dir.json",
               toolchain.asm("hello64"))
    assert (res.returncode, res.stdout) == (0, b"hello\n"), res.stderr
    assert b"cannot write the trace timeline" in res.stderr and b"Traceback" not in res.stderr


BUGGY_TABLE = """\
table     buggy_x86_64
platform  buggy_x86_64
arch      x86_64
gate      syscall
number    eax
args      rdi, rsi, rdx, r10, r8, r9
return    rax
errors    errno
handlers  buggy_handlers

#  nr  name   arguments                            return   handler
    1  write  (fd fd, in[count] buf, size count)  -> ssize  py
   60  exit   (int error_code)                    -> void   py
"""

BUGGY_HANDLERS = """\
from sysvec.runtime.linux.process import sys_exit


def sys_write(p, fd, buf, count):
    raise RuntimeError("a deliberate bug in a personality's write handler")
"""


def test_handler_bug_ends_the_process_with_sigsys_and_a_report(toolchain, tmp_path):
    """A Python handler that raises is a bug: the process ends with SIGSYS (exit status
    128+31) and one line names the call, instead of the guest getting ENOSYS and running on."""
    (tmp_path / "buggy.tbl").write_text(BUGGY_TABLE)
    (tmp_path / "buggy_handlers.py").write_text(BUGGY_HANDLERS)
    (tmp_path / "m.yaml").write_text(f"tables: [{tmp_path / 'buggy.tbl'}]\n"
                                     "links: {elf64: buggy_x86_64}\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in (str(tmp_path), str(REPO), os.environ.get("PYTHONPATH", "")) if p))
    res = subprocess.run(tblc_cmd() + ["run", "--manifest", str(tmp_path / "m.yaml"),
                                       str(toolchain.asm("hello64"))],
                         capture_output=True, env=env, timeout=120)
    assert res.returncode == 128 + signal.SIGSYS, res.stderr
    assert res.stdout == b""
    err = res.stderr.decode()
    assert "internal error in the write handler" in err and "SIGSYS" in err
    assert "RuntimeError: a deliberate bug" in err and "Traceback" not in err
