"""tblc fmt: the canonical column layout (compiler/layout.py), idempotent, comments kept, every
bundled spec formatted; and the TextMate grammar for .tbl files recognises every bundled line."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sysvec.compiler.build import TABLES_DIR
from sysvec.compiler.check import check
from sysvec.compiler.fmt import format_text
from sysvec.compiler.parse import parse_text

from conftest import tblc

REPO = Path(__file__).resolve().parents[1]
GRAMMAR = REPO / "compiler" / "editor" / "tbl.tmLanguage.json"

MESSY = """# a hand-written table
table   t          # its name
arch x86_64
gate    syscall
number eax
args rdi,rsi ,  rdx, stack( rsp + 0x28 )
leaves rcx=return,r11 = flags
return rax
errors errno
type  pid_t   =   pid

%memory mmap,!open
#  nr name arguments return handler
0x1 open (path p,int f)->fd py:sys_open_impl   #  opens
 12 mmap (ptr a, size l, fd fd) -> ptr -
3 getxattr (path p, out[n] v, size n) -> ssize fail   EOPNOTSUPP # no xattrs here
    7 getpid () -> pid_t c


"""


def calls(text: str):
    table, diags = check(parse_text(text, "t.tbl"), text, False)
    assert diags == []
    return [(e.number, e.name, e.signature(), str(e.handler), e.classes) for e in table.entries], \
        (table.gates, table.convention, table.leaves)


def comments(text: str) -> list[str]:
    return [line[line.index("#"):].lstrip("# ").rstrip() for line in text.splitlines()
            if "#" in line and not re.fullmatch(r"#\s+nr\s+name.*", line.strip())]


def test_fmt_lays_out_columns_and_changes_nothing_else():
    out, diags = format_text(MESSY, "t.tbl")
    assert diags == []
    assert out.splitlines()[1:7] == [
        "table     t        # its name",   # the comment keeps its column
        "arch      x86_64",
        "gate      syscall",
        "number    eax",
        "args      rdi, rsi, rdx, stack(rsp+0x28)",
        "leaves    rcx = return, r11 = flags",
    ]
    assert "type pid_t = pid" in out.splitlines()
    assert "%memory   mmap, !open" in out.splitlines()
    body = out.splitlines()[-5:]
    assert body == [
        "#   nr  name      arguments                  return    handler",
        "   0x1  open      (path p, int f)            -> fd     py:sys_open_impl  # opens",
        "    12  mmap      (ptr a, size l, fd fd)     -> ptr    -",
        "     3  getxattr  (path p, out[n] v, size n) -> ssize  fail EOPNOTSUPP  # no xattrs here",
        "     7  getpid    ()                         -> pid_t  c",
    ]
    assert out.endswith("c\n")
    assert calls(out) == calls(MESSY)
    assert comments(out) == comments(MESSY)


def test_fmt_is_idempotent():
    once, _ = format_text(MESSY)
    twice, _ = format_text(once)
    assert twice == once


SPECS = sorted(TABLES_DIR.glob("*.tbl")) + sorted(TABLES_DIR.glob("base/*.tbl")) + \
    sorted(TABLES_DIR.glob("shared/*.tbl"))


@pytest.mark.parametrize("path", SPECS, ids=lambda p: str(p.relative_to(TABLES_DIR)))
def test_every_bundled_spec_is_formatted(path):
    text = path.read_text()
    assert format_text(text, str(path)) == (text, [])


def test_cli_fmt_check_passes_on_the_bundled_specs():
    res = tblc("fmt", "--check", *SPECS)
    assert res.returncode == 0, res.stdout + res.stderr


def test_cli_fmt_rewrites_in_place_and_check_changes_nothing(tmp_path):
    spec = tmp_path / "t.tbl"
    spec.write_text(MESSY)
    res = tblc("fmt", "--check", spec)
    assert res.returncode == 1 and b"is not formatted" in res.stdout
    assert spec.read_text() == MESSY
    res = tblc("fmt", spec)
    assert res.returncode == 0 and b"formatted" in res.stdout
    assert spec.read_text() == format_text(MESSY)[0]
    assert tblc("fmt", "--check", spec).returncode == 0


def test_cli_fmt_leaves_a_file_with_a_syntax_error_alone(tmp_path):
    spec = tmp_path / "bad.tbl"
    text = MESSY.replace("-> ptr -", "-> ptr")
    spec.write_text(text)
    res = tblc("fmt", spec)
    assert res.returncode == 1
    assert f"{spec}:15:".encode() in res.stderr and b"^" in res.stderr
    assert spec.read_text() == text
    assert tblc("fmt", tmp_path / "missing.tbl").returncode == 2


# --- the TextMate grammar --------------------------------------------------------------------

@pytest.fixture(scope="module")
def grammar():
    return json.loads(GRAMMAR.read_text())


def test_textmate_grammar_is_complete(grammar):
    assert grammar["scopeName"] == "source.tbl" and grammar["fileTypes"] == ["tbl"]
    for name in ("comment", "header", "classes", "alias", "entry", "named", "arguments", "handler"):
        assert name in grammar["repository"]
    # every regex compiles (the grammar keeps to what Oniguruma and Python share)
    def regexes(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("match", "begin", "end") and isinstance(value, str):
                    yield value
                else:
                    yield from regexes(value)
        elif isinstance(node, list):
            for value in node:
                yield from regexes(value)
    for pattern in regexes(grammar):
        re.compile(pattern)


@pytest.mark.parametrize("path", SPECS, ids=lambda p: str(p.relative_to(TABLES_DIR)))
def test_textmate_grammar_recognises_every_bundled_line(grammar, path):
    repo = grammar["repository"]
    begins = {name: re.compile(repo[name].get("begin") or repo[name]["match"])
              for name in ("comment", "header", "classes", "alias", "entry", "named")}
    fail = re.compile(repo["handler"]["patterns"][0]["match"])
    plain = re.compile(repo["handler"]["patterns"][1]["match"])
    dash = re.compile(repo["handler"]["patterns"][2]["match"])
    for line in path.read_text().splitlines():
        code = line.split("#", 1)[0]
        if not code.strip():
            continue
        kinds = [k for k, rx in begins.items() if k != "comment" and rx.match(line)]
        assert len(kinds) == 1, (kinds, line)
        if kinds == ["entry"]:   # the handler: after the signature, or an overlay row's name
            tail = code[code.rindex(")") + 1:] if ")" in code else " " + code.split(None, 2)[2]
        if kinds == ["named"]:
            tail = " " + code.split(None, 1)[1]
        if kinds in (["entry"], ["named"]):
            assert fail.search(tail) or plain.search(tail) or dash.search(tail), line
