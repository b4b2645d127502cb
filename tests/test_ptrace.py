"""ptrace's tracing half (runtime/linux/ptrace.py), what strace and gdb need: PTRACE_TRACEME,
PTRACE_SEIZE/INTERRUPT, PTRACE_SETOPTIONS with fork and exit events, PTRACE_SYSCALL's entry
and exit stops (calls answered in C stop too: csrc/trap.c hands the Python kernel each stop),
PTRACE_GET_SYSCALL_INFO, writing orig_ax and ax to skip or change a call, PTRACE_SINGLESTEP.
The C program prints what the host prints; Debian's strace and gdb run inside the guest."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import make_root, missing, tblc

CCS = ["gcc", "musl-gcc", "gcc -m32"]
TOOLS = ("strace", "gdb", "sh", "true", "ls", "wc", "sleep")


def _expected(cc: str) -> list[str]:
    """What tests/programs/ptrace_syscalls.c prints on Linux 6.18 (x86-64 and i386 alike,
    but for where i386's entry stop says the call is: __kernel_vsyscall's int 0x80 or
    sysenter has regs->ip where GET_SYSCALL_INFO's instruction_pointer is not)."""
    ip = "0" if cc == "gcc -m32" else "1"
    return [
        "first stop: stopped 0x13",
        "signal stop info: size 24 op 0",
        f"getppid entry: stopped 0x85 size 80 op 1 nr ok 1 orig_ax ok 1 ax -38 ip matches {ip}",
        "getppid exit: stopped 0x85 size 33 op 2 rval ok 1 is_error 0 orig_ax ok 1",
        "skipped call's exit: stopped 0x85 op 2 rval 42",
        "changed call's exit: stopped 0x85 rval is the pid 1",
        "child: skipped call gave 42, changed call gave its pid: 1",
        "single steps: several 1, each moved on 1, then event 6 sig 5",
        "exit event message: 0x700",
        "end: exited 7",
        "seize: 0",
        "interrupt: 0",
        "after interrupt: event 128 sig 5",
        "fork: event 1 sig 5",
        "new child: event 128 sig 5",
        "new child: exited 7",
        "stop: stopped 0x11",
        "end: exited 8",
    ]


@pytest.mark.parametrize("cc", CCS)
def test_ptrace_syscall_stops_skip_change_step_seize_and_fork_events(toolchain, tmp_path, cc):
    """TRACEME's stop, TRACESYSGOOD syscall stops with GET_SYSCALL_INFO and orig_ax, a call
    skipped (orig_ax -1 by POKEUSER, ax 42 by SETREGS) and one made another, SINGLESTEP
    with TRAP_TRACE, PTRACE_EVENT_EXIT and its message, SEIZE/INTERRUPT of a blocked
    tracee, TRACEFORK's auto-attached child: all were ENOSYS."""
    cc_name, *flags = cc.split()
    root = make_root(tmp_path, {"/prog": toolchain.c("ptrace_syscalls", cc_name, tuple(flags))})
    res = tblc("run", "--root", root, "/prog")
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.decode().splitlines() == _expected(cc), res.stderr.decode()


@pytest.fixture(scope="module")
def host_root(tmp_path_factory) -> Path:
    """A root of the host's own strace, gdb and the programs they run, with their shared
    libraries (ldd's, and the libthread_db gdb loads), gdb's Python, and Debian's
    merged-/usr layout, as tests/test_debian_programs.py makes one."""
    root = tmp_path_factory.mktemp("ptrace-root")
    for part in ("bin", "lib", "lib64"):
        (root / "usr" / part).mkdir(parents=True)
        (root / part).symlink_to(f"usr/{part}")
    (root / "etc").mkdir()
    (root / "tmp").mkdir()
    # ld.so.cache too: without it ld.so searches hwcap directories, which differ between
    # the host's CPU and the emulated one
    for name in ("passwd", "group", "ld.so.cache"):
        shutil.copy2(Path("/etc") / name, root / "etc" / name)
    libs = set()
    for prog in TOOLS:
        found = shutil.which(prog, path="/usr/bin:/bin")
        if found is None:
            missing(f"the host has no {prog} (scripts/setup installs strace and gdb)")
        exe = Path(found).resolve()
        shutil.copy2(exe, root / "usr/bin" / prog)
        ldd = subprocess.run(["ldd", str(exe)], capture_output=True, text=True).stdout
        libs.update(re.findall(r"(/\S+) \(0x", ldd))
    libs.update(str(p) for p in Path("/lib").glob("*/libthread_db.so.1"))
    for lib in libs:
        dest = root / lib.lstrip("/")      # /lib and /lib64 lead into usr/
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(Path(lib).resolve(), dest)
    for python in Path("/usr/lib").glob("python3.*"):     # gdb's embedded Python
        if (python / "os.py").exists():
            shutil.copytree(python, root / "usr/lib" / python.name, symlinks=True,
                            ignore=shutil.ignore_patterns("test", "__pycache__", "idlelib",
                                                          "tkinter", "ensurepip"))
    return root


def _names(text: str) -> list[str]:
    """strace's lines as the calls' names (and its +++ lines)."""
    return [line.split("(", 1)[0] for line in text.splitlines() if line]


def test_strace_shows_the_calls_the_host_strace_shows(host_root):
    """strace /bin/true inside the guest: the same calls, in the same order, as the host's
    strace in the same root (strace said PTRACE_TRACEME: Function not implemented)."""
    root = host_root
    res = tblc("run", "--root", root, "/usr/bin/strace", "/bin/true")
    assert res.returncode == 0, res.stderr
    ours = res.stderr.decode()
    assert "exit_group(0)                           = ?" in ours
    assert ours.splitlines()[-1] == "+++ exited with 0 +++"
    host = subprocess.run(["chroot", root, "/usr/bin/strace", "/bin/true"],
                          capture_output=True, text=True)
    if host.returncode != 0:
        missing(f"the host's strace cannot run here: {host.stderr.strip()[-200:]}")
    assert _names(ours) == _names(host.stderr)


def test_strace_follows_forks_counts_and_filters(host_root):
    """strace -f over a pipeline (TRACEFORK's children, their exits reported to strace
    before their parent's wait), strace -c's table, strace -e trace=openat."""
    root = host_root
    res = tblc("run", "--root", root, "/usr/bin/strace", "-f", "/bin/sh", "-c", "ls / | wc -l")
    assert res.returncode == 0, res.stderr
    text = res.stderr.decode()
    assert len(re.findall(r"\+\+\+ exited with 0 \+\+\+", text)) == 3, text[-2000:]
    assert re.search(r'execve\("/usr/bin/ls", \["ls", "/"\]', text), text[-2000:]
    assert re.search(r'execve\("/usr/bin/wc", \["wc", "-l"\]', text), text[-2000:]
    assert int(res.stdout) > 5
    res = tblc("run", "--root", root, "/usr/bin/strace", "-c", "/bin/true")
    assert res.returncode == 0, res.stderr
    table = res.stderr.decode()
    assert re.search(r"\n\s*[\d.]+\s+[\d.]+\s+\d+\s+2\s+openat\n", table), table
    assert "100.00" in table.splitlines()[-1]
    res = tblc("run", "--root", root, "/usr/bin/strace", "-e", "trace=openat", "/bin/true")
    assert res.returncode == 0, res.stderr
    assert _names(res.stderr.decode()) == ["openat", "openat", "+++ exited with 0 +++"]


def test_strace_attaches_to_a_running_process(host_root):
    """strace -p PID: PTRACE_SEIZE and PTRACE_INTERRUPT of a sleeping process, then its
    calls to its end."""
    root = host_root
    res = tblc("run", "--root", root, "/bin/sh", "-c",
               "sleep 1 & p=$!; strace -p $p 2>&1 & wait")
    text = res.stdout.decode()
    assert res.returncode == 0, text + res.stderr.decode()
    assert re.search(r"strace: Process \d+ attached", text), text
    assert "exit_group(0)                           = ?" in text
    assert text.splitlines()[-1] == "+++ exited with 0 +++"


def test_gdb_runs_a_crashing_program_and_shows_the_backtrace(host_root, tmp_path):
    """gdb -batch -ex run -ex bt inside the guest: the SIGSEGV and the frames down to main
    (gdb's fork_inferior uses PTRACE_TRACEME, the exec's SIGTRAP, breakpoints by int3 in
    ld.so's _dl_debug_state, GETREGS' cs telling a 64-bit thread)."""
    root = host_root
    if shutil.which("gcc") is None:
        missing("gcc is not installed")
    exe = tmp_path / "crash"
    src = tmp_path / "crash.c"
    src.write_text("static int depth(int *p, int n) { return n ? depth(p, n - 1) + 1 : *p; }\n"
                   "int main(int argc, char **argv) { return depth(argc > 5 ? &argc : 0, 2); }\n")
    subprocess.run(["gcc", "-g", "-O0", "-o", exe, src], check=True)
    target = root / "tmp" / f"ptrace-crash-{exe.stat().st_ino}"
    shutil.copy(exe, target)
    try:
        res = tblc("run", "--root", root, "/usr/bin/gdb", "-nx", "-batch",
                   "-ex", "set displaced-stepping off", "-ex", "run", "-ex", "bt",
                   "--args", f"/tmp/{target.name}", timeout=300)
    finally:
        target.unlink()
    text = res.stdout.decode()
    assert "Program received signal SIGSEGV, Segmentation fault." in text, text + \
        res.stderr.decode()[-2000:]
    assert re.search(r"#0 .* in depth \(p=0x0, n=0\)", text), text
    assert re.search(r"#3 .* in main \(argc=1", text), text
