"""tblc: grammar, diagnostics (file:line:col with a caret, all at once), determinism, cache."""
from __future__ import annotations

import re
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sysvec.compiler.build import TABLES_DIR, build, generate, load_tables, table_files
from sysvec.compiler.check import check, check_file, load_table
from sysvec.compiler.parse import parse_text

from conftest import tblc

HEADER = """table t
arch x86_64
gate syscall
number eax
args rdi, rsi, rdx
return rax
errors errno
"""


def diags(text: str, check_python: bool = False):
    return check(parse_text(text, "t.tbl"), text, check_python)[1]


def where(d) -> tuple[int, int]:
    return d.span.line, d.span.column


def well_formed_diagnostics(text: str) -> list:
    """check() on any text: a table exactly when there is no diagnostic, and every diagnostic
    sorted, inside the text, rendered as file:line:col: error: message."""
    table, found = check(parse_text(text, "t.tbl"), text, False)
    assert (table is None) == bool(found)
    assert found == sorted(found, key=where)
    last_line = text.count("\n") + 2   # an error at the end of the text may sit one past it
    for d in found:
        assert 1 <= d.span.line <= last_line and d.span.column >= 1, (where(d), d.message)
        head = d.render().splitlines()[0]
        assert head == f"t.tbl:{d.span.line}:{d.span.column}: error: {d.message}" and d.message
    return found


@pytest.mark.parametrize("path", sorted(TABLES_DIR.glob("*.tbl")), ids=lambda p: p.name)
def test_every_bundled_table_checks_clean(path):
    assert check_file(path) == []


def test_syntax_error_points_at_the_offending_token():
    (d,) = diags(HEADER + "1 write (fd fd, in[count] buf -> ssize py\n")
    assert where(d) == (8, 31)
    assert "syntax error" in d.message
    rendered = d.render()
    assert rendered.startswith("t.tbl:8:31: error: syntax error")
    assert rendered.splitlines()[2].index("^") == 4 + 30


def test_line_numbers_count_newlines_only():
    """A form feed or a \\x1e inside a line is not a line break to an editor, nor to tblc."""
    (d,) = diags(HEADER + "# page\fbreak \x1e here\r\n1 write (fd fd, in[count] buf -> ssize py\n")
    assert where(d) == (9, 31)


def test_all_errors_are_reported_in_one_run():
    text = HEADER + """1 a () -> int -
1 b () -> int -
2 a () -> int -
70000 c () -> int -
3 d (blob x) -> int -
4 e (int a, int b, int c, int d) -> int -
5 f () -> int c:no_such_function
6 g (in[n] buf) -> int -
7 h (@) -> int -
"""
    found = diags(text)
    messages = [(d.span.line, d.message) for d in found]
    assert (9, "duplicate call number 1 (first used on line 8)") in messages
    assert any(line == 10 and "duplicate call name 'a'" in m for line, m in messages)
    assert any(line == 11 and "out of range" in m for line, m in messages)
    assert any(line == 12 and "unknown type 'blob'" in m for line, m in messages)
    assert any(line == 13 and "at most 3" in m for line, m in messages)
    assert any(line == 14 and "unknown handler" in m for line, m in messages)
    assert any(line == 15 and "buffer length 'n'" in m for line, m in messages)
    assert any(line == 16 and "syntax error" in m for line, m in messages)


def test_column_of_duplicate_name_is_the_name():
    found = diags(HEADER + "1 alpha () -> int -\n2 alpha () -> int -\n")
    (d,) = found
    assert where(d) == (9, 3)


def test_unknown_gate_and_register_and_missing_header():
    found = diags("table t\narch x86_64\ngate int80\nnumber xyz\nargs rdi\nreturn rax\n")
    msgs = " | ".join(d.message for d in found)
    assert "unknown gate 'int80'" in msgs
    assert "unknown register 'xyz'" in msgs
    assert "missing header line 'errors" in msgs
    gate = next(d for d in found if "gate" in d.message)
    assert where(gate) == (3, 6)


def test_stack_convention_allows_many_arguments():
    text = HEADER.replace("args rdi, rsi, rdx", "args r10, rdx, stack(rsp+0x28)")
    args = ", ".join(f"ulong a{i}" for i in range(9))
    assert diags(text + f"1 many ({args}) -> status -\n") == []


def test_python_handler_must_exist_and_match_arity():
    text = HEADER + "handlers runtime.linux\n1 write (fd fd) -> ssize py\n2 nothere () -> int py\n"
    found = diags(text, check_python=True)
    msgs = [d.message for d in found]
    assert any("takes 3 arguments" in m for m in msgs), msgs
    assert any("no function 'sys_nothere'" in m for m in msgs), msgs


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_garbage_gives_diagnostics_never_exceptions(text):
    found = well_formed_diagnostics(text)
    assert found, "text without a table header passed the checker"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(HEADER.splitlines() + [
    "1 read (fd fd, out[ret] buf, size count) -> ssize -", "2 x () -> void -", "# c",
    "type foo = int", "3 y (foo a) -> foo -", "(", "->", "4 z (in<stat> s) -> int -",
    "gate int 0x80", "args stack(edx)", "5 q (out[ret] b) -> int -"]), max_size=20))
def test_shuffled_spec_lines_give_diagnostics_never_exceptions(lines):
    well_formed_diagnostics("\n".join(lines))


def test_leaves_declares_what_the_trap_leaves_in_registers():
    text = HEADER.replace("gate syscall\n", "gate syscall\nleaves rcx = return, r11 = flags\n")
    table, found = check(parse_text(text, "t.tbl"), text, False)
    assert found == []
    assert table.leaves == (("rcx", "return"), ("r11", "flags"))
    from sysvec.compiler.emit_c import emit_table
    c = emit_table(table, "t.tbl")
    assert ".n_leaves = 2," in c
    assert ".leave_regs = {UC_X86_REG_RCX, UC_X86_REG_R11}," in c
    assert ".leave_values = {SV_LEAVE_RETURN, SV_LEAVE_FLAGS}," in c
    plain, _ = check(parse_text(HEADER, "t.tbl"), HEADER, False)
    assert plain.leaves == () and ".n_leaves = 0," in emit_table(plain, "t.tbl")


def test_leaves_diagnostics():
    bad = HEADER.replace("gate syscall\n", "gate syscall\n"
                         "leaves rcx = return, xmm0 = flags, rax = flags, rcx = flags, r11 = rip, r12\n")
    bad = bad.replace("number eax", "number eax = rip")
    found = diags(bad)
    msgs = [(d.span.line, d.span.column, d.message) for d in found]
    assert (4, 22, "unknown register 'xmm0' for x86_64") in msgs
    assert any(col == 36 and "'rax' carries the result" in m for _, col, m in msgs)
    assert (4, 49, "register 'rcx' listed twice") in msgs
    assert any(col == 62 and "unknown value 'rip'" in m for _, col, m in msgs)
    assert any(col == 73 and "expected 'register = value'" in m for _, col, m in msgs)
    assert (5, 8, "'number' takes no 'register = value' pairs") in msgs


def test_generated_c_is_deterministic(tmp_path):
    files = table_files()
    tables = [(t, f.name) for t, f in zip(load_tables(files, check_python=False), files)]
    a, b = tmp_path / "a", tmp_path / "b"
    generate(tables, a)
    generate(tables, b)
    for name in ["tables.c", "tables.json"] + [f"include/{t.name}.h" for t, _ in tables] + \
            [f"stubs/{t.name}.S" for t, _ in tables]:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert "Generated by tblc" in (a / "tables.c").read_text().splitlines()[0]


def test_warm_build_is_a_noop_and_a_changed_table_rebuilds(tmp_path):
    cache = tmp_path / "cache"
    tables = tmp_path / "tables"
    shutil.copytree(TABLES_DIR, tables)
    files = sorted(tables.glob("*.tbl"))
    first = build(files, cache)
    assert first.fresh
    second = build(files, cache)
    assert not second.fresh and second.directory == first.directory
    mysys = tables / "mysys.tbl"
    mysys.write_text(mysys.read_text() + "   99  extra        ()  -> int  -\n")
    third = build(files, cache)
    assert third.fresh and third.directory != first.directory
    # a re-imported base (a generated file the overlay names) rebuilds too
    from sysvec.compiler.seal import content_hash
    base = tables / "base" / "linux_i386.tbl"
    text = base.read_text().replace(" -> ssize  -\n", " -> ssize  -  # re-imported\n", 1)
    base.write_text(re.sub(r'"sha256:[0-9a-f]+"', f'"{content_hash(text)}"', text))
    fourth = build(files, cache)
    assert fourth.fresh and fourth.directory != third.directory


def test_cli_check_prints_caret_and_exits_1(tmp_path):
    bad = tmp_path / "bad.tbl"
    bad.write_text(HEADER + "1 a () -> int -\n1 b () -> int -\n")
    res = tblc("check", "--no-handlers", bad)
    assert res.returncode == 1
    err = res.stderr.decode()
    assert f"{bad}:9:1: error: duplicate call number 1" in err
    assert "Traceback" not in err
    assert "^" in err


def test_a_caret_stands_under_its_column_on_a_line_with_tabs(tmp_path):
    """The caret's indent keeps the line's tabs (spaces put it left of the column), and a
    missing header line points where the header ends, with that line shown."""
    bad = tmp_path / "tabs.tbl"
    bad.write_text("table x\n\tplatform\tfoo bar\n")
    err = tblc("check", "--no-handlers", bad).stderr.decode()
    assert f"{bad}:2:15: error: syntax error: unexpected 'bar'" in err
    assert "\n    \tplatform\tfoo bar\n    \t        \t    ^\n" in err, err
    assert f"{bad}:1:1: error: missing header line 'arch ...' (the header ends here)\n" \
           "    table x\n    ^\n" in err, err


def test_check_refuses_exception_vectors_the_stack_pointer_and_lengths_that_are_not_numbers(
        tmp_path):
    """`gate int 14` would make every page fault a call, `return rsp` would move the stack,
    and a buffer measured by itself or by a pointer has no length: each a diagnostic."""
    bad = tmp_path / "bad.tbl"
    bad.write_text("table bad\nplatform bad\narch x86_64\ngate int 14\nnumber rax\n"
                   "args rdi, rsi, rdx\nreturn rsp\nerrors errno\n\n"
                   "1 w (in[buf] buf, in[p] data, ptr p) -> int -\n")
    res = tblc("check", "--no-handlers", bad)
    err = res.stderr.decode()
    assert res.returncode == 1 and "Traceback" not in err
    for where, text in (("4:6", "interrupt vector 14 is a CPU exception's"),
                        ("7:8", "the stack pointer 'rsp' cannot carry a call's result"),
                        ("10:6", "buffer length 'buf' must be another argument that holds a "
                                 "number, not the buffer itself"),
                        ("10:19", "buffer length 'p' must be another argument that holds a "
                                  "number, not a ptr")):
        assert f"{bad}:{where}: error: {text}" in err, err


def test_cli_check_ok_and_list(tmp_path):
    res = tblc("check", TABLES_DIR / "mysys.tbl")
    assert res.returncode == 0, res.stderr
    res = tblc("list", "mysys")
    assert res.returncode == 0, res.stderr
    rows = [line.split() for line in res.stdout.decode().splitlines()]
    assert rows[0][:3] == ["#", "mysys:", "platform"] and rows[0][-2:] == ["5", "calls"]
    # Every mysys call has a handler: the handler column names each kind, none is missing.
    assert [(r[0], r[1], " ".join(r[2:])) for r in rows[1:]] == [
        ("1", "exit", "(int status) -> void [Python]"),
        ("20", "getpid", "() -> pid [C]"),
        ("24", "yield", "() -> int [Python (sys_sched_yield)]"),
        ("69", "write", "(fd fd, in[count] buf, size count) -> ssize [Python]"),
        ("70", "read", "(fd fd, out[ret] buf, size count) -> ssize [Python]"),
    ]
    res = tblc("list", "linux_x86_64")
    assert re.search(r"^\s+134\s+uselib\s+\(path library\) -> int\s+\[unimplemented\]$",
                     res.stdout.decode(), re.M)
    res = tblc("list", "nosuch")
    assert res.returncode == 2 and res.stderr.startswith(b"tblc: no table 'nosuch'")


def test_cli_build_warm_says_up_to_date():
    tblc("build")
    res = tblc("build")
    assert res.returncode == 0
    assert "up to date" in res.stdout.decode()


def test_stubs_follow_each_convention():
    from sysvec.compiler.emit_stubs import emit_stubs

    def stubs(name):
        return emit_stubs(load_table(TABLES_DIR / f"{name}.tbl", check_python=False), name)
    assert "\nwrite:\n    mov eax, 69\n    int 0x81\n    ret\n" in stubs("mysys")
    # i386 registers from cdecl stack arguments, callee-saved ebx kept
    assert ("\nwrite:\n    push ebx\n    mov ebx, [esp+8]\n    mov ecx, [esp+12]\n"
            "    mov edx, [esp+16]\n    mov eax, 4\n    int 0x80\n    pop ebx\n    ret\n") in stubs("linux_i386")
    # NT i386: stdcall names, arguments left on the stack for the kernel
    assert ("\n_NtClose@4:\n    mov eax, 24\n    lea edx, [esp+4]\n    int 0x2e\n    ret 4\n"
            in stubs("nt_x86"))
    assert "\nNtClose:\n    mov r10, rdi\n    mov eax, 12\n    syscall\n    ret\n" in stubs("nt_x64")


def test_x64_stub_moves_arguments_in_a_cycle_through_r11():
    from sysvec.compiler.emit_stubs import emit_stubs

    text = HEADER.replace("args rdi, rsi, rdx", "args rsi, rdi, rdx") + "1 swap (int a, int b) -> int -\n"
    table, found = check(parse_text(text, "t.tbl"), text, False)
    assert found == []
    body = [line for line in emit_stubs(table, "t.tbl").split("\nswap:\n", 1)[1].split("\n") if line]
    moves = [line.strip() for line in body[:-3]]
    regs = {"rdi": "a", "rsi": "b", "r11": None}   # run the moves: a lands in rsi, b in rdi
    for move in moves:
        dst, src = move.removeprefix("mov ").split(", ")
        regs[dst] = regs[src]
    assert moves[0].startswith("mov r11, ") and (regs["rsi"], regs["rdi"]) == ("a", "b")
    assert [line.strip() for line in body[-3:]] == ["mov eax, 1", "syscall", "ret"]


def test_each_error_convention_gets_its_nosys_and_efault_results():
    from sysvec.compiler.emit_c import emit_table

    for errors, nosys, efault in [("errno", -38, -14), ("ntstatus", 0xC000001C, 0xC0000005),
                                  ("value", 0, 0)]:
        text = HEADER.replace("errors errno", f"errors {errors}")
        table, found = check(parse_text(text, "t.tbl"), text, False)
        assert found == []
        c = emit_table(table, "t.tbl")
        assert f".nosys_result = {nosys}LL," in c and f".efault_result = {efault}LL," in c, errors


def test_stack_arguments_must_come_last():
    (d,) = diags(HEADER.replace("args rdi, rsi, rdx", "args stack(rsp+8), rdi"))
    assert (where(d), d.message) == ((5, 6), "stack(...) must come last in 'args'")


def test_checked_tables_are_immutable_values():
    import dataclasses

    table = load_table(TABLES_DIR / "mysys.tbl", check_python=False)
    for obj, attr in [(table, "name"), (table.entries[0], "number"), (table.convention, "errors")]:
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(obj, attr, None)
    assert hash(table.entries[0]) == hash(load_table(TABLES_DIR / "mysys.tbl", False).entries[0])


@pytest.mark.parametrize("option,error", [
    ("2", None), ("0.5", None), ("0", None),   # 0, as the option's absence: no time limit
    ("-1", b"tblc: --timeout must be a positive number of seconds\n"),
    ("-0.5", b"tblc: --timeout must be a positive number of seconds\n"),
    ("abc", b"tblc run: error: argument --timeout: invalid float value: 'abc'\n")])
def test_cli_run_timeout_must_be_a_positive_number(toolchain, option, error):
    res = tblc("run", "--timeout", option, toolchain.asm("hello64"))
    if error is None:
        assert (res.returncode, res.stdout) == (0, b"hello\n"), res.stderr
    else:
        assert res.returncode == 2 and res.stderr.endswith(error), res.stderr


def test_tblc_run_with_a_bad_extra_table_prints_every_diagnostic(tmp_path, toolchain):
    bad = tmp_path / "bad.tbl"
    bad.write_text(HEADER.replace("table t", "table extra") + "1 a () -> int -\n1 b () -> int -\n")
    res = tblc("run", "--table", bad, toolchain.asm("hello64"))
    assert res.returncode == 1 and res.stdout == b""
    assert res.stderr == (f"{bad}:9:1: error: duplicate call number 1 (first used on line 8)\n"
                          "    1 b () -> int -\n    ^\n1 error\n").encode()


# The stubs Windows' own ntdll has: i386 `mov eax, N; lea edx, [esp+4]; int 0x2e; ret 4*nargs`,
# x64 `mov r10, rcx; mov eax, N; syscall; ret` (typed here from the Windows disassembly).
def windows_stub(arch: str, number: int, nargs: int, cdecl: bool = False) -> bytes:
    n = number.to_bytes(4, "little")
    if arch == "x86_64":
        return b"\x4c\x8b\xd1\xb8" + n + b"\x0f\x05\xc3"
    ret = b"\xc3" if cdecl or not nargs else b"\xc2" + (4 * nargs).to_bytes(2, "little")
    return b"\xb8" + n + b"\x8d\x54\x24\x04\xcd\x2e" + ret


SHADOW_HEADER = """table w
arch x86_64
gate syscall
number eax
args r10, rdx, r8, r9
return rax
errors ntstatus
"""


def test_an_export_name_after_the_handler_names_the_dll_symbol():
    """A quoted name after the handler is the symbol the DLL exports (C++ decorated names);
    `tblc fmt` keeps it, and it is checked: a DLL entry's, a symbol, once per DLL."""
    from sysvec.compiler.emit_dll import dlls_for
    from sysvec.compiler.fmt import format_text
    import pefile

    text = SHADOW_HEADER + (
        '   1  msvcp140.Xlength_error (cstr message) -> void py "?_Xlength_error@std@@YAXPEBD@Z"\n'
        '   2  msvcp140.plain () -> void py\n')
    table, found = check(parse_text(text, "t.tbl"), text, False)
    assert found == [] and table.entries[0].export == "?_Xlength_error@std@@YAXPEBD@Z"
    assert (table.entries[0].symbol, table.entries[1].symbol) == \
        ("?_Xlength_error@std@@YAXPEBD@Z", "plain")
    formatted, _ = format_text(text)
    assert '-> void  py "?_Xlength_error@std@@YAXPEBD@Z"' in formatted
    assert format_text(formatted)[0] == formatted
    nt = load_table(TABLES_DIR / "nt_x64.tbl", check_python=False)
    image = dlls_for(nt, table)["msvcp140"]
    names = {s.name for s in pefile.PE(data=image).DIRECTORY_ENTRY_EXPORT.symbols}
    assert names == {b"?_Xlength_error@std@@YAXPEBD@Z", b"plain"}

    bad = SHADOW_HEADER + (
        '   1  msvcp140.a () -> void py "?a@@YAXXZ"\n'
        '   2  msvcp140.b () -> void py "?a@@YAXXZ"\n'
        '   3  nodll () -> void py "?c@@YAXXZ"\n'
        '   4  msvcp140.d () -> void py ""\n')
    messages = [(d.span.line, d.message) for d in diags(bad)]
    assert messages == [
        (9, "msvcp140 already exports '?a@@YAXXZ' (line 8)"),
        (10, "'nodll' is not a DLL's entry (dll.Name): only a DLL export has an export name"),
        (11, "an export name is a symbol: not empty, no blanks")]


def test_a_dll_without_a_base_of_its_own_gets_a_free_one_below_the_named():
    """Generated DLLs have no relocations: two must never share a preferred base."""
    from sysvec.compiler.emit_dll import DLL_BASES, dll_base

    dlls = ["kernel32", "zzfuture", "afuture", "msvcrt"]
    bases = [dll_base(d, dlls) for d in dlls]
    assert bases[0] == DLL_BASES["kernel32"] and bases[3] == DLL_BASES["msvcrt"]
    assert len(set(bases)) == 4 and max(bases[1], bases[2]) < min(DLL_BASES.values())
    assert bases[2] > bases[1]      # in name order, downwards


# Every generated DLL's base, the same on both widths: the fixed ones from ntdll down, then
# the DLLs with no fixed base in the next slots down, by name (cfgmgr32 and after)
GENERATED_DLL_BASES = {
    "ntdll": 0x77000000, "kernel32": 0x76F00000, "msvcrt": 0x76E00000, "ucrtbase": 0x76C00000,
    "vcruntime140": 0x76B00000, "advapi32": 0x76A00000, "bcryptprimitives": 0x76900000,
    "ws2_32": 0x76800000, "msvcp140": 0x76700000, "userenv": 0x76600000, "shell32": 0x76500000,
    "combase": 0x76400000, "ole32": 0x76300000, "oleaut32": 0x76200000, "user32": 0x76100000,
    "bcrypt": 0x76000000, "winmm": 0x75F00000, "powrprof": 0x75E00000, "version": 0x75D00000,
    "psapi": 0x75C00000, "secur32": 0x75B00000, "mswsock": 0x75A00000, "iphlpapi": 0x75900000,
    "dbghelp": 0x75800000, "rpcrt4": 0x75700000, "cfgmgr32": 0x75600000,
    "comctl32": 0x75500000, "conpty": 0x75400000, "crypt32": 0x75300000, "gdi32": 0x75200000,
    "imagehlp": 0x75100000, "ktmw32": 0x75000000, "msvcp140_atomic_wait": 0x74F00000,
    "ncrypt": 0x74E00000, "netapi32": 0x74D00000, "pdh": 0x74C00000, "shfolder": 0x74B00000,
    "tbs": 0x74A00000, "vcruntime140_threads": 0x74900000, "wsock32": 0x74800000,
    "wtsapi32": 0x74700000
}


@pytest.mark.parametrize("table,shadow,machine,base", [
    ("nt_x86", "win32_x86", 0x14C, GENERATED_DLL_BASES),
    ("nt_x64", "win32_x64", 0x8664, GENERATED_DLL_BASES)])
def test_generated_dlls_are_pe_images_with_windows_stubs(table, shadow, machine, base):
    """Read back with pefile, an independent PE parser: headers, one code section, the export
    directory, and at each export the stub Windows' ntdll has (shadow calls with bit 12)."""
    import pefile

    from sysvec.compiler.emit_dll import (CDECL_DLLS, CDECL_EXPORTS, FAST_PATHS, KEEP_RESULT,
                                          KEEPS_EAX, NATIVE_EXPORTS, dlls_for)

    nt = load_table(TABLES_DIR / f"{table}.tbl", check_python=False)
    api = load_table(TABLES_DIR / f"{shadow}.tbl", check_python=False)
    dlls = dlls_for(nt, api)
    assert sorted(dlls) == sorted(base)
    for name, image in dlls.items():
        # Every header and directory is parsed (full_load) and checked; what fast_load leaves
        # out is pefile's byte-frequency guess at packed or truncated files, which any image
        # of a few exports trips with its file-alignment padding (advapi32 does, going from
        # 0x600 to 0x800 bytes with one export more) and which says nothing of its form.
        pe = pefile.PE(data=image, fast_load=True)
        pe.full_load()
        # No DllMain: entry point 0, which Windows allows a DLL and pefile remarks on.
        assert [w for w in pe.get_warnings() if "AddressOfEntryPoint" not in w] == [], name
        assert pe.OPTIONAL_HEADER.AddressOfEntryPoint == 0
        fh, oh = pe.FILE_HEADER, pe.OPTIONAL_HEADER
        assert (fh.Machine, fh.NumberOfSections) == (machine, 1)
        assert fh.Characteristics & 0x2000 and fh.Characteristics & 0x2    # a DLL, executable
        assert oh.Magic == (0x20B if machine == 0x8664 else 0x10B) and oh.ImageBase == base[name]
        assert (oh.SectionAlignment, oh.FileAlignment, oh.Subsystem) == (0x1000, 0x200, 3)
        version = 6 if machine == 0x8664 else 4      # NT 4 for PE32, Vista's 6 for PE32+
        assert (oh.MajorOperatingSystemVersion, oh.MinorOperatingSystemVersion, oh.MajorImageVersion,
                oh.MinorImageVersion, oh.MajorSubsystemVersion, oh.MinorSubsystemVersion) == \
            (version, 0, 0, 0, version, 0)
        (text,) = pe.sections
        assert text.Name.rstrip(b"\0") == b".text" and text.VirtualAddress == 0x1000
        assert text.Characteristics == 0x60000020                         # code, read, execute
        assert (text.PointerToRelocations, text.NumberOfRelocations, text.PointerToLinenumbers) == (0, 0, 0)
        assert oh.SizeOfImage == 0x1000 + (text.Misc_VirtualSize + 0xFFF) // 0x1000 * 0x1000
        assert len(image) == text.PointerToRawData + text.SizeOfRawData
        exports = pe.DIRECTORY_ENTRY_EXPORT
        assert exports.name == f"{name}.dll".encode()
        symbols = {s.name.decode(): s for s in exports.symbols}
        assert [s.name for s in exports.symbols] == sorted(s.name for s in exports.symbols)
        # Windows' own ordinals where programs use them (ws2_32, wsock32, oleaut32: pefile's
        # ordlookup tables), the other exports numbered after them; elsewhere 1..n
        from ordlookup import ords
        windows = {n.decode(): o for o, n in ords.get(f"{name}.dll".encode(), {}).items()}
        ordinals = {sym: s.ordinal for sym, s in symbols.items()}
        assert len(set(ordinals.values())) == len(ordinals)
        if windows:
            assert all(ordinals[sym] == windows[sym] for sym in ordinals if sym in windows)
            assert min((o for sym, o in ordinals.items() if sym not in windows),
                       default=max(windows.values()) + 1) > max(windows.values())
        else:
            assert sorted(ordinals.values()) == list(range(1, len(symbols) + 1))
        code = {sym: pe.get_data(s.address, 16) for sym, s in symbols.items()}
        if name == "ntdll":
            rtl = [e for e in api.entries if e.name.startswith("ntdll.")]   # Rtl* from the shadow
            assert len(symbols) == len(nt.entries) + sum(e.name.startswith("Nt") for e in nt.entries) \
                + len(rtl)
            for e in rtl:
                assert code[e.name[6:]].startswith(windows_stub(api.arch, 0x1000 | e.number,
                                                                e.slots(api.word_size)))
            for e in nt.entries:
                stub = windows_stub(nt.arch, e.number, len(e.args))
                assert code[e.name].startswith(stub), e.name
                if e.name.startswith("Nt"):
                    assert code["Zw" + e.name[2:]].startswith(stub)
        else:
            for e in api.entries:
                dll, _, sym = e.name.rpartition(".")
                if (dll or "kernel32") != name or sym == "__sysvec_callback_return":
                    continue
                # Exports made machine code (memcpy & co.) are that code, not a stub.
                native = NATIVE_EXPORTS.get((name, api.arch), {}).get(sym)
                if native is not None:
                    assert code[sym] == native[:16], sym
                    continue
                # i386's C++ frame handlers keep eax (their FuncInfo) in ecx first; a fast path's
                # machine code comes before its stub (read past the 16 bytes looked at).
                keep = KEEP_RESULT[api.arch] if sym in KEEPS_EAX.get(api.arch, ()) else b""
                fast = FAST_PATHS.get((name, api.arch), {}).get(sym)
                if fast is not None:
                    full = pe.get_data(symbols[sym].address, len(fast) + 16)
                    assert full.startswith(fast + windows_stub(
                        api.arch, 0x1000 | e.number, e.slots(api.word_size),
                        cdecl=name in CDECL_DLLS)), sym
                    continue
                # A 64-bit argument (loff) is two stack words on i386: `ret` pops both.
                assert code[e.symbol].startswith(keep + windows_stub(api.arch, 0x1000 | e.number,
                                                         e.slots(api.word_size),
                                                         cdecl=name in CDECL_DLLS
                                                         or sym in CDECL_EXPORTS)), sym
    # The UCRT and vcruntime export msvcrt's functions too, as the same stubs.
    msvcrt = {s.name: s.address for s in pefile.PE(data=dlls["msvcrt"]).DIRECTORY_ENTRY_EXPORT.symbols}
    for name in ("ucrtbase", "vcruntime140"):
        pe = pefile.PE(data=dlls[name])
        theirs = {s.name: s for s in pe.DIRECTORY_ENTRY_EXPORT.symbols}
        assert set(msvcrt) <= set(theirs)
        assert pe.get_data(theirs[b"malloc"].address, 16) == \
            pefile.PE(data=dlls["msvcrt"]).get_data(msvcrt[b"malloc"], 16)


# --- `fail ERROR`: a call that always fails with the error the spec names --------------------

def test_fail_handler_compiles_to_a_fixed_result_in_c():
    from sysvec.compiler.emit_c import emit_table
    text = HEADER + "1 getxattr (path p) -> ssize fail EOPNOTSUPP\n2 bpf () -> int fail  EPERM\n"
    table, found = check(parse_text(text, "t.tbl"), text, False)
    assert found == []
    assert table.by_number()[1].handler.error == "EOPNOTSUPP"
    assert str(table.by_number()[2].handler) == "fail EPERM"
    c = emit_table(table, "t.tbl")
    assert "{NULL, SV_KIND_FAIL, 1, 0x0, -95LL}, /* getxattr EOPNOTSUPP */" in c
    assert "{NULL, SV_KIND_FAIL, 0, 0x0, -1LL}, /* bpf EPERM */" in c
    assert "{NULL, SV_KIND_NOSYS, 0, 0x0, 0LL}, /* (none) */" in c


def test_fail_handler_in_an_nt_table_names_an_ntstatus():
    from sysvec.compiler.emit_c import emit_table
    text = HEADER.replace("errors errno", "errors ntstatus") + \
        "1 NtLoadDriver (ptr name) -> status fail STATUS_PRIVILEGE_NOT_HELD\n"
    table, found = check(parse_text(text, "t.tbl"), text, False)
    assert found == []
    assert f"{{NULL, SV_KIND_FAIL, 1, 0x0, {0xC0000061}LL}}" in emit_table(table, "t.tbl")


def test_fail_handler_diagnostics_point_at_the_error_name():
    text = HEADER + """1 a () -> int fail EOPNOTSUP
2 b () -> int fail
3 c () -> int fial EPERM
4 d () -> int fail STATUS_NOT_SUPPORTED
5 e () -> int fail XYZZY
6 f () -> int fail EPERM EACCES
"""
    msgs = {(d.span.line, d.span.column): d.message for d in diags(text)}
    assert msgs[(8, 20)] == "unknown errno name 'EOPNOTSUP'; did you mean 'EOPNOTSUPP'?"
    assert msgs[(9, 15)] == "'fail' needs an error name, e.g. 'fail EOPNOTSUPP'"
    assert msgs[(10, 15)].startswith("unknown handler kind 'fial'")
    assert msgs[(11, 20)].startswith("unknown errno name 'STATUS_NOT_SUPPORTED': that is an "
                                     "NTSTATUS name, and this table's errors are errno")
    assert msgs[(12, 20)].startswith("unknown errno name 'XYZZY'")
    assert "syntax error" in msgs[(13, 26)]
    nt = HEADER.replace("errors errno", "errors ntstatus") + "1 a () -> status fail EPERM\n"
    (d,) = diags(nt)
    assert where(d) == (8, 23) and "that is an errno name" in d.message
    value = HEADER.replace("errors errno", "errors value") + "1 a () -> int fail EPERM\n"
    (d,) = diags(value)
    assert "'errors value' has no error results" in d.message


def test_cli_check_shows_an_unknown_errno_with_a_caret(tmp_path):
    bad = tmp_path / "bad.tbl"
    bad.write_text(HEADER + "191  getxattr  (path p)  -> ssize  fail ENOTSUPPORTED\n")
    res = tblc("check", "--no-handlers", bad)
    assert res.returncode == 1
    lines = res.stderr.decode().splitlines()
    assert lines[0].startswith(f"{bad}:8:41: error: unknown errno name 'ENOTSUPPORTED'")
    assert lines[1] == "    191  getxattr  (path p)  -> ssize  fail ENOTSUPPORTED"
    assert lines[2] == "    " + " " * 40 + "^"


def test_cli_list_shows_what_a_call_fails_with():
    out = tblc("list", "linux_x86_64").stdout.decode()
    assert re.search(r"\n\s+303\s+name_to_handle_at\s+\(fd dfd, path name, .*\) -> int\s+"
                     r"\[fails EOPNOTSUPP\]\n", out)
    assert re.search(r"\n\s+321\s+bpf\s+.*\[fails EPERM\]\n", out)
    assert re.search(r"\n\s+134\s+uselib\s+.*\[unimplemented\]\n", out)


def test_fail_handler_reaches_the_runtime_metadata():
    import json
    from sysvec.compiler.emit_meta import emit_meta
    text = HEADER + "1 getxattr (path p) -> ssize fail EOPNOTSUPP\n"
    table, _ = check(parse_text(text, "t.tbl"), text, False)
    (call,) = json.loads(emit_meta([(table, "t.tbl")]))["tables"][0]["calls"]
    assert (call["handler"], call["error"], call["function"]) == ("fail", "EOPNOTSUPP", None)


def test_hostile_numbers_and_unreadable_included_files_are_diagnostics(tmp_path):
    """A 5000-digit call number, a base or include that is not UTF-8, and a file name with a
    NUL byte: tblc check died with an internal error (Python's digit limit, the decoder,
    os.stat's ValueError) instead of a file:line:col diagnostic."""
    (tmp_path / "binary.tbl").write_bytes(b"\xe7\x00\xff garbage\n")
    spec = HEADER
    cases = {
        "decimal.tbl": (spec + "9" * 5000 + " big () -> int -\n", "number too large"),
        "hex.tbl": (spec + "0x" + "f" * 5000 + " big () -> int -\n", "number too large"),
        "base.tbl": ('table t\nbase "binary.tbl"\n', "not UTF-8 text"),
        "include.tbl": (spec + 'include "binary.tbl"\n', "not UTF-8 text"),
        "nul.tbl": ("table t\nbase \"binary.tbl\0\"\n", None),
    }
    for name, (text, message) in cases.items():
        (tmp_path / name).write_text(text)
        res = tblc("check", tmp_path / name)
        err = res.stderr.decode()
        assert res.returncode == 1, (name, res.returncode, err)
        assert "internal error" not in err and f"{name}:" in err, (name, err)
        if message:
            assert message in err, (name, err)


def test_a_warm_digest_reads_no_spec_and_still_sees_a_changed_base(tmp_path):
    """build_digest's stamp records the specs' bases with their sizes and mtimes: a warm
    start stats them instead of reading every spec to find them, and a base changed since
    (a re-import keeps the overlay untouched) still changes the digest."""
    import os
    from sysvec.compiler import build as build_mod
    tables = tmp_path / "tables"
    shutil.copytree(TABLES_DIR, tables)
    files = sorted(tables.glob("*.tbl"))
    old = 1_700_000_000
    for path in tables.rglob("*.tbl"):
        os.utime(path, (old, old))          # settled: the stamp is written
    cache = tmp_path / "cache"
    first = build_mod.build_digest(files, cache)
    assert list((cache / "stamps").iterdir())
    real_bases, read = build_mod._bases, []
    build_mod._bases = lambda fs: read.append(fs) or real_bases(fs)
    try:
        assert build_mod.build_digest(files, cache) == first and not read   # warm: no spec read
        base = tables / "base" / "linux_i386.tbl"
        base.write_text(base.read_text() + "# re-imported\n")
        os.utime(base, (old, old))
        changed = build_mod.build_digest(files, cache)
        assert changed != first and read
        assert changed == build_mod.content_hash(files)
    finally:
        build_mod._bases = real_bases
