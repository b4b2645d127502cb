"""Processes: fork, exec, wait, pipes, files and signals of real musl and glibc programs, busybox,
and processes of different platforms interleaved on one core."""
from __future__ import annotations

import subprocess

import pytest

from sysvec.runtime.binfmt.flat import make_mysys

from conftest import PROGRAMS, make_root, missing, tblc


@pytest.mark.parametrize("cc", ["musl-gcc", "gcc"])
def test_fork_pipe_wait(toolchain, cc):
    res = tblc("run", toolchain.c("forkpipe", cc=cc))
    assert res.returncode == 0, res.stderr
    assert res.stdout == b"parent read 'ping from child', child reaped, exit 4\n"


@pytest.mark.parametrize("schedule", [[], ["--quantum", "5000"]], ids=["default", "quantum-5000"])
def test_a_spinning_child_does_not_starve_its_parent(toolchain, schedule):
    """Preemption: timed slices (the default), or the block-count quantum of --quantum."""
    res = tblc("run", "--timeout", "60", *schedule, toolchain.c("spinners"))
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == ["parent finished its spin",
                                                "child ended by signal 9"]


@pytest.mark.parametrize("cc", ["musl-gcc", "gcc"])
def test_user_time_of_self_and_children(toolchain, cc):
    res = tblc("run", toolchain.c("rusage", cc=cc))
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "child ran: 1", "self ran: 1", "children = child: 1", "times: 1 1", "bad who: -1"]


def test_files_inside_the_root(toolchain, tmp_path):
    root = make_root(tmp_path, {"/bin/files": toolchain.c("files")})
    res = tblc("run", "--root", root, "/bin/files")
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "read back: written by the guest", "size 21", "entry renamed.txt", "escape: blocked",
        "cwd /work", "after unlink: gone"]
    assert (root / "work").is_dir() and not (root / "work" / "renamed.txt").exists()


@pytest.mark.parametrize("cc", ["musl-gcc", "gcc"])
def test_signals(toolchain, cc):
    res = tblc("run", toolchain.c("signals", cc=cc))
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "caught SIGUSR1: 10", "caught SIGCHLD: 17", "write to closed pipe: -1 EPIPE"]


@pytest.mark.parametrize("cc,flags", [("musl-gcc", ()), ("gcc", ("-m32",))])
def test_a_store_right_after_fork_stays_in_the_parent(toolchain, cc, flags):
    """fork makes the parent's writable pages copy-on-write, and so must the translations the
    engine already holds for them: the parent's store in the same slice is not the child's."""
    res = tblc("run", toolchain.c("fork_tlb", cc=cc, flags=flags))
    assert res.returncode == 0, res.stderr
    assert res.stdout == b"parent 2 child 1\n"


def test_isolation_after_fork_and_crashing_child(toolchain):
    res = tblc("run", toolchain.c("isolation"))
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "parent sees 1, child exited 2", "crashing child: signaled=1 sig=11"]


def test_exec_switches_table_to_mysys(toolchain, tmp_path):
    root = make_root(tmp_path, {"/bin/spawn": toolchain.c("spawn"),
                                "/bin/hello.mysys": make_mysys(toolchain.flat("mysys_hello"))})
    res = tblc("run", "--trace", "--root", root, "/bin/spawn", "/bin/hello.mysys")
    assert res.returncode == 0, res.stderr
    out = res.stdout.decode()
    assert out.count("mysys hello\n") == 3
    assert "parent round 2" in out and "child done: exit 5 signal 0" in out
    err = res.stderr.decode()
    assert "exec /bin/hello.mysys: linux_x86_64 -> mysys" in err
    assert 'write(1, "mysys hello\\n", 12) = 12' in err


def test_x86_64_parent_runs_i386_child(toolchain, tmp_path):
    root = make_root(tmp_path, {"/bin/spawn": toolchain.c("spawn"),
                                "/bin/hello32": toolchain.c("hello", cc="gcc", flags=("-m32",))})
    res = tblc("run", "--trace", "--root", root, "/bin/spawn", "/bin/hello32", "i386", "6")
    assert res.returncode == 0, res.stderr
    assert b"hello from i386: argc=3" in res.stdout
    assert b"child done: exit 6" in res.stdout
    assert b"linux_x86_64 -> linux_i386" in res.stderr


def test_script_runs_its_interpreter(toolchain, tmp_path, busybox):
    root = make_root(tmp_path, {"/bin/busybox": busybox,
                                "/bin/script": b"#!/bin/busybox sh\necho script says $1\n"})
    res = tblc("run", "--root", root, "/bin/script", "hi")
    assert res.returncode == 0, res.stderr
    assert res.stdout == b"script says hi\n"


BUSYBOX_CASES = [
    ["echo", "hello", "world"],
    ["seq", "1", "5"],
    ["sh", "-c", "echo a | tr a b"],
    ["sh", "-c", "for i in 1 2 3; do echo $i; done"],
    ["wc", "-l", "etc/lines.txt"],
    ["sort", "etc/lines.txt"],
    ["cat", "etc/lines.txt"],
    ["ls", "etc"],
    ["sh", "-c", "x=$(echo inner); echo outer $x; exit 3"],
    ["sh", "-c", "seq 1 200 | sort -r | head -n 3"],
]


@pytest.mark.parametrize("argv", BUSYBOX_CASES, ids=lambda a: " ".join(a))
def test_busybox_matches_the_host(busybox, tmp_path, argv):
    root = make_root(tmp_path, {"/bin/busybox": busybox,
                                "/etc/lines.txt": b"pear\napple\nfig\n"})
    res = tblc("run", "--root", root, "/bin/busybox", *argv)
    # Relative paths, so the host run in the root directory sees the same names.
    host = subprocess.run([str(busybox), *argv], capture_output=True, cwd=root)
    assert res.stdout == host.stdout, res.stderr.decode()[-2000:]
    assert res.returncode == host.returncode


def test_process_limit_makes_fork_fail(toolchain, tmp_path, busybox):
    root = make_root(tmp_path, {"/bin/busybox": busybox})
    res = tblc("run", "--max-procs", "3", "--root", root, "/bin/busybox", "sh", "-c",
               "for i in 1 2 3 4 5 6; do sleep 1 & done; echo done")
    # The shell's fork gets EAGAIN beyond the limit, and busybox sh gives up as on Linux.
    assert b"can't fork: Resource temporarily unavailable" in res.stderr
    assert res.returncode == 2 and b"Traceback" not in res.stderr


def test_dynamic_glibc_program_with_its_interpreter_in_the_root(toolchain, tmp_path):
    """PT_INTERP: the kernel maps ld.so from the root, which maps libc with mmap."""
    from pathlib import Path

    ld, libc = Path("/lib64/ld-linux-x86-64.so.2"), Path("/lib/x86_64-linux-gnu/libc.so.6")
    if not ld.exists() or not libc.exists():
        missing("the host has no x86-64 glibc to copy into the root (libc6, with gcc)")
    prog = tmp_path / "hello_dyn"
    subprocess.run(["gcc", "-O1", "-o", str(prog), str(PROGRAMS / "hello.c")], check=True)
    root = make_root(tmp_path, {"/hello_dyn": prog, str(ld): ld, str(libc): libc})
    res = tblc("run", "--root", root, "/hello_dyn", "dynamic", "4")
    assert res.returncode == 4, res.stderr
    assert res.stdout == b"hello from dynamic: argc=3 heap -42 beef z\n"


@pytest.mark.parametrize("cc", ["musl-gcc", "gcc"])
def test_alarm_interrupts_a_read_and_kills_a_spinner(toolchain, cc):
    res = tblc("run", toolchain.c("alarm", cc=cc))
    assert res.stdout == b"read=-1 EINTR rang=14\n"
    assert res.returncode == 128 + 14


def test_proc_and_system_information_tools(busybox, tmp_path):
    root = make_root(tmp_path, {"/bin/busybox": busybox})
    res = tblc("run", "--root", root, "/bin/busybox", "sh", "-c",
               "sleep 1 & ps; free | head -2 | tail -1; df / | tail -1; "
               "cat /proc/$$/comm; cat /proc/meminfo | head -1; kill %1")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.decode().splitlines()
    assert lines[0].split()[:2] == ["PID", "USER"]
    assert any("sleep 1" in l or "busybox" in l for l in lines[1:4])
    assert any(l.startswith("Mem:") and l.split()[1] == "1048576" for l in lines)
    assert any(l.startswith("/dev/root") and l.endswith("/") for l in lines)
    assert "busybox" in lines and "MemTotal:        1048576 kB" in lines   # Linux's widths: 16, 8


def test_walking_all_of_proc_reads_every_node(busybox, tmp_path):
    """init's mountinfo (the machine's view of pid 1) and a thread's fd links under
    /proc/PID/task/TID: reading them ended the reader with an internal error."""
    root = make_root(tmp_path, {"/bin/busybox": busybox})
    res = tblc("run", "--root", root, "/bin/busybox", "sh", "-c",
               "cat /proc/1/mountinfo; ls -l /proc/$$/task/$$/fd/ | grep -c -- '->'; "
               "find /proc -name mountinfo | grep -c mountinfo >/dev/null && echo walked")
    assert res.returncode == 0, res
    lines = res.stdout.decode().splitlines()
    assert lines[0].startswith("1 0 ") and lines[0].endswith(" / / rw,relatime - ext4 /dev/root rw")
    assert lines[1].endswith(" / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw"), lines
    count = next(l for l in lines[1:] if l.isdigit())     # after the pseudo file systems
    assert int(count) >= 3 and lines[-1] == "walked", lines


@pytest.mark.parametrize("name,expected", [
    ("forkpipe", ["parent read 'ping from child', child reaped, exit 4"]),
    ("signals", ["caught SIGUSR1: 10", "caught SIGCHLD: 17", "write to closed pipe: -1 EPIPE"]),
    ("isolation", ["parent sees 1, child exited 2", "crashing child: signaled=1 sig=11"]),
])
def test_i386_processes_fork_signal_and_stay_isolated(toolchain, name, expected):
    res = tblc("run", toolchain.c(name, cc="gcc", flags=("-m32",)))
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == expected


@pytest.mark.parametrize("cc,flags", [("musl-gcc", ()), ("gcc", ()), ("gcc", ("-m32",))],
                         ids=["musl", "glibc", "glibc-i386"])
def test_pthreads_share_memory_lock_wait_and_join(toolchain, cc, flags):
    exe = toolchain.c("threads", cc=cc, flags=flags + ("-pthread",))
    res = tblc("run", exe)
    assert res.returncode == 0, res.stderr
    assert res.stdout == b"counter=40000 joined=28 same_pid=1 distinct_tid=1\n"


@pytest.mark.parametrize("cc,flags", [("musl-gcc", ()), ("gcc", ()), ("gcc", ("-m32",))],
                         ids=["musl", "glibc", "glibc-i386"])
def test_select_times_out_polls_and_blocks(toolchain, cc, flags):
    res = tblc("run", toolchain.c("selects", cc=cc, flags=flags))
    assert res.returncode == 0, res.stderr
    assert res.stdout == b"timeout=0 empty=0 later=1 isset=1\n"


def test_read_modify_write_loop_matches_the_host(toolchain):
    """A memory-bound += loop over 1 MB, preempted many times, computes what the host does
    (a timer thread's asynchronous stop once re-ran such instructions)."""
    exe = toolchain.c("rmwloop", cc="gcc")
    host = subprocess.run([str(exe)], capture_output=True, check=True).stdout
    res = tblc("run", exe)
    assert res.returncode == 0, res.stderr
    assert res.stdout == host


@pytest.mark.parametrize("cc,flags", [("gcc", ()), ("gcc", ("-m32",))], ids=["x86-64", "i386"])
def test_read_modify_write_loops_sharing_the_core_match_the_host(toolchain, busybox, tmp_path,
                                                                 cc, flags):
    """Two += loops at once: each slice is ~1 ms and ended by the slice timer's thread
    (no block hook), hundreds of stops at moments the guest does not choose. A stop may land
    only where a block starts, never between an instruction's load and its store."""
    exe = toolchain.c("rmwloop", cc=cc, flags=flags)
    host = subprocess.run([str(exe)], capture_output=True, check=True).stdout
    root = make_root(tmp_path, {"/bin/busybox": busybox, "/rmw": exe})
    res = tblc("run", "--root", root, "/bin/busybox", "sh", "-c",
               "/rmw > /a & /rmw > /b; wait; /bin/busybox cat /a /b", timeout=600)
    assert res.returncode == 0, res.stderr
    assert res.stdout == host * 2


def test_the_engine_runs_without_an_exit_check_after_every_access(tmp_path):
    """csrc/exit_checks.c finds Unicorn's flag in the library installed here: if an upgrade
    changes the code it reads, this says so (the guests still run, ~1.4x slower, and timed
    slices fall back to counting blocks)."""
    from sysvec.runtime.machine import Machine

    m = Machine(root=tmp_path)
    engine = m.kernel.engine(64)
    assert engine.lib.sv_engine_exit_checks(engine.handle, 0) == 0
    assert not engine.cpu.block_hooked and engine.cpu.block_ns > 0
    m.close()


@pytest.mark.parametrize("cc", ["musl-gcc", "gcc"])
def test_posix_details_match_the_host(toolchain, tmp_path, cc):
    exe = toolchain.c("posixbits", cc=cc)
    host_dir = tmp_path / "host"
    host_dir.mkdir()
    host = subprocess.run([str(exe)], capture_output=True, check=True, cwd=host_dir).stdout
    (tmp_path / "guest").mkdir()
    root = make_root(tmp_path / "guest", {"/bin/posixbits": exe})
    res = tblc("run", "--root", root, "/bin/posixbits")
    assert res.returncode == 0, res.stderr
    assert res.stdout == host
    assert b"write returned 300000\nchild read 300000\n" in res.stdout


def test_script_runs_with_its_interpreter_as_proc_self_exe(busybox, tmp_path):
    """busybox applets re-exec /proc/self/exe: in a #! script that must be the interpreter."""
    root = make_root(tmp_path, {"/bin/busybox": busybox,
                                "/s.sh": b"#!/bin/busybox sh\nreadlink /proc/self/exe\n"
                                         b"echo a b | /bin/busybox xargs echo via-xargs\n"})
    (root / "s.sh").chmod(0o755)
    res = tblc("run", "--root", root, "/s.sh", timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout == b"/bin/busybox\nvia-xargs a b\n"


def test_cat_into_a_pipe_copies_everything(busybox, tmp_path):
    """cat uses sendfile: a pipe takes 64 KiB at a time and nothing may be lost."""
    data = bytes(range(256)) * 8192   # 2 MiB
    root = make_root(tmp_path, {"/bin/busybox": busybox, "/big.bin": data})
    res = tblc("run", "--root", root, "/bin/busybox", "sh", "-c",
               "cat /big.bin | /bin/busybox wc -c; /bin/busybox tail -c 300000 /big.bin | "
               "/bin/busybox md5sum", timeout=120)
    assert res.returncode == 0, res.stderr
    import hashlib
    lines = res.stdout.decode().split()
    assert lines[0] == str(len(data))
    assert lines[1] == hashlib.md5(data[-300000:]).hexdigest()


def test_busybox_fallocate_root_listing_and_crash_status(busybox, tmp_path):
    root = make_root(tmp_path, {"/bin/busybox": busybox})
    (root / "tmp").mkdir()
    script = ("cd /tmp; /bin/busybox fallocate -l 4096 fa.bin; /bin/busybox stat -c %s fa.bin; "
              "/bin/busybox ls -d /dev /proc; "
              "/bin/busybox sleep 5 & /bin/busybox kill -SEGV $!; wait $!; echo status=$?")
    res = tblc("run", "--root", root, "/bin/busybox", "sh", "-c", script, timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().split() == ["4096", "/dev", "/proc", "status=139"]
    assert b"core dumped" not in res.stderr


def test_named_pipes_between_busybox_processes(busybox, tmp_path):
    """mkfifo/mknod p: opening waits for the other end, whichever comes first."""
    root = make_root(tmp_path, {"/bin/busybox": busybox})
    (root / "tmp").mkdir()
    script = ("cd /tmp; /bin/busybox mkfifo f1; (echo reader-waits > f1 &); /bin/busybox cat f1; "
              "/bin/busybox mknod f2 p; (/bin/busybox sleep 0.2; /bin/busybox cat f2) & "
              "echo writer-waits > f2; wait; /bin/busybox ls -l f1 | /bin/busybox cut -c1")
    res = tblc("run", "--root", root, "/bin/busybox", "sh", "-c", script, timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout == b"reader-waits\nwriter-waits\np\n"
    assert not (root / "tmp" / "f1").is_file()   # a FIFO on the host side too, never opened


def test_proc_cpuinfo_version_stat_and_environ(busybox, tmp_path):
    root = make_root(tmp_path, {"/bin/busybox": busybox})
    script = ("/bin/busybox grep -c ^processor /proc/cpuinfo; /bin/busybox cat /proc/version; "
              "/bin/busybox head -c 4 /proc/stat; echo; "
              "/bin/busybox tr '\\0' '\\n' < /proc/self/environ | /bin/busybox grep ^FOO=")
    res = tblc("run", "--env", "FOO=bar", "--root", root, "/bin/busybox", "sh", "-c", script)
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "1", "Linux version 6.1.0-sysvec (sysvec) #1 SMP sysvec", "cpu ", "FOO=bar"]


@pytest.mark.parametrize("cc", ["musl-gcc", "gcc"])
def test_job_control_stop_continue_and_wait_reports(toolchain, cc):
    res = tblc("run", toolchain.c("jobctl", cc=cc), timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "stopped: 1 by 19", "continued: 1", "child continued", "exited: 7",
        "second stopped: 1 by 20", "second killed: 9"]


@pytest.mark.parametrize("cc", ["musl-gcc", "gcc"])
def test_stack_overflow_caught_on_the_alternate_signal_stack(toolchain, cc):
    res = tblc("run", toolchain.c("altstack", cc=cc, flags=("-O0",)), timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "set: 0", "before: disabled 1", "caught signal 11 on the alternate stack: 1"]


@pytest.mark.parametrize("cc", ["musl-gcc", "gcc"])
def test_waitid_peeks_reaps_and_reports_signals(toolchain, cc):
    res = tblc("run", toolchain.c("waitid", cc=cc), timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "peek 0: pid ok 1 code 1 status 5", "reap 0: pid ok 1 code 1 status 5",
        "killed 0: code 2 status 15", "none left: 1"]


@pytest.mark.parametrize("cc", ["musl-gcc", "gcc"])
def test_sigwait_and_sigtimedwait(toolchain, cc):
    res = tblc("run", toolchain.c("sigwait", cc=cc), timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "sigwait 0 -> 10", "sigtimedwait -1 EAGAIN", "pending taken: 10"]


@pytest.mark.parametrize("cc,flags", [("gcc", ()), ("gcc", ("-m32",)), ("musl-gcc", ())],
                         ids=["glibc-x86_64", "glibc-i386", "musl-x86_64"])
def test_a_blocked_signal_stays_pending_whatever_its_action(toolchain, cc, flags):
    """A blocked SIGCHLD (ignored by default) reaches sigtimedwait and signalfd, a blocked
    SIGWINCH stays pending, a blocked SIGTSTP stops the process only when it is unblocked,
    and SIGCONT discards a pending stop signal: the same output as the host's. (Discarded or
    acted on when sent, script(1) waited forever for its child's SIGCHLD.)"""
    exe = toolchain.c("blocked_signals", cc=cc, flags=flags)
    host = subprocess.run([str(exe)], capture_output=True, timeout=60)
    assert host.returncode == 0 and b"child stopped: 1 by 20" in host.stdout, host
    res = tblc("run", exe, timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout == host.stdout


@pytest.mark.parametrize("cc,flags", [("gcc", ()), ("gcc", ("-m32",)), ("musl-gcc", ())],
                         ids=["glibc-x86_64", "glibc-i386", "musl-x86_64"])
def test_children_are_the_process_s_not_the_forking_thread_s(toolchain, cc, flags):
    """wait4 in one thread takes a child another thread forked, a child outlives the thread
    that forked it, and getppid is the process's id (Python's asyncio waits for its
    subprocesses in a thread: it got ECHILD and reported exit status 255)."""
    exe = toolchain.c("thread_wait", cc=cc, flags=flags)
    host = subprocess.run([str(exe)], capture_output=True, timeout=60)
    assert host.returncode == 0, host
    res = tblc("run", exe, timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout == host.stdout == (b"thread waited: 1 exit 6\nmain waited: 1 exit 7\n"
                                         b"after its thread ended: 1 exit 8\nno more: -1\n")


def test_a_deadlock_is_reported_with_what_each_process_waits_in(toolchain):
    """When nothing can wake any process, each is killed and stderr says where they wait
    (a silent exit 137 left users guessing)."""
    res = tblc("run", toolchain.c("deadlock"), timeout=60)
    assert res.returncode == 137
    err = res.stderr.decode()
    assert "deadlock" in err and err.count(") in read") == 2, err


@pytest.mark.parametrize("cc", ["gcc", "musl-gcc"])
def test_a_thread_woken_on_a_futex_runs_before_its_waker_goes_on(toolchain, cc):
    """Wakeup preemption: the woken writer prints the line handed to it before the waker's
    _exit ends the process (taplo's last log line was lost: its writer never ran)."""
    exe = toolchain.c("wake_handoff", cc=cc)
    for _ in range(3):
        res = tblc("run", exe, timeout=60)
        assert res.returncode == 0, res.stderr
        assert res.stdout == b"last line\n"


def test_a_given_quantum_schedules_the_same_way_every_run(toolchain, tmp_path):
    """Preemption points are counted in blocks and slices are chosen from process states
    (long slices only for a process running alone), so --quantum N repeats its interleaving."""
    root = make_root(tmp_path, {"/order": toolchain.c("quantum_order")})
    runs = [tblc("run", "--quantum", "2000", "--root", root, "/order") for _ in range(3)]
    for res in runs:
        assert res.returncode == 0, res.stderr
    out = runs[0].stdout.strip()
    assert sorted(out) == sorted(b"A" * 40 + b"B" * 40)
    assert out.count(b"AB") + out.count(b"BA") >= 3   # the two children did take turns
    assert all(res.stdout == runs[0].stdout for res in runs)


def test_the_first_process_is_init_s_child_in_proc_as_getppid_says(busybox, tmp_path):
    """/proc said PPid 0 for the machine's first process while getppid() said 1: pstree
    drew an empty tree."""
    root = make_root(tmp_path, {"/bin/busybox": busybox})
    res = tblc("run", "--root", root, "/bin/busybox", "sh", "-c",
               "echo $PPID; /bin/busybox awk '/^PPid/ {print $2}' /proc/$$/status; "
               "/bin/busybox cut -d' ' -f4 /proc/$$/stat; /bin/busybox cut -d' ' -f4 /proc/1/stat")
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().split() == ["1", "1", "1", "0"]


@pytest.mark.parametrize("cc,flags", [("gcc", ()), ("gcc", ("-m32",)), ("musl-gcc", ())],
                         ids=["glibc-x86_64", "glibc-i386", "musl-x86_64"])
def test_clone_shares_what_its_flags_say_between_processes(toolchain, cc, flags):
    """CLONE_FILES and CLONE_SIGHAND without CLONE_THREAD share the table and the actions
    (exec unshares both), CLONE_PARENT makes a sibling, the exit signal is the CSIGNAL byte
    (none, or one no wait sees without __WCLONE or __WALL): as the host does."""
    exe = toolchain.c("clone_flags", cc=cc, flags=flags)
    host = subprocess.run([str(exe)], capture_output=True, check=True).stdout
    res = tblc("run", exe)
    assert res.returncode == 0, res.stderr
    assert res.stdout == host
    assert b"files shared: yes" in host and b"handler kept, descriptor kept" in host
