"""tblc run: real static ELF programs on the real engine, through the command a user runs."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from sysvec.runtime.binfmt.flat import make_mysys

from conftest import make_root, tblc


def test_asm_hello_x86_64(toolchain):
    res = tblc("run", toolchain.asm("hello64"))
    assert res.returncode == 0, res.stderr
    assert res.stdout == b"hello\n"


def test_asm_hello_i386_through_int_0x80(toolchain):
    res = tblc("run", "--trace", toolchain.asm("hello32", bits=32))
    assert res.returncode == 0, res.stderr
    assert res.stdout == b"hello\n"
    assert b'write(1, "hello\\n", 6) = 6' in res.stderr


def test_reads_stdin_and_exits_with_its_code(toolchain):
    res = tblc("run", toolchain.asm("cat64"), input=b"line one\nline two\n")
    assert res.returncode == 7
    assert res.stdout == b"line one\nline two\n"


def test_unknown_negative_and_wild_pointer_calls(toolchain):
    res = tblc("run", "--trace", toolchain.asm("probe64"))
    assert res.returncode == 0, (res.returncode, res.stderr)
    err = res.stderr.decode()
    assert re.search(r"syscall_0x270f\(\.\.\.\) = -1 ENOSYS", err)
    assert "write(1, 0xdead00000000, 5) = -1 EFAULT" in err


def test_wrong_gate_is_sigsegv_for_that_process_only(toolchain):
    res = tblc("run", toolchain.asm("wronggate64"))
    assert res.returncode == 128 + 11
    assert b"SIGSEGV" in res.stderr
    assert b"Traceback" not in res.stderr


@pytest.mark.parametrize("mode,status,detail", [
    ("s", 139, ", bad write in the page at 0x0"), ("d", 136, ""), ("i", 132, ""),
    ("j", 139, ", bad execute in the page at 0x500000000"), ("k", 139, ", bad write in the page at")])
def test_faults_end_the_process_with_the_right_signal(toolchain, mode, status, detail):
    res = tblc("run", toolchain.asm("crash64"), mode)
    assert res.returncode == status, res.stderr
    assert b"killed by" in res.stderr and b"Traceback" not in res.stderr
    assert detail.encode() in res.stderr   # the page fault's address and access, from the TLB fill


def test_trace_decodes_from_the_spec(toolchain):
    res = tblc("run", "--trace", toolchain.asm("hello64"))
    err = res.stderr.decode()
    assert 'write(1, "hello\\n", 6) = 6' in err
    assert "exit(0) = ?" in err


def test_musl_printf_program(toolchain):
    res = tblc("run", toolchain.c("hello"), "world", "3")
    assert res.returncode == 3, res.stderr
    assert res.stdout == b"hello from world: argc=3 heap -42 beef z\n"


def test_glibc_static_program(toolchain):
    res = tblc("run", toolchain.c("hello", cc="gcc"), "glibc")
    assert res.returncode == 0, res.stderr
    assert res.stdout == b"hello from glibc: argc=2 heap -42 beef z\n"


def test_glibc_static_i386_program(toolchain):
    res = tblc("run", toolchain.c("hello", cc="gcc", flags=("-m32",)), "i386")
    assert res.returncode == 0, res.stderr
    assert res.stdout == b"hello from i386: argc=2 heap -42 beef z\n"


def test_mysys_program_runs_through_its_own_table(toolchain, tmp_path):
    prog = tmp_path / "hello.mysys"
    prog.write_bytes(make_mysys(toolchain.flat("mysys_hello")))
    prog.chmod(0o755)
    res = tblc("run", "--trace", prog)
    assert res.returncode == 5, res.stderr
    assert res.stdout == b"mysys hello\n" * 3
    assert b'write(1, "mysys hello\\n", 12) = 12' in res.stderr


def test_root_option_runs_a_path_inside_the_root(toolchain, tmp_path):
    root = make_root(tmp_path, {"/bin/hello": toolchain.asm("hello64")})
    res = tblc("run", "--root", root, "/bin/hello")
    assert res.returncode == 0 and res.stdout == b"hello\n"


def test_cwd_option_starts_the_guest_in_a_directory_of_the_root(busybox, tmp_path):
    root = make_root(tmp_path, {"/bin/busybox": busybox})
    (root / "srv/www").mkdir(parents=True)
    (root / "srv/www/index.html").write_text("hi\n")
    (root / "srv/link").symlink_to("www")
    res = tblc("run", "--root", root, "--cwd", "/srv/link", "/bin/busybox", "sh", "-c",
               "pwd; cat index.html; ../../bin/busybox true && echo relative")
    assert res.returncode == 0, res.stderr
    assert res.stdout == b"/srv/www\nhi\nrelative\n"
    res = tblc("run", "--root", root, "--cwd", "srv", "./../bin/busybox", "pwd")
    assert res.returncode == 0 and res.stdout == b"/srv\n"   # PROGRAM relative to --cwd
    # (bash's statuses: 127 for what is not there, 126 for any other failure)
    for bad, why, status in (("/nope", b"No such file or directory", 127),
                             ("/srv/www/index.html", b"Not a directory", 126)):
        res = tblc("run", "--root", root, "--cwd", bad, "/bin/busybox", "true")
        assert res.returncode == status
        assert res.stderr == b"tblc: working directory " + bad.encode() + b": " + why + b"\n"


def test_a_bare_program_name_is_found_in_the_guests_path_as_chroot_finds_it(busybox, tmp_path):
    """`tblc run --root R busybox` said "No such file or directory" where `chroot R busybox`
    runs R's /bin/busybox: execvp searches PATH (the guest's; --env changes it)."""
    root = make_root(tmp_path, {"/bin/busybox": busybox, "/opt/tools/busybox": busybox})
    res = tblc("run", "--root", root, "busybox", "sh", "-c", "echo $0 found")
    assert res.returncode == 0 and res.stdout == b"sh found\n", res.stderr
    res = tblc("run", "--root", root, "--env", "PATH=/opt/tools", "busybox", "true")
    assert res.returncode == 0, res.stderr
    res = tblc("run", "--root", root, "nothere")
    assert res.returncode == 127 and res.stderr == b"tblc: nothere: No such file or directory\n"


def test_missing_and_malformed_programs_give_clear_errors(tmp_path):
    res = tblc("run", tmp_path / "nope")
    assert res.returncode == 127 and b"no such file" in res.stderr
    junk = tmp_path / "junk"
    junk.write_bytes(b"\x7fELF\x02\x01\x01" + b"\0" * 20)
    junk.chmod(0o755)
    res = tblc("run", junk)
    assert res.returncode == 126   # ENOEXEC, as a Linux shell reports it
    assert res.stderr == b"tblc: /junk: malformed ELF file: truncated header\n"


LEAVES_TABLE = """\
table     hw_x86_64
platform  hw_x86_64
arch      x86_64
gate      syscall
gate      int 0x80
leaves    rcx = return, r11 = flags
number    eax
args      rdi, rsi, rdx, r10, r8, r9
return    rax
errors    errno
handlers  sysvec.runtime.linux

    1  write       (fd fd, in[count] buf, size count)   -> ssize  py
   39  getpid      ()                                   -> pid    c
   60  exit        (int status)                         -> void   py
"""


def _leaves_report(stdout: bytes) -> dict[str, tuple[str, str]]:
    out = {}
    for line in stdout.decode().splitlines():
        case, rcx, r11 = line.split()
        out[case] = (rcx.split("=")[1], r11.split("=")[1])
    return out


def test_bundled_linux_table_leaves_rcx_and_r11_as_they_were(toolchain):
    """The x86-64 ABI has the kernel destroy rcx and r11; the bundled table keeps them."""
    res = tblc("run", toolchain.asm("trap_leaves"))
    assert res.returncode == 0, res.stderr
    assert _leaves_report(res.stdout) == {c: ("kept", "kept") for c in "1234"}


@pytest.mark.parametrize("schedule", [[], ["--quantum", "0"]], ids=["block-end", "bytes"])
def test_a_table_declaring_leaves_gets_the_hardware_values(toolchain, tmp_path, schedule):
    """`leaves rcx = return, r11 = flags`: sysret's values, also after a REX-prefixed syscall,
    one after a block longer than a translation block, one straddling a page, and int 0x80.
    The return address comes from the block hook's block end, or from the guest's bytes
    when there is no block hook (--quantum 0)."""
    (tmp_path / "hw.tbl").write_text(LEAVES_TABLE)
    (tmp_path / "m.yaml").write_text(f"tables: [{tmp_path / 'hw.tbl'}]\nlinks: {{elf64: hw_x86_64}}\n")
    res = tblc("run", *schedule, "--manifest", tmp_path / "m.yaml", toolchain.asm("trap_leaves"),
               "int")
    assert res.returncode == 0, res.stderr
    assert _leaves_report(res.stdout) == {c: ("return", "flags") for c in "12345"}


def test_a_gate_the_table_does_not_declare_ends_the_process(toolchain, tmp_path):
    """`syscall` and `int 0x80` in a mysys process (gate int 0x81) and `sysenter` in a
    linux_x86_64 one: the dispatcher's gate check, not the call, decides; the exit after it
    never runs."""
    mysys = tmp_path / "gate.mysys"
    mysys.write_bytes(make_mysys(toolchain.flat("mysys_syscall")))
    mysys.chmod(0o755)
    int80 = tmp_path / "int80.mysys"
    int80.write_bytes(make_mysys(toolchain.flat("mysys_int80")))
    int80.chmod(0o755)
    for prog, pc, insn, table, vector in [
            (mysys, "0x40000a", "syscall", "mysys", ""),
            (int80, "0x40000a", "int 0x80", "mysys", r" \(int 0x80\)"),   # its gate, not its vector
            (toolchain.asm("sysenter64"), "0x40100a", "sysenter", "linux_x86_64", "")]:
        res = tblc("run", prog)
        assert res.returncode == 139, (prog, res.stderr)
        # The instruction is named when capstone is there (not under scripts/sanitize).
        assert re.search(rf"killed by SIGSEGV at pc {pc}( \({insn}\))?, trap through a gate "
                         rf"{table} does not declare{vector}\n$", res.stderr.decode()), res.stderr


@pytest.mark.parametrize("cc,flags,table", [("musl-gcc", (), "linux_x86_64"),
                                            ("gcc", ("-m32",), "linux_i386")])
def test_numbers_at_and_past_the_end_of_the_table_are_enosys(toolchain, cc, flags, table):
    """The bounds check: the last number is in the table, the next one (nsys) is not. A read
    of the entry one past the end goes unseen in a normal build; ASan (scripts/sanitize) sees
    it."""
    from sysvec.compiler.build import TABLES_DIR
    from sysvec.compiler.check import load_table

    spec = load_table(TABLES_DIR / f"{table}.tbl", check_python=False)
    entries = {e.number: e for e in spec.entries}
    last = max(entries)
    numbers = [last - 1, last, last + 1, last + 2, 0x7FFFFFFF]
    res = tblc("run", toolchain.c("nosys", cc=cc, flags=flags), *map(str, numbers))
    assert res.returncode == 0, res.stderr
    lines = res.stdout.decode().splitlines()
    assert [line.split(":")[0] for line in lines] == [str(n) for n in numbers]
    for n, line in zip(numbers, lines):
        # past the end: ENOSYS from the bounds check; in the table: the entry's own answer
        # (an implemented call's handler answers whatever those arguments deserve)
        if n not in entries or entries[n].handler.kind is None:
            assert line == f"{n}: -1 38", line


STACK_TABLE = """\
table     stk_x86_64
platform  stk_x86_64
arch      x86_64
gate      syscall
number    eax
args      stack(rdi)
return    rax
errors    errno
handlers  sysvec.runtime.linux

    1  write       (fd fd, in[count] buf, size count)   -> ssize  py
   60  exit        (int status)                         -> void   py
"""


def test_stack_arguments_are_read_to_the_last_and_no_further(toolchain, tmp_path):
    """write's three argument words end a mapped page: reading them works, reading a fourth
    would fault (the loop bound of the stack-argument fetch)."""
    (tmp_path / "stk.tbl").write_text(STACK_TABLE)
    (tmp_path / "m.yaml").write_text(f"tables: [{tmp_path / 'stk.tbl'}]\nlinks: {{elf64: stk_x86_64}}\n")
    res = tblc("run", "--manifest", tmp_path / "m.yaml", toolchain.asm("stackargs"))
    assert (res.returncode, res.stdout) == (6, b"stack\n"), res.stderr


def _patched_engine() -> bool:
    return b"+sysvec." in tblc("--version").stdout


@pytest.mark.parametrize("flags", [(), ("-m32",)])
def test_the_cpu_offers_sse42_only_on_an_engine_that_computes_it_right(toolchain, flags):
    """Stock Unicorn 2.1's PCMPxSTRx misses matches (csrc/cpuid.c): CPUID leaf 1 offers
    SSE4.2 on the patched engine only, and the rest of the engine's answer stays (SSE4.1,
    POPCNT). Bun's compiled programs, built for SSE4.2 with no fallback, need it."""
    res = tblc("run", toolchain.c("cpuid_sse42", cc="gcc", flags=flags))
    assert res.returncode == 0, res.stderr
    sse42 = int(_patched_engine())
    assert res.stdout == b"sse4.1=1 sse4.2=%d popcnt=1 sse2=1\n" % sse42


@pytest.mark.parametrize("flags", [(), ("-m32",)])
def test_pcmpxstrx_gives_what_the_cpu_gives_for_every_mode(toolchain, flags):
    """Every imm8 of PCMPISTRI/M and PCMPESTRI/M on random inputs, index, mask and flags,
    against this machine's CPU: where the engine offers SSE4.2 it must compute it as the
    CPU does (the stock engine's equal-ordered search differed in all 32 of its modes)."""
    with open("/proc/cpuinfo") as f:
        if " sse4_2" not in f.read():
            pytest.skip("this CPU has no SSE4.2 to compare with")
    if not _patched_engine():
        pytest.skip("the stock engine does not offer SSE4.2")
    exe = toolchain.c("pcmpxstrx", cc="gcc", flags=flags)
    native = subprocess.run([exe], capture_output=True, check=True).stdout
    res = tblc("run", exe)
    assert res.returncode == 0, res.stderr
    assert len(native.splitlines()) == 128
    assert res.stdout == native


def test_the_run_ends_with_the_programs_session_not_its_daemons(toolchain, tmp_path):
    """A daemon the program leaves (setsid, sleeping forever) is not waited for, as a shell
    returns once its command is done; a background job of the program's own session is."""
    exe = toolchain.c("leaves_a_daemon", "gcc", ("-static",))
    root = make_root(tmp_path, {"/prog": exe})
    res = tblc("run", "--root", root, "/prog", timeout=60)
    assert res.returncode == 3, res
    assert res.stdout.decode().splitlines() == ["the program exits",
                                                "the job of the session finished"]


def test_a_double_dash_after_the_program_is_the_programs(toolchain):
    """`tblc run PROG -- x` gave PROG [x]: argparse took the `--` as its own."""
    exe = toolchain.c("echo_args")
    for given, seen in ((["--", "x"], ["--", "x"]), (["a", "--", "x"], ["a", "--", "x"]),
                        (["--"], ["--"])):
        res = tblc("run", exe, *given)
        assert res.returncode == 0, res.stderr
        assert res.stdout.decode().splitlines()[1:] == seen, (given, res.stdout)
    res = tblc("run", "--", exe, "--", "x")
    assert res.stdout.decode().splitlines()[1:] == ["--", "x"]


def test_dev_stdout_opens_a_redirected_file_again(tmp_path, busybox):
    """`> /dev/stdout` with tblc's stdout a file opens that file anew, as Linux's
    /proc/self/fd link does: O_TRUNC truncates it and the new description has its own
    offset (it shared tblc's descriptor, so nothing was truncated)."""
    root = make_root(tmp_path, {"/bin/busybox": busybox, "/bin/sh": busybox})
    out = tmp_path / "out.txt"
    exe = shutil.which("tblc")
    cmd = [exe] if exe else [sys.executable, "-m", "sysvec.cli"]
    with open(out, "wb") as f:
        res = subprocess.run(cmd + ["run", "--root", str(root), "/bin/sh", "-c",
                                    "echo first; echo second > /dev/stdout; echo third"],
                             stdout=f, stderr=subprocess.PIPE, timeout=120)
    assert res.returncode == 0, res.stderr
    assert out.read_bytes() == b"secondthird\n"
    with open(out, "ab") as f:
        res = subprocess.run(cmd + ["run", "--root", str(root), "/bin/sh", "-c",
                                    "echo appended >> /dev/stdout"],
                             stdout=f, stderr=subprocess.PIPE, timeout=120)
    assert out.read_bytes() == b"secondthird\nappended\n"
    # a file handed for appending is only appended to: not truncated, not overwritten
    with open(out, "ab") as f:
        res = subprocess.run(cmd + ["run", "--root", str(root), "/bin/sh", "-c",
                                    "echo gone > /dev/stdout || echo kept >&2; "
                                    "echo at-end | /bin/busybox dd of=/dev/stdout "
                                    "conv=notrunc 2>/dev/null"],
                             stdout=f, stderr=subprocess.PIPE, timeout=120)
    assert out.read_bytes() == b"secondthird\nappended\nat-end\n", res.stderr
    # never more access than tblc was handed: stdin given read-only stays so
    with open(out, "rb") as f:
        res = subprocess.run(cmd + ["run", "--root", str(root), "/bin/sh", "-c",
                                    "echo pwned > /dev/stdin || echo refused; "
                                    "echo pwned > /proc/self/fd/0; cat /dev/stdin"],
                             stdin=f, capture_output=True, timeout=120)
    assert out.read_bytes() == b"secondthird\nappended\nat-end\n"
    assert res.stdout == b"refused\nsecondthird\nappended\nat-end\n", res.stderr


def test_version_names_the_engine_and_a_patched_engine_is_this_trees_patch():
    """`tblc --version` says which Unicorn runs the guests (a bug report should name it); a
    patched one (scripts/unicorn-build) is named by its patch's hash, which must be the
    patch in this tree: an engine built from an older patch is stale."""
    import hashlib
    from pathlib import Path
    res = tblc("--version")
    assert res.returncode == 0, res.stderr
    m = re.fullmatch(rb"tblc \(sysvec\) \S+, engine: unicorn (2\.1\.\d+)(\+sysvec\.([0-9a-f]{12}))?\n",
                     res.stdout)
    assert m, res.stdout
    if m[2]:
        patch = Path(__file__).parents[1] / "csrc" / "unicorn" / "2.1.4.patch"
        assert m[3].decode() == hashlib.sha256(patch.read_bytes()).hexdigest()[:12]


@pytest.mark.parametrize("cc, flags", [("gcc", ()), ("gcc", ("-m32",)), ("musl-gcc", ())])
def test_faults_one_after_another_each_get_their_own_signal(toolchain, cc, flags):
    """A second division by zero in a process arrived as SIGSEGV (SI_KERNEL): the engine
    still counted the first as being delivered and made the second a double fault (and a
    third a triple fault). The patched engine forgets a fault its hook delivered; the stock
    one is left as it is."""
    if not _patched_engine():
        pytest.skip("the stock engine turns the second fault into a double fault")
    res = tblc("run", toolchain.c("fault_twice", cc=cc, flags=flags))
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "signal 8 code 1", "signal 8 code 1", "signal 8 code 1", "signal 11 code 1",
        "signal 8 code 1", "done"]
