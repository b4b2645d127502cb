"""The process control block: everything the kernel knows about one process."""
from __future__ import annotations

import time
from array import array
from dataclasses import dataclass, field
from enum import Enum


SIGSET_BITS = (1 << 64) - 1
NSIG = 64   # Linux's _NSIG: signals 1..64 (signals.py takes it from here)
# The machine's boot (host monotonic seconds), before any process: /proc/uptime, btime in
# /proc/stat and each process's start time count from it.
BOOT = time.monotonic()


class State(Enum):
    RUNNABLE = "R"
    BLOCKED = "S"
    ZOMBIE = "Z"
    DEAD = "X"   # reaped


@dataclass
class SigAction:
    handler: int = 0       # SIG_DFL 0, SIG_IGN 1, else a guest address
    flags: int = 0
    restorer: int = 0
    mask: int = 0


class SigActions(dict):
    """signo -> SigAction: a process's signal actions, shared by its threads (CLONE_SIGHAND),
    with a copy C reads (rt_sigaction's query in csrc/handlers.c): per signal 1..64, four
    words at (signo - 1) * 4, handler, flags, restorer and mask. A SigAction is never changed
    in place: an action changes by item assignment or deletion, which keep the copy."""

    def __init__(self, actions=()):
        super().__init__()
        self.words = array("Q", bytes(8 * 4 * NSIG))
        for sig, action in dict(actions).items():
            self[sig] = action

    def __setitem__(self, sig: int, action: "SigAction") -> None:
        super().__setitem__(sig, action)
        at = (sig - 1) * 4
        self.words[at:at + 4] = array("Q", [action.handler & SIGSET_BITS,
                                            action.flags & SIGSET_BITS,
                                            action.restorer & SIGSET_BITS,
                                            action.mask & SIGSET_BITS])

    def copy(self) -> "SigActions":
        """Actions of their own with the same values (a fork, an exec unsharing them): the
        SigActions themselves can be shared, as none is changed in place."""
        return SigActions(self)

    def __delitem__(self, sig: int) -> None:
        super().__delitem__(sig)
        at = (sig - 1) * 4
        self.words[at:at + 4] = array("Q", bytes(32))

    def _unmirrored(self, *args, **kwargs):
        raise TypeError("signal actions change by item assignment or deletion only")

    pop = popitem = clear = update = setdefault = _unmirrored


@dataclass(eq=False)   # a process is itself: identity, not its fields, decides equality
class PCB:
    pid: int
    ppid: int
    kernel: object                 # the Kernel this process runs on
    engine: object                 # the Engine whose core runs this process
    sysvec: object                 # SysVec: the table its binary-format handler chose
    mm: object                     # AddressSpace
    fds: object                    # FdTable
    cwd: str = "/"
    root: str = "/"                # chroot's root directory; paths like cwd's, from the machine root
    exe: str = ""                  # guest path of the program
    comm: str = ""
    argv: list = field(default_factory=list)
    state: State = State.RUNNABLE
    context: object = None         # uc_context of the saved registers
    pc: int = 0                    # where the process resumes
    exit_status: int | None = None # wait status (exit code << 8, or signal number)
    parent: "PCB | None" = None
    children: list = field(default_factory=list)
    pgid: int = 0
    # CPU-time timers the scheduler fires (ITIMER_VIRTUAL/PROF, RLIMIT_CPU): sig -> (due ns, interval)
    cpu_timers: dict = field(default_factory=dict)
    # Timers the scheduler fires (Linux's POSIX timers, linux/posix_timers.py), shared by a
    # group's threads: each has `due` (host monotonic seconds, or None) and fire(now).
    timers: list = field(default_factory=list)
    cred: object = None            # credentials (runtime/linux/cred.py); None: root's
    sid: int = 0
    tgid: int = 0                  # thread group (the process id getpid returns); 0: = pid
    group: list = field(default_factory=list)       # the threads sharing mm/fds, shared list
    # the threads sharing the working directory and root (clone's CLONE_FS: a shared list,
    # kept in step by set_cwd/set_root); None: this one alone
    fs_group: list | None = None
    futex_woken: bool = False      # a FUTEX_WAKE reached this thread's wait
    # signals
    sigactions: dict = field(default_factory=SigActions)  # signo -> SigAction
    # the blocked and pending masks, in memory C reads and writes (rt_sigprocmask in
    # csrc/handlers.c): the sigmask and pending properties below
    signal_words: array = field(default_factory=lambda: array("Q", [0, 0]))
    siginfo: dict = field(default_factory=dict)     # pending signal -> its SigInfos, queued
    saved_sigmask: int | None = None                # sigsuspend's mask to restore
    sigwait_set: int = 0                            # the signals a sigwait in progress takes
    sigstack: list = field(default_factory=list)    # vector registers saved per frame
    # scheduling
    wait: object = None            # what a blocked process waits for (a callable: ready?)
    wake_at: float | None = None   # monotonic deadline for sleeps
    after_trap: list = field(default_factory=list)  # actions once the trap has returned
    at_restart: bool = False       # resumes at a blocked call's trap instruction
    on_switch_in: list = field(default_factory=list)  # run once when next on the core
    exit_hooks: list = field(default_factory=list)    # run as the process exits
    environ: list = field(default_factory=list)       # exec's envp, for /proc/<pid>/environ
    altstack: tuple | None = None   # sigaltstack: (base, size)
    stopped: bool = False           # by SIGSTOP/SIGTSTP...: not scheduled until SIGCONT
    stop_report: int = 0            # a stop for the parent's waitpid(WUNTRACED)
    cont_report: bool = False       # a continue for waitpid(WCONTINUED)
    # ptrace (linux/ptrace.py): the thread tracing this one and those this one traces; the
    # signal of the ptrace stop it is held in (0: none), that stop's wait status until the
    # tracer's wait takes it, the stop's siginfo, and a signal the tracer let through (it
    # is delivered without stopping again)
    ptracer: "PCB | None" = None
    ptraced: list = field(default_factory=list)
    ptrace_stop: int = 0
    ptrace_report: int = 0
    ptrace_info: object = None
    ptrace_passed: int = 0
    ptrace: object = None          # a tracee's options and system-call stops (ptrace.Tracee)
    write_progress: tuple | None = None             # a blocking pipe write part done
    fifo_open: tuple | None = None                  # a FIFO end waiting for its other end
    vfork_parent: "PCB | None" = None
    # the process an exec that makes a new process left to go on for this one (the CRT's
    # _exec on Windows): `tblc run` waits for it as for the program itself
    continued_by: "PCB | None" = None
    # the signal the parent gets when this process ends (clone's CSIGNAL byte: SIGCHLD for
    # fork, another or none for a "clone child", which only __WCLONE or __WALL waits see)
    exit_signal: int = 17
    # The thread that took this group leader's pid when it exec'd (de_thread): what named
    # this process (a pidfd, a spawn's handle) names that thread now.
    successor: "PCB | None" = None
    clear_child_tid: int = 0
    tls: dict = field(default_factory=dict)         # i386 GDT TLS entries
    alarm_at: float | None = None  # monotonic time SIGALRM is due (ITIMER_REAL)
    alarm_interval: float = 0.0
    instructions: int = 0
    # when the thread was made (monotonic seconds; fork and clone, not exec, renew it):
    # /proc/PID/stat's starttime, ps's STIME and etime
    start_time: float = field(default_factory=time.monotonic)
    cpu_ns: int = 0                 # time on the core (user and system), summed over slices
    sys_ns: int = 0                 # the part of cpu_ns spent in the kernel's handlers
    dead_threads_cpu_ns: int = 0    # the group leader's: time of threads that have ended
    dead_threads_sys_ns: int = 0
    children_cpu_ns: int = 0        # time of waited-for children (and theirs)
    children_sys_ns: int = 0
    maxrss_kib: int = 0             # the most memory its address spaces held, when looked at
    children_maxrss_kib: int = 0    # ... and the largest of its waited-for children's
    # what the personality keeps per process: a type it declares (runtime/personality.py)
    pstate: object = None

    def __post_init__(self):
        if not self.tgid:
            self.tgid = self.pid
        if not self.group:
            self.group = [self]

    def __getattr__(self, name: str):
        # Reached only for names no field has: the personality's state under the name its
        # type gives (`p.linux`, `p.win32`), so handlers read declared fields, not getattr.
        state = self.__dict__.get("pstate")
        if state is not None and name == getattr(state, "state_name", None):
            return state
        raise AttributeError(f"a process has no '{name}' (its personality's state is "
                             f"{type(state).__name__ if state is not None else 'none'})")

    def settle_times(self) -> None:
        """Bring cpu_ns and sys_ns of the group up to now: the running thread's slice so far."""
        kernel = self.kernel
        if kernel is not None and kernel.slice_started is not None and kernel.running in self.group:
            kernel.settle_times()

    def fs_sharers(self) -> list:
        """The live threads that share this one's working directory and root (CLONE_FS)."""
        if self.fs_group is None:
            return [self]
        self.fs_group[:] = [t for t in self.fs_group if t.alive or t is self]
        return self.fs_group

    def share_fs_with(self, other: "PCB") -> None:
        """other (a clone made with CLONE_FS) shares this one's working directory and root."""
        if self.fs_group is None:
            self.fs_group = [self]
        self.fs_group.append(other)
        other.fs_group = self.fs_group

    def set_cwd(self, path: str) -> None:
        for t in self.fs_sharers():
            t.cwd = path

    def set_root(self, path: str) -> None:
        for t in self.fs_sharers():
            t.root = path

    def pid_holder(self) -> "PCB":
        """The PCB that has this one's pid now: itself, or (after another thread of its group
        exec'd) the thread that took it over, as a struct pid follows exchange_tids."""
        proc = self
        while proc.successor is not None:
            proc = proc.successor
        return proc

    def group_leader(self) -> "PCB":
        """The thread group's first thread (the process), or this one when it has ended."""
        return next((t for t in self.group if t.pid == t.tgid), self)

    def note_rss(self) -> int:
        """The group's peak resident size in KiB, sampled now (when asked, and before an
        address space is let go at exec or exit)."""
        leader = self.group_leader()
        if self.mm is not None:
            leader.maxrss_kib = max(leader.maxrss_kib, self.mm.resident() * 4)
        return leader.maxrss_kib

    def group_cpu_ns(self) -> int:
        """CPU time of the whole thread group, ended threads included (RUSAGE_SELF)."""
        self.settle_times()
        return sum(t.cpu_ns for t in self.group) + self.group_leader().dead_threads_cpu_ns

    def group_sys_ns(self) -> int:
        """The system-time part of group_cpu_ns."""
        self.settle_times()
        return sum(t.sys_ns for t in self.group) + self.group_leader().dead_threads_sys_ns

    @property
    def sigmask(self) -> int:
        return self.signal_words[0]

    @sigmask.setter
    def sigmask(self, mask: int) -> None:
        self.signal_words[0] = mask & SIGSET_BITS

    @property
    def pending(self) -> int:
        return self.signal_words[1]

    @pending.setter
    def pending(self, mask: int) -> None:
        self.signal_words[1] = mask & SIGSET_BITS

    def live_siblings(self) -> list:
        return [t for t in self.group if t is not self and t.alive]

    @property
    def alive(self) -> bool:
        return self.state in (State.RUNNABLE, State.BLOCKED)

    def __repr__(self) -> str:
        return f"<PCB {self.pid} {self.comm} {self.state.value} {self.sysvec.name}>"


def _lookup_input(name: str) -> property:
    """A field that decides where a path leads (cwd, root, cred): setting it renumbers the
    thread's lookup context, the word C's lookup cache reads (runtime/lookup_cache.py)."""
    key = "_" + name

    def get(self):
        return self.__dict__[key]

    def set(self, value) -> None:
        self.__dict__[key] = value
        _renumber_lookups(self)

    return property(get, set)


def _renumber_lookups(proc: PCB) -> None:
    d = proc.__dict__
    if "_cred" not in d:
        return      # (still in __init__: cred is set after cwd and root)
    lookups = getattr(getattr(d.get("kernel"), "fs", None), "lookups", None)
    number = lookups.context(d["_root"], d["_cwd"], d["_cred"]) if lookups is not None else 0
    words = d.get("lookup_words")
    if words is None:
        d["lookup_words"] = array("q", [number])
    else:
        words[0] = number


for _name in ("cwd", "root", "cred"):
    setattr(PCB, _name, _lookup_input(_name))
