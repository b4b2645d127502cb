"""ABIs that share one description: a 64-bit `loff` argument is one register on x86-64 and a
register pair on i386 (joined in the C trap path), so one row serves both; the Linux
overlays share handlers, policies and trace classes through one included file."""
from __future__ import annotations

from pathlib import Path

import pytest

from sysvec.compiler.check import check, check_file, load_table
from sysvec.compiler.emit_c import emit_table
from sysvec.compiler.importer import import_linux
from sysvec.compiler.parse import parse_text

from conftest import make_root, tblc

TABLES = Path(__file__).resolve().parents[1] / "tables"
LOFF_OUT = (b"read far size 4294967309\nftruncate size 4294967406\ntruncate size 5\n"
            b"pread past the end 0\n")


@pytest.mark.parametrize("cc,flags", [("musl-gcc", ()), ("gcc", ()), ("gcc", ("-m32",))],
                         ids=["musl-x86_64", "glibc-x86_64", "glibc-i386"])
def test_64_bit_offsets_past_4_gib_work_on_both_abis_from_one_row(toolchain, tmp_path, cc, flags):
    root = make_root(tmp_path, {"/loff": toolchain.c("loff", cc=cc, flags=flags)})
    res = tblc("run", "--trace", "--root", root, "/loff")
    assert res.returncode == 0, res.stderr[-2000:]
    assert res.stdout == LOFF_OUT
    err = res.stderr.decode()
    assert "pread64(3, \"far\", 3, 4294967306) = 3" in err   # the pair, joined, in the trace
    truncate = "ftruncate64(3, 4294967406) = 0" if "-m32" in flags else "ftruncate(3, 4294967406) = 0"
    assert truncate in err


def test_the_same_row_compiles_to_one_word_or_a_pair():
    rows = {}
    for table in ("linux_x86_64", "linux_i386"):
        t = load_table(TABLES / f"{table}.tbl", False)
        pread = {e.name: e for e in t.entries}["pread64"]
        assert pread.signature() == "pread64(fd fd, out[ret] buf, size count, loff pos) -> ssize"
        assert pread.handler.kind == "c+py" and pread.handler.function is None   # C first
        rows[table] = emit_table(t, "t")
    assert "{sv_c_pread64, SV_KIND_C_PY, 4, 0x0, 0LL}, /* pread64 */" in rows["linux_x86_64"]
    assert "{sv_c_pread64, SV_KIND_C_PY, 5, 0x8, 0LL}, /* pread64 */" in rows["linux_i386"]   # arg 3: 2 words
    assert "{NULL, SV_KIND_PY, 6, 0xc, 0LL}, /* fallocate */" in rows["linux_i386"]


def test_argument_words_count_against_the_registers():
    head = "table t\narch i386\ngate int 0x80\nnumber eax\nargs ebx, ecx, edx, esi, edi, ebp\n" \
           "return eax\nerrors errno\n"
    ok = head + "1 a (int x, loff y, loff z) -> int -\n"
    assert check(parse_text(ok, "t.tbl"), ok, False)[1] == []
    bad = head + "1 a (int x, loff y, loff z, loff w) -> int -\n"
    (d,) = check(parse_text(bad, "t.tbl"), bad, False)[1]
    assert d.message == "'a' has 4 arguments (7 words) but the convention carries at most 6"
    assert (d.span.line, d.span.column) == (8, 29)


def test_linux_overlays_share_handlers_and_policies_for_common_calls():
    x64 = {e.name: e for e in load_table(TABLES / "linux_x86_64.tbl", False).entries}
    i386 = {e.name: e for e in load_table(TABLES / "linux_i386.tbl", False).entries}
    shared = [line.split()[0] for line in (TABLES / "shared" / "linux.tbl").read_text().splitlines()
              if line.startswith("   ") and not line.lstrip().startswith("#")]
    assert len(shared) > 150
    for name in shared:   # every shared row is some ABI's call, and gives both the same answer
        assert name in x64 or name in i386, name
        if name in x64 and name in i386:
            assert str(x64[name].handler) == str(i386[name].handler), name
    own = {line.split()[1] for table in ("linux_x86_64", "linux_i386")
           for line in (TABLES / f"{table}.tbl").read_text().splitlines()
           if line[:8].strip().isdigit()}
    differ = {n for n in x64.keys() & i386.keys() if str(x64[n].handler) != str(i386[n].handler)}
    assert differ <= own            # only an ABI's own row makes the two answer differently
    assert str(i386["ftruncate64"].handler) == "py:sys_ftruncate"    # one ABI's call
    assert i386["mmap2"].classes == ("memory", "desc") and "mmap2" not in x64


UNISTD = "#define __NR_read 0\n#define __NR_write 1\n#define __NR_getpid 39\n"
PROTOS = ("read (fd fd, out[ret] buf, size count) -> ssize\n"
          "write (fd fd, in[count] buf, size count) -> ssize\ngetpid () -> pid\n")
HEAD = """table     t
base      "base/t.tbl"
include   "shared.tbl"
arch      x86_64
gate      syscall
number    eax
args      rdi, rsi, rdx
return    rax
errors    errno
"""


def test_include_rules(tmp_path):
    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "t.tbl").write_text(import_linux(UNISTD, PROTOS, "t", "x86_64"))
    (tmp_path / "shared.tbl").write_text("%process  getpid, only_elsewhere\n"
                                         "#  name  handler\n   read  py\n   getpid  c\n"
                                         "   only_elsewhere  py\n")
    path = tmp_path / "t.tbl"
    path.write_text(HEAD + "   39  getpid  fail EPERM\n")
    calls = {e.name: e for e in load_table(path, False).entries}
    assert str(calls["read"].handler) == "py"                 # from the shared file
    assert str(calls["getpid"].handler) == "fail EPERM"       # the ABI's own row wins
    assert calls["getpid"].classes == ("process",)
    path.write_text(HEAD + "   nosuch  py\n")
    (d,) = check_file(path, False)
    assert d.message == "'nosuch' is not in the base" and (d.span.line, d.span.column) == (10, 4)
    (tmp_path / "shared.tbl").write_text("arch x86_64\n   0  read  py\n")
    path.write_text(HEAD)
    msgs = sorted(d.message for d in check_file(path, False))
    assert msgs == ["an included file holds class lines and rows by name only",
                    "an included file names calls, not numbers: each ABI numbers its own"]
    path.write_text(HEAD.replace("shared.tbl", "missing.tbl"))
    (d,) = check_file(path, False)
    assert "cannot read" in d.message and (d.span.line, d.span.column) == (3, 11)
