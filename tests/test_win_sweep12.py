"""What a sweep of Windows programs found missing: pdh.dll's ANSI forms (rescript, through
the Rust sysinfo crate), msvcp140's std::uncaught_exceptions (workerd), and System32's fc.exe
(buildifier -mode=diff) and reg.exe (selenium-manager's REG QUERY for Chrome's version)."""
from __future__ import annotations

import pytest

from conftest import make_root, tblc
from test_cxxeh import IMPORTS, _clang_msvc


@pytest.mark.parametrize("bits", [64, 32])
def test_pdh_ansi_queries_open_add_collect_and_close(mingw, tmp_path, bits):
    root = make_root(tmp_path, {"/pdh.exe": mingw("pdh_ansi", bits, libs=("-lpdh",))})
    res = tblc("run", "--root", root, "/pdh.exe")
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.decode().splitlines() == [
        "ansi 0 0 0 0 0 value 0, close 0", "unsuffixed 0, close 0", "bad query 0xc0000bbc"]


@pytest.mark.parametrize("arch", ["x86_64", pytest.param("i386", marks=pytest.mark.xfail(
    strict=True, reason="i386's dispatches (seh_i386) are not the ones vcruntime's "
                        "__uncaught_exceptions counts: 0 while the stack unwinds"))])
def test_msvcp140_uncaught_exceptions_counts_the_exception_in_flight(tmp_path, arch):
    """The export binds (on i386 too: cdecl, the same decorated name) and answers as
    vcruntime's __uncaught_exceptions does."""
    imports = {**IMPORTS, "msvcp140": ["?uncaught_exceptions@std@@YAHXZ"]}
    if arch == "i386":
        imports["VCRUNTIME140"] = ["_CxxThrowException@8", "__CxxFrameHandler3",
                                   "??_7type_info@@6B@"]
    (tmp_path / "build").mkdir()
    exe = _clang_msvc(tmp_path / "build", "cxx_uncaught_count", imports, arch)
    root = make_root(tmp_path, {"/u.exe": exe})
    res = tblc("run", "--root", root, "/u.exe")
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.decode().splitlines() == [
        "before: 0", "unwinding: 1", "caught 7: 0", "after: 0"]
