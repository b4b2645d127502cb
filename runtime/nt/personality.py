"""The NT personality: the rest of the Windows ABI beside the nt_* tables and their win32_*
shadows: the process state a PE image starts with (TEB, PEB, heap, CRT data, the imports no
DLL here provides, KUSER_SHARED_DATA and its clocks), NTSTATUS results and crash names, the
x87 control word Windows starts a thread with, and what the PE loader asks of the Win32
layer."""
from __future__ import annotations

from dataclasses import dataclass, field

from unicorn import x86_const as X

from ..errors import Fault, KernelError
from ..personality import Personality
from ..signals import SIGFPE, SIGILL, SIGKILL, SIGSEGV, SIGSYS, SIGTRAP
from ..win32.registry_store import Registry
from ..win32.state import Win32Process
from .shared_data import ADDRESS as SHARED_DATA, map_shared_data
from .shared_data import refresh as refresh_shared_data
from .sharing import ShareTable
from .start import describe_process, write_process_heap

# The exception a crash report names first, by the signal the fault raised.
EXCEPTION_OF_SIGNAL = {SIGSEGV: "STATUS_ACCESS_VIOLATION", SIGILL: "STATUS_ILLEGAL_INSTRUCTION",
                       SIGFPE: "STATUS_INTEGER_DIVIDE_BY_ZERO", SIGTRAP: "STATUS_BREAKPOINT",
                       SIGKILL: "STATUS_NO_MEMORY"}


@dataclass
class NtMachine:
    dll_caches: dict = field(default_factory=dict)   # platform -> the parsed generated DLLs
    system_files: dict = field(default_factory=dict)  # platform -> System32's DLLs (system_dir.py)
    clipboard: dict = field(default_factory=dict)     # user32's (win32/kernel32_global.py)
    pipe_names: dict = field(default_factory=dict)    # named pipe -> its instances' open server
                                                      # ends (win32/kernel32_pipe.py)
    named_objects: dict = field(default_factory=dict)  # \\BaseNamedObjects: a name -> its
                                                      # object (win32/named_objects.py)
    socket_handoffs: dict = field(default_factory=dict)   # WSADuplicateSocket's token ->
                                                      # (socket, target pid) (win32/winsock.py)
    handoff_tokens: int = 0                           # the last token given
    window_messages: dict = field(default_factory=dict)   # RegisterWindowMessage's numbers
    ca_certificates: list | None = None              # the root's CA bundle, as DER
                                                      # (crypt32's ROOT store, win32/crypt32.py)
    file_shares: ShareTable = field(default_factory=ShareTable)   # opens' share access
    registry: Registry = field(default_factory=Registry)   # win32/registry_store.py
    event_log: list = field(default_factory=list)    # ReportEvent's records (win32/eventlog.py)


def _why_missing(state, missing: str) -> str:
    """Why nothing answers DLL!name: the DLL could not be loaded, the program's own DLL
    forwards it nowhere or does not export it, or it is one sysvec generates and lacks."""
    from .dlls import module_key
    dll, _, name = missing.rpartition("!")
    key = module_key(dll)
    unloadable = state.dlls_unloadable.get(dll)
    if unloadable:
        return f"but {dll} {unloadable}"
    target = state.dlls_broken_forwards.get(f"{key}!{name}")
    if target is not None:
        return (f"which {dll} forwards to {target}, where nothing answers (a forwarding loop, "
                "or an export that module lacks)")
    module = state.modules.get(key)
    path = state.module_paths.get(module[0]) if module is not None else None
    if path is not None and path.lower() != f"c:\\windows\\system32\\{key}.dll":
        return f"which {dll}, a DLL of the program's, does not export"
    return "which sysvec does not provide"


def _temp_directory(proc, env: dict) -> str:
    """Where TEMP and TMP point: Windows always has them, and programs count on the directory
    (Bun unpacks its native modules there). The root's /tmp; else the user's profile, which
    is GetTempPath's own fallback, when the root has it; else a tmpfs the machine mounts at
    /tmp, gone when it ends (the root itself is left as it is)."""
    from ..win32.userdirs import PROFILE
    fs = proc.kernel.fs

    def is_dir(path: str) -> bool:
        try:
            return fs.stat("/", path, True, proc).st_mode & 0o170000 == 0o040000
        except Exception:    # KernelError: not there
            return False
    if is_dir("/tmp"):
        return "C:\\tmp"
    profile = next((v for k, v in env.items() if k.upper() == "USERPROFILE"), PROFILE)
    if profile[:3].upper() == "C:\\" and is_dir("/" + profile[3:].replace("\\", "/")):
        return profile
    fs.mounts.mount_tmpfs(("tmp",), "tmpfs", 0)
    return "C:\\tmp"


class NtPersonality(Personality):
    name = "nt"
    process_state = Win32Process
    machine_state = NtMachine
    # Windows starts a thread with 53-bit x87 precision (Linux: 64), exceptions masked.
    exec_regs = {X.UC_X86_REG_FPCW: 0x27F, X.UC_X86_REG_MXCSR: 0x1F80}
    flags_bits = 32        # NT and Win32 flags are ULONGs and DWORDs
    results_zero_extend = True   # an int result is EAX: Go compares all of RAX with 0xFFFFFFFF
    exec_needs_mode_bits = False
    outlives_program = False   # flow's server, `start /b`: tblc returns when the program does

    def on_exec(self, proc, image, bprm) -> None:
        """The Win32 state of the image the PE loader laid out (image.info)."""
        from ..win32.heap import Heap
        from .paths import win32_path

        from ..win32.console_ctrl import take_console_signals
        from ..win32.userdirs import with_windows_defaults
        from ..win32.kernel32 import _module_base
        from .ldr import FIRST, start as start_loader_lists
        # Windows commits what it promises: no overcommit, and never more than the machine's
        # memory (its commit limit), so a huge allocation fails when made, not when touched
        c_as, pool = proc.mm.c, proc.kernel.limits.pool_pages
        c_as.strict_commit = 1
        c_as.page_limit = min(c_as.page_limit or pool, pool)
        env = dict(e.decode(errors="replace").split("=", 1) for e in bprm.envp if b"=" in e)
        env = with_windows_defaults(env, proc.sysvec.word_bits, _temp_directory(proc, env))
        proc.pstate = Win32Process(**image.info, env=env, cwd=win32_path(proc.cwd))
        proc.pstate.heap = Heap(proc)
        if proc.pstate.peb:
            write_process_heap(proc.mm, proc.sysvec.word_bits, proc.pstate.peb,
                               proc.pstate.heap.handle)
        proc.pstate.mm = proc.mm
        proc.pstate.last_error_at = 0x68 if proc.sysvec.word_bits == 64 else 0x34
        map_shared_data(proc, proc.sysvec.word_bits)
        describe_process(proc, env, proc.pstate.cwd)
        if proc.pstate.peb:             # ntdll and kernel32 are in every Windows process
            for always in FIRST:
                _module_base(proc, always)
            start_loader_lists(proc)
        take_console_signals(proc)

    def before_slice(self, proc) -> None:
        """The thread is switched in: one context switch more of its own (what
        SystemProcessInformation gives for it; the machine's count is the scheduler's). The
        shared page's clocks catch up before the thread runs on. A page that cannot take
        them any more ends this process (and only it) as a crash would."""
        pstate = proc.pstate
        if pstate is None:
            return
        local = pstate.local
        local["switches"] = local.get("switches", 0) + 1
        if not pstate.shared_page:
            return
        try:
            refresh_shared_data(proc)
        except (Fault, KernelError) as exc:
            from .status import STATUS_ACCESS_VIOLATION
            pstate.shared_page = False
            pstate.exit_code = STATUS_ACCESS_VIOLATION
            proc.kernel.report_crash(f"sysvec: pid {proc.pid} ({proc.comm}) ended with SIGSEGV: "
                                     f"its KUSER_SHARED_DATA page at {SHARED_DATA:#x} cannot "
                                     f"take the clocks ({exc})")
            proc.kernel.exit_process(proc, SIGSEGV, signaled=True)

    def on_exit(self, proc) -> None:
        """msvcrt's buffered output -- stdout's and file streams' -- goes out, a crash
        included (unlike Windows: output before a fault is not lost); sockets described for
        this process and never made are let go, and so are the pipes a cmd.exe was waiting
        on; its kernel32 handles close (a kill-on-close job ends its processes, a name is
        free again)."""
        from ..win32.cmd import release_waits
        from ..win32.kernel32_sync import close_all_handles
        from ..win32.stdout import flush_all
        from ..win32.winsock import drop_handoffs

        if proc.mm is not None and proc.pstate is not None:
            flush_all(proc)
        if proc.pid == proc.tgid:
            drop_handoffs(self.machine(proc.kernel), proc.tgid)
            if proc.pstate is not None:
                release_waits(proc)
                close_all_handles(proc)

    def launcher_program(self, kernel, path: str) -> tuple[str, bytes] | None:
        """cmd.exe, where.exe ... by their bare name or System32 path when the root has no
        System32 of its own: what a Windows process finds there (nt/system_dir.py), for
        `tblc run cmd.exe /c ...` too. The platform is the batch files' (64-bit)."""
        from .system_dir import root_has_system32
        lowered = path.lower().replace("\\", "/")
        for prefix in ("/windows/system32/", "c:/windows/system32/"):
            if lowered.startswith(prefix):
                lowered = lowered[len(prefix):]
        if "/" in lowered or not kernel.dll_dir or root_has_system32(kernel.fs):
            return None
        name = lowered if lowered.endswith(".exe") else lowered + ".exe"
        platform = kernel.tables.find("batch").platform
        directory = kernel.dll_dir / platform
        found = next((f for f in (directory.iterdir() if directory.is_dir() else ())
                      if f.name.lower() == name), None)
        if found is None:
            return None
        return f"/Windows/System32/{found.name}", found.read_bytes()

    def script_interpreter(self, kernel, sysvec, bprm):
        """A batch file runs in cmd.exe /c, as CreateProcess runs it."""
        from .batch_files import cmd_binprm
        return cmd_binprm(kernel, sysvec.platform, bprm)

    def signal_frame(self, kernel, proc, sig: int, action) -> bool:
        """SIGINT and SIGQUIT are console control events (win32/console_ctrl.py): a thread
        of the process runs its handlers; other signals end it, as they have no frames."""
        from .. import signals
        from ..win32.console_ctrl import deliver, is_console_event
        if is_console_event(action) and proc.pstate is not None:
            signals.take_info(proc, sig)
            deliver(kernel, proc, sig)
            return True
        return super().signal_frame(kernel, proc, sig, action)

    def handler_fault(self, proc, sysvec, fault) -> int:
        """An NT service probes its pointers and fails (STATUS_ACCESS_VIOLATION); a Win32
        function is DLL code touching the pointer, so the program takes an access violation
        at the call, as on Windows (its handlers may catch it: ctypes turns it into OSError;
        unhandled, the process ends with 0xC0000005) instead of being told "success"."""
        if sysvec.errors != "value" or proc.pstate is None:
            return sysvec.efault_result
        from ..win32.seh import raise_access_violation
        return raise_access_violation(proc, fault.address)

    def fault(self, kernel, proc, cpu, sig: int) -> bool:
        """A call to an import no DLL here provides: name it, and end the process as a bad
        system call (Windows: STATUS_ENTRYPOINT_NOT_FOUND). Any other fault is an exception
        the process's handlers see first (win32/seh.py)."""
        state = proc.pstate
        if state is None:
            return False
        missing = state.missing_imports.get(int(cpu.fault_pc)) if sig == SIGILL else None
        used = "called"
        if missing is None and sig == SIGSEGV:   # a variable nothing provides (pe.py)
            from ..binfmt.pe import is_data_import
            missing = state.missing_imports.get(int(cpu.fault_addr) & ~0xFFF)
            missing = missing if missing is not None and is_data_import(missing) else None
            used = "used the variable"
        wrong_gate = proc.engine.lib.SV_WRONG_GATE
        if missing is None and int(cpu.fault_intno) == wrong_gate | FASTFAIL_VECTOR:
            return _fast_fail(kernel, proc)
        if missing is None:
            from ..win32.seh import dispatch_fault
            return dispatch_fault(proc, cpu)
        kernel.missing_imports_hit.append(missing)
        why = _why_missing(state, missing)
        kernel.report_crash(f"sysvec: {proc.comm} (pid {proc.pid}) {used} {missing}, {why}")
        kernel.exit_process(proc, SIGSYS, signaled=True)
        return True

    def fault_name(self, sig: int, name: str) -> str:
        status = EXCEPTION_OF_SIGNAL.get(sig)
        return f"{status} ({name})" if status else name

    def synthetic_node(self, fs, parts, ctx):
        from .system_dir import system_dir_node
        return system_dir_node(fs, parts, ctx, self.machine(ctx.kernel))

    def error_result(self, sysvec, exc) -> int:
        status = getattr(exc, "status", None)   # NtError carries the service's own status
        return status if status is not None else sysvec.error_result(exc.errno)

    # --- what the PE loader (runtime/binfmt/pe.py) asks of the personality ----------------------

    def process_start(self, loader, base: int, entry: int, stack_top: int, stack_size: int,
                      tls_array: int, tls_callbacks: list[int], dll_inits: list):
        """Image set-up: the TEB, PEB, process parameters and start code (nt/start.py)."""
        from .start import process_start
        return process_start(loader, base, entry, stack_top, stack_size, tls_array,
                             tls_callbacks, dll_inits)

    def link_program(self, loader, base: int):
        """The DLLs a program mapped at base imports, found by Windows' search order (its own
        directory, System32, the Windows directory, PATH), mapped and bound (nt/dlls.py)."""
        from .dlls import Linker, ProgramModule, module_key, path_dirs
        bprm = loader.bprm
        env = dict(e.decode(errors="replace").split("=", 1) for e in bprm.envp if b"=" in e)
        path = next((v for k, v in env.items() if k.upper() == "PATH"), "")
        app_dir = bprm.guest_path.rpartition("/")[0] or "/"
        program = ProgramModule(loader.kernel, module_key(bprm.guest_path), base, loader.pe,
                                bprm.data)
        linker = Linker(loader.kernel, bprm.reader, loader.mm, loader.bits, loader.dlls, {}, {},
                        [app_dir, "/Windows/System32", "/Windows"] + path_dirs(path), program)
        linker.bind(loader.pe, base, bprm.path)
        return linker

    def tls_array(self, mm, bits: int, template, dll_tls: list) -> int:
        """The first thread's TLS blocks (nt/start.py)."""
        from .start import tls_blocks
        return tls_blocks(mm, bits, template, dll_tls)

    def dll_cache(self, kernel, platform: str, make):
        caches = self.machine(kernel).dll_caches
        if platform not in caches:
            caches[platform] = make()
        return caches[platform]

    def dll_key(self, name: str) -> str:
        """The generated DLL an import's DLL name means (API-set contracts: their host DLL)."""
        from ..win32.apisets import resolve
        return resolve(name)

    def crt_area(self, loader) -> dict:
        from ..win32.crtdata import crt_area
        return crt_area(loader)

    def data_import(self, loader, dll: str, sym: str) -> int:
        from ..win32.crtdata import data_symbol
        return data_symbol(loader, dll, sym)


personality = NtPersonality()


FASTFAIL_VECTOR = 0x29         # __fastfail: int 0x29, the failure code in ecx


def _fast_fail(kernel, proc) -> bool:
    """__fastfail (Rust's abort, MSVC's /GS and invalid-parameter failures): Windows ends the
    process at once with STATUS_STACK_BUFFER_OVERRUN, the code in ecx as its parameter, no
    handler consulted. A Linux parent sees it end by SIGABRT, as an abort() there."""
    from ..signals import SIGABRT
    from ..win32.stdout import flush_all
    from .status import STATUS_STACK_BUFFER_OVERRUN
    ecx = X.UC_X86_REG_RCX if proc.engine.bits == 64 else X.UC_X86_REG_ECX
    code = proc.engine.uc.reg_read(ecx) & 0xFFFFFFFF
    proc.win32.exit_code = STATUS_STACK_BUFFER_OVERRUN
    flush_all(proc)
    kernel.report_crash(f"sysvec: pid {proc.pid} ({proc.comm}) ended by __fastfail({code}): "
                        f"STATUS_STACK_BUFFER_OVERRUN ({STATUS_STACK_BUFFER_OVERRUN:#x})")
    kernel.exit_process(proc, SIGABRT, signaled=True)
    return True
