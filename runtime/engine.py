"""One Unicorn engine with the compiled trap path installed: its physical page pool, the C
CPU state (current table, address space, pid) and the bridge from C back into Python."""
from __future__ import annotations

import os
import sys
import weakref

from unicorn import UC_ARCH_X86, UC_MODE_32, UC_MODE_64, Uc
from unicorn import x86_const as X

from . import files
from .errors import SysvecError
from .filepages import FilePages

PAGES_PER_CHUNK = 16384          # physical memory is mapped in 64 MiB chunks, on demand
DEFAULT_POOL_PAGES = (4 << 30) >> 12

RUNNING: list = [None]   # the kernel whose process is on the core now
SPARE_CORES: dict = {}   # (module, bits) -> (uc, phys, cpu): a core with its trap path installed


def open_spares(module) -> None:
    """Open a core of each width ahead of need (the engine, its page pool, the trap path
    installed), and probe the engine's CPUID facts (csrc/cpuid.c) once: a warm server does
    this, and every run it forks takes a copy."""
    bind_callbacks(module)
    for bits in (64, 32):
        module.lib.sv_cpuid_prepare(bits)
        if (module, bits) not in SPARE_CORES:
            SPARE_CORES[module, bits] = _open_core(module, bits, DEFAULT_POOL_PAGES)


def _open_core(module, bits: int, pool_pages: int):
    ffi, lib = module.ffi, module.lib
    uc = Uc(UC_ARCH_X86, UC_MODE_64 if bits == 64 else UC_MODE_32)
    handle = ffi.cast("uc_engine *", uc._uch.value)
    phys = lib.sv_phys_new(handle, 0, PAGES_PER_CHUNK, pool_pages)
    cpu = lib.sv_cpu_new(handle, bits, phys)
    err = lib.sv_cpu_install(cpu)
    if err != 0:
        raise SysvecError(f"cannot install the trap path on the engine (uc_err {err})")
    return uc, phys, cpu


class Engine:
    """A Unicorn engine in 64- or 32-bit mode, shared by every process of that width."""

    def __init__(self, module, bits: int, kernel, pool_pages: int = DEFAULT_POOL_PAGES):
        bind_callbacks(module)
        self.ffi, self.lib = module.ffi, module.lib
        self.bits = bits
        self.kernel = kernel
        spare = SPARE_CORES.pop((module, bits), None)
        self.uc, self.phys, self.cpu = spare or _open_core(module, bits, pool_pages)
        self.phys.page_limit = pool_pages       # (a spare's pool is still empty)
        self.handle = self.ffi.cast("uc_engine *", self.uc._uch.value)
        self.cpu.synthetic_ns = files.MADE_NS   # fstat's times for pipes and devices in C
        # No exit check after every guest memory access: stops land where blocks start
        # (csrc/exit_checks.c; a debugger turns them back on). Still on if this Unicorn's flag
        # cannot be found, and then no timer may stop the guest.
        self.exit_checks = self.lib.sv_engine_exit_checks(self.handle, 0) != 0
        self.current = None  # the process whose table and address space are loaded
        self.spaces: weakref.WeakSet = weakref.WeakSet()   # live address spaces on the pool
        self.contexts: weakref.WeakSet = weakref.WeakSet()   # saved register sets, freed first
        self.quantum = 0     # blocks per time slice, 0: never preempt (kernel.py sets it)
        self.disarm_space = None   # the page that clears dr7, made on first need (kernel.py)
        self.iattr_entries = None  # the machine's inode-attribute count C reads (switch_to)
        self.file_pages = FilePages(self, pool_pages)   # exec'd programs' pages, shared
        self.reg_buffer = self.ffi.new("uint64_t[2]")   # one register's value (sigframe.py)
        self.pc_reg = X.UC_X86_REG_RIP if bits == 64 else X.UC_X86_REG_EIP
        self.sp_reg = X.UC_X86_REG_RSP if bits == 64 else X.UC_X86_REG_ESP
        self.ret_reg = X.UC_X86_REG_RAX if bits == 64 else X.UC_X86_REG_EAX

    # --- what the kernel asks of the core ---------------------------------------------------------

    def need_resched(self) -> None:
        """Stop emulation once the current call returns: the scheduler takes over (a signal
        to deliver, a process that blocked, stopped or exited, a yield)."""
        self.cpu.stop_request = 1

    def restart_call(self) -> None:
        """Leave the call without a result: the trap instruction runs again when the process
        next runs (a call that blocked, or one a host interrupt cut short)."""
        self.cpu.restart = 1

    def set_table(self, table) -> None:
        """The compiled table (SysVec.c_table) the trap path dispatches through."""
        self.cpu.table = table

    def switch_to(self, proc) -> None:
        """Load proc onto this core: its registers, table, address space and ids."""
        self.lib.uc_context_restore(self.handle, proc.context)
        self.set_table(proc.sysvec.c_table)
        cpu = self.cpu
        cpu.aspace = proc.mm.c
        cpu.pid, cpu.tid, cpu.ppid = proc.tgid, proc.pid, proc.ppid
        self._load_files(proc)
        cpu.write_pending = proc.write_progress is not None
        cpu.signal_words = self._words("uint64_t *", proc.signal_words)
        cpu.lookup_ctx = self._words("int64_t *", proc.lookup_words)
        actions = getattr(proc.sigactions, "words", None)
        cpu.sigaction_words = self._words("uint64_t *", actions) if actions is not None \
            else self.ffi.NULL
        if self.iattr_entries is None:   # the machine's words, once: they never move
            self.iattr_entries = self.kernel.fs.iattrs.entries
            cpu.iattr_entries = self._words("int64_t *", self.iattr_entries)
            cpu.futex_waiting = self._words("int64_t *", self.kernel.futex_waiting)
            cpu.file_rules = self._words("int64_t *", self.kernel.fs.file_rules)
            lookups = self.kernel.fs.lookups
            lookups.attach(self.ffi, self.lib)
            cpu.lookups = lookups.c
        self.current = proc

    def _load_files(self, proc) -> None:
        """The descriptors C may answer calls on, unless a Python write is part done."""
        fds = proc.fds
        self.cpu.files = self.ffi.cast("sv_file *const *", fds.fast_slots()) \
            if fds is not None else self.ffi.NULL

    def load_files(self, proc) -> None:
        """proc has a new descriptor table (unshared): C must use it if proc is running."""
        if self.current is proc:
            self._load_files(proc)

    def _words(self, ctype: str, words):
        """A C pointer to an array's items, which C reads (and writes) in place."""
        return self.ffi.cast(ctype, words.buffer_info()[0])

    def count_blocks(self) -> None:
        """Install the block hook: block-count quanta (preemption) and block budgets."""
        err = self.lib.sv_cpu_set_block_hook(self.cpu, 1)
        if err != 0:
            raise SysvecError(f"cannot install the block hook (uc_err {err})")

    def time_slices(self, block_ns: int) -> None:
        """Time the quantum (block_ns a block) while the block hook is not installed; count
        blocks instead where a timer's stop could land inside an instruction, or without a
        thread for the timer."""
        if self.exit_checks or self.lib.sv_cpu_time_slices(self.cpu, block_ns) != 0:
            self.count_blocks()

    def debug(self) -> None:
        """Ready for a debugger's code and memory hooks: a stop lands before the next
        instruction (exit checks after memory accesses), so slices count blocks rather than
        being stopped by a timer, which must not stop the guest inside an instruction."""
        self.lib.sv_engine_exit_checks(self.handle, 1)
        self.exit_checks = True
        self.count_blocks()

    def new_context(self):
        ctx = self.ffi.new("uc_context **")
        if self.lib.uc_context_alloc(self.handle, ctx) != 0:
            raise SysvecError("uc_context_alloc failed")
        saved = self.ffi.gc(ctx[0], self.lib.uc_context_free)
        self.contexts.add(saved)
        return saved

    def close(self) -> None:
        """Give everything back: the address spaces, the trap path's hooks and CPU state, the
        physical page pool (64 MiB chunks of host address space) and the Unicorn engine."""
        if self.cpu is None:
            return
        for space in list(self.spaces):
            space.release(force=True)   # they point into the pool freed below
        for ctx in list(self.contexts):
            self.ffi.release(ctx)   # uc_context_free while the engine they belong to exists
        self.current = None
        # The binding closes the engine (its hooks and its mappings of the pool) in a weakref
        # finalizer, which runs now if called (once: garbage collection later does nothing);
        # unicorn is pinned to 2.1.x. The engine must be gone before the pool and the CPU
        # state its hooks point at; without the finalizer both are left to leak.
        finalizer = getattr(self.uc, "_Uc__finalizer", None)
        if finalizer is not None:
            finalizer()
            self.lib.sv_cpu_free(self.cpu)
            self.lib.sv_phys_free(self.phys)
        self.cpu = self.phys = None
        self.uc = None


def bind_callbacks(module) -> None:
    """Register the extern "Python" callbacks of a compiled module, once per module."""
    if getattr(module, "_sysvec_bound", False):
        return
    ffi = module.ffi
    debug = bool(os.environ.get("SYSVEC_DEBUG"))

    def on_error(in_handler: bool):
        # Nothing may cross into C. The kernel's own error paths handle handler bugs, so what
        # arrives here is the host interrupting (KeyboardInterrupt, HostInterrupt) or a bug
        # in those paths: neither becomes a result the guest sees.
        def handle(exc_type, exc, tb):
            kernel = RUNNING[0]
            if kernel is None:
                sys.stderr.write(f"sysvec: internal error: {exc_type.__name__}: {exc}\n")
            elif not isinstance(exc, Exception):
                kernel.host_exception_in_call(exc, in_handler)
            elif kernel.running is not None:
                kernel.handler_bug(kernel.running, "system call" if in_handler else "trace", exc)
            if debug:
                import traceback   # only here: it imports textwrap, a start-up cost
                traceback.print_exception(exc_type, exc, tb)
        return handle

    # One engine runs at a time: the scheduler names it in RUNNING before emu_start, so the
    # hot callback needs no lookup from the cpu pointer.
    @ffi.def_extern(onerror=on_error(True), error=-38)
    def sv_py_syscall(cpu, nr, args):
        return RUNNING[0].python_call(nr, args)

    @ffi.def_extern(onerror=on_error(False))
    def sv_py_trace(cpu, nr, args, result):
        RUNNING[0].trace_call(nr, args, result)

    module._sysvec_bound = True
