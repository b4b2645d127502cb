"""PEB->Ldr, the loader's module lists, as code that skips kernel32 walks them: a failing
`zig test` died calling ntdll's LdrFindEntryForAddress for its stack trace, and PEB->Ldr was
NULL, so Zig's std.debug, hand-made GetModuleHandle and backtrace libraries found nothing."""
from __future__ import annotations

import pytest

from conftest import make_root, tblc


def _lines(mingw, tmp_path, name: str, bits: int, status: int = 0) -> list[str]:
    """What tests/programs/win/NAME.c prints, run as /prog.exe in / of a root of its own."""
    root = make_root(tmp_path, {"/prog.exe": mingw(name, bits)})
    res = tblc("run", "--root", root, "--cwd", "/", "/prog.exe")
    assert res.returncode == status, res.stdout + res.stderr
    return res.stdout.decode().splitlines()


@pytest.mark.parametrize("bits", [64, 32])
def test_peb_ldr_lists_every_module_and_ldr_find_entry_for_address_finds_them(
        mingw, tmp_path, bits):
    lines = _lines(mingw, tmp_path, "loader_lists", bits)
    load = lines[1].split()
    assert load[:4] == ["load:", "prog.exe", "ntdll.dll", "kernel32.dll"]
    assert "msvcrt.dll" in load
    init = lines[3].split()
    assert init[:3] == ["init:", "ntdll.dll", "kernel32.dll"] and "prog.exe" not in init
    assert [lines[0], lines[2]] + lines[4:] == [
        "initialized 1, length ok 1",
        "memory order is load order 1, links consistent 1",
        "handles 1, paths 1, sizes 1, kernel32 C:\\Windows\\System32\\kernel32.dll",
        "loaded: in the list 1, base matches 1",
        "freed 1: in the list 0",
        "find kernel32 code: 0 kernel32.dll, same entry 1",
        "find main: 0 prog.exe",
        "find 0x10: 0x8000001a",
        "LdrGetDllHandle: 0, matches 1",
        "LdrGetDllHandle nothere: 0xc0000135"]
