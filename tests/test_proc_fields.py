"""/proc/PID/stat, status, wchan and the mount table as Linux 6.x writes them: what ps,
findmnt and mountpoint read. Each program prints what it saw; the expected lines are what
it prints natively on Linux 6.x (as root)."""
from __future__ import annotations

import pytest

from conftest import make_root, tblc

CCS = ["gcc", "musl-gcc", "gcc -m32"]


def _run(toolchain, tmp_path, name: str, cc: str, *args) -> list[str]:
    cc, *flags = cc.split()
    root = make_root(tmp_path, {"/prog": toolchain.c(name, cc, tuple(flags))})
    res = tblc("run", "--root", root, "/prog", *args)
    assert res.returncode == 0, res.stdout + res.stderr
    return res.stdout.decode().splitlines()


@pytest.mark.parametrize("cc", CCS)
def test_stat_shows_nice_policy_rt_priority_and_signal_masks(toolchain, tmp_path, cc):
    """ps's NI, PRI, CLS and RTPRIO columns and its N flag come from stat fields 18, 19, 40
    and 41 (they were 20 0 ... 0 0 whatever setpriority and sched_setscheduler did); fields
    31-34 are status's SigPnd, SigBlk, SigIgn and SigCgt in decimal."""
    assert _run(toolchain, tmp_path, "proc_sched_fields", cc) == [
        "start: fields 52 prio 20 nice 0 rt_priority 0 policy 0",
        "nice: fields 52 prio 30 nice 10 rt_priority 0 policy 0",
        "fifo: fields 52 prio -11 nice 10 rt_priority 10 policy 1",
        "signals: pending 16384 blocked 16384 ignored 4096 caught 512",
        "SigPnd:\t0000000000004000", "SigBlk:\t0000000000004000",
        "SigIgn:\t0000000000001000", "SigCgt:\t0000000000000200",
        "wchan: [0]"]


def test_busybox_ps_shows_a_reniced_process_nice(busybox, tmp_path):
    root = make_root(tmp_path, {"/bin/busybox": busybox})
    res = tblc("run", "--root", root, "/bin/busybox", "sh", "-c",
               "/bin/busybox renice -n 5 -p $$ >/dev/null; "
               "/bin/busybox ps -o pid,nice,stat | /bin/busybox grep -w $$")
    assert res.returncode == 0, res
    assert res.stdout.decode().split()[1:] == ["5", "SN"], res.stdout
