"""The Python half of a sysentvec: everything a platform's ABI asks of the kernel besides the
dispatch array the compiler makes.

FreeBSD's `struct sysentvec` is the whole ABI, not only the call table: image set-up, the
registers at exec, signal frames, error translation, fault reporting and the hooks a process's
life runs through. Here the compiled table (runtime.tables.SysVec) is the dispatch half, and a
Personality object is this half. A table's `handlers` module exports it as `personality`; the
table registry binds it to the table (SysVec.personality), so exec, fork, exit, signal
delivery and faults call through `proc.sysvec.personality` and the kernel, the scheduler, the
binary-format handlers and the VFS never name a platform. A new personality is a table, a
binfmt link and a module with handlers and this object; this class's defaults serve a bare
platform (the custom `mysys` one): no per-process state, no signal frames.

Per-process state is a declared type (`process_state`), made at exec into the personality
and kept in `proc.pstate`; handlers reach it as `proc.<state_name>` (`p.linux.umask`,
`p.win32.last_error`). Per-machine state (`machine_state`) lives in `kernel.personal`."""
from __future__ import annotations

from unicorn import x86_const as X

from .mm import STACK_LIMIT


class Personality:
    name = "bare"
    state_name = ""           # the attribute handlers reach proc.pstate by (PCB.__getattr__)
    process_state = None      # a type with fork() and exec(): this ABI's per-process state
    machine_state = None      # a type: this ABI's state for a whole machine (futex queues ...)
    # The x87 and SSE control words a process starts with (Linux's: 64-bit precision, every
    # exception masked); a zero control word would round x87 math to single precision.
    exec_regs = {X.UC_X86_REG_FPCW: 0x37F, X.UC_X86_REG_MXCSR: 0x1F80}
    # Called with the process before each of its time slices, when an ABI keeps state the
    # guest reads without calling (NT's shared-data clocks); None costs the scheduler nothing.
    before_slice = None
    # The width of the spec's `flags` arguments when narrower than a word (None: a word);
    # the rest of the register or stack slot is junk the handler must not see.
    flags_bits = None
    # Whether a 32-bit result leaves the upper half of a 64-bit return register zero, as a
    # compiled function writing EAX does (Windows' API); Linux's system calls return a long.
    results_zero_extend = False
    # Whether a program this ABI starts must have an execute bit (execve's EACCES). Windows
    # has none to set: CreateProcess runs any file it can read (a linker's fresh output).
    exec_needs_mode_bits = True
    # Whether a process of this ABI left running in the session of the program `tblc run`
    # started keeps the run going after that program exits (a shell's background job does;
    # a Windows program's background child does not: the command returns with the program,
    # as under a Windows console or Wine, and the machine ends the child).
    outlives_program = True

    def launcher_program(self, kernel, path: str) -> tuple[str, bytes] | None:
        """A program this ABI provides that the root lacks, for a run from outside the
        machine (`tblc run NAME`): its guest path and bytes, or None (Windows' System32
        programs: runtime/nt/personality.py)."""
        return None

    # --- state ------------------------------------------------------------------------------------

    def machine(self, kernel):
        """This personality's state for kernel's machine, made on first use."""
        state = kernel.personal.get(self.name)
        if state is None:
            state = kernel.personal[self.name] = self.machine_state()
        return state

    # --- a process's life -------------------------------------------------------------------------

    def start_stack(self, mm, start) -> int:
        """Lay out the start-up stack a loader asked for (a binfmt.StartStack); returns the
        initial stack pointer. A bare platform's: argc, argv and envp, an empty auxiliary
        vector (the System V layout, runtime/startstack.py)."""
        from .startstack import StartStackWriter

        out = StartStackWriter(mm, start.top)
        envp = out.push_strings(start.envp)
        argv = out.push_strings(start.argv)
        return out.finish(argv, envp, [])

    def stack_limit(self, proc) -> int:
        """How large the stack of a program proc execs may grow (Linux's RLIMIT_STACK, which
        exec also places the mappings below the stack by): a bare platform's, the default."""
        return STACK_LIMIT

    def on_exec(self, proc, image, bprm) -> None:
        """proc now runs image under this personality: its state is what survives exec of the
        old one (if it was this personality's), else fresh."""
        old = proc.pstate
        if self.process_state is None:
            proc.pstate = None
        elif isinstance(old, self.process_state):
            proc.pstate = old.exec()
        else:
            proc.pstate = self.process_state()

    def on_fork(self, parent, child) -> None:
        """A child copies what its parent's state says it inherits."""
        child.pstate = parent.pstate.fork() if parent.pstate is not None else None

    def on_thread_exit(self, proc) -> None:
        """One thread of a group ends (the group lives on)."""

    def on_exit(self, proc) -> None:
        """The process exits (or is killed), while it still has its descriptors and memory."""

    def inspectable(self, proc) -> bool:
        """Whether a process of the same user may look inside proc (its memory map,
        environment, descriptors: Linux's dumpable flag)."""
        return True

    def orphan_reaper(self, proc):
        """The process that adopts proc's children when it ends, or None for init."""
        return None

    def script_interpreter(self, kernel, sysvec, bprm):
        """The Binprm of the interpreter that runs a script file of this platform (a batch
        file: binfmt/batch.py) on sysvec's platform; this platform has none."""
        import errno

        from .errors import ExecError
        raise ExecError(errno.ENOEXEC, f"{bprm.path}: {self.name} has no script interpreter")

    # --- signals, faults, errors ------------------------------------------------------------------

    def signal_frame(self, kernel, proc, sig: int, action) -> bool:
        """Run a user signal handler; False if its frame could not be written (the process
        then has another signal to take: Linux's forced SIGSEGV). A platform without signal
        frames cannot: the signal ends the process, as its default action would."""
        kernel.exit_process(proc, sig, signaled=True)
        return True

    def dump_core(self, kernel, proc, sig: int) -> int:
        """A death by sig may leave a core file: the wait status's core bit (0x80) if it did."""
        return 0

    def fault_signal(self, kernel, proc, cpu, sig: int) -> tuple:
        """The signal a fault raises and what its receiver learns (a SigInfo or None): sig
        as the engine reported it, unless the personality knows better (Linux: SIGBUS for a
        page past the end of its file). Signal 0: the fault is resolved, the access runs
        again."""
        return sig, None

    def fault(self, kernel, proc, cpu, sig: int) -> bool:
        """The process faulted with sig and has no handler for it: True if the personality
        dealt with it (ended or resumed the process), False for the kernel's crash report."""
        return False

    def fault_name(self, sig: int, name: str) -> str:
        """How a crash report names the signal (NT: the exception's status first)."""
        return name

    def synthetic_node(self, fs, parts: list[str], ctx) -> tuple | None:
        """A file or directory this ABI's processes see at guest path `parts` that the root
        lacks (NT: C:\\Windows\\System32 with the DLLs sysvec made), as the VFS's synthetic
        nodes; None for none. Asked only for a first component starting with W or w."""
        return None

    def handler_fault(self, proc, sysvec, fault) -> int:
        """A call's handler met a bad guest pointer: the table's EFAULT result (a kernel's
        answer to a pointer it probes)."""
        return sysvec.efault_result

    def error_result(self, sysvec, exc) -> int:
        """What a call returns when its handler raised KernelError exc."""
        return sysvec.error_result(exc.errno)


BARE = Personality()
