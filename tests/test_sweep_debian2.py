"""What a sweep of Debian programs not tried before found (git, gcc and make inside a
Debian root, sqlite3 in WAL mode, python3's multiprocessing, asyncio and ssl, perl's fork
and sockets, openssl's s_server and s_client, gpg, man, tmux, util-linux...): each fix's C
program prints what the host printed, and the programs that failed run as on the host."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import PROGRAMS, make_root, missing, tblc

CCS = ["gcc", "musl-gcc", "gcc -m32"]


def _lines(toolchain, tmp_path, name: str, cc: str) -> list[str]:
    cc, *flags = cc.split()
    root = make_root(tmp_path, {"/prog": toolchain.c(name, cc, tuple(flags))})
    res = tblc("run", "--root", root, "/prog")
    assert res.returncode == 0, res.stdout + res.stderr
    return res.stdout.decode().splitlines()


PTRACE_ATTACH = [   # what the program prints on Linux 6.18 (all three toolchains)
    "attach to itself: 1",
    "peek before attaching: 3",
    "attach: 0",
    "attach stop: child stopped 1 sig 19",
    "attach again: 1",
    "State:\tt (tracing stop)",
    "TracerPid is the tracer: 1",
    "peek: 0x5eed errno 0 (the tracer's own: 0x1)",
    "poke: 0",
    "peek after poke: 0xbeef",
    "peek at 8: 5",
    "getregs: 0",
    "sp just below the child's local: 1",
    "getregset prstatus: 0, full size 1, same sp 1",
    "getregset 0x999: 22",
    "cont: 0",
    "signal stop: child stopped 1 sig 10",
    "getsiginfo: 0 signo 10 code 0 from us 1",
    "cont with it: 0",
    "peek while it runs: 3",
    "detach while it runs: 3",
    "sigstop stop: child stopped 1 sig 19",
    "cont with a bad signal: 5",
    "detach: 0",
    "peek after detach: 3",
    "child: read 1 'x' errno 0 marker 0xbeef usr1 1",
    "child exit 3",
]


@pytest.mark.parametrize("cc", CCS)
def test_ptrace_attach_stops_inspects_passes_signals_and_detaches(toolchain, tmp_path, cc):
    """PTRACE_ATTACH (the tracee in state t, its TracerPid the tracer), PEEK/POKE,
    GETREGS/GETREGSET, GETSIGINFO, CONT with and without the signal, DETACH: ptrace was
    ENOSYS."""
    assert _lines(toolchain, tmp_path, "ptrace_attach", cc) == PTRACE_ATTACH


def _asan_build(tmp_path, name: str, bits: int) -> Path:
    if shutil.which("gcc") is None:
        missing("gcc is not installed")
    out = tmp_path / f"{name}-asan{bits}"
    res = subprocess.run(["gcc", *(["-m32"] if bits == 32 else []), "-fsanitize=address",
                          "-g", "-O1", "-o", str(out), str(PROGRAMS / f"{name}.c"),
                          "-lpthread"], capture_output=True, text=True)
    if res.returncode != 0:
        missing(f"gcc {'-m32 ' if bits == 32 else ''}-fsanitize=address cannot build: "
                f"{res.stderr.strip()[-300:]}")
    return out


def _leak_report(stderr: bytes) -> list[str]:
    """The report's lines without addresses and pids."""
    text = re.sub(r"0x[0-9a-f]+", "ADDR", stderr.decode(errors="replace"))
    return [re.sub(r"==\d+==", "==PID==", line) for line in text.splitlines()
            if line.startswith(("==", "Direct", "Indirect", "SUMMARY"))]


@pytest.mark.parametrize("bits", [64, 32])
def test_leak_sanitizer_stops_the_threads_with_ptrace_and_reports_the_leak(tmp_path, bits):
    """LeakSanitizer's tracer attaches to each thread of its parent at exit and reads
    their registers: the lost block is reported and the one a thread's stack holds is
    not, exit 1, as on the host (it died with "LeakSanitizer has encountered a fatal
    error": ptrace was ENOSYS). The i386 build reads /proc/self/maps at start, where the
    GDT page's line (ending at 0x100000000) failed its CHECK before main."""
    exe = _asan_build(tmp_path, "lsan_leak", bits)
    host = subprocess.run([str(exe)], capture_output=True, env={}, timeout=60)
    res = tblc("run", "--root", "/", exe, timeout=240)
    assert (res.returncode, res.stdout) == (host.returncode, host.stdout) == \
        (1, b"leaving (nil)\n"), res.stderr.decode()[-3000:]
    assert _leak_report(res.stderr) == _leak_report(host.stderr)
    assert "Direct leak of 123 byte(s) in 1 object(s) allocated from:" in \
        _leak_report(res.stderr), res.stderr.decode()[-3000:]


def test_pldd_attaches_to_a_process_and_lists_its_libraries(tmp_path):
    """glibc's pldd attaches to each thread of the process (PTRACE_ATTACH, waitpid) before
    it reads its link map through /proc/PID/mem: "cannot attach to process: Function not
    implemented"."""
    if shutil.which("pldd") is None or shutil.which("sleep") is None:
        missing("the host has no pldd")
    script = ("sleep 5 & until grep -qx sleep /proc/$!/comm; do :; done; "   # exec'd
              "pldd $! | tail -n +2 | sort; kill $!")
    host = subprocess.run(["/bin/sh", "-c", script], capture_output=True, timeout=60)
    res = tblc("run", "--root", "/", "/bin/sh", "-c", script, timeout=120)
    assert res.returncode == 0, res.stderr.decode()
    libs = res.stdout.decode().split()
    assert "/lib/x86_64-linux-gnu/libc.so.6" in libs or any("libc.so.6" in s for s in libs)
    assert host.stdout.decode().split() == libs, (host, res)
