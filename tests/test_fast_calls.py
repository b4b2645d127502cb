"""Calls csrc/handlers.c answers in C when it can and Python answers otherwise: both answer as
Linux does. FUTEX_WAKE while no thread of the machine waits on a futex
(tests/programs/futex_wake.c); rt_sigprocmask unless the change unblocks a pending signal, and
rt_sigaction when it only asks (tests/programs/sigmask_calls.c)."""
from __future__ import annotations

import subprocess

import pytest

from conftest import calls_python_answers, tblc


# program, its extra compiler flags, lines its output must hold (the whole output is the host's)
PROGRAMS = {
    "futex_wake": (("-pthread",), [b"thread woken: 1\n", b"process woken: 1, exit 7\n"]),
    "sigmask_calls": ((), [b"unblock: 0 caught 1\n", b"libc sigprocmask: caught 3\n"]),
}


@pytest.mark.parametrize("program", sorted(PROGRAMS))
@pytest.mark.parametrize("cc,flags", [("musl-gcc", ()), ("gcc", ()), ("gcc", ("-m32",))],
                         ids=["musl", "glibc", "glibc-i386"])
def test_c_and_python_answers_match_the_host(toolchain, program, cc, flags):
    extra, lines = PROGRAMS[program]
    exe = toolchain.c(program, cc=cc, flags=extra + tuple(flags))
    host = subprocess.run([str(exe)], capture_output=True, check=True, timeout=60).stdout
    res = tblc("run", exe, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout == host
    assert all(line in res.stdout for line in lines)


def test_a_wake_with_no_waiter_never_enters_python(toolchain, tmp_path):
    """21 wakes while nobody waits are C's; the wakes that find the thread and the process,
    and the waits, are Python's; the machine's count of waiters ends at 0."""
    exe = toolchain.c("futex_wake", cc="gcc", flags=("-pthread",))
    seen, kernel = calls_python_answers(tmp_path, exe, subprocess.DEVNULL)
    seen = [args for name, args in seen if name == "futex" and args[1] & 0x7F == 1]
    assert kernel.futex_waiting[0] == 0
    # glibc's own wakes (pthread_join, exit) may reach Python while a waiter is queued
    assert 1 <= len(seen) < 10, len(seen)


def test_a_mask_change_that_unblocks_nothing_pending_never_enters_python(toolchain, tmp_path):
    """Of the program's ~2030 rt_sigprocmask calls, Python answers the three that unblock a
    pending SIGUSR1 (it delivers it before the call returns) and nothing else."""
    exe = toolchain.c("sigmask_calls", cc="gcc")
    seen, _ = calls_python_answers(tmp_path, exe, subprocess.DEVNULL)
    seen = [args for name, args in seen if name == "rt_sigprocmask"]
    assert len(seen) == 3, seen


def test_an_action_query_never_enters_python(toolchain, tmp_path):
    """The program asks for actions 14 times (good and bad requests) and sets one 4 times
    (signal, sigaction): only the 4 reach Python, and the queries after them see the
    actions they set (test_signal_mask_changes_match_the_host)."""
    exe = toolchain.c("sigmask_calls", cc="gcc")
    seen, _ = calls_python_answers(tmp_path, exe, subprocess.DEVNULL)
    seen = [args for name, args in seen if name == "rt_sigaction"]
    assert len(seen) == 4 and all(args[1] for args in seen), seen
