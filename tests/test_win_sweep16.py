"""What a sweep of Windows programs from PyPI wheels found: mpv (anki-audio's wheel) sets
SearchPath's safe mode before anything else."""
from __future__ import annotations

import pytest

from conftest import make_root, tblc


@pytest.mark.parametrize("bits", [64, 32])
def test_search_path_looks_where_windows_looks_and_safe_mode_moves_the_current_directory(
        mingw, tmp_path, bits):
    """mpv died calling SetSearchPathMode. SearchPath with no path looked only in the current
    directory and PATH: the program's own directory, System32 and the Windows directory come
    first, and in safe mode the current directory after them; once made permanent, the mode
    cannot be changed."""
    root = make_root(tmp_path, {"/app/prog.exe": mingw("search_path_mode", bits)})
    res = tblc("run", "--root", root, "--cwd", "/", "/app/prog.exe")
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.decode().splitlines() == [
        r"beside: C:\app\beside.txt (beside.txt)",
        r"here: C:\spm\here.txt (here.txt)",
        r"cmd: C:\Windows\System32\cmd.exe (cmd.exe)",
        r"kernel32: C:\spm\kernel32.dll (kernel32.dll)",
        "mode 1: 1 0",
        r"safe kernel32: C:\Windows\System32\kernel32.dll (kernel32.dll)",
        r"safe here: C:\spm\here.txt (here.txt)",
        "mode 10000: 1 0",
        r"unsafe kernel32: C:\spm\kernel32.dll (kernel32.dll)",
        "mode 0: 0 87",
        "mode 8000: 0 87",
        "mode 18000: 0 87",
        "mode 10001: 0 87",
        "mode 8001: 1 0",
        "mode 10000: 0 5",
        "mode 1: 0 5",
        r"permanent kernel32: C:\Windows\System32\kernel32.dll (kernel32.dll)",
        r"path given: 15 C:\spm\here.txt"]
