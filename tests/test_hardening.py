"""Containment: hostile binaries, hostile guests and resource abuse end in clear errors or a
signal for the guest alone — never a traceback, a host crash or a file outside the root."""
from __future__ import annotations

import errno
import os
import random
import re
import resource
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sysvec.runtime.errors import ExecError, Fault

from conftest import REPO, WIN, make_root, tblc

FUZZ_EXAMPLES = int(os.environ.get("SYSVEC_FUZZ_EXAMPLES", "40"))


@pytest.fixture(scope="module")
def machine_factory(tmp_path_factory):
    from sysvec.runtime.machine import Machine

    def make(files: dict, **kw):
        root = make_root(tmp_path_factory.mktemp("root"), files)
        return Machine(root=root, **kw), root
    return make


def test_every_number_width_gives_enosys(toolchain):
    res = tblc("run", toolchain.asm("numbers64"))
    assert res.returncode == 0, f"number #{res.returncode} did not give -ENOSYS"


# What exec may answer a malformed image with: ENOEXEC and its kin.
EXEC_ERRNOS = {errno.ENOEXEC, errno.ENOMEM, errno.EACCES, errno.EINVAL, errno.ELOOP,
               errno.ELIBBAD, errno.ENOENT, errno.ENOTDIR, errno.E2BIG}


def spawn_or_enoexec(m, path: str):
    """A Process, or None when exec refused the image with an errno of its kin and a reason."""
    try:
        return m.spawn(path, stdio=(None, None, None))
    except ExecError as exc:
        assert exc.errno in EXEC_ERRNOS, exc
        assert str(exc).startswith(path + ": ") and len(str(exc)) > len(path) + 2, exc
        return None


def assert_contained_run(m, proc, capsys) -> None:
    """A hostile image's run is contained: the process ended with an exit status or a signal,
    or its block budget stopped it (then SIGKILL ends it), every crash report names it, and
    no handler failed inside (the dispatcher prints "internal error" for that)."""
    capsys.readouterr()
    done = m.run(max_blocks=200_000)
    if done:
        assert not proc.running and proc.returncode is not None
        status = proc.wait_status
        assert (proc.signal, proc.returncode) == \
            ((status & 0x7F, 128 + (status & 0x7F)) if status & 0x7F else (None, status >> 8))
    else:
        assert proc.running and proc.returncode is None
        m.kill_all()
        assert (proc.signal, proc.returncode) == (9, 137)
    for report in m.crash_reports:
        assert re.match(rf"sysvec: (pid {proc.pid} \(|.* \(pid {proc.pid}\) called )", report), report
    err = capsys.readouterr().err
    assert "internal error" not in err and "Traceback" not in err, err


@settings(max_examples=FUZZ_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_elf_gives_enoexec_or_a_contained_run(toolchain, machine_factory, capsys, data):
    original = toolchain.asm("hello64").read_bytes()
    blob = bytearray(original)
    mode = data.draw(st.sampled_from(["truncate", "flip", "header"]))
    if mode == "truncate":
        blob = blob[:data.draw(st.integers(0, len(blob) - 1))]
    else:
        limit = 64 + 56 * 3 if mode == "header" else len(blob)
        for _ in range(data.draw(st.integers(1, 8))):
            pos = data.draw(st.integers(0, min(limit, len(blob)) - 1))
            blob[pos] = data.draw(st.integers(0, 255))
    m, _ = machine_factory({"/prog": bytes(blob)})
    m.kernel.report_crashes = False
    proc = spawn_or_enoexec(m, "/prog")
    if proc is not None:
        assert_contained_run(m, proc, capsys)


def test_contained_run_check_sees_each_ending(toolchain, machine_factory, busybox, capsys):
    """The check above on runs whose ending is known: an exit status, a fault, the budget."""
    m, _ = machine_factory({"/hello": toolchain.asm("hello64"), "/crash": toolchain.asm("crash64"),
                            "/bin/busybox": busybox})
    m.kernel.report_crashes = False
    hello = m.spawn("/hello", stdio=(None, None, None))
    assert_contained_run(m, hello, capsys)
    assert (hello.returncode, hello.signal, m.crash_reports) == (0, None, [])
    crash = m.spawn("/crash", ["/crash", "s"], stdio=(None, None, None))
    assert_contained_run(m, crash, capsys)
    assert (crash.returncode, crash.signal) == (139, 11) and len(m.crash_reports) == 1
    m.kernel.crash_reports.clear()
    spin = m.spawn("/bin/busybox", ["sh", "-c", "while :; do :; done"], stdio=(None, None, None))
    assert_contained_run(m, spin, capsys)
    assert spin.returncode == 137
    assert spawn_or_enoexec(m, "/bin") is None


def test_contained_run_check_sees_a_failing_handler(toolchain, machine_factory, capsys,
                                                    monkeypatch):
    from sysvec.runtime import linux as linux_handlers

    def broken_write(p, fd, buf, count):
        raise RuntimeError("handler bug")
    monkeypatch.setattr(linux_handlers, "sys_write", broken_write)
    m, _ = machine_factory({"/hello": toolchain.asm("hello64")})
    hello = m.spawn("/hello", stdio=(None, None, None))
    with pytest.raises(AssertionError, match="internal error in the write handler: "
                                             "RuntimeError: handler bug"):
        assert_contained_run(m, hello, capsys)


def test_truncated_and_garbage_files_say_why(tmp_path):
    unknown = "exec format error (not a format any registered handler recognises)"
    for name, data, why in [("empty", b"", unknown), ("short", b"\x7fEL", unknown),
                            ("text", b"hello world\n", unknown),
                            ("elf32be", b"\x7fELF\x01\x02\x01" + b"\0" * 60,
                             "big-endian ELF is not x86"),
                            ("elf64", b"\x7fELF\x02\x01\x01" + b"\0" * 20,
                             "malformed ELF file: truncated header")]:
        path = tmp_path / name
        path.write_bytes(data)
        path.chmod(0o755)
        res = tblc("run", path)
        assert res.returncode == 126, (name, res.returncode, res.stderr)   # ENOEXEC
        assert res.stderr == f"tblc: /{name}: {why}\n".encode(), name


def test_guest_memory_accessor_checks_every_range(machine_factory, toolchain):
    from sysvec.runtime.mm import AddressSpace

    m, _ = machine_factory({"/prog": toolchain.asm("hello64")})
    engine = m.kernel.engine(64)
    mm = AddressSpace(engine)
    mm.map(0x10000, 0x3000, 3)
    mm.map(0x20000, 0x1000, 1)
    rng = random.Random(7)
    edges = [0, 0xFFF, 0x10000, 0x12FFF, 0x13000, 0x1FFFF, 0x20000, 0x20FFF, 2**47, 2**64 - 8]
    for _ in range(2000):
        addr = (rng.choice(edges) + rng.randint(-16, 16)) % 2**64
        length = rng.choice([0, 1, 7, 4096, 8192, 2**63, 2**64 - 1])
        readable = length == 0 or (0x10000 <= addr and addr + length <= 0x13000) or \
            (0x20000 <= addr and addr + length <= 0x21000) or \
            (0x10000 <= addr and addr + length <= 0x13000)
        try:
            mm.read(addr, length)
            assert readable, (hex(addr), length)
        except Fault:
            assert not readable, (hex(addr), length)
        writable = 0 < length <= 8192 and 0x10000 <= addr and addr + length <= 0x13000
        if 0 < length <= 8192:
            try:
                mm.write(addr, b"x" * length)
                assert writable, (hex(addr), length)
            except Fault:
                assert not writable, (hex(addr), length)
    mm.release()


ESCAPES = [
    "cat /../../../../etc/hostname",
    "cat ../../../etc/hostname",
    "cd / && cd .. && cd .. && cat etc/hostname",
    "ln -s / /tmp/r && cat /tmp/r/../../etc/hostname",
    "ln -s /etc/hostname /tmp/h && cat /tmp/h",
    "ln -s ../../../../../etc/hostname /tmp/h2 && cat /tmp/h2",
    "cat /proc/self/root/../../etc/hostname",
    "ln -s /tmp/loop2 /tmp/loop1 && ln -s /tmp/loop1 /tmp/loop2 && cat /tmp/loop1",
    "ln -s ../../../../outside_created /tmp/dangling && echo x > /tmp/dangling && ls /",
    "mv /tmp/x /../../moved_out 2>&1; ls /",
]


@pytest.mark.parametrize("script", ESCAPES)
def test_no_route_out_of_the_root(busybox, tmp_path, script):
    host_secret = tmp_path / "etc" / "hostname"
    host_secret.parent.mkdir()
    host_secret.write_text("HOST SECRET\n")
    root = tmp_path / "jail" / "deeper"
    root.mkdir(parents=True)
    make_root(root.parent.parent, {})  # keep make_root's layout out of the way
    (root / "bin").mkdir()
    (root / "tmp").mkdir()
    (root / "bin" / "busybox").write_bytes(busybox.read_bytes())
    (root / "bin" / "busybox").chmod(0o755)
    (root / "tmp" / "x").write_text("x")
    before = set(p for p in tmp_path.rglob("*") if not str(p).startswith(str(root)))
    res = tblc("run", "--root", root, "/bin/busybox", "sh", "-c", script)
    assert b"HOST SECRET" not in res.stdout
    after = set(p for p in tmp_path.rglob("*") if not str(p).startswith(str(root)))
    assert after == before, after - before
    assert b"Traceback" not in res.stderr


def test_symlink_loop_is_eloop(busybox, tmp_path):
    root = make_root(tmp_path, {"/bin/busybox": busybox})
    res = tblc("run", "--root", root, "/bin/busybox", "sh", "-c",
               "ln -s a /b; ln -s b /a; cat /a")
    assert (res.returncode, res.stderr) == (1, b"cat: can't open '/a': Too many levels of symbolic links\n")


def test_memory_hog_is_contained(toolchain, tmp_path):
    res = tblc("run", "--max-total-memory", "256M", toolchain.c("memhog"), "65536")
    assert (res.returncode, res.stdout) == (3, b"mmap failed\n"), res.stderr  # 64 GiB > 1 GiB a process
    res = tblc("run", "--max-total-memory", "64M", toolchain.c("memhog"), "512")
    assert res.returncode == 137 and b"out of memory" in res.stderr
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert after < 1_000_000, after   # KiB: the host process stayed well under 1 GiB
    res = tblc("run", toolchain.c("memhog"), "16")
    assert res.returncode == 0 and res.stdout == b"touched 16 MiB\n"


def test_fork_bomb_is_contained_and_siblings_finish(busybox, tmp_path):
    root = make_root(tmp_path, {"/bin/busybox": busybox})
    res = tblc("run", "--max-procs", "40", "--timeout", "20", "--root", root, "/bin/busybox",
               "sh", "-c", "(bomb() { bomb | bomb & }; bomb) 2>/dev/null; echo sibling finished",
               timeout=120)
    assert b"sibling finished" in res.stdout
    assert b"Traceback" not in res.stderr


def test_output_before_a_crash_is_not_lost(busybox, tmp_path, toolchain):
    root = make_root(tmp_path, {"/bin/busybox": busybox, "/bin/crash": toolchain.asm("crash64")})
    res = tblc("run", "--root", root, "/bin/busybox", "sh", "-c",
               "echo before; /bin/crash s; echo after $?")
    assert res.stdout == b"before\nafter 139\n"


def test_wall_clock_limit_kills_a_spinning_guest(busybox, tmp_path):
    root = make_root(tmp_path, {"/bin/busybox": busybox})
    res = tblc("run", "--timeout", "2", "--root", root, "/bin/busybox", "sh", "-c",
               "while true; do :; done")
    assert res.returncode == 137
    assert b"time limit" in res.stderr


def test_self_modifying_code_runs_the_new_bytes(toolchain):
    res = tblc("run", toolchain.asm("smc64"))
    assert res.returncode == 2, res.stderr


def test_descriptor_limit_gives_emfile(toolchain):
    res = tblc("run", "--max-fds", "16", toolchain.c("fdhog"))
    assert res.returncode == 0
    assert res.stdout == b"EMFILE after 13\n"


def test_output_limit_stops_a_chatty_guest(busybox, tmp_path):
    root = make_root(tmp_path, {"/bin/busybox": busybox})
    res = tblc("run", "--max-output", "64K", "--root", root, "/bin/busybox", "yes")
    assert res.returncode == 128 + 25   # SIGXFSZ, as a file-size limit does on Linux
    assert 64 * 1024 <= len(res.stdout) < 256 * 1024


def test_a_killed_build_leaves_the_previous_build_usable(tmp_path):
    import shutil

    from sysvec.compiler import build as b

    files = b.table_files()
    cache = tmp_path / "cache"
    good = b.build(files, cache)
    original = b.compile_module

    def dies(*args, **kw):
        raise KeyboardInterrupt  # as if the build were killed half way
    b.compile_module = dies
    try:
        extra = tmp_path / "extra.tbl"
        shutil.copy(b.TABLES_DIR / "mysys.tbl", extra)
        extra.write_text(extra.read_text().replace("table     mysys", "table     mysys2")
                         .replace("platform  mysys", "platform  mysys2"))
        with pytest.raises(KeyboardInterrupt):
            b.build(files + [extra], cache)
    finally:
        b.compile_module = original
    # Besides the good build: `latest`, and the stamps of settled inputs (build_digest), whole
    # files only; nothing half-built.
    assert sorted(p.name for p in cache.iterdir()
                  if not p.name.startswith("latest") and p.name != "stamps") == [good.directory.name]
    assert not [p for p in (cache / "stamps").glob("*") if p.name.endswith(".tmp")]
    again = b.build(files, cache)
    assert not again.fresh and (again.directory / b.COMPLETE).exists()


@settings(max_examples=FUZZ_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_pe_gives_enoexec_or_a_contained_run(machine_factory, mingw, capsys, data):
    exe = mingw("k32", 64, nostdlib=True, libs=("-lkernel32",))
    blob = bytearray(exe.read_bytes())
    if data.draw(st.booleans()):
        blob = blob[:data.draw(st.integers(0, len(blob) - 1))]
    else:
        for _ in range(data.draw(st.integers(1, 8))):
            pos = data.draw(st.integers(0, min(0x400, len(blob)) - 1))
            blob[pos] = data.draw(st.integers(0, 255))
    m, _ = machine_factory({"/prog.exe": bytes(blob)})
    m.kernel.report_crashes = False
    proc = spawn_or_enoexec(m, "/prog.exe")
    if proc is not None:
        assert_contained_run(m, proc, capsys)


# What the PE fuzz found (mutated data directories whose TLS directory points anywhere: the
# loader read and wrote there and exec failed with EFAULT), each case made on purpose: a
# 64-bit program's TLS directory placed in its header page's slack, or an import slot moved.
TLS_OUTSIDE = {  # (StartAddressOfRawData, EndAddressOfRawData, AddressOfIndex, AddressOfCallBacks)
    "the TLS template": (0xB000005000, 0xB000005010, 0, 0),
    "the TLS index": (0, 0, 0x14000000000, 0),
    "the TLS callback list": (0, 0, 0, 0x40000000300905A),
}


IMPORTS_OUTSIDE = {  # what the import directory (or its first descriptor) points at
    "the import directory": None, "import descriptor 0's name": 0x7FFFFFF0}


def _pe_pointing_outside(exe, what: str) -> bytes:
    import struct

    import pefile

    pe = pefile.PE(str(exe))
    blob = bytearray(exe.read_bytes())
    if what in TLS_OUTSIDE:
        at = (pe.sections[-1].get_file_offset() + 40 + 15) & ~15   # after the section table
        assert at + 40 <= pe.OPTIONAL_HEADER.SizeOfHeaders
        blob[at:at + 40] = struct.pack("<QQQQII", *TLS_OUTSIDE[what], 0, 0)
        tls = pe.OPTIONAL_HEADER.DATA_DIRECTORY[9]
        struct.pack_into("<II", blob, tls.get_file_offset(), at, 40)   # headers map 1:1
    elif what == "the import directory":
        imports = pe.OPTIONAL_HEADER.DATA_DIRECTORY[1]
        struct.pack_into("<I", blob, imports.get_file_offset(), 0xFFFFFFF0)
    elif what in IMPORTS_OUTSIDE:
        desc = pe.DIRECTORY_ENTRY_IMPORT[0].struct
        struct.pack_into("<I", blob, desc.get_field_absolute_offset("Name"), IMPORTS_OUTSIDE[what])
    else:
        desc = pe.DIRECTORY_ENTRY_IMPORT[0].struct
        struct.pack_into("<I", blob, desc.get_field_absolute_offset("FirstThunk"), 0x7FFFFFF0)
    return bytes(blob)


@pytest.mark.parametrize("what", IMPORTS_OUTSIDE)
def test_a_pe_whose_imports_lie_outside_its_image_is_refused(machine_factory, mingw, what):
    """Windows refuses to load it (STATUS_INVALID_IMAGE_FORMAT); it ran with import slots
    nobody filled, until the first call jumped nowhere."""
    exe = mingw("k32", 64, nostdlib=True, libs=("-lkernel32",))
    m, _ = machine_factory({"/prog.exe": _pe_pointing_outside(exe, what)})
    with pytest.raises(ExecError) as info:
        m.spawn("/prog.exe", stdio=(None, None, None))
    assert info.value.errno == errno.ENOEXEC
    assert str(info.value).startswith("/prog.exe: malformed PE file: ")
    assert what in str(info.value) and "outside the image" in str(info.value) or \
        "runs past the image" in str(info.value), str(info.value)
    m.close()


@pytest.mark.parametrize("what", [*TLS_OUTSIDE, "the import slot"])
def test_a_pe_pointing_outside_its_image_gives_enoexec(machine_factory, mingw, what):
    exe = mingw("k32", 64, nostdlib=True, libs=("-lkernel32",))
    m, _ = machine_factory({"/prog.exe": _pe_pointing_outside(exe, what)})
    with pytest.raises(ExecError) as info:
        m.spawn("/prog.exe", stdio=(None, None, None))
    assert info.value.errno == errno.ENOEXEC
    assert str(info.value).startswith(f"/prog.exe: malformed PE file: {what}")
    assert "lies outside the mapped image" in str(info.value)
    m.close()


@pytest.mark.parametrize("cc", ["musl-gcc", "gcc"])
def test_bad_pointers_give_efault_in_every_handler(toolchain, cc):
    res = tblc("run", toolchain.c("efault", cc=cc))
    assert res.stdout.endswith(b"0 failures\n"), res.stdout.decode()
    assert res.returncode == 0


@pytest.mark.parametrize("seed", [1, 7, 23, 42])
@pytest.mark.parametrize("cc,flags", [("musl-gcc", ()), ("gcc", ("-m32",))], ids=["x86_64", "i386"])
def test_random_system_calls_are_all_answered(toolchain, seed, cc, flags):
    """Random numbers and arguments: every call gets an answer, no handler fails inside."""
    res = tblc("run", toolchain.c("sysfuzz", cc=cc, flags=flags), str(seed), timeout=180)
    assert res.returncode == 0, res.stderr
    assert res.stdout.endswith(b"calls answered\n")
    assert b"internal error" not in res.stderr and b"Traceback" not in res.stderr


def test_a_debug_register_breakpoint_does_not_outlive_its_process(toolchain, tmp_path, busybox):
    """Guests run at CPL 0 in Unicorn: `mov dr7` works and its breakpoint lives in the shared
    engine. The runtime ends such a process and disarms the breakpoint for the others."""
    root = make_root(tmp_path, {"/bin/busybox": busybox, "/setdr": toolchain.asm("setdr"),
                                "/hello": toolchain.asm("hello64")})
    res = tblc("run", "--root", root, "/bin/busybox", "sh", "-c",
               "/hello; echo $?; /setdr; /hello; echo $?")
    assert res.returncode == 0, res.stderr
    first, _, second = res.stdout.partition(b"0\n")
    assert first + b"0\n" == second and second.endswith(b"0\n")
    assert b"wrote a debug register: privileged" in res.stderr


def test_huge_address_ranges_and_sleeps_answer_quickly(toolchain):
    """mmap of 64 TiB, munmap of the whole user half and a 10**10 s nanosleep under
    --timeout: an answer (or the time limit) in seconds, never a host-side walk or hang. The
    read-only mapping is not charged, so it succeeds as on Linux, promised whole."""
    exe = toolchain.c("huge")
    res = tblc("run", "--timeout", "2", exe, timeout=60)   # a hang fails here (TimeoutExpired)
    assert res.stdout == b"mmap 64 TiB: mapped\nmunmap far: 0\n"
    assert res.returncode == 137 and b"time limit reached" in res.stderr


def test_max_output_holds_even_when_sigxfsz_is_ignored(toolchain):
    exe = toolchain.c("flood")
    res = tblc("run", "--max-output", "100K", exe, timeout=60)
    assert len(res.stdout) == 100 << 10 and res.returncode == 0, res.stderr


def test_bad_run_options_are_usage_errors(tmp_path):
    for option in (["--max-memory", "abc"], ["--max-memory", "1e3"], ["--max-procs", "-1"],
                   ["--max-fds", "0"], ["--max-fds", "2"], ["--max-memory", "0"],
                   ["--timeout", "-1"], ["--quantum", "99999999999999999999999"]):
        res = tblc("run", *option, "/bin/true")
        assert res.returncode == 2, (option, res.stderr)
        assert res.stderr.startswith(b"tblc: ") and b"internal error" not in res.stderr


@pytest.mark.parametrize("manifest", [
    "limits: {max_seconds: .nan}", "limits: {max_fds: 0}", "limits: {max_processes: 0}",
    "limits: {quantum: 99999999999999999999999}", "env: " + "[" * 5000 + "]" * 5000])
def test_bad_manifests_are_one_line_errors(tmp_path, toolchain, manifest):
    """A NaN, a limit nothing could run under, one past 64 bits, and YAML nested 5000 deep:
    each was an internal error."""
    path = tmp_path / "m.yaml"
    path.write_text(manifest + "\n")
    res = tblc("run", "--manifest", path, toolchain.c("hello"))
    assert res.returncode == 2, (manifest[:40], res.stderr)
    assert res.stderr.startswith(b"tblc: ") and b"internal error" not in res.stderr
    assert res.stderr.count(b"\n") == 1, res.stderr


def test_manifest_keys_given_as_null_are_absent(tmp_path, toolchain):
    path = tmp_path / "m.yaml"
    path.write_text("limits: ~\nenv: ~\nbinfmts: ~\nnetwork: ~\n")
    res = tblc("run", "--manifest", path, toolchain.c("hello"))
    assert res.returncode == 0, res.stderr


def test_exit_status_survives_a_closed_stderr(toolchain):
    exe = toolchain.asm("crash64")
    res = subprocess.run(f"{shutil.which('tblc')} run {exe} i 2>&-", shell=True)
    assert res.returncode == 132


def test_guest_chmod_cannot_make_setuid_host_files(busybox, tmp_path):
    root = make_root(tmp_path, {"/bin/busybox": busybox})
    res = tblc("run", "--root", root, "/bin/busybox", "sh", "-c",
               "/bin/busybox cp /bin/busybox /s; /bin/busybox chmod 6755 /s; "
               "/bin/busybox mkdir -m 7777 /d")
    assert res.returncode == 0, res.stderr
    assert not (root / "s").stat().st_mode & 0o6000
    assert not (root / "d").stat().st_mode & 0o6000


@pytest.mark.parametrize("instruction,text", [("in al, 0x60", b"(in al, 0x60)"),
                                              ("out 0x80, al", b"(out 0x80, al)"),
                                              ("hlt", b"(hlt)")])
def test_privileged_instructions_end_the_process_with_sigsegv_at_the_instruction(toolchain, instruction, text):
    exe = toolchain.asm_source("priv", f".intel_syntax noprefix\n.globl _start\n_start:\n    {instruction}\n"
                               "    mov eax, 60\n    xor edi, edi\n    syscall\n")
    res = tblc("run", exe)
    assert res.returncode == 139, res.stderr
    assert b"SIGSEGV at pc 0x401000 " + text in res.stderr


WIN32_DLLS = ("kernel32.dll", "msvcrt.dll", "ucrtbase.dll", "ws2_32.dll", "ole32.dll",
              "oleaut32.dll", "shell32.dll", "advapi32.dll", "winmm.dll", "ntdll.dll")


@pytest.mark.parametrize("bits", [64, 32])
def test_every_win32_export_answers_hostile_arguments(mingw, bits, tmp_path):
    """Each generated DLL's exports called with a zeroed buffer, a small bad pointer and
    all-ones for every argument: a call may fail, or its process die in guest code it was
    told to run, but no handler may fail inside sysvec (an internal error, SIGSYS)."""
    from conftest import make_root
    exe = mingw("exports_fuzz", bits, libs=("-DNT",))
    root = make_root(tmp_path, {"/bin/fuzz.exe": exe})
    # i386: the C runtimes only, whose exports are cdecl; the others are stdcall, and a call
    # through a cdecl pointer with eleven arguments would unbalance the caller's stack.
    dlls = WIN32_DLLS if bits == 64 else ("msvcrt.dll", "ucrtbase.dll")
    for dll in dlls:
        for pattern in ("0", "1", "2"):
            first = 0
            for _run in range(200):      # a run that dies goes on after the export it died in
                res = tblc("run", "--root", root, "/bin/fuzz.exe", dll, str(first), pattern,
                           timeout=120)
                out, err = res.stdout.decode(errors="replace"), res.stderr.decode(errors="replace")
                called = [line for line in out.splitlines() if line[:1].isdigit()]
                assert "internal error" not in err and "Traceback" not in err, \
                    (dll, pattern, called[-1:], err[-500:])
                if out.rstrip().endswith("done"):
                    break
                assert called, (dll, pattern, err[-500:])
                first = int(called[-1].split()[0]) + 1


def test_special_files_given_to_tblc_are_refused_not_read(tmp_path):
    """A spec including /dev/zero or a FIFO, and /dev/zero or a FIFO as --manifest or
    --attrs: a one-line error each (they exhausted memory, or waited for a writer)."""
    fifo = tmp_path / "fifo.tbl"
    os.mkfifo(fifo)
    mysys = (REPO / "tables" / "mysys.tbl").read_text()
    for name, target in (("zero.tbl", "/dev/zero"), ("fifo_inc.tbl", "fifo.tbl")):
        (tmp_path / name).write_text(mysys.replace("table     mysys\n",
                                                   f'table     mysys\ninclude   "{target}"\n', 1))
        res = tblc("check", "--no-handlers", tmp_path / name, timeout=60)
        assert res.returncode == 1 and b"not a regular file" in res.stderr, res
        assert b"Traceback" not in res.stderr
    res = tblc("run", fifo, timeout=60)
    assert res.returncode == 126 and b"not a regular file" in res.stderr, res
    res = tblc("check", fifo, timeout=60)
    assert res.returncode == 2 and b"not a regular file" in res.stderr, res
    prog = tmp_path / "true"
    for option in ("--manifest", "--attrs"):
        for target in ("/dev/zero", fifo):
            res = tblc("run", option, target, "--root", tmp_path, prog, timeout=60)
            assert res.returncode == 2 and b"not a regular file" in res.stderr, res
            assert len(res.stderr.splitlines()) == 1, res


def test_a_memfd_cannot_run_the_host_out_of_memory(toolchain):
    """A memfd is a host tmpfs file: fallocate of 1 TiB on one took the host's memory (the
    OOM killer ended other host processes). Its growth now stops at the machine's budget."""
    res = tblc("run", "--max-total-memory", "64M", toolchain.c("memfd_hog"), timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "fallocate 1 TiB -1 No space left on device", "fallocate 16 MiB 0", "sparse 1 TiB 0",
        "wrote until No space left on device, at most the budget 1", "overwrite 4096",
        "a second memfd shares the budget -1 No space left on device",
        "room again after close 0"]


@pytest.mark.parametrize("bits,count", [(64, 0), (64, 1), (32, 0), (32, 1)])
def test_a_pe_with_fewer_data_directories_than_kinds_is_no_internal_error(mingw, tmp_path,
                                                                          bits, count):
    """NumberOfRvaAndSizes 0 or 1: no import directory at all (tblc run and pe-imports
    indexed the list pefile made and died with an internal error)."""
    blob = bytearray(mingw("k32", bits, nostdlib=True, libs=("-lkernel32",)).read_bytes())
    optional = struct.unpack_from("<I", blob, 0x3C)[0] + 24
    struct.pack_into("<I", blob, optional + (108 if bits == 64 else 92), count)
    exe = tmp_path / "few.exe"
    exe.write_bytes(bytes(blob))
    for args in (("run", exe), ("pe-imports", exe)):
        res = tblc(*args, timeout=60)
        assert res.returncode != 70 and b"internal error" not in res.stderr, res.stderr


def test_a_std_exception_thrown_without_the_cxx_runtime_goes_unhandled(mingw):
    """msvcp140's throwers called from a process without vcruntime140 (no frame handler
    could catch what they throw) died inside sysvec with KeyError 'vcruntime140'."""
    table = (Path(__file__).parent.parent / "tables" / "win32_x64.tbl").read_text()
    number = re.search(r"^\s*(\d+)\s+msvcp140\.Xbad_alloc\s", table, re.M).group(1)
    res = tblc("run", mingw("raw_shadow_call", 64), number, timeout=60)
    assert b"internal error" not in res.stderr, res.stderr
    assert res.returncode == 0xE06D7363 & 0xFF, res
    assert b"unhandled exception 0xe06d7363" in res.stderr


def test_untrusted_names_in_messages_are_escaped(tmp_path, toolchain):
    """A #! line's interpreter and a process's own name reached the terminal raw in tblc's
    and sysvec's messages (ESC sequences cleared the screen, CR/LF faked lines)."""
    root = tmp_path / "root"
    root.mkdir()
    script = root / "esc"
    script.write_bytes(b"#!/bin/\x1b[31mbusybox\x07\n")
    script.chmod(0o755)
    res = tblc("run", "--root", root, "/esc")
    assert res.returncode == 127, res.stderr
    assert res.stderr == b"tblc: /bin/\\x1b[31mbusybox\\x07: No such file or directory\n"
    res = tblc("run", toolchain.c("evil_name"))
    assert res.returncode == 139, res.stderr
    assert b"\x1b" not in res.stderr and b"\r" not in res.stderr, res.stderr
    assert b"(\\x1b[2J\\x1b[31mX\\x0d\\x0a)" in res.stderr, res.stderr
    assert res.stderr.count(b"\n") == 1, res.stderr


def test_cmd_never_moves_or_copies_several_files_onto_one(mingw, tmp_path):
    """move *.txt one.txt renamed each file onto one.txt (two files' data gone), copy *.q *
    made a file named "*", and ren replaced a file already there. Now: several files move
    only into a folder, a wildcard target takes each source's name (each *.q onto itself),
    *.q onto one file joins them, and ren refuses a name already taken."""
    root = make_root(tmp_path, {"/bin/run.exe": mingw("run_system", 64),
                                "/w/wild_targets.bat":
                                    (WIN / "batch" / "wild_targets.bat").read_bytes()})
    res = tblc("run", "--root", root, "--cwd", "/w", "/bin/run.exe", "wild_targets")
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().replace("\r\n", "\n").splitlines() == [
        "move many onto one: 1", "hello", "world", "one",
        "        0 file(s) copied.", "no star",
        "        2 file(s) copied.", "s1", "s2",
        "s1.old", "s2.old", "ren onto another: 1", "s2",
        "        1 file(s) copied.", "s1", "s2",
        "        2 file(s) moved.", "s1.q", "s2.q",
        "        1 file(s) moved.", "s1.w", "s2.q",
        "        0 file(s) moved.", "status=1"]
    assert res.stderr.decode().splitlines() == [
        "Cannot move multiple files to a single file.",
        "The file cannot be copied onto itself.", "The file cannot be copied onto itself.",
        "A duplicate file name exists, or the file", "cannot be found.",
        "The process cannot access the file because it is being used by another process."]
    assert sorted(os.listdir(root / "w")) == ["a.txt", "all.j", "b.txt", "one.txt", "s1.old",
                                              "s2.old", "sub", "wild_targets.bat"]


@pytest.mark.parametrize("bits", [64, 32])
def test_pending_resource_updates_are_bounded(mingw, tmp_path, bits):
    """UpdateResource copied each call's data into host memory with no bound (24 x 64 MiB
    held 1.7 GB of the host), and "#99999" became an ID no file can hold, so
    EndUpdateResource failed and lost every update. Now an update holds at most what a file
    may be and a machine's updates together at most its memory budget
    (ERROR_NOT_ENOUGH_MEMORY, checked before the data is read), and "#n" past 65535 is
    ERROR_INVALID_PARAMETER. An entry counts its names and its own keeping beside its data
    (30,000 one-byte entries with 4 KB names held 124 MB of the host counted as 30 KB)."""
    root = make_root(tmp_path, {"/rub.exe": mingw("res_update_bounds", bits)})
    res = tblc("run", "--max-total-memory", "32M", "--root", root, "/rub.exe", timeout=120)
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.decode().splitlines() == [
        "#70000: 0 87", "#99999999999999999999: 0 87", "#-1: 0 87", "#65535: 1",
        "NULL data: 0 87", "wild data: 0 998", "4 GiB - 1: 0 8",
        "one block replaced: 10", "blocks held: 3, then 8", "second update: 0 8",
        "removed: 1", "second update now: 1", "discard: 1", "after discard: 1 1",
        # four 8 MiB blocks are the whole 32 MiB budget; each entry's own cost leaves three
        "written: 1", "third update: 3, closed 1", "fourth update: 3, discarded 1",
        "read back: 8388608"]


@pytest.mark.parametrize("bits", [64, 32])
def test_dpapi_seals_large_data_in_chunks_and_refuses_what_could_not_open(mingw, bits):
    """CryptProtectData XORed a byte at a time in Python (256 MiB: 15 s of a stalled machine
    and 1.4 GB of host memory), and sealed data up to 2^28 bytes into blobs CryptUnprotectData
    refused as too large. Now the cipher works a chunk at a time, data whose blob could not
    be opened is ERROR_INVALID_PARAMETER before it is read, and a blob of the first format
    still opens."""
    res = tblc("run", mingw("dpapi_large", bits, libs=("-lcrypt32",)), timeout=120)
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.decode().splitlines() == [
        "1048577 bytes: sealed 1048656, hidden 1, same 1, damaged 0 13",
        "25165824 bytes: sealed 25165903, hidden 1, same 1, damaged 0 13",
        "largest + 1: 0 87", "largest + 1 with a description: 0 87", "blob too large: 0 87",
        "unreadable data: 0 998", "unreadable blob: 0 998",
        "first format: 1 made by the first format [old]"]


@pytest.mark.parametrize("cc,flags", [("gcc", ()), ("gcc", ("-m32",))], ids=["x86_64", "i386"])
def test_a_removed_or_replaced_cwd_is_not_the_directory_that_took_its_name(toolchain, tmp_path,
                                                                          cc, flags):
    """hostile36 2c: the cwd was kept as a path, so after rmdir+mkdir (or a rename over it)
    relative creates landed in the new directory and getcwd answered, letting whoever can
    remake a name redirect a privileged process's files. The lines are Linux's."""
    root = make_root(tmp_path, {"/rcwd": toolchain.c("removed_cwd", cc=cc, flags=flags)})
    (root / "tmp").mkdir()
    res = tblc("run", "--root", root, "/rcwd")
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "create in the removed cwd: ENOENT", "a file in the new /tmp/w1: 0",
        "removed: getcwd ENOENT", "mkdir in the removed cwd: ENOENT",
        "stat of a name in it: ENOENT", "child: create in the inherited cwd: ENOENT",
        "chdir ..: ok", "after ..: getcwd /tmp", "rename over the cwd: ok",
        "replaced: getcwd ENOENT", "mkdir in the replaced cwd: ENOENT",
        "newdir in the directory that took its name: 0", "rmdir of the new one: ok",
        "renamed: getcwd /tmp/rn/x/b", "create in the renamed cwd: ok",
        "it is in /tmp/rn/x/b: 1", "openat creating in a removed directory: ENOENT",
        "fchdir to it: ok", "fchdir: getcwd ENOENT", "create there: ENOENT",
        "k in the new /tmp/dd: 0"]


def test_the_first_process_holds_its_starting_directory(toolchain, tmp_path):
    """A cwd given by --cwd is held as the directory from the first exec on: removed and
    made again, it is not the process's cwd."""
    exe = toolchain.c("removed_cwd_start", cc="gcc")
    root = make_root(tmp_path, {"/start": exe})
    (root / "tmp" / "s").mkdir(parents=True)
    res = tblc("run", "--root", root, "--cwd", "/tmp/s", "/start")
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == ["create: ENOENT", "getcwd: ENOENT",
                                                "in the new /tmp/s: 0"]


@pytest.mark.parametrize("cc,flags", [("gcc", ()), ("gcc", ("-m32",))], ids=["x86_64", "i386"])
def test_a_pi_lock_reads_its_timeout_before_taking_the_word(toolchain, cc, flags):
    """hostile36 6b: FUTEX_LOCK_PI with a wild timeout took a free word (returned 0) and
    answered ESRCH for a missing owner; Linux reads the timeout first (EFAULT, or EINVAL
    for a bad time) and leaves the word alone. A word naming init (which has no PCB) was
    ESRCH too; Linux waits, and a timed-out waiter leaves FUTEX_WAITERS set. The lines are
    Linux's."""
    res = tblc("run", toolchain.c("futex_pi_timeout", cc=cc, flags=flags))
    assert res.returncode == 0, res.stderr
    assert [line.rstrip() for line in res.stdout.decode().splitlines()] == [
        "LOCK_PI free word, wild timeout -1 EFAULT word 0",
        "LOCK_PI2 free word, wild timeout -1 EFAULT word 0",
        "LOCK_PI free word, bad timeout -1 EINVAL word 0",
        "LOCK_PI missing owner, wild timeout -1 EFAULT word 3ffffff0",
        "TRYLOCK_PI, wild argument 0  word = tid",
        "LOCK_PI own word, wild timeout -1 EFAULT word = tid",
        "LOCK_PI own word, no timeout -1 EDEADLK word = tid",
        "UNLOCK_PI 0  word 0", "LOCK_PI held by init, 20 ms -1 ETIMEDOUT word 80000001",
        "TRYLOCK_PI held by init -1 EAGAIN word 80000001"]


@pytest.mark.parametrize("cc,flags", [("gcc", ()), ("gcc", ("-m32",))], ids=["x86_64", "i386"])
def test_a_descriptor_grants_no_attribute_watch_or_lease_its_file_s_mode_does_not(
        toolchain, tmp_path, cc, flags):
    """hostile36 6 000/00: uid 1000 set a user attribute through a read-only descriptor of
    root's 0644 file, watched root's 0600 file with inotify and took a lease on root's
    file; fgetxattr on an O_PATH descriptor said EOPNOTSUPP. The lines are Linux's."""
    root = make_root(tmp_path, {"/pg": toolchain.c("perm_gaps", cc=cc, flags=flags)})
    (root / "tmp").mkdir()
    res = tblc("run", "--root", root, "/pg")
    assert res.returncode == 0, res.stderr
    assert [line.rstrip() for line in res.stdout.decode().splitlines()] == [
        "fsetxattr user.y on root's 0644 file, read-only fd -1 EACCES",
        "fremovexattr on it -1 EACCES",
        "fgetxattr on root's 0602 file, write-only fd -1 EACCES",
        "fgetxattr on an O_PATH fd -1 EBADF", "flistxattr on an O_PATH fd -1 EBADF",
        "fsetxattr on an O_PATH fd -1 EBADF",
        "inotify_add_watch root's 0600 file -1 EACCES",
        "inotify_add_watch root's 0644 file 1",
        "F_SETLEASE F_RDLCK on root's file -1 EACCES",
        "F_SETLEASE F_UNLCK on root's file -1 EACCES", "F_SETLEASE 7 on root's file -1 EINVAL",
        "F_GETLEASE on root's file 2", "F_SETLEASE F_RDLCK on its own file 0", "F_GETLEASE 0",
        "root: F_SETLEASE F_RDLCK 0", "root: inotify_add_watch 0600 file 1"]


@pytest.mark.parametrize("cc,flags", [("musl-gcc", ()), ("gcc", ("-m32",))], ids=["x86_64", "i386"])
def test_every_descriptor_kind_keeps_an_owner_and_a_signal(toolchain, cc, flags):
    """F_SETOWN, F_SETSIG and F_SETOWN_EX work on any descriptor (a signalfd's own field had
    the owner's name: the handler failed)."""
    res = tblc("run", toolchain.c("fd_owners", cc=cc, flags=flags))
    assert res.stdout.endswith(b"0 failures\n") and res.returncode == 0, res


@pytest.mark.parametrize("cc,flags", [("musl-gcc", ()), ("gcc", ("-m32",))], ids=["x86_64", "i386"])
def test_writes_of_gigabytes_copy_a_chunk_at_a_time(toolchain, tmp_path, cc, flags):
    """A read-only mapping costs the guest nothing, but writev of 4 x 1 GiB from it made the
    kernel copy all 4 GiB into host memory (8 GB of host RSS under a 64 MiB budget). Now the
    host's memory stays small and every call answers as Linux does."""
    prog = toolchain.c("huge_writes", cc=cc, flags=flags)
    exe = shutil.which("tblc")
    cmd = [exe] if exe else [sys.executable, "-m", "sysvec.cli"]
    # The peak memory of tblc's process tree, as the rusage of a parent that waited for it.
    peak = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:]); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)")
    res = subprocess.run([sys.executable, "-c", peak, *cmd, "run", "--max-total-memory", "64M",
                          str(prog)], cwd=tmp_path, capture_output=True, timeout=300)
    lines = res.stdout.decode().splitlines()
    first = "writev /dev/null 4 GiB: 2147479552" if not flags else \
        "writev /dev/null 1 GiB: 1073741824"
    assert lines == [first, "write non-blocking pipe 1 GiB: 65536",
                     "write file 96 MiB: 100663296", "pwrite file 80 MiB: 83886080",
                     "writev file, second buffer unmapped: 8",
                     "sendmsg datagram 1 GiB: -1 EMSGSIZE",
                     "writev blocking pipe 4 MiB + 5: 4194309", "child read 4194309"], res
    peak_kib = int(res.stderr.splitlines()[-1])
    assert peak_kib < 1 << 20, f"tblc's peak RSS {peak_kib} KiB: a write held gigabytes"


@pytest.mark.parametrize("bits", [64, 32])
def test_a_win32_call_without_a_stack_ends_its_process_with_sigsegv(mingw, bits):
    """A Win32 call made with the stack pointer aimed at nothing faults reading its
    arguments, and the access violation it raises in the guest cannot be pushed either: the
    process ends with SIGSEGV (i386 ended with an internal error, SIGSYS)."""
    table = (Path(__file__).parent.parent / "tables" / f"win32_x{86 if bits == 32 else 64}.tbl")
    number = re.search(r"^\s*(\d+)\s+kernel32\.WriteFile\s", table.read_text(), re.M).group(1)
    res = tblc("run", mingw("stackless_call", bits), number, timeout=60)
    assert b"internal error" not in res.stderr, res.stderr
    assert res.returncode == 128 + 11 and res.stdout == f"calling {number}\n".encode(), res


def test_a_program_found_but_not_runnable_exits_126_as_a_shell_says(tmp_path):
    """bash's rule: 127 only for a program not found, 126 for every other failed exec (a #!
    loop and a loop of links said 127, as if nothing were there)."""
    root = tmp_path / "root"
    root.mkdir()
    (root / "loop").write_bytes(b"#!/loop\n")
    (root / "loop").chmod(0o755)
    (root / "a").symlink_to("b")
    (root / "b").symlink_to("a")
    for name, why in (("/loop", b"too many levels of interpreters"),
                      ("/a", b"Too many levels of symbolic links"),
                      ("/none", b"No such file or directory")):
        res = tblc("run", "--root", root, name)
        assert (res.returncode, res.stderr) == (127 if name == "/none" else 126,
                                                b"tblc: %s: %s\n" % (name.encode(), why)), res
