"""What a Windows process has beyond the PCB, reached as `p.win32`: made by the NT personality
at exec from what the PE loader laid out (runtime/nt/personality.py). The process's state
(heap, handles, environment, modules, current directory ...) is one dictionary its threads
share; what Windows keeps per thread (the last error, the TEB, TLS and FLS values, the
callbacks and exception dispatches in progress, a wait's deadline) lives in `local`."""
from __future__ import annotations

import time


def _teb_word(name: str):
    """A per-thread 32-bit value Windows keeps in the TEB (the last error, which code such as
    Go's runtime reads there directly): in guest memory once the process has its TEB offset,
    in the thread's local state before."""
    def get(self):
        where, teb = self.__dict__.get(name + "_at"), self.local.get("teb", 0)
        if where is None or not teb:
            return self.local.get(name, 0)
        return self.mm.read_u32(teb + where)

    def put(self, value):
        where, teb = self.__dict__.get(name + "_at"), self.local.get("teb", 0)
        if where is None or not teb:
            self.local[name] = value
        else:
            self.mm.write_u32(teb + where, value & 0xFFFFFFFF)
    return property(get, put)


def _local(name: str, default=None):
    return property(lambda self: self.local.get(name, default),
                    lambda self, value: self.local.__setitem__(name, value))


# The process-wide fields and what a new process starts with (a factory: a fresh container).
PROCESS_FIELDS = {
    # laid out at exec (runtime/binfmt/pe.py, runtime/nt/start.py)
    "image_base": int, "peb": int,
    "scratch": int,                      # kernel32's scratch page for NT-call arguments
    "command_line_a": int,               # GetCommandLineA's string
    "command_line_w": int,               # GetCommandLineW's
    "crt": dict,                         # msvcrt's data: name -> address
    "modules": dict,                     # DLL name -> (base, exports)
    "module_paths": dict,                # a mapped DLL's base -> its Windows path
    "dlls_unloadable": dict,             # DLL name -> why no file answered (nt/dlls.py)
    "dlls_broken_forwards": dict,        # "module!export" -> the forwarder that leads nowhere
    "dll_tls": list,                     # (TLS index, template, zero fill) of DLLs with TLS
    "dll_notify": list,                  # (base, routine, is DllMain): DLLs' attach routines
    "dll_refs": dict,                    # base -> LoadLibrary's count, for FreeLibrary
    "data_files": dict,                  # base -> count of LoadLibraryEx's data-file loads
    "dll_quiet": set,                    # DisableThreadLibraryCalls' modules
    "ldr_entries": lambda: None,         # base -> its LDR_DATA_TABLE_ENTRY (nt/ldr.py)
    "program_module": lambda: None,      # the program as DLLs import from it (nt/dlls.py)
    "popen_children": dict,              # _popen's stream -> its shell (crtshell.py)
    "missing_imports": dict,             # stub address -> "DLL!function"
    "tls_template": lambda: None,        # (.tls data, zero fill) for each new thread's block
    "tls_callbacks": list,
    "env": dict,                         # the environment, by name
    "heap": lambda: None,                # the process heap (runtime/win32/heap.py)
    "mm": lambda: None,                  # the address space (the TEB's fields live there)
    "last_error_at": lambda: None,       # LastErrorValue's offset in a TEB
    "cwd": lambda: "C:\\",
    "created": time.time_ns,             # GetProcessTimes' creation time: the exec
    "exit_code": lambda: None,           # the 32-bit code ExitProcess/NtTerminateProcess gave
    # kernel32
    "exception_filter": int,
    "error_mode": int,                   # SetErrorMode's
    "search_path_mode": int,             # SetSearchPathMode's (kernel32_files.py)
    "priority_boost_disabled": bool,     # SetProcessPriorityBoost's
    "wer_flags": int,                    # WerSetFlags'
    "sym_options": int,                  # dbghelp's SymSetOptions
    "sync": dict,                        # semaphores, events, mutexes by handle
    "sync_closed": int,
    "tls_used": set,                     # TlsAlloc's indexes (their values are per thread)
    "fls": dict,                         # FlsAlloc's indexes -> their callbacks
    "std_handles": dict,                 # SetStdHandle's replacements, by STD_*_HANDLE
    "pointer_cookie": lambda: None,      # EncodePointer's secret, made on first use
    "ctrl_handlers": list,               # SetConsoleCtrlHandler's routines
    "ignore_ctrl_c": bool,
    "new_process_group": bool,           # made with CREATE_NEW_PROCESS_GROUP: leads a group
    "condition_waiters": dict,           # condition variable -> the threads sleeping on it
    "address_waiters": dict,             # WaitOnAddress: address -> the threads waiting
    "barriers": dict,                    # synchronization barriers by address (kernel32_wait)
    "associations": dict,                # handle -> (completion port, key)
    "completion_modes": dict,            # handle -> SetFileCompletionNotificationModes' flags
    "unported_reads": list,              # overlapped reads pending with no completion port
    "locale_text": lambda: None,         # EnumSystemLocalesW's string, made on first use
    "thread_start": int,                 # the code new threads start in (threads.py), once made
    "thread_loop_start": int,            # ... and thread-pool wait threads, which call again
    "thread_start_calls": list,          # the attach routines that code calls (threads.py)
    # exceptions (win32/seh.py)
    "vectored": list,                    # AddVectoredExceptionHandler's handlers
    "vectored_continue": list,           # AddVectoredContinueHandler's
    "pdata": dict,                       # image base -> its x64 unwind table
    "function_tables": dict,             # RtlAdd(Growable)FunctionTable's: key -> [table,
                                         #   count, base, low, high]
    # msvcrt
    "files": dict,                       # FILE * -> its descriptor and mode
    "fd_modes": dict,                    # _setmode's translation modes, by descriptor
    "stdout_buf": bytearray,
    "stream_out": dict,                  # a file stream's unwritten bytes, by descriptor
    "stdout_tty": lambda: None,
    "pushback": dict,                    # ungetc's bytes, by descriptor
    "stream_flags": dict,                # a standard stream's end-of-file flag (stdlib._file)
    "strings": dict,                     # strings handed out once (getenv, lconv)
    "atexit": list,
    # vcruntime
    "cxx_std": dict,                     # the runtime's own exception types (cxxrtti.py)
    # msvcp140 (win32/msvcp_runtime.py)
    "new_handler": int,                  # std::set_new_handler's
    "lockits": dict,                     # _Lockit's recursive mutexes, by kind
    "crt_locks": dict,                   # msvcrt's _lock and UCRT's _lock_file (crtlocks.py)
    "exiting": bool,
    "strtok_next": int,
    "rand_state": lambda: 1,
    "clock_start": lambda: None,
    # ucrtbase (win32/ucrt.py)
    "ucrt_args": bool,                   # argv and the environment globals are built
    "ucrt_wide": dict,                   # the wide globals, by name
    "ucrt_time": lambda: None,           # _daylight, _timezone, _tzname, made on first use
    "new_mode": int,                     # _set_new_mode's
    "crt_umask": int,                    # _umask's
    "fibers": dict,                      # FIBER block -> its state (win32/kernel32_fiber.py)
    "crt_error_mode": int,               # _set_error_mode's
    "abort_behavior": lambda: 0x3,       # _set_abort_behavior's (_WRITE_ABORT_MSG | _CALL_REPORTFAULT)
    "invalid_parameter_handler": int,
    # NT services
    "allocations": dict,                 # regions: NtAllocateVirtualMemory's, the stacks
    "guard_pages": dict,                 # PAGE_GUARD pages: address -> the protection under
                                         # the guard (nt/memory.py)
    "shared_page": bool,                 # KUSER_SHARED_DATA is mapped, its clocks kept
                                         # (nt/shared_data.py)
    "job": lambda: None,                 # the job object the process is in (kernel32_process)
    "io_counters": lambda: [0] * 6,      # IO_COUNTERS: reads, writes, others, and their bytes
                                         # (NtReadFile's and NtWriteFile's: nt/files.py)
    "startup": lambda: None,             # what the parent's STARTUPINFO gave (GetStartupInfo)
    "startup_block": int,                # ... its lpReserved2 block, copied in
    "sspi_tables": dict,                 # InitSecurityInterface's tables, "W" and "A"
    "priority_class": lambda: 0x20,      # SetPriorityClass's (NORMAL_PRIORITY_CLASS)
    "console_title": str,                # SetConsoleTitle's
    "console_freed": bool,               # FreeConsole's, until Alloc/AttachConsole
    "console_roles": dict,               # fd -> (file, is input) (kernel32_console)
    "oid_infos": list,                   # crypt32_oid.py's CRYPT_OID_INFOs, once laid out
    "cert_properties": dict,             # certificate context -> {property id: bytes}
    "signal_handlers": dict,             # the C runtime's signal() actions, by signal
    "file_apis_oem": bool,               # SetFileApisToOEM's
    # user32's windows (win32/user32_messages.py)
    "window_classes": dict,              # lower-case class name -> WindowClass
    "classes_gone": int,                 # unregistered ones (atoms are not reused)
    "windows": dict,                     # hwnd -> Window
    "user_icons": dict,                  # HICON/HCURSOR -> what it is (win32/user32_icons.py)
    # file mappings (win32/kernel32_mapping.py)
    "views": dict,                       # MapViewOfFile's views: base -> length
    # msvcp140's notify-at-thread-exit list (win32/msvcp.py): [thread id, cnd, mtx, int *]
    "cnd_at_thread_exit": list,
}


class Win32Process:
    """p.win32: attributes are the process's (shared by its threads), except the per-thread
    ones below; `thread_local(name, factory)` gives any other per-thread container."""

    __slots__ = ("local", "__dict__")   # `local` is the thread's, outside the shared dict
    state_name = "win32"

    last_error = _teb_word("last_error")
    teb = _local("teb", 0)
    wait_until = _local("wait_until")
    sleep_until = _local("sleep_until")   # NtDelayExecution's deadline while it waits
    in_top_filter = _local("in_top_filter", False)
    suspend_count = _local("suspend_count", 0)        # SuspendThread's, less ResumeThread's
    priority = _local("priority", 0)                  # SetThreadPriority's
    description = _local("description", "")          # SetThreadDescription's
    thread_exit_code = _local("thread_exit_code")     # ExitThread's, once it exited
    condition_depth = _local("condition_depth")       # a sleeping condition wait's lock count
    stack_guarantee = _local("stack_guarantee", 0)    # SetThreadStackGuarantee's
    condition_wait = _local("condition_wait")         # a SleepConditionVariable* in progress
    address_wait = _local("address_wait")             # a WaitOnAddress in progress: its ticket
    wsa_deadline = _local("wsa_deadline")             # a socket call's SO_*TIMEO: (key, when)
    wsa_send = _local("wsa_send")                     # a blocking send's progress: (key, sent)
    io_cancelled = _local("io_cancelled", False)      # CancelSynchronousIo's, for its wait
    sync_io_handle = _local("sync_io_handle")         # the handle a synchronous wait is on
    signal_and_wait = _local("signal_and_wait", False)  # SignalObjectAndWait signalled, waits
    impersonation = _local("impersonation")          # ImpersonateSelf's level, till RevertToSelf

    def __init__(self, shared: dict | None = None, **fields):
        object.__setattr__(self, "local", {})
        if shared is not None:
            self.__dict__ = shared
        else:
            for name, make in PROCESS_FIELDS.items():
                self.__dict__[name] = make()
        for name, value in fields.items():
            setattr(self, name, value)

    @property
    def callbacks(self) -> list:
        """Guest callbacks in progress on this thread (callback.py)."""
        return self.thread_local("callbacks", list)

    @property
    def cxx_catches(self) -> list:
        """C++ catch funclets running on this thread, innermost last (cxxeh.py)."""
        return self.thread_local("cxx_catches", list)

    @property
    def shells(self) -> dict:
        """What a blocking call of this thread is waiting for, kept across its restarts: the
        shell system() and _pclose wait for (crtshell.py), the pipe instance a blocking
        ConnectNamedPipe waits on (kernel32_pipe.py)."""
        return self.thread_local("shells", dict)

    @property
    def tls_slots(self) -> dict:
        return self.thread_local("tls_slots", dict)

    @property
    def fls_values(self) -> dict:
        return self.thread_local("fls_values", dict)

    @staticmethod
    def of(proc) -> "Win32Process | None":
        """A process's (thread's) Win32 state, None for a process of another personality."""
        return proc.pstate if isinstance(proc.pstate, Win32Process) else None

    def thread_local(self, name: str, factory):
        if name not in self.local:
            self.local[name] = factory()
        return self.local[name]

    def for_thread(self, teb: int) -> "Win32Process":
        """The state a new thread of this process sees."""
        return Win32Process(self.__dict__, teb=teb)

    def fork(self) -> "Win32Process":
        return Win32Process()   # NT has no fork; a Linux-style fork of one starts afresh

    def exec(self) -> "Win32Process":
        return Win32Process()


Win32State = Win32Process
