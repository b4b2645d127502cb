"""What an adversarial sweep of Windows programs found: VirtualFree of pages no VirtualAlloc
made (KUSER_SHARED_DATA: the next clock update took the whole machine down), Win32 handlers
that built host buffers as large as a guest asked for before touching guest memory, and a
thread-pool callback's return action that could not import its helper."""
from __future__ import annotations

import resource

import pytest

from conftest import make_root, tblc

SHARED_DATA = 0x7FFE0000


@pytest.mark.parametrize("bits", [64, 32])
def test_virtual_free_refuses_pages_no_allocation_made_and_keeps_nt_region_rules(
        mingw, tmp_path, bits):
    """VirtualFree(0x7ffe0000) released KUSER_SHARED_DATA (and MEM_DECOMMIT left it
    reserved): the runtime's next clock update there faulted outside any handler and tblc
    died with an internal error. VirtualFree of 0x10000..0x7ffe0000 unmapped the image, the
    TEB and the stack. Now only a region NtAllocateVirtualMemory made is freed, by its rules
    (STATUS_UNABLE_TO_FREE_VM past its end, STATUS_FREE_VM_NOT_AT_BASE for a size of 0 off
    its base, STATUS_INVALID_PARAMETER_4 for both free types), kernel32's MEM_RELEASE takes
    size 0, and the shared page can neither be made writable nor committed over."""
    root = make_root(tmp_path, {"/spf.exe": mingw("system_pages_free", bits)})
    res = tblc("run", "--root", root, "/spf.exe")
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.decode().splitlines() == [
        "release shared page, a size: 0 87", "release shared page: 0 487",
        "decommit shared page: 0 487", "protect shared page: 0 87",
        "commit shared page: 0 487", "release the image: 0 87", "release the stack: 0 487",
        "release everything: 0 87", "nt release shared page: 0xc00000a0",
        "nt release the image: 0xc000001b", "shared page clocks go on: 1",
        "nt decommit past the end: 0xc000001a", "nt release all but from inside: 0xc000009f",
        "nt release and decommit: 0xc00000f2",
        "nt release the first page: 0 at the page 1 size 0x1000", "first page free: 1",
        "nt decommit the second page: 0 at the page 1 size 0x1000", "second page reserved: 1",
        "release the rest, once: 1 0", "release the rest, twice: 0 487", "still running"]


def test_a_shared_page_that_cannot_take_the_clocks_ends_only_its_process(mingw, tmp_path):
    """The clocks are written to each process's KUSER_SHARED_DATA before each of its time
    slices; a page that could not take them (gone from under the runtime) raised out of the
    scheduler and ended every process. Now that process alone ends, by SIGSEGV, saying why."""
    from sysvec.runtime.machine import Machine
    from sysvec.runtime.signals import SIGSEGV

    root = make_root(tmp_path, {"/clock.exe": mingw("shared_clock", 64)})
    m = Machine(root=root)
    outs = [tmp_path / "lost.txt", tmp_path / "kept.txt"]
    with open(outs[0], "wb") as lost, open(outs[1], "wb") as kept:
        broken = m.spawn("/clock.exe", stdio=[0, lost.fileno(), 2])
        other = m.spawn("/clock.exe", stdio=[0, kept.fileno(), 2])
        broken.pcb.mm.unmap(SHARED_DATA, 0x1000)
        assert m.run(max_seconds=60)
    assert broken.signal == SIGSEGV
    assert other.returncode == 0 and outs[1].read_text() == "the clock went on\n"
    assert any("KUSER_SHARED_DATA" in report and f"pid {broken.pid}" in report
               for report in m.crash_reports)
    m.close()


@pytest.mark.parametrize("bits", [64, 32])
def test_random_apis_fill_in_pieces_and_a_short_buffer_faults_first(mingw, tmp_path, bits):
    """RtlGenRandom, CryptGenRandom, ProcessPrng and BCryptGenRandom made the whole length
    with os.urandom before writing a byte: 1.5 GiB into a 16-byte buffer took 1.6 GB of the
    host under --max-total-memory 64M, and ProcessPrng's 2^40 a MemoryError (an internal
    error). Now a buffer the process cannot write is the access violation at once, and a
    large one it can is filled a piece at a time, every piece."""
    root = make_root(tmp_path, {"/rng.exe": mingw("rng_bounds", bits, libs=("-ladvapi32",))})
    cases = [(kind, "1536") for kind in ("rtl", "crypt", "prng", "bcrypt")]
    if bits == 64:
        cases.append(("prng", str(1 << 20)))      # 2^40 bytes: ProcessPrng takes a SIZE_T
    for kind, mib in cases:
        res = tblc("run", "--max-total-memory", "64M", "--root", root, "/rng.exe", kind, mib)
        assert (res.returncode, res.stdout) == (3, b"filled 1\nexception 0xc0000005\n"), \
            (kind, mib, res)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert peak < 1_000_000, peak   # KiB: the host process stayed well under 1 GiB


@pytest.mark.parametrize("bits", [64, 32])
def test_bstrs_are_process_memory_not_host_strings(mingw, tmp_path, bits):
    """SysAllocStringByteLen(NULL, 512 MiB) built the zeros as a host string and wrote them
    into the guest until the machine's 64 MiB were spent: the allocation "failed", the pages
    stayed taken, and the program's output was lost when its stdout could not get a page
    (exit 0, nothing printed). Now a BSTR is heap memory of the process with nothing built
    on the host; what the machine cannot hold is NULL when asked for (a Windows process is
    promised no more than the machine has), and the output comes out."""
    root = make_root(tmp_path, {"/bstr.exe": mingw("bstr_bounds", bits, libs=("-loleaut32",))})
    res = tblc("run", "--max-total-memory", "64M", "--root", root, "/bstr.exe")
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "byte len 512 MiB: 0", "len 256 Mi: 0", "realloc 256 Mi: 0 kept 1",
        "byte len 4 GiB - 1: 0", "8 MiB: 8388608 zero 1 1 ended 1", "copy: 5 1", "done"]
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert peak < 1_000_000, peak


@pytest.mark.parametrize("bits", [64, 32])
def test_thread_pool_callback_return_actions_all_happen(mingw, tmp_path, bits):
    """LeaveCriticalSectionWhenCallbackReturns imported its helper from the wrong module and
    every call ended the process (ImportError). Each *WhenCallbackReturns action now happens
    as the callback returns, in the pool's order: the locks are let go before the event
    wakes a waiter, whatever order the callback asked in."""
    root = make_root(tmp_path, {"/tp.exe": mingw("tp_on_return", bits)})
    res = tblc("run", "--root", root, "/tp.exe")
    assert res.returncode == 0, res
    assert res.stdout.decode().splitlines() == [
        "event set: 1", "critical section left: 1", "mutex released: 1",
        "semaphore released twice: 1 1 1", "library still loaded: 1"]


@pytest.mark.parametrize("bits", [64, 32])
def test_a_thread_hands_back_pages_of_its_own_stack(mingw, tmp_path, bits):
    """HotSpot decommits the guard pages of a thread's stack when the thread ends; since
    only NtAllocateVirtualMemory's regions could be freed, every Java thread's end printed
    "Attempt to deallocate stack guard pages failed". Stacks are regions the program owns,
    as on Windows, and VirtualQuery names the stack's base as their allocation base."""
    root = make_root(tmp_path, {"/sgb.exe": mingw("stack_give_back", bits)})
    res = tblc("run", "--root", root, "/sgb.exe")
    assert res.returncode == 0, res.stdout + res.stderr
    line = "decommit 1 0, reserved 1, commit again 1, decommit again 1, base kept 1"
    assert res.stdout.decode().splitlines() == [
        f"main: {line}", f"thread: {line}", f"fiber: {line}", "done"]
