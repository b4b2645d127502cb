"""What a sweep of Windows programs found missing: pdh.dll's ANSI forms and netapi32's
accounts (rescript, through the Rust sysinfo crate), msvcp140's std::uncaught_exceptions
(workerd), and System32's fc.exe (buildifier -mode=diff) and reg.exe (selenium-manager's
REG QUERY for Chrome's version)."""
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


@pytest.mark.parametrize("bits", [64, 32])
def test_netapi32_lists_the_machines_user_and_lsa_no_session(mingw, tmp_path, bits):
    """What the sysinfo crate asks next (rescript): NetUserEnum's one account in Users."""
    root = make_root(tmp_path, {"/nu.exe": mingw("net_users", bits,
                                                 libs=("-lnetapi32", "-lsecur32"))})
    res = tblc("run", "--root", root, "/nu.exe")
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.decode().splitlines() == [
        "NetUserEnum 0: 1 of 1, user", "groups 0: 1, Users", "unknown user 2221, level 1 124",
        "sessions 0: 0, free 0"]


def _system(root, command: str) -> list[str]:
    """command run by run.exe's system() (cmd /c): its output, standard output then standard
    error, and the status."""
    res = tblc("run", "--root", root, "--cwd", "/w", "/w/run.exe", command)
    return res.stdout.decode().replace("\r\n", "\n").split("\n")[:-1] + \
        res.stderr.decode().replace("\r\n", "\n").splitlines()


def test_fc_compares_text_and_bytes_with_windows_output_and_status(mingw, tmp_path):
    """fc's status is buildifier -mode=diff's answer: 0 the same, 1 different, 2 a file
    missing, -1 a bad command line; a difference is shown between the lines that match
    around it, the second file named in capitals."""
    root = make_root(tmp_path, {"/w/run.exe": mingw("run_system", 64),
                                "/w/a.txt": b"a\r\nb\r\nc\r\nd\r\ne\r\n",
                                "/w/b.txt": b"a\r\nX\r\nc\r\nd\r\ne\r\nf\r\n",
                                "/w/upper.txt": b"A\r\nB\r\nC\r\nD\r\nE\r\n",
                                "/w/spaced.txt": b"a\r\nb  \r\nc\r\n d\r\ne\r\n",
                                "/w/copy.txt": b"a\r\nb\r\nc\r\nd\r\ne\r\n"})
    assert _system(root, "fc a.txt b.txt") == [
        "Comparing files a.txt and B.TXT", "***** a.txt", "a", "b", "c", "***** B.TXT",
        "a", "X", "c", "*****", "", "***** a.txt", "e", "***** B.TXT", "e", "f", "*****", "",
        "status=1"]
    assert _system(root, "fc a.txt copy.txt") == [
        "Comparing files a.txt and COPY.TXT", "FC: no differences encountered", "",
        "status=0"]
    assert _system(root, "fc a.txt upper.txt")[-1] == "status=1"
    assert _system(root, "fc /c a.txt upper.txt")[-1] == "status=0"
    assert _system(root, "fc /w a.txt spaced.txt")[-1] == "status=0"
    assert _system(root, "fc /n a.txt b.txt")[1:5] == ["***** a.txt", "    1:  a", "    2:  b",
                                                       "    3:  c"]
    assert _system(root, "fc /b a.txt b.txt") == [
        "Comparing files a.txt and B.TXT", "00000003: 62 58", "FC: B.TXT longer than a.txt",
        "status=1"]
    assert _system(root, "fc /b a.txt copy.txt")[-1] == "status=0"
    assert _system(root, "fc a.txt nothere.txt") == [
        "status=2", "FC: cannot open NOTHERE.TXT - No such file or folder"]
    assert _system(root, "fc a.txt") == [
        "status=-1", "FC: Insufficient number of file specifications"]


def test_reg_queries_adds_and_deletes_in_the_machines_registry(mingw, tmp_path):
    """REG QUERY (selenium-manager's for Chrome's version), ADD and DELETE with Windows'
    output: values as `    name    TYPE    data` under the key's full name, 1 and an
    ERROR line for a key or value that is not there; only HKEY_CURRENT_USER is writable."""
    root = make_root(tmp_path, {"/w/run.exe": mingw("run_system", 64)})
    missing = "ERROR: The system was unable to find the specified registry key or value."
    beacon = "HKCU\\Software\\Google\\Chrome\\BLBeacon"
    assert _system(root, f"REG QUERY {beacon} /v version") == ["status=1", missing]
    assert _system(root, f"reg add {beacon} /v version /t REG_SZ /d 120.0.6099.110 /f && "
                         f"reg query {beacon} /v version") == [
        "The operation completed successfully.", "",
        "HKEY_CURRENT_USER\\Software\\Google\\Chrome\\BLBeacon",
        "    version    REG_SZ    120.0.6099.110", "", "status=0"]
    assert _system(root, 'reg query "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion" '
                         "/v ProductName")[1:3] == [
        "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion",
        "    ProductName    REG_SZ    Windows 10 Pro"]
    made = ("reg add HKCU\\Software\\T /v n /t REG_DWORD /d 0x1F /f >NUL && "
            "reg add HKCU\\Software\\T /v m /t REG_MULTI_SZ /d a\\0b /f >NUL && "
            "reg add HKCU\\Software\\T /v bin /t REG_BINARY /d 0aff /f >NUL && "
            "reg add HKCU\\Software\\T\\Sub /ve /d def /f >NUL && ")
    values = ["HKEY_CURRENT_USER\\Software\\T", "    n    REG_DWORD    0x1f",
              "    m    REG_MULTI_SZ    a\\0b", "    bin    REG_BINARY    0AFF"]
    assert _system(root, made + "reg query HKCU\\Software\\T") == [
        "", *values, "", "HKEY_CURRENT_USER\\Software\\T\\Sub", "status=0"]
    assert _system(root, made + "reg query hkcu\\software\\t /s") == [
        "", "HKEY_CURRENT_USER\\software\\t", *values[1:], "",
        "HKEY_CURRENT_USER\\software\\t\\Sub", "    (Default)    REG_SZ    def", "",
        "status=0"]
    assert _system(root, made + "reg query HKCU\\Software\\T /ve") == [
        "", "HKEY_CURRENT_USER\\Software\\T", "    (Default)    REG_SZ    (value not set)",
        "status=0"]
    assert _system(root, made + "reg query HKCU\\Software\\T /ve /s") == [
        "", "HKEY_CURRENT_USER\\Software\\T\\Sub", "    (Default)    REG_SZ    def", "",
        "End of search: 1 match(es) found.", "status=0"]
    assert _system(root, made + "reg delete HKCU\\Software\\T /v n /f && "
                                "reg query HKCU\\Software\\T /v n") == [
        "The operation completed successfully.", "", "status=1", missing]
    assert _system(root, made + "(echo n| reg add HKCU\\Software\\T /v n /d 2) && "
                                "(echo y| reg delete HKCU\\Software\\T) && "
                                "reg query HKCU\\Software\\T") == [
        "Value n exists, overwrite(Yes/No)? The operation was canceled by the user.",
        "Permanently delete the registry key HKEY_CURRENT_USER\\Software\\T (Yes/No)? "
        "The operation completed successfully.", "status=1", missing]
    assert _system(root, "reg add HKLM\\Software\\X /f") == [
        "status=1", "ERROR: Access is denied."]
    assert _system(root, "reg query HKCU\\Software /x") == [
        "status=1", "ERROR: Invalid syntax.", 'Type "REG QUERY /?" for usage.']


@pytest.mark.parametrize("bits", [64, 32])
def test_reg_and_the_program_share_the_machines_registry(mingw, tmp_path, bits):
    """A value reg adds is read with RegGetValue; one the program sets is listed by reg
    query; one reg deletes is gone for the program's open key."""
    root = make_root(tmp_path, {"/rr.exe": mingw("reg_roundtrip", bits, libs=("-ladvapi32",))})
    res = tblc("run", "--root", root, "/rr.exe")
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.decode().replace("\r\n", "\n").splitlines() == [
        "reg add 0, RegGetValue 0: 42", "", "HKEY_CURRENT_USER\\Software\\sysvec",
        "    count    REG_DWORD    0x2a", "    name    REG_SZ    from the program", "",
        "reg query 0", "reg delete 0, RegQueryValueEx 2"]
