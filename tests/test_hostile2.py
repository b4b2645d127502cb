"""Hostile inputs, second sweep: every system call number fuzzed in a child of its own, corrupt
binaries, malformed table specs and ways out of the root. Each ends in a clear error, an errno
or a signal for the guest alone: never a traceback, an internal error or a host file reached.

SYSVEC_FUZZ_ITER sets how many times the fuzzer calls each number (CI: a few seconds)."""
from __future__ import annotations

import os

import pytest

from conftest import make_root, tblc

FUZZ_ITER = int(os.environ.get("SYSVEC_FUZZ_ITER", "6"))
TOOLCHAINS = [("gcc", ()), ("musl-gcc", ()), ("gcc", ("-m32",))]
TOOLCHAIN_IDS = ["glibc-x86_64", "musl-x86_64", "glibc-i386"]


def assert_clean(res) -> None:
    err = res.stderr.decode(errors="replace")
    assert "internal error" not in err and "Traceback" not in err, err[-3000:]
    assert res.returncode != 70, err[-3000:]


@pytest.mark.parametrize("seed", [5])
@pytest.mark.parametrize("cc,flags", TOOLCHAINS, ids=TOOLCHAIN_IDS)
def test_every_call_number_answers_hostile_arguments_in_a_child_of_its_own(
        toolchain, tmp_path, cc, flags, seed):
    """Each number, read, mmap, munmap and clone included, called with wild pointers, pages
    it may not touch, huge sizes and descriptors of every kind: a child may crash or be
    killed at its deadline, but no handler fails inside (SIGSYS) and the machine goes on."""
    root = make_root(tmp_path, {"/fuzz": toolchain.c("sysfuzz_each", cc=cc, flags=flags)})
    res = tblc("run", "--root", root, "/fuzz", seed, FUZZ_ITER, timeout=300)
    assert_clean(res)
    assert res.returncode == 0, res.stdout.decode() + res.stderr.decode()[-3000:]
    assert b"sigsys 0, no fork 0\n" in res.stdout, res.stdout


@pytest.mark.parametrize("cc,flags", [("gcc", ("-m32",)), ("gcc", ())], ids=["i386", "x86_64"])
def test_clone_refuses_a_bad_tls_argument_before_the_child_exists(toolchain, cc, flags):
    """i386's CLONE_SETTLS descriptor was read when the child first ran, outside the call:
    an unreadable or refused one (entry -1, a 16-bit segment) ended the whole machine with
    an internal error, and the child was loaded with %gs of the new entry rather than its
    parent's selector. x86-64 took an fs base in the kernel half. Now clone checks the
    argument as Linux's set_new_tls does and fails with no child made; the lines are
    Linux's."""
    res = tblc("run", toolchain.c("clone_bad_tls", cc=cc, flags=flags))
    assert_clean(res)
    assert res.returncode == 0, res.stderr
    if flags:
        assert res.stdout.decode().splitlines() == [
            "unreadable user_desc: Bad address, child -, none left 1",
            "user_desc across the end of memory: Bad address, child -, none left 1",
            "entry -1: Invalid argument, child -, none left 1",
            "entry 5: Invalid argument, child -, none left 1",
            "16-bit segment: Invalid argument, child -, none left 1",
            "code segment: Invalid argument, child -, none left 1",
            "not present: Invalid argument, child -, none left 1",
            "good: made, child exited 42, none left 1",
            "all zero: no segment: made, child exited 42, none left 1",
            "all zero on %gs's own entry: made, child killed by SEGV, none left 1"]
    else:
        assert res.stdout.decode().splitlines() == [
            "kernel half: Operation not permitted, child -, none left 1",
            "just past user space: Operation not permitted, child -, none left 1",
            "good: made, child exited 42, none left 1"]
