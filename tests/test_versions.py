"""Versions in one spec: a base with a number per version (the NT data's columns), an overlay
with a default `version`, `--target` (or a manifest's `targets`) choosing another; the
dispatch arrays, ntdll.dll and the trace follow the chosen version."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from sysvec.compiler.check import check_file, load_table
from sysvec.compiler.emit_dll import dlls_for, stub
from sysvec.compiler.importer import import_nt_versions
from sysvec.runtime.machine import Machine

from conftest import PROGRAMS, make_root, tblc

REPO = Path(__file__).resolve().parents[1]
TABLES = REPO / "tables"
DATA = REPO.parent / "shared" / "data"
PROTOS = (TABLES / "prototypes" / "nt.txt").read_text()
SAMPLE = ("System call,Windows 2000 (SP4),Windows XP (SP3),Windows 7 (SP1)\n"
          "NtClose,0x0018,0x0019,0x0032\n"
          "NtWriteFile,0x00ed,0x0112,0x018c\n"
          "NtAddBootEntry,,0x0009,0x0009\n")
OVERLAY = """table     nt_x86
base      "base/nt_x86.tbl"
version   "Windows 2000 (SP4)"
arch      i386
gate      int 0x2e
number    eax
args      stack(edx)
return    eax
errors    ntstatus
#      nr  name         handler
   0x0018  NtClose      fail STATUS_NOT_IMPLEMENTED
"""


def make(tmp_path: Path, overlay: str = OVERLAY, sample: str = SAMPLE) -> Path:
    (tmp_path / "base").mkdir(exist_ok=True)
    columns = sample.splitlines()[0].split(",")[1:]
    (tmp_path / "base" / "nt_x86.tbl").write_text(
        import_nt_versions(sample, columns, PROTOS, "nt_x86", "i386"))
    path = tmp_path / "nt_x86.tbl"
    path.write_text(overlay)
    return path


def numbers(table) -> dict[str, int]:
    return {e.name: e.number for e in table.entries}


def test_one_base_numbers_every_version_and_the_overlay_picks_one(tmp_path):
    path = make(tmp_path)
    base = (tmp_path / "base" / "nt_x86.tbl").read_text()
    assert '[0xed,0x112,0x18c]  NtWriteFile' in base and "[-,0x9*2]  NtAddBootEntry" in base
    assert check_file(tmp_path / "base" / "nt_x86.tbl", False) == []
    default = load_table(path, False)
    assert default.version == "Windows 2000 (SP4)" and len(default.versions) == 3
    assert numbers(default) == {"NtClose": 0x18, "NtWriteFile": 0xED}    # no NtAddBootEntry
    xp = load_table(path, False, target="Windows XP SP3")
    assert xp.version == "Windows XP (SP3)"
    assert numbers(xp) == {"NtClose": 0x19, "NtAddBootEntry": 0x9, "NtWriteFile": 0x112}
    # the overlay's row follows its call to the other version
    assert {e.name: str(e.handler) for e in xp.entries}["NtClose"] == "fail STATUS_NOT_IMPLEMENTED"
    seven = load_table(path, False, targets={"nt_x86": "Windows 7 (SP1)"})
    assert numbers(seven)["NtWriteFile"] == 0x18C


def test_version_diagnostics(tmp_path):
    path = make(tmp_path, OVERLAY.replace("0x0018  NtClose", "0x0019  NtClose"))
    (d,) = check_file(path, False)     # overlay rows use the default version's numbers
    assert "the base has 'NtClose' at number 24, not 25" in d.message
    path.write_text(OVERLAY.replace('version   "Windows 2000 (SP4)"\n', ""))
    (d,) = check_file(path, False)
    assert "needs a 'version" in d.message and (d.span.line, d.span.column) == (2, 1)
    path.write_text(OVERLAY.replace("Windows 2000 (SP4)", "Windows 95"))
    (d,) = check_file(path, False)
    assert d.message == "the base has no version 'Windows 95'" and d.span.column == 11
    with pytest.raises(Exception, match="not a version of its base"):
        load_table(make(tmp_path), False, targets={"nt_x86": "Windows 95"})
    base = tmp_path / "base" / "nt_x86.tbl"
    text = base.read_text().replace("[0xed,0x112,0x18c]", "[0xed,0x112]      ")
    from sysvec.compiler.seal import content_hash
    import re
    base.write_text(re.sub(r'"sha256:[0-9a-f]+"', f'"{content_hash(text)}"', text))
    msgs = [d.message for d in check_file(base, False)]
    assert "'NtWriteFile' has 2 numbers; the base has 3 versions" in msgs
    plain = tmp_path / "plain.tbl"
    plain.write_text(OVERLAY.replace('base      "base/nt_x86.tbl"\n', "").replace(
        "   0x0018  NtClose      fail STATUS_NOT_IMPLEMENTED\n", ""))
    assert any("'version' belongs in the overlay" in d.message for d in check_file(plain, False))


def test_ntdll_of_two_targets_differs_exactly_in_its_stub_numbers(tmp_path):
    sample = SAMPLE.replace("NtAddBootEntry,,", "NtAddBootEntry,0x0001,")
    path = make(tmp_path, sample=sample)
    a = load_table(path, False, target="Windows 2000 (SP4)")
    b = load_table(path, False, target="Windows XP (SP3)")
    dll_a, dll_b = dlls_for(a, None)["ntdll"], dlls_for(b, None)["ntdll"]
    assert len(dll_a) == len(dll_b) and dll_a != dll_b
    masked_a, masked_b = bytearray(dll_a), bytearray(dll_b)
    for ea, eb in zip(a.entries, b.entries):
        assert ea.name == eb.name
        sa, sb = stub("i386", ea.number, len(ea.args), False), stub("i386", eb.number, len(eb.args), False)
        at = dll_a.find(sa)
        while at >= 0:                               # the Nt stub and its Zw alias
            assert dll_b[at:at + len(sb)] == sb      # the same place, the other number
            masked_a[at:at + len(sa)] = masked_b[at:at + len(sb)] = b"\0" * len(sa)
            at = dll_a.find(sa, at + 1)
    assert masked_a == masked_b


def test_build_target_and_unknown_target(tmp_path):
    res = tblc("build", "--cache", tmp_path / "cache", "--target", "Windows 95")
    assert res.returncode == 1 and b"no table has the version 'Windows 95'" in res.stderr
    res = tblc("build", "--cache", tmp_path / "cache", "--target", "Windows XP (SP3)", "-v",
               timeout=900)   # a full C build: slow on a loaded machine
    assert res.returncode == 0, res.stderr
    ntdll = Path(res.stdout.decode().splitlines()[-1]) / "dlls" / "nt_x86" / "ntdll.dll"
    xp = numbers(load_table(TABLES / "nt_x86.tbl", False, target="Windows XP (SP3)"))
    assert stub("i386", xp["NtWriteFile"], 9, False) in ntdll.read_bytes()
    assert xp["NtWriteFile"] == 0x112


def test_bundled_nt_specs_cover_every_version_of_the_data():
    x86, x64 = load_table(TABLES / "nt_x86.tbl", False), load_table(TABLES / "nt_x64.tbl", False)
    assert (x86.version, len(x86.versions)) == ("Windows 2000 (SP4)", 46)
    assert (x64.version, len(x64.versions)) == ("Windows 7 (SP1)", 35)
    if DATA.is_dir():
        for table, csv_name in ((x86, "nt-syscalls-x86.csv"), (x64, "nt-syscalls-x64.csv")):
            header = (DATA / csv_name).read_text().splitlines()[0].split(",")[1:]
            assert list(table.versions) == header


def test_diff_between_two_versions_of_one_base():
    base = TABLES / "base" / "nt_x86.tbl"
    res = tblc("diff", f"{base}@Windows 2000 (SP4)", f"{base}@Windows XP (SP3)")
    assert res.returncode == 1
    out = res.stdout.decode()
    assert "renumbered    0x00ed -> 0x0112  NtWriteFile\n" in out
    assert "added         0x0009  NtAddBootEntry\n" in out
    res = tblc("diff", base, base)
    assert res.returncode == 2 and b"name a version, FILE@VERSION" in res.stderr


@pytest.fixture(scope="module")
def ntdirect(tmp_path_factory):
    cc = "i686-w64-mingw32-gcc"
    if shutil.which(cc) is None:
        pytest.skip(f"{cc} is not installed")
    exe = tmp_path_factory.mktemp("nt") / "ntdirect.exe"
    subprocess.run([cc, "-O1", "-nostdlib", "-e", "_mainCRTStartup", "-o", str(exe),
                    str(PROGRAMS / "win" / "ntdirect.c"), "-lntdll"], check=True)
    return exe


@pytest.mark.parametrize("how", ["target", "manifest"])
@pytest.mark.parametrize("version", ["Windows 2000 (SP4)", "Windows XP (SP3)", "Windows 10 (22H2)"])
def test_a_program_traced_under_each_target_shows_that_versions_numbers(ntdirect, tmp_path,
                                                                         version, how):
    root = make_root(tmp_path, {"/ntdirect.exe": ntdirect})
    chosen = {"target": version} if how == "target" else \
        {"manifest": {"targets": {"nt_x86": version}}}
    m = Machine(root=root, trace=open("/dev/null", "w"), **chosen)
    with open(tmp_path / "out", "wb") as out:
        p = m.spawn("/ntdirect.exe", stdio=(None, out.fileno(), None))
        assert m.run() is True
    m.close()
    assert p.returncode == 5 and (tmp_path / "out").read_bytes() == b"hello from ntdll\n"
    want = numbers(load_table(TABLES / "nt_x86.tbl", False, target=version))
    seen = {r["call"]: r["number"] for r in m.trace if "call" in r}
    assert seen["NtWriteFile"] == want["NtWriteFile"]
    assert seen["NtTerminateProcess"] == want["NtTerminateProcess"]


def test_run_with_an_unknown_target_is_an_error(ntdirect, tmp_path):
    res = tblc("run", "--target", "Windows 95", ntdirect)
    assert res.returncode == 1 and b"no table has the version 'Windows 95'" in res.stderr
