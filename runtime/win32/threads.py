"""Win32 threads as guest threads on the scheduler: CreateThread and _beginthreadex make a
thread of the process's group (same address space, handles and Win32 state) with its own
stack, TEB and TLS blocks; it runs the DLLs' and the image's TLS callbacks and DllMains for
DLL_THREAD_ATTACH, then its start routine, then ExitThread with the result (the same for
DLL_THREAD_DETACH, and FLS callbacks, first). Thread handles are waitable and keep the
exit code; the last thread to exit ends the process."""
from __future__ import annotations

from array import array
import struct

from unicorn import x86_const as X

from ..mm import page_up
from ..nt import abi
from ..nt.memory import own_region
from ..nt.start import TEB_SELECTOR, teb_segment, tls_blocks, write_client_id, write_teb
from ..pcb import PCB, State
from .kernel32_process import ProcessObject
from .kernel32_sync import new_handle, object_of

CREATE_SUSPENDED = 4
STACK_SIZE = 1 << 20
THREAD_PSEUDO_HANDLE = -2
DLL_THREAD_ATTACH = 2
ERROR_INVALID_HANDLE, ERROR_ACCESS_DENIED, ERROR_NOT_ENOUGH_MEMORY = 6, 5, 8
ERROR_INVALID_PARAMETER = 87


def current_thread_handle(p) -> int:
    return THREAD_PSEUDO_HANDLE & ((1 << p.sysvec.word_bits) - 1)


def _start_code(p, looping: bool = False) -> int:
    """The code every new thread starts in (one copy per process): the TLS callbacks with
    DLL_THREAD_ATTACH, then start(param) from rbx/ebx and rsi/esi, then ExitThread. A looping
    thread (a thread-pool wait's) calls start(param) again for as long as it returns non-zero;
    its entry follows the plain one in the same page."""
    calls = thread_notifications(p)
    if not p.win32.thread_start or p.win32.thread_start_calls != calls:   # a DLL came or went
        p.win32.thread_start_calls = calls
        plain, again = _thread_entry(p, False), _thread_entry(p, True)
        size = page_up(len(plain) + len(again))
        addr = p.mm.find_free(size)
        p.mm.map(addr, size, 3, "[thread start]")
        p.mm.write(addr, plain + again)
        p.mm.protect(addr, size, 5)
        p.win32.thread_start = addr
        p.win32.thread_loop_start = addr + len(plain)
    return p.win32.thread_loop_start if looping else p.win32.thread_start


def _thread_entry(p, looping: bool) -> bytes:
    exit_nr = 0x1000 | next(c.number for c in p.sysvec.shadow.calls.values()
                            if c.name == "kernel32.ExitThread")
    calls = thread_notifications(p)
    if p.sysvec.word_bits == 64:
        code = b"\x48\x83\xec\x28"                                    # sub rsp, 0x28
        for base, cb in calls:
            code += b"\x48\xb9" + struct.pack("<Q", base)             # mov rcx, base
            code += b"\xba" + struct.pack("<I", DLL_THREAD_ATTACH) + b"\x4d\x31\xc0"  # edx; r8=0
            code += b"\x48\xb8" + struct.pack("<Q", cb) + b"\xff\xd0"   # mov rax, cb; call rax
        code += b"\x48\x89\xf1\xff\xd3"                               # mov rcx, rsi; call rbx
        if looping:
            code += b"\x85\xc0\x75\xf7"                               # test eax, eax; jnz back
        code += b"\x49\x89\xc2\xb8" + struct.pack("<I", exit_nr) + b"\x0f\x05"  # r10=rax; syscall
    else:
        code = b"\x66\xb8" + struct.pack("<H", TEB_SELECTOR) + b"\x8e\xe0"   # mov fs, TEB
        for base, cb in calls:
            code += b"\x6a\x00\x6a\x02\x68" + struct.pack("<I", base)    # push 0; push 2; push base
            code += b"\xb8" + struct.pack("<I", cb) + b"\xff\xd0"        # mov eax, cb; call eax
        code += b"\x56\xff\xd3"                                        # push esi; call ebx
        if looping:
            code += b"\x85\xc0\x75\xf9"                               # test eax, eax; jnz back
        code += b"\x50\x89\xe2\xb8" + struct.pack("<I", exit_nr) + b"\xcd\x2e"  # ExitThread(eax)
    return code


def thread_notifications(p) -> list[tuple[int, int]]:
    """(module base, routine) a thread's start and end call, in load order: each DLL's TLS
    callbacks and DllMain (unless DisableThreadLibraryCalls asked not), then the program's
    TLS callbacks."""
    return [(base, fn) for base, fn, main in p.win32.dll_notify
            if not (main and base in p.win32.dll_quiet)] + \
        [(p.win32.image_base, cb) for cb in p.win32.tls_callbacks or []]


def _teb(p, tid: int, stack_top: int, stack_size: int) -> int:
    """A TEB (and TLS blocks from the program's and its DLLs' templates) for a new thread."""
    mm = p.mm
    teb = mm.find_free(0x2000)
    mm.map(teb, 0x2000, 3, "[teb]")
    tls_array = tls_blocks(mm, p.sysvec.word_bits, p.win32.tls_template, p.win32.dll_tls)
    write_teb(mm, p.sysvec.word_bits, teb, p.win32.peb, stack_top, stack_size, tls_array)
    write_client_id(mm, p.sysvec.word_bits, teb, p.tgid, tid)
    return teb


def create_thread(p, stack_size: int, start: int, param: int, flags: int, tid_out: int,
                  looping: bool = False) -> int:
    k = p.kernel
    try:
        tid = k.alloc_pid()
        size = page_up(min(max(stack_size, STACK_SIZE), 64 << 20))
        stack = p.mm.find_free(size)
        p.mm.map(stack, size, 3, "[thread stack]")
        own_region(p, stack, size)
    except Exception:   # KernelError: out of processes or memory
        p.win32.last_error = ERROR_NOT_ENOUGH_MEMORY
        return 0
    teb = _teb(p, tid, stack + size, size)
    entry = _start_code(p, looping)
    t = PCB(pid=tid, ppid=p.ppid, kernel=k, engine=p.engine, sysvec=p.sysvec, mm=p.mm,
            fds=p.fds, cwd=p.cwd, root=p.root, exe=p.exe, comm=p.comm, argv=p.argv,
            parent=p.parent, pgid=p.pgid, sid=p.sid, signal_words=array("Q", [p.sigmask, 0]),
            sigactions=p.sigactions, tls=dict(p.tls), state=State.BLOCKED, tgid=p.tgid,
            group=p.group)
    t.pstate = p.win32.for_thread(teb)
    p.group.append(t)
    handle = new_handle(p, ProcessObject(t, "thread"))
    if tid_out:
        p.mm.write_u32(tid_out, tid)
    suspended = bool(flags & CREATE_SUSPENDED)
    t.win32.suspend_count = 1 if suspended else 0

    def start_thread() -> None:
        engine = p.engine
        t.context = engine.new_context()
        engine.ffi.memmove(t.context, p.context, engine.lib.uc_context_size(engine.handle))
        sp = (stack + size - 0x40) & ~15
        if p.sysvec.word_bits == 64:
            regs = {X.UC_X86_REG_RSP: sp - 8, X.UC_X86_REG_RIP: entry, X.UC_X86_REG_RBX: start,
                    X.UC_X86_REG_RSI: param, X.UC_X86_REG_GS_BASE: teb}
        else:
            regs = {X.UC_X86_REG_ESP: sp, X.UC_X86_REG_EIP: entry, X.UC_X86_REG_EBX: start,
                    X.UC_X86_REG_ESI: param}
            from ..gdt import write_gdt
            teb_segment(t, teb)
            # The GDT page is the group's: this thread's TEB entry is written as it comes
            # on the core, before its first instruction loads FS from it.
            t.on_switch_in.append(lambda: write_gdt(t))
        k.set_context_regs(t, regs)
        k.procs[tid] = t
        if suspended:
            t.wait = _resumed(t)
        else:
            t.state = State.RUNNABLE

    p.after_trap.append(start_thread)
    return handle


def _resumed(t):
    from ..kernel import Block
    return Block(lambda: t.win32.suspend_count == 0)


def sys_kernel32_CreateThread(p, lpThreadAttributes, dwStackSize, lpStartAddress, lpParameter,
                              dwCreationFlags, lpThreadId):
    return create_thread(p, dwStackSize, lpStartAddress, lpParameter, dwCreationFlags, lpThreadId)


def sys_msvcrt__beginthreadex(p, security, stack_size, start_address, arglist, initflag,
                              thrdaddr):
    return create_thread(p, stack_size, start_address, arglist, initflag, thrdaddr)


def sys_msvcrt__beginthread(p, start_address, stack_size, arglist):
    """A thread running start(arglist), a cdecl function returning nothing (the thread start
    code calls it the same way, and ends the thread after). Returns its handle, or -1 (cgo's
    runtime starts Go's threads so)."""
    handle = create_thread(p, stack_size, start_address, arglist, 0, 0)
    return handle if handle else (1 << p.sysvec.word_bits) - 1


def sys_msvcrt__endthread(p):
    return sys_kernel32_ExitThread(p, 0)


def sys_kernel32_ExitThread(p, dwExitCode):
    """This thread ends (after its FLS callbacks); the process ends with it when it was the
    last one."""
    from .kernel32_startup import run_fls_callbacks
    p.win32.thread_exit_code = dwExitCode & 0xFFFFFFFF
    if not p.live_siblings():
        from .kernel32 import sys_kernel32_ExitProcess
        return sys_kernel32_ExitProcess(p, dwExitCode)

    def end() -> int:
        p.kernel.exit_thread(p)
        return 0
    return _detach(p, lambda: run_fls_callbacks(p, end))


def sys_kernel32_FreeLibraryAndExitThread(p, hLibModule, dwExitCode):
    """The module's reference goes (nothing is unloaded here) and the thread ends."""
    return sys_kernel32_ExitThread(p, dwExitCode)


DLL_THREAD_DETACH = 3


def _detach(p, then):
    """The TLS callbacks and DllMains with DLL_THREAD_DETACH, last loaded first (winpthreads
    runs its key destructors there), then then()."""
    from .kernel32_library import notify
    return notify(p, thread_notifications(p)[::-1], DLL_THREAD_DETACH, 0,
                  lambda _chain=None: then())


def sys_msvcrt__endthreadex(p, retval):
    return sys_kernel32_ExitThread(p, retval)


def sys_kernel32_GetCurrentThread(p):
    return current_thread_handle(p)


def sys_kernel32_GetCurrentThreadId(p):
    return p.pid


def thread_of_handle(p, handle):
    if handle == current_thread_handle(p):
        return p
    obj = object_of(p, handle, "thread")
    return obj.pcb if obj is not None else None


def sys_kernel32_SuspendThread(p, hThread):
    t = thread_of_handle(p, hThread)
    if t is None or not t.alive:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0xFFFFFFFF
    count = t.win32.suspend_count
    t.win32.suspend_count = count + 1
    if t is not p and count == 0 and t.state == State.RUNNABLE:
        t.state, t.wait = State.BLOCKED, _resumed(t)
    return count


def sys_kernel32_ResumeThread(p, hThread):
    t = thread_of_handle(p, hThread)
    if t is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0xFFFFFFFF
    count = t.win32.suspend_count
    if count:
        t.win32.suspend_count = count - 1
    return count


def sys_kernel32_GetThreadPriority(p, hThread):
    t = thread_of_handle(p, hThread)
    return t.win32.priority if t is not None else 0x7FFFFFFF


def sys_kernel32_SetThreadPriority(p, hThread, nPriority):
    """Recorded; the scheduler gives every thread the same share."""
    t = thread_of_handle(p, hThread)
    if t is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    t.win32.priority = nPriority
    return 1


E_INVALIDARG, E_OUTOFMEMORY, S_OK = 0x80070057, 0x8007000E, 0


def sys_kernel32_SetThreadDescription(p, hThread, lpThreadDescription):
    """The thread's name for debuggers and diagnostics (an HRESULT)."""
    from .wide import read_wstr
    t = thread_of_handle(p, hThread)
    if t is None:
        return 0x80070006          # HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE)
    t.win32.description = read_wstr(p, lpThreadDescription) if lpThreadDescription else ""
    return S_OK


def sys_kernel32_GetThreadDescription(p, hThread, ppszThreadDescription):
    """A copy of the name in a LocalAlloc'd string the caller frees with LocalFree."""
    t = thread_of_handle(p, hThread)
    if t is None:
        return 0x80070006
    data = (t.win32.description + "\0").encode("utf-16-le")
    block = p.win32.heap.alloc(len(data))
    if not block:
        return E_OUTOFMEMORY
    p.mm.write(block, data)
    abi.write_ptr(p, ppszThreadDescription, block)
    return S_OK


def sys_kernel32_TerminateThread(p, hThread, dwExitCode):
    """The thread ends where it is, without its DLLs' detach notifications or FLS callbacks
    (what it held stays held, as on Windows); the last thread's end ends the process."""
    t = thread_of_handle(p, hThread)
    if t is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    if not t.alive:
        return 1
    t.win32.thread_exit_code = dwExitCode & 0xFFFFFFFF
    if not t.live_siblings():
        p.kernel.exit_process(t, dwExitCode & 0xFF)
    else:
        p.kernel.exit_thread(t)
    return 1


def sys_kernel32_SetThreadInformation(p, hThread, ThreadInformationClass, ThreadInformation,
                                      ThreadInformationSize):
    """Memory priority, power throttling and the like: hints, accepted for a live thread."""
    if thread_of_handle(p, hThread) is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    if not 0 <= ThreadInformationClass < 4 or not ThreadInformation:   # below ...ClassMax
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    return 1


def sys_kernel32_GetCurrentProcessorNumberEx(p, ProcNumber):
    """PROCESSOR_NUMBER: group 0, processor 0 (the one emulated core)."""
    p.mm.write(ProcNumber, bytes(4))


def sys_kernel32_GetProcessAffinityMask(p, hProcess, lpProcessAffinityMask, lpSystemAffinityMask):
    abi.write_ptr(p, lpProcessAffinityMask, 1)   # one emulated core
    abi.write_ptr(p, lpSystemAffinityMask, 1)
    return 1


def sys_kernel32_SetProcessAffinityMask(p, hProcess, dwProcessAffinityMask):
    if not dwProcessAffinityMask & 1:
        p.win32.last_error = 87
        return 0
    return 1


def sys_kernel32_SetThreadAffinityMask(p, hThread, dwThreadAffinityMask):
    """The thread's previous mask: the one emulated core, which the new mask must include."""
    if not dwThreadAffinityMask & 1:
        p.win32.last_error = 87
        return 0
    return 1


def sys_kernel32_OpenProcess(p, dwDesiredAccess, bInheritHandle, dwProcessId):
    """A handle to a live process of the machine by its id, as a user opens its own
    processes (ctest finds a timed-out test's children with a snapshot and ends them so);
    an id that names no process: ERROR_INVALID_PARAMETER, as Windows answers."""
    pid = dwProcessId & 0xFFFFFFFF
    if pid == p.tgid:
        return new_handle(p, ProcessObject(p.group_leader()))
    target = p.kernel.procs.get(pid)
    if target is None or not target.alive or target.pid != target.tgid:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    return new_handle(p, ProcessObject(target))


def sys_kernel32_GetCurrentThreadStackLimits(p, LowLimit, HighLimit):
    """The calling thread's stack: its TEB's StackLimit and StackBase (the whole stack is
    committed here)."""
    w, teb = abi.word(p), p.win32.teb
    abi.write_ptr(p, HighLimit, abi.read_ptr(p, teb + w))
    abi.write_ptr(p, LowLimit, abi.read_ptr(p, teb + 2 * w))
    return 0


def sys_kernel32_OpenThread(p, dwDesiredAccess, bInheritHandle, dwThreadId):
    """A new handle to a live Windows thread of the machine by its id (GHC's runtime opens its
    own threads so; Rust's command-group resumes a suspended child's); an id that names no
    such thread: ERROR_INVALID_PARAMETER, as Windows answers."""
    from .state import Win32Process
    tid = dwThreadId & 0xFFFFFFFF
    thread = p.kernel.procs.get(tid)
    if thread is None or not thread.alive or Win32Process.of(thread) is None:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    return new_handle(p, ProcessObject(thread, "thread"))


def sys_kernel32_GetHandleInformation(p, hObject, lpdwFlags):
    from .kernel32_sync import is_sync_handle
    try:
        inherit = not p.fds.cloexec(abi.fd_of_handle(hObject))
    except Exception:   # NtError / KernelError: not a descriptor's handle
        if not is_sync_handle(p, hObject) and hObject != current_thread_handle(p):
            p.win32.last_error = ERROR_INVALID_HANDLE
            return 0
        inherit = False
    p.mm.write_u32(lpdwFlags, int(inherit))
    return 1


def sys_kernel32_OutputDebugStringA(p, lpOutputString):
    return 0   # no debugger listens


def sys_kernel32_OutputDebugStringW(p, lpOutputString):
    return 0


def sys_kernel32_QueueUserWorkItem(p, Function, Context, Flags):
    """The thread pool runs Function(Context) on a thread of its own; here each work item
    gets a new thread (a long function, WT_EXECUTELONGFUNCTION, is what libuv queues), whose
    handle nobody holds."""
    from .kernel32_sync import close_sync_handle
    handle = create_thread(p, 0, Function, Context, 0, 0)
    if not handle:
        return 0
    close_sync_handle(p, handle)
    return 1


def sys_kernel32_SetProcessPriorityBoost(p, hProcess, bDisablePriorityBoost):
    """Recorded; the scheduler boosts no thread (every thread gets the same share)."""
    p.win32.priority_boost_disabled = bool(bDisablePriorityBoost)
    return 1


def sys_kernel32_GetProcessPriorityBoost(p, hProcess, pDisablePriorityBoost):
    p.mm.write_u32(pDisablePriorityBoost, int(p.win32.priority_boost_disabled))
    return 1
