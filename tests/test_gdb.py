"""gdb attaches to a machine: Debian's gdb, in batch mode, against `tblc run --gdb`."""
from __future__ import annotations

import pytest

from gdbdrive import run_gdb

DEBUG = ("-g", "-O0")


def test_break_next_print_finish_and_exit_status(toolchain):
    prog = toolchain.c("gdb_basic", cc="gcc", flags=DEBUG)
    s = run_gdb(prog, ["break main", "continue", "next", "print x", "step", "bt",
                       "finish", "continue"])
    out = s.gdb_out
    assert "Breakpoint 1, main (argc=1" in out, s
    assert "$1 = 40" in out, s
    assert "add (a=40, b=2) at" in out and "#1  " in out and "in main" in out, s
    assert "Value returned is $2 = 42" in out, s
    assert "exited with code 02" in out, s
    assert s.rc == 2 and "y=42" in s.out, s


def test_registers_and_memory_of_the_process(toolchain):
    prog = toolchain.c("gdb_basic", cc="gcc", flags=DEBUG)
    s = run_gdb(prog, ["break add", "continue", "print $rdi", "print/x $pc == add+8 || 1",
                       "set var b = 5", "info registers rip", "print $fs_base != 0",
                       "print $mxcsr", "finish"])
    out = s.gdb_out
    assert "$1 = 40" in out, s
    assert "rip" in out and "<add+" in out, s
    assert "$3 = 1" in out, s                     # glibc set the TLS base (arch_prctl)
    assert "[ IM DM ZM OM UM PM ]" in out, s       # the MXCSR Linux starts with
    assert "Value returned is $5 = 45" in out, s  # the written argument was used


def test_i386_program(toolchain):
    prog = toolchain.c("gdb_basic", cc="gcc", flags=(*DEBUG, "-m32"))
    s = run_gdb(prog, ["break add", "continue", "print a", "print $eip == (long)add + 0 || 1",
                       "finish", "continue"])
    assert "Breakpoint 1, add (a=40, b=2)" in s.gdb_out, s
    assert "Value returned is $3 = 42" in s.gdb_out, s
    assert "exited with code 02" in s.gdb_out and s.rc == 2, s


def test_gdb_wait_no_runs_until_gdb_connects_then_stops_it(toolchain):
    prog = toolchain.c("gdb_spin", cc="gcc", flags=DEBUG)
    s = run_gdb(prog, ["print spins > 0", "set var released = 1", "continue"],
                run_args=("--gdb-wait", "no"))
    assert "$1 = 1" in s.gdb_out, s        # it ran before gdb came
    assert "exited with code 07" in s.gdb_out and s.rc == 7, s


class RawGdb:
    """A hand-driven remote-protocol client, for what gdb's batch mode cannot send."""

    def __init__(self, prog):
        import re
        import socket
        import subprocess
        import sys
        from conftest import REPO

        self.server = subprocess.Popen([sys.executable, "-m", "sysvec.cli", "run", "--gdb",
                                        "127.0.0.1:0", str(prog)], stderr=subprocess.PIPE,
                                       cwd=REPO)
        line = self.server.stderr.readline().decode()
        host, port = re.search(r"on ([\d.]+):(\d+)", line).groups()
        self.sock = socket.create_connection((host, int(port)), timeout=60)
        self.data = b""

    def reply(self) -> bytes:
        import re
        while not re.search(rb"\$[^#]*#..", self.data):
            self.data += self.sock.recv(4096)
        found = re.search(rb"\$([^#]*)#..", self.data)
        self.data = self.data[found.end():]
        return found.group(1)

    def send(self, payload: bytes, checksum: int | None = None) -> None:
        sum_ = sum(payload) & 0xFF if checksum is None else checksum
        self.sock.sendall(b"$%s#%02x" % (payload, sum_))

    def packet(self, payload: bytes) -> bytes:
        self.send(payload)
        return self.reply()

    def close(self) -> int:
        self.sock.close()
        try:
            return self.server.wait(timeout=60)
        finally:
            if self.server.poll() is None:
                self.server.kill()


@pytest.mark.parametrize("program", ["gdb_spin", "gdb_sleep"])
def test_interrupt_stops_a_running_or_sleeping_machine(toolchain, program):
    """Ctrl-C in gdb is the 0x03 byte: the machine stops with SIGINT as the stop reason,
    whether its process computes or sleeps in the kernel."""
    gdb = RawGdb(toolchain.c(program, cc="gcc", flags=DEBUG))
    try:
        assert gdb.packet(b"?").startswith(b"T05thread:p")
        gdb.send(b"vCont;c")
        gdb.sock.sendall(b"\x03")
        assert gdb.reply().startswith(b"T02thread:p")   # SIGINT, gdb's number 2
        assert gdb.packet(b"vKill;64") == b"OK"
    finally:
        rc = gdb.close()
    assert rc == 137   # killed by SIGKILL, as a shell reports


def test_bad_packets_get_errors_and_the_session_goes_on(toolchain):
    gdb = RawGdb(toolchain.c("gdb_basic", cc="gcc", flags=DEBUG))
    try:
        gdb.send(b"g", checksum=0)                        # a bad checksum is nacked
        assert gdb.sock.recv(1) == b"-"
        for bad in (b"mzz,1", b"Z0,nothex,1", b"Z2,ff0,99", b"M10,2:zz", b"vCont;x",
                    b"qXfer:features:read:nope.xml:0,10", b"p999", b"Hgpzz.1"):
            assert gdb.packet(bad).startswith(b"E"), bad
        assert gdb.packet(b"m0,4").startswith(b"E")          # unmapped guest memory
        assert gdb.packet(b"vMustReplyEmpty") == b""
        regs = gdb.packet(b"g")
        assert len(regs) == 2 * 560                           # the x86-64 layout's bytes
        assert gdb.packet(b"vCont;c").startswith(b"W02;process:64")
    finally:
        rc = gdb.close()
    assert rc == 2


def test_catch_syscall_write_x86_64(toolchain):
    prog = toolchain.c("gdb_write", cc="gcc", flags=DEBUG)
    s = run_gdb(prog, ["catch syscall write", "continue", "print $rdi", "continue",
                       "print $rax", "continue"])
    out = s.gdb_out
    assert "Catchpoint 1 (call to syscall write)" in out and "$1 = 1" in out, s
    assert "Catchpoint 1 (returned from syscall write)" in out and "$2 = 3" in out, s
    assert "exited with code 03" in out and s.rc == 3 and s.out == "hi\n", s


def test_catch_syscall_write_through_int_0x80(toolchain):
    prog = toolchain.c("gdb_write", cc="gcc", flags=(*DEBUG, "-m32"))
    s = run_gdb(prog, ["catch syscall write", "continue", "x/i $pc", "continue", "print $eax",
                       "continue"])
    out = s.gdb_out
    assert "Catchpoint 1 (call to syscall write)" in out and "int    $0x80" in out, s
    assert "Catchpoint 1 (returned from syscall write)" in out and "$1 = 3" in out, s
    assert s.rc == 3 and s.out == "hi\n", s


def test_catch_syscall_by_number_lets_other_calls_run(toolchain):
    prog = toolchain.c("gdb_write", cc="gcc", flags=DEBUG)
    s = run_gdb(prog, ["catch syscall 231", "continue", "print $rdi", "continue"])
    assert "Catchpoint 1 (call to syscall exit_group)" in s.gdb_out, s
    assert "$1 = 3" in s.gdb_out and s.out == "hi\n" and s.rc == 3, s


def test_follow_fork_mode_child_stops_in_the_child(toolchain):
    prog = toolchain.c("gdb_fork", cc="gcc", flags=DEBUG)
    s = run_gdb(prog, ["set follow-fork-mode child", "break in_child", "continue", "print n",
                       "continue"])
    out = s.gdb_out
    assert "hit Breakpoint 1, in_child (n=20)" in out and "$1 = 20" in out, s
    assert "(process 101) exited with code 04" in out, s
    # the detached parent ran on and saw its child's status
    assert s.rc == 5 and "child status 4" in s.out, s


def test_detach_on_fork_off_keeps_both_processes(toolchain):
    prog = toolchain.c("gdb_fork", cc="gcc", flags=DEBUG)
    s = run_gdb(prog, ["set detach-on-fork off", "break shared_work", "continue",
                       "info inferiors", "inferior 2", "continue", "continue", "inferior 1",
                       "continue"])
    out = s.gdb_out
    assert "hit Breakpoint 1.1, shared_work (n=1)" in out, s
    assert "process 100" in out and "process 101" in out, s        # info inferiors
    assert "hit Breakpoint 1.2, shared_work (n=20)" in out, s
    assert "(process 101) exited with code 04" in out, s
    assert "(process 100) exited with code 05" in out and s.rc == 5, s


def test_breakpoint_set_in_the_parent_after_fork_does_not_stop_the_child(toolchain):
    """Parent and child share shared_work's page copy-on-write; the breakpoint is the
    parent's alone: the child neither stops nor dies of a stray trap."""
    prog = toolchain.c("gdb_fork", cc="gcc", flags=DEBUG)
    s = run_gdb(prog, ["catch fork", "continue", "break shared_work", "continue", "print n",
                       "continue"])
    out = s.gdb_out
    assert "Catchpoint 1 (forked process 101)" in out, s
    assert "Breakpoint 2, shared_work (n=1)" in out and "$1 = 1" in out, s
    assert "n=20" not in out, s
    assert s.rc == 5 and "child 41" in s.out and "child status 4" in s.out, s


def test_watchpoint_on_a_global_stops_after_each_store(toolchain):
    # bump() is one `addl $5, counter(%rip)`: the store must run once per stop
    prog = toolchain.c("gdb_watch", cc="gcc", flags=("-g",))
    s = run_gdb(prog, ["watch counter", "continue", "continue", "continue"])
    out = s.gdb_out
    assert "Hardware watchpoint 1: counter" in out, s
    assert "Old value = 0\nNew value = 5" in out, s
    assert "Old value = 5\nNew value = 10" in out, s
    assert "in bump () at" in out, s
    assert "exited with code 012" in out and s.rc == 10, s


def test_read_watchpoint(toolchain):
    prog = toolchain.c("gdb_watch", cc="gcc", flags=("-g",))
    s = run_gdb(prog, ["rwatch counter", "continue", "continue", "continue", "continue"])
    assert s.gdb_out.count("Hardware read watchpoint 1: counter\n\nValue = ") == 3, s
    assert "in main () at" in s.gdb_out and s.rc == 10, s


def test_mingw_pe_break_at_main_by_symbol_reads_arguments(toolchain):
    from conftest import mingw_debug

    prog = mingw_debug(toolchain, "gdb_pe", 64)
    s = run_gdb(prog, ["break main", "continue", "print argc", "print argv[1]", "break twice",
                       "continue", "print v", "continue"], args=("hello",))
    out = s.gdb_out
    assert "Breakpoint 1, main (argc=2, argv=" in out, s
    assert "$1 = 2" in out and '$2 = 0x' in out and '"hello"' in out, s
    assert "Breakpoint 2, twice (v=2)" in out and "$3 = 2" in out, s
    assert "exited with code 04" in out and s.rc == 4 and "first hello" in s.out, s


def _exec_root(tmp_path, toolchain, target_name, target):
    from conftest import make_root

    execer = toolchain.c("gdb_exec", cc="gcc", flags=DEBUG)
    return make_root(tmp_path, {"/execer": execer, target_name: target})


def test_catch_exec_and_break_in_the_new_program(toolchain, tmp_path):
    root = _exec_root(tmp_path, toolchain, "/bin/basic", toolchain.c("gdb_basic", cc="gcc",
                                                                       flags=DEBUG))
    s = run_gdb("/execer", ["catch exec", "continue", "break add", "continue", "bt",
                            "continue"], run_args=("--root", root), args=("/bin/basic",),
                exe=root / "execer")
    out = s.gdb_out
    assert "Catchpoint 1 (exec'd /bin/basic)" in out, s
    assert "Breakpoint 2, add (a=40, b=2)" in out and "in main (argc=1" in out, s
    assert "exited with code 02" in out and s.rc == 2, s


def test_a_linux_process_execs_a_windows_program_under_gdb(toolchain, tmp_path):
    from conftest import mingw_debug

    root = _exec_root(tmp_path, toolchain, "/pe.exe", mingw_debug(toolchain, "gdb_pe", 64))
    s = run_gdb("/execer", ["catch exec", "continue", "break twice", "continue", "bt",
                            "continue"], run_args=("--root", root), args=("/pe.exe", "hi"),
                exe=root / "execer")
    out = s.gdb_out
    assert "exec'd " in out and "pe.exe" in out, s
    assert "Breakpoint 2, twice (v=2) at" in out and "in main (argc=2" in out, s
    assert s.rc == 4 and "first hi" in s.out, s


def test_dynamic_pie_program_with_its_libraries(toolchain, tmp_path):
    """auxv relocates the PIE and finds ld.so; qXfer:libraries-svr4 lists what ld.so loaded."""
    import subprocess
    from pathlib import Path

    import pytest
    from conftest import PROGRAMS, make_root

    ld, libc = Path("/lib64/ld-linux-x86-64.so.2"), Path("/lib/x86_64-linux-gnu/libc.so.6")
    if not ld.exists() or not libc.exists():
        pytest.skip("the host has no x86-64 glibc to copy into the root")
    prog = tmp_path / "basic_dyn"
    subprocess.run(["gcc", "-g", "-O0", "-pie", "-fPIE", "-o", str(prog),
                    str(PROGRAMS / "gdb_basic.c")], check=True)
    root = make_root(tmp_path, {"/basic_dyn": prog, str(ld): ld, str(libc): libc})
    s = run_gdb("/basic_dyn", ["break add", "continue", "bt", "info sharedlibrary",
                               "continue"],
                run_args=("--root", root), exe=root / "basic_dyn",
                gdb_args=("-ex", "set debug remote 1"))
    out = s.gdb_out
    assert "Breakpoint 1, add (a=40, b=2)" in out and "in main (argc=1" in out, s
    # gdb read the guest's libc from the root through vFile (its default sysroot, target:)
    assert "target:/lib/x86_64-linux-gnu/libc.so.6" in out, s
    assert '<library name="/lib/x86_64-linux-gnu/libc.so.6" lm="0x' in s.gdb_err, s
    assert "while parsing target library list" not in s.gdb_err, s
    assert "exited with code 02" in out and s.rc == 2, s


def test_vfork_done_gives_the_parent_its_breakpoints_back(toolchain):
    prog = toolchain.c("gdb_vfork", cc="gcc", flags=DEBUG)
    s = run_gdb(prog, ["break after_vfork", "continue", "print s", "continue"])
    out = s.gdb_out
    assert "Detaching after vfork from child process 101" in out, s
    assert "Breakpoint 1, after_vfork (s=3)" in out and "$1 = 3" in out, s
    assert "exited with code 04" in out and s.rc == 4, s


def test_a_fault_is_reported_to_gdb_and_passed_on(toolchain):
    prog = toolchain.c("crash", cc="gcc", flags=DEBUG)
    s = run_gdb(prog, ["continue", "bt", "print p", "continue"])
    out = s.gdb_out
    assert "Program received signal SIGSEGV" in out and "crash_here (p=0x0) at" in out, s
    assert "in main () at" in out and "$1 = (int *) 0x0" in out, s
    assert "Program terminated with signal SIGSEGV" in out, s
    assert s.rc == 139 and "in crash_here (crash.c:7)" in s.err, s


def test_threads_are_listed_with_names_and_run_on(toolchain):
    prog = toolchain.c("threads", cc="gcc", flags=(*DEBUG, "-pthread"))
    s = run_gdb(prog, ["break work", "continue", "info threads", "delete", "continue"])
    out = s.gdb_out
    assert 'hit Breakpoint 1, work (arg=' in out, s
    assert 'Thread 100.100 "threads-' in out or 'Thread 100.100 "' in out, s
    assert "* 2    Thread 100.101" in out, s
    assert "exited normally" in out and s.rc == 0 and "counter=40000" in s.out, s


def test_machine_api_serves_gdb_and_refuses_other_addresses(toolchain, tmp_path):
    import pytest
    from sysvec.runtime import Machine
    from sysvec.runtime.errors import SysvecError

    for bad in ("0.0.0.0:1234", "192.0.2.1:1", "localhost", "127.0.0.1:99999", "::1:x"):
        with pytest.raises(SysvecError, match="--gdb"):
            Machine(root=tmp_path, gdb=bad)
    m = Machine(root=tmp_path, gdb="127.0.0.1:0", gdb_wait=False)
    assert m.gdb.address.startswith("127.0.0.1:")
    import shutil
    shutil.copy(toolchain.c("gdb_basic", cc="gcc", flags=DEBUG), tmp_path / "basic")
    p = m.spawn("/basic")
    assert m.run() is True and p.returncode == 2   # nobody connected: it ran by itself
    m.close()


def test_detach_lets_the_program_finish(toolchain):
    prog = toolchain.c("gdb_basic", cc="gcc", flags=DEBUG)
    s = run_gdb(prog, ["break add", "continue", "detach"])
    assert "Breakpoint 1, add (a=40" in s.gdb_out and "detached" in s.gdb_out, s
    assert s.rc == 2 and s.out == "y=42\n", s


def test_signals_are_reported_in_gdb_numbers(toolchain):
    prog = toolchain.c("gdb_raise", cc="gcc", flags=DEBUG)
    s = run_gdb(prog, ["continue", "continue"])
    assert "Program received signal SIGUSR1, User defined signal 1." in s.gdb_out, s
    assert "Program terminated with signal SIGUSR1" in s.gdb_out, s
    assert s.rc == 128 + 10, s


def test_gdb_can_keep_a_signal_from_the_process(toolchain):
    prog = toolchain.c("gdb_raise", cc="gcc", flags=DEBUG)
    s = run_gdb(prog, ["handle SIGUSR1 nopass", "continue", "continue"])
    assert "Program received signal SIGUSR1" in s.gdb_out, s
    assert "exited normally" in s.gdb_out and s.rc == 0, s


def test_gdb_numbers_map_to_linux_numbers():
    from sysvec.runtime.gdbstub.signals import from_gdb, to_gdb

    assert [to_gdb(n) for n in (7, 10, 11, 12, 17, 19, 31, 34)] == [10, 30, 11, 31, 20, 17, 12, 46]
    assert all(from_gdb(to_gdb(n)) == n for n in range(1, 65) if n != 16 and to_gdb(n))


def test_catch_syscall_on_a_windows_table_by_number(toolchain):
    """NT tables have no gdb names: calls stop by number (kernel32's shadow numbers too)."""
    import re

    from conftest import mingw_debug

    s = run_gdb(mingw_debug(toolchain, "gdb_pe", 64), ["catch syscall", "continue", "continue",
                                                       "delete", "continue"], args=("x",))
    entry = re.search(r"Catchpoint 1 \(call to syscall (\d+)\)", s.gdb_out)
    assert entry, s
    assert f"Catchpoint 1 (returned from syscall {entry.group(1)})" in s.gdb_out, s
    assert s.rc == 4 and "first x" in s.out, s


def test_gdb_finds_the_program_from_the_server(toolchain):
    prog = toolchain.c("gdb_basic", cc="gcc", flags=DEBUG)
    s = run_gdb(prog, ["break add", "continue", "continue"], exe=False)
    assert "Breakpoint 1, add (a=40, b=2) at" in s.gdb_out, s
    assert "exited with code 02" in s.gdb_out and s.rc == 2, s


def test_gdb_file_access_is_read_only_and_inside_the_root(toolchain):
    gdb = RawGdb(toolchain.c("gdb_basic", cc="gcc", flags=DEBUG))
    try:
        def open_(path: str, flags: int = 0) -> bytes:
            return gdb.packet(b"vFile:open:%s,%x,0" % (path.encode().hex().encode(), flags))

        assert open_("/../../../etc/passwd") == b"F-1,2"      # ENOENT: the root has none
        assert open_("/gdb_basic-x", 1) == b"F-1,1e"           # EROFS: gdb only reads
        fd = open_("/" + toolchain.c("gdb_basic", cc="gcc", flags=DEBUG).name)   # the program
        assert fd.startswith(b"F") and not fd.startswith(b"F-"), fd
        data = gdb.packet(b"vFile:pread:%s,4,0" % fd[1:])
        assert data == b"F4;\x7fELF"
        assert gdb.packet(b"vFile:close:%s" % fd[1:]) == b"F0"
        assert gdb.packet(b"vFile:pread:%s,4,0" % fd[1:]) == b"F-1,9"   # EBADF
        assert gdb.packet(b"vKill;64") == b"OK"
    finally:
        gdb.close()


def test_next_over_fork(toolchain):
    prog = toolchain.c("gdb_fork", cc="gcc", flags=DEBUG)
    s = run_gdb(prog, ["break main", "continue", "next", "next", "next", "continue"])
    out = s.gdb_out
    assert "Detaching after fork from child process 101" in out, s
    assert "19\t    if (pid == 0) {" in out and "23\t    int status = 0;" in out, s
    assert "exited with code 05" in out and s.rc == 5 and "child status 4" in s.out, s


def test_mingw_pe32_program(toolchain):
    from conftest import mingw_debug

    s = run_gdb(mingw_debug(toolchain, "gdb_pe", 32), ["break twice", "continue", "bt",
                                                       "continue"], args=("hey",))
    assert "Breakpoint 1, twice (v=2) at" in s.gdb_out and "in main (argc=2" in s.gdb_out, s
    assert s.rc == 4 and "first hey" in s.out, s
