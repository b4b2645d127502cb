"""Hostile inputs, second sweep: every system call number fuzzed in a child of its own, corrupt
binaries, malformed table specs and ways out of the root. Each ends in a clear error, an errno
or a signal for the guest alone: never a traceback, an internal error or a host file reached.

SYSVEC_FUZZ_ITER sets how many times the fuzzer calls each number (CI: a few seconds)."""
from __future__ import annotations

import os

import pytest

from conftest import REPO, make_root, tblc

FUZZ_ITER = int(os.environ.get("SYSVEC_FUZZ_ITER", "6"))
TOOLCHAINS = [("gcc", ()), ("musl-gcc", ()), ("gcc", ("-m32",))]
TOOLCHAIN_IDS = ["glibc-x86_64", "musl-x86_64", "glibc-i386"]


def assert_clean(res) -> None:
    err = res.stderr.decode(errors="replace")
    assert "internal error" not in err and "Traceback" not in err, err[-3000:]
    assert res.returncode != 70, err[-3000:]


@pytest.mark.parametrize("seed", [5])
@pytest.mark.parametrize("cc,flags", TOOLCHAINS, ids=TOOLCHAIN_IDS)
def test_every_call_number_answers_hostile_arguments_in_a_child_of_its_own(
        toolchain, tmp_path, cc, flags, seed):
    """Each number, read, mmap, munmap and clone included, called with wild pointers, pages
    it may not touch, huge sizes and descriptors of every kind: a child may crash or be
    killed at its deadline, but no handler fails inside (SIGSYS) and the machine goes on."""
    root = make_root(tmp_path, {"/fuzz": toolchain.c("sysfuzz_each", cc=cc, flags=flags)})
    res = tblc("run", "--root", root, "/fuzz", seed, FUZZ_ITER, timeout=300)
    assert_clean(res)
    assert res.returncode == 0, res.stdout.decode() + res.stderr.decode()[-3000:]
    assert b"sigsys 0, no fork 0\n" in res.stdout, res.stdout


@pytest.mark.parametrize("cc,flags", [("gcc", ("-m32",)), ("gcc", ())], ids=["i386", "x86_64"])
def test_clone_refuses_a_bad_tls_argument_before_the_child_exists(toolchain, cc, flags):
    """i386's CLONE_SETTLS descriptor was read when the child first ran, outside the call:
    an unreadable or refused one (entry -1, a 16-bit segment) ended the whole machine with
    an internal error, and the child was loaded with %gs of the new entry rather than its
    parent's selector. x86-64 took an fs base in the kernel half. Now clone checks the
    argument as Linux's set_new_tls does and fails with no child made; the lines are
    Linux's."""
    res = tblc("run", toolchain.c("clone_bad_tls", cc=cc, flags=flags))
    assert_clean(res)
    assert res.returncode == 0, res.stderr
    if flags:
        assert res.stdout.decode().splitlines() == [
            "unreadable user_desc: Bad address, child -, none left 1",
            "user_desc across the end of memory: Bad address, child -, none left 1",
            "entry -1: Invalid argument, child -, none left 1",
            "entry 5: Invalid argument, child -, none left 1",
            "16-bit segment: Invalid argument, child -, none left 1",
            "code segment: Invalid argument, child -, none left 1",
            "not present: Invalid argument, child -, none left 1",
            "good: made, child exited 42, none left 1",
            "all zero: no segment: made, child exited 42, none left 1",
            "all zero on %gs's own entry: made, child killed by SEGV, none left 1"]
    else:
        assert res.stdout.decode().splitlines() == [
            "kernel half: Operation not permitted, child -, none left 1",
            "just past user space: Operation not permitted, child -, none left 1",
            "good: made, child exited 42, none left 1"]


MIX_DLLS = {64: ("kernel32.dll", "msvcrt.dll", "advapi32.dll", "ws2_32.dll", "shell32.dll"),
            32: ("msvcrt.dll", "ucrtbase.dll")}


@pytest.mark.parametrize("bits", [64, 32])
def test_every_win32_export_answers_mixed_hostile_arguments(mingw, tmp_path, bits):
    """Each export called with its arguments drawn apart (a good buffer with a wild count, a
    real handle with a no-access page, strings and read-only pages): a call may fail or its
    process die in guest code it was given, but no handler fails inside sysvec. i386: the
    cdecl C runtimes only, as in test_hardening's uniform-argument fuzz."""
    root = make_root(tmp_path, {"/bin/fuzz.exe": mingw("exports_mixfuzz", bits)})
    for dll in MIX_DLLS[bits]:
        first = 0
        for _run in range(50):       # a run that dies goes on after the export it died in
            res = tblc("run", "--timeout", "60", "--root", root, "/bin/fuzz.exe", dll, first,
                       7, max(1, FUZZ_ITER // 3), timeout=180)
            out = res.stdout.decode(errors="replace")
            called = [line for line in out.splitlines() if line[:1].isdigit()]
            assert_clean(res)
            if "done" in out.splitlines():
                break
            assert called, (dll, res.stderr[-500:])
            first = int(called[-1].split()[0]) + 1
        else:
            pytest.fail(f"{dll}: 50 runs did not reach the last export")


def test_no_way_out_of_the_root_by_links_proc_chroot_devices_or_the_host_network(toolchain,
                                                                               tmp_path):
    """A secret beside the root stays unread, the root's host path is never shown, device
    nodes the guest makes open no host device, and host ports and sockets are not reached."""
    import socket

    (tmp_path / "secret.txt").write_text("HOSTSECRET\n")
    root = make_root(tmp_path, {"/escape": toolchain.c("root_escape", cc="gcc")})
    (tmp_path / "root" / "secret.txt").unlink(missing_ok=True)
    with socket.socket() as tcp, socket.socket(socket.AF_UNIX) as unix:
        tcp.bind(("127.0.0.1", 0))
        tcp.listen()
        unix.bind(str(tmp_path / "host.sock"))
        unix.listen()
        res = tblc("run", "--root", root, "/escape", tmp_path, tcp.getsockname()[1],
                   tmp_path / "host.sock")
    assert_clean(res)
    assert res.returncode == 0, res.stderr
    out = res.stdout.decode()
    assert "LEAK" not in out and "HOSTPATH" not in out and "CONNECTED" not in out, out
    lines = out.splitlines()
    for line in ("symlink up: open ENOENT", "proc self root: open ENOENT",
                 "proc fd dotdot: open ENOENT", "openat2 in_root: open ENOENT",
                 "openat2 plain: open ENOENT", "chroot breakout: open ENOENT",
                 "cwd after breakout: /", "readlink /proc/self/exe: /escape",
                 "readlink /proc/self/root: /", "blk 8,0: open ENXIO", "chr 1,1: open ENXIO",
                 "connect host port: -1 ECONNREFUSED", "connect host unix path: -1 ENOENT",
                 "uid 1000 open root's /proc/pid/mem: EACCES",
                 "uid 1000 ptrace attach root: -1 EPERM"):
        assert line in lines, (line, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["host.sock", "root", "secret.txt"]


# NT services that end the caller, wait (for ever, with a random timeout or handle), or free
# and protect its own memory: the fuzz leaves them out, as the Linux one gives them a child.
NT_LEFT_OUT = ("NtTerminateProcess", "NtWaitForSingleObject", "NtDelayExecution", "NtReadFile",
               "NtClose", "NtFreeVirtualMemory", "NtProtectVirtualMemory", "NtFsControlFile",
               "NtLockFile")


@pytest.mark.parametrize("bits", [64, 32])
def test_nt_services_answer_random_arguments_at_the_gate(mingw, tmp_path, bits):
    """Every number of the NT table called through its gate with random arguments (wild
    and top-of-memory pointers, OBJECT_ATTRIBUTES naming nothing readable, real handles):
    i386's NtQueryObject built its UNICODE_STRING with a buffer address past 4 GiB (an
    output buffer 8 bytes below the top) and failed inside with struct.error; now the
    address wraps as the process's own arithmetic does and the write faults
    (STATUS_ACCESS_VIOLATION). NtSetInformationFile moved the end of a directory."""
    from sysvec.compiler.check import load_table

    table = load_table(REPO / "tables" / f"nt_x{86 if bits == 32 else 64}.tbl", False)
    numbers = {e.name: e.number for e in table.entries}
    left_out = [numbers[name] for name in NT_LEFT_OUT]
    root = make_root(tmp_path, {"/fuzz.exe": mingw("nt_gate_fuzz", bits)})
    for seed in (1, 2):
        res = tblc("run", "--timeout", "120", "--root", root, "/fuzz.exe", seed,
                   max(1, 10 * FUZZ_ITER), 0, max(numbers.values()), *left_out, timeout=300)
        assert_clean(res)
        assert res.returncode == 0, res.stderr[-2000:]
        services = len(numbers) - len(left_out)
        assert res.stdout.endswith(f"{services} services, {services * max(1, 10 * FUZZ_ITER)} "
                                   "calls\n".encode()), res.stdout[-200:]
    # NtSetInformationFile's end of file on a directory handle failed inside (AttributeError:
    # a Directory has no truncate); it is STATUS_INVALID_PARAMETER, as NTFS answers
    number = numbers["NtSetInformationFile"]
    res = tblc("run", "--root", root, "/fuzz.exe", 12, 600, number, number, timeout=120)
    assert_clean(res)
    assert res.stdout.endswith(b"1 services, 600 calls\n"), res.stdout[-200:]
