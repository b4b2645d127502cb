"""What a sweep of Windows programs from PyPI wheels found (stop 37): pdh's counter arrays
(nats-server), the well-known SIDs (kingfisher), a Windows program's environment."""
from __future__ import annotations

import pytest

from conftest import make_root, tblc


@pytest.mark.parametrize("bits", [64, 32])
def test_pdh_counter_arrays_list_each_instance(mingw, tmp_path, bits):
    root = make_root(tmp_path, {"/pdh_array.exe": mingw("pdh_array", bits, libs=("-lpdh",))})
    res = tblc("run", "--root", root, "/pdh_array.exe")
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.decode().splitlines() == [
        "processors: more data 1, 0, 2 items: 0=0/0 _Total=0/0",
        "process: more data 1, 0, 2 items: _Total=0/0 self 1",
        "one: more data 1, 0, 1 items: pdh_array=0/0"]
