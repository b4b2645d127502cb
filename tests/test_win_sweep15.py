"""What a sweep of Windows programs found: GNU make reports a missing command with
user32's wsprintf, Bun's C runtime builds a case table with LCMapStringEx and must get back
as many characters as it gave, and cmd.exe's echo(, type with wildcards and move's
messages."""
from __future__ import annotations

import pytest

from conftest import WIN, make_root, tblc, windows_lines


@pytest.mark.parametrize("bits", [64, 32])
def test_wsprintf_formats_without_floating_point_in_1024_characters(mingw, tmp_path, bits):
    """make.exe died calling USER32.dll!wsprintfA; on i386 wsprintfA is cdecl (WINAPIV), so
    a stub popping its arguments would wreck the caller's stack."""
    assert windows_lines(mingw, tmp_path, "wsprintf", bits) == [
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
    assert windows_lines(mingw, tmp_path, "case_mapping", bits) == [
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


def test_cmd_echo_paren_type_wildcards_and_move_messages(mingw, tmp_path):
    """`echo(hello` was a program named "echo(hello"; `type *.txt` looked for a file named
    *.txt (several files: each one's name on standard error, the contents alone on standard
    output); moving a folder said "1 file(s) moved.", and moving nothing added "0 file(s)
    moved." to the error."""
    root = make_root(tmp_path, {"/bin/run.exe": mingw("run_system", 64),
                                "/w/cmd_gaps.bat": (WIN / "batch" / "cmd_gaps.bat").read_bytes()})
    res = tblc("run", "--root", root, "--cwd", "/w", "/bin/run.exe", "cmd_gaps")
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().replace("\r\n", "\n").splitlines() == [
        "hello", "", "one", "two", "type none: 1", "one",
        "        1 dir(s) moved.", "d2 there", "move missing: 1", "status=1"]
    assert res.stderr.decode().replace("\r\n", "\n").splitlines() == [
        "a.txt", "b.txt", "The system cannot find the file specified.",
        "The system cannot find the file specified."]
