"""Counts that LTP reaches and a quadratic kernel path cannot: mappings up to vm.max_map_count,
signals by the ten thousand, a thousand futex waiters. Each program prints what Linux answers
at that scale; the host running the same program is the model. (No timings are asserted: a
kernel cost that grows with the count shows up as a run that never ends.)"""
from __future__ import annotations

import subprocess

import pytest

from conftest import tblc


def host_and_sysvec(exe, *run_args) -> tuple[list[str], list[str]]:
    host = subprocess.run([str(exe)], capture_output=True, timeout=120, check=True)
    res = tblc("run", *run_args, exe, timeout=600)
    assert res.returncode == 0, res.stderr
    return host.stdout.decode().splitlines(), res.stdout.decode().splitlines()


@pytest.mark.parametrize("cc", ["gcc", "musl-gcc"])
def test_vm_max_map_count_limits_mappings_and_the_splits_at_the_limit(toolchain, cc):
    """mmap past vm.max_map_count gives ENOMEM; at the limit a munmap or mprotect that
    would cut a mapping in two fails with ENOMEM while whole-mapping changes succeed (LTP's
    munmap04)."""
    host, guest = host_and_sysvec(toolchain.c("mapcount", cc=cc))
    assert guest == host
    assert guest == [
        "mmap stopped with ENOMEM, near the limit", "munmap of a middle page: ENOMEM",
        "mprotect of a middle page: ENOMEM", "mprotect of a whole mapping: ok",
        "munmap of a first page: ok", "munmap of a whole mapping: ok",
        "mmap into the freed slot: ok", "unmapped all, 0 failures", "mmap afterwards: ok"]


@pytest.mark.parametrize("cc", ["gcc", "musl-gcc"])
def test_signal_flood_on_an_alternate_stack_another_thread_write_protects(toolchain, cc):
    """30,000 self-sent signals while another thread toggles the alternate stack read-only
    (LTP's signal06): each is handled, or replaced by the SIGSEGV Linux forces when its
    frame cannot be written; the vector registers survive. Alone, the failed frame runs
    the SIGSEGV handler, or kills without one."""
    host, guest = host_and_sysvec(toolchain.c("sigflood", cc=cc, flags=("-pthread",)))
    assert guest == host == [
        "loops 30000, vector registers kept",
        "every signal handled: yes",
        "frame on a read-only stack: SIGUSR1 handled 0, SIGSEGV handled 1",
        "without a SIGSEGV handler: killed by SIGSEGV"]


def test_a_thousand_futex_waiters_requeued_and_woken(toolchain):
    """A thousand processes in FUTEX_WAIT on a shared page, each seen sleeping in
    /proc/PID/stat; FUTEX_CMP_REQUEUE wakes 100 and moves 700, FUTEX_WAKE ends the rest
    (LTP's futex_cmp_requeue01)."""
    host, guest = host_and_sysvec(toolchain.c("futex_requeue", cc="gcc"), "--max-procs", "2048")
    assert guest == host == [
        "requeue woke or moved 800, the second futex woke 700, the first the other 200",
        "1000 of 1000 waiters woken"]
