"""/proc for guests: /proc/self and /proc/<pid> of every live process (exe, cwd, root, fd/,
maps, cmdline, comm, stat, status), and the machine-wide files tools read (meminfo, mounts,
uptime, loadavg). Nodes are synthesised on lookup; nothing here touches the host's /proc."""
from __future__ import annotations

import errno
import os
import stat as S
import time
from typing import NamedTuple

from . import perm
from .abi_structs import DT_DIR, DT_LNK, DT_REG
from .errors import Fault, KernelError
from .files import SYNTHETIC_DEV, PositionedFile, synthetic_ino, synthetic_stat
from .mm import PROT_EXEC, PROT_WRITE
from .mm import PAGE
from .pcb import BOOT, PCB
from .vfs import O_CLOEXEC

PER_PROCESS = {"exe": DT_LNK, "cwd": DT_LNK, "root": DT_LNK, "fd": DT_DIR, "fdinfo": DT_DIR,
               "maps": DT_REG, "smaps": DT_REG, "smaps_rollup": DT_REG,
               "pagemap": DT_REG, "mem": DT_REG, "coredump_filter": DT_REG,
               "cmdline": DT_REG, "comm": DT_REG, "stat": DT_REG, "statm": DT_REG,
               "status": DT_REG,
               "mounts": DT_REG, "mountinfo": DT_REG, "environ": DT_REG, "task": DT_DIR,
               "net": DT_DIR, "auxv": DT_REG, "limits": DT_REG, "oom_score": DT_REG,
               "oom_score_adj": DT_REG, "oom_adj": DT_REG, "personality": DT_REG,
               "wchan": DT_REG}
MACHINE = {"meminfo": DT_REG, "mounts": DT_REG, "uptime": DT_REG, "loadavg": DT_REG,
           "cpuinfo": DT_REG, "version": DT_REG, "stat": DT_REG, "sys": DT_DIR,
           "config.gz": DT_REG, "filesystems": DT_REG, "locks": DT_REG, "net": DT_DIR,
           "vmstat": DT_REG, "diskstats": DT_REG, "partitions": DT_REG}
# /proc/config.gz: the build options of the kernel this machine is, as far as programs and
# test suites ask: what it provides is =y, what it does not "is not set".
KCONFIG = """\
CONFIG_64BIT=y
CONFIG_X86_64=y
CONFIG_IA32_EMULATION=y
CONFIG_MMU=y
CONFIG_FUTEX=y
CONFIG_EPOLL=y
CONFIG_SIGNALFD=y
CONFIG_TIMERFD=y
CONFIG_EVENTFD=y
CONFIG_INOTIFY_USER=y
CONFIG_DNOTIFY=y
CONFIG_FILE_LOCKING=y
CONFIG_SHMEM=y
CONFIG_TMPFS=y
CONFIG_MEMFD_CREATE=y
CONFIG_SYSVIPC=y
CONFIG_PROC_FS=y
CONFIG_BLK_DEV_LOOP=y
CONFIG_COREDUMP=y
CONFIG_ELF_CORE=y
CONFIG_UNIX=y
CONFIG_INET=y
# CONFIG_MODULES is not set
# CONFIG_TIME_NS is not set
# CONFIG_USER_NS is not set
# CONFIG_CGROUPS is not set
# CONFIG_USERFAULTFD is not set
# CONFIG_KSM is not set
# CONFIG_HUGETLBFS is not set
# CONFIG_TRANSPARENT_HUGEPAGE is not set
# CONFIG_FANOTIFY is not set
# CONFIG_IO_URING is not set
# CONFIG_SECCOMP is not set
# CONFIG_BPF_SYSCALL is not set
# CONFIG_POSIX_MQUEUE is not set
"""
# /proc/sys: the tunables programs read, with the machine's values (read-only here).
PIPE_MAX_SIZE, NGROUPS_MAX, PID_MAX = 1048576, 65536, 4194304


def _sysctl(kernel) -> dict:
    from .linux.resource import nr_open
    from .net import uts_names
    hostname, domainname = uts_names(kernel)
    return {
        "kernel": {"pid_max": PID_MAX, "threads-max": kernel.limits.max_processes,
                   "ngroups_max": NGROUPS_MAX, "tainted": 0, "ostype": "Linux",
                   "osrelease": "6.1.0-sysvec", "overflowuid": 65534,
                   "hostname": hostname, "domainname": domainname,
                   "overflowgid": 65534, "core_pattern": "core", "randomize_va_space": 0,
                   "cap_last_cap": 40},     # CAP_CHECKPOINT_RESTORE: libcap reads it
        "fs": {"pipe-max-size": PIPE_MAX_SIZE, "nr_open": nr_open(kernel),
               "file-max": kernel.limits.max_fds * kernel.limits.max_processes,
               "lease-break-time": 45, "pipe-user-pages-soft": 16384,
               "pipe-user-pages-hard": 0, "protected_symlinks": 1, "protected_hardlinks": 1},
        "vm": {"overcommit_memory": 0, "max_map_count": 65530, "mmap_min_addr": 65536},
        # what sysctl(8), ss and servers read of the network's tunables (Linux 6.1's defaults)
        "net": {"core": {"somaxconn": 4096, "rmem_default": 212992, "rmem_max": 212992,
                         "wmem_default": 212992, "wmem_max": 212992, "netdev_max_backlog": 1000},
                "ipv4": {"ip_local_port_range": "32768\t60999", "ip_forward": 0,
                         "ping_group_range": "1\t0", "tcp_fin_timeout": 60,
                         "tcp_keepalive_time": 7200, "tcp_syncookies": 1, "tcp_tw_reuse": 2,
                         "tcp_max_syn_backlog": 4096},
                "unix": {"max_dgram_qlen": 512}},
    }
CPUINFO = ("processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 0\n"
           "model name\t: sysvec virtual CPU (Unicorn)\nstepping\t: 0\ncpu MHz\t\t: 1000.000\n"
           "cache size\t: 0 KB\nphysical id\t: 0\nsiblings\t: 1\ncore id\t\t: 0\ncpu cores\t: 1\n"
           "fpu\t\t: yes\nflags\t\t: fpu tsc cx8 cmov mmx fxsr sse sse2 syscall lm\n\n")


INIT_PID = 1


# What only the process's own user (or CAP_SYS_PTRACE) may read or follow: ptrace's READ
# check guards them on Linux (environ, maps, fd ...); the rest of /proc/PID is everyone's.
PRIVATE = {"environ", "maps", "mem", "pagemap", "auxv", "fd", "fdinfo", "cwd", "root", "exe",
           "smaps", "smaps_rollup", "stack", "syscall", "io", "personality", "coredump_filter"}


def may_inspect(viewer, target) -> bool:
    """ptrace_may_access(PTRACE_MODE_READ_FSCREDS): a thread of the same process; or the
    viewer's fs ids are the target's real, effective and saved ones and the target is
    dumpable; or the viewer has CAP_SYS_PTRACE."""
    if viewer is None or getattr(viewer, "tgid", None) == getattr(target, "tgid", -1):
        return True
    c, t = perm.cred_of(viewer), perm.cred_of(target)
    if c is None or c.capable(perm.CAP_SYS_PTRACE):
        return True
    uids = (t.uid, t.euid, t.suid) if t is not None else (0, 0, 0)
    gids = (t.gid, t.egid, t.sgid) if t is not None else (0, 0, 0)
    if any(u != c.fsuid for u in uids) or any(g != c.fsgid for g in gids):
        return False
    sysvec = getattr(target, "sysvec", None)       # (init's view has none: root's)
    return sysvec is None or sysvec.personality.inspectable(target)


# Mode 0400 files, owned by root once the process is undumpable (task_dump_owner): not even
# the process itself reads them then, without CAP_DAC_OVERRIDE.
OWNER_ONLY = {"environ", "mem", "auxv", "pagemap"}


# /proc/PID entries only their owner reads or searches (proc_pid_base_stuff's modes)
OWNER_MODES = {"environ": 0o400, "auxv": 0o400, "pagemap": 0o400, "mem": 0o600,
               "fd": 0o500, "fdinfo": 0o500, "map_files": 0o500, "ns": 0o511}


def owned_stat(guest_path: str, kernel, st):
    """A /proc/PID (or /proc/PID/task/TID) node's stat as Linux gives it: owned by the
    process's effective ids while it is dumpable, by root once not (task_dump_owner), with
    the owner-only modes above. Anything else is returned as it is."""
    parts = guest_path.strip("/").split("/")
    if len(parts) < 2 or parts[0] != "proc" or not parts[1].isdigit() or kernel is None:
        return st
    target = kernel.procs.get(int(parts[1]))
    if target is None:
        return st
    leaf = parts[2] if len(parts) == 3 else parts[4] if len(parts) == 5 and \
        parts[2] == "task" else None
    if leaf in OWNER_MODES and not S.S_ISLNK(st.st_mode):
        st.st_mode = S.S_IFMT(st.st_mode) | OWNER_MODES[leaf]
    cred, sysvec = perm.cred_of(target), getattr(target, "sysvec", None)
    # an everyone's directory (0555) shows the effective ids even then: ps stats /proc/PID
    everyones_dir = st.st_mode == S.S_IFDIR | 0o555
    if cred is not None and (everyones_dir or sysvec is None or
                             sysvec.personality.inspectable(target)):
        st.guest_owner = (cred.euid, cred.egid)       # what stat shows (abi_structs)
    return st


def check_inspect(guest_path: str, viewer) -> None:
    """EACCES for a /proc/PID (or /proc/PID/task/TID) file the viewer may not see into."""
    parts = guest_path.strip("/").split("/")
    if len(parts) < 3 or parts[0] != "proc" or not parts[1].isdigit():
        return
    pid, leaf = int(parts[1]), parts[2]
    if leaf == "task" and len(parts) >= 5 and parts[3].isdigit():
        pid, leaf = int(parts[3]), parts[4]
    kernel = getattr(viewer, "kernel", None)
    target = kernel.procs.get(pid) if kernel is not None else None
    if leaf not in PRIVATE or target is None:
        return
    if not may_inspect(viewer, target):
        raise KernelError(errno.EACCES)
    c, sysvec = perm.cred_of(viewer), getattr(target, "sysvec", None)
    if leaf in OWNER_ONLY and c is not None and c.fsuid != 0 and \
            not c.capable(perm.CAP_DAC_OVERRIDE) and sysvec is not None and \
            not sysvec.personality.inspectable(target):
        raise KernelError(errno.EACCES)


def _init_view(kernel):
    """The machine's init, pid 1, as /proc shows it: the parent orphans are given to
    (runtime/kernel.py), sleeping, owning nothing, in group and session 0 as the kernel
    starts an init; it sees the machine's mounts as every process does."""
    from types import SimpleNamespace
    from .pcb import State
    init = SimpleNamespace(pid=INIT_PID, tgid=INIT_PID, ppid=0, pgid=0, sid=0,
                           comm="init", exe="/sbin/init", cwd="/", argv=["/sbin/init"],
                           environ=[], state=State.BLOCKED, stopped=False, mm=None, fds=None,
                           cpu_ns=0, sys_ns=0, sigactions={}, pending=0, sigmask=0, cred=None,
                           alive=True, pstate=None, settle_times=lambda: None,   # never runs
                           group_cpu_ns=lambda: 0, group_sys_ns=lambda: 0, note_rss=lambda: 0,
                           start_time=BOOT, ptracer=None, ptrace_stop=0,
                           kernel=kernel)
    init.group = [init]
    return init


def _live(ctx) -> dict:
    kernel = getattr(ctx, "kernel", None)
    procs = kernel.procs if kernel is not None else {}
    live = {pid: p for pid, p in procs.items() if p.alive or p is ctx}
    if kernel is not None and INIT_PID not in procs:
        live[INIT_PID] = _init_view(kernel)
    return live


def _one(ctx, pid: int):
    """The process /proc/PID shows (as _live would list it), without listing them all: a
    thousand processes each reading /proc/PID/stat must not cost a million checks."""
    kernel = getattr(ctx, "kernel", None)
    proc = kernel.procs.get(pid) if kernel is not None else None
    if proc is not None and (proc.alive or proc is ctx):
        return proc
    if kernel is not None and pid == INIT_PID and INIT_PID not in kernel.procs:
        return _init_view(kernel)
    return None


def node(parts: list[str], ctx) -> tuple | None:
    """The synthetic node for /proc/<parts[1:]>, or None."""
    if len(parts) > 1 and parts[1].isdigit():
        proc = _one(ctx, int(parts[1]))
        return None if proc is None else _process_dir(parts, proc)
    if len(parts) == 1:     # processes only, as proc_pid_readdir: a thread's /proc/TID
        entries = {"self": DT_LNK, "thread-self": DT_LNK, **MACHINE}   # resolves, unlisted
        entries.update({str(pid): DT_DIR for pid, p in _live(ctx).items()
                        if not isinstance(p, PCB) or p.tgid == pid})    # (init's view: one)
        return ("dir", entries)
    name = parts[1]
    if name in ("self", "thread-self") and len(parts) == 2:
        # the caller's process from any of its threads (proc_self_get_link: its tgid); the
        # thread itself under it (proc_thread_self_get_link)
        pid = getattr(ctx, "pid", 0)
        tgid = getattr(ctx, "tgid", pid)
        return ("link", f"/proc/{tgid}" if name == "self" else f"/proc/{tgid}/task/{pid}")
    if name == "sys":
        return _sys_node(parts[2:], ctx.kernel)
    if name == "net":
        return _net_node(parts[2:], ctx.kernel)
    if len(parts) == 2 and name == "config.gz":
        import gzip
        return ("file", gzip.compress(KCONFIG.encode(), mtime=0))
    if len(parts) == 2 and name in MACHINE:
        return ("file", _machine_file(name, ctx, _live(ctx)).encode())
    return None


def _process_dir(parts: list[str], proc) -> tuple | None:
    """/proc/PID/...: proc's directory, its files and its threads'."""
    if len(parts) == 2:
        return ("dir", dict(PER_PROCESS))
    leaf, whole = parts[2], True
    if leaf == "task":      # the threads of the group, each seen as a process directory
        tasks = {str(t.pid): t for t in proc.group if t.alive or t is proc}
        if len(parts) == 3:
            return ("dir", {tid: DT_DIR for tid in tasks})
        if parts[3] not in tasks:
            return None
        proc, parts, whole = tasks[parts[3]], parts[:2] + parts[4:], False
        if len(parts) == 2:
            return ("dir", {k: v for k, v in PER_PROCESS.items() if k != "task"})
        leaf = parts[2]
    if leaf == "net":     # the machine's one network namespace, as /proc/net
        return _net_node(parts[3:], proc.kernel)
    if len(parts) == 3:
        return _process_node(leaf, proc, whole)
    if leaf == "fd" and len(parts) == 4 and parts[3].isdigit() and proc.fds is not None:
        try:
            f = proc.fds.get(int(parts[3]))
        except KernelError:
            return None
        return ("fd", int(parts[3]), _fd_target(proc, f))
    if leaf == "fdinfo" and len(parts) == 4 and parts[3].isdigit() and proc.fds is not None:
        try:
            return ("file", _fdinfo(proc, int(parts[3])).encode())
        except KernelError:
            return None
    return None


O_LARGEFILE = 0o100000         # every open of a 64-bit kernel's has it
INTERNAL_MNT_ID = 65535   # pipefs, sockfs, anon_inodefs: mounts mountinfo never lists


def _fdinfo(proc, fd: int) -> str:
    """/proc/PID/fdinfo/N (seq_show): the description's position and flags, the descriptor's
    close-on-exec, the mount and the inode."""
    f = proc.fds.get(fd)
    try:
        pos = f.lseek(0, os.SEEK_CUR) if f.kind in ("file", "dir", "chr") else 0
    except (KernelError, OSError, AttributeError):
        pos = 0
    try:
        ino = f.fstat().st_ino
    except (KernelError, OSError, AttributeError):
        ino = 0
    flags = f.status_flags | O_LARGEFILE | (O_CLOEXEC if proc.fds.cloexec(fd) else 0)
    path = getattr(f, "guest_path", "")
    mnt_id = _mount_under(_mount_entries(proc), path) if path.startswith("/") \
        else INTERNAL_MNT_ID
    return f"pos:\t{pos}\nflags:\t0{flags:o}\nmnt_id:\t{mnt_id}\nino:\t{ino}\n"


DELETED = " (deleted)"    # d_path's mark for an unlinked name


def _fd_target(proc, f) -> str:
    """What /proc/PID/fd/N reads: the description's guest path; for a host file the run was
    given (host:[N]) that lies inside the root, its path there; " (deleted)" after a file
    whose name was removed."""
    path = f.guest_path
    if f.kind != "file":
        return path
    try:
        host = os.readlink(f"/proc/self/fd/{f.fast_host_fd()}")
    except OSError:
        return path
    deleted = host.endswith(DELETED)     # the host kernel knows the name is gone
    if not path.startswith("host:["):
        return path + DELETED if deleted and not path.endswith(DELETED) else path
    inside = proc.kernel.fs.root.rstrip("/") + "/"
    return "/" + host[len(inside):] if host.startswith(inside) and host != inside else path


def _process_node(leaf: str, proc, whole: bool = True) -> tuple | None:
    """/proc/PID/leaf, or with whole=False /proc/PID/task/TID/leaf: the thread's alone."""
    if leaf == "exe":
        return ("link", proc.exe or "/")
    if leaf == "cwd":
        return ("link", proc.cwd)
    if leaf == "root":
        return ("link", "/")
    if leaf in ("fd", "fdinfo"):   # listed when read, as Linux: the directory's own too
        kind = DT_LNK if leaf == "fd" else DT_REG
        return ("dir", lambda: {str(fd): kind for fd, _ in
                                (proc.fds.items() if proc.fds is not None else [])})
    if leaf == "maps":
        return ("file", (proc.mm.maps_text() if proc.mm is not None else "").encode())
    if leaf in ("smaps", "smaps_rollup"):
        return ("file", (proc.mm.smaps_text(leaf == "smaps_rollup")
                         if proc.mm is not None else "").encode())
    if leaf == "coredump_filter" and hasattr(proc.pstate, "coredump_filter"):
        return ("file", f"{proc.linux.coredump_filter:08x}\n".encode(),
                lambda data, writer: _set_coredump_filter(proc, data, writer), proc)
    if leaf == "pagemap":       # read on demand: one entry per page of the address space
        return ("special", lambda guest_path: PageMap(proc, guest_path))
    if leaf == "mem":
        return ("special", lambda guest_path: ProcMem(proc, guest_path))
    if leaf == "cmdline":
        return ("file", _cmdline(proc))
    if leaf == "environ":
        return ("file", b"".join(e + b"\0" for e in proc.environ))
    if leaf == "auxv":          # the vector exec gave the program, AT_NULL included
        return ("file", proc.mm.saved_auxv if proc.mm is not None else b"")
    if leaf == "comm":
        return ("file", (proc.comm + "\n").encode(),
                lambda data, writer: _comm_write(proc, data, writer), proc)
    if leaf == "stat":
        return ("file", _stat_line(proc, whole).encode())
    if leaf == "statm":
        return ("file", _statm(proc).encode())
    if leaf == "wchan":     # where it waits: "0", as Linux shows it when the symbol is hidden
        return ("file", b"0")
    if leaf == "mounts":
        return ("file", _mounts(proc).encode())
    if leaf == "mountinfo":
        return ("file", _mountinfo(proc).encode())
    if leaf == "status":
        return ("file", _status(proc).encode())
    if leaf in LINUX_ONLY:
        return _linux_node(leaf, proc)
    return None


LINUX_ONLY = {"limits", "oom_score", "oom_score_adj", "oom_adj", "personality"}


def _linux_node(leaf: str, proc) -> tuple | None:
    """/proc/PID files of a Linux process's own state: its resource limits, what the OOM
    killer thinks of it (oom_score_adj its owner writes), its execution domain."""
    from .linux.personality import LinuxProcess
    if not isinstance(proc.pstate, LinuxProcess):
        return None
    from .linux import resource
    if leaf == "limits":
        return ("file", resource.proc_limits(proc).encode())
    if leaf == "oom_score":
        return ("file", f"{resource.oom_score(proc, proc.kernel.limits.pool_pages)}\n".encode())
    if leaf == "oom_score_adj":
        return ("file", f"{proc.linux.oom['adj']}\n".encode(),
                lambda data, writer: resource.write_oom_score_adj(proc, data, writer), proc)
    if leaf == "oom_adj":
        return ("file", f"{resource.oom_adj(proc)}\n".encode(),
                lambda data, writer: resource.write_oom_score_adj(proc, data, writer, True), proc)
    return ("file", f"{proc.linux.exec_domain:08x}\n".encode())     # personality


def _net_node(path: list[str], kernel) -> tuple | None:
    """/proc/net and /proc/PID/net: the machine's sockets and interface (runtime/net)."""
    from .net.procnet import FILES, proc_net_file
    if not path:
        return ("dir", {name: DT_REG for name in FILES})
    if len(path) == 1 and path[0] in FILES:
        return ("file", proc_net_file(kernel, path[0]).encode())
    return None


def sysctl(kernel, key: str):
    """A tunable's value ("vm/max_map_count"): what root wrote, else the machine's."""
    written = kernel.sysctl_written
    if key in written:
        return int(written[key]) if written[key].lstrip("-").isdigit() else written[key]
    node = _sysctl(kernel)
    for part in key.split("/"):
        node = node[part]
    return node


def _sys_node(path: list[str], kernel) -> tuple | None:
    """A /proc/sys node. Files are tunables: root may write one a value, which the machine
    keeps and shows from then on (nothing else on the machine reads it yet)."""
    tree = _sysctl(kernel)
    written = kernel.sysctl_written
    node = tree
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    if isinstance(node, dict):
        return ("dir", {k: DT_DIR if isinstance(v, dict) else DT_REG for k, v in node.items()})
    key = "/".join(path)

    def store(text: str) -> None:
        if isinstance(node, int):
            try:
                int(text)
            except ValueError:
                raise KernelError(22) from None      # EINVAL
        written[key] = text
    return ("file", f"{written.get(key, node)}\n".encode(), store)


STATES = {"R": "R (running)", "S": "S (sleeping)", "T": "T (stopped)",
          "t": "t (tracing stop)", "Z": "Z (zombie)", "X": "X (dead)"}


def _state(proc) -> str:
    """task_state_index's letter: t held by a debugger (a ptrace stop), T stopped by a
    signal, else the scheduler's R, S or Z."""
    scheduler = proc.kernel.scheduler
    debugger = scheduler.debugger if scheduler is not None else None
    if debugger is not None and proc.alive and debugger.holds(proc) or \
            proc.ptrace_stop and proc.alive:
        return "t"
    if proc.stopped and proc.alive:
        return "T"
    return proc.state.value


def _tracer_pid(proc) -> int:
    """The thread tracing this one (ptrace), or 0."""
    tracer = proc.ptracer
    return tracer.pid if tracer is not None and tracer.alive else 0


def _threads(proc) -> int:
    """The group's thread count (signal->nr_threads)."""
    return len([t for t in proc.group if t.alive]) or 1


def _status(proc) -> str:
    """/proc/PID/status: the fields ps, glibc and LTP read, from the process's state."""
    state = STATES[_state(proc)]
    cred = proc.cred
    ids = lambda *v: "\t".join(str(i) for i in v)      # noqa: E731
    if cred is None:
        uids = gids = ids(0, 0, 0, 0)
        groups, caps = "", (0, (1 << 41) - 1, (1 << 41) - 1)
    else:
        uids = ids(cred.uid, cred.euid, cred.suid, cred.fsuid)
        gids = ids(cred.gid, cred.egid, cred.sgid, cred.fsgid)
        groups = " ".join(str(g) for g in cred.groups)
        caps = (cred.cap_inheritable, cred.cap_permitted, cred.cap_effective)
    pending, blocked, ignored, caught = _signal_masks(proc)
    vsize = sum(v.end - v.start for v in proc.mm.vmas) // 1024 if proc.mm is not None else 0
    return (f"Name:\t{proc.comm}\nUmask:\t{getattr(proc.pstate, 'umask', 0o022):04o}\n"
            f"State:\t{state}\nTgid:\t{proc.tgid}\nNgid:\t0\nPid:\t{proc.pid}\n"
            f"PPid:\t{_ppid(proc)}\nTracerPid:\t{_tracer_pid(proc)}\nUid:\t{uids}\nGid:\t{gids}\n"
            f"FDSize:\t{proc.fds.limit if proc.fds is not None else 0}\nGroups:\t{groups}\n"
            f"NStgid:\t{proc.tgid}\nNSpid:\t{proc.pid}\nNSpgid:\t{proc.pgid}\n"
            f"NSsid:\t{proc.sid}\n{_vm_lines(proc, vsize)}"
            f"CoreDumping:\t0\nTHP_enabled:\t1\nThreads:\t{_threads(proc)}\n"
            f"SigQ:\t0/{PID_MAX}\nSigPnd:\t{pending:016x}\nShdPnd:\t0000000000000000\n"
            f"SigBlk:\t{blocked:016x}\nSigIgn:\t{ignored:016x}\n"
            f"SigCgt:\t{caught:016x}\nCapInh:\t{caps[0]:016x}\nCapPrm:\t{caps[1]:016x}\n"
            f"CapEff:\t{caps[2]:016x}\nCapBnd:\t{(1 << 41) - 1:016x}\n"
            f"CapAmb:\t0000000000000000\nNoNewPrivs:\t{int(_no_new_privs(proc))}\nSeccomp:\t0\n"
            f"Seccomp_filters:\t0\nCpus_allowed:\t1\nCpus_allowed_list:\t0\n"
            f"Mems_allowed:\t1\nMems_allowed_list:\t0\n"
            f"voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n")


def _vm_lines(proc, vsize: int) -> str:
    """task_mem's lines, each value right-aligned in 8 columns as Linux prints them: sizes
    from the mappings (data: private writable ones but the stack; the program's and the
    libraries' code: executable file mappings), resident memory all anonymous here."""
    vmas = proc.mm.vmas if proc.mm is not None else []
    exe = proc.exe or ""
    kib = lambda vs: sum(v.end - v.start for v in vs) // 1024       # noqa: E731
    stack = [v for v in vmas if v.name == "[stack]"]
    data = [v for v in vmas if v.prot & PROT_WRITE and not v.shared and v.name != "[stack]"]
    code = [v for v in vmas if v.prot & PROT_EXEC and v.inode]
    program = [v for v in code if v.name == exe]
    rss = _rss_kib(proc)
    hwm = proc.note_rss()       # the peak, this sample of rss in it
    fields = (("VmPeak", vsize), ("VmSize", vsize), ("VmLck", _locked_kib(proc)), ("VmPin", 0),
              ("VmHWM", hwm), ("VmRSS", rss), ("RssAnon", rss), ("RssFile", 0),
              ("RssShmem", 0), ("VmData", kib(data)), ("VmStk", kib(stack)),
              ("VmExe", kib(program)), ("VmLib", kib(code) - kib(program)), ("VmPTE", 0),
              ("VmSwap", 0), ("HugetlbPages", 0))
    return "".join(f"{name}:\t{value:8d} kB\n" for name, value in fields)


def _no_new_privs(proc) -> bool:
    """PR_SET_NO_NEW_PRIVS's flag (a Linux process's; others have none)."""
    from .linux.personality import LinuxProcess
    return isinstance(proc.pstate, LinuxProcess) and bool(proc.linux.no_new_privs)


def _locked_kib(proc) -> int:
    if proc.mm is None:
        return 0
    from .linux.mm import locked_bytes
    return locked_bytes(proc.mm) // 1024


def _rss_kib(proc) -> int:
    return proc.mm.resident() * 4 if proc.mm is not None else 0


def _used_kib(procs: dict) -> int:
    """The memory the processes hold: each address space once, however many threads
    (or vfork children) share it."""
    spaces = {id(p.mm): p for p in procs.values() if p.mm is not None}
    return sum(_rss_kib(p) for p in spaces.values())


def _statm(proc) -> str:
    """/proc/PID/statm in pages: size, resident, shared (file and shared mappings'
    resident pages), text (the program's executable mappings), lib (0), data (writable
    private memory and the stack), dt (0)."""
    mm = proc.mm
    if mm is None:
        return "0 0 0 0 0 0 0\n"
    size = shared = text = data = 0
    for v in mm.vmas:
        pages = (v.end - v.start) // 4096
        size += pages
        if v.inode or v.shared:
            shared += mm.resident_pages(v.start, v.end)
        if v.prot & 4 and v.name == proc.exe:
            text += pages
        elif v.prot & 2 and not v.shared and not v.inode:
            data += pages
    return f"{size} {mm.resident()} {shared} {text} 0 {data} 0\n"


def _cmdline(proc) -> bytes:
    """The argument strings as they are now in the process's memory (get_mm_cmdline): a
    program that wrote a title over them (setproctitle) shows that title, read up to its
    first NUL and on into the environment strings; a process without them (a kernel
    thread, a Windows program) the arguments exec had."""
    area = proc.mm.arg_area if proc.mm is not None else None
    if area is None or area[0] >= area[1]:
        return b"".join(a.encode() + b"\0" for a in proc.argv) if proc.mm is not None else b""
    arg_start, arg_end, env_start, env_end = area
    try:
        if proc.mm.read(arg_end - 1, 1) == b"\0":
            return proc.mm.read(arg_start, arg_end - arg_start)
        if env_start != arg_end or env_end < env_start:
            env_end = arg_end
        title = proc.mm.read_prefix(arg_start, env_end - arg_start)
    except (Fault, KernelError):
        return b""
    end = title.find(b"\0")
    return title if end < 0 else title[:end + 1]


def _ppid(proc) -> int:
    """The parent /proc shows: a process started by the machine is init's child, as its
    getppid() says (pstree drew an empty tree from the first process's 0)."""
    return proc.ppid or (0 if proc.pid == INIT_PID else 1)


USER_HZ = 100      # the clock ticks /proc counts in (sysconf(_SC_CLK_TCK))


def _stat_line(proc, whole: bool = True) -> str:
    """/proc/PID/stat as do_task_stat writes it, 52 fields: for the process (whole) the CPU
    time of all its threads, ended ones included; for /proc/PID/task/TID the thread's own.
    Fields this machine keeps nothing for (faults, addresses, exit code...) are 0."""
    if whole:
        cpu, system = proc.group_cpu_ns(), proc.group_sys_ns()
    else:
        proc.settle_times()
        cpu, system = proc.cpu_ns, proc.sys_ns
    tick = 1_000_000_000 // USER_HZ
    ticks, sticks = (cpu - system) // tick, system // tick
    vsize = sum(v.end - v.start for v in proc.mm.vmas) if proc.mm is not None else 0
    starttime = max(0, int((proc.start_time - BOOT) * USER_HZ))
    nice, policy, rt_priority = _sched(proc)
    # the obsolete decimal signal masks: the first 31 signals only (& 0x7fffffff)
    signals = [mask & 0x7FFFFFFF for mask in _signal_masks(proc)]
    state = _state(proc)
    fields = [proc.pid, f"({proc.comm})", state, _ppid(proc), proc.pgid, proc.sid,   # 1-6
              *_terminal_fields(proc), 0, 0, 0, 0, 0, ticks, sticks, 0, 0,         # 7-17
              _task_prio(nice, policy, rt_priority), nice, _threads(proc), 0,      # 18-21
              starttime, vsize, _rss_kib(proc) // 4,                               # 22-24
              0, 0, 0, 0, 0, 0, *signals,                                          # 25-34
              int(state != "R"), 0, 0, 0, 0,                # 35 wchan: 1 while it waits
              rt_priority, policy] + [0] * 11                                      # 40-52
    return " ".join(str(f) for f in fields) + "\n"


def _terminal_fields(proc) -> tuple[int, int]:
    """tty_nr and tpgid: the controlling terminal's device number (new_encode_dev) and
    its foreground process group; 0 and -1 without one (ps's TTY column, ps -t, pgrep -t)."""
    from .tty.tty import controlling_tty
    tty = controlling_tty(proc)
    if tty is None:
        return 0, -1
    major, minor = os.major(tty.rdev), os.minor(tty.rdev)
    number = (minor & 0xFF) | (major << 8) | ((minor & ~0xFF) << 12)
    return number, tty.pgrp if tty.pgrp is not None else -1


SCHED_FIFO, SCHED_RR, SCHED_DEADLINE = 1, 2, 6
MAX_RT_PRIO = 100


def _sched(proc) -> tuple[int, int, int]:
    """(nice, policy, real-time priority) as setpriority and sched_setscheduler left them
    (runtime/linux/resource.py, sched.py); a process of another personality keeps none."""
    from .linux.personality import LinuxProcess
    if not isinstance(proc.pstate, LinuxProcess):
        return 0, 0, 0
    policy, priority = proc.linux.sched
    return proc.linux.nice, policy, priority


def _task_prio(nice: int, policy: int, rt_priority: int) -> int:
    """task_prio: p->prio - MAX_RT_PRIO, so -1 - rt_priority for a real-time policy, -101
    for SCHED_DEADLINE, 20 + nice otherwise."""
    if policy == SCHED_DEADLINE:
        return -MAX_RT_PRIO - 1
    if policy in (SCHED_FIFO, SCHED_RR):
        return -1 - rt_priority
    return 20 + nice


def _signal_masks(proc) -> tuple[int, int, int, int]:
    """(pending, blocked, ignored, caught): the masks status shows as SigPnd, SigBlk,
    SigIgn and SigCgt and stat, cut to 31 bits, as fields 31-34."""
    ignored = caught = 0
    for sig, act in proc.sigactions.items():
        if act.handler == 1:
            ignored |= 1 << (sig - 1)
        elif act.handler:
            caught |= 1 << (sig - 1)
    return proc.pending, proc.sigmask, ignored, caught


TASK_COMM_LEN = 16


def _comm_write(proc, data: bytes, writer) -> int:
    """comm_write: a thread of the same group names proc with the first 15 bytes written (up
    to a NUL; a newline stays part of the name); any other writer gets EINVAL."""
    if getattr(writer, "tgid", None) != proc.tgid:
        raise KernelError(errno.EINVAL)
    proc.comm = data[:TASK_COMM_LEN - 1].split(b"\0")[0].decode(errors="replace")
    return len(data)


def kstrtoint(text: str, unsigned: bool = False) -> int:
    """The kernel's kstrtoint (kstrtouint) with base 0, as /proc files parse a number: an
    optional sign ('+' only when unsigned), then 0x hex, 0 octal or decimal digits and
    nothing else (EINVAL), within 32 bits (ERANGE)."""
    body = text[1:] if text[:1] == "+" or text[:1] == "-" and not unsigned else text
    if body[:2].lower() == "0x":
        base, digits = 16, body[2:]
    elif body[:1] == "0" and len(body) > 1:
        base, digits = 8, body[1:]
    else:
        base, digits = 10, body
    if not digits or any(c not in "0123456789abcdef"[:base] for c in digits.lower()):
        raise KernelError(errno.EINVAL)
    value = int(digits, base) * (-1 if text[:1] == "-" else 1)
    low, high = (0, 2 ** 32) if unsigned else (-2 ** 31, 2 ** 31)
    if not low <= value < high:
        raise KernelError(errno.ERANGE)
    return value


MMF_DUMP_FILTER_MASK = 0x1FF


def _set_coredump_filter(proc, data: bytes, writer) -> int:
    """proc_coredump_filter_write: a number as kstrtouint reads it (0x hex, 0 octal, else
    decimal: "33" is 0x21), of which the filter keeps its nine bits."""
    proc.linux.coredump_filter = kstrtoint(data.decode(errors="replace").strip(),
                                           unsigned=True) & MMF_DUMP_FILTER_MASK
    return len(data)


class PageMap(PositionedFile):
    """/proc/PID/pagemap: 8 bytes per virtual page, read at offset page * 8. Every mapped page
    of this machine is resident: PM_PRESENT, PM_MMAP_EXCLUSIVE for a private one, PM_FILE for
    a file's or a shared one; the frame number stays 0, as Linux shows it to a reader
    without CAP_SYS_ADMIN (the machine's page frames are nothing a guest can use)."""

    PM_PRESENT, PM_FILE, PM_MMAP_EXCLUSIVE = 1 << 63, 1 << 61, 1 << 56
    ENTRY = 8

    def __init__(self, proc, guest_path: str):
        super().__init__(0, guest_path)
        self.proc = proc

    def pread(self, n, off):
        if off % self.ENTRY or n % self.ENTRY or off < 0:
            raise KernelError(errno.EINVAL)
        first, count = off // self.ENTRY, min(n, 1 << 20) // self.ENTRY
        out = bytearray(count * self.ENTRY)
        mm = self.proc.mm
        for v in (mm.vmas if mm is not None else ()):
            lo, hi = max(v.start // PAGE, first), min(v.end // PAGE, first + count)
            if lo >= hi:
                continue
            file_backed = v.shared or (v.name and not v.name.startswith("["))
            entry = self.PM_PRESENT | (self.PM_FILE if file_backed else 0) | \
                (0 if v.shared else self.PM_MMAP_EXCLUSIVE)
            out[(lo - first) * self.ENTRY:(hi - first) * self.ENTRY] = \
                entry.to_bytes(self.ENTRY, "little") * (hi - lo)
        return bytes(out)

    def write(self, data):
        raise KernelError(errno.EBADF)

    def fstat(self):
        return synthetic_stat(S.S_IFREG | 0o400, ino=synthetic_ino(self.guest_path))


class ProcMem(PositionedFile):
    """/proc/PID/mem: the process's memory, at offsets that are its addresses (debuggers and
    JITs read and patch code so). A read stops at the first page that is not mapped (EIO when
    that is the first); a write goes through read-only private pages as ptrace's does
    (FOLL_FORCE: the page is copied, the mapping and other processes see nothing), never
    past a mapping."""

    writable = True             # the open's access mode says which (vfs.py)

    def __init__(self, proc, guest_path: str):
        super().__init__(0, guest_path)
        self.proc = proc

    def _space(self):
        mm = self.proc.mm
        if mm is None or not self.proc.alive:
            raise KernelError(errno.EIO)           # the process's memory is gone
        return mm

    def pread(self, n, off):
        mm = self._space()
        try:
            return mm.read_prefix(off, min(n, 1 << 20))
        except Fault:
            raise KernelError(errno.EIO) from None

    def pwrite(self, data, off):
        mm = self._space()
        data = bytes(data[:1 << 20])
        done = 0
        while done < len(data):
            at = off + done
            vma = mm.find_vma(at)
            if vma is None or vma.start > at or vma.shared and not vma.prot & 2:
                break                              # unmapped, or a read-only shared page
            chunk = data[done:min(len(data), done + (vma.end - at))]
            try:
                mm.write_force(at, chunk)
            except Fault:
                break
            done += len(chunk)
        if not done and data:
            raise KernelError(errno.EIO)
        return done

    def fstat(self):
        return synthetic_stat(S.S_IFREG | 0o600, ino=synthetic_ino(self.guest_path))


# --- the mount table --------------------------------------------------------------------------

class PseudoMount(NamedTuple):
    """A file system the machine synthesises, mounted where a container's runtime mounts
    it: statfs's f_type and flags, and the anonymous device (0:dev) its nodes report."""
    parts: tuple[str, ...]
    fstype: str
    magic: int
    flags: int          # ST_NOSUID 2 | ST_NODEV 4 | ST_NOEXEC 8 | ST_RELATIME 0x1000
    dev: int
    data: str = ""      # the superblock's options, after rw

    @property
    def guest(self) -> str:
        return "/" + "/".join(self.parts)

    def options(self) -> str:
        """The per-mount options, as show_mnt_opts writes them."""
        names = ((2, "nosuid"), (4, "nodev"), (8, "noexec"), (0x1000, "relatime"))
        return ",".join(["ro" if self.flags & 1 else "rw"] +
                        [name for bit, name in names if self.flags & bit])

    def line(self) -> str:
        data = f",{self.data}" if self.data else ""
        return f"{self.fstype} {self.guest} {self.fstype} {self.options()}{data} 0 0\n"


# /dev's nodes (the devices, read through C too) report SYNTHETIC_DEV; the others their own.
PSEUDO_MOUNTS = (
    PseudoMount(("proc",), "proc", 0x9FA0, 0x100E, 20),
    PseudoMount(("dev",), "tmpfs", 0x01021994, 0x1002, SYNTHETIC_DEV, "mode=755"),
    PseudoMount(("dev", "pts"), "devpts", 0x1CD1, 0x100A, 22, "gid=5,mode=620,ptmxmode=666"),
    PseudoMount(("sys",), "sysfs", 0x62656572, 0x100E, 21),
)


def pseudo_mounts(fs) -> list[PseudoMount]:
    """The pseudo file systems mounted on this root: /proc and /dev/pts always (they are
    synthesised whatever the root holds); /dev where the root has no /dev directory of its
    own, /sys where it has no /sys (runtime/vfs.py's _synthetic: otherwise the root's
    directory is what the guest sees, on the root's file system)."""
    return [m for m in PSEUDO_MOUNTS if _mounted(fs, m)]


def _mounted(fs, m: PseudoMount) -> bool:
    if m.parts not in (("dev",), ("sys",)):
        return True
    try:
        st = os.lstat(os.path.join(fs.root, m.parts[0]))
    except OSError:
        return True
    return not (m.parts == ("sys",) or S.S_ISDIR(st.st_mode))


def pseudo_mount_of(fs, guest: str) -> PseudoMount | None:
    """The pseudo file system a resolved guest path is on, or None (the root's, or a
    mount's the guest made). Only the mounts on the path's way are looked at on the host
    (a stat of a /proc node asks nothing about /dev or /sys)."""
    parts = tuple(p for p in guest.split("/") if p)
    if not parts or parts[0] not in ("proc", "dev", "sys"):
        return None
    best = None
    for m in PSEUDO_MOUNTS:
        if parts[:len(m.parts)] == m.parts and (best is None or len(m.parts) > len(best.parts)) \
                and _mounted(fs, m):
            best = m
    return best


def pseudo_dev(fs, guest: str) -> int:
    """st_dev of a synthetic node: its pseudo file system's, else SYNTHETIC_DEV (a node
    shown in a directory of the root's own, such as /dev/null in a host /dev)."""
    m = pseudo_mount_of(fs, guest) if fs is not None else None
    return m.dev if m is not None else SYNTHETIC_DEV


def _mount_entries(ctx) -> list[tuple[str, str, str, str, str, str]]:
    """(device number, mountpoint, mount options, type, source, superblock options), in
    the order the mounts were made: the root's file system, the pseudo file systems, then
    the guest's own mounts (runtime/mounts.py)."""
    fs = ctx.kernel.fs
    if fs is None:
        return [("0:0", "/", "rw,relatime", "ext4", "/dev/root", "rw")]
    root = os.stat(fs.root)
    entries = [(f"{os.major(root.st_dev)}:{os.minor(root.st_dev)}", "/", "rw,relatime", "ext4",
                "/dev/root", "rw")]
    for m in pseudo_mounts(fs):
        entries.append((f"0:{m.dev}", m.guest, m.options(), m.fstype, m.fstype,
                        "rw" + (f",{m.data}" if m.data else "")))
    for m in fs.mounts.mounts:
        try:
            st = os.stat(m.host)          # what stat of its files reports
            dev = f"{os.major(st.st_dev)}:{os.minor(st.st_dev)}"
        except OSError:
            dev = "0:0"
        options = m.line().split()[3]
        entries.append((dev, m.guest, options, m.fstype, m.source,
                        "ro" if m.readonly else "rw"))
    return entries


def _mounts(ctx) -> str:
    """/proc/mounts (and /proc/PID/mounts): one line a mount, as the guest's mount and df
    read it."""
    return "".join(f"{source} {point} {fstype} {options}{sb[2:]} 0 0\n"
                   for _dev, point, options, fstype, source, sb in _mount_entries(ctx))


def _mountinfo(ctx) -> str:
    """/proc/PID/mountinfo: the root's file system is mount 1; each later mount's parent is
    the last mount made on a prefix of its mountpoint; its device, what stat of its root
    reports (findmnt and mountpoint read them)."""
    entries = _mount_entries(ctx)
    lines = []
    for n, (dev, point, options, fstype, source, sb) in enumerate(entries, 1):
        parent = _mount_under(entries[:n - 1], point)
        lines.append(f"{n} {parent} {dev} / {point} {options} - {fstype} {source} {sb}\n")
    return "".join(lines)


def _mount_under(entries, path: str) -> int:
    """The mountinfo id (1 for the first of ENTRIES) of the mount PATH is on: the last one
    made on a prefix of it; 0 when none is."""
    parts = tuple(p for p in path.split("/") if p)
    found = 0
    for k, (_dev, point, *_rest) in enumerate(entries, 1):
        prefix = tuple(p for p in point.split("/") if p)
        if parts[:len(prefix)] == prefix:
            found = k
    return found


def _vmstat(kernel, procs: dict) -> str:
    """/proc/vmstat's counters in pages: the pool less what processes hold is free, what
    they hold is anonymous memory; there is no swap and no page cache."""
    total = kernel.limits.pool_pages
    used = _used_kib(procs) // 4
    counts = {"nr_free_pages": max(0, total - used), "nr_zone_inactive_anon": 0,
              "nr_zone_active_anon": used, "nr_inactive_anon": 0, "nr_active_anon": used,
              "nr_inactive_file": 0, "nr_active_file": 0, "nr_unevictable": 0, "nr_mlock": 0,
              "nr_anon_pages": used, "nr_mapped": 0, "nr_file_pages": 0, "nr_dirty": 0,
              "nr_writeback": 0, "nr_shmem": 0, "pgpgin": 0, "pgpgout": 0, "pswpin": 0,
              "pswpout": 0, "pgalloc_normal": used, "pgfree": 0, "pgfault": used,
              "pgmajfault": 0}
    return "".join(f"{k} {v}\n" for k, v in counts.items())


def _meminfo(total: int, used: int) -> str:
    """Linux 6.1's fields, in its order (psutil warns of each one missing): every page in
    use is an active anonymous one, as vmstat says; no file cache, swap, slab or huge pages."""
    free = max(0, total - used)
    kib = {"MemTotal": total, "MemFree": free, "MemAvailable": free, "Buffers": 0,
           "Cached": 0, "SwapCached": 0, "Active": used, "Inactive": 0, "Active(anon)": used,
           "Inactive(anon)": 0, "Active(file)": 0, "Inactive(file)": 0, "Unevictable": 0,
           "Mlocked": 0, "SwapTotal": 0, "SwapFree": 0, "Zswap": 0, "Zswapped": 0,
           "Dirty": 0, "Writeback": 0, "AnonPages": used, "Mapped": 0, "Shmem": 0,
           "KReclaimable": 0, "Slab": 0, "SReclaimable": 0, "SUnreclaim": 0,
           "KernelStack": 0, "PageTables": 0, "SecPageTables": 0, "NFS_Unstable": 0,
           "Bounce": 0, "WritebackTmp": 0, "CommitLimit": total // 2, "Committed_AS": used,
           "VmallocTotal": 34359738367, "VmallocUsed": 0, "VmallocChunk": 0, "Percpu": 0,
           "AnonHugePages": 0, "ShmemHugePages": 0, "ShmemPmdMapped": 0, "FileHugePages": 0,
           "FilePmdMapped": 0}
    counts = {"HugePages_Total": 0, "HugePages_Free": 0, "HugePages_Rsvd": 0,
              "HugePages_Surp": 0}
    lines = [f"{name + ':':<16}{value:>8} kB" for name, value in kib.items()]
    lines += [f"{name + ':':<16}{value:>8}" for name, value in counts.items()]
    lines += [f"{'Hugepagesize:':<16}{2048:>8} kB", f"{'Hugetlb:':<16}{0:>8} kB"]
    return "\n".join(lines) + "\n"


def _machine_file(name: str, ctx, procs: dict) -> str:
    kernel = ctx.kernel
    if name == "meminfo":
        total = kernel.limits.pool_pages * 4
        return _meminfo(total, _used_kib(procs))
    if name == "vmstat":       # (procps' vmstat will not start without it)
        return _vmstat(kernel, procs)
    if name == "diskstats":    # no block devices
        return ""
    if name == "partitions":
        return "major minor  #blocks  name\n\n"
    if name == "mounts":
        return _mounts(ctx)
    if name == "cpuinfo":
        return CPUINFO
    if name == "locks":
        from .linux.locks import proc_locks
        return proc_locks(kernel)
    if name == "filesystems":
        from .mounts import FILESYSTEMS
        return "\text4\n" + "".join(f"nodev\t{fs}\n" for fs in FILESYSTEMS)
    if name == "version":
        return "Linux version 6.1.0-sysvec (sysvec) #1 SMP sysvec\n"
    if name == "stat":
        user = sum(p.cpu_ns for p in procs.values()) // 10_000_000
        idle = max(0, int((time.monotonic() - BOOT) * 100) - user)
        running = sum(1 for p in procs.values() if p.state.value == "R")
        switches = kernel.scheduler.switches if kernel.scheduler is not None else 0
        return (f"cpu  {user} 0 0 {idle} 0 0 0 0 0 0\ncpu0 {user} 0 0 {idle} 0 0 0 0 0 0\n"
                f"intr 0\nctxt {switches}\n"
                f"btime {int(time.time() - (time.monotonic() - BOOT))}\n"
                f"processes {kernel.next_pid - 100}\nprocs_running {running}\n"
                f"procs_blocked 0\n")
    if name == "uptime":
        up = time.monotonic() - BOOT
        return f"{up:.2f} {up:.2f}\n"
    runnable = sum(1 for p in procs.values() if p.state.value == "R")
    return f"0.00 0.00 0.00 {runnable}/{len(procs)} {max(procs, default=0)}\n"
