"""Linux semantics the Linux Test Project's syscall tests measure (issue 19; scripts/ltp runs
LTP itself, which CI does not have): each class of fix has a small C program here that
prints what it saw, built by the tests' toolchains and run natively-equivalent under
`tblc run --root`."""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from conftest import make_root, missing, tblc

CCS = ["gcc", "musl-gcc", "gcc -m32"]


def _run(toolchain, tmp_path, name: str, cc: str, *args) -> list[str]:
    cc, *flags = cc.split()
    exe = toolchain.c(name, cc, tuple(flags))
    root = make_root(tmp_path, {"/prog": exe})
    (root / "tmp").mkdir(exist_ok=True)
    res = tblc("run", "--root", root, "/prog", *args)
    assert res.returncode == 0, res.stdout + res.stderr
    return res.stdout.decode().splitlines()


@pytest.mark.parametrize("cc", CCS)
def test_a_futex_in_a_shared_page_is_one_futex_across_fork(toolchain, tmp_path, cc):
    assert _run(toolchain, tmp_path, "shared_futex", cc) == [
        "child woke on file: 0", "file: woke 1, child status 0",
        "child woke on anon: 0", "anon: woke 1, child status 0"]


RECORD_LOCKS = [  # what the program prints on Linux 6.x
    "set: 0 0 0",
    "probe 0-9 wr: type 1 start 0 len 10 pid parent",
    "probe 20-29 rd: type 2 start 20 len 10 pid other",
    "probe 20-29 wr: type 0 start 20 len 10 pid parent",
    "probe 50- wr: type 0 start 100 len 0 pid parent",
    "probe setlk 5: 11",
    "probe 0-9 wr: type 1 start 0 len 5 pid parent",
    "probe 20-29 rd: type 2 start 20 len 10 pid other",
    "probe 20-29 wr: type 0 start 20 len 10 pid parent",
    "probe 50- wr: type 0 start 100 len 0 pid parent",
    "probe setlk 5: 0",
    "probe 0-9 wr: type 2 start 0 len 10 pid other",
    "probe 20-29 rd: type 2 start 20 len 10 pid other",
    "probe 20-29 wr: type 2 start 20 len 10 pid other",
    "probe 50- wr: type 2 start 50 len 0 pid other",
    "probe setlk 5: 0",
    "write lock on read-only fd: 9",
    "bad type: 22",
    "parent setlkw: 35",
    "child waits: 0",
    "after child exit: 0",
    "ofd set: 0",
    "ofd probe: type 2 start 0 len 0 pid other",
    "ofd probe setlk: 0",
    "ofd other description: 11",
    "posix vs ofd: 11",
    "flock ex: 0",
    "flock probe ex nb: 11",
    "flock probe sh nb (inherited description): 0",
    "flock bad op: 22",
    "pipe setlk: 0 read end: 0",
    "pipe flock: 0 other end: 11",
    "socket setlk: 0 flock: 0",
    "device setlk: 0 flock: 0",
]


@pytest.mark.parametrize("cc", CCS)
def test_record_ofd_and_flock_locks_conflict_split_release_and_detect_deadlock(toolchain,
                                                                                tmp_path, cc):
    assert _run(toolchain, tmp_path, "record_locks", cc) == RECORD_LOCKS


CREDS = [  # what the program prints on Linux 6.x, run as root in a chroot
    "start: uid 0 0 0 gid 0 0 0 groups 0 caps some/some",
    "setgroups: 0",
    "setresgid: 0",
    "setresuid: 0",
    "nobody: uid 65534 65534 65534 gid 65534 65534 65534 groups 0 caps none/none",
    "open secret: 13",
    "open pub r: 0",
    "open pub w: 13",
    "access pub R: 0",
    "access pub W: 13",
    "stat in closed dir: 13",
    "mkdir in /: 13",
    "create mine: 0 owner 65534:65534",
    "unlink sticky root file: 1",
    "chmod pub: 1",
    "chmod mine: 0",
    "chown mine to root: 1",
    "utimes pub: 13",
    "setuid 0: 1",
    "kill parent: 1",
    "mknod: 1",
    "link root's secret: 1",
    "link root's pub: 1",
    "link mine: 0",
    "chroot: 1",
    "seteuid nobody: 0",
    "euid nobody: uid 0 65534 65534 gid 0 0 0 groups 0 caps none/some",
    "open secret: 13",
    "access secret (real root): 0",
    "seteuid back to 0: 0",
    "back: uid 0 0 65534 gid 0 0 0 groups 0 caps some/some",
    "open secret: 0",
    "after exec: uid 1000 65534 65534 gid 1000 1000 1000 groups 0 caps none/none",
    "after exec auxv: uid 1000 euid 65534 secure 1",
    "after exec: uid 1000 1000 1000 gid 1000 1000 1000 groups 0 caps none/none",
    "after exec auxv: uid 1000 euid 1000 secure 0",
]


@pytest.mark.parametrize("cc", CCS)
def test_a_process_that_drops_root_loses_its_powers_and_setuid_exec_raises_them(toolchain,
                                                                              tmp_path, cc):
    assert _run(toolchain, tmp_path, "creds", cc) == CREDS


SEMANTICS = [  # what the program prints on Linux 6.x, run as root in a chroot
    "dup3 same fd: -1 EINVAL",
    "dup3 bad flags: -1 EINVAL",
    "dup3 bad old: -1 EBADF",
    "ftruncate read-only: -1 EINVAL",
    "ftruncate negative: -1 EINVAL",
    "ftruncate bad fd: -1 EBADF",
    "fifo O_RDWR write: 3 -",
    "fifo O_RDWR read: 3 -",
    "F_GETPIPE_SZ: 65536 -",
    "F_SETPIPE_SZ 5000: 8192 -",
    "F_GETPIPE_SZ file: -1 EBADF",
    "pid_max > getpid: 1 -",
    "pipe-max-size: 1 -",
    "ngroups_max: 65536 -",
    "status Uid: 1 -",
    "status CapEff: 1 -",
    "task stat: 0 -",
    "getpgid(1): 0 -",
    "getsid(1): 0 -",
    "kill(1, 0): 0 -",
    "getpriority raw: 20 -",
    "setpriority 5: 0 -",
    "getpriority raw after: 15 -",
    "getpriority bad which: -1 EINVAL",
    "personality query: 0 -",
    "personality set: 0 -",
    "personality again: 8 -",
    "getrlimit bad resource: -1 EINVAL",
    "setrlimit FSIZE: 0 -",
    "write past FSIZE: 10 -",
    "write at FSIZE: -1 EFBIG",
    "setrlimit FSIZE raise: 0 -",
    "pwrite O_APPEND: 2 -",
    "size: 12 -",
    "setitimer virtual: 0 -",
    "getitimer virtual: 0 -",
    "virtual left <= 100 s: 1 -",
    "setitimer bad old: -1 EFAULT",
    "getitimer bad which: -1 EINVAL",
    "mmap bad offset + fd: -1 EINVAL",
    "mmap closed fd: -1 EBADF",
    "mmap zero length: -1 EINVAL",
    "mmap no type: -1 EINVAL",
    "mmap shared write on read-only: -1 EACCES",
    "mmap validate unknown flag: -1 EOPNOTSUPP",
    "mremap FIXED without MAYMOVE: -1 EINVAL",
    "mremap overlapping FIXED: -1 EINVAL",
    "mremap past the mapping: -1 EFAULT",
    "mremap FIXED moves: 42 -",
    "futex requeue negative: -1 EINVAL",
    "futex wake unmapped: -1 EFAULT",
    "futex wake misaligned: -1 EINVAL",
    "waitpid bad options: -1 EINVAL",
    "waitpid INT_MIN: -1 ESRCH",
    "writev negative length: -1 EINVAL",
    "SA_RESETHAND handler default: 1 -",
    "SA_RESETHAND keeps SA_SIGINFO: 1 -",
    "rt_sigaction sigsetsize 4: -1 EINVAL",
    "clock_nanosleep thread clock: -1 EOPNOTSUPP",
    "clock_nanosleep clock 10: -1 EINVAL",
    "fstatat NULL path: -1 EFAULT",
    "F_SETPIPE_SZ 0: 4096 -",
    "fchmod O_PATH: -1 EBADF",
    "fstat O_PATH: 0 -",
    "truncate past FSIZE: -1 EFBIG",
    "ftruncate past FSIZE: -1 EFBIG",
    "truncate within FSIZE: 0 -",
    "fallocate past FSIZE: -1 EFBIG", "fallocate past FSIZE keeping the size: 0 -",
    "fallocate within FSIZE: 0 -",
    "O_TMPFILE read-only: -1 EINVAL",
    "O_TMPFILE on a file: -1 ENOTDIR",
    "O_TMPFILE write: 6 -",
    "linkat /proc/self/fd: 0 -",
    "named mode: 416 -",
    "named size: 6 -",
    "linkat AT_EMPTY_PATH: 0 -",
    "linkat O_EXCL tmpfile: -1 ENOENT",
    "shared over private: 1 -",
    "maps shows r--s: 1 -",
    "readv zero-length first: 6 -",
    "readv filled the second: 1 -",
    "write lease, file open twice: -1 EAGAIN",
    "read lease, a writer open: -1 EAGAIN",
    "write lease, alone: 0 -",
    "F_GETLEASE: 1 -",
    "unlease: 0 -",
    "VmLck after MAP_LOCKED: 64 -",
    "munlock half: 0 -",
    "VmLck after munlock: 32 -",
    "mlock a hole: -1 ENOMEM",
    "VmLck after munmap: 0 -",
    "futex_waitv no waiters: -1 EINVAL",
    "futex_waitv 129: -1 EINVAL",
    "futex_waitv bad clock: -1 EINVAL",
    "futex_waitv no size: -1 EINVAL",
    "futex_waitv changed: -1 EAGAIN",
    "futex_waitv times out: -1 ETIMEDOUT",
    "sendfile from a pipe: -1 EINVAL",
    "sendfile from a pipe at an offset: -1 ESPIPE",
    "sendfile from a write end: -1 EBADF",
    "setpgid of a zombie child: 0 -",
    "getpgid of a zombie child is itself: 1 -",
    "setpgid once reaped: -1 ESRCH",
    "exec of a #! line cut at 100 bytes: -1 ENOENT",
    "exec of a #! path longer than 256 bytes: -1 ENOEXEC",
]


@pytest.mark.parametrize("cc", CCS)
def test_calls_fail_for_the_reason_linux_checks_first(toolchain, tmp_path, cc):
    assert _run(toolchain, tmp_path, "semantics", cc) == SEMANTICS


@pytest.mark.parametrize("cc", CCS)
def test_a_clone_vm_child_shares_its_parents_memory(toolchain, tmp_path, cc):
    assert _run(toolchain, tmp_path, "clone_vm", cc) == [
        "vfork clone: global 42 local 7", "CLONE_VM clone: global 42 local 7 exited 1",
        "vfork: 5", "bad parent_tid: child made 1", "posix_spawnp missing: 2",
        "posix_spawn missing: 2"]


@pytest.mark.parametrize("cc", CCS[:2])
def test_map_32bit_maps_below_2_gib_and_hugetlb_has_no_pages(toolchain, tmp_path, cc):
    assert _run(toolchain, tmp_path, "map_32bit", cc) == [
        *(f"MAP_32BIT {i}: is below 2 GiB" for i in range(3)),
        "MAP_HUGETLB: ENOMEM"]


COREDUMP = [  # what the program prints on Linux 6.x with core_pattern "core"
    "Quit limit 0: signaled 1 sig 3 core bit 0 file 0 elf 0 size<=limit 0",
    "Aborted limit 1073741824: signaled 1 sig 6 core bit 1 file 1 elf 1 size<=limit 1",
    "Segmentation fault limit 4096: signaled 1 sig 11 core bit 1 file 1 elf 1 size<=limit 1",
    "Terminated limit 1073741824: signaled 1 sig 15 core bit 0 file 0 elf 0 size<=limit 0",
]


@pytest.mark.parametrize("cc", CCS)
def test_a_core_signal_with_rlimit_core_writes_an_elf_core_and_sets_the_core_bit(toolchain,
                                                                                tmp_path, cc):
    assert _run(toolchain, tmp_path, "coredump", cc) == COREDUMP


def test_gdb_reads_the_core_file_a_crash_leaves(toolchain, tmp_path):
    if shutil.which("gdb") is None:
        missing("gdb is not installed (scripts/setup installs it)")
    src = tmp_path / "deep.c"
    src.write_text("#include <sys/resource.h>\n"
                   "int deep(int *p, int n) { return n ? deep(p, n - 1) + 1 : *p; }\n"
                   "int main(void) { struct rlimit rl = {RLIM_INFINITY, RLIM_INFINITY};\n"
                   "  setrlimit(RLIMIT_CORE, &rl); return deep(0, 3); }\n")
    exe = tmp_path / "deep"
    subprocess.run(["gcc", "-static", "-g", "-O0", "-o", exe, src], check=True)
    root = make_root(tmp_path, {"/deep": exe})
    res = tblc("run", "--root", root, "/deep")
    assert res.returncode == 128 + 11, res.stderr
    out = subprocess.run(["gdb", "-batch", "-ex", "bt", str(exe), str(root / "core")],
                         capture_output=True, text=True, timeout=120).stdout
    # gdb names the crash frame when it loads the core, then bt lists every frame
    frames = {int(line[1:].split()[0]): line for line in out.splitlines() if line.startswith("#")}
    frames = [frames[i] for i in sorted(frames)]
    assert [f.split(" in ")[1].split(" (")[0] for f in frames] == ["deep"] * 4 + ["main"], out
    assert "n=0" in frames[0] and "n=3" in frames[3]


@pytest.mark.parametrize("cc", CCS)
def test_code_rewritten_through_proc_pid_mem_runs_rewritten(toolchain, tmp_path, cc):
    """Writes through /proc/PID/mem into a text page the child already ran: after the first
    (which breaks copy-on-write) they land in place, and the child must not run stale code."""
    assert _run(toolchain, tmp_path, "procmem_code", cc) == [
        "round 0: f() = 1", "round 1: f() = 2", "round 2: f() = 3", "round 3: f() = 4",
        "child status 0"]


def test_a_core_of_a_process_off_the_core_holds_its_saved_registers(tmp_path, busybox):
    """A core written for a process that is not the one on the engine takes its registers
    from its saved register set (it called a kernel method that did not exist)."""
    import struct
    from sysvec.runtime.machine import Machine
    from sysvec.runtime.linux.coredump import elf_core

    root = make_root(tmp_path, {"/bin/busybox": busybox})
    with Machine(root=root) as m:
        procs = [m.spawn("/bin/busybox", ["sleep", "5"]) for _ in range(2)]
        m.run(max_seconds=0.5)
        engine = next(iter(m.kernel.engines.values()))
        off = next(p.pcb for p in procs if p.pcb is not engine.current)
        core = elf_core(m.kernel, off, 11)
        m.kill_all()
    assert core[:4] == b"\x7fELF"
    note = core.index(b"CORE\0") + 8              # the NT_PRSTATUS note's descriptor
    rip = struct.unpack_from("<Q", core, note + 112 + 16 * 8)[0]   # pr_reg's rip
    assert rip != 0


@pytest.mark.parametrize("cc", ["gcc", "gcc -m32"])
def test_cpu_time_timers_and_rlimit_cpu_signal_by_cpu_time(toolchain, tmp_path, cc):
    assert _run(toolchain, tmp_path, "cputime", cc) == [
        "SIGVTALRM after 50 ms of CPU time", "child killed by 9 after at least one SIGXCPU"]


MADVISE = [  # what the program prints on Linux 6.x
    "dontneed: 0, then 0 7",
    "wipeonfork: 0",
    "child sees 0 7",
    "parent sees 7",
    "wipeonfork shared: -1 22",
    "unaligned: -1 22",
    "bad advice: -1 22",
    "hole: -1 12",
]


@pytest.mark.parametrize("cc", CCS)
def test_madvise_dontneed_and_wipeonfork_give_zero_pages(toolchain, tmp_path, cc):
    assert _run(toolchain, tmp_path, "madvise", cc) == MADVISE


SIGIO = [  # what the program prints on Linux 6.x
    "owner before: 0 sig 0",
    "owner is me: 1",
    "default signal: SIGIO",
    "F_SETSIG: SIGUSR1",
    "F_GETOWN of a group: 1",
    "bad owner type: -1 22",
    "bad signal: -1",
]


@pytest.mark.parametrize("cc", CCS)
def test_a_pipe_with_o_async_signals_its_owner_when_data_arrives(toolchain, tmp_path, cc):
    assert _run(toolchain, tmp_path, "sigio", cc) == SIGIO


SIGIO_HANGUP = [  # what the program prints on Linux 6.x
    "unix peer close: code 6 band 0x18", "unix peer shutdown: code 1 band 0x41",
    "pipe writer close: code 1 band 0x41", "pipe reader close: code 2 band 0x304",
    "own write to a pipe: no signal", "tcp connection to a listener: code 1 band 0x41",
    "tcp peer close: code 1 band 0x41"]


@pytest.mark.parametrize("cc", CCS)
def test_o_async_signals_hang_ups_and_new_connections(toolchain, tmp_path, cc):
    """nginx's master heard no SIGIO when a worker's channel hung up."""
    assert _run(toolchain, tmp_path, "sigio_hangup", cc) == SIGIO_HANGUP


@pytest.mark.parametrize("cc", CCS)
def test_o_async_signals_only_whom_the_setter_may_signal(toolchain, tmp_path, cc):
    """sigio_perm: a child that dropped to uid 1000 could SIGKILL its root parent through
    F_SETOWN + F_SETSIG; F_SETOWN of a process or group that does not exist is ESRCH."""
    assert _run(toolchain, tmp_path, "sigio_perm", cc) == [
        "F_SETOWN missing pid: -1 3", "F_SETOWN missing group: -1 3",
        "parent alive after the child's O_ASYNC", "own signal pending: 1"]


IPC_PERMS = [  # what the program prints on Linux 6.x, run as root
    "shmget existing: ok", "shmat read-only: EACCES", "shmctl IPC_STAT: EACCES",
    "shmctl IPC_RMID: EPERM", "msgget existing: ok", "msgrcv: EACCES", "msgsnd: EACCES",
    "msgctl IPC_RMID: EPERM", "semop: EACCES", "semctl SETVAL: EACCES",
    "semctl GETVAL: EACCES", "semctl IPC_RMID: EPERM",
    "root's segment: owner 0 mode 600 text root-secret", "root shmctl IPC_RMID: ok",
    "removed while attached: mode 1600", "root msgctl IPC_RMID: ok",
    "root semctl IPC_RMID: ok"]


def test_system_v_ipc_objects_are_guarded_by_their_modes(toolchain, tmp_path):
    """ipcperms and the owner check: a uid-1000 process read, changed and removed root's
    0600 segment, queue and semaphores (glibc: the program prints errno names)."""
    assert _run(toolchain, tmp_path, "ipc_perms", "gcc") == IPC_PERMS


def test_a_pty_slave_is_its_openers_and_others_cannot_open_it(toolchain, tmp_path):
    """devpts: the slave is the ptmx opener's, mode 0620 group tty (Debian's mount options;
    this host mounts its own devpts 0600), and may_open refuses another uid (a uid-1000
    process read what was typed at root's terminal)."""
    assert _run(toolchain, tmp_path, "pts_perm", "gcc") == [
        "slave: mode 620 uid 0 gid 5", "owner opens it: 1", "uid 1000 opens it: -1 EACCES"]


def test_unix_sockets_follow_their_files_modes_and_credentials_are_checked(toolchain,
                                                                         tmp_path):
    """unix_find_bsd's write check on a socket file (uid 1000 reached root's 0600 control
    sockets) and scm_check_creds (it claimed pid 1, uid 0 in SCM_CREDENTIALS)."""
    assert _run(toolchain, tmp_path, "unix_perm", "gcc") == [
        "connect to root's 0600 socket: -1 EACCES", "sendto root's 0600 socket: -1 EACCES",
        "claim to be root: -1 EPERM", "own credentials: 1", "root connects: 0"]


def _threaded(toolchain, tmp_path, name: str, cc: str) -> list[str]:
    cc, *flags = cc.split()
    exe = toolchain.c(name, cc, tuple(flags) + ("-pthread",))
    root = make_root(tmp_path, {"/prog": exe})
    res = tblc("run", "--root", root, "/prog", timeout=120)
    assert res.returncode == 0, res.stdout + res.stderr
    return res.stdout.decode().splitlines()


@pytest.mark.parametrize("cc", CCS)
def test_process_directed_signals_reach_a_thread_that_takes_them(toolchain, tmp_path, cc):
    """complete_signal: kill(getpid()), another process's kill and pthread_kill reach a
    thread in sigwait, a thread that does not block the signal handles it, signalfd in a
    helper reads it (mariadb-install-db and a running MariaDB's SIGTERM hung)."""
    assert _threaded(toolchain, tmp_path, "thread_signals", cc) == [
        "A helper sigwait, main kill(getpid): woke",
        "B main sigtimedwait, helper kill(getpid): woke",
        "C main sigtimedwait, other process kill(): woke",
        "D pending before sigtimedwait: got", "E pthread_kill to sigwaiting thread: woke"]
    assert _threaded(toolchain, tmp_path, "thread_signals3", cc) == [
        "F main blocks SIGUSR2, helper thread unblocks it, kill(getpid()): handled in "
        "helper thread", "G signalfd read in helper thread: got sig 10"]


@pytest.mark.parametrize("cc", CCS)
def test_alarms_timers_and_sigchld_in_a_threaded_process(toolchain, tmp_path, cc):
    assert _threaded(toolchain, tmp_path, "thread_signals2", cc) == [
        "1 waitpid(child of exited thread) = child status=7, SIGCHLD handled=1",
        "2 waitpid(child of live thread) = child status=7",
        "3 setitimer, main blocks SIGALRM, helper unblocked: handled=1",
        "4 alarm(1), main blocks: handled=1",
        "5 SIGCHLD, main blocks, helper unblocked: handled=0"]


EXEC_FROM_THREAD = ("new image: getpid()==old pid: yes, gettid()==getpid(): yes, "
                    "getppid()==parent: yes, tasks: 1, start time kept: yes")


@pytest.mark.parametrize("cc", CCS)
def test_execve_from_a_thread_takes_over_the_process_and_its_pid(toolchain, tmp_path, cc):
    """de_thread: the exec'ing thread becomes the process under the old pid, and the parent's
    waitpid, SIGCHLD and pidfd follow it (Go's syscall.Exec and os.execv in a Python thread
    left the new program with its thread id and the parent waiting forever)."""
    assert _threaded(toolchain, tmp_path, "exec_from_thread", cc) == [
        EXEC_FROM_THREAD,
        "exec from a thread: waitpid = the child, exit 5, pidfd readable while it ran: 0, "
        "SIGCHLD si_pid is the child: yes",
        EXEC_FROM_THREAD,
        "exec after the leader's pthread_exit: waitpid = the child, exit 5, pidfd readable "
        "while it ran: 0, SIGCHLD si_pid is the child: yes"]
    # the run's own process: the run ends with the new program's status
    res = tblc("run", "--root", tmp_path / "root", "/prog", "alone", timeout=120)
    assert (res.returncode, res.stdout.decode().splitlines()) == (5, [EXEC_FROM_THREAD])


@pytest.mark.parametrize("cc", CCS)
def test_proc_lists_processes_and_stat_tells_threads_start_time_and_stops(toolchain, tmp_path,
                                                                          cc):
    """proc_pid_readdir lists thread-group leaders only; do_task_stat's num_threads, group
    CPU time, starttime in ticks since boot, and state T (ps -e and pgrep counted a process
    once per thread, pstree drew a cycle, etime was the machine's age, top showed S);
    /proc/self is the process in any thread, /proc/thread-self the thread."""
    assert _threaded(toolchain, tmp_path, "proc_threads", cc) == [
        "readdir(/proc) lists the process: 1, its thread: 0; /proc/TID resolves: yes",
        "in a thread: /proc/self is the process: yes, /proc/thread-self the thread: yes",
        "num_threads: /proc/self/stat 3, a thread's stat 3",
        "process CPU time counts its threads': yes",
        "start time: age by /proc/uptime ok, by btime ok, thread's own no earlier: yes",
        "a child forked later starts later: yes",
        "stopped child: stat state T, status T (stopped)",
        "continued child: stat state S"]


def test_a_process_gdb_holds_is_in_tracing_stop(toolchain):
    """A child gdb keeps stopped (detach-on-fork off) reads as state t, as a ptrace stop."""
    from gdbdrive import run_gdb
    prog = toolchain.c("gdb_proc_state", cc="gcc", flags=("-g", "-O0"))
    s = run_gdb(prog, ["set detach-on-fork off", "continue", "inferior 2", "continue"])
    assert s.rc == 5 and "held child: stat state t, status t (tracing stop)" in s.out, s
    assert "(process 101) exited with code 04" in s.gdb_out, s


def test_root_writes_proc_sys_tunables_others_may_not(busybox, tmp_path):
    root = make_root(tmp_path, {"/bin/busybox": busybox,
                                "/etc/passwd": b"root:x:0:0::/:/bin/busybox\n"
                                               b"nobody:x:65534:65534::/:/bin/busybox\n",
                                "/etc/group": b"root:x:0:\nnogroup:x:65534:\n"})
    res = tblc("run", "--root", root, "/bin/busybox", "sh", "-c",
               "B=/bin/busybox; $B cat /proc/sys/vm/max_map_count /proc/sys/kernel/pid_max; "
               "echo 300 > /proc/sys/vm/max_map_count; $B cat /proc/sys/vm/max_map_count; "
               "echo x > /proc/sys/vm/max_map_count || echo refused; "
               "$B stat -c '%a %n' /proc/sys/vm/max_map_count; "
               "$B ln -s busybox /bin/sh; $B su nobody -s /bin/sh -c "
               "'/bin/busybox id -u; echo 5 > /proc/sys/vm/max_map_count' 2>&1; "
               "$B cat /proc/sys/vm/max_map_count")
    assert res.stdout.decode().splitlines() == [
        "65530", "4194304", "300", "refused", "644 /proc/sys/vm/max_map_count", "65534",
        "sh: can't create /proc/sys/vm/max_map_count: Permission denied", "300"], res.stderr


TMPFS_MOUNT = [  # what the program prints on Linux 6.x (as root, in a mount namespace)
    "unknown type: errno 19",
    "missing target: errno 2",
    "mount as nobody: errno 1",
    "mount: ok",
    "root mode 1777",
    "mkdir: ok",
    "write: ok",
    "rename across mounts: errno 18",
    "rmdir mountpoint: errno 16",
    "remount ro: ok",
    "statfs type 1021994 rdonly 1",
    "access W_OK: errno 30",
    "access R_OK: ok",
    "creat: errno 30",
    "open O_RDWR: errno 30",
    "mkdir existing: errno 17",
    "mkdir new: errno 30",
    "unlink missing: errno 30",
    "rmdir: errno 30",
    "chmod: errno 30",
    "chown: errno 30",
    "link: errno 30",
    "symlink: errno 30",
    "truncate: errno 30",
    "read 2",
    "fchmod: errno 30",
    "fchown: errno 30",
    "dotdot is the parent: 1",
    "umount with a file open: errno 16",
    "proc mounts: none /tmp/m tmpfs ro,relatime 0 0",
    "umount from inside: errno 16",
    "remount rw: ok",
    "creat after rw: ok",
    "umount: ok",
    "umount again: errno 22",
    "gone with it: errno 2",
]


@pytest.mark.parametrize("cc", CCS)
def test_a_tmpfs_mount_remounted_read_only_refuses_every_change_with_erofs(toolchain, tmp_path,
                                                                          cc):
    assert _run(toolchain, tmp_path, "tmpfs_mount", cc) == TMPFS_MOUNT
    assert not list(tmp_path.glob("**/sysvec-tmpfs-*"))


@pytest.mark.parametrize("cc", CCS)
def test_o_noatime_keeps_the_access_time_and_a_removed_directory_lists_enoent(toolchain,
                                                                             tmp_path, cc):
    assert _run(toolchain, tmp_path, "noatime_deaddir", cc) == [
        "read 4", "atime kept: 1", "getdents of a removed directory: -1 errno 2"]


LOOP_DEVICE = [  # what the program prints on Linux 6.x, as root
    "free device is a block device: 1",
    "get status while free: errno 6",
    "set fd: 0",
    "set fd again: errno 16",
    "set status: 0",
    "get status64: 0",
    "name img",
    "size: 0",
    "size MB 3",
    "next free differs: 1",
    "read through the device: 6",
    "bytes sysvec",
    "clear: 0",
    "clear again: errno 6",
    "not a loop ioctl: errno 22",
]


@pytest.mark.parametrize("cc", ["gcc", "gcc -m32"])     # musl ships no <linux/loop.h>
def test_a_loop_device_binds_a_file_sizes_it_and_reads_it(toolchain, tmp_path, cc):
    assert _run(toolchain, tmp_path, "loop_device", cc) == LOOP_DEVICE


LEASE_BREAK = [  # what the program prints on Linux 6.x
    "write lease, reader: set lease 0",
    "write lease, reader: signal 29",
    "write lease, reader: get lease 0",
    "write lease, reader: downgrade 0",
    "write lease, reader: nonblocking breaker -11",
    "write lease, reader: breaker got through",
    "write lease, writer: set lease 0",
    "write lease, writer: signal 29",
    "write lease, writer: get lease 2",
    "write lease, writer: downgrade -11",
    "write lease, writer: nonblocking breaker -11",
    "write lease, writer: breaker got through",
    "read lease, truncate: set lease 0",
    "read lease, truncate: signal 29",
    "read lease, truncate: get lease 2",
    "read lease, truncate: downgrade -11",
    "read lease, truncate: breaker got through",
]


@pytest.mark.parametrize("cc", CCS)
def test_a_conflicting_open_or_truncate_breaks_a_lease_and_waits_for_its_holder(toolchain,
                                                                               tmp_path, cc):
    assert _run(toolchain, tmp_path, "lease_break", cc) == LEASE_BREAK


@pytest.mark.parametrize("cc", CCS)
def test_time_in_system_calls_is_system_time_in_times_and_getrusage(toolchain, tmp_path, cc):
    assert _run(toolchain, tmp_path, "system_time", cc) == [
        "user grew: 1", "system grew: 1", "rusage system: 1", "no children yet: 0 0",
        "children system: 1"]


@pytest.mark.parametrize("cc", CCS)
def test_setpgid_refuses_a_child_that_has_execd_or_left_the_session(toolchain, tmp_path, cc):
    assert _run(toolchain, tmp_path, "setpgid_exec", cc) == [
        "before exec: 0", "after exec: -13", "other session: -1", "ioctl on O_PATH: -9"]


@pytest.mark.parametrize("cc", CCS)
def test_a_private_page_in_a_shared_mapping_is_a_mapping_of_its_own(toolchain, tmp_path, cc):
    assert _run(toolchain, tmp_path, "maps_shared_private", cc) == [
        "shared page: ---s", "private page in it: ---p", "private page: r--p",
        "shared page in it: r--s"]


@pytest.mark.parametrize("cc", CCS)
def test_mprotect_and_madvise_respect_what_a_mapping_may_become(toolchain, tmp_path, cc):
    assert _run(toolchain, tmp_path, "mprotect_maywrite", cc) == [
        "shared writable map of a read-only fd: -13", "mprotect shared to write: -13",
        "mprotect private to write: 0", "MADV_REMOVE on a read-only shared map: -13",
        "MADV_REMOVE on anonymous memory: -22", "MADV_DONTNEED on locked memory: -22",
        "MADV_DONTNEED next to it: 0",
        "MADV_MERGEABLE: -22"]     # a kernel without CONFIG_KSM (Linux with KSM says 0)


@pytest.mark.parametrize("cc", CCS)
def test_siginfo_names_the_sender_and_a_sigchld_the_child_and_its_status(toolchain, tmp_path,
                                                                         cc):
    assert _run(toolchain, tmp_path, "siginfo_sender", cc) == [
        "kill: code 0 from child 1 uid 0", "SIGCHLD: code 1 from child 1 status 7",
        "tgkill: code -6 from self 1", "sigtimedwait: 12 code 0 from self 1"]


@pytest.mark.parametrize("cc", CCS)
def test_dnotify_signals_the_watcher_of_a_directory_with_its_descriptor(toolchain, tmp_path,
                                                                        cc):
    # Linux 6.x prints the same; every event is a queued real-time signal (SIGRTMIN+1).
    assert _run(toolchain, tmp_path, "dnotify", cc) == [
        "notify on a file: 1", "create: dir 1 sub 0 once 1", "chmod sub: dir 1 sub 1 once 0",
        "rename inside: dir 2 sub 0", "rename out: dir 0 sub 0",
        "write: dir 1 si_fd is the watcher 1"]


@pytest.mark.parametrize("cc", CCS)
def test_inotify_reports_the_machine_s_changes_as_linux(toolchain, tmp_path, cc):
    """Entries made, written, changed, moved and deleted in a watched directory, a watched
    file's own events, IN_ONESHOT, FIONREAD, a read woken by another process: the same
    records, in the same order, as on the host. (Watches were accepted and never fired:
    tail -f never printed an appended line.)"""
    cc_name, *flags = cc.split()
    exe = toolchain.c("inotify_events", cc_name, tuple(flags))
    here = tmp_path / "host"
    here.mkdir()
    host = subprocess.run([str(exe)], cwd=here, capture_output=True, timeout=60)
    assert host.returncode == 0 and b"cookie=same" in host.stdout, host
    assert _run(toolchain, tmp_path, "inotify_events", cc) == host.stdout.decode().splitlines()


def test_tail_follows_a_file_another_process_appends_to(tmp_path):
    """GNU tail -f trusts inotify (it does not poll while a watch holds)."""
    (tmp_path / "log").write_text("first\n")
    assert _host_tool_script(tmp_path, "tail", "tail -f log & t=$!; sleep 1; "
                             "echo second >> log; sleep 1; kill $t") == b"first\nsecond\n"


def _host_tool_script(tmp_path, tool: str, script: str) -> bytes:
    """The output of a shell script using a host tool, run with --root / in tmp_path."""
    if shutil.which(tool) is None:
        missing(f"no {tool} here")
    res = tblc("run", "--root", "/", "--cwd", tmp_path, "/bin/sh", "-c", script, timeout=60)
    assert res.returncode == 0, res.stderr
    return res.stdout


@pytest.mark.parametrize("cc", CCS)
def test_posix_timers_signal_overrun_and_notify_as_linux(toolchain, tmp_path, cc):
    """timer_create and friends: SI_TIMER with sigev_value, overruns while the signal is
    blocked, SIGEV_NONE's countdown, an absolute expiry, SIGEV_THREAD_ID, a CPU-time clock,
    the C library's SIGEV_THREAD (they were ENOSYS: flock -w could not set its timer)."""
    assert _run(toolchain, tmp_path, "posix_timers", cc) == [
        "create: 0", "armed: 1", "one-shot: code SI_TIMER 1 value 42", "disarmed after: 1",
        "periodic: sig ok 1 overrun>=5 1 getoverrun==si 1",
        "delete: 0, again fails: 1", "absolute: left about 5 s 1",
        "thread id: to this thread 1", "cpu time: fired 1", "thread create: 0",
        "thread notify: 7", "bad clock: 1"]


def test_flock_waits_with_a_timer(tmp_path):
    """util-linux flock -w arms a POSIX timer to give up waiting for the lock."""
    (tmp_path / "lk").touch()
    assert _host_tool_script(tmp_path, "flock", "flock lk sleep 2 & sleep 0.5; "
                             "flock -w 0.3 lk true; echo $?; wait") == b"1\n"


@pytest.mark.parametrize("cc", CCS)
def test_system_v_semaphores_and_message_queues_across_processes(toolchain, tmp_path, cc):
    """semget/semop/semtimedop/semctl and msgget/msgsnd/msgrcv/msgctl (i386's glibc through
    the ipc(2) multiplexer): they were ENOSYS."""
    assert _run(toolchain, tmp_path, "sysv_ipc", cc) == [
        "all or nothing: -1 Resource temporarily unavailable, sem0 still 1",
        "waited: 0, sem1 now 0", "undone at exit: sem0 1", "ncnt: 1",
        "timed out: -1 Resource temporarily unavailable", "stat: nsems 2 mode 600",
        "removed under a waiter: EIDRM 1, gone 1", "by key: same 1, excl 1, missing 1",
        "queued: 4", "type 2: 17 message 2 type 2", "lowest up to 2: message 1 type 1",
        "except type 1: message 0 type 3", "too small: -1 Argument list too long",
        "truncated: 4 mess", "empty: -1 No message of desired type",
        "woken: 32 from the child", "queue gone: 1", "ipc(2): 3"]


@pytest.mark.parametrize("cc", CCS)
def test_splice_tee_copy_file_range_and_rename_exchange(toolchain, tmp_path, cc):
    """The calls that move data without the caller's buffer, and renameat2's exchange (they
    were ENOSYS and EINVAL)."""
    assert _run(toolchain, tmp_path, "splice_copy", cc) == [
        "copy by pointer: 6 in 10 out 6 pos 16", "copy by offset: 6 src at 16 dst at 6",
        'dst: 6 "abcdef"', "overlap: -1 Invalid argument", "file to pipe: 5 in 7", "tee: 5",
        "pipe to file: 5", 'spliced: 5 "23456"', "tee copy: 5 23456",
        "empty nonblock: -1 Resource temporarily unavailable", "no pipe: -1 Invalid argument",
        "exchange: 0", "one is a directory: 1", 'two: 5 "first"',
        "exchange with nothing: -1 No such file or directory",
        "into a full socket: -1 Resource temporarily unavailable, the pipe keeps 10",
        "once drained: 10, the peer reads 0123456789"]


def test_proc_fd_links_show_the_host_s_memory_devices_and_access_modes(tmp_path):
    """/proc/self/fd/0 given the host's /dev/null reads /dev/null, and each link's mode is
    its descriptor's access, as proc_fd_link makes it."""
    if shutil.which("stat") is None:
        missing("no stat here")
    with open(os.devnull, "rb") as null:
        res = subprocess.run(
            [shutil.which("tblc") or "tblc", "run", "--root", "/", "/bin/sh", "-c",
             "stat -c '%A %N' /proc/self/fd/0; exec 3>>/dev/null; stat -c %A /proc/$$/fd/3"],
            stdin=null, capture_output=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "lr-x------ '/proc/self/fd/0' -> '/dev/null'", "l-wx------"]
    given = tmp_path / "given.txt"
    given.write_text("x\n")
    with open(given, "rb") as f:       # a host file inside the root reads as its path there
        res = subprocess.run([shutil.which("tblc") or "tblc", "run", "--root", "/", "/bin/readlink",
                              "/proc/self/fd/0"], stdin=f, capture_output=True, timeout=60)
    assert res.stdout.decode().strip() == os.path.realpath(given), res.stderr


def test_proc_fd_link_of_a_removed_file_says_deleted(busybox, tmp_path):
    """A descriptor whose file lost its name reads "PATH (deleted)", as d_path writes it
    (programs look for the mark: a temporary file's cleanup, a replaced binary)."""
    root = make_root(tmp_path, {"/bin/busybox": busybox})
    for applet in ("sh", "readlink", "rm"):
        (root / "bin" / applet).symlink_to("busybox")
    (root / "tmp").mkdir()
    res = tblc("run", "--root", root, "/bin/sh", "-c",
               "echo x > /tmp/a; exec 3</tmp/a; readlink /proc/self/fd/3; rm /tmp/a; "
               "readlink /proc/self/fd/3; echo y > /tmp/b; exec 4</tmp/b; readlink /proc/$$/fd/4")
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == ["/tmp/a", "/tmp/a (deleted)", "/tmp/b"]


def test_proc_config_gz_declares_the_kernel_the_machine_is(busybox, tmp_path):
    root = make_root(tmp_path, {"/bin/busybox": busybox})
    for applet in ("sh", "zcat", "grep", "cat"):
        (root / "bin" / applet).symlink_to("busybox")
    res = tblc("run", "--root", root, "/bin/sh", "-c",
               "zcat /proc/config.gz | grep -E 'DNOTIFY|TIME_NS'; cat /proc/filesystems")
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "CONFIG_DNOTIFY=y", "# CONFIG_TIME_NS is not set", "\text4", "nodev\ttmpfs"]


@pytest.mark.parametrize("cc", CCS)
def test_rlimit_nofile_is_what_the_machine_can_honour(toolchain, tmp_path, cc):
    cc, *flags = cc.split()
    root = make_root(tmp_path, {"/prog": toolchain.c("nofile_limit", cc, tuple(flags))})
    res = tblc("run", "--root", root, "--max-fds", "3000", "/prog")
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "soft 1024 hard 3000", "opened 1021", "raise to hard: 0", "opened 1976 more",
        "past nr_open: -1 errno 1"]


@pytest.mark.parametrize("cc", CCS)
def test_proc_pagemap_shows_which_pages_are_present(toolchain, tmp_path, cc):
    assert _run(toolchain, tmp_path, "pagemap", cc) == [
        "present 1 0 1", "exclusive 1 shared-file 1", "misaligned read: -1"]


@pytest.mark.parametrize("cc", CCS)
def test_core_pattern_names_the_core_and_dontdump_or_the_filter_leave_memory_out(toolchain,
                                                                                tmp_path, cc):
    assert _run(toolchain, tmp_path, "core_dontdump", cc) == [
        "filter 00000033", "dontdump: core bit 1 marker 0", "dodump: core bit 1 marker 1",
        "filtered: core bit 1 marker 0"]


@pytest.mark.parametrize("cc", ["gcc", "gcc -m32"])     # musl ships no <linux/fs.h>
def test_immutable_and_append_only_inodes_refuse_changes_even_to_root(toolchain, tmp_path, cc):
    assert _run(toolchain, tmp_path, "inode_flags", cc) == [   # as on a Linux 6.x tmpfs
        "get: 0 flags 0", "set imm 0x10: 0", "set app 0x20: 0", "set app 0x24: -95",
        "immutable: write -1 unlink -1 rename -1 link -1 chmod -1 truncate -1",
        "append-only: append 1 write -1 unlink -1 truncate -1", "set imm 0: 0", "set app 0: 0",
        "cleared: unlink 0 0"]


@pytest.mark.parametrize("cc", ["gcc", "gcc -m32"])   # (musl answers these ENOSYS itself)
def test_scheduling_policies_and_io_priorities_read_back_as_set(toolchain, tmp_path, cc):
    """What Linux answers a root thread with CAP_SYS_NICE (they were ENOSYS: chrt, ionice
    and taskset failed): the host printed the same."""
    assert _run(toolchain, tmp_path, "sched_policies", cc) == [
        "policy: 0 ", "max fifo: 99 ", "min rr: 1 ", "max other: 0 ",
        "max bad: -1 Invalid argument", "other with 5: -1 Invalid argument", "rr 5: 0 ",
        "policy now: 2 ", "getparam: 0 ", "priority 5", "rr interval: 0 ", "slice 100 ms",
        "setparam 7: 0 ", "reset on fork: 0 ", "policy now: 1073741825 ", "child policy: 0",
        "getattr: 0 ", "attr size 56 policy 1 flags 1 priority 7", "setattr batch nice 3: 0 ",
        "policy now: 3 ", "nice 3", "setattr too small: -1 Argument list too long",
        "size now 56", "affinity cpu 0: 0 ", "affinity none: -1 Invalid argument",
        "no such pid: -1 No such process", "ioprio get: 0 ", "ioprio set be 4: 0 ",
        "ioprio get: 16388 ", "ioprio set be 9: 0 ", "ioprio bad which: -1 Invalid argument"]


@pytest.mark.parametrize("cc", ["gcc", "gcc -m32"])   # (musl has no closefrom)
def test_close_range_and_a_rewound_directory_listing(toolchain, tmp_path, cc):
    """close_range was ENOSYS, and glibc's closefrom then looped forever over a listing of
    /proc/self/fd that a rewind did not refresh (tmux hung). The host printed the same."""
    assert _run(toolchain, tmp_path, "close_range", cc) == [
        "open 3-8: 111111", "close 4-6: 0 100011", "cloexec 3-: 0 1 1",
        "backwards: -1 Invalid argument", "bad flag: -1 Invalid argument",
        "unshare 7-: 0 100000", "closefrom 3: 000000",
        "dir: 3, 0 more before the rewind, 4 after",
        "/proc/self/fd after a dup and a rewind: 1 more"]


def test_execve_takes_any_number_of_arguments_within_the_size_limit():
    """Linux bounds execve's strings by their total size (a quarter of the stack) and each
    by MAX_ARG_STRLEN (E2BIG); sysvec stopped at 4096 strings (a glob of more files failed)
    and said ENAMETOOLONG for one long argument. The host printed the same."""
    script = ("/bin/echo $(seq 1 5000) | wc -w; env -i $(seq -f 'V%g=1' 1 5000) /usr/bin/env | wc -l; "
              "big=$(head -c 140000 /dev/zero | tr '\\0' a); /bin/true \"$big\" 2>/dev/null; "
              "echo one long: $?; mid=$(head -c 100000 /dev/zero | tr '\\0' a); "
              "/bin/true \"$mid\" \"$mid\" \"$mid\"; echo three: $?; "
              "/bin/true $(seq -f %0200g 1 11000) 2>/dev/null; echo over 2 MiB: $?")
    host = subprocess.run(["/bin/sh", "-c", script], capture_output=True, timeout=60)
    res = subprocess.run([shutil.which("tblc") or "tblc", "run", "--root", "/", "/bin/sh", "-c",
                          script], capture_output=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().split() == host.stdout.decode().split() == [
        "5000", "5000", "one", "long:", "126", "three:", "0", "over", "2", "MiB:", "126"]


@pytest.mark.parametrize("cc", CCS)
def test_a_fifo_descriptor_stats_as_its_inode_and_socket_files_take_the_umask(toolchain,
                                                                               tmp_path, cc):
    """fstat of an opened FIFO showed an anonymous pipe (GNU tail -f said the FIFO "was
    replaced" and stopped using inotify), and a socket's file lost sysvec's own umask
    too (tmux's socket was 0640, not 0660). The host printed the same."""
    assert _run(toolchain, tmp_path, "node_modes", cc) == [
        "fifo: same inode 1, fstat mode 010640 nlink 1 size 0", "fifo after a write: size 0",
        "fifo unlinked: nlink 0", "socket umask 000: bind 0 mode 0777 sock 1",
        "socket umask 117: bind 0 mode 0660 sock 1", "socket umask 077: bind 0 mode 0700 sock 1"]


def test_procps_vmstat_reads_the_machine_s_counters(tmp_path):
    """/proc/vmstat, /proc/diskstats and /proc/partitions did not exist: procps' vmstat
    ended with "Unable to create vmstat structure"."""
    if shutil.which("vmstat") is None:
        missing("no vmstat here (procps)")
    for args in (["1", "1"], ["-s"], ["-d"], ["-D"]):
        res = subprocess.run([shutil.which("tblc") or "tblc", "run", "--root", "/",
                              shutil.which("vmstat"), *args], capture_output=True, timeout=60)
        assert res.returncode == 0, (args, res.stderr)
        if args == ["-s"]:
            assert b"1048576 K total memory" in res.stdout, res.stdout


@pytest.mark.parametrize("cc", CCS)
def test_ru_maxrss_is_the_peak_of_a_process_and_of_its_children(toolchain, tmp_path, cc):
    """getrusage and wait4 gave ru_maxrss 0 (/usr/bin/time -v: "Maximum resident set size
    (kbytes): 0"); the peak is kept through memory given back. The host printed the same."""
    assert _run(toolchain, tmp_path, "rusage_maxrss", cc) == [
        "self holds 48 MiB: 1", "the peak stays: 1", "child from wait4: 1", "children: 1"]


@pytest.mark.parametrize("cc", CCS)
def test_a_program_learns_the_machine_s_loopback_interface(toolchain, tmp_path, cc):
    """AF_NETLINK was EAFNOSUPPORT, so getifaddrs and if_nameindex failed (node's
    os.networkInterfaces() threw, `ip addr` could not run), and the SIOCGIF* ioctls were
    ENOTTY. The host printed the same for its lo."""
    assert _run(toolchain, tmp_path, "netdev", cc) == [
        "getifaddrs: lo family 17 -/- flags 0x10049",
        "getifaddrs: lo family 2 127.0.0.1/255.0.0.0 flags 0x10049",
        "getifaddrs: lo family 10 ::1/ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff flags 0x10049",
        "if_nameindex: 1 lo", "if_nametoindex(lo) 1, if_indextoname(1) lo",
        "SIOCGIFFLAGS 0 0x49", "SIOCGIFMTU 0 65536", "SIOCGIFADDR 0 127.0.0.1",
        "SIOCGIFNETMASK 0 255.0.0.0", "SIOCGIFHWADDR 0 family 772", "unknown interface -1",
        "SIOCGIFCONF 0 lo listed 1"]


def test_iproute2_lists_the_loopback_and_may_not_change_it():
    if shutil.which("ip") is None:
        missing("no ip here (iproute2)")
    tblc_path = shutil.which("tblc") or "tblc"
    res = subprocess.run([tblc_path, "run", "--root", "/", shutil.which("ip"), "addr"],
                         capture_output=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default "
        "qlen 1000", "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00",
        "    inet 127.0.0.1/8 scope host lo", "       valid_lft forever preferred_lft forever",
        "    inet6 ::1/128 scope host ", "       valid_lft forever preferred_lft forever"]
    res = subprocess.run([tblc_path, "run", "--root", "/", shutil.which("ip"), "link", "set",
                          "lo", "down"], capture_output=True, timeout=60)
    assert res.returncode != 0 and b"Operation not permitted" in res.stderr, res
    res = subprocess.run([tblc_path, "run", "--root", "/", shutil.which("ip"), "-o", "link",
                          "show", "lo"], capture_output=True, timeout=60)   # looked up by name
    assert res.returncode == 0 and res.stdout.startswith(b"1: lo: <LOOPBACK,UP,LOWER_UP>"), res
    res = subprocess.run([tblc_path, "run", "--root", "/", shutil.which("ip"), "link", "show",
                          "dev", "eth9"], capture_output=True, timeout=60)
    assert res.returncode != 0 and b'Device "eth9" does not exist.' in res.stderr, res


@pytest.mark.parametrize("cc", CCS)
def test_pidfds_sigqueue_readahead_and_sync_file_range(toolchain, tmp_path, cc):
    """They were ENOSYS (Go's os/exec and systemd use pidfds; sigqueue carries a value);
    i386's waitid wrote its siginfo in x86-64's layout (no child pid or status). The host
    printed the same."""
    assert _run(toolchain, tmp_path, "pidfd_sigqueue", cc) == [
        "readahead: 0",
        "readahead of a pipe: -1 errno 22",
        "sync_file_range: 0",
        "sync_file_range bad flags: -1 errno 22",
        "sync_file_range of a pipe: -1 errno 29",
        "sigqueue to itself: 0",
        "got SIGRTMIN code -1 value 42 from itself 1",
        "a forged SI_USER to another: -1 errno 1",
        "pidfd_open: 1 close-on-exec 1",
        "poll while it runs: 0",
        "waitid on a non-blocking pidfd: -1 errno 11",
        "pidfd_send_signal SIGTERM: 0",
        "poll once it ended: 1",
        "revents 0x1",
        "waitid(P_PIDFD): 0",
        "child 1 code 2 status 15",
        "pidfd_send_signal after: -1 errno 3",
        "pidfd_open of nobody: -1 errno 3",
        "pidfd_send_signal on a pipe: -1 errno 9",
        "pidfd_getfd: 1",
        "through the copy: x",
        "pidfd_getfd of a closed fd: -1 errno 9",
        "pidfd_send_signal to /proc/PID, signal 0: 0",
        "pidfd_getfd of /proc/PID: -1 errno 9"]


@pytest.mark.parametrize("cc", ["gcc", "gcc -m32"])   # (musl has no linux/capability.h)
def test_prctl_options_as_linux_answers_them(toolchain, tmp_path, cc):
    """prctl returned 0 for any option and did nothing: the parent-death signal never came,
    no subreaper adopted an orphan, keep-caps lost the permitted set at setresuid (setpriv
    failed), and unknown options looked supported. The host printed the same, but for
    no_new_privs, which this host's sandbox refuses to report."""
    assert _run(toolchain, tmp_path, "prctl_options", cc) == [
        "pdeathsig 10: SIGUSR1 when the parent ended", "subreaper 1: the orphan came to us 1",
        "bounding set: CAP_CHOWN 1", "bounding set 64: -1 Invalid argument", "timer slack 50000",
        "no_new_privs 0 then 1", "unknown option: -1 Invalid argument",
        "long name: 0 worker: a-very-", "a name ending at a hole: 0 fifteen-bytes-x",
        "keepcaps 1",
        "after setresuid: permitted kept 1, effective 0", "capget of init: 0"]


def test_stat_shows_a_host_file_s_birth_time(tmp_path):
    """statx's STATX_BTIME from the host's statx (Python's os.stat has no birth time): GNU
    stat printed "-" for Birth where the host printed the date."""
    if shutil.which("stat") is None:
        missing("no stat here")
    made = tmp_path / "made.txt"
    made.write_text("x\n")
    host = subprocess.run(["stat", "-c", "%w", str(made)], capture_output=True, text=True)
    res = subprocess.run([shutil.which("tblc") or "tblc", "run", "--root", "/", "/bin/sh", "-c",
                          f"stat -c %w {made}; stat -L -c %w /dev/stdin < {made}; "
                          f"stat -c %w - < {made}; stat -c %w /proc/self/status"],
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines() == [host.stdout.strip()] * 3 + ["-"]


@pytest.mark.parametrize("cc", CCS)
def test_cpu_clocks_by_id_affinity_of_no_process_and_fsync_of_a_closed_descriptor(toolchain,
                                                                                   tmp_path, cc):
    """What Linux 6.x prints (the machine has one CPU)."""
    assert _run(toolchain, tmp_path, "clock_ids", cc + " -pthread") == [
        "thread clock: 0, ran 1", "process clock: 0", "resolution: 0",
        "child's clock: 0", "reaped child's clock: 22",
        "thread clock of another process: 22", "clock 3 of a process (CPUCLOCK_MAX): 22",
        "affinity of -1: -1 No such process", "affinity: 0 cpu0 1 count 1",
        "fsync closed: -1 Bad file descriptor", "fdatasync closed: -1 Bad file descriptor"]


def test_execveat_runs_a_descriptors_file_and_a_path_beside_a_directory(toolchain, tmp_path):
    """fexecve of a memfd holding a program and of an O_PATH descriptor, execveat relative
    to a directory descriptor, AT_SYMLINK_NOFOLLOW's ELOOP; the name is looked at before the
    flags (ENOENT for an empty one without AT_EMPTY_PATH, then EINVAL)."""
    assert _run(toolchain, tmp_path, "execveat", "gcc") == [
        "with a name on a memfd: Not a directory", "missing: No such file or directory",
        "empty without AT_EMPTY_PATH: No such file or directory",
        "bad flags: Invalid argument", "nofollow on a link: Too many levels of symbolic links",
        "child o_path", "child memfd", "child relative"]


@pytest.mark.parametrize("cc", CCS)
def test_tcp_connect_in_progress_abortive_close_and_a_send_into_a_closed_peer(toolchain,
                                                                             tmp_path, cc):
    """What Linux 6.x prints for TCP on loopback (found by CPython's test_socket)."""
    assert _run(toolchain, tmp_path, "tcp_resets", cc) == [
        "nonblocking connect: EINPROGRESS", "writable 1 so_error 0",
        "connect again: ok", "getpeername after reset: ENOTCONN",
        "recv: 4 DATA", "recv: ECONNRESET", "recv: 0",
        "after the peer's close: recv 0", "send nothing: 0", "send x: 1", "send y: EPIPE",
        "large send: 1", "then: EPIPE"]


@pytest.mark.parametrize("cc", CCS)
def test_a_shared_file_mapping_and_file_io_see_one_page_cache(toolchain, tmp_path, cc):
    """What Linux prints: write() reaches a shared mapping at once, the mapping's stores are
    what read() sees, munmap writes nothing stale back (SQLite with mmap_size lost its
    database), and a truncate cuts the mapping."""
    assert _run(toolchain, tmp_path, "shared_file_coherence", cc) == [
        "mapping after pwrite: pwrite", "mapping after write: write",
        "mapping after pwritev: writev", "pread of a store: stored", "read of a store: stored",
        "another descriptor: stored", "after munmap: pwrite", "cut and grown: [pw] [0]"]


@pytest.mark.parametrize("cc", CCS)
def test_threads_share_the_working_directory_umask_limits_and_timers(toolchain, tmp_path, cc):
    """CLONE_FS's working directory, root and umask, and the process's limits and interval
    timers, as Linux prints them (CPython's http.server test chdir'ed while its server
    thread answered from the old directory)."""
    assert _run(toolchain, tmp_path, "thread_shared_state", cc + " -pthread") == [
        "thread: cwd /tmp/work umask 077 nofile 100/200 timer armed 1 interval 5",
        "main: made in /tmp/work 1 mode 600, then cwd / umask 022"]


@pytest.mark.parametrize("cc", CCS)
def test_proc_files_another_user_may_not_see_into(toolchain, tmp_path, cc):
    """ptrace's READ check over /proc/PID's environ, maps, fd and cwd link, and root-owned
    0400 files once a setuid made the process undumpable, as Linux prints it (a uid-1000
    process read a root process's environment)."""
    assert _run(toolchain, tmp_path, "proc_privacy", cc) == [
        "parent environ EACCES maps EACCES fd EACCES cwd EACCES stat ok",
        "undumpable sibling environ EACCES stat ok",
        "own environ EACCES fd ok",
        "root sees the sibling's environ ok"]


@pytest.mark.parametrize("cc", ["gcc", "musl-gcc"])     # (x86-64 addresses and calls)
def test_wild_buffers_and_bases_are_refused_first(toolchain, tmp_path, cc):
    """What Linux prints (found by a hostile-input sweep: /dev/null took any address)."""
    lines = _run(toolchain, tmp_path, "wild_buffers", cc)
    assert [line.split(":")[1].split()[0] for line in lines] == \
        ["-1", "-1", "-1", "-1", "-1", "-1", "-1"], lines
    errors = [line.split(" -1 ", 1)[1] for line in lines]
    assert errors[:4] == ["Bad address"] * 4 and errors[5] == "Bad address", lines
    assert "socket" in errors[4] and "not permitted" in errors[6], lines


@pytest.mark.parametrize("cc", ["gcc", "musl-gcc"])
def test_fallocate_keeps_size_punches_holes_and_zeroes_ranges(toolchain, tmp_path, cc):
    """What Linux prints on ext4 (the host's file system does the work)."""
    assert _run(toolchain, tmp_path, "fallocate_modes", cc) == [
        "keep size: ok", "size 8192", "punch hole: ok", "punched reads 0",
        "punch without keep size: EOPNOTSUPP", "zero range: ok",
        "zeroed reads 0"]


@pytest.mark.parametrize("cc", CCS)
def test_udp_sockets_hear_the_ip_header_they_ask_for(toolchain, tmp_path, cc):
    """IP_PKTINFO, TTL and TOS, IPv6's packet info, hop limit and class, MSG_CTRUNC, as
    Linux prints them (setsockopt succeeded, but recvmsg gave no cmsg)."""
    assert _run(toolchain, tmp_path, "udp_pktinfo", cc) == [
        "v4: 5 bytes, ctrunc 0: (0,8,12 if 1 dst 127.0.0.1) (0,2,4 64) (0,1,1)",
        "v4 small: 5 bytes, ctrunc 1: (0,8,12 if 1 dst 127.0.0.1)",
        "v6: 2 bytes, ctrunc 0: (41,50,20 if 1 dst ::1) (41,52,4 64) (41,67,4)"]


@pytest.mark.parametrize("cc", CCS)
def test_a_write_only_open_of_a_terminal_does_not_make_it_controlling(toolchain, tmp_path, cc):
    """What Linux prints (a shell's `echo x > /dev/pts/N` took the pty as its controlling
    terminal, and the pty's hangup then killed the shell)."""
    assert _run(toolchain, tmp_path, "pty_ctty", cc) == [
        "write-only open: /dev/tty ENXIO", "read-write open: /dev/tty ok"]


def test_proc_and_dev_links_have_linux_sizes_and_times(busybox, tmp_path):
    """procfs's fd links are 64 bytes and its exe/cwd links 0 (/dev's are their target's
    length); synthetic nodes date from the machine's start, not 1970 (ls -l showed 1970)."""
    root = make_root(tmp_path, {"/bin/busybox": busybox})
    res = tblc("run", "--root", root, "/bin/busybox", "stat", "-c", "%n %s %Y",
               "/proc/self/fd/0", "/proc/self/exe", "/dev/stdin", "/proc")
    assert res.returncode == 0, res.stderr
    lines = [line.split() for line in res.stdout.decode().splitlines()]
    assert [(name, size) for name, size, _ in lines] == [
        ("/proc/self/fd/0", "64"), ("/proc/self/exe", "0"), ("/dev/stdin", "15"), ("/proc", "0")]
    assert all(int(when) > 1_700_000_000 for _, _, when in lines)


@pytest.mark.parametrize("cc", CCS)
def test_munmap_mprotect_and_statx_check_their_arguments_as_linux(toolchain, tmp_path, cc):
    """munmap(0, -4096) unmapped the whole address space (Linux: EINVAL, the range passes
    the user half), mprotect took unknown protection bits, and statx a reserved mask bit.
    The host's own run of the program prints the same lines."""
    lines = [
        "munmap everything -1 22", "munmap past the top -1 22", "munmap wraps -1 22",
        "mprotect all bits -1 22", "mprotect sem 0 0", "mprotect both growths -1 22",
        "mprotect nothing bad bits 0 0", "mprotect wraps -1 12", "still mapped 1 0",
        "statx reserved mask -1 22", "statx unknown flag -1 22",
        "statx both sync types -1 22", "statx fd reserved -1 22", "statx fd sync types -1 22",
        "statx fd ok 0 0"]
    if "-m32" in cc:
        lines.remove("mprotect wraps -1 12")
    assert _run(toolchain, tmp_path, "range_checks", cc) == lines


@pytest.mark.parametrize("cc", ["gcc", "musl-gcc"])
def test_rlimit_as_bounds_what_a_process_may_map(toolchain, tmp_path, cc):
    """setrlimit(RLIMIT_AS) was accepted and ignored (`ulimit -v` then Python's 300 MB
    bytearray succeeded). The host prints the same lines."""
    exe = toolchain.c("rlimit_as", cc)
    res = tblc("run", exe)
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == [
        "setrlimit 0",
        "limited: 300M map failed 1, 100M map failed 0, 300M malloc failed 1",
        "child: 300M map failed 1, 100M map failed 1, 300M malloc failed 1",
        "after exec: 300M map failed 1, 100M map failed 0, 300M malloc failed 1"]


@pytest.mark.parametrize("cc", CCS)
def test_a_sigreturn_with_an_unreadable_fpu_state_dies_of_sigsegv(toolchain, cc):
    """Linux restores the FPU state a returning handler's frame points at; an address it
    cannot read is a bad frame: SIGSEGV, as the host's run of the program ends."""
    cc, *flags = cc.split()
    res = tblc("run", toolchain.c("bad_fpstate", cc, tuple(flags)))
    assert res.returncode == 139 and res.stdout == b"", res


@pytest.mark.parametrize("cc", CCS)
def test_a_handler_finds_and_changes_the_fpu_state_in_its_frame(toolchain, tmp_path, cc):
    """uc_mcontext.fpregs was NULL in sysvec's frames (a handler reading MXCSR or the x87
    control word crashed); on x86-64 what the handler changes there is what the code
    resumes with. The host prints the same lines."""
    assert _run(toolchain, tmp_path, "sig_fpregs", cc) == (
        ["fpregs 1 cwd 0x37f"] if "-m32" in cc else
        ["fpregs 1 cwd 0x37f rounding seen 0x2000 after 0x6000"])


@pytest.mark.parametrize("cc", CCS)
def test_user_extended_attributes_live_on_the_host_files(toolchain, tmp_path, cc):
    """Every xattr call was EOPNOTSUPP (cp -a, rsync -X and Python's xattr tests skipped or
    failed). The host prints the same lines, but for trusted.* and security.*: the host's
    root may set them; a guest may not, whatever its ids (they would reach host privileges)."""
    assert _run(toolchain, tmp_path, "xattrs", cc) == [
        "set 0 0", "get size 5 0", "get 5 [value]", "get small -1 34",        # ERANGE
        "create existing -1 17", "replace missing -1 61", "fset 0 0",      # EEXIST, ENODATA
        "list 14 [user.k] [user.f]", "list size 14 0", "missing -1 61",
        "trusted -1 95", "security -1 95",                                 # EOPNOTSUPP
        "bare user. -1 22", "empty name -1 34", "long name -1 34", "bad flags -1 22",
        "bad flags missing file -1 22", "missing file -1 2",
        "lset on link -1 1", "lget on link -1 61", "get through link 5 0", "llist on link 0 0",
        "remove 0 0", "remove again -1 61", "pipe -1 1", "proc -1 95"]


@pytest.mark.parametrize("cc", CCS)
def test_sigsuspend_with_a_signal_already_pending(toolchain, tmp_path, cc):
    """zsh hung on `echo x | true`: a SIGCHLD pending when sigsuspend let it through was
    handled with the temporary mask left in force, and the next sigsuspend ignored its mask
    and waited forever. The host prints the same lines."""
    assert _run(toolchain, tmp_path, "sigsuspend_pending", cc) == [
        "1st sigsuspend=-1 got=1 SIGCHLD still blocked after return: yes",
        "2nd sigsuspend=-1 got=2"]


def test_i386_64_bit_time_calls(toolchain, tmp_path):
    """utimensat_time64 and futex_time64 were ENOSYS: glibc's touch -d 2050 and cp -p of a
    file dated past 2038 then failed with EOVERFLOW. The host prints the same lines."""
    assert _run(toolchain, tmp_path, "time64_calls", "gcc -m32") == [
        "utimensat_time64 0, stat says overflow", "mtime 2524608000.500",
        "futex_time64 -1 ETIMEDOUT"]


@pytest.mark.parametrize("cc", CCS)
def test_proc_self_auxv_is_the_vector_exec_gave(toolchain, tmp_path, cc):
    """/proc/self/auxv did not exist (ENOENT). The host prints the same line."""
    assert _run(toolchain, tmp_path, "proc_auxv", cc) == [
        "auxv open 1 pagesz 1 ends with AT_NULL 1 matches getauxval 1"]


@pytest.mark.parametrize("cc", CCS)
def test_shmctl_answers_what_ipcs_asks(toolchain, tmp_path, cc):
    """shmctl's SHM_INFO was EINVAL and SHM_STAT took an id, not an index: ipcs -m listed
    nothing and ipcrm -a stopped with "kernel not configured for shared memory"."""
    assert _run(toolchain, tmp_path, "shm_info", cc) == [
        "ipc_info 1 shmmax ok 1 shmmni 4096", "shm_info 1 used 2 pages 4", "found by index 2",
        "after removal 1"]


@pytest.mark.parametrize("cc", CCS)
def test_select_writes_back_the_time_it_had_left(toolchain, tmp_path, cc):
    """glibc passes the caller's timeval to the system call (the time left comes back);
    musl passes a copy (it does not): the host's output is the reference."""
    name, *flags = cc.split()
    host = subprocess.run([str(toolchain.c("select_left", name, tuple(flags)))],
                          capture_output=True, timeout=60)
    assert host.returncode == 0, host.stderr
    assert _run(toolchain, tmp_path, "select_left", cc) == host.stdout.decode().splitlines()


@pytest.mark.parametrize("cc", CCS)
def test_socket_timeouts_bound_read_readv_and_write(toolchain, tmp_path, cc):
    """Perl's sysread and OpenSSL's socket BIO read with read(2) after SO_RCVTIMEO."""
    assert _run(toolchain, tmp_path, "sock_timeouts", cc) == [
        "read: -1 Resource temporarily unavailable, waited 1",
        "readv: -1 Resource temporarily unavailable, waited 1",
        "write to a full socket: -1 Resource temporarily unavailable, waited 1",
        "data still comes: 2"]


@pytest.mark.parametrize("cc", CCS)
def test_a_directory_stream_lists_the_directory_when_read(toolchain, tmp_path, cc):
    assert _run(toolchain, tmp_path, "dir_listing", cc) == [
        "made after opendir, seen: 1", "made after rewinddir, seen: 1",
        "write to a directory: -1 Bad file descriptor"]


@pytest.mark.parametrize("cc", CCS)
def test_statfs_names_proc_devpts_and_tmpfs(toolchain, tmp_path, cc):
    """`stat -f`, df and container probes read f_type: /proc is proc, /dev tmpfs."""
    assert _run(toolchain, tmp_path, "statfs_types", cc) == [
        "/proc: 0 type 0x9fa0", "/proc/self/status: 0 type 0x9fa0", "/dev: 0 type 0x1021994",
        "/dev/pts: 0 type 0x1cd1", "/dev/null: 0 type 0x1021994",
        "fstatfs /proc/self/status: type 0x9fa0 blocks 0"]


@pytest.mark.parametrize("cc", CCS)
def test_a_robust_mutex_held_by_a_dead_owner_is_eownerdead(toolchain, tmp_path, cc):
    assert _run(toolchain, tmp_path, "robust_mutex", cc) == [
        "process died holding it: EOWNERDEAD", "made consistent: 0, unlock 0, lock again 0",
        "thread died holding it: EOWNERDEAD"]


@pytest.mark.parametrize("cc", CCS)
def test_shm_nattch_counts_attaches_across_fork_exit_and_munmap(toolchain, tmp_path, cc):
    """ipcs and PostgreSQL's in-use check read shm_nattch; a segment removed while attached
    is freed with its last attach."""
    assert _run(toolchain, tmp_path, "shm_attach_count", cc) == [
        "attached: 1", "in a forked child: 2, after it exited: 1",
        "a file of its name: 1, shmdt of it -1 Invalid argument", "attached twice: 2",
        "one unmapped: 1", "child attached and exited: 1, wrote child",
        "attach over a mapping: EINVAL, kept mine", "with SHM_REMAP: 1, sees child",
        "removed while attached: 1", "after the last detach: gone"]


@pytest.mark.parametrize("cc", CCS)
def test_pollhup_only_when_both_directions_are_shut(toolchain, tmp_path, cc):
    """A TCP peer's close leaves this side writable; event loops that close on POLLHUP
    dropped the reply they still had to send."""
    assert _run(toolchain, tmp_path, "poll_hangup", cc) == [
        "tcp peer shut writing: 0x2005", "tcp peer closed: 0x2005", "unix peer closed: 0x2015"]


@pytest.mark.parametrize("cc", CCS)
def test_sigbus_names_the_byte_and_f_setsig_the_descriptor(toolchain, tmp_path, cc):
    assert _run(toolchain, tmp_path, "signal_details", cc) == [
        "SIGBUS at offset 4106, code 2", "F_SETSIG: signal 12, fd is ours 1, band 0x41, code 1"]


@pytest.mark.parametrize("cc", CCS)
def test_proc_cmdline_shows_a_title_written_over_the_arguments(toolchain, tmp_path, cc):
    """ps and pgrep -f showed postgres's, nginx's and perl's processes by the arguments they
    started with, not the titles they wrote over them."""
    assert _run(toolchain, tmp_path, "proc_title", cc, "one", "two") == [
        "as started: [/prog|one|two|]", "a title inside: [worker: idle||]",
        "a title into the environment: [master process: a title longer than the arguments], "
        "up to its NUL 1"]


@pytest.mark.parametrize("cc", CCS)
def test_processors_are_counted_from_sysfs_as_one(toolchain, tmp_path, cc):
    """/sys/devices/system/cpu did not exist: stress-ng said "no CPUs found", and glibc's
    configured count fell back to /proc/stat."""
    assert _run(toolchain, tmp_path, "cpu_count", cc) == [
        "configured 1, online 1", "sysfs online: 0"]


@pytest.mark.parametrize("cc", CCS)
def test_memfd_seals_forbid_what_they_name(toolchain, tmp_path, cc):
    """F_ADD_SEALS/F_GET_SEALS were EINVAL (stress-ng's seal stressor, Wayland clients)."""
    name, *flags = cc.split()
    host = subprocess.run([str(toolchain.c("memfd_seals", name, tuple(flags)))],
                          capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
    assert host.returncode == 0, host.stderr
    res = tblc("run", "--root", make_root(tmp_path, {"/prog": toolchain.c("memfd_seals", name,
                                                                            tuple(flags))}),
               "/prog", input=b"")
    assert res.returncode == 0, res.stderr
    assert res.stdout == host.stdout


@pytest.mark.parametrize("cc", CCS)
def test_epoll_refuses_cycles_and_deep_nesting(toolchain, tmp_path, cc):
    """stress-ng's epoll stressor expected ELOOP for a cycle and got 0."""
    name, *flags = cc.split()
    host = subprocess.run([str(toolchain.c("epoll_nesting", name, tuple(flags)))],
                          capture_output=True, timeout=60)
    assert host.returncode == 0, host.stderr
    assert _run(toolchain, tmp_path, "epoll_nesting", cc) == host.stdout.decode().splitlines()


@pytest.mark.parametrize("cc", CCS)
def test_an_open_with_no_free_descriptor_creates_nothing(toolchain, tmp_path, cc):
    """stress-ng's timerfd stressor could not remove its directory: the failed creates had
    made files."""
    assert _run(toolchain, tmp_path, "emfile_create", cc) == [
        "open(O_CREAT) with no free descriptor: -1 EMFILE, made the file: 0"]


@pytest.mark.parametrize("cc", CCS)
def test_priority_inheritance_mutexes(toolchain, tmp_path, cc):
    """glibc and musl PTHREAD_PRIO_INHERIT mutexes run on FUTEX_LOCK_PI/UNLOCK_PI (init
    failed with EOPNOTSUPP while the kernel said ENOSYS)."""
    assert _run(toolchain, tmp_path, "pi_mutex", cc) == [
        "protocol: 0", "init: 0", "counter: 3000", "timed lock while held: ETIMEDOUT 1",
        "trylock while held: EBUSY 1", "robust PI after the owner died: EOWNERDEAD",
        "waiter after the owner ended: 0, owner died 1, mine 1",
        "lock of a gone owner's word: -1 No such process"]


@pytest.mark.parametrize("cc", CCS)
def test_an_unprivileged_write_removes_set_id_bits(toolchain, tmp_path, cc):
    assert _run(toolchain, tmp_path, "setid_write", cc) == [
        "after a user's write: 0777", "setgid with group execute, after a user's truncate: 0777",
        "setgid without group execute, after a user's write: 2767",
        "after a user's truncate by path: 0777", "after a user's fallocate: 0777",
        "after root's write: 4777"]


@pytest.mark.parametrize("cc", CCS)
def test_the_cwd_and_open_names_follow_a_rename(toolchain, tmp_path, cc):
    """`mkdir a; cd a; mv ../a ../b; touch x` failed with ENOENT: the cwd was a name."""
    assert _run(toolchain, tmp_path, "cwd_rename", cc) == [
        "relative open: 1, getcwd /tmp/cwd_b, in cwd_b 1",
        "old name made again: second in cwd_b 1, in the new cwd_a 0",
        "openat: 1, in dir_d 1, open file now /tmp/dir_d/inside"]


@pytest.mark.parametrize("cc", CCS)
def test_statm_and_the_resident_size(toolchain, tmp_path, cc):
    """htop listed no process without /proc/PID/statm; ps showed RSS equal to VSZ."""
    assert _run(toolchain, tmp_path, "statm", cc) == [
        "statm fields ok 1",
        "mapping 8 MiB: size grew by about 2048 pages 1, resident about the same 1",
        "touching 4 MiB: resident grew by about 1024 pages 1"]


@pytest.mark.parametrize("cc", CCS)
def test_socket_queue_truncation_waitall_and_outq(toolchain, tmp_path, cc):
    assert _run(toolchain, tmp_path, "socket_queues", cc) == [
        "seqpacket MSG_TRUNC: 6", "WAITALL|DONTWAIT: 5", "WAITALL on O_NONBLOCK: 5",
        "WAITALL ended by a signal: 5", "tcp SIOCOUTQ 0 0, SIOCATMARK 0 0"]


@pytest.mark.parametrize("cc", CCS)
def test_dev_full_fails_every_write_with_enospc_and_reads_zeros(toolchain, tmp_path, cc):
    """/dev/full did not exist: `echo x > /dev/full` succeeded, and in a root with a /dev
    directory the shell's O_CREAT made a regular file there on the host."""
    (tmp_path / "root" / "dev").mkdir(parents=True)
    assert _run(toolchain, tmp_path, "dev_full", cc) == [
        "stat: 0 chr 1 1:7", "O_CREAT open 1, write: -1 ENOSPC", "pwrite: -1 ENOSPC",
        "writev: -1 ENOSPC", "empty write: -1 ENOSPC", "read: 64, all zero 1, lseek 0",
        "fflush: -1 ENOSPC"]
    assert not (tmp_path / "root" / "dev" / "full").exists()


@pytest.mark.parametrize("cc", CCS)
def test_a_synthesised_file_has_one_inode_number_for_stat_and_its_opens(toolchain, tmp_path, cc):
    """`cp /proc/cpuinfo x` said "skipping file, as it was replaced while being copied": each
    open of a /proc, /sys or synthesised /etc file had a fresh inode number, unlike its stat."""
    files = ["/proc/cpuinfo", "/proc/meminfo", "/proc/self/status", "/proc/sys/kernel/hostname",
             "/proc/sys/kernel/hostname (read-write)", "/sys/devices/system/cpu/online",
             "/etc/hostname"]
    assert _run(toolchain, tmp_path, "synthetic_inodes", cc) == [
        f"{f}: stat and fstat agree 1, two opens agree 1" for f in files]


@pytest.mark.parametrize("cc", CCS)
def test_a_process_names_its_threads_through_proc_comm(toolchain, tmp_path, cc):
    """pthread_setname_np of another thread failed EACCES: /proc/PID/comm and
    /proc/PID/task/TID/comm were read-only."""
    assert _run(toolchain, tmp_path, "proc_comm", cc) == [
        "setname of another thread: 0, getname worker-1", "the thread's comm: worker-1\\n",
        "the process's comm: prog\\n", "write a line: written", "comm: abc\\n\\n",
        "write 20 bytes: written", "comm: 0123456789abcde\\n",
        "another process writes it: write EINVAL", "another user writes it: open EACCES",
        "comm after: 0123456789abcde\\n"]


@pytest.mark.parametrize("cc", CCS)
def test_mremap_and_shmat_are_bounded_by_max_map_count(toolchain, tmp_path, cc):
    """mremap moves that cut mappings and shmat attaches were never refused: a guest made
    the host hold hundreds of thousands of mapping records (vm.max_map_count bounded mmap
    only)."""
    assert _run(toolchain, tmp_path, "map_count", cc, "1000") == [
        f"{call}: stopped by ENOMEM 1, after more than 500 1, mappings near the limit 1"
        for call in ("mremap MREMAP_FIXED", "mremap MREMAP_MAYMOVE", "shmat")]


@pytest.mark.parametrize("cc", CCS)
def test_a_newline_in_a_mapped_files_name_is_escaped_in_maps(toolchain, tmp_path, cc):
    """/proc/PID/maps printed a mapped file's name raw: a newline in it forged a mapping
    line."""
    assert _run(toolchain, tmp_path, "maps_newline", cc) == [
        f"/proc/self/{f}: lines naming the file with \\012: 1, forged lines: 0"
        for f in ("maps", "smaps")]


@pytest.mark.parametrize("cc", CCS)
def test_map_noreserve_memory_is_not_charged(toolchain, tmp_path, cc):
    """SBCL could not start: its 1 GiB MAP_NORESERVE heap was charged in full against the
    per-process limit (Linux never charges VM_NORESERVE mappings)."""
    assert _run(toolchain, tmp_path, "map_noreserve", cc) == [
        "1 GiB rwx: ok", "first and last page written: 1 2", "another 1 GiB rw: ok",
        "mprotect none and back: ok ok", "MADV_DONTNEED: ok, reads 0", "1 GiB none made rw: ok",
        "its last page: 4"]


@pytest.mark.parametrize("cc", CCS)
def test_ficlone_on_a_file_system_without_reflinks_is_eopnotsupp(toolchain, tmp_path, cc):
    """`cp --reflink=always` said "Inappropriate ioctl for device": FICLONE was ENOTTY, and
    copy libraries fall back only on EOPNOTSUPP, EXDEV or EINVAL."""
    assert _run(toolchain, tmp_path, "ficlone", cc) == [
        "FICLONE: EOPNOTSUPP", "FICLONERANGE: EOPNOTSUPP", "FICLONERANGE of a bad pointer: EFAULT",
        "a source descriptor not open: EBADF", "from another file system (/proc): EXDEV",
        "from a directory: EISDIR", "from a write-only descriptor: EBADF",
        "into a read-only descriptor: EBADF", "into an appending descriptor: EBADF"]


@pytest.mark.parametrize("cc", CCS)
def test_proc_limits_oom_score_and_personality(toolchain, tmp_path, cc):
    """choom said "failed to read OOM score value" and `cat /proc/self/limits` failed:
    /proc/PID/limits, oom_score, oom_score_adj, oom_adj and personality did not exist; and
    coredump_filter read "33" as hex and only root could write it."""
    assert _run(toolchain, tmp_path, "proc_oom_limits", cc) == [
        "limits header: [Limit                     Soft Limit           Hard Limit           "
        "Units     ]",
        "limits: 16 lines, 16 agree with getrlimit",
        "core after setrlimit: [Max core file size        4096                 8192         ]",
        "oom_score_adj: 0", "oom_score in 0..2000: 1", "write 500: ok, reads 500",
        "oom_score rose: 1", "write 1001: EINVAL, write abc: EINVAL, write 0x10: ok, reads 16",
        "root writes -1000: ok, oom_score 0", "oom_adj: -17",
        "oom_adj 15: ok, oom_score_adj 1000", "oom_adj -8: ok, oom_score_adj -470",
        "oom_adj -17: ok, 16: EINVAL, oom_adj -17",
        "root writes -500: ok", "the child inherits -500",
        "a user lowers it under root's: EACCES, raises it: ok, back to root's: ok",
        "a user writes root's process's: open EACCES",
        "a user writes its own coredump_filter: ok", "personality: 00000000",
        "after ADDR_NO_RANDOMIZE: 00040000",
        "coredump_filter 33: ok, reads 00000021", "coredump_filter 010: ok, reads 00000008",
        "coredump_filter 0x1ff3: ok, reads 000001f3",
        "coredump_filter -1: EINVAL, reads 000001f3", "coredump_filter 0x: EINVAL, reads 000001f3",
        "coredump_filter 4294967296: ERANGE, reads 000001f3"]


@pytest.mark.parametrize("cc", ["gcc", "gcc -m32"])     # musl has no <linux/aio_abi.h>
def test_native_aio_and_vmsplice(toolchain, tmp_path, cc):
    """io_setup/io_submit/io_getevents/io_destroy were ENOSYS (fio's libaio engine and
    MariaDB's InnoDB fell back or failed): a ring whose header libaio reads, a write, a
    read and an fdatasync reaped with their results, an eventfd told, EBADF, a timeout with
    nothing left, a second destroy EINVAL; vmsplice into and out of a pipe (the host's
    output, line for line)."""
    assert _run(toolchain, tmp_path, "aio_native", cc) == [
        "setup 0 magic 1 empty 1", "setup over a context -1 22",
        "submitted 3 eventfd 1 pending 1",
        "reaped 3: [1 12 1] [2 5 1] [3 0 1] read [ynchr] empty 1",
        "bad fd -1 9", "timeout 0", "destroy 0 again -1 22",
        "vmsplice 8 8 [vmsplice] empty -1 11 file -1 9"]


@pytest.mark.parametrize("cc", ["gcc", "gcc -m32"])     # musl has no <linux/aio_abi.h>
def test_aio_waits_end_as_linux_ends_them(toolchain, tmp_path, cc):
    """io_destroy by another thread wakes a waiter with EINVAL (the wake-up read the
    unmapped ring: an internal error ended the whole machine, and MariaDB's install with
    it); an io_getevents a signal interrupted leaves no deadline for the next one."""
    assert _run(toolchain, tmp_path, "aio_waits", cc) == [
        "destroy 0, waiter -1 Invalid argument", "interrupted: -1 Interrupted system call",
        "next wait: 0, its own half second: yes"]


@pytest.mark.parametrize("cc", CCS)
def test_sa_restart_returns_a_partial_write_and_never_restarts_a_timed_socket_wait(
        toolchain, tmp_path, cc):
    """A pipe write that moved half its bytes returns them, not the whole count after a
    restart; recv/read with SO_RCVTIMEO end with EINTR; a wait with no timeout is restarted
    (the host's lines)."""
    cc_name, *flags = cc.split()
    exe = toolchain.c("restart_rules", cc_name, tuple(flags))
    host = subprocess.run([str(exe)], capture_output=True, timeout=60).stdout.decode()
    assert _run(toolchain, tmp_path, "restart_rules", cc) == host.splitlines()
    assert "pipe write of 8192 into 4096: 4096" in host


@pytest.mark.parametrize("cc", ["gcc"])     # musl lacks FALLOC_FL_COLLAPSE_RANGE and kin
def test_io_argument_checks_match_the_host(toolchain, tmp_path, cc):
    """copy_file_range, sendfile, splice, tee, fallocate, lseek, posix_fadvise: 44 edge
    cases, the host's results line for line (sendfile to an O_APPEND file is EINVAL, advice
    99 is EINVAL)."""
    exe = toolchain.c("io_arg_checks", cc)
    work = tmp_path / "host"
    work.mkdir()
    host = subprocess.run([str(exe)], capture_output=True, cwd=work, timeout=60).stdout
    assert b"sendfile(ap, a, &o1, 4)" in host
    assert _run(toolchain, tmp_path, "io_arg_checks", cc) == host.decode().splitlines()


@pytest.mark.parametrize("cc", CCS)
def test_a_periodic_timer_started_in_the_past_counts_every_interval_since(toolchain, tmp_path,
                                                                          cc):
    """timerfd's read gave 1 expiration for an absolute start a second past (Linux: every
    interval since, ~1000 of 1 ms), and a POSIX timer's signal no overruns."""
    assert _run(toolchain, tmp_path, "timer_past_start", cc) == [
        "timerfd: read 8, about a thousand expirations 1",
        "posix timer: signal 1, about a thousand overruns 1"]


@pytest.mark.parametrize("cc", CCS)
def test_the_old_getdents_lists_a_directory(toolchain, tmp_path, cc):
    """getdents (78 on x86-64, 141 on i386) was ENOSYS: static programs of old C libraries
    (and LeakSanitizer's thread lister) read directories with it. The host prints the same."""
    assert _run(toolchain, tmp_path, "old_getdents", cc) == [
        "8-byte buffer: -1 EINVAL", ". dir", ".. dir", "file-a file", "file-b file",
        "folder dir", "link link", "end 0, records aligned 1"]


def test_i386_old_signal_calls_and_exec_flushing_kept_actions(toolchain, tmp_path):
    """An i386 program run from a 64-bit parent: exec keeps an ignored action but flushes its
    flags, mask and restorer (the parent's 64-bit restorer made the old sigaction's query
    fail inside); sigpending, sigsuspend, signal, sgetmask and ssetmask exist (klibc's shell
    spun on sigsuspend's ENOSYS); the old sigprocmask sets the first word only, as the host."""
    child = toolchain.c("old_signals32", cc="gcc", flags=("-m32",))
    parent = toolchain.c("exec_with_actions", cc="gcc")
    host = subprocess.run([str(parent), str(child)], capture_output=True, timeout=60).stdout
    root = make_root(tmp_path, {"/parent": parent, "/child": child})
    res = tblc("run", "--root", root, "/parent", "/child")
    assert res.returncode == 0, res.stderr
    assert res.stdout == host and b"sigsuspend: -1 errno 4 caught 14" in host, res.stdout


@pytest.mark.parametrize("cc", CCS)
def test_uname_says_x86_64_to_32_bit_programs_too_until_linux32(toolchain, tmp_path, cc):
    """A 64-bit kernel names its machine x86_64 to an i386 program as well (sysvec said
    i686); only PER_LINUX32 makes it i686."""
    assert _run(toolchain, tmp_path, "uname_machine", cc) == ["x86_64", "i686"]


@pytest.mark.parametrize("cc", CCS)
def test_adjtimex_answers_a_query_as_an_unsynchronised_clock(toolchain, tmp_path, cc):
    assert _run(toolchain, tmp_path, "adjtimex_query", cc) == [
        "adjtimex 5 status 0x40 maxerror 16000000 esterror 16000000 constant 2 precision 1 "
        "tolerance 32768000 tick 10000, time set 1", "set the frequency -1 errno 1",
        "CLOCK_MONOTONIC -1 errno 95", "CLOCK_REALTIME 5 status 0x40", "clock 99 -1 errno 22"]


@pytest.mark.parametrize("cc", CCS)
def test_readdir_gives_dot_dot_its_parents_inode(toolchain, tmp_path, cc):
    """`..` had the directory's own inode (find and du that compare them saw a loop)."""
    assert sorted(_run(toolchain, tmp_path, "dotdot_inodes", cc)) == sorted([
        "/ .: self 1 parent 1", "/ ..: self 1 parent 1",
        "/tmp/sub .: self 1 parent 0", "/tmp/sub ..: self 0 parent 1"])


@pytest.mark.parametrize("cc", CCS)
def test_the_machines_root_names_it_with_sethostname(toolchain, tmp_path, cc):
    """hostname NAME said "you must be root" to root (sethostname was EPERM for everyone)."""
    assert _run(toolchain, tmp_path, "uts_names", cc) == [
        "set 0 0", "uname box example.org, proc box", "too long -1 errno 22",
        "as a user -1 errno 1"]


@pytest.mark.parametrize("mode", [0o755, 0o1777])
def test_dev_shm_is_everyones_whatever_the_root_has_there(toolchain, tmp_path, mode):
    """A root built by mmdebstrap has a 0755 /dev/shm: a user's shm_open (Python's
    multiprocessing.Lock) failed with EACCES. Linux mounts a 1777 tmpfs there; a root
    whose /dev/shm is 1777 already keeps its own."""
    root = make_root(tmp_path, {"/prog": toolchain.c("shm_as_user")})
    (root / "tmp").mkdir(mode=0o1777, exist_ok=True)
    (root / "tmp").chmod(0o1777)
    (root / "dev" / "shm").mkdir(parents=True)
    (root / "dev" / "shm").chmod(mode)
    res = tblc("run", "--root", root, "/prog")
    assert res.stdout == b"shm_open as a user: ok\nshm_unlink 0\n", res


@pytest.mark.parametrize("cc", CCS)
def test_credentials_come_before_descriptors_in_a_received_message(toolchain, tmp_path, cc):
    """recvmsg gave SCM_RIGHTS before SCM_CREDENTIALS; Linux's scm_recv puts the
    credentials first (a Debian sweep's probe, both widths)."""
    assert _run(toolchain, tmp_path, "cmsg_creds_first", cc) == [
        "SCM_CREDENTIALS", "SCM_RIGHTS"]


@pytest.mark.parametrize("cc", CCS)
def test_sigxfsz_comes_from_the_writer_as_send_sig_sends_it(toolchain, tmp_path, cc):
    """A write past RLIMIT_FSIZE raised SIGXFSZ with si_code SI_KERNEL; Linux's send_sig
    gives SI_USER with the writer's own pid."""
    assert _run(toolchain, tmp_path, "xfsz_info", cc) == [
        "write -1 EFBIG, SIGXFSZ code 0 from itself 1"]


@pytest.mark.parametrize("cc", CCS)
def test_a_stopped_job_orphaned_by_its_parents_exit_gets_sighup_and_sigcont(toolchain, tmp_path,
                                                                           cc):
    """The grandchild stayed stopped until the run ended in "deadlock"; Linux's
    kill_orphaned_pgrp sends a stopped orphaned group SIGHUP then SIGCONT. Both pending at
    once, each gets its frame before the process runs, SIGCONT's on top of SIGHUP's, so its
    handler runs first, as the host prints (one frame at a time ran SIGHUP's first)."""
    assert _run(toolchain, tmp_path, "orphaned_group", cc) == [
        "child: grandchild stopped 1", "grandchild got SIGCONT", "grandchild got SIGHUP",
        "grandchild goes on"]


@pytest.mark.parametrize("cc", CCS)
def test_rlimit_nproc_holds_a_user_to_its_process_count(toolchain, tmp_path, cc):
    """RLIMIT_NPROC was never checked: a user at its limit forked on (Python's
    resource/setuid/fork probe printed "forked" where Linux raises EAGAIN). The host, as
    root, prints the same lines."""
    assert _run(toolchain, tmp_path, "nproc_limit", cc) == [
        "root forks past the limit: 1", "user: first 1, second 0 EAGAIN", "after one exits: 1"]


POSIX_MQUEUE_LINES = """\
default flags 0 maxmsg 10 msgsize 8192 curmsgs 0
fstat regular 1 mode 644 cloexec 1
reopen cloexec 1
created flags 0 maxmsg 4 msgsize 64 curmsgs 0
excl again: EEXIST
missing: ENOENT
slash inside: EACCES
empty: ENOENT
256 long: ENAMETOOLONG
accmode 3 existing: EINVAL
maxmsg 0: EINVAL
msgsize -1: EINVAL
maxmsg 65537: EINVAL
unlink missing: ENOENT
full flags 0 maxmsg 4 msgsize 64 curmsgs 4
read 60: QSIZE:15         NOTIFY:0     SIGNO:0     NOTIFY_PID:0     
poll full 1 revents 0x1
setattr old flags 0
nonblocking flags 2048 maxmsg 4 msgsize 64 curmsgs 4
send full: EAGAIN
too big: EMSGSIZE
prio 32768: EINVAL
small buffer: EMSGSIZE
got high prio 5
got high2 prio 5
got mid prio 3
got low prio 1
empty: EAGAIN
poll empty 1 revents 0x4
setattr other flag: EINVAL
timed receive: ETIMEDOUT after >= 90 ms 1
bad timeout: EINVAL
past timeout, a message: ok
interrupted: EINTR
restarted: ETIMEDOUT
woken by wake prio 2
notify: ok
notify again: EBUSY
child notify: EBUSY
signal 10 code -3 from child 1 value 42
notify after it fired: ok
remove: ok
remove none: ok
none: ok
after closing another descriptor: ok
notify kind 99: EINVAL
signal 65: EINVAL
notify on stdin: EBADF
getattr on stdin: EBADF
getattr on 99: EBADF
receive on O_WRONLY: EBADF
send on O_RDONLY: EBADF
user opens 0600: EACCES
user unlinks root's: EACCES
user past msg_max: EINVAL
user past msgsize_max: EINVAL
user's queue 9: EMFILE
user's own mode 644
user unlinks own: ok
unlink: ok
open after unlink: ENOENT
fresh flags 0 maxmsg 10 msgsize 8192 curmsgs 0
old queue still has kept""".splitlines()


@pytest.mark.parametrize("cc", CCS)
def test_posix_message_queues_order_block_notify_and_fail_as_linux(toolchain, tmp_path, cc):
    """mq_open and the rest were ENOSYS. The lines are what the host (Linux 6.18, root
    without CAP_SYS_RESOURCE) prints for tests/programs/posix_mqueue.c: priorities, the
    non-blocking, timed and interrupted waits, a notification by a child's send, poll,
    the attributes, the limits and modes a user meets, and a queue outliving its name."""
    assert _run(toolchain, tmp_path, "posix_mqueue", cc) == POSIX_MQUEUE_LINES


@pytest.mark.parametrize("cc", CCS)
def test_openat2_checks_open_how_and_walks_as_its_resolve_flags_say(toolchain, tmp_path, cc):
    """openat2 was ENOSYS. struct open_how's checks (EINVAL, E2BIG) and RESOLVE_BENEATH,
    IN_ROOT, NO_SYMLINKS and NO_MAGICLINKS, each line as the host prints it."""
    assert _run(toolchain, tmp_path, "openat2", cc) == [
        "plain: ok inside", "beneath f: ok inside", "beneath ..: EXDEV ",
        "beneath absolute: EXDEV ", "beneath absolute link: EXDEV ", "beneath link up: EXDEV ",
        "beneath relative link: ok inside", "in root absolute: ok inside",
        "in root ..: ok inside", "in root link up: ENOENT ", "no symlinks: ELOOP ",
        "no magic links: ELOOP ", "create beneath: ok ", "mode without O_CREAT: EINVAL ",
        "unknown resolve bit: EINVAL ", "both roots: EINVAL ", "short struct: EINVAL ",
        "long struct, tail set: E2BIG ", "unknown open flag: EINVAL "]


PROCESS_VM = [  # what the program prints on Linux 6.x (as root)
    "readv 2 remote into 3 local: 30 ok", "  got: hello fr|om the child's m|emory",
    "readv across two pages: 12 ok", "  got: edgeread-onl",
    "readv into a hole: 8 ok", "readv of a hole: -1 Bad address",
    "writev 2 local into 1 remote: 10 ok", "writev into a read-only page: -1 Bad address",
    "writev across into read-only: 2 ok", "readv into a bad local buffer: -1 Bad address",
    "flags 1: -1 Invalid argument", "empty local vector, no such pid: 0 ok",
    "no such pid: -1 No such process", "bad remote vector: -1 Bad address",
    "too many iovecs: -1 Invalid argument", "child sees: HELLO FROM the child's memory",
    "uid 1000 reads root's process: -1 Operation not permitted"]


@pytest.mark.parametrize("cc", CCS)
def test_process_vm_readv_and_writev_copy_between_processes(toolchain, tmp_path, cc):
    """process_vm_readv/writev were ENOSYS (strace reads a tracee's strings with them, py-spy
    and crash reporters a process's memory): copies page by page with the count of what
    moved, EFAULT when nothing did, no write through a read-only page, ptrace's EPERM."""
    assert _run(toolchain, tmp_path, "process_vm", cc) == PROCESS_VM
