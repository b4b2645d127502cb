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


@pytest.mark.parametrize("bits", [64, 32])
def test_case_mapping_keeps_the_length_character_by_character(mingw, tmp_path, bits):
    """Bun's C runtime upper-cased a 256-entry table with LCMapStringEx and got 257 back:
    ß has no one-character upper case, so Windows leaves it, as it leaves ﬀ; İ lower-cases
    to i. CharUpper/CharLower (and their Buff forms) and CompareStringOrdinal's ignoring of
    case map the same way."""
    assert _lines(mingw, tmp_path, "case_mapping", bits) == [
        "upper size 3",
        "upper 3: 00df 0041 0178",
        "lower 3: 0069 0078 fb00",
        "upper W 3: fb01 0058 0000",
        "table 256: 0041 039c 00df 0178",
        "upper A 4: df 41 9f 00",
        "CharUpperW 6: 0053 0054 0052 0041 00df 0045",
        "CharLowerW char 0069",
        "CharUpperBuffW 3: 00df fb00 0042 0021",
        "CharUpperBuffA 2: df 9f 71",
        "CharLowerBuffW 2: 0069 0061 0042",
        "ordinal 3"]
