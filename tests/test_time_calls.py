"""clock_gettime, gettimeofday and time answered in C (csrc/handlers.c): the same clocks as the
Python time calls (clock_getres agrees on every clock id), the host's time, EFAULT for a bad
pointer, and still complete in the trace though no Python handler runs."""
from __future__ import annotations

import re
import time

import pytest

from conftest import make_root, tblc


@pytest.mark.parametrize("flags", [(), ("-m32",)], ids=["x86_64", "i386"])
def test_time_calls_in_c(toolchain, tmp_path, flags):
    prog = toolchain.c("time_calls", cc="gcc", flags=flags)
    root = make_root(tmp_path, {"time_calls": prog})
    before = int(time.time())
    res = tblc("run", "--root", root, "--trace", "/time_calls")
    after = int(time.time())
    assert res.returncode == 0, res.stderr
    out = res.stdout.decode()
    for clk in range(13):
        m = re.search(rf"^clock {clk} gettime=(\d+) getres=(\d+) ok=1$", out, re.M)
        assert m, out
        assert m[1] == m[2], f"clock {clk}: C says errno {m[1]}, Python {m[2]}"
        assert m[1] == ("22" if clk == 12 else "0")
    assert "efault=1" in out and "gettimeofday efault=1" in out
    assert "gettimeofday=0 usec_ok=1 tz=0,0" in out
    assert "time stored=1" in out
    sec, tv_sec = map(int, re.search(r"^realtime (\d+) (\d+)$", out, re.M).groups())
    assert before - 1 <= tv_sec <= sec <= after + 1
    trace = res.stderr.decode()
    assert trace.count("clock_gettime(") >= 14 and "gettimeofday(" in trace and "time(" in trace


@pytest.mark.parametrize("cc,flags", [("gcc", ()), ("gcc", ("-m32",)), ("musl-gcc", ())],
                         ids=["glibc-x86_64", "glibc-i386", "musl-x86_64"])
def test_timed_waits_never_end_before_their_time(toolchain, tmp_path, cc, flags):
    """A sleeper is woken a little before its deadline (runtime/block.py's EARLY_WAKE) and the
    restarted call waits out the rest: nanosleep, clock_nanosleep, poll, select, epoll_wait and
    a futex wait still never return early, and each still times out."""
    prog = toolchain.c("sleep_deadlines", cc=cc, flags=flags)
    res = tblc("run", "--root", make_root(tmp_path, {"sleep_deadlines": prog}), "/sleep_deadlines")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.decode().splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "nanosleep", "clock_nanosleep absolute", "poll", "select", "epoll_wait", "futex wait"]
    assert all(line.endswith(": early 0, not a timeout 0") for line in lines), lines
