"""What a Windows process has beyond the PCB: one declared type, made by the NT personality at
exec from what the PE loader laid out (runtime/nt/personality.py), reached as `p.win32` by
the NT services and the kernel32/msvcrt handlers."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Win32Process:
    state_name = "win32"

    # laid out by the PE loader (runtime/binfmt/pe.py)
    teb: int = 0
    peb: int = 0
    image_base: int = 0
    scratch: int = 0                  # kernel32's scratch page for NT-call arguments
    command_line_a: int = 0           # GetCommandLineA's string
    crt: dict = field(default_factory=dict)        # msvcrt's data: name -> address
    modules: dict = field(default_factory=dict)    # DLL name -> (base, exports)
    missing_imports: dict = field(default_factory=dict)   # stub address -> "DLL!function"
    env: dict = field(default_factory=dict)        # the environment, by name
    heap: object = None               # the process heap (runtime/win32/heap.py)
    cwd: str = "C:\\"
    # kernel32
    last_error: int = 0
    exception_filter: int = 0
    tls_slots: dict = field(default_factory=dict)
    sync: dict = field(default_factory=dict)       # semaphores, events, mutexes by handle
    sync_closed: int = 0
    # msvcrt
    files: dict = field(default_factory=dict)      # FILE * -> its descriptor and mode
    stdout_buf: bytearray = field(default_factory=bytearray)
    stdout_tty: bool | None = None
    pushback: dict = field(default_factory=dict)   # ungetc's bytes, by descriptor
    strings: dict = field(default_factory=dict)    # strings handed out once (getenv, lconv)
    atexit: list = field(default_factory=list)
    exiting: bool = False
    callbacks: list = field(default_factory=list)  # guest callbacks in progress (callback.py)
    strtok_next: int = 0
    rand_state: int = 1
    clock_start: float | None = None
    # NT services
    allocations: dict = field(default_factory=dict)    # NtAllocateVirtualMemory's regions
    sleep_until: float | None = None   # NtDelayExecution's deadline while it waits

    def fork(self) -> "Win32Process":
        return Win32Process()   # NT has no fork; a Linux-style fork of one starts afresh

    def exec(self) -> "Win32Process":
        return Win32Process()
