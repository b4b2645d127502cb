"""busybox's own test suite under sysvec: every test the host passes must pass under
`tblc run` (scripts/busybox-testsuite). It takes many minutes, so it runs only when asked:
SYSVEC_BUSYBOX_SUITE=1 runs all of it, SYSVEC_BUSYBOX_SUITE="mdev cpio" those applets."""
from __future__ import annotations

import os
import subprocess

import pytest

from conftest import REPO

WANTED = os.environ.get("SYSVEC_BUSYBOX_SUITE", "")


@pytest.mark.skipif(not WANTED, reason="set SYSVEC_BUSYBOX_SUITE=1 (all) or to applet names")
def test_busybox_testsuite_passes_under_sysvec_what_it_passes_on_the_host():
    applets = [] if WANTED == "1" else WANTED.split()
    res = subprocess.run([str(REPO / "scripts/busybox-testsuite"), "-q", *applets],
                         capture_output=True, text=True, timeout=4 * 3600)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "passes on the host, not under sysvec: 0" in res.stdout
