"""kernel32's processes beside the current one, and the job objects around them: a process
here runs outside any job, so queries answer as Windows does for such a process, and jobs a
program creates only record their limits."""
from __future__ import annotations

import errno
import os
import struct
import time

from ..nt import abi
from ..errors import ExecError, KernelError
from .kernel32_sync import new_handle, object_of
from .state import Win32Process
from .wide import put_sized

ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER, ERROR_INSUFFICIENT_BUFFER = 6, 87, 122
ERROR_ACCESS_DENIED = 5
STILL_ACTIVE = 259


def _current(p) -> int:
    return (1 << p.sysvec.word_bits) - 1


def process_of_handle(p, handle):
    obj = object_of(p, handle, "process")
    return obj.pcb if obj is not None else None


def sys_kernel32_TerminateProcess(p, hProcess, uExitCode):
    if hProcess == _current(p):
        # Not ExitProcess: Windows ends the process at once, with no FLS callback and no
        # DLL_PROCESS_DETACH (a program's stale callback would run). The streams of the C
        # runtime sysvec provides (msvcrt, ucrtbase) are flushed: what was written stays.
        from .kernel32 import flush_all, nt_call
        flush_all(p)
        nt_call(p, "NtTerminateProcess", (1 << p.sysvec.word_bits) - 1, uExitCode)
        return 0
    child = process_of_handle(p, hProcess)
    if child is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    if child.alive:
        p.kernel.exit_process(child, uExitCode & 0xFF)
    return 1


# --- job objects ---------------------------------------------------------------------------

JobObjectExtendedLimitInformation = 9
JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE = 0x2000
CREATE_BREAKAWAY_FROM_JOB = 0x01000000


class JobObject:
    """A job: its limits as set, and its processes (children of a member join it). With
    JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE its last handle's close ends them all: CMake and
    Ninja rely on it to end a timed-out child when they exit."""

    kind = "job"

    def __init__(self):
        self.limits: dict = {}
        self.processes: list = []     # the members' group leaders

    def kills_on_close(self) -> bool:
        info = self.limits.get(JobObjectExtendedLimitInformation, b"")
        return len(info) >= 20 and \
            struct.unpack_from("<I", info, 16)[0] & JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE != 0

    def join(self, proc) -> None:
        leader = proc.group_leader()
        if leader not in self.processes:
            self.processes.append(leader)
        state = Win32Process.of(leader)
        if state is not None:
            state.job = self

    def close(self, p) -> None:
        if not self.kills_on_close():
            return
        for member in self.processes:
            if member.alive and member.tgid != p.tgid:
                p.kernel.exit_process(member, 1)


def sys_kernel32_CreateJobObjectA(p, lpJobAttributes, lpName):
    return new_handle(p, JobObject())


def sys_kernel32_CreateJobObjectW(p, lpJobAttributes, lpName):
    return sys_kernel32_CreateJobObjectA(p, lpJobAttributes, lpName)


def sys_kernel32_AssignProcessToJobObject(p, hJob, hProcess):
    job = object_of(p, hJob, "job")
    target = _process_for(p, hProcess)
    if job is not None and target is None and process_of_handle(p, hProcess) is not None:
        # a child that already ended (STATUS_PROCESS_IS_TERMINATING): libuv's spawn takes
        # this answer, and only this one, from a child quicker than its parent
        p.win32.last_error = ERROR_ACCESS_DENIED
        return 0
    if job is None or target is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    job.join(target)
    return 1


def sys_kernel32_TerminateJobObject(p, hJob, uExitCode):
    """End every process of the job with the code: the caller last, when it is one."""
    job = object_of(p, hJob, "job")
    if job is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    caller_is_member = False
    for member in list(job.processes):
        if member.tgid == p.tgid:
            caller_is_member = True
        elif member.alive:
            p.kernel.exit_process(member, uExitCode & 0xFF)
    if caller_is_member:
        from .kernel32 import sys_kernel32_ExitProcess
        return sys_kernel32_ExitProcess(p, uExitCode)
    return 1


def sys_kernel32_SetInformationJobObject(p, hJob, JobObjectInformationClass, lpJobObjectInformation,
                                         cbJobObjectInformationLength):
    job = object_of(p, hJob, "job")
    if job is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    job.limits[JobObjectInformationClass] = p.mm.read(lpJobObjectInformation,
                                                      cbJobObjectInformationLength)
    return 1


def sys_kernel32_QueryInformationJobObject(p, hJob, JobObjectInformationClass,
                                           lpJobObjectInformation, cbJobObjectInformationLength,
                                           lpReturnLength):
    """A job this process made answers with what was set; NULL (the caller's own job) fails
    as it does for a process in no job."""
    job = object_of(p, hJob, "job") if hJob else None
    if job is None:
        p.win32.last_error = ERROR_ACCESS_DENIED if not hJob else ERROR_INVALID_HANDLE
        return 0
    data = job.limits.get(JobObjectInformationClass, b"")
    data = data.ljust(cbJobObjectInformationLength, b"\0")[:cbJobObjectInformationLength]
    p.mm.write(lpJobObjectInformation, data)
    if lpReturnLength:
        p.mm.write_u32(lpReturnLength, len(data))
    return 1


def sys_kernel32_IsProcessInJob(p, ProcessHandle, JobHandle, Result):
    """Whether the process is in the job (NULL: in any job)."""
    target = _process_for(p, ProcessHandle)
    if target is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    state = Win32Process.of(target.group_leader())
    job = state.job if state is not None else None
    wanted = object_of(p, JobHandle, "job") if JobHandle else None
    p.mm.write_u32(Result, int(job is not None and (not JobHandle or job is wanted)))
    return 1


# --- processor and times -------------------------------------------------------------------

def sys_kernel32_GetSystemTimes(p, lpIdleTime, lpKernelTime, lpUserTime):
    """FILETIME durations: the host's CPU times of this machine, idle as the remainder."""
    t = os.times()
    user, system = int(t.user * 1e7), int(t.system * 1e7)
    idle = max(0, int(time.monotonic() * 1e7) - user - system)
    for addr, value in ((lpIdleTime, idle), (lpKernelTime, system + idle), (lpUserTime, user)):
        if addr:
            p.mm.write(addr, struct.pack("<Q", value))
    return 1


# SYSTEM_LOGICAL_PROCESSOR_INFORMATION: what the one processor here is made of (a core, a
# package, a NUMA node, and its caches: level, associativity, line size, size, type)
RELATION_CORE, RELATION_NUMA, RELATION_CACHE, RELATION_PACKAGE = 0, 1, 2, 3
RELATION_PROCESSOR_CORE, RELATION_ALL = RELATION_CORE, 0xFFFF
CACHES = ((1, 8, 64, 32 << 10, 2), (1, 8, 64, 32 << 10, 1), (2, 4, 64, 256 << 10, 0),
          (3, 16, 64, 8 << 20, 0))   # L1 data, L1 instruction, L2, L3 (unified)


def _processor_information(w: int) -> bytes:
    head = "<QI4x" if w == 8 else "<II"
    entries = [struct.pack(head, 1, RELATION_CORE) + struct.pack("<B15x", 0),
               struct.pack(head, 1, RELATION_NUMA) + struct.pack("<I12x", 0),
               struct.pack(head, 1, RELATION_PACKAGE) + b"\0" * 16]
    entries += [struct.pack(head, 1, RELATION_CACHE) + struct.pack("<BBHII4x", *cache)
                for cache in CACHES]
    return b"".join(entries)


def sys_kernel32_GetLogicalProcessorInformation(p, Buffer, ReturnedLength):
    return put_sized(p, _processor_information(abi.word(p)), Buffer, ReturnedLength)


RELATION_GROUP = 4


def _affinity(w: int) -> bytes:
    """GROUP_AFFINITY of the one processor: Mask 1 in group 0."""
    return struct.pack("<QH6x" if w == 8 else "<IH6x", 1, 0)


def _processor_information_ex(w: int, relation: int) -> bytes:
    """SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX records of the relation asked (RelationAll:
    every one, in Windows' order): the core, the NUMA node, the caches, the package and the
    group, each with its real size in Size."""
    core = struct.pack("<BB20sH", 0, 0, b"", 1) + _affinity(w)
    numa = struct.pack("<I18sH", 0, b"", 1) + _affinity(w)
    caches = [struct.pack("<BBHII18sH", *cache, b"", 1) + _affinity(w) for cache in CACHES]
    group_info = struct.pack("<BB38s", 1, 1, b"") + struct.pack("<Q" if w == 8 else "<I", 1)
    group = struct.pack("<HH20s", 1, 1, b"") + group_info
    records = [(RELATION_CORE, core), (RELATION_NUMA, numa)] + \
        [(RELATION_CACHE, c) for c in caches] + [(RELATION_PACKAGE, core), (RELATION_GROUP, group)]
    return b"".join(struct.pack("<II", kind, 8 + len(body)) + body for kind, body in records
                    if relation in (kind, RELATION_ALL))


def sys_kernel32_GetLogicalProcessorInformationEx(p, RelationshipType, Buffer, ReturnedLength):
    """One core, one logical processor (group 0, mask 1), described per relation: the C++
    runtime's hardware_concurrency counts the package records' mask bits."""
    relation = RelationshipType & 0xFFFFFFFF
    if relation not in (RELATION_CORE, RELATION_NUMA, RELATION_CACHE, RELATION_PACKAGE,
                        RELATION_GROUP, RELATION_ALL):
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    return put_sized(p, _processor_information_ex(abi.word(p), relation), Buffer,
                     ReturnedLength)


def sys_kernel32_InterlockedIncrement(p, Addend):
    value = (p.mm.read_u32(Addend) + 1) & 0xFFFFFFFF   # a trap runs alone on the core: atomic
    p.mm.write_u32(Addend, value)
    return value


def sys_kernel32_InterlockedDecrement(p, Addend):
    value = (p.mm.read_u32(Addend) - 1) & 0xFFFFFFFF
    p.mm.write_u32(Addend, value)
    return value


def sys_kernel32_InterlockedExchange(p, Target, Value):
    old = p.mm.read_u32(Target)
    p.mm.write_u32(Target, Value & 0xFFFFFFFF)
    return old


def sys_kernel32_InterlockedCompareExchange(p, Destination, Exchange, Comperand):
    old = p.mm.read_u32(Destination)
    if old == Comperand & 0xFFFFFFFF:
        p.mm.write_u32(Destination, Exchange & 0xFFFFFFFF)
    return old


# --- handles -----------------------------------------------------------------------------

HANDLE_FLAG_INHERIT = 1


def sys_kernel32_SetHandleInformation(p, hObject, dwMask, dwFlags):
    """The inherit flag of a descriptor's handle is its close-on-exec bit, inverted."""
    try:
        fd = abi.fd_of_handle(hObject)
        if dwMask & HANDLE_FLAG_INHERIT:
            p.fds.set_cloexec(fd, not dwFlags & HANDLE_FLAG_INHERIT)
        else:
            p.fds.get(fd)
    except Exception:   # NtError / KernelError: no such descriptor
        from .kernel32_sync import is_sync_handle
        if is_sync_handle(p, hObject):
            return 1
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    return 1


DUPLICATE_CLOSE_SOURCE, DUPLICATE_SAME_ACCESS = 1, 2


def inherit_objects(p, child, only: set | None = None) -> None:
    """CreateProcess with bInheritHandles: the child holds the parent's kernel32 objects
    (events, mutexes, sections ...) under the same handle values, as it holds its inheritable
    descriptors; `only` those handles when the caller listed them. (Which handles were made
    inheritable is not recorded: all are given.)"""
    from .kernel32_sync import _new, _objects
    target = Win32Process.of(child)
    if target is None:
        return
    for handle, obj in list(_objects(p).items()):
        if only is not None and handle not in only:
            continue
        # (a job's handle is not given: CreateJobObject's is not inheritable, and a child
        # holding one would keep a kill-on-close job from closing with its parent)
        if handle not in target.sync and not isinstance(obj, JobObject):
            _new(child, obj, handle)


def _process_for(p, handle):
    """The process a process handle names (the pseudo-handle: p itself), or None."""
    if handle == _current(p):
        return p
    found = process_of_handle(p, handle)
    return found if found is not None and found.alive and Win32Process.of(found) else None


def _duplicate_across(p, source, handle, target, inherit: bool, close: bool) -> int | None:
    """DuplicateHandle between two processes: the object (or open file) behind `handle` in
    source gets a handle in target. Returns the new handle, or None."""
    from .kernel32_sync import _objects, new_handle as new_in
    from .threads import current_thread_handle
    if handle == _current(source):             # the source process itself (a child's handle
        return new_in(target, ProcessObject(source.group_leader()))   # to watch its parent by)
    if handle == current_thread_handle(source):
        return new_in(target, ProcessObject(source, "thread"))
    obj = _objects(source).get(handle)
    if obj is not None:
        new = new_in(target, obj)
    else:
        try:
            f = source.fds.get(abi.fd_of_handle(handle))
        except Exception:   # NtError / KernelError: no such handle
            return None
        f.incref()
        new = abi.handle_of_fd(target.fds.install(f, cloexec=not inherit))
    if close:
        _close_in(source, handle)
    return new


def _close_in(process, handle: int) -> bool:
    """Close handle in process (DUPLICATE_CLOSE_SOURCE), whatever it is; False: no such
    handle."""
    from .kernel32_sync import _objects, close_sync_handle
    if _objects(process).get(handle) is not None:
        close_sync_handle(process, handle)
        return True
    try:
        process.fds.close(abi.fd_of_handle(handle))
    except Exception:   # NtError / KernelError: no such handle
        return False
    return True


def sys_kernel32_DuplicateHandle(p, hSourceProcessHandle, hSourceHandle, hTargetProcessHandle,
                                 lpTargetHandle, dwDesiredAccess, bInheritHandle, dwOptions):
    """A second handle to an object or open file, in this process or another (a server
    handing a child its sockets and shared memory)."""
    current = _current(p)
    if not hTargetProcessHandle and dwOptions & DUPLICATE_CLOSE_SOURCE:
        # No target: only the closing of the source (Go hands a child a pipe's end so and
        # then waits for EOF on the other); it is closed whatever else fails.
        source = _process_for(p, hSourceProcessHandle)
        if source is not None and _close_in(source, hSourceHandle):
            return 1
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    if hSourceProcessHandle != current or hTargetProcessHandle != current:
        source = _process_for(p, hSourceProcessHandle)
        target = _process_for(p, hTargetProcessHandle)
        new = _duplicate_across(p, source, hSourceHandle, target, bool(bInheritHandle),
                                bool(dwOptions & DUPLICATE_CLOSE_SOURCE)) \
            if source is not None and target is not None else None
        if new is None:
            p.win32.last_error = ERROR_INVALID_HANDLE
            return 0
        if lpTargetHandle:
            abi.write_ptr(p, lpTargetHandle, new)
        return 1
    if hSourceHandle == current:                    # a real handle to this process
        abi.write_ptr(p, lpTargetHandle, new_handle(p, ProcessObject(p.group_leader())))
        return 1
    from .kernel32_sync import _objects
    from .threads import current_thread_handle
    if hSourceHandle == current_thread_handle(p):   # a real handle to the calling thread
        abi.write_ptr(p, lpTargetHandle, new_handle(p, ProcessObject(p, "thread")))
        return 1
    obj = _objects(p).get(hSourceHandle)
    if obj is not None:                             # the same object under a second handle
        abi.write_ptr(p, lpTargetHandle, new_handle(p, obj))
        if dwOptions & DUPLICATE_CLOSE_SOURCE:
            _close_in(p, hSourceHandle)
        return 1
    try:
        source_fd = abi.fd_of_handle(hSourceHandle)
        new = p.fds.dup(source_fd)
        p.fds.set_cloexec(new, not bInheritHandle)
        _same_console_role(p, source_fd, new)
        if dwOptions & DUPLICATE_CLOSE_SOURCE:
            _close_in(p, hSourceHandle)
    except Exception:   # NtError / KernelError
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    if lpTargetHandle:
        abi.write_ptr(p, lpTargetHandle, abi.handle_of_fd(new))
    return 1


def _same_console_role(p, source_fd: int, new: int) -> None:
    """A copy of a console handle stands for the same buffer (input or screen)."""
    from .kernel32_console import _input_side, set_console_role
    f = p.fds.get(new)
    if getattr(f, "tty", None) is not None:
        set_console_role(p, new, _input_side(source_fd, f, p))


# --- creating processes ----------------------------------------------------------------------

STARTF_USESTDHANDLES, CREATE_UNICODE_ENVIRONMENT, CREATE_SUSPENDED = 0x100, 0x400, 0x4
DETACHED_PROCESS, CREATE_NEW_PROCESS_GROUP = 0x8, 0x200
ERROR_FILE_NOT_FOUND, ERROR_BAD_EXE_FORMAT = 2, 193
WAIT_OBJECT_0, WAIT_TIMEOUT = 0, 0x102


def command_line_to_argv(line: str) -> list[str]:
    """CommandLineToArgvW's rules: blanks separate, quotes group, 2n backslashes before a
    quote give n and open or close, 2n+1 give n and a literal quote."""
    args, i, n = [], 0, len(line)
    while i < n:
        while i < n and line[i] in " \t":
            i += 1
        if i >= n:
            break
        arg, quoted = [], False
        while i < n and (quoted or line[i] not in " \t"):
            if line[i] == "\\":
                j = i
                while j < n and line[j] == "\\":
                    j += 1
                if j < n and line[j] == '"':
                    arg.append("\\" * ((j - i) // 2))
                    if (j - i) % 2:
                        arg.append('"')
                        i = j + 1
                    else:
                        i = j
                    continue
                arg.append("\\" * (j - i))
                i = j
                continue
            if line[i] == '"':
                if quoted and i + 1 < n and line[i + 1] == '"':
                    arg.append('"')
                    i += 2
                    continue
                quoted = not quoted
                i += 1
                continue
            arg.append(line[i])
            i += 1
        args.append("".join(arg))
    return args


class ProcessObject:
    """A process handle (or its main thread's): waitable until the process exits."""

    def __init__(self, pcb, kind="process"):
        self.kind, self.pcb = kind, pcb

    def wait(self, p, milliseconds: int) -> int:
        if not self.pcb.alive:
            p.win32.wait_until = None
            return WAIT_OBJECT_0
        from .kernel32_iocp import wait_deadline
        deadline = wait_deadline(p, milliseconds)
        if milliseconds == 0 or (deadline is not None and time.monotonic() >= deadline):
            p.win32.wait_until = None
            return WAIT_TIMEOUT
        from ..kernel import Block
        raise Block(lambda: not self.pcb.alive, deadline=deadline)


def exit_code_of(pcb) -> int:
    """A finished process's exit code: a Windows program's own 32-bit code, a Linux
    program's exit status, 128+signal for one a signal ended (as a shell reports it)."""
    win32 = Win32Process.of(pcb)
    if win32 is not None and win32.exit_code is not None:
        return win32.exit_code
    status = pcb.exit_status or 0
    return (status >> 8) & 0xFF if status & 0x7F == 0 else 128 + (status & 0x7F)


def sys_kernel32_GetExitCodeProcess(p, hProcess, lpExitCode):
    if hProcess == _current(p):
        p.mm.write_u32(lpExitCode, STILL_ACTIVE)
        return 1
    child = process_of_handle(p, hProcess)
    if child is None:
        obj = object_of(p, hProcess, "thread")
        child = obj.pcb if obj is not None else None
    if child is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    p.mm.write_u32(lpExitCode, STILL_ACTIVE if child.alive else exit_code_of(child))
    return 1


def sys_kernel32_GetExitCodeThread(p, hThread, lpExitCode):
    obj = object_of(p, hThread, "thread")
    if obj is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    t = obj.pcb
    code = STILL_ACTIVE if t.alive else t.win32.thread_exit_code
    if code is None:   # a thread that ended with its process
        code = exit_code_of(t)
    p.mm.write_u32(lpExitCode, code)
    return 1


def _find_program(p, name: str) -> str | None:
    """The guest path CreateProcess runs for a program name: as given (or with .exe) when it
    names a directory, else searched in the program's directory, the current directory,
    System32, the Windows directory and %PATH%, as Windows does."""
    from .kernel32_files import _exists, _path, full_path
    from .kernel32_system import _env, _env_key
    has_dir = "\\" in name or "/" in name or name[1:2] == ":"
    if has_dir:
        dirs = [""]
    else:
        exe_dir = "C:" + (p.exe or "/").replace("/", "\\").rsplit("\\", 1)[0]
        key = _env_key(p, "PATH")
        dirs = [exe_dir, p.win32.cwd, "C:\\Windows\\System32", "C:\\Windows"] + \
            (_env(p)[key].split(";") if key else [])
    leaf = name.replace("/", "\\").rsplit("\\", 1)[-1]
    names = [name] if "." in leaf else [name + ".exe", name]
    for d in dirs:
        if d is None or (not has_dir and not d):
            continue
        for candidate in names:
            full = full_path(p, candidate if has_dir else d.rstrip("\\") + "\\" + candidate)
            if _exists(p, full):
                import stat as S
                try:
                    path = _path(p, full)
                    if S.S_ISREG(p.kernel.fs.stat("/", path, True, p).st_mode):
                        return path
                except Exception:   # KernelError / NtError: not runnable after all
                    continue
    return None


def _environment(p, block: int, unicode: bool) -> list[bytes]:
    if not block:
        return [f"{k}={v}".encode("utf-8", "replace") for k, v in p.win32.env.items()]
    out, addr = [], block
    from .wide import read_wstr
    for _ in range(4096):
        text = read_wstr(p, addr) if unicode else p.mm.read_cstr(addr, 32768).decode("latin-1")
        if not text:
            break
        out.append(text.encode("utf-8", "replace"))
        addr += (len(text.encode("utf-16-le")) + 2) if unicode else len(text.encode("latin-1")) + 1
    return out


def _child_fds(p, inherit: bool, startup: int, only: set | None):
    """The child's descriptors: the inheritable ones at the same numbers (so handle values
    mean the same in the child; `only` those handles when the caller listed them), and the
    standard handles STARTUPINFO names, or ours."""
    from ..files import FdTable
    from .kernel32 import sys_kernel32_GetStdHandle
    fds = FdTable(p.fds.limit)
    if inherit:
        for fd, (f, cloexec) in list(p.fds.fds.items()):
            if not cloexec and (only is None or abi.handle_of_fd(fd) in only):
                f.incref()
                fds.fds[fd] = [f, False]
    w = abi.word(p)
    std = None
    if startup and p.mm.read_u32(startup + (60 if w == 8 else 44)) & STARTF_USESTDHANDLES:
        at = startup + (80 if w == 8 else 56)
        std = [abi.read_ptr(p, at + i * w) for i in range(3)]
    if std is None:
        std = [sys_kernel32_GetStdHandle(p, n) for n in (0xFFFFFFF6, 0xFFFFFFF5, 0xFFFFFFF4)]
    for target, handle in enumerate(std):
        try:
            f = p.fds.get(abi.fd_of_handle(handle))
        except Exception:   # no such descriptor: the child has no such standard handle
            old = fds.fds.pop(target, None)
            if old:
                old[0].decref()
            continue
        f.incref()
        old = fds.fds.get(target)
        fds.fds[target] = [f, False]
        if old:
            old[0].decref()
    return fds


FOPEN = 0x01     # the C runtime's "this descriptor is open" flag


def _reserved_files(p, fds, startup: int) -> bytes:
    """STARTUPINFO's cbReserved2/lpReserved2: the C runtime's descriptors for the child
    (int count; a flag byte each; a handle each), how libuv hands node's child its IPC pipe
    as descriptor 3. Each open one is put at that descriptor number in the child's table,
    where the child's C runtime looks for it; returns the block as the child reads it."""
    if not startup:
        return b""
    w = abi.word(p)
    size = struct.unpack("<H", p.mm.read(startup + (66 if w == 8 else 50), 2))[0]
    at = abi.read_ptr(p, startup + (72 if w == 8 else 52))
    if size < 4 or not at:
        return b""
    data = p.mm.read(at, size)
    count = min(struct.unpack_from("<i", data)[0], (size - 4) // (1 + w), 2048)
    if count <= 0:
        return b""
    flags = bytearray(data[4:4 + count])
    invalid = (1 << (8 * w)) - 1
    handles = []
    for i in range(count):
        handle = int.from_bytes(data[4 + count + i * w:4 + count + (i + 1) * w], "little")
        f = None
        if flags[i] & FOPEN and handle not in (0, invalid):
            try:
                f = p.fds.get(abi.fd_of_handle(handle))
            except Exception:   # NtError / KernelError: not a handle of ours
                f = None
        if f is None:
            flags[i] &= ~FOPEN
            handles.append(invalid)
            continue
        if i >= fds.limit:
            flags[i] &= ~FOPEN
            handles.append(invalid)
            continue
        if i in fds.fds:
            fds.replace(i, f.incref())
        else:
            fds.install(f.incref(), lowest=i)   # free, so it lands at i
        handles.append(abi.handle_of_fd(i))
    return struct.pack("<i", count) + bytes(flags) + b"".join(
        h.to_bytes(w, "little") for h in handles)


def standard_files_table(p, files: list):
    """A child's descriptor table holding just files[0..2] (None: none) as its standard
    input, output and error, each with a reference of its own."""
    from ..files import FdTable
    fds = FdTable(p.fds.limit)
    for fd, f in enumerate(files):
        if f is not None:
            f.incref()
            fds.fds[fd] = [f, False]
    return fds


def start_child(p, path: str, argv: list[str], fds, cwd: str, command_line: str | None,
                envp: list[bytes] | None = None):
    """A child process of p running the guest path `path` with the descriptor table fds
    (which it takes; closed if the start fails), found in p's view of the files; a Windows
    child gets command_line exactly, and p's environment unless envp is given. Not p's to
    wait for as a Linux child: its handle is how p learns of its end. Raises ExecError or
    KernelError."""
    envp = _environment(p, 0, False) if envp is None else envp
    try:
        child = p.kernel.spawn(path, [a.encode("utf-8", "replace") for a in argv], envp,
                               fds=fds, cwd=cwd, opener=p, command_line=command_line)
    except (ExecError, KernelError):
        fds.close_all()
        raise
    child.parent, child.ppid = None, p.tgid   # the creating process, whichever thread
    child.sid, child.pgid = p.sid, p.pgid      # a child is of its creator's session and group
    return child


# Why a program could not start, as CreateProcess says it: no memory or no process left for
# it is ERROR_NOT_ENOUGH_MEMORY (biome read "cannot find the file" when the machine was full).
CREATE_PROCESS_ERROR = {errno.ENOEXEC: ERROR_BAD_EXE_FORMAT, errno.EACCES: ERROR_ACCESS_DENIED,
                        errno.ENOMEM: 8, errno.EAGAIN: 8, errno.ENOTDIR: 3,
                        errno.E2BIG: 206, errno.ENAMETOOLONG: 206}


def _create_process(p, application: str | None, command: str, inherit: int, flags: int,
                    environment: int, directory: str | None, startup: int, info: int) -> int:
    from .kernel32_files import _path
    argv = command_line_to_argv(command) if command else []
    program = application or (argv[0] if argv else "")
    if not argv:
        argv = [program]
    path = _find_program(p, program) if program else None
    if path is None:
        p.win32.last_error = ERROR_FILE_NOT_FOUND
        return 0
    try:
        cwd = _path(p, directory) if directory else _path(p, p.win32.cwd)
    except Exception:   # NtError: a directory NT paths refuse
        p.win32.last_error = 267   # ERROR_DIRECTORY
        return 0
    from .stdout import flush_all
    flush_all(p)                      # the child sees what the C runtime has buffered
    only = inherited_handle_list(p, startup) if flags & EXTENDED_STARTUPINFO_PRESENT else None
    fds = _child_fds(p, bool(inherit), startup, only)
    console = _pseudo_console(p, startup, fds) if flags & EXTENDED_STARTUPINFO_PRESENT \
        else None
    try:
        reserved = _reserved_files(p, fds, startup) if inherit else b""
    except KernelError:        # (a Fault is one) a block the parent cannot give: none
        fds.close_all()
        raise
    envp = _environment(p, environment, bool(flags & CREATE_UNICODE_ENVIRONMENT))
    try:
        child = start_child(p, path, argv, fds, cwd, command or None, envp)
    except (ExecError, KernelError) as exc:
        p.win32.last_error = CREATE_PROCESS_ERROR.get(getattr(exc, "errno", 0),
                                                      ERROR_FILE_NOT_FOUND)
        return 0
    if flags & DETACHED_PROCESS:      # no console: a session of its own, as a daemon's
        child.sid = child.pgid = child.pid
    elif flags & CREATE_NEW_PROCESS_GROUP:
        child.pgid = child.pid
    if Win32Process.of(child) is not None:   # Ctrl+C ignored is inherited; a new group's
        child.win32.ignore_ctrl_c = p.win32.ignore_ctrl_c or bool(  # is off, as on Windows
            flags & CREATE_NEW_PROCESS_GROUP)
        child.win32.new_process_group = bool(flags & CREATE_NEW_PROCESS_GROUP)
    if console is not None:
        console.take_session(child)
    if inherit:
        inherit_objects(p, child, only)
    job = p.win32.job
    if job is not None and not flags & CREATE_BREAKAWAY_FROM_JOB:
        job.join(child)                    # a member's child is in its job
    if Win32Process.of(child) is not None and startup:
        child.win32.startup = (p.mm.read_u32(startup + (60 if abi.word(p) == 8 else 44)),
                               reserved)
    if flags & CREATE_SUSPENDED and Win32Process.of(child) is not None:
        # Its first thread waits for ResumeThread (a server prepares the child's memory
        # and handles first).
        from ..pcb import State
        from .threads import _resumed
        child.win32.suspend_count = 1
        child.state, child.wait = State.BLOCKED, _resumed(child)
    process = new_handle(p, ProcessObject(child))
    thread = new_handle(p, ProcessObject(child, "thread"))
    w = abi.word(p)
    abi.write_ptr(p, info, process)
    abi.write_ptr(p, info + w, thread)
    p.mm.write(info + 2 * w, struct.pack("<II", child.pid, child.pid))
    return 1


def _pseudo_console(p, startup: int, fds):
    """STARTUPINFOEX naming a pseudo console: the child's standard handles that
    STARTF_USESTDHANDLES does not name (or names as NULL) are the console's."""
    from .pseudoconsole import console_of_startup
    console = console_of_startup(p, startup) if startup else None
    if console is None:
        return None
    w = abi.word(p)
    explicit = [False] * 3
    if p.mm.read_u32(startup + (60 if w == 8 else 44)) & STARTF_USESTDHANDLES:
        at = startup + (80 if w == 8 else 56)
        invalid = (1 << (8 * w)) - 1
        explicit = [abi.read_ptr(p, at + i * w) not in (0, invalid) for i in range(3)]
    console.attach_child(fds, explicit)
    return console


def sys_kernel32_CreateProcessA(p, lpApplicationName, lpCommandLine, lpProcessAttributes,
                                lpThreadAttributes, bInheritHandles, dwCreationFlags,
                                lpEnvironment, lpCurrentDirectory, lpStartupInfo,
                                lpProcessInformation):
    read = lambda a: p.mm.read_cstr(a, 32768).decode("latin-1") if a else None  # noqa: E731
    return _create_process(p, read(lpApplicationName), read(lpCommandLine) or "",
                           bInheritHandles, dwCreationFlags, lpEnvironment,
                           read(lpCurrentDirectory), lpStartupInfo, lpProcessInformation)


def sys_kernel32_CreateProcessW(p, lpApplicationName, lpCommandLine, lpProcessAttributes,
                                lpThreadAttributes, bInheritHandles, dwCreationFlags,
                                lpEnvironment, lpCurrentDirectory, lpStartupInfo,
                                lpProcessInformation):
    from .wide import read_wstr
    read = lambda a: read_wstr(p, a) if a else None  # noqa: E731
    return _create_process(p, read(lpApplicationName), read(lpCommandLine) or "",
                           bInheritHandles, dwCreationFlags, lpEnvironment,
                           read(lpCurrentDirectory), lpStartupInfo, lpProcessInformation)


def sys_kernel32_NeedCurrentDirectoryForExePathW(p, ExeName):
    """Whether a search for ExeName looks in the current directory first: yes, unless the
    name has no path and NoDefaultCurrentDirectoryInExePath is set."""
    from .kernel32_system import _env_key
    from .wide import read_wstr
    if "\\" in read_wstr(p, ExeName):
        return 1
    return int(_env_key(p, "NoDefaultCurrentDirectoryInExePath") is None)


# --- PROC_THREAD_ATTRIBUTE_LIST: what CreateProcess's STARTUPINFOEX passes along -------------
# The list is the caller's memory: a count and capacity, then (attribute, value, size)
# entries. CreateProcess acts on the inherited handle list (the child inherits those handles
# only, as Python's subprocess and Go's os/exec ask) and on a pseudo console (the child's
# console: pseudoconsole.py); a parent it does not act on.

ERROR_GEN_FAILURE = 31
EXTENDED_STARTUPINFO_PRESENT = 0x80000
PROC_THREAD_ATTRIBUTE_HANDLE_LIST = 0x20002


def _attributes(p, startup: int) -> list[tuple[int, int, int]]:
    """The (attribute, value, size) entries of STARTUPINFOEX's lpAttributeList."""
    w = abi.word(p)
    at = abi.read_ptr(p, startup + (104 if w == 8 else 68))   # after STARTUPINFO
    if not at:
        return []
    used = p.mm.read_u32(at)
    return [tuple(abi.read_ptr(p, at + 8 + (3 * i + k) * w) for k in range(3))
            for i in range(used)]


def inherited_handle_list(p, startup: int) -> set | None:
    """The handles PROC_THREAD_ATTRIBUTE_HANDLE_LIST names, or None when there is no list."""
    if not startup:
        return None
    w = abi.word(p)
    for attribute, value, size in _attributes(p, startup):
        if attribute == PROC_THREAD_ATTRIBUTE_HANDLE_LIST:
            return {abi.read_ptr(p, value + i * w) for i in range(size // w)}
    return None


def sys_kernel32_InitializeProcThreadAttributeList(p, lpAttributeList, dwAttributeCount,
                                                   dwFlags, lpSize):
    """The size needed (*lpSize) for dwAttributeCount entries; a list made there when it
    fits."""
    count = dwAttributeCount & 0xFFFFFFFF
    need = 8 + (3 * count + 1) * abi.word(p)
    if not lpAttributeList or abi.read_ptr(p, lpSize) < need:
        abi.write_ptr(p, lpSize, need)
        p.win32.last_error = ERROR_INSUFFICIENT_BUFFER
        return 0
    p.mm.write(lpAttributeList, struct.pack("<II", 0, count))
    return 1


def sys_kernel32_UpdateProcThreadAttribute(p, lpAttributeList, dwFlags, Attribute, lpValue, cbSize,
                                           lpPreviousValue, lpReturnSize):
    used, capacity = struct.unpack("<II", p.mm.read(lpAttributeList, 8))
    if used >= capacity:
        p.win32.last_error = ERROR_GEN_FAILURE
        return 0
    entry = lpAttributeList + 8 + 3 * abi.word(p) * used
    for i, value in enumerate((Attribute, lpValue, cbSize)):
        abi.write_ptr(p, entry + i * abi.word(p), value)
    p.mm.write(lpAttributeList, struct.pack("<I", used + 1))
    return 1


def sys_kernel32_DeleteProcThreadAttributeList(p, lpAttributeList):
    return 0
