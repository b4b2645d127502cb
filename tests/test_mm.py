"""Guest memory in C (csrc/mm.c): page tables, the kernel's checked accessors, copy on write,
the page limits, and the TLB and translation flushes the trap path owes the guest. The C
functions are called through the compiled module on a real engine, and real programs check
what a guest sees."""
from __future__ import annotations

import subprocess

import pytest
from unicorn import UC_ARCH_X86, UC_MODE_64, Uc

from conftest import make_root, tblc

PAGE = 4096
R, W, X = 1, 2, 4
BASE = 0x10000


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    from sysvec.runtime.machine import Machine

    m = Machine(root=make_root(tmp_path_factory.mktemp("mem"), {}))
    return m.kernel.engine(64)


@pytest.fixture
def space(engine):
    """A fresh address space on the engine's physical pool: (lib, ffi, the C space)."""
    lib, ffi = engine.lib, engine.ffi
    c = lib.sv_as_new(engine.phys, 0)
    yield lib, ffi, c
    lib.sv_as_free(c)


def prot_of(lib, ffi, c, addr):
    out = ffi.new("uint32_t *")
    return out[0] if lib.sv_as_query(c, addr, out) == 0 else None


def read(lib, ffi, c, addr, n):
    buf = ffi.new("char[]", max(n, 1))
    return ffi.buffer(buf, n)[:] if lib.sv_as_read(c, addr, buf, n) == 0 else None


# --- page tables ------------------------------------------------------------------------------

def test_map_covers_exactly_the_pages_the_range_touches(space):
    lib, ffi, c = space
    assert lib.sv_as_map(c, BASE + PAGE - 1, 2, R | W) == 0     # two bytes, two pages
    assert [prot_of(lib, ffi, c, a) for a in (BASE - 1, BASE, BASE + 2 * PAGE - 1, BASE + 2 * PAGE)] \
        == [None, R | W, R | W, None]
    assert lib.sv_as_pages(c) == 2
    assert lib.sv_as_map(c, BASE + 4 * PAGE, PAGE, R) == 0       # exactly one page
    assert prot_of(lib, ffi, c, BASE + 5 * PAGE) is None and lib.sv_as_pages(c) == 3
    assert lib.sv_as_map(c, BASE, 0, R) == -1                   # nothing to map
    assert lib.sv_as_map(c, 2**64 - PAGE, 2 * PAGE, R) == -1    # wraps around
    assert lib.sv_as_pages(c) == 3


def test_map_fixed_replaces_pages_with_zeros(space):
    lib, ffi, c = space
    lib.sv_as_map(c, BASE, 2 * PAGE, R | W)
    assert lib.sv_as_write(c, BASE, b"old", 3) == 0
    assert lib.sv_as_map(c, BASE, PAGE, R) == 0
    assert read(lib, ffi, c, BASE, 3) == b"\0\0\0" and prot_of(lib, ffi, c, BASE) == R
    assert lib.sv_as_pages(c) == 2


def test_a_space_is_charged_its_writable_pages_up_to_its_limit(engine):
    """As Linux's strict commit accounting (vm.overcommit_memory 2): writable pages count
    against the limit, read-only ones do not (up to 8 times as many entries), and mprotect
    charges what it makes writable."""
    lib = engine.lib
    c = lib.sv_as_new(engine.phys, 4)
    engine.phys.overcommit = 2
    try:
        assert lib.sv_as_map(c, BASE, 5 * PAGE, R | W) == -2         # more than the limit at once
        assert lib.sv_as_map(c, BASE, 3 * PAGE, R | W) == 0
        assert lib.sv_as_map(c, BASE + 2 * PAGE, 2 * PAGE, R | W) == 0   # one new: 4, the limit
        assert lib.sv_as_pages(c) == 4
        assert lib.sv_as_map(c, BASE + 8 * PAGE, PAGE, R | W) == -2
        assert lib.sv_as_map(c, BASE, 4 * PAGE, R | W) == 0          # replacing adds nothing
        assert lib.sv_as_pages(c) == 4
        assert lib.sv_as_map(c, BASE + 16 * PAGE, 28 * PAGE, R) == 0  # read-only: no charge
        assert lib.sv_as_map(c, BASE + 64 * PAGE, 2 * PAGE, R) == -2  # 34 entries: past 8 x 4
        assert lib.sv_as_protect(c, BASE + 16 * PAGE, PAGE, R | W) == -2   # the 5th writable
        assert lib.sv_as_protect(c, BASE, PAGE, R) == 0              # one given back ...
        assert lib.sv_as_protect(c, BASE + 16 * PAGE, PAGE, R | W) == 0    # ... taken here
        assert lib.sv_as_map(c, BASE + 17 * PAGE, PAGE, R | W) == -2
        assert lib.sv_as_unmap(c, BASE + 16 * PAGE, PAGE) == 0       # unmapping gives it back
        assert lib.sv_as_map(c, BASE + 17 * PAGE, PAGE, R | W) == 0
        assert lib.sv_as_pages(c) == 31
    finally:
        engine.phys.overcommit = 0
        lib.sv_as_free(c)


def test_under_the_heuristic_a_space_holds_at_most_its_limit(engine):
    """vm.overcommit_memory 0: one request may not exceed the limit, many may; the pages the
    space gives memory (a first touch, a copy-on-write copy) are what is bounded."""
    lib = engine.lib
    c = lib.sv_as_new(engine.phys, 4)
    try:
        assert lib.sv_as_map(c, BASE, 5 * PAGE, R | W) == -2         # more than the limit at once
        assert lib.sv_as_map(c, BASE, 3 * PAGE, R | W) == 0
        assert lib.sv_as_map(c, BASE + 3 * PAGE, 3 * PAGE, R | W) == 0   # 6 mapped: fine
        for i in range(4):
            assert lib.sv_as_write(c, BASE + i * PAGE, b"x", 1) == 0
        assert c.touched == 4
        assert lib.sv_as_write(c, BASE + 4 * PAGE, b"x", 1) == -2    # a 5th page: no memory
        assert lib.sv_as_write(c, BASE, b"y", 1) == 0                # touched ones: fine
        child = lib.sv_as_fork(c)
        try:       # the child holds what it shares; its copies do not count again
            assert child.touched == 4
            assert lib.sv_as_write(child, BASE, b"z", 1) == 0
            assert child.touched == 4 and lib.sv_as_write(child, BASE + 5 * PAGE, b"z", 1) == -2
        finally:
            lib.sv_as_free(child)
        assert lib.sv_as_unmap(c, BASE, PAGE) == 0                    # gives one back
        assert c.touched == 3
        assert lib.sv_as_write(c, BASE + 4 * PAGE, b"x", 1) == 0
        assert lib.sv_as_map(c, BASE + PAGE, PAGE, R | W) == 0        # MAP_FIXED over one
        assert c.touched == 3
        assert lib.sv_as_move(c, BASE + 2 * PAGE, BASE + 32 * PAGE, PAGE) == 0
        assert c.touched == 3
        assert lib.sv_as_map(c, BASE, 6 * PAGE, R | W) == 0     # over more than the limit
        assert c.touched == 1                                   # (MADV_DONTNEED): the moved one
    finally:
        lib.sv_as_free(c)


def test_unmap_removes_exactly_the_range(space):
    lib, ffi, c = space
    lib.sv_as_map(c, BASE, 3 * PAGE, R)
    assert lib.sv_as_unmap(c, BASE + PAGE, PAGE) == 0
    assert [prot_of(lib, ffi, c, BASE + i * PAGE) for i in range(3)] == [R, None, R]
    assert lib.sv_as_unmap(c, BASE, 0) == -1
    assert lib.sv_as_unmap(c, 2**64 - PAGE, 2 * PAGE) == -1
    assert lib.sv_as_pages(c) == 2


def test_unmap_of_a_range_wider_than_the_table_keeps_its_neighbours(space):
    """A range of more pages than the table has slots is walked by slot, not by page."""
    lib, ffi, c = space
    first, count = 0x100, 1 << 20                      # in pages
    for page in (first - 1, first, first + 5, first + count - 1, first + count):
        assert lib.sv_as_map(c, page * PAGE, PAGE, R) == 0
    assert lib.sv_as_unmap(c, first * PAGE, count * PAGE) == 0
    kept = [page for page in (first - 1, first, first + 5, first + count - 1, first + count)
            if prot_of(lib, ffi, c, page * PAGE) is not None]
    assert kept == [first - 1, first + count] and lib.sv_as_pages(c) == 2


def test_many_pages_and_holes_keep_the_table_consistent(space):
    """Insertions past the load factor rehash; removals leave tombstones that lookups pass."""
    lib, ffi, c = space
    for i in range(600):
        assert lib.sv_as_map(c, BASE + 2 * i * PAGE, PAGE, R | W) == 0
    for i in range(0, 600, 3):
        lib.sv_as_unmap(c, BASE + 2 * i * PAGE, PAGE)
    for i in range(600, 700):
        assert lib.sv_as_map(c, BASE + 2 * i * PAGE, PAGE, R) == 0
    present = [prot_of(lib, ffi, c, BASE + 2 * i * PAGE) is not None for i in range(700)]
    assert present == [i % 3 != 0 or i >= 600 for i in range(700)]
    assert lib.sv_as_pages(c) == 400 + 100
    assert all(prot_of(lib, ffi, c, BASE + (2 * i + 1) * PAGE) is None for i in range(700))


def test_protect_needs_every_page_and_changes_only_the_range(space):
    lib, ffi, c = space
    lib.sv_as_map(c, BASE, 3 * PAGE, R | W)
    assert lib.sv_as_protect(c, BASE + PAGE, PAGE, R) == 0
    assert [prot_of(lib, ffi, c, BASE + i * PAGE) for i in range(3)] == [R | W, R, R | W]
    assert lib.sv_as_protect(c, BASE, 3 * PAGE, R | X) == 0           # as many pages as mapped
    assert [prot_of(lib, ffi, c, BASE + i * PAGE) for i in range(3)] == [R | X] * 3
    lib.sv_as_unmap(c, BASE + PAGE, PAGE)
    assert lib.sv_as_protect(c, BASE, 3 * PAGE, R) == -1             # a hole: nothing changes
    assert [prot_of(lib, ffi, c, BASE + i * PAGE) for i in range(3)] == [R | X, None, R | X]
    assert lib.sv_as_protect(c, BASE, 0, R) == -1


# --- the kernel's accessors ---------------------------------------------------------------------

def test_read_and_write_cross_pages_and_check_every_byte(space):
    lib, ffi, c = space
    lib.sv_as_map(c, BASE, 2 * PAGE, R | W)
    lib.sv_as_map(c, BASE + 2 * PAGE, PAGE, R)
    data = bytes(range(256)) * 20                                        # 5120 bytes
    assert lib.sv_as_write(c, BASE + 100, data, len(data)) == 0
    assert read(lib, ffi, c, BASE + 100, len(data)) == data
    assert read(lib, ffi, c, BASE + PAGE - 3, 6) == data[PAGE - 103:PAGE - 97]
    assert read(lib, ffi, c, BASE + 2 * PAGE - 6, 6) == b"\0" * 6        # past the data
    assert read(lib, ffi, c, BASE + 3 * PAGE - 4, 4) == b"\0" * 4        # mapped, never touched
    assert read(lib, ffi, c, BASE + 3 * PAGE - 4, 5) is None             # one byte past the end
    assert read(lib, ffi, c, BASE - 1, 2) is None
    assert read(lib, ffi, c, 2**64 - 2, 4) is None                       # wraps around
    assert lib.sv_as_read(c, 0xdead0000, ffi.NULL, 0) == 0               # nothing to read
    # A failed write changes nothing, not even the pages before the bad one.
    assert lib.sv_as_write(c, BASE + 2 * PAGE - 2, b"ok", 2) == 0
    assert lib.sv_as_write(c, BASE + 2 * PAGE - 2, b"abcd", 4) == -1
    assert read(lib, ffi, c, BASE + 2 * PAGE - 2, 2) == b"ok"
    assert lib.sv_as_write(c, BASE + 3 * PAGE, b"x", 1) == -1
    assert lib.sv_as_write(c, BASE, b"", 0) == 0


def test_read_needs_read_or_execute_and_write_needs_write(space):
    lib, ffi, c = space
    lib.sv_as_map(c, BASE, PAGE, X)
    lib.sv_as_map(c, BASE + PAGE, PAGE, W)
    lib.sv_as_map(c, BASE + 2 * PAGE, PAGE, 0)
    assert read(lib, ffi, c, BASE, 4) == b"\0" * 4          # code is readable to the kernel
    assert read(lib, ffi, c, BASE + PAGE, 4) is None
    assert read(lib, ffi, c, BASE + 2 * PAGE, 4) is None
    assert lib.sv_as_write(c, BASE, b"x", 1) == -1
    assert lib.sv_as_write(c, BASE + PAGE, b"x", 1) == 0
    assert lib.sv_as_write_force(c, BASE, b"loader", 6) == 0   # the loader fills read-only pages
    assert read(lib, ffi, c, BASE, 6) == b"loader"
    assert lib.sv_as_write_force(c, BASE + 4 * PAGE, b"x", 1) == -1   # but only mapped ones


def test_strlen_stops_at_the_nul_the_limit_or_a_fault(space):
    lib, ffi, c = space
    lib.sv_as_map(c, BASE, 2 * PAGE, R | W)
    text = b"a" * 10 + b"\0"
    lib.sv_as_write(c, BASE + PAGE - 5, text, len(text))          # crosses into the second page
    assert lib.sv_as_strlen(c, BASE + PAGE - 5, 100) == 10
    assert lib.sv_as_strlen(c, BASE + PAGE - 5, 11) == 10         # the NUL is the 11th byte
    assert lib.sv_as_strlen(c, BASE + PAGE - 5, 10) == -2         # no NUL within 10
    assert lib.sv_as_strlen(c, BASE + PAGE - 5, 0) == -2
    assert lib.sv_as_strlen(c, BASE + PAGE + 200, 100) == 0       # never touched: zeros
    lib.sv_as_write(c, BASE + 2 * PAGE - 3, b"xyz", 3)             # runs off the mapping
    assert lib.sv_as_strlen(c, BASE + 2 * PAGE - 3, 100) == -1
    assert lib.sv_as_strlen(c, BASE + 2 * PAGE - 3, 3) == -2
    assert lib.sv_as_strlen(c, 2**64 - 2, 100) == -1


def test_kernel_writes_to_code_ask_for_a_translation_flush(engine, space):
    lib, ffi, c = space
    phys = engine.phys
    lib.sv_as_map(c, BASE, PAGE, R | W)
    lib.sv_as_map(c, BASE + PAGE, PAGE, R | W | X)
    phys.tb_flush_needed = 0
    lib.sv_as_write(c, BASE, b"data", 4)
    assert phys.tb_flush_needed == 0
    lib.sv_as_write_force(c, BASE + PAGE, b"code", 4)      # the loader, before anything ran
    assert phys.tb_flush_needed == 0
    lib.sv_as_write(c, BASE + PAGE, b"code", 4)            # read() into code that may have run
    assert phys.tb_flush_needed == 1
    phys.tb_flush_needed = 0


# --- copy on write and the physical pool ------------------------------------------------------

def test_pages_past_the_end_of_a_file_refuse_every_access_until_cleared(space):
    """sv_as_set_sigbus marks pages of a file mapping past EOF: the TLB fill faults (the
    kernel makes it SIGBUS), kernel reads, writes and strlen fail; mprotect keeps the mark,
    a fresh mapping over the page and clearing it give the page back."""
    lib, ffi, c = space
    lib.sv_as_map(c, BASE, 3 * PAGE, R | W)
    assert lib.sv_as_write(c, BASE + PAGE, b"data", 4) == 0
    assert lib.sv_as_set_sigbus(c, BASE + PAGE, 2 * PAGE, 1) == 0
    assert [lib.sv_as_sigbus(c, a) for a in (BASE, BASE + PAGE, BASE + 2 * PAGE)] == [0, 1, 1]
    assert lib.sv_as_translate(c, BASE + PAGE) == 2**64 - 1        # the TLB fill refuses it
    assert read(lib, ffi, c, BASE + PAGE, 4) is None and read(lib, ffi, c, BASE, 4) is not None
    assert lib.sv_as_write(c, BASE + PAGE - 2, b"xyz", 3) == -1     # nothing written
    assert read(lib, ffi, c, BASE + PAGE - 2, 2) == b"\0\0"
    assert lib.sv_as_strlen(c, BASE + PAGE, 100) == -1
    assert lib.sv_as_protect(c, BASE, 3 * PAGE, R) == 0 and lib.sv_as_sigbus(c, BASE + PAGE) == 1
    assert prot_of(lib, ffi, c, BASE + PAGE) == R
    assert lib.sv_as_map(c, BASE + 2 * PAGE, PAGE, R) == 0 and lib.sv_as_sigbus(c, BASE + 2 * PAGE) == 0
    assert lib.sv_as_set_sigbus(c, BASE + PAGE, PAGE, 0) == 0
    assert read(lib, ffi, c, BASE + PAGE, 4) == b"data"


def test_fork_shares_pages_until_either_side_writes(space):
    lib, ffi, c = space
    lib.sv_as_map(c, BASE, 2 * PAGE, R | W)
    lib.sv_as_write(c, BASE, b"parent", 6)
    child = lib.sv_as_fork(c)
    try:
        assert read(lib, ffi, child, BASE, 6) == b"parent"
        assert lib.sv_as_write(child, BASE, b"child!", 6) == 0
        assert read(lib, ffi, c, BASE, 6) == b"parent"
        assert lib.sv_as_write(c, BASE + 1, b"P", 1) == 0
        assert read(lib, ffi, c, BASE, 6) == b"pPrent" and read(lib, ffi, child, BASE, 6) == b"child!"
        assert prot_of(lib, ffi, child, BASE) == R | W and lib.sv_as_pages(child) == 2
    finally:
        lib.sv_as_free(child)
    assert read(lib, ffi, c, BASE, 6) == b"pPrent"        # freeing the child keeps our pages


def test_the_pool_holds_at_most_its_page_limit_and_reuses_freed_pages():
    """A pool of two pages on its own engine: a third page is out of memory until one is
    unmapped, and the freed page comes back (after a translation flush) instead of growing."""
    from sysvec.compiler.build import build, load_module

    module = load_module(build())
    lib, ffi = module.lib, module.ffi
    uc = Uc(UC_ARCH_X86, UC_MODE_64)
    handle = ffi.cast("uc_engine *", uc._uch.value)
    phys = lib.sv_phys_new(handle, 0, 2, 2)               # chunks of 2 pages, 2 pages in all
    c = lib.sv_as_new(phys, 0)
    try:
        lib.sv_as_map(c, BASE, 3 * PAGE, R | W)
        assert lib.sv_as_write(c, BASE, b"a", 1) == 0
        assert lib.sv_as_write(c, BASE + PAGE, b"b", 1) == 0
        assert phys.in_use == 2
        assert lib.sv_as_write(c, BASE + 2 * PAGE, b"c", 1) == -2   # ENOMEM: the pool is full
        lib.sv_as_unmap(c, BASE, PAGE)
        assert phys.in_use == 1 and phys.nquar == 1
        assert lib.sv_as_write(c, BASE + 2 * PAGE, b"c", 1) == 0
        assert phys.nchunks == 1 and phys.nquar == 0 and phys.tb_flush_needed == 1
        assert read(lib, ffi, c, BASE + PAGE, 1) == b"b" and read(lib, ffi, c, BASE + 2 * PAGE, 1) == b"c"
    finally:
        lib.sv_as_free(c)
        lib.sv_phys_free(phys)


# --- what the guest sees ----------------------------------------------------------------------

TLB_CASES = ["read-only: write 1 read 0, neighbours 0 0", "writable again: write 0",
             "unmapped: read 1, below 0", "replaced by MAP_FIXED: 0",
             "child saw and wrote 56, parent sees 5", "parent wrote 7, child sees 5",
             "code rewritten by read: 1 then 2"]


@pytest.mark.parametrize("cc,flags", [("musl-gcc", ()), ("gcc", ("-m32",))], ids=["x86_64", "i386"])
def test_no_stale_translation_after_mprotect_munmap_fork_or_a_kernel_write(toolchain, cc, flags):
    res = tblc("run", toolchain.c("tlbcheck", cc=cc, flags=flags))
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == TLB_CASES


@pytest.mark.parametrize("cc", ["gcc", "musl-gcc"])
def test_file_mapping_pages_past_the_end_raise_sigbus_as_on_the_host(toolchain, tmp_path, cc):
    """LTP's mmap13 and futex_wake05: a page of a shared or private file mapping wholly past
    EOF raises SIGBUS (BUS_ADRERR) when touched and is EFAULT to the kernel; a shared one comes
    back when the file grows, and a futex on a page truncated away is EFAULT."""
    exe = toolchain.c("pasteof", cc=cc)
    host = subprocess.run([str(exe)], capture_output=True, cwd=tmp_path, check=True).stdout
    res = tblc("run", exe)
    assert res.returncode == 0, res.stderr
    assert res.stdout == host
    assert b"shared: page past the end: SIGBUS code 2 in its page" in host


def test_growsdown_mapping_grows_until_the_stack_guard_gap(toolchain):
    """LTP's mmap18: stores below a MAP_GROWSDOWN mapping extend it; a mapping within the
    256-page guard gap below stops the growth with SIGSEGV."""
    exe = toolchain.c("growsdown", cc="gcc")
    host = subprocess.run([str(exe)], capture_output=True, check=True).stdout
    res = tblc("run", exe)
    assert res.returncode == 0, res.stderr
    assert res.stdout == host == b"free space below: grew\na mapping in the guard gap: SIGSEGV\n"


def test_code_on_a_recycled_page_is_translated_anew(toolchain):
    """9000 pages unmapped at once are recycled together, with a translation flush: the page
    that held `mov eax, 1` comes back for the same address holding `mov eax, 2`."""
    res = tblc("run", toolchain.c("recycle"))
    assert res.returncode == 0, res.stderr
    assert res.stdout == b"before 1, after recycling 2\n"


@pytest.mark.parametrize("cc,flags", [("gcc", ()), ("gcc", ("-m32",)), ("musl-gcc", ())],
                         ids=["glibc-x86_64", "glibc-i386", "musl-x86_64"])
def test_a_fault_handler_learns_what_linux_tells_it(toolchain, cc, flags):
    """si_code and the exact si_addr of writes and reads to nothing, to PROT_NONE and to a
    read-only page, of a jump to nothing (SEGV_MAPERR or SEGV_ACCERR), a divide error
    (FPE_INTDIV) and ud2 (ILL_ILLOPN), as on the host: the engine reports only the page."""
    exe = toolchain.c("fault_info", cc=cc, flags=flags)
    host = subprocess.run([str(exe)], capture_output=True, check=True).stdout
    res = tblc("run", exe)
    assert res.returncode == 0, res.stderr
    assert res.stdout == host
    assert host.count(b"addr=expected") == 4 and b"divide sig=8 code=1" in host


def test_address_space_without_memory_is_not_charged(toolchain):
    """Go's arenas and Java's heap and class space: 4 GiB PROT_NONE and 2 GiB read-only fit
    in a process limited to 1 GiB, as Linux charges only writable private memory; pieces made
    writable by mprotect or MAP_FIXED hold data and fork copies them; 2 GiB writable, or the
    read-only 2 GiB made writable, is ENOMEM; what is still reserved faults."""
    res = tblc("run", toolchain.c("reserve", cc="gcc"))
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "reserve 4 GiB: ok", "read-only 2 GiB: ok, reads 0 0",
        "writable 2 GiB: Cannot allocate memory", "read-only made writable: Cannot allocate memory",
        "mprotect 1 MiB: ok", "pieces hold 7 7 9, madvise 0", "child sees 7", "child: signal 11",
        "maps: ---p", "munmap: 0"]


@pytest.mark.parametrize("cc,flags", [("gcc", ()), ("gcc", ("-m32",)), ("musl-gcc", ())],
                         ids=["glibc-x86_64", "glibc-i386", "musl-x86_64"])
def test_mincore_tells_pages_with_memory_and_holes(toolchain, cc, flags):
    exe = toolchain.c("mincore", cc=cc, flags=flags)
    host = subprocess.run([str(exe)], capture_output=True, check=True).stdout
    res = tblc("run", exe)
    assert res.returncode == 0, res.stderr
    assert res.stdout == host           # strerror(ENOMEM)'s words are the C library's
    assert res.stdout.startswith(b"touched: 0 1010\nreserved: 0 00\nhole: -1 ")



def test_overcommit_is_linuxs_heuristic_by_default(toolchain):
    """vm.overcommit_memory 0 (what /proc/sys says): mappings larger in sum than the
    process's memory succeed (xz -T2 -9 maps 1.3 GiB for a job that touches far less), a
    single request larger than it fails; RLIMIT_AS bounds the sum in every mode; root's 2
    makes accounting strict and 1 lets anything through."""
    res = tblc("run", "--max-memory", "64M", toolchain.c("overcommit", cc="gcc"))
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "mode 0",
        "rlimit 3 x 20 MiB: ok ok Cannot allocate memory",
        "heuristic 4 x 40 MiB: ok ok ok ok",
        "heuristic 80 MiB: Cannot allocate memory",
        "mode 2",
        "strict 4 x 20 MiB: ok ok ok Cannot allocate memory",   # (the stack: 132 KiB)
        "mode 1",
        "always 100 MiB: ok"]


@pytest.mark.parametrize("cc,flags", [("gcc", ()), ("gcc", ("-m32",))], ids=["x86_64", "i386"])
def test_touching_more_than_the_memory_is_the_oom_killers(toolchain, cc, flags):
    """What the heuristic lets a process map, it may not all touch: past its memory the
    touching process is killed (SIGKILL, as by Linux's OOM killer), alone; within it, fine."""
    exe = toolchain.c("overcommit", cc=cc, flags=flags)
    ok = tblc("run", "--max-memory", "64M", exe, "touch", "48")
    assert ok.returncode == 0 and ok.stdout == b"touched\n", ok.stderr
    killed = tblc("run", "--max-memory", "64M", exe, "touch", "96")
    assert killed.returncode == 128 + 9, killed.stderr
    assert b"out of memory touching" in killed.stderr and killed.stdout == b""
    read = tblc("run", "--max-memory", "64M", exe, "read", "96")    # reads write nothing
    assert read.returncode == 0 and read.stdout == b"read\n", read.stderr


def test_a_large_fresh_mapping_gets_entries_only_where_it_is_used(engine):
    """A large mmap is promised (no table entries) until an access; a page used gives its
    aligned chunk its entries (to the range's end when less than a chunk would stay), so a
    stack used downwards or a heap upwards stays one promise. Reads of promised pages are
    zeros without entries; unmapping, protecting and mapping over promised pages work as on
    entries."""
    lib, ffi = engine.lib, engine.ffi
    c = lib.sv_as_new(engine.phys, 0)
    try:
        n = 2048
        assert lib.sv_as_map(c, BASE, n * PAGE, R | W) == 0
        assert c.nlazy == 1 and c.capacity == 256 and lib.sv_as_pages(c) == n
        assert read(lib, ffi, c, BASE + 100 * PAGE, 4) == b"\0" * 4 and c.nlazy == 1
        top = BASE + (n - 1) * PAGE
        assert lib.sv_as_write(c, top, b"top", 3) == 0                # the top: 16 entries
        assert lib.sv_as_write(c, BASE, b"bottom", 6) == 0            # the bottom: 16 more
        assert c.nlazy == 1 and lib.sv_as_pages(c) == n and c.capacity == 256
        assert read(lib, ffi, c, top, 3) == b"top" and read(lib, ffi, c, BASE, 6) == b"bottom"
        assert prot_of(lib, ffi, c, BASE + 1000 * PAGE) == R | W
        assert lib.sv_as_protect(c, BASE + 1000 * PAGE, PAGE, R) == 0   # splits the promise
        assert prot_of(lib, ffi, c, BASE + 1000 * PAGE) == R
        assert lib.sv_as_write(c, BASE + 1000 * PAGE, b"x", 1) == -1   # read-only now
        assert lib.sv_as_unmap(c, BASE + 500 * PAGE, 10 * PAGE) == 0
        assert prot_of(lib, ffi, c, BASE + 505 * PAGE) is None
        assert lib.sv_as_pages(c) == n - 10
        assert lib.sv_as_map(c, BASE + 1500 * PAGE, 100 * PAGE, R) == 0   # over promised pages
        assert prot_of(lib, ffi, c, BASE + 1550 * PAGE) == R and lib.sv_as_pages(c) == n - 10
        child = lib.sv_as_fork(c)
        try:
            assert read(lib, ffi, child, top, 3) == b"top"
            assert lib.sv_as_write(child, BASE + 1200 * PAGE, b"kid", 3) == 0
            assert read(lib, ffi, c, BASE + 1200 * PAGE, 3) == b"\0\0\0"
        finally:
            lib.sv_as_free(child)
        assert lib.sv_as_unmap(c, BASE, n * PAGE) == 0 and lib.sv_as_pages(c) == 0
        assert c.nlazy == 0
    finally:
        lib.sv_as_free(c)
