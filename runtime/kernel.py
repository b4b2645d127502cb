"""The kernel: process table, exec, exit and wait, and the bridge that runs Python handlers
for the C trap path. The scheduler (sched.py) drives it; the Machine (machine.py) wraps it."""
from __future__ import annotations

import errno
import os
from array import array
from time import perf_counter_ns
from dataclasses import dataclass
from pathlib import Path

from unicorn import x86_const as X

from sysvec.compiler.abi import MAX_ARGS, SHADOW_BIT

from . import signals
from .binfmt import BINPRM_BUF_SIZE, Binprm, BinfmtRegistry, Image
from .block import Block
from .engine import Engine
from .errors import ExecError, Fault, KernelError, SysvecError
from .fault_address import decoder
from .files import INR_OPEN_CUR, FdTable, HostStdio
from .mm import MAX_ARG_BYTES
from .pcb import PCB, SigAction, State
from .progcache import ProgramCache
from .renames import follow_renames
from .tables import TableRegistry
from .vfs import FileSystem

DISARM_PAGE = 0x10000   # where the kernel runs its dr7-clearing instruction
MAX_PROGRAM_BYTES = 256 << 20
VECTOR_REGS = frozenset([*range(X.UC_X86_REG_XMM0, X.UC_X86_REG_XMM7 + 1),
                         *range(X.UC_X86_REG_XMM8, X.UC_X86_REG_XMM15 + 1)])


# ~1 ms of guest code: a switch between address spaces empties the engine's TLB and jump
# cache, so shorter slices spend the core refilling them
DEFAULT_QUANTUM = 100000
BLOCK_NS = 10      # a timed quantum's nanoseconds per block


@dataclass
class Limits:
    pages_per_process: int = (1 << 30) >> 12     # 1 GiB of mapped memory per process
    pool_pages: int = (1 << 30) >> 12            # 1 GiB of touched guest memory in all
    max_processes: int = 256
    max_fds: int = 1024
    # basic blocks per time slice, counted by a hook on every block, so a run repeats its
    # interleaving; 0: never preempt. None (the default): timed slices of DEFAULT_QUANTUM
    # blocks at BLOCK_NS each (1 ms), with no per-block work (csrc/slice_timer.c)
    quantum: int | None = None
    max_blocks: int = 0                           # 0: no instruction budget for a run
    max_seconds: float = 0.0                      # 0: no wall-clock budget
    max_output: int = 0                           # bytes to host stdout/stderr; 0: unlimited


class SysctlWrites(dict):
    """The /proc/sys values root wrote, which tell `changed` of each key written."""

    def __init__(self, changed):
        super().__init__()
        self.changed = changed

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        self.changed(key)


class Kernel:
    def __init__(self, module, sysvecs, root: Path, limits: Limits | None = None,
                 tracer=None, env: dict | None = None):
        self.module = module
        self.limits = limits or Limits()
        self.tables = TableRegistry()
        for sv in sysvecs:
            self.tables.add(sv)
        self.binfmts = BinfmtRegistry()
        self.fs = FileSystem(Path(root))
        self.fs.rename_followers.append(lambda pairs: follow_renames(self, pairs))
        self.programs = ProgramCache()   # exec'd files' bytes, by host file and version
        self.tracer = tracer
        self.engines: dict[int, Engine] = {}
        self.procs: dict[int, PCB] = {}
        self.next_pid = 100
        self.env = env or {}
        self.output_bytes = 0
        self.output_limit_reported = False
        self.exec_events = []
        self.crash_reports: list[str] = []
        self.running = None   # the process on the core, set by the scheduler
        self.long_slice = False   # it runs LONG_SLICE quanta: no other process could run (sched.py)
        self.slice_started = None   # perf_counter_ns the running slice's time is charged from
        self.host_exception = None   # raised by the scheduler once the interrupted call is undone
        self.dll_dir = None   # the build's DLL images (per platform), for the PE loader
        self.report_crashes = True
        self.counting_blocks = False   # a run has a block budget: every engine counts blocks
        # threads waiting on a futex anywhere on the machine (linux/misc.py's queues count
        # them): while none do, C answers FUTEX_WAKE (csrc/handlers.c)
        self.futex_waiting = array("q", [0])
        # Batch runs (runtime/batch) observe a run through these; a plain run leaves them be.
        self.call_counter = None       # callable(proc, nr, result) after every call, if set
        self.terminal_fds = (1, 2)     # host descriptors --max-output counts
        self.on_reap = None            # callable(proc) when a process leaves the table
        self.missing_imports_hit: list[str] = []   # DLL!function, once per call that ended one
        self.personal: dict[str, object] = {}   # each personality's machine state, by its name
        self.net = None         # the machine's network (runtime/net), made on first use
        # /proc/sys tunables root wrote: "vm/max_map_count" -> text; the ones C reads are
        # handed on as they are written (_sysctl_changed)
        self.sysctl_written = SysctlWrites(self._sysctl_changed)
        self.terminals = []            # runtime/tty: every terminal (ptys, the host's)
        self.host_sources = []         # feeds from outside the guests, pumped between slices
        self.scheduler = None   # set by the Machine

    # --- engines ------------------------------------------------------------------------------

    def _overcommit_mode(self) -> int:
        text = self.sysctl_written.get("vm/overcommit_memory", "0")
        return int(text) if text in ("0", "1", "2") else 0

    def _sysctl_changed(self, key: str) -> None:
        if key == "vm/overcommit_memory":   # csrc/mm.c's charge_ok and touch_ok read it
            for engine in self.engines.values():
                engine.phys.overcommit = self._overcommit_mode()

    def count_blocks(self) -> None:
        """Count basic blocks on every engine, now and later (for a run's block budget)."""
        self.counting_blocks = True
        for engine in self.engines.values():
            engine.count_blocks()

    def engine(self, bits: int) -> Engine:
        """The engine for 64- or 32-bit processes, created on first use."""
        if bits not in self.engines:
            engine = Engine(self.module, bits, self, self.limits.pool_pages)
            timed = self.limits.quantum is None
            blocks = DEFAULT_QUANTUM if timed else self.limits.quantum
            # A quantum of a few blocks would spend the run switching: 100 blocks at least.
            engine.quantum = max(blocks, 100) if blocks > 0 else 0
            engine.cpu.quantum = engine.quantum
            if (blocks > 0 and not timed) or self.counting_blocks:
                engine.count_blocks()
            elif timed:
                engine.time_slices(BLOCK_NS)
            if bits == 32:
                from .gdt import setup_engine
                setup_engine(engine)
            engine.phys.overcommit = self._overcommit_mode()
            engine.pristine = engine.new_context()
            engine.lib.uc_context_save(engine.handle, engine.pristine)
            engine.cpu.trace = (self.tracer.arm(engine) if self.tracer else 0) or \
                (1 if self.call_counter else 0)
            self.engines[bits] = engine
        return self.engines[bits]

    def close(self) -> None:
        """Free the engines, their page pools and every address space and saved context on
        them; the kernel runs nothing afterwards (the PCBs keep their exit statuses)."""
        from .engine import RUNNING

        if RUNNING[0] is self:
            RUNNING[0] = None
        self.running = None
        for proc in self.procs.values():
            proc.context = None
        for engine in self.engines.values():
            engine.close()
        self.engines.clear()
        self.programs = ProgramCache()
        self.fs.close()          # its tmpfs mounts' host directories

    # --- processes ------------------------------------------------------------------------------

    def alloc_pid(self) -> int:
        if len(self.procs) >= self.limits.max_processes:
            raise KernelError(errno.EAGAIN)
        if self.long_slice:
            self.end_long_slice()   # a new process: preemption matters again
        pid = self.next_pid
        self.next_pid += 1
        return pid

    def spawn(self, path: str, argv: list[bytes], envp: list[bytes], fds=None, cwd: str = "/",
              opener=None, command_line: str | None = None) -> PCB:
        """Create a process running path (a guest path), like fork+exec from outside; opener:
        the process whose view finds the program (CreateProcess's caller: its personality's
        files, such as Windows' System32), the new one's by default; command_line: the exact
        line a Windows program gets (argv joined otherwise)."""
        if cwd != "/":
            try:   # where chdir(cwd) would land, so a relative path or symlink reads as usual
                cwd = self.fs.chdir_target("/", cwd)
            except KernelError as exc:
                raise ExecError(exc.errno, f"working directory {cwd}: "
                                           f"{os.strerror(exc.errno)}") from None
        pid = self.alloc_pid()
        proc = PCB(pid=pid, ppid=0, kernel=self, engine=None, sysvec=None, mm=None,
                   fds=fds or FdTable(min(self.limits.max_fds, INR_OPEN_CUR)), cwd=cwd)
        proc.pgid = proc.sid = pid
        image, sysvec, bprm = self.load_program(proc, path, argv, envp, opener, command_line)
        self.procs[pid] = proc
        self.install_image(proc, image, sysvec, bprm)
        return proc

    def load_program(self, proc, path: str, argv, envp, opener=None, command_line=None,
                     opened=None):
        """Resolve, read and load a program (from the open file `opened` when given: execveat
        of a descriptor); the process is not changed (exec may still fail)."""
        if sum(len(a) + 1 for a in argv) + sum(len(e) + 1 for e in envp) > MAX_ARG_BYTES:
            raise ExecError(errno.E2BIG, f"{path}: argument list too long")
        inode = []
        guest, data = self.open_exec(path, opener or proc, inode, opened)
        bprm = Binprm(path=path, guest_path=guest, data=data, argv=list(argv), envp=list(envp),
                      filename=path, inode=inode[0], command_line=command_line,
                      reader=opener or proc)
        if proc.sysvec is not None:          # (a first process has the default)
            bprm.rlim_stack = proc.sysvec.personality.stack_limit(proc)
        image = self.binfmts.search(self, bprm)
        try:
            sysvec = self.table_for(image.binfmt, path)
            if image.start is not None:   # the personality lays out the start-up stack
                image.sp = sysvec.personality.start_stack(image.mm, image.start)
        except ExecError:
            image.mm.release()
            raise
        except KernelError as exc:
            image.mm.release()
            raise ExecError(exc.errno, f"{path}: cannot load: {exc}") from None
        return image, sysvec, bprm

    def table_for(self, binfmt: str, path: str):
        """The table (and with it the personality) a binary format is linked to; ENOEXEC
        when it is linked to none."""
        try:
            return self.tables.find(binfmt)
        except SysvecError as exc:
            raise ExecError(errno.ENOEXEC, f"{path}: {exc}") from None

    def open_exec(self, path: str, ctx, inode: list | None = None,
                  opened=None) -> tuple[str, bytes]:
        """The file exec would run, opened once through the VFS (so inside the root, with no
        host symlink followed), or the open file given: a regular file the caller may
        execute. Returns its guest path and data (and appends its stat as the guest sees it
        to inode)."""
        import stat as S
        from . import perm
        from .files import HostFile, ProgramBytes

        cwd = getattr(ctx, "cwd", "/") if ctx is not None else "/"
        if opened is not None:
            f = opened
            f.incref()
        else:
            try:
                f = self.fs.open(cwd, path, 0, 0, ctx if isinstance(ctx, PCB) else None)
            except KernelError as exc:
                if exc.errno == errno.EISDIR:
                    raise ExecError(errno.EACCES, f"{path}: is a directory") from None
                f = self._launcher_program(ctx, path) if exc.errno == errno.ENOENT else None
                if f is None:
                    raise ExecError(exc.errno, f"{path}: {os.strerror(exc.errno)}") from None
        try:
            st = f.fstat()
            if S.S_ISDIR(st.st_mode):
                raise ExecError(errno.EACCES, f"{path}: is a directory")
            # Whether the file needs an execute bit: the caller's ABI says (NT has none: a
            # CreateProcess runs any file); for a run from outside (the command line, no ABI
            # yet), the file's format (a PE has none to set).
            mode_bits = True
            if isinstance(ctx, PCB) and ctx.sysvec is not None:
                mode_bits = ctx.sysvec.personality.exec_needs_mode_bits
            elif isinstance(ctx, PCB) and S.S_ISREG(st.st_mode) and not st.st_mode & 0o111:
                mode_bits = self.binfmts.needs_exec_bit(f.pread(BINPRM_BUF_SIZE, 0),
                                                        f.guest_path)
            if not isinstance(f, (HostFile, ProgramBytes)) or not S.S_ISREG(st.st_mode) or \
                    mode_bits and not st.st_mode & 0o111:
                raise ExecError(errno.EACCES, f"{path}: permission denied (not an executable file)")
            view = self.fs.iattrs.apply(st)
            if mode_bits and not perm.allowed(perm.cred_of(ctx), view, perm.MAY_EXEC):
                raise ExecError(errno.EACCES, f"{path}: permission denied")
            if inode is not None:
                inode.append(view)
            # The program is read whole into host memory: no larger than a process may be.
            if st.st_size > min(self.limits.pages_per_process << 12, MAX_PROGRAM_BYTES):
                raise ExecError(errno.ENOMEM, f"{path}: program too large to load "
                                              f"({st.st_size} bytes)")
            data = self.programs.get(st)
            if data is None:
                chunks, offset = [], 0
                while True:
                    chunk = f.pread(1 << 20, offset)
                    if not chunk:
                        break
                    chunks.append(chunk)
                    offset += len(chunk)
                data = b"".join(chunks)
                self.programs.put(st, data)
        except KernelError as exc:
            raise ExecError(exc.errno, f"{path}: {os.strerror(exc.errno)}") from None
        finally:
            f.decref()
        return f.guest_path, data

    def exec_interpreter(self, interp: str, argv: list[bytes], bprm: Binprm) -> Image:
        """A #! script runs its interpreter, whose file (not the script's) the credentials
        come from: a set-user-ID script is not honoured, as binfmt_script re-reads them."""
        inode = []
        guest, data = self.open_exec(interp, None, inode)
        bprm.inode = inode[0]
        nb = Binprm(path=interp, guest_path=guest, data=data, argv=argv, envp=bprm.envp,
                    filename=bprm.filename, depth=bprm.depth + 1, reader=bprm.reader,
                    inode=inode[0], rlim_stack=bprm.rlim_stack)
        return self.binfmts.search(self, nb)

    def _launcher_program(self, ctx, path: str):
        """For a run from outside (a process with no ABI yet), a program a personality
        provides that the root lacks (Personality.launcher_program), opened."""
        from .files import ProgramBytes
        if not isinstance(ctx, PCB) or ctx.sysvec is not None:
            return None
        seen = set()
        for platform in list(self.tables.by_platform):
            try:
                personality = self.tables.platform(platform).personality   # (binds it)
            except SysvecError:
                continue
            if personality is None or id(personality) in seen:
                continue
            seen.add(id(personality))
            found = personality.launcher_program(self, path)
            if found is not None:
                return ProgramBytes(found[1], found[0])
        return None

    def install_image(self, proc: PCB, image: Image, sysvec, bprm: Binprm) -> None:
        """Make the loaded image the process's: new address space, registers and table."""
        old_table = proc.sysvec.name if proc.sysvec else None
        engine = self.engine(image.bits)
        ctx = engine.new_context()
        size = engine.lib.uc_context_size(engine.handle)
        engine.ffi.memmove(ctx, engine.pristine, size)
        if proc.mm is not None:
            proc.note_rss()
            proc.mm.release()
        proc.engine, proc.mm, proc.sysvec, proc.context = engine, image.mm, sysvec, ctx
        personality = sysvec.personality
        regs = {engine.sp_reg: image.sp, engine.pc_reg: image.entry, **personality.exec_regs}
        regs.update(image.regs)
        self.set_context_regs(proc, regs)
        proc.exe = image.exe or bprm.guest_path
        proc.argv = [a.decode(errors="replace") for a in bprm.argv]
        proc.environ = list(bprm.envp)
        proc.comm = os.path.basename(bprm.path)[:15]
        proc.sigstack.clear()
        proc.altstack = None   # exec forgets the alternate signal stack
        proc.timers.clear()    # and its timers (alarm's survives: alarm_at)
        for sig, act in list(proc.sigactions.items()):   # flush_signal_handlers:
            if act.handler not in (signals.SIG_DFL, signals.SIG_IGN):
                del proc.sigactions[sig]   # handlers do not survive exec; ignored signals do,
            elif act != SigAction(act.handler):   # without their flags, mask and restorer
                proc.sigactions[sig] = SigAction(act.handler)
        proc.tls.clear()
        if image.bits == 32:
            from .gdt import setup_process
            setup_process(proc)
        if image.setup:
            image.setup(proc)
        personality.on_exec(proc, image, bprm)
        self.exec_events.append((proc.pid, bprm.path, old_table, sysvec.name, image.binfmt))
        if self.tracer:
            self.tracer.exec_event(proc, bprm.path, old_table, sysvec.name)

    def set_context_regs(self, proc: PCB, regs: dict) -> None:
        """Write registers into a process's saved context (it is not running)."""
        engine = proc.engine
        ffi, lib, ctx = engine.ffi, engine.lib, proc.context
        word = ffi.new("uint64_t *")    # one buffer for every general register
        for reg, value in regs.items():
            if reg in VECTOR_REGS:
                xmm = ffi.new("uint8_t[16]", int(value).to_bytes(16, "little"))
                lib.uc_context_reg_write(ctx, reg, xmm)
            else:
                word[0] = value & 0xFFFFFFFFFFFFFFFF
                lib.uc_context_reg_write(ctx, reg, word)

    # --- exit and wait ---------------------------------------------------------------------------

    def de_thread(self, proc: PCB) -> None:
        """exec's de_thread (fs/exec.c): every other thread of proc's group ends, and a thread
        that is not the group's leader takes the leader's place -- its pid (getpid() and
        gettid() are the old process id), parent, process group, session, start time,
        timers, accounting and place among the parent's children. The old leader is released
        without a word to the parent, whose wait goes on for the same pid."""
        leader = proc.group_leader()
        for t in proc.live_siblings():
            if t is not leader:      # first: their times are added up in the leader
                t.clear_child_tid = 0
                self.exit_thread(t)
        if leader is not proc and leader in proc.group:
            leader.clear_child_tid = 0
            self.exit_thread(leader, reported=False)
            self._take_over(proc, leader)
        proc.group[:] = [proc]

    def _take_over(self, proc: PCB, leader: PCB) -> None:
        """proc becomes the process leader was (de_thread's exchange_tids and the rest)."""
        old_tid = proc.pid
        if self.procs.get(old_tid) is proc:
            del self.procs[old_tid]
        proc.pid, leader.pid = leader.pid, old_tid
        self.procs[proc.pid] = proc
        leader.successor = proc
        proc.parent, proc.ppid, proc.pgid, proc.sid = \
            leader.parent, leader.ppid, leader.pgid, leader.sid
        proc.start_time = leader.start_time      # the process's age is the leader's
        parent = leader.parent
        if parent is not None:      # list_replace_init(&leader->sibling, &tsk->sibling)
            siblings = parent.children
            if leader in siblings:
                siblings[siblings.index(leader)] = proc
        # What Linux keeps in the signal_struct, kept on the leader here: the dead threads'
        # times (the leader's own now among them), peak sizes, interval timers and alarm,
        # and the process-directed signals still pending.
        proc.dead_threads_cpu_ns += leader.dead_threads_cpu_ns + leader.cpu_ns
        proc.dead_threads_sys_ns += leader.dead_threads_sys_ns + leader.sys_ns
        proc.children_cpu_ns += leader.children_cpu_ns
        proc.children_sys_ns += leader.children_sys_ns
        proc.maxrss_kib = max(proc.maxrss_kib, leader.maxrss_kib)
        proc.children_maxrss_kib = max(proc.children_maxrss_kib, leader.children_maxrss_kib)
        proc.alarm_at, proc.alarm_interval = leader.alarm_at, leader.alarm_interval
        proc.cpu_timers = leader.cpu_timers
        for sig, infos in leader.siginfo.items():
            if not proc.pending & signals.bit(sig):
                proc.siginfo[sig] = infos
        proc.pending |= leader.pending
        if proc.vfork_parent is None:
            proc.vfork_parent, leader.vfork_parent = leader.vfork_parent, None
        if self.tracer:
            self.tracer.note(proc, f"thread {old_tid} took over pid {proc.pid} by execve")

    def exit_thread(self, proc: PCB, reported: bool = True) -> None:
        """One thread of a group ends (the group lives on): clear its tid word and wake a
        joiner (the personality's part: Linux's CLONE_CHILD_CLEARTID); it leaves no zombie.
        reported=False: a leader de_thread releases, which the tracer shows no exit of."""
        proc.sysvec.personality.on_thread_exit(proc)
        proc.state = State.ZOMBIE
        proc.wait = None
        proc.settle_times()
        if proc in proc.group:
            proc.group.remove(proc)
            leader = next((t for t in proc.group if t.pid == t.tgid), None)
            if leader is not None:
                leader.dead_threads_cpu_ns += proc.cpu_ns
                leader.dead_threads_sys_ns += proc.sys_ns
            heir = next((t for t in proc.group if t.alive), None)
            if heir is not None:    # its children stay the process's (forget_original_parent)
                for child in proc.children:
                    child.parent = heir
                heir.children.extend(proc.children)
                proc.children.clear()
            if proc.fds is not None and not self.fds_shared(proc):
                proc.fds.close_all()    # a table of its own (close_range's unsharing)
        if proc.engine is not None and proc.engine.current is proc:
            proc.engine.need_resched()
        if self.tracer and reported:
            self.tracer.exit_event(proc)
        self.reap(proc)

    def exit_group(self, proc: PCB, status: int, signaled: bool = False) -> None:
        """The whole thread group ends; the group's leader carries the wait status."""
        leader = next((t for t in proc.group if t.pid == t.tgid), proc)
        for t in list(proc.group):
            if t is not leader and t.alive:
                t.clear_child_tid = 0
                self.exit_thread(t)
        self.exit_process(leader, status, signaled)

    def dump_core(self, proc: PCB, sig: int) -> int:
        """The core-dump bit of a death by sig (the personality may write a core file)."""
        if proc.sysvec is None:
            return 0
        return proc.sysvec.personality.dump_core(self, proc, sig)

    def exit_process(self, proc: PCB, status: int, signaled: bool = False) -> None:
        """Turn proc into a zombie with a wait status: code << 8, or the signal number."""
        if not proc.alive:
            return
        if proc.live_siblings():
            self.exit_group(proc, status, signaled)
            return
        hooks, proc.exit_hooks = proc.exit_hooks, []
        for hook in hooks:   # while the process still has its descriptors and memory
            hook()
        if proc.sysvec is not None:
            proc.sysvec.personality.on_exit(proc)
        proc.exit_status = status if signaled else (status & 0xFF) << 8
        proc.state = State.ZOMBIE
        proc.wait = None
        if not self.fds_shared(proc):    # (CLONE_FILES: another still uses it)
            proc.fds.close_all()
        if proc.mm is not None:
            proc.note_rss()
            proc.mm.release()
            proc.mm = None
        if proc.engine is not None and proc.engine.current is proc:
            proc.engine.need_resched()
        if proc.vfork_parent is not None:
            self.release_vfork(proc)
        reaper = proc.sysvec.personality.orphan_reaper(proc) if proc.sysvec is not None \
            else None
        for child in proc.children:
            if reaper is not None:      # a child subreaper above it waits for them
                child.parent, child.ppid = reaper, reaper.tgid
                child.exit_signal = signals.SIGCHLD
                reaper.children.append(child)
                continue
            child.parent = None
            child.ppid = 1
            child.exit_signal = signals.SIGCHLD     # reparent_leader
            if child.state == State.ZOMBIE:
                self.reap(child)
        for child in proc.children:     # each child's group may have lost its tie: proc
            if child.pgid != proc.pgid and child.sid == proc.sid:
                self.hang_up_orphaned_group(child.pgid)
        proc.children.clear()
        parent = proc.parent            # and proc's own group may have lost it: proc's
        if parent is not None and parent.pgid != proc.pgid and parent.sid == proc.sid:
            self.hang_up_orphaned_group(proc.pgid)
        if self.tracer:
            self.tracer.exit_event(proc)
        if proc.ptrace is not None:     # a tracer not its parent hears of it first
            proc.ptrace.report_exit(proc)
        if parent is None or not parent.alive:
            if proc.ptracer is None:
                self.reap(proc)  # nobody will wait for it
            return
        # do_notify_parent: the child's exit signal (clone may have chosen another, or none);
        # a parent ignoring SIGCHLD, or with SA_NOCLDWAIT, leaves a SIGCHLD child no zombie
        sig = proc.exit_signal
        act = parent.sigactions.get(signals.SIGCHLD)
        if sig == signals.SIGCHLD and act is not None and \
                (act.handler == signals.SIG_IGN or act.flags & 2):     # SA_NOCLDWAIT
            self.reap(proc)
            parent.children.remove(proc)
        if 1 <= sig <= signals.NSIG:    # (legacy clone takes any byte; an invalid one is sent
            signals.send_process(parent, sig, self._child_info(proc))    # to nobody)
        self.wake(parent)

    def hang_up_orphaned_group(self, pgid: int) -> None:
        """kill_orphaned_pgrp: a process group that no member's parent ties to another
        group of its session any more, and that has a stopped member, gets SIGHUP and then
        SIGCONT, so that a stopped job nobody can continue hears of it (POSIX)."""
        members = [p for p in self.procs.values() if p.pgid == pgid and p.alive]
        if not any(p.stopped for p in members):
            return
        for p in members:
            parent = p.parent
            if parent is not None and parent.alive and parent.pgid != pgid and \
                    parent.sid == p.sid:
                return                  # still tied to the rest of its session
        for p in members:
            if p.pid == p.tgid:         # the processes, each once
                signals.send_process(p, signals.SIGHUP, signals.SigInfo())
                signals.send_process(p, signals.SIGCONT, signals.SigInfo())

    def fds_shared(self, proc: PCB) -> bool:
        """Whether another live thread or process uses proc's descriptor table (threads, and
        clone's CLONE_FILES between processes)."""
        return self._shared(proc, lambda q: q.fds)

    def sigactions_shared(self, proc: PCB) -> bool:
        """The same for its signal actions (CLONE_SIGHAND)."""
        return self._shared(proc, lambda q: q.sigactions)

    def _shared(self, proc: PCB, table) -> bool:
        mine = table(proc)
        return any(q is not proc and q.alive and table(q) is mine for q in self.procs.values())

    def unshare_for_exec(self, proc: PCB) -> None:
        """exec's unshare_files and unshare_sighand: a descriptor table or signal actions
        still shared with another process become the exec'ing process's own copy."""
        self.unshare_files(proc)
        if self.sigactions_shared(proc):
            proc.sigactions = proc.sigactions.copy()

    def unshare_files(self, proc: PCB) -> None:
        """unshare_fd: a descriptor table still shared with another thread or process
        becomes proc's own copy (exec, unshare(CLONE_FILES))."""
        if proc.fds is not None and self.fds_shared(proc):
            proc.fds = proc.fds.fork()
            if proc.engine is not None:
                proc.engine.load_files(proc)

    @staticmethod
    def _child_info(proc: PCB):
        """SIGCHLD's siginfo: who ended and how (CLD_EXITED with the code, CLD_KILLED or
        CLD_DUMPED with the signal)."""
        st = proc.exit_status
        cred = proc.cred
        code, status = (signals.CLD_DUMPED if st & 0x80 else signals.CLD_KILLED, st & 0x7F) \
            if st & 0x7F else (signals.CLD_EXITED, st >> 8 & 0xFF)
        return signals.SigInfo(code, proc.tgid, cred.uid if cred is not None else 0, status)

    def reap(self, proc: PCB) -> None:
        """The process is gone for good: it leaves the process table (handles keep its PCB)."""
        proc.state = State.DEAD
        if self.procs.get(proc.pid) is proc:
            del self.procs[proc.pid]
            if self.on_reap is not None:
                self.on_reap(proc)

    def release_vfork(self, child: PCB) -> None:
        parent, child.vfork_parent = child.vfork_parent, None
        if parent is not None:
            self.wake(parent)

    def wake(self, proc: PCB) -> None:
        if proc.state == State.BLOCKED:
            proc.state = State.RUNNABLE
            proc.wait = None

    # --- the Python side of the trap path ------------------------------------------------------

    def settle_times(self) -> None:
        """Charge the running process its slice so far: the CPU time since the slice (or the
        last settling) began, and as system time what the trap path measured in Python
        handlers (csrc/trap.c's py_ns). Readers of a process's times settle first."""
        proc, started = self.running, self.slice_started
        if proc is None or started is None:
            return
        now = perf_counter_ns()
        proc.cpu_ns += now - started
        self.slice_started = now
        cpu = proc.engine.cpu
        proc.sys_ns += cpu.py_ns
        cpu.py_ns = 0

    def end_long_slice(self) -> None:
        """The running process may have given another one work (a wake-up, a new process):
        its slice ends within a quantum, and the scheduler looks again."""
        self.long_slice = False
        engine = self.running.engine
        engine.cpu.wake_budget = 0
        engine.lib.sv_cpu_shorten(engine.cpu, engine.quantum)

    def python_call(self, nr: int, args) -> int:
        proc = self.running
        if self.long_slice and len(self.procs) > 1:
            self.end_long_slice()
        sysvec = proc.sysvec
        if nr >= SHADOW_BIT:
            stop_bit = self.module.lib.SV_PTRACE_CALL
            if nr & stop_bit:       # not a call: a ptrace tracee stops (csrc/trap.c)
                if proc.ptrace is not None:
                    proc.ptrace.trap_stop(proc, nr & ~stop_bit)
                return 0
            sysvec, nr = sysvec.lookup(nr)
        try:
            result = sysvec.py_calls[nr].invoke(proc, args)
        except Block as blk:
            engine = proc.engine
            sig = signals.next_signal(proc)
            if sig:
                # A signal interrupts the wait: with SA_RESTART the handler runs and the
                # call starts again; otherwise the call fails with EINTR, as on Linux. A
                # call that moved some bytes returns them either way (no restart can undo
                # them: -ERESTARTSYS is only for a call that did nothing).
                act = proc.sigactions.get(sig)
                if not blk.partial and blk.restartable and act is not None and \
                        act.flags & signals.SA_RESTART and \
                        act.handler not in (signals.SIG_DFL, signals.SIG_IGN):
                    engine.restart_call()
                    return 0
                if not blk.partial and signals.stops_for_tracer(proc, sig):
                    # -ERESTARTSYS: the tracee stops for its tracer, and the call starts
                    # again when it is let go with no signal
                    engine.restart_call()
                    engine.need_resched()
                    return 0
                engine.need_resched()
                if blk.on_interrupt is not None:
                    blk.on_interrupt()
                if blk.partial:   # as Linux: a write interrupted after some bytes returns them
                    return blk.partial
                return sysvec.error_result(errno.EINTR)
            proc.state = State.BLOCKED
            proc.wait = blk
            blk.call = (sysvec, nr)    # what it waits in, for a deadlock's report
            proc.at_restart = True
            engine.restart_call()
            return 0
        except Fault as fault:
            try:
                result = sysvec.personality.handler_fault(proc, sysvec, fault)
            except Fault as again:   # no stack to raise the exception on: as force_sigsegv
                self.fault_unraisable(proc, sysvec.calls[nr].name if nr in sysvec.calls
                                      else f"#{nr}", again)
                return 0
        except KernelError as exc:
            result = sysvec.personality.error_result(sysvec, exc)
        except (OverflowError, ValueError):
            # An argument no host call can take (a huge offset, an invalid mode): EINVAL, as
            # the kernel answers out-of-range arguments.
            if os.environ.get("SYSVEC_DEBUG"):
                import traceback
                traceback.print_exc()
            result = sysvec.error_result(errno.EINVAL)
        except Exception as exc:   # noqa: BLE001 - a handler bug, reported and contained
            self.handler_bug(proc, sysvec.calls[nr].name if nr in sysvec.calls else f"#{nr}", exc)
            return 0
        if proc.pending or proc.after_trap or proc.state is not State.RUNNABLE:
            # A signal to deliver, work after the trap, or the process exited: let the
            # scheduler take over once this call has returned.
            if proc.after_trap or proc.state is not State.RUNNABLE or signals.deliverable(proc):
                proc.engine.need_resched()
        if result is None:
            return 0
        return result - (1 << 64) if result >= 1 << 63 else result   # the C side is int64_t

    def handler_bug(self, proc: PCB, call: str, exc: BaseException) -> None:
        """A handler raised something no system call answers with: a sysvec bug. It is
        reported in one line (SYSVEC_DEBUG=1 adds the traceback) and the process ends as a
        bad system call (SIGSYS); the guest never sees a made-up error number."""
        self.report_crash(f"sysvec: pid {proc.pid} ({proc.comm}) ended with SIGSYS: internal error "
                          f"in the {call} handler: {type(exc).__name__}: {exc} "
                          "(a sysvec bug; SYSVEC_DEBUG=1 shows the traceback)")
        if os.environ.get("SYSVEC_DEBUG"):
            import traceback
            traceback.print_exception(type(exc), exc, exc.__traceback__)
        self._end_in_call(proc, signals.SIGSYS)

    def fault_unraisable(self, proc: PCB, call: str, fault: Fault) -> None:
        """A call met a bad pointer and the fault it raises in the guest (a Windows access
        violation) cannot be delivered either -- the stack it goes on is unreadable: the
        process ends with SIGSEGV, as Linux's force_sigsegv when no frame can be written."""
        self.report_crash(f"sysvec: pid {proc.pid} ({proc.comm}) ended with SIGSEGV: the "
                          f"{call} call faulted and its exception could not be raised "
                          f"(no usable stack at {fault.address:#x})")
        self._end_in_call(proc, signals.SIGSEGV)

    def _end_in_call(self, proc: PCB, sig: int) -> None:
        """End the process a call was made in with sig; the scheduler takes over after it."""
        if proc.alive:
            self.exit_process(proc, sig, signaled=True)
        if proc.engine is not None:
            proc.engine.need_resched()

    def host_exception_in_call(self, exc: BaseException, in_handler: bool) -> None:
        """The host interrupted a call (HostInterrupt, KeyboardInterrupt): emulation stops,
        the scheduler re-raises exc, and a call interrupted inside its handler runs again
        if the machine is resumed (a finished call being traced is left as it is)."""
        self.host_exception = exc
        proc = self.running
        if proc is not None and proc.engine is not None:
            if in_handler:
                proc.engine.restart_call()
            else:
                proc.engine.need_resched()

    def trace_call(self, nr: int, args, result: int) -> None:
        if self.call_counter is not None:
            self.call_counter(self.running, nr, result)
        if self.tracer:
            self.tracer.call(self.running, nr, [int(args[i]) for i in range(MAX_ARGS)], result)

    # --- faults ------------------------------------------------------------------------------------

    def output_allowance(self, proc: PCB, f, n: int) -> int:
        """How many of n bytes may go to the host's stdout/stderr under --max-output. Past the
        limit a write gets nothing and the process SIGXFSZ, as with a file-size limit, so a
        process that ignores the signal still cannot write more."""
        limit = self.limits.max_output
        if not limit or not n or not (isinstance(f, HostStdio) and f.host_fd in self.terminal_fds):
            return n
        left = limit - self.output_bytes
        if left <= 0:
            if not self.output_limit_reported:   # once: a guest ignoring SIGXFSZ retries
                self.output_limit_reported = True
                self.report_crash(f"sysvec: pid {proc.pid} ({proc.comm}) reached the output "
                                  f"limit ({limit} bytes, --max-output): its writes to the "
                                  "terminal fail and it gets SIGXFSZ")
            signals.send(proc, signals.SIGXFSZ)
            return 0
        allowed = min(n, left)
        self.output_bytes += allowed
        return allowed

    def disarm_debug_registers(self, proc: PCB) -> None:
        """The guest wrote dr7, a privileged register (Linux: SIGSEGV). Unicorn keeps the
        breakpoints it armed in the engine, where they would trap later processes, and only
        a guest `mov dr7` removes them: run one from a kernel page, then end the process."""
        engine = proc.engine
        space = engine.disarm_space
        if space is None:
            from .mm import AddressSpace
            space = engine.disarm_space = AddressSpace(engine)
            space.map(DISARM_PAGE, 4096, 5, "[dr7]")
            space.write_force(DISARM_PAGE, b"\x0f\x23\xf8\xcc")   # mov dr7, rax; int3
        cpu = engine.cpu
        cpu.aspace, current = space.c, cpu.aspace
        engine.uc.reg_write(engine.ret_reg, 0)
        engine.lib.sv_cpu_run(cpu, DISARM_PAGE)
        cpu.aspace, cpu.dr7 = current, 0
        self.report_crash(f"sysvec: pid {proc.pid} ({proc.comm}) wrote a debug register: "
                          "privileged")
        self.exit_process(proc, signals.SIGSEGV, signaled=True)

    def report_crash(self, message: str) -> None:
        """Keep the one-line report of a process the kernel ends, and show it on stderr
        (a process names itself: its name is escaped, as every control character is)."""
        from sysvec.compiler.printable import printable
        message = printable(message)
        self.crash_reports.append(message)
        if self.report_crashes:
            import sys
            from .tty.host import runtime_output
            with runtime_output(self, sys.stderr):    # a guest's raw terminal: cooked for this
                sys.stderr.write(message + "\n")
                sys.stderr.flush()

    def fault(self, proc: PCB, cpu) -> None:
        """The guest faulted: a handled, unblocked signal is delivered; otherwise it dies."""
        sig, info = proc.sysvec.personality.fault_signal(
            self, proc, cpu, int(cpu.fault_signal) or signals.SIGSEGV)
        if not sig:
            return   # nothing to signal: the access runs again
        act = proc.sigactions.get(sig)
        if proc.ptracer is not None or \
                act is not None and act.handler not in (signals.SIG_DFL, signals.SIG_IGN) \
                and not proc.sigmask & signals.bit(sig):
            # (a tracee's goes to its tracer first: a signal-delivery stop)
            proc.pending |= signals.bit(sig)
            if info is not None:
                proc.siginfo[sig] = [info]
            return
        if proc.sysvec.personality.fault(self, proc, cpu, sig):
            return   # the personality's (a Windows process: its exception handlers)
        self.report_crash(crash_report(proc, cpu, sig))
        self.exit_process(proc, sig | self.dump_core(proc, sig), signaled=True)


def crash_report(proc: PCB, cpu, sig: int) -> str:
    """One line naming the signal, the faulting instruction and address, as a user wants it."""
    import signal as host_signal

    try:
        name = host_signal.Signals(sig).name
    except ValueError:
        name = f"signal {sig}"
    pc = int(cpu.fault_pc)
    what = ""
    try:
        code = proc.mm.read(pc, 16) if proc.mm else b""
        insn = next(decoder(proc.engine.bits).disasm(code, pc), None)
        if insn is not None:
            what = f" ({insn.mnemonic} {insn.op_str})".replace(" )", ")")
    except Exception:
        pass
    detail = ""
    intno = int(cpu.fault_intno)
    if intno & proc.engine.lib.SV_WRONG_GATE:
        detail = f", trap through a gate {proc.sysvec.name} does not declare"
        if intno & 0xFF:
            detail += f" (int {intno & 0xFF:#x})"
    elif int(cpu.fault_oom):
        detail = f", out of memory touching {int(cpu.fault_addr):#x} (guest memory limit)"
    elif sig == signals.SIGSEGV and int(cpu.fault_access) in (16, 17, 18):
        # The TLB fill sees pages, so the page is what we can name.
        access = {16: "read", 17: "write", 18: "execute"}[int(cpu.fault_access)]
        detail = f", bad {access} in the page at {int(cpu.fault_addr):#x}"
    from .symbols import crash_words
    where = crash_words(proc, pc)
    if proc.sysvec is not None:
        name = proc.sysvec.personality.fault_name(sig, name)
    return (f"sysvec: pid {proc.pid} ({proc.comm}) killed by {name} at pc {pc:#x}{what}"
            f"{detail}{where}")
