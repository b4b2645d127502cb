"""Huge MAP_NORESERVE mappings cost only the pages touched, so AddressSanitizer and
ThreadSanitizer programs start. Each runs the same program on the host and compares."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import PROGRAMS, make_root, missing, tblc


# --- MAP_NORESERVE ----------------------------------------------------------------------------

def test_an_8_gib_noreserve_mapping_costs_what_is_touched(toolchain):
    """8 GiB of MAP_NORESERVE in a process of 256 MiB, touched every 64 MiB: it holds, a
    fork copies on write, mprotect, mremap, mincore, smaps and munmap work on it, as on the
    host."""
    exe = toolchain.c("noreserve", cc="gcc")
    host = subprocess.run([str(exe)], capture_output=True).stdout
    res = tblc("run", "--max-memory", "256M", exe, timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout == host
    assert res.stdout.startswith(b"map 8 GiB noreserve: ok\ntouched every 64 MiB: 128 of 128")


def test_touching_more_noreserve_memory_than_the_limit_is_the_oom_killers(toolchain):
    """Pages of a MAP_NORESERVE mapping count once touched: 48 MiB of them fit a 64 MiB
    process, 96 MiB end it with SIGKILL."""
    exe = toolchain.c("noreserve", cc="gcc")
    ok = tblc("run", "--max-memory", "64M", exe, "touch", "48")
    assert (ok.returncode, ok.stdout) == (0, b"map 8 GiB noreserve: ok\ntouched\n"), ok.stderr
    killed = tblc("run", "--max-memory", "64M", exe, "touch", "96")
    assert killed.returncode == 128 + 9 and b"out of memory touching" in killed.stderr
    assert killed.stdout == b"map 8 GiB noreserve: ok\n"


def test_a_promised_range_touched_sparsely_keeps_entries_for_what_was_touched(engine_c):
    """14 TiB promised at once in a space of 256 MiB and touched at 4096 places: a chunk of
    entries at each (the range splits around them), not the terabytes; protecting, moving
    and unmapping pieces of it work on its ranges."""
    lib, ffi, c = engine_c
    page, base, n = 4096, 0x100000000000, (14 << 40) // 4096
    assert lib.sv_as_map(c, base, n * page, 1 | 2 | 64) == 0       # (64: NORESERVE)
    assert c.nlazy == 1 and lib.sv_as_pages(c) == n and c.committed == 0
    step = n // 4096
    for i in range(4096):
        assert lib.sv_as_write(c, base + i * step * page + 5, b"x", 1) == 0
    assert lib.sv_as_pages(c) == n and c.touched == 4096
    assert c.capacity <= 1 << 17 and 4096 <= c.nlazy <= 4097
    out = ffi.new("char[]", 1)
    assert lib.sv_as_read(c, base + 77 * step * page + 5, out, 1) == 0 and out[0] == b"x"
    assert lib.sv_as_protect(c, base + step * page, 100 * step * page, 1) == 0
    prot = ffi.new("uint32_t *")
    assert lib.sv_as_query(c, base + 50 * step * page + 9 * page, prot) == 0 and prot[0] == 1
    assert lib.sv_as_write(c, base + 50 * step * page, b"y", 1) == -1       # read-only now
    assert lib.sv_as_protect(c, base + step * page, 100 * step * page, 3) == 0
    assert lib.sv_as_write(c, base + 50 * step * page, b"y", 1) == 0
    assert lib.sv_as_unmap(c, base + (4 << 40), 1 << 40) == 0
    assert lib.sv_as_pages(c) == n - (1 << 40) // page
    assert lib.sv_as_move(c, base + (8 << 40), 0x300000000000, 1 << 40) == 0
    moved = 0x300000000000 + ((8 << 40) // page // step + 1) * step * page - (8 << 40) + 5
    assert lib.sv_as_read(c, moved, out, 1) == 0 and out[0] == b"x"
    assert lib.sv_as_pages(c) == n - (1 << 40) // page
    assert lib.sv_as_resident_in(c, base, n) < 4096 * 16
    assert lib.sv_as_unmap(c, base, 1 << 46) == 0 and lib.sv_as_pages(c) == 0
    assert c.nlazy == 0 and c.touched == 0


@pytest.fixture
def engine_c(tmp_path):
    from sysvec.runtime.machine import Machine

    engine = Machine(root=make_root(tmp_path, {})).kernel.engine(64)
    c = engine.lib.sv_as_new(engine.phys, 1 << 16)     # 256 MiB
    try:
        yield engine.lib, engine.ffi, c
    finally:
        engine.lib.sv_as_free(c)


# --- sanitizers -------------------------------------------------------------------------------

def sanitized(tmp_path, name: str, flag: str) -> str:
    """tests/programs/NAME.c built with gcc -fsanitize=FLAG (dynamically: the sanitizers'
    runtimes are shared libraries), or a skip naming what is missing."""
    out = tmp_path / f"{name}-{flag}"
    if shutil.which("gcc") is None:
        missing("gcc is not installed")
    res = subprocess.run(["gcc", f"-fsanitize={flag}", "-g", "-O1", "-o", str(out),
                          str(PROGRAMS / f"{name}.c")], capture_output=True, text=True)
    if res.returncode != 0:
        missing(f"gcc -fsanitize={flag} cannot build (is lib{flag[0]}san installed?): "
                f"{res.stderr.strip().splitlines()[-1] if res.stderr.strip() else ''}")
    return str(out)


# LeakSanitizer (on by default with ASan) stops the process at exit with ptrace to scan its
# threads; sysvec has no ptrace (nor the old getdents its /proc/PID/task walk uses), so the
# runs here leave it off, on the host too.
NO_LEAKS = "ASAN_OPTIONS=detect_leaks=0"


def host_run(exe: str, *args, env: str = NO_LEAKS) -> subprocess.CompletedProcess:
    name, _, value = env.partition("=")
    return subprocess.run([exe, *args], capture_output=True, env={name: value})


def test_an_asan_program_runs_and_reports_a_heap_overflow(tmp_path):
    """AddressSanitizer reserves 14 TiB of MAP_NORESERVE shadow at start: the hello runs
    (exit 0), and the overflow is reported as on the host (exit 1)."""
    exe = sanitized(tmp_path, "asan_overflow", "address")
    host = host_run(exe)
    res = tblc("run", "--root", "/", "--env", NO_LEAKS, exe)
    assert (res.returncode, res.stdout) == (host.returncode, host.stdout) == (0, b"asan ok x\n"), \
        res.stderr
    host = host_run(exe, "overflow")
    res = tblc("run", "--root", "/", "--env", NO_LEAKS, exe, "overflow")
    assert res.returncode == host.returncode == 1 and res.stdout == host.stdout
    for words in (b"ERROR: AddressSanitizer: heap-buffer-overflow", b"WRITE of size 1",
                  b"10-byte region", b"asan_overflow.c:13"):
        assert words in res.stderr and words in host.stderr, res.stderr.decode()[-3000:]


def test_a_tsan_program_runs_and_reports_a_race(tmp_path):
    """ThreadSanitizer maps terabytes of shadow and metadata at fixed places: the program
    runs and the race of its two threads is reported, exit 66 as on the host."""
    exe = sanitized(tmp_path, "tsan_race", "thread")
    host = host_run(exe, env="TSAN_OPTIONS=")
    res = tblc("run", "--root", "/", exe, timeout=300)
    assert res.returncode == host.returncode == 66, res.stderr.decode()[-3000:]
    assert res.stdout == host.stdout == b"shared 2\n"
    assert b"WARNING: ThreadSanitizer: data race" in res.stderr
