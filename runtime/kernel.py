"""The kernel: process table, exec, exit and wait, and the bridge that runs Python handlers
for the C trap path. The scheduler (sched.py) drives it; the Machine (machine.py) wraps it."""
from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path

from unicorn import x86_const as X

from . import signals
from .binfmt import Binprm, BinfmtRegistry, Image
from .engine import Engine
from .errors import ExecError, Fault, KernelError, SysvecError
from .files import FdTable, HostStdio
from .pcb import PCB, State
from .progcache import ProgramCache
from .tables import TableRegistry
from .vfs import FileSystem

MAX_ARG_BYTES = 2 << 20


DISARM_PAGE = 0x10000   # where the kernel runs its dr7-clearing instruction
MAX_PROGRAM_BYTES = 256 << 20


class Block(Exception):
    """Raised by a handler that must wait: the call is restarted once `ready()` is true."""

    def __init__(self, ready, host_fds=(), deadline: float | None = None, restartable=True,
                 partial: int = 0, on_interrupt=None):
        self.ready, self.host_fds, self.deadline = ready, tuple(host_fds), deadline
        self.restartable = restartable   # SA_RESTART may re-run it after a handler
        self.partial = partial           # done before blocking: a signal returns this count
        self.on_interrupt = on_interrupt # forget the progress when a signal ends the call


@dataclass
class Limits:
    pages_per_process: int = (1 << 30) >> 12     # 1 GiB of mapped memory per process
    pool_pages: int = (1 << 30) >> 12            # 1 GiB of touched guest memory in all
    max_processes: int = 256
    max_fds: int = 1024
    quantum: int = 20000                          # basic blocks per time slice; 0: never
    max_blocks: int = 0                           # 0: no instruction budget for a run
    max_seconds: float = 0.0                      # 0: no wall-clock budget
    max_output: int = 0                           # bytes to host stdout/stderr; 0: unlimited


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
        self.programs = ProgramCache()   # exec'd files' bytes, by host file and version
        self.tracer = tracer
        self.engines: dict[int, Engine] = {}
        self.procs: dict[int, PCB] = {}
        self.next_pid = 100
        self.env = env or {}
        self.output_bytes = 0
        self.exec_events = []
        self.crash_reports: list[str] = []
        self.running = None   # the process on the core, set by the scheduler
        self.long_slice = False   # it runs LONG_SLICE quanta: no other process could run (sched.py)
        self.host_exception = None   # raised by the scheduler once the interrupted call is undone
        self.dll_dir = None   # the build's DLL images (per platform), for the PE loader
        self.report_crashes = True
        self.counting_blocks = False   # a run has a block budget: every engine counts blocks
        # Batch runs (runtime/batch) observe a run through these; a plain run leaves them be.
        self.call_counter = None       # callable(proc, nr, result) after every call, if set
        self.terminal_fds = (1, 2)     # host descriptors --max-output counts
        self.on_reap = None            # callable(proc) when a process leaves the table
        self.missing_imports_hit: list[str] = []   # DLL!function, once per call that ended one

    # --- engines ------------------------------------------------------------------------------

    def count_blocks(self) -> None:
        """Count basic blocks on every engine, now and later (for a run's block budget)."""
        self.counting_blocks = True
        for engine in self.engines.values():
            engine.count_blocks()

    def engine(self, bits: int) -> Engine:
        """The engine for 64- or 32-bit processes, created on first use."""
        if bits not in self.engines:
            engine = Engine(self.module, bits, self, self.limits.pool_pages)
            # A quantum of a few blocks would spend the run switching: 100 blocks at least.
            engine.quantum = max(self.limits.quantum, 100) if self.limits.quantum > 0 else 0
            engine.cpu.quantum = engine.quantum
            if self.limits.quantum > 0 or self.counting_blocks:
                engine.count_blocks()
            if bits == 32:
                from .gdt import setup_engine
                setup_engine(engine)
            engine.pristine = engine.new_context()
            engine.lib.uc_context_save(engine.handle, engine.pristine)
            engine.cpu.trace = (self.tracer.arm(engine) if self.tracer else 0) or \
                (1 if self.call_counter else 0)
            self.engines[bits] = engine
        return self.engines[bits]

    # --- processes ------------------------------------------------------------------------------

    def alloc_pid(self) -> int:
        if len(self.procs) >= self.limits.max_processes:
            raise KernelError(errno.EAGAIN)
        if self.long_slice:
            self.end_long_slice()   # a new process: preemption matters again
        pid = self.next_pid
        self.next_pid += 1
        return pid

    def spawn(self, path: str, argv: list[bytes], envp: list[bytes], fds=None, cwd: str = "/") -> PCB:
        """Create a process running path (a guest path), like fork+exec from outside."""
        pid = self.alloc_pid()
        proc = PCB(pid=pid, ppid=0, kernel=self, engine=None, sysvec=None, mm=None,
                   fds=fds or FdTable(self.limits.max_fds), cwd=cwd)
        proc.pgid = proc.sid = pid
        image, sysvec, bprm = self.load_program(proc, path, argv, envp)
        self.procs[pid] = proc
        self.install_image(proc, image, sysvec, bprm)
        return proc

    def load_program(self, proc, path: str, argv, envp):
        """Resolve, read and load a program; the process is not changed (exec may still fail)."""
        if sum(len(a) + 1 for a in argv) + sum(len(e) + 1 for e in envp) > MAX_ARG_BYTES:
            raise ExecError(errno.E2BIG, f"{path}: argument list too long")
        guest, data = self.open_exec(path, proc)
        bprm = Binprm(path=path, guest_path=guest, data=data, argv=list(argv), envp=list(envp),
                      filename=path)
        image = self.binfmts.search(self, bprm)
        try:
            sysvec = self.tables.find(image.binfmt)
        except SysvecError as exc:
            image.mm.release()
            raise ExecError(errno.ENOEXEC, f"{path}: {exc}") from None
        return image, sysvec, bprm

    def open_exec(self, path: str, ctx) -> tuple[str, bytes]:
        """The file exec would run, opened once through the VFS (so inside the root, with no
        host symlink followed): a regular file with an x bit. Returns its guest path and data."""
        import stat as S
        from .files import HostFile

        cwd = getattr(ctx, "cwd", "/") if ctx is not None else "/"
        try:
            f = self.fs.open(cwd, path, 0, 0, ctx if isinstance(ctx, PCB) else None)
        except KernelError as exc:
            if exc.errno == errno.EISDIR:
                raise ExecError(errno.EACCES, f"{path}: is a directory") from None
            raise ExecError(exc.errno, f"{path}: {os.strerror(exc.errno)}") from None
        try:
            st = f.fstat()
            if S.S_ISDIR(st.st_mode):
                raise ExecError(errno.EACCES, f"{path}: is a directory")
            if not isinstance(f, HostFile) or not S.S_ISREG(st.st_mode) or not st.st_mode & 0o111:
                raise ExecError(errno.EACCES, f"{path}: permission denied (not an executable file)")
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
        guest, data = self.open_exec(interp, None)
        nb = Binprm(path=interp, guest_path=guest, data=data, argv=argv, envp=bprm.envp,
                    filename=bprm.filename, depth=bprm.depth + 1)
        return self.binfmts.search(self, nb)

    def install_image(self, proc: PCB, image: Image, sysvec, bprm: Binprm) -> None:
        """Make the loaded image the process's: new address space, registers and table."""
        old_table = proc.sysvec.name if proc.sysvec else None
        engine = self.engine(image.bits)
        ctx = engine.new_context()
        size = engine.lib.uc_context_size(engine.handle)
        engine.ffi.memmove(ctx, engine.pristine, size)
        if proc.mm is not None:
            proc.mm.release()
        proc.engine, proc.mm, proc.sysvec, proc.context = engine, image.mm, sysvec, ctx
        # The x87 and SSE control words Linux starts a process with (64-bit precision, all
        # exceptions masked); a zero control word would round x87 math to single precision.
        regs = {engine.sp_reg: image.sp, engine.pc_reg: image.entry,
                X.UC_X86_REG_FPCW: 0x37F, X.UC_X86_REG_MXCSR: 0x1F80}
        regs.update(image.regs)
        self.set_context_regs(proc, regs)
        proc.exe = image.exe or bprm.guest_path
        proc.argv = [a.decode(errors="replace") for a in bprm.argv]
        proc.environ = list(bprm.envp)
        proc.comm = os.path.basename(bprm.path)[:15]
        proc.sigstack.clear()
        proc.altstack = None   # exec forgets the alternate signal stack
        for sig, act in list(proc.sigactions.items()):
            if act.handler not in (signals.SIG_DFL, signals.SIG_IGN):
                del proc.sigactions[sig]   # handlers do not survive exec; ignored signals do
        proc.tls.clear()
        if image.bits == 32:
            from .gdt import setup_process
            setup_process(proc)
        if image.setup:
            image.setup(proc)
        self.exec_events.append((proc.pid, bprm.path, old_table, sysvec.name, image.binfmt))
        if self.tracer:
            self.tracer.exec_event(proc, bprm.path, old_table, sysvec.name)

    def set_context_regs(self, proc: PCB, regs: dict) -> None:
        """Write registers into a process's saved context (it is not running)."""
        engine = proc.engine
        ffi, lib = engine.ffi, engine.lib
        for reg, value in regs.items():
            if X.UC_X86_REG_XMM0 <= reg <= X.UC_X86_REG_XMM7 or \
                    X.UC_X86_REG_XMM8 <= reg <= X.UC_X86_REG_XMM15:
                buf = ffi.new("uint8_t[16]", list(int(value).to_bytes(16, "little")))
            else:
                buf = ffi.new("uint64_t *", value & 0xFFFFFFFFFFFFFFFF)
            lib.uc_context_reg_write(proc.context, reg, buf)

    def context_reg(self, proc: PCB, reg: int) -> int:
        buf = proc.engine.ffi.new("uint64_t *")
        proc.engine.lib.uc_context_reg_read(proc.context, reg, buf)
        return int(buf[0])

    # --- exit and wait ---------------------------------------------------------------------------

    def exit_thread(self, proc: PCB) -> None:
        """One thread of a group ends (the group lives on): clear its tid word and wake a
        joiner, as CLONE_CHILD_CLEARTID asks; it leaves no zombie."""
        if proc.clear_child_tid and proc.mm is not None:
            try:
                proc.mm.write_u32(proc.clear_child_tid, 0)
                from .linux.misc import futex_wake
                futex_wake(proc, proc.clear_child_tid, 1)
            except KernelError:
                pass
        proc.state = State.ZOMBIE
        proc.wait = None
        if proc in proc.group:
            proc.group.remove(proc)
            leader = next((t for t in proc.group if t.pid == t.tgid), None)
            if leader is not None:
                leader.dead_threads_cpu_ns += proc.cpu_ns
        if proc.engine is not None and proc.engine.current is proc:
            proc.engine.cpu.stop_request = 1
        if self.tracer:
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
        proc.exit_status = status if signaled else (status & 0xFF) << 8
        proc.state = State.ZOMBIE
        proc.wait = None
        proc.fds.close_all()
        if proc.mm is not None:
            proc.mm.release()
            proc.mm = None
        if proc.engine is not None and proc.engine.current is proc:
            proc.engine.cpu.stop_request = 1
        if proc.vfork_parent is not None:
            self.release_vfork(proc)
        for child in proc.children:
            child.parent = None
            child.ppid = 1
            if child.state == State.ZOMBIE:
                self.reap(child)
        proc.children.clear()
        if self.tracer:
            self.tracer.exit_event(proc)
        parent = proc.parent
        if parent is None or not parent.alive:
            self.reap(proc)  # nobody will wait for it
            return
        act = parent.sigactions.get(signals.SIGCHLD)
        if act is not None and (act.handler == signals.SIG_IGN or act.flags & 2):  # SA_NOCLDWAIT
            self.reap(proc)
            parent.children.remove(proc)
        signals.send(parent, signals.SIGCHLD)
        self.wake(parent)

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

    def end_long_slice(self) -> None:
        """The running process may have given another one work (a wake-up, a new process):
        its slice ends within a quantum, and the scheduler looks again."""
        self.long_slice = False
        engine = self.running.engine
        engine.lib.sv_cpu_shorten(engine.cpu, engine.quantum)

    def python_call(self, nr: int, args) -> int:
        proc = self.running
        if self.long_slice and len(self.procs) > 1:
            self.end_long_slice()
        sysvec = proc.sysvec
        if nr >= 0x1000:
            sysvec, nr = sysvec.lookup(nr)
        try:
            result = sysvec.py_calls[nr].invoke(proc, args)
        except Block as blk:
            engine = proc.engine
            sig = signals.next_signal(proc)
            if sig:
                # A signal interrupts the wait: with SA_RESTART the handler runs and the
                # call starts again; otherwise the call fails with EINTR, as on Linux.
                act = proc.sigactions.get(sig)
                if blk.restartable and act is not None and act.flags & signals.SA_RESTART \
                        and act.handler not in (signals.SIG_DFL, signals.SIG_IGN):
                    engine.cpu.restart = 1
                    return 0
                engine.cpu.stop_request = 1
                if blk.on_interrupt is not None:
                    blk.on_interrupt()
                if blk.partial:   # as Linux: a write interrupted after some bytes returns them
                    return blk.partial
                return sysvec.error_result(errno.EINTR)
            proc.state = State.BLOCKED
            proc.wait = blk
            proc.at_restart = True
            engine.cpu.restart = 1
            return 0
        except Fault:
            result = sysvec.efault_result
        except KernelError as exc:
            status = getattr(exc, "status", None)   # NT handlers fail with an NTSTATUS
            result = status if status is not None else sysvec.error_result(exc.errno)
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
                proc.engine.cpu.stop_request = 1
        if result is None:
            return 0
        return result - (1 << 64) if result >= 1 << 63 else result   # the C side is int64_t

    def handler_bug(self, proc: PCB, call: str, exc: BaseException) -> None:
        """A handler raised something no system call answers with: a sysvec bug. It is
        reported in one line (SYSVEC_DEBUG=1 adds the traceback) and the process ends as a
        bad system call (SIGSYS); the guest never sees a made-up error number."""
        self.report_crash(f"sysvec: internal error in the {call} handler, pid {proc.pid} "
                          f"({proc.comm}) ended with SIGSYS: {type(exc).__name__}: {exc} "
                          "(a sysvec bug; SYSVEC_DEBUG=1 shows the traceback)")
        if os.environ.get("SYSVEC_DEBUG"):
            import traceback
            traceback.print_exception(type(exc), exc, exc.__traceback__)
        if proc.alive:
            self.exit_process(proc, signals.SIGSYS, signaled=True)
        if proc.engine is not None:
            proc.engine.cpu.stop_request = 1

    def host_exception_in_call(self, exc: BaseException, in_handler: bool) -> None:
        """The host interrupted a call (HostInterrupt, KeyboardInterrupt): emulation stops,
        the scheduler re-raises exc, and a call interrupted inside its handler runs again
        if the machine is resumed (a finished call being traced is left as it is)."""
        self.host_exception = exc
        proc = self.running
        if proc is not None and proc.engine is not None:
            if in_handler:
                proc.engine.cpu.restart = 1
            else:
                proc.engine.cpu.stop_request = 1

    def trace_call(self, nr: int, args, result: int) -> None:
        if self.call_counter is not None:
            self.call_counter(self.running, nr, result)
        if self.tracer:
            self.tracer.call(self.running, nr, [int(args[i]) for i in range(17)], result)

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
        space = getattr(engine, "disarm_space", None)
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
        """Keep the one-line report of a process the kernel ends, and show it on stderr."""
        self.crash_reports.append(message)
        if self.report_crashes:
            import sys
            sys.stderr.write(message + "\n")

    def fault(self, proc: PCB, cpu) -> None:
        """The guest faulted: a handled, unblocked signal is delivered; otherwise it dies."""
        sig = int(cpu.fault_signal) or signals.SIGSEGV
        act = proc.sigactions.get(sig)
        if act is not None and act.handler not in (signals.SIG_DFL, signals.SIG_IGN) \
                and not proc.sigmask & signals.bit(sig):
            proc.pending |= signals.bit(sig)
            return
        missing = getattr(getattr(proc, "win32", None), "missing_imports", {})
        if sig == signals.SIGILL and int(cpu.fault_pc) in missing:
            # A PE program called an import no DLL here provides: name it, and end the
            # process as a bad system call (Windows: STATUS_ENTRYPOINT_NOT_FOUND).
            self.missing_imports_hit.append(missing[int(cpu.fault_pc)])
            self.report_crash(f"sysvec: {proc.comm} (pid {proc.pid}) called "
                              f"{missing[int(cpu.fault_pc)]}, which sysvec does not provide")
            self.exit_process(proc, signals.SIGSYS, signaled=True)
            return
        self.report_crash(crash_report(proc, cpu, sig))
        self.exit_process(proc, sig, signaled=True)   # no core file is written: no 0x80 flag


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
        if os.environ.get("SYSVEC_SANITIZE"):
            raise ImportError("capstone dlopens with RTLD_DEEPBIND, which ASan cannot run with")
        from capstone import CS_ARCH_X86, CS_MODE_32, CS_MODE_64, Cs
        code = proc.mm.read(pc, 16) if proc.mm else b""
        md = Cs(CS_ARCH_X86, CS_MODE_64 if proc.engine.bits == 64 else CS_MODE_32)
        insn = next(md.disasm(code, pc), None)
        if insn is not None:
            what = f" ({insn.mnemonic} {insn.op_str})".replace(" )", ")")
    except Exception:
        pass
    detail = ""
    intno = int(cpu.fault_intno)
    if intno & 0x100:
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
    if proc.sysvec is not None and proc.sysvec.errors == "ntstatus":
        status = {signals.SIGSEGV: "STATUS_ACCESS_VIOLATION", signals.SIGILL: "STATUS_ILLEGAL_INSTRUCTION",
                  signals.SIGFPE: "STATUS_INTEGER_DIVIDE_BY_ZERO", signals.SIGTRAP: "STATUS_BREAKPOINT",
                  signals.SIGKILL: "STATUS_NO_MEMORY"}.get(sig)
        if status:
            name = f"{status} ({name})"
    return (f"sysvec: pid {proc.pid} ({proc.comm}) killed by {name} at pc {pc:#x}{what}"
            f"{detail}{where}")
