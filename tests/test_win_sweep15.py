"""What a sweep of Windows programs found (stop 39): GNU make reports a missing command with
user32's wsprintf, Bun's C runtime builds a case table with LCMapStringEx and must get back
as many characters as it gave, and cmd.exe's echo(, type with wildcards and move's
messages."""
from __future__ import annotations

import pytest

from conftest import make_root, tblc


def _lines(mingw, tmp_path, name: str, bits: int, libs=(), status: int = 0) -> list[str]:
    """What tests/programs/win/NAME.c prints, run as /prog.exe in / of a root of its own,
    ending with status."""
    root = make_root(tmp_path, {"/prog.exe": mingw(name, bits, libs=libs)})
    res = tblc("run", "--root", root, "--cwd", "/", "/prog.exe")
    assert res.returncode == status, res.stdout + res.stderr
    return res.stdout.decode().splitlines()


@pytest.mark.parametrize("bits", [64, 32])
def test_wsprintf_formats_without_floating_point_in_1024_characters(mingw, tmp_path, bits):
    """make.exe died calling USER32.dll!wsprintfA; on i386 wsprintfA is cdecl (WINAPIV), so
    a stub popping its arguments would wreck the caller's stack."""
    assert _lines(mingw, tmp_path, "wsprintf", bits) == [
        "54 [make (e=2): The system cannot find the file specified.]",
        "41 [ab  |-0042|0xff|4000000000|z|wide|short|0]",
        "15 [no float f e 7%]",
        "18 [-5 123456789 after]",
        "1023 1023",
        "15 [wide=7 narrow w]",
        "8 [3-v-beef]",
        "8 [4-w-BEEF]"]
