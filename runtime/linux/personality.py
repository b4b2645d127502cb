"""The Linux personality: the rest of Linux's ABI beside its tables (linux_x86_64, linux_i386,
and the custom mysys table, which borrows Linux's handlers): the per-process state Linux keeps
beyond the PCB, the futex queues of a machine, rt signal frames, and what a thread's exit
owes its joiner."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import KernelError
from ..fault_address import exact_fault_address, memory_fault
from ..personality import Personality
from ..signals import SIGFPE, SIGILL, SIGSEGV, SigInfo
from . import sigframe
from .resource import RLIMIT_STACK, rlimit


@dataclass
class LinuxProcess:
    """What a Linux process (a thread: one PCB) has beyond the PCB, reached as `p.linux`."""

    state_name = "linux"

    umask: int = 0o022                 # the file mode creation mask; fork and exec keep it
    sleep_until: float | None = None   # a nanosleep's deadline (monotonic) while it waits
    suspend: dict | None = None        # sigsuspend/pselect's wait: {"saved": old mask}
    futex: dict | None = None          # a FUTEX_WAIT in progress: {"deadline": ...}
    # What a blocking call keeps across its restarts:
    deadlines: dict = field(default_factory=dict)   # poll/select/epoll: wait key -> deadline
    wait_sigmask: int | None = None    # ppoll/pselect6's mask to restore when the wait ends
    sigwait_deadline: float | None = None
    sock_deadline: tuple | None = None   # (socket and direction, deadline) of SO_*TIMEO
    send_progress: tuple | None = None   # (socket and direction, bytes sent) of a stream send
    waitv: dict | None = None          # a futex_waitv in progress: {"queues", "deadline"}
    futex_woken_by: list | None = None   # the futex queue whose wake ended the wait
    # Inherited by fork and kept by exec (linux/resource.py):
    rlimits: dict = field(default_factory=dict)   # resource -> (soft, hard) set by the process
    nice: int = 0
    sched: tuple = (0, 0)              # scheduling policy and priority (linux/sched.py)
    sched_reset_on_fork: bool = False
    ioprio: int = 0                    # I/O class and level; 0: never set (IOPRIO_CLASS_NONE)
    pdeathsig: int = 0                 # PR_SET_PDEATHSIG's (linux/prctl.py); fork clears it
    child_subreaper: bool = False      # PR_SET_CHILD_SUBREAPER's (the group leader's)
    no_new_privs: bool = False         # PR_SET_NO_NEW_PRIVS's: kept across fork and exec
    robust_list: int = 0               # set_robust_list's head (linux/robust.py); fork clears it
    timerslack_ns: int = 50_000
    thp_disable: bool = False
    exec_domain: int = 0               # personality(2)'s value (PER_LINUX)
    dumpable: int = 1                  # PR_SET_DUMPABLE; a set-id exec clears it
    coredump_filter: int = 0x33        # /proc/PID/coredump_filter: what a core dump holds
    # /proc/PID/oom_score_adj and the least an unprivileged writer may set ("adj", "min"):
    # the thread group's (signal_struct's), shared by its threads as rlimits are
    oom: dict = field(default_factory=lambda: {"adj": 0, "min": 0})
    did_exec: bool = False             # exec'd since its fork: its parent may not setpgid it

    def fork(self) -> "LinuxProcess":
        """The child's: with SCHED_RESET_ON_FORK, a real-time policy or negative nice
        value goes back to SCHED_OTHER and 0 (sched_fork)."""
        reset = self.sched_reset_on_fork
        return LinuxProcess(umask=self.umask, rlimits=dict(self.rlimits), oom=dict(self.oom),
                            nice=max(self.nice, 0) if reset else self.nice,
                            sched=(0, 0) if reset and self.sched[0] in (1, 2, 6) else self.sched,
                            ioprio=self.ioprio, exec_domain=self.exec_domain,
                            dumpable=self.dumpable, coredump_filter=self.coredump_filter,
                            no_new_privs=self.no_new_privs, timerslack_ns=self.timerslack_ns,
                            thp_disable=self.thp_disable)

    def exec(self) -> "LinuxProcess":
        return LinuxProcess(umask=self.umask, rlimits=self.rlimits, oom=self.oom, nice=self.nice,
                            sched=self.sched, sched_reset_on_fork=self.sched_reset_on_fork,
                            ioprio=self.ioprio, exec_domain=self.exec_domain,
                            dumpable=self.dumpable, did_exec=True,
                            coredump_filter=self.coredump_filter, pdeathsig=self.pdeathsig,
                            child_subreaper=self.child_subreaper,
                            no_new_privs=self.no_new_privs, timerslack_ns=self.timerslack_ns,
                            thp_disable=self.thp_disable)


@dataclass
class LinuxMachine:
    """Linux's state for a whole machine."""

    # (address space, address) -> the threads in FUTEX_WAIT there, in the order they came
    futex_waiters: dict = field(default_factory=dict)
    page_cache: object = None   # shared file mappings' pages (linux/shm.py), made on first use
    sysv_shm: object = None     # System V shared memory segments (linux/sysv_shm.py)
    sysv_sem: object = None     # System V semaphore sets (linux/sysv_sem.py)
    sysv_msg: object = None     # System V message queues (linux/sysv_msg.py)
    posix_mqueue: object = None  # POSIX message queues (linux/mqueue.py)
    file_locks: object = None   # record locks and leases (linux/locks.py), made on first use
    dnotify: dict = field(default_factory=dict)   # watched directory -> its watches


class LinuxPersonality(Personality):
    name = "linux"
    process_state = LinuxProcess
    machine_state = LinuxMachine

    def on_exec(self, proc, image, bprm) -> None:
        super().on_exec(proc, image, bprm)
        from .resource import apply_address_space_limit
        from .sysv_shm import sweep_removed
        apply_address_space_limit(proc)     # the new address space keeps RLIMIT_AS
        sweep_removed(proc.kernel)          # the old one's attaches ended
        if proc.kernel.fs is not None:      # a cwd given by name (the first process's) is
            proc.set_cwd(proc.kernel.fs.hold_dir(proc.cwd, proc))  # held as the directory

    def stack_limit(self, proc) -> int:
        """RLIMIT_STACK's soft value (ulimit -s), which exec sizes the new stack by."""
        if not isinstance(proc.pstate, LinuxProcess):
            return super().stack_limit(proc)
        return rlimit(proc, RLIMIT_STACK)[0]

    def inspectable(self, proc) -> bool:
        """A set-id exec made it undumpable (PR_SET_DUMPABLE too): only CAP_SYS_PTRACE sees
        inside it."""
        return not isinstance(proc.pstate, LinuxProcess) or proc.linux.dumpable != 0

    def start_stack(self, mm, start) -> int:
        """create_elf_tables: the strings, random bytes and auxiliary vector (linux/auxv.py)."""
        from .auxv import start_stack
        return start_stack(mm, start)

    def signal_frame(self, kernel, proc, sig: int, action) -> bool:
        return sigframe.setup_frame(kernel, proc, sig, action)

    def fault_signal(self, kernel, proc, cpu, sig: int) -> tuple:
        """SIGBUS for a file mapping's page past EOF; nothing for a fault a stack that
        grows down (MAP_GROWSDOWN) grows into; else sig with the siginfo Linux's trap
        handlers give it."""
        from .mm import expand_stack
        from .shm import fault_past_eof
        addr = int(cpu.fault_addr)
        if sig == SIGSEGV and not int(cpu.fault_intno) and expand_stack(proc, addr):
            return 0, None
        sig, info = fault_past_eof(kernel, proc, addr, sig)
        if info is not None:        # si_addr is the byte accessed, not its page
            info.addr = exact_fault_address(proc, cpu)
        return sig, info if info is not None else fault_info(proc, cpu, sig)

    def dump_core(self, kernel, proc, sig: int) -> int:
        from .coredump import dump_core
        return dump_core(kernel, proc, sig)

    def on_exit(self, proc) -> None:
        """Its robust mutexes go to their waiters; its children that asked
        (PR_SET_PDEATHSIG) learn of their parent's end; its tracees are let go."""
        from .prctl import parent_death
        from .ptrace import exit_ptrace
        from .robust import exit_robust_list
        from .sysv_shm import sweep_removed
        if isinstance(proc.pstate, LinuxProcess):
            exit_robust_list(proc)
        parent_death(proc)
        exit_ptrace(proc)
        if proc.mm is not None and proc.mm.users <= 1:
            sweep_removed(proc.kernel, leaving=proc.mm)   # its attaches end with it

    def orphan_reaper(self, proc):
        """Who adopts proc's children: the nearest child subreaper above it (prctl)."""
        from .prctl import subreaper_for
        return subreaper_for(proc)

    def on_thread_exit(self, proc) -> None:
        """CLONE_CHILD_CLEARTID: clear the thread's tid word and wake one joiner on it;
        the children it created that asked learn of its end (PR_SET_PDEATHSIG); its
        tracees are let go."""
        from .prctl import parent_death
        from .ptrace import exit_ptrace
        from .robust import exit_robust_list
        if isinstance(proc.pstate, LinuxProcess):
            exit_robust_list(proc)
        parent_death(proc)
        exit_ptrace(proc)
        if proc.clear_child_tid and proc.mm is not None:
            from .misc import futex_wake
            try:
                proc.mm.write_u32(proc.clear_child_tid, 0)
                futex_wake(proc, proc.clear_child_tid, 1)
            except KernelError:
                pass


SEGV_MAPERR, SEGV_ACCERR, FPE_INTDIV, ILL_ILLOPN = 1, 2, 1, 2
X86_DIVIDE_ERROR, X86_INVALID_OPCODE = 0, 6


def fault_info(proc, cpu, sig: int) -> SigInfo | None:
    """What a fault's handler learns (arch/x86/kernel/traps.c, mm/fault.c): a page fault's
    address, and whether nothing was mapped there (SEGV_MAPERR) or the access was not
    allowed (SEGV_ACCERR: HotSpot tells a stack overflow from a null pointer by it and the
    address); a divide error's (FPE_INTDIV) or an invalid opcode's (ILL_ILLOPN) instruction.
    A general protection fault gives SI_KERNEL and no address."""
    intno = int(cpu.fault_intno)
    if sig == SIGSEGV:
        if not memory_fault(cpu):
            return SigInfo(addr=0)
        addr = exact_fault_address(proc, cpu)
        mapped = proc.mm is not None and proc.mm.find_vma(addr) is not None
        return SigInfo(code=SEGV_ACCERR if mapped else SEGV_MAPERR, addr=addr)
    if sig == SIGFPE and intno == X86_DIVIDE_ERROR:
        return SigInfo(code=FPE_INTDIV, addr=int(cpu.fault_pc))
    if sig == SIGILL and intno in (0, X86_INVALID_OPCODE):
        return SigInfo(code=ILL_ILLOPN, addr=int(cpu.fault_pc))
    return None


personality = LinuxPersonality()
