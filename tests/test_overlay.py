"""A generated base and a hand-written overlay: the merge, every conflict as a diagnostic at
the overlay's line and column with a caret, the base's seal, and `tblc diff` between bases."""
from __future__ import annotations

from pathlib import Path

import pytest

from sysvec.compiler.check import check_file, load_table
from sysvec.compiler.importer import import_linux, import_nt

from conftest import tblc

UNISTD = "#define __NR_read 0\n#define __NR_write 1\n#define __NR_getpid 39\n"
PROTOS = ("read (fd fd, out[ret] buf, size count) -> ssize\n"
          "write (fd fd, in[count] buf, size count) -> ssize\n"
          "getpid () -> pid\n")
HEAD = """table     t
base      "base/t.tbl"
arch      x86_64
gate      syscall
number    eax
args      rdi, rsi, rdx
return    rax
errors    errno
"""
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def spec(tmp_path: Path, rows: str, unistd: str = UNISTD) -> Path:
    (tmp_path / "base").mkdir(exist_ok=True)
    (tmp_path / "base" / "t.tbl").write_text(import_linux(unistd, PROTOS, "t", "x86_64"))
    path = tmp_path / "t.tbl"
    path.write_text(HEAD + rows)
    return path


def messages(path: Path) -> dict[tuple[int, int], str]:
    return {(d.span.line, d.span.column): d.message for d in check_file(path, False)}


def test_overlay_rows_give_handlers_types_and_extra_calls(tmp_path):
    path = spec(tmp_path, "    0  read    fail EIO\n"
                          "    1  write   (fd fd, in[count] data, ulong count) -> ssize  -\n"
                          "   39  getpid  c\n"
                          "  500  extra   (int x) -> int  fail ENOSYS\n")
    calls = {e.name: e for e in load_table(path, False).entries}
    assert str(calls["read"].handler) == "fail EIO"
    assert calls["read"].signature() == "read(fd fd, out[ret] buf, size count) -> ssize"
    assert calls["write"].signature() == "write(fd fd, in[count] data, ulong count) -> ssize"
    assert calls["getpid"].handler.kind == "c"
    assert calls["extra"].number == 500
    assert list(calls) == ["read", "write", "getpid", "extra"]


def test_every_conflict_is_a_diagnostic_at_the_overlay_row(tmp_path):
    path = spec(tmp_path, "    0  raed    py\n"                         # 9: wrong name
                          "   40  getpid  c\n"                           # 10: renumbered
                          "   77  nosuch  py\n"                          # 11: not in the base
                          "    1  write   (fd fd, in[count] buf) -> ssize  py\n"   # 12: arity
                          "   39  getpid  c\n"
                          "   39  getpid  py\n")                         # 14: twice
    found = messages(path)
    assert found[(9, 8)] == "the base numbers 0 'read', not 'raed'"
    assert found[(10, 4)] == "the base has 'getpid' at number 39, not 40"
    assert found[(11, 8)].startswith("'nosuch' (77) is not in the base; an extra call needs "
                                     "its signature")
    assert found[(12, 8)] == "'write' has 2 arguments here but 3 in the base"
    assert found[(14, 4)] == "a second overlay row for number 39 (the first is on line 13)"
    res = tblc("check", "--no-handlers", path)
    assert res.returncode == 1
    err = res.stderr.decode()
    assert f"{path}:9:8: error: the base numbers 0 'read', not 'raed'\n" \
           "        0  raed    py\n" \
           "           ^\n" in err
    assert "Traceback" not in err


def test_a_hand_edited_base_is_refused(tmp_path):
    path = spec(tmp_path, "    0  read  py\n")
    base = tmp_path / "base" / "t.tbl"
    base.write_text(base.read_text().replace("-> pid    -", "-> pid    c"))
    found = [d.message for d in check_file(path, False) if d.span.file == str(base)]
    assert any("edited by hand" in m for m in found)
    assert any("a generated base has no handlers" in m for m in found)
    res = tblc("build", "--cache", tmp_path / "cache", path)
    assert res.returncode == 1 and b"edited by hand" in res.stderr


def test_base_problems_point_at_the_base_line(tmp_path):
    path = spec(tmp_path, "")
    path.write_text(HEAD.replace("base/t.tbl", "base/missing.tbl"))
    (d,) = check_file(path, False)
    assert (d.span.line, d.span.column) == (2, 11) and "cannot read base" in d.message
    path.write_text(HEAD.replace("table     t", "table     other"))
    (d,) = check_file(path, False)
    assert d.message == "this base was generated for table 't'"
    not_a_base = tmp_path / "base" / "plain.tbl"
    not_a_base.write_text(HEAD.replace('base      "base/t.tbl"\n', ""))
    path.write_text(HEAD.replace("base/t.tbl", "base/plain.tbl"))
    (d,) = check_file(path, False)
    assert "is not a generated base" in d.message


def test_overlay_rows_need_a_base_and_bases_need_no_header(tmp_path):
    path = spec(tmp_path, "")
    path.write_text(HEAD.replace('base      "base/t.tbl"\n', "") + "    0  read  py\n")
    (d,) = check_file(path, False)
    assert "belongs in an overlay" in d.message
    base = tmp_path / "base" / "t.tbl"
    base.write_text("arch x86_64\n" + base.read_text())
    assert any("header lines belong in the overlay" in d.message for d in check_file(base, False))


# --- tblc diff ---------------------------------------------------------------------------------

def test_diff_lists_added_removed_renumbered_and_changed_calls(tmp_path):
    old = tmp_path / "old.tbl"
    new = tmp_path / "new.tbl"
    old.write_text(import_linux(UNISTD, PROTOS, "t", "x86_64"))
    protos = PROTOS.replace("write (fd fd, in[count] buf, size count)",
                            "write (fd fd, in[count] buf, ulong count)") + "fresh () -> int\n"
    new.write_text(import_linux("#define __NR_read 0\n#define __NR_write 1\n"
                                "#define __NR_getpid 40\n#define __NR_fresh 41\n",
                                protos, "t", "x86_64"))
    res = tblc("diff", old, new)
    assert res.returncode == 1
    assert res.stdout.decode().splitlines() == [
        "added             41  fresh",
        "renumbered        39 -> 40  getpid",
        "signature          1  write(fd fd, in[count] buf, size count) -> ssize  =>  "
        "write(fd fd, in[count] buf, ulong count) -> ssize",
    ]
    res = tblc("diff", new, old)
    assert "removed           41  fresh" in res.stdout.decode()
    assert tblc("diff", old, old).returncode == 0 and tblc("diff", old, old).stdout == b""
    assert tblc("diff", old, tmp_path / "none.tbl").returncode == 2


@pytest.mark.skipif(not DATA.is_dir(), reason=f"no NT syscall data at {DATA}")
def test_diff_of_two_windows_versions_shows_renumbered_services(tmp_path):
    for column, name in (("Windows 2000 (SP4)", "w2k"), ("Windows XP (SP3)", "xp")):
        res = tblc("import", "nt_x86", "--data", DATA, "--column", column, "-o", tmp_path / f"{name}.tbl")
        assert res.returncode == 0, res.stderr
    out = tblc("diff", tmp_path / "w2k.tbl", tmp_path / "xp.tbl").stdout.decode()
    assert "renumbered    0x00ed -> 0x0112  NtWriteFile" in out
    assert "added" in out


def test_diff_of_nt_bases_in_memory():
    sample = ("System call,Windows 2000 (SP4),Windows XP (SP3)\n"
              "NtClose,0x0018,0x0019\nNtWriteFile,0x00ed,0x0112\nNtAddBootEntry,,0x0009\n")
    protos = (Path(__file__).resolve().parents[1] / "tables" / "prototypes" / "nt.txt").read_text()
    a = import_nt(sample, "Windows 2000 (SP4)", protos, "nt_x86", "i386")
    b = import_nt(sample, "Windows XP (SP3)", protos, "nt_x86", "i386")
    assert "0x00ed  NtWriteFile" in a and "0x0112  NtWriteFile" in b


def test_fmt_lays_out_an_overlay_and_keeps_it_valid(tmp_path):
    path = spec(tmp_path, "#  nr name handler\n0 read   fail EIO #  why\n"
                          "  1 write (fd fd,in[count] buf,size count)->ssize py\n39 getpid c\n")
    before = [(e.number, e.name, e.signature(), str(e.handler)) for e in load_table(path, False).entries]
    assert tblc("fmt", path).returncode == 0
    assert path.read_text().endswith(
        "#  nr  name    handler\n"
        "    0  read    fail EIO  # why\n"
        "    1  write   (fd fd, in[count] buf, size count) -> ssize  py\n"
        "   39  getpid  c\n")
    assert tblc("fmt", "--check", path).returncode == 0
    assert [(e.number, e.name, e.signature(), str(e.handler))
            for e in load_table(path, False).entries] == before
    base = tmp_path / "base" / "t.tbl"
    assert tblc("fmt", "--check", base).returncode == 0
