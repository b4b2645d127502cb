"""FUTEX_WAKE answered in C while no thread of the machine waits on a futex (csrc/handlers.c),
and in Python while one does: both answer as Linux does (tests/programs/futex_wake.c)."""
from __future__ import annotations

import subprocess

import pytest

from sysvec.runtime.machine import Machine

from conftest import make_root, tblc


@pytest.mark.parametrize("cc,flags", [("musl-gcc", ()), ("gcc", ()), ("gcc", ("-m32",))],
                         ids=["musl", "glibc", "glibc-i386"])
def test_wakes_with_and_without_waiters_match_the_host(toolchain, cc, flags):
    exe = toolchain.c("futex_wake", cc=cc, flags=("-pthread",) + tuple(flags))
    host = subprocess.run([str(exe)], capture_output=True, check=True, timeout=60).stdout
    res = tblc("run", exe, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout == host
    assert b"thread woken: 1\n" in res.stdout and b"process woken: 1, exit 7\n" in res.stdout


def test_a_wake_with_no_waiter_never_enters_python(toolchain, tmp_path):
    """21 wakes while nobody waits are C's; the wakes that find the thread and the process,
    and the waits, are Python's; the machine's count of waiters ends at 0."""
    exe = toolchain.c("futex_wake", cc="gcc", flags=("-pthread",))
    m = Machine(root=make_root(tmp_path, {"/futex_wake": exe}))
    kernel = m.kernel
    seen: list[int] = []
    answer = kernel.python_call

    def counting(nr, args):
        if kernel.running.sysvec.calls[nr].name == "futex" and args[1] & 0x7F == 1:
            seen.append(nr)
        return answer(nr, args)
    kernel.python_call = counting
    proc = m.spawn("/futex_wake", ["/futex_wake"], stdio=(None, subprocess.DEVNULL, None))
    assert m.run() is True and proc.returncode == 0
    assert kernel.futex_waiting[0] == 0
    m.close()
    # glibc's own wakes (pthread_join, exit) may reach Python while a waiter is queued
    assert 1 <= len(seen) < 10, len(seen)
