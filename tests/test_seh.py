"""Structured exception handling over the programs' own unwind tables, with real mingw-w64
programs: faults and RaiseException dispatched to vectored handlers and to frame handlers
(__C_specific_handler scopes, the __try/__except of mingw's __try1), C++ throw/catch with
destructors and rethrow on x64 (SEH) and i386 (DWARF), and what an unhandled exception does."""
from __future__ import annotations

import pytest

from conftest import tblc

TRY_OUT = [
    "filter: code 0xe0000042 with 2 arguments: 6 7",
    "RaiseException returned",                      # the filter continued execution
    "after the __try",
    "filter: code 0xe0000042 with 2 arguments: 8 7",
    "after the __try",                              # unwound to the __except part
]


# i386: a handler linked at the head of the fs:[0] chain sees a raised exception and a fault.
CHAIN_OUT = ["chain handler: code 0xe0000043", "chain handler: code 0xc0000005",
             "read through the chain gave 55"]


def seh_out(bits: int) -> list[str]:
    # the byte the read touched, as Windows reports it (ExceptionInformation[1]), not its page
    return [f"vectored: access violation reading at {8:0{bits // 4}X}",
            "read gave 77",                         # resumed where the handler said, eax set
            "divide gave 42"] + \
        (TRY_OUT if bits == 64 else CHAIN_OUT) + ["faults 1 divides 1"]


@pytest.mark.parametrize("bits", [64, 32])
def test_vectored_and_frame_handlers_see_faults_and_raised_exceptions(mingw, bits):
    res = tblc("run", mingw("seh", bits))
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().splitlines() == seh_out(bits)


@pytest.mark.parametrize("bits", [64, 32])
def test_an_unhandled_raised_exception_ends_the_process_with_its_code(mingw, bits):
    res = tblc("run", mingw("seh", bits), "unhandled")
    assert res.stdout.decode().splitlines() == seh_out(bits)
    assert res.returncode == 0x99                   # 0xE0000099's low byte, as a shell sees it
    assert b"unhandled exception 0xe0000099" in res.stderr


@pytest.mark.parametrize("bits", [64, 32])
def test_an_unhandled_fault_is_still_reported_as_a_crash(mingw, bits):
    """No handler takes it (mingw's top-level filter passes it on): the report names the
    NT status and the process dies as if by the signal."""
    res = tblc("run", mingw("seh", bits), "crash")
    assert res.stdout.decode().splitlines() == seh_out(bits)
    assert res.returncode == 139
    assert b"STATUS_ACCESS_VIOLATION (SIGSEGV)" in res.stderr and b"bad write" in res.stderr


CXX_OUT = ["~frame0", "~frame1", "~frame2", "rethrowing too deep", "caught logic_error: too deep",
           "caught something"]


@pytest.mark.parametrize("bits", [64, 32])
def test_cxx_exceptions_unwind_through_destructors_and_rethrow(mingw, bits):
    res = tblc("run", mingw("cxxunwind", bits))
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().splitlines() == CXX_OUT + ["done"]


@pytest.mark.parametrize("bits", [64, 32])
def test_an_uncaught_cxx_exception_terminates(mingw, bits):
    res = tblc("run", mingw("cxxunwind", bits), "uncaught")
    assert res.stdout.decode().splitlines() == CXX_OUT
    assert b"terminate called after throwing an instance of 'std::runtime_error'" in res.stderr
    assert res.returncode == 3                      # abort(), as the Windows C runtime exits


@pytest.mark.parametrize("bits", [64, 32])
def test_four_posix_threads_with_a_mutex_and_a_condition_variable(build_dir, bits):
    """mingw-w64's winpthreads over _beginthreadex, events, semaphores, critical sections and
    WaitForMultipleObjects: strict rotation between four threads, joined with results."""
    import shutil
    import subprocess

    from conftest import WIN, missing
    cc = {64: "x86_64-w64-mingw32-gcc-posix", 32: "i686-w64-mingw32-gcc-posix"}[bits]
    if shutil.which(cc) is None:
        missing(f"{cc} is not installed")
    exe = build_dir / f"threads-{bits}.exe"
    subprocess.run([cc, "-O1", "-static", "-o", str(exe), str(WIN / "threads.c")], check=True)
    res = tblc("run", exe)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout == b"counter 800 (expected 800), results 60\n"


@pytest.mark.parametrize("bits", [64, 32])
def test_fls_callbacks_run_at_thread_and_process_exit(mingw, bits):
    res = tblc("run", mingw("fls", bits))
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().splitlines() == [
        "cleanup worker data", 'worker exited with 5, main still has "main data"',
        "cleanup main data"]


@pytest.mark.parametrize("bits", [64, 32])
def test_terminate_process_on_itself_runs_no_callbacks(mingw, bits):
    """TerminateProcess(GetCurrentProcess()) is not ExitProcess: Windows runs no FLS
    callbacks and no DllMain detach (a hostile fuzz's garbage callback crashed a process
    that had finished), and the process ends with the code given."""
    res = tblc("run", mingw("terminate_self", bits))
    assert res.returncode == 7, res.stderr.decode()
    assert res.stdout.decode().splitlines() == ["terminating"]


@pytest.mark.parametrize("bits", [64, 32])
@pytest.mark.parametrize("case,code", [("zero", "c0000094"), ("overflow", "c0000095"),
                                       ("llzero", "c0000094")])
def test_msvcrt_div_faults_as_the_cpu_does(mingw, bits, case, code):
    """div, ldiv and lldiv divide with idiv on Windows: a zero divisor or INT_MIN / -1 is a
    hardware exception the program's handlers see, not the C runtime's SIGFPE (exit 3)."""
    res = tblc("run", mingw("div_fault", bits), case)
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.decode().splitlines() == ["div(-7, 2) = -3 rem -1", f"caught {code}"]


@pytest.mark.parametrize("bits", [64, 32])
def test_wait_on_address_between_threads(mingw, bits):
    res = tblc("run", mingw("waitaddr", bits, libs=("-lsynchronization",)))
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().splitlines() == [
        "woken with flag 1", "woken by all: 1", "timed wait woke: 0 (error 1460)",
        "clock moved: 1", "times: 1",
        r"system directory C:\Windows\System32, 19 chars"]


def test_a_windows_parent_sees_the_ntstatus_of_a_child_that_died(mingw, busybox, tmp_path):
    """GetExitCodeProcess: a PE child's unhandled exception or fault gives its NTSTATUS, a
    Linux child its exit status; CreateProcess finds programs without their .exe."""
    from conftest import make_root
    root = make_root(tmp_path, {"/bin/spawn.exe": mingw("spawn", 64),
                                "/bin/seh.exe": mingw("seh", 64), "/bin/busybox": busybox})

    def spawn(*command, status=0):
        res = tblc("run", "--root", root, "/bin/spawn.exe", *command)
        assert res.returncode == status, res.stderr.decode()
        return res.stdout.decode().splitlines()[-1]
    assert spawn("C:\\bin\\seh", "crash") == "exit code 0xc0000005"
    assert spawn("/bin/seh.exe", "unhandled") == "exit code 0xe0000099"
    assert spawn("/bin/seh.exe") == "exit code 0"
    assert spawn("/bin/busybox", "sh", "-c", '"exit 4"') == "exit code 0x4"
    assert spawn("nosuch", status=1) == "CreateProcess failed: 2"   # ERROR_FILE_NOT_FOUND


def test_virtual_unwind_says_where_each_register_was_saved(mingw):
    """RtlVirtualUnwind fills KNONVOLATILE_CONTEXT_POINTERS for the registers the frame
    restored (pushes and an XMM save), as NativeAOT's funclet calls rely on (vsce-sign's first
    exception ran its handler with RBP 0)."""
    res = tblc("run", mingw("unwind_pointers", 64))
    assert res.stdout.decode().splitlines() == ["rbx 1 rsi 1 rdi 1", "xmm6 1",
                                                "untouched r12 1 r15 1"], res.stderr


@pytest.mark.parametrize("bits", [64, 32])
def test_fastfail_ends_the_process_without_handlers(mingw, tmp_path, bits):
    """int 0x29: the process ends with STATUS_STACK_BUFFER_OVERRUN at once (a vectored
    handler never runs); a Linux parent sees SIGABRT, a Windows parent the status."""
    exe = mingw("fastfail", bits)
    res = tblc("run", exe)
    assert res.returncode == 128 + 6, res.stderr
    assert res.stdout == b"before\n"
    assert b"__fastfail(7): STATUS_STACK_BUFFER_OVERRUN" in res.stderr
    parent = tblc("run", exe, "parent")
    assert parent.returncode == 0, parent.stderr
    assert parent.stdout.endswith(b"child exit code 0xc0000409\n")
