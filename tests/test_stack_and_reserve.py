"""The main thread's stack grows down as far as RLIMIT_STACK lets it (set before exec, as
`ulimit -s` does, or after, as GCC's cc1 does), and mmap leaves it the room; huge
MAP_NORESERVE mappings cost only the pages touched, so AddressSanitizer and ThreadSanitizer
programs start. Each runs the same program on the host and compares."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from conftest import PROGRAMS, make_root, missing, tblc

TOOLCHAINS = [("gcc", ()), ("gcc", ("-m32",)), ("musl-gcc", ())]
IDS = ["glibc-x86_64", "glibc-i386", "musl-x86_64"]
# A frame's pages are only touched where the program writes: no probes (Ubuntu's gcc has them
# on by default), so a 1 GiB stack of 64 KiB frames holds a few pages a frame.
NO_PROBES = ("-fno-stack-clash-protection",)


def stack_limit(toolchain, cc, flags):
    return toolchain.c("stack_limit", cc=cc, flags=flags + NO_PROBES)


def status(res: subprocess.CompletedProcess) -> int:
    """A host run's exit status as tblc run reports it (128 + a signal)."""
    return 128 - res.returncode if res.returncode < 0 else res.returncode


def depth_kib(out: bytes) -> int:
    m = re.fullmatch(rb"depth (\d+) KiB\n", out)
    assert m, out
    return int(m.group(1))


@pytest.mark.parametrize("cc,flags", TOOLCHAINS, ids=IDS)
@pytest.mark.parametrize("how", ["exec", "set"])
@pytest.mark.parametrize("kib", [256, 32768])
def test_stack_depth_follows_rlimit_stack_either_way(toolchain, cc, flags, how, kib):
    """The recursion overflows (SIGSEGV, caught on an alternate stack) at the limit -- lower
    or higher than the 8 MiB default -- set before exec or in the running process, as on the
    host (within what the start-up stack and the frame in flight take)."""
    exe = stack_limit(toolchain, cc, flags)
    args = ["exec", str(kib), "run"] if how == "exec" else ["set", str(kib)]
    host = depth_kib(subprocess.run([str(exe), *args], capture_output=True).stdout)
    res = tblc("run", exe, *args)
    assert res.returncode == 0, res.stderr
    depth = depth_kib(res.stdout)
    assert kib - 16 <= depth <= kib and kib - 16 <= host <= kib, (depth, host)


@pytest.mark.parametrize("cc,flags", TOOLCHAINS, ids=IDS)
def test_a_one_gib_stack_has_room_below_it(toolchain, cc, flags):
    """A 1 GiB RLIMIT_STACK at exec moves the mappings down (Linux's mmap_base: the gap is
    the limit, at least 128 MiB), so the stack reaches its limit instead of the libraries."""
    exe = stack_limit(toolchain, cc, flags)
    res = tblc("run", exe, "exec", str(1 << 20), "run", str(64 << 10), timeout=300)
    assert res.returncode == 0, res.stderr
    assert (1 << 20) - 128 <= depth_kib(res.stdout) <= 1 << 20
    layout = tblc("run", exe, "exec", str(1 << 20), "layout")
    assert layout.stdout == b"mmap: below the stack's limit\n", layout.stderr


@pytest.mark.parametrize("cc,flags", TOOLCHAINS, ids=IDS)
def test_an_unlimited_stack_gives_the_legacy_bottom_up_layout(toolchain, cc, flags):
    """RLIMIT_STACK unlimited at exec: mappings go bottom-up from a third of the address
    space (mmap_is_legacy), leaving the stack all the room above them."""
    exe = stack_limit(toolchain, cc, flags)
    host = subprocess.run([str(exe), "exec", "inf", "layout"], capture_output=True).stdout
    res = tblc("run", exe, "exec", "inf", "layout")
    assert res.returncode == 0, res.stderr
    assert res.stdout == host == b"mmap: bottom-up\n"


@pytest.mark.parametrize("cc,flags", TOOLCHAINS, ids=IDS)
def test_a_stack_overflow_at_the_limit_is_sigsegv(toolchain, cc, flags):
    """With no handler, running past a 32 MiB limit kills the process with SIGSEGV (139),
    the fault 32 MiB below the stack's top."""
    exe = stack_limit(toolchain, cc, flags)
    res = tblc("run", exe, "exec", "32768", "crash")
    assert res.returncode == 128 + 11, res.stderr
    top = int(re.fullmatch(rb"top (0x[0-9a-f]+)\n", res.stdout).group(1), 16)
    fault = int(re.search(rb"in the page at (0x[0-9a-f]+)", res.stderr).group(1), 16)
    assert (32 << 20) - (64 << 10) <= top - fault <= (32 << 20) + (8 << 10), hex(top - fault)


@pytest.mark.parametrize("cc,flags", TOOLCHAINS, ids=IDS)
def test_the_kernel_grows_the_stack_it_writes_below(toolchain, cc, flags):
    """Under a 16 MiB limit, a read into a stack buffer the program never touched (a pipe's,
    answered in Python; /dev/zero's, in C) and a signal frame pushed 9 MiB below the stack
    grow it, as Linux's copy_to_user faults it in; under 8 MiB they are EFAULT and a
    SIGSEGV."""
    exe = stack_limit(toolchain, cc, flags)
    for args, code in ((["exec", "16384", "kernel"], 0), (["kernel"], 128 + 11)):
        host = subprocess.run([str(exe), *args], capture_output=True)
        res = tblc("run", exe, *args)
        assert (res.returncode, res.stdout) == (status(host), host.stdout), res.stderr
        assert res.returncode == code
    assert res.stdout.count(b": -1") == 2
    assert host.stdout.startswith(b"a read 10 MiB below the stack: -1")


def test_ulimit_s_in_a_shell_sizes_the_next_programs_stack(toolchain, busybox, tmp_path):
    """busybox sh's `ulimit -s` (setrlimit, then exec) both ways."""
    exe = stack_limit(toolchain, "musl-gcc", ())
    root = make_root(tmp_path, {"/bin/busybox": busybox, "/prog": exe})
    res = tblc("run", "--root", root, "/bin/busybox", "sh", "-c",
               "ulimit -s 512; /prog run; ulimit -s 20000; /prog run")
    assert res.returncode == 0, res.stderr
    small, large = (int(n) for n in re.findall(rb"depth (\d+) KiB", res.stdout))
    assert 512 - 16 <= small <= 512 and 20000 - 16 <= large <= 20000, res.stdout


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


@pytest.mark.parametrize("seed", range(4))
def test_promised_ranges_and_entries_agree_with_a_model(engine_c, seed):
    """Random maps (promised from 32 pages, entries below), unmaps, protects, moves, writes,
    reads and forks over 2048 pages in the middle of 4 TiB of MAP_NORESERVE: every page's
    protection and first byte, the space's page count and its charge are what a page-by-page
    model says."""
    import random

    lib, ffi, c = engine_c
    rnd, page, base, span, sea = random.Random(seed), 4096, 0x100000000000, 2048, 1 << 30
    assert lib.sv_as_map(c, base - (sea // 2) * page, sea * page, 3 | 64) == 0
    model = {n: [3, True, 0] for n in range(span)}     # page -> [prot, noreserve, first byte]
    buf, out = ffi.new("char[]", 1), ffi.new("uint32_t *")

    def check(space):
        assert lib.sv_as_pages(space) == len(model) + sea - span
        assert space.committed == sum(1 for p, nr, _ in model.values() if p & 2 and not nr)
        for n in range(span):
            want = model.get(n)
            got = lib.sv_as_query(space, base + n * page, out)
            assert (got, out[0] if got == 0 else None) == \
                ((0, want[0]) if want else (-1, None)), (seed, n)
            if want and want[0] & 5:
                assert lib.sv_as_read(space, base + n * page, buf, 1) == 0
                assert buf[0][0] == want[2], (seed, n)

    for step in range(1500):
        op = rnd.choice("mmmuupwwwvf")
        first = rnd.randrange(span)
        count = min(rnd.choice((1, 5, 16, 31, 32, 40, 100, 300)), span - first)
        pages = range(first, first + count)
        if op == "m":
            prot, nr = rnd.choice((0, 1, 3, 5, 7)), rnd.random() < 0.3
            assert lib.sv_as_map(c, base + first * page, count * page,
                                 prot | (64 if nr else 0)) == 0
            for n in pages:
                model[n] = [prot, nr, 0]
        elif op == "u":
            assert lib.sv_as_unmap(c, base + first * page, count * page) == 0
            for n in pages:
                model.pop(n, None)
        elif op == "p":
            prot = rnd.choice((0, 1, 3, 5))
            rc = lib.sv_as_protect(c, base + first * page, count * page, prot)
            assert rc == (0 if all(n in model for n in pages) else -1)
            for n in pages if rc == 0 else ():
                model[n][0] = prot
        elif op == "w":
            value = rnd.randrange(1, 256)
            ok = first in model and model[first][0] & 2
            assert lib.sv_as_write(c, base + first * page, bytes([value]), 1) == (0 if ok else -1)
            if ok:
                model[first][2] = value
        elif op == "v":
            to = rnd.randrange(span - count + 1)
            if to + count <= first or first + count <= to:
                assert lib.sv_as_unmap(c, base + to * page, count * page) == 0
                for n in range(to, to + count):
                    model.pop(n, None)
                assert lib.sv_as_move(c, base + first * page, base + to * page, count * page) == 0
                moved = {n - first + to: model.pop(n) for n in pages if n in model}
                model.update(moved)
        elif op == "f":
            child = lib.sv_as_fork(c)
            try:
                check(child)
            finally:
                lib.sv_as_free(child)
        if step % 100 == 99:
            check(c)
    check(c)


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
# threads (test_sweep_debian2.py runs it); the runs here leave it off, on the host too.
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
