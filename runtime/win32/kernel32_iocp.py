"""Overlapped I/O and I/O completion ports. An overlapped operation that cannot finish at
once stays pending (on its handle's port, or on the process's list when the handle has
none) until what it waits for is ready; it completes when the program looks
(GetQueuedCompletionStatus, GetOverlappedResult, WSAGetOverlappedResult), which blocks in
the scheduler until something is. Each kind of operation says when it is ready, how it
finishes and which handles' files can make it ready: pipe reads (kernel32_pipe), socket
operations (winsock_overlapped), AFD polls (winsock_afd)."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from .. import readiness
from ..kernel import Block
from ..nt import abi
from ..nt.status import STATUS_CANCELLED, STATUS_PENDING, STATUS_SUCCESS
from .kernel32_sync import new_handle, object_of
from .ntcall import sys_ntdll_RtlNtStatusToDosError
from .state import Win32Process

ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER, WAIT_TIMEOUT = 6, 87, 258
ERROR_IO_INCOMPLETE, ERROR_IO_PENDING, ERROR_NOT_FOUND = 996, 997, 1168


class Pending:
    """An overlapped operation in progress on a handle."""

    handle: int
    overlapped: int
    iosb = None          # an NT caller's IO_STATUS_BLOCK, apart from its context (overlapped)
    event = 0            # an NT caller's Event, set when it completes
    apc = None           # an NT caller's (thread's APC queue, ApcRoutine), queued then
    deadline = None      # when it completes by itself (time.monotonic()), if ever

    def done(self, p, count: int, status: int) -> None:
        """It completed: complete() with what its caller named."""
        complete(p, self.handle, self.overlapped, count, status, iosb=self.iosb,
                 event=self.event, apc=self.apc)

    def ready(self, p) -> bool:
        """Finishing it now would not wait (its handle gone counts as ready: it is dropped)."""
        raise NotImplementedError

    def finish(self, p) -> None:
        """Do the operation and complete() it; called once ready() said so."""
        raise NotImplementedError

    def gone(self, p) -> bool:
        """Its handle was closed: the operation is dropped, no packet."""
        try:
            p.fds.get(abi.fd_of_handle(self.handle))
        except Exception:   # NtError / KernelError: no such descriptor now
            return True
        return False

    def watched_handles(self) -> list:
        """The handles whose files make it ready: a blocked wait for it watches their host
        descriptors (an AFD poll's are the sockets it polls, not its own device handle)."""
        return [self.handle]


@dataclass
class Port:
    kind: str = "port"
    packets: list = field(default_factory=list)    # (bytes, key, overlapped, NTSTATUS)
    pending: list = field(default_factory=list)    # Pending operations of its handles


def port_of(p, handle):
    assoc = p.win32.associations.get(handle)
    return object_of(p, assoc[0], "port") if assoc else None


def pending_list(p, handle) -> list:
    """Where handle's pending operations wait: its port's list, or the process's own."""
    port = port_of(p, handle)
    return port.pending if port is not None else p.win32.unported_reads


def begin(p, overlapped: int) -> None:
    """An overlapped operation starts: its OVERLAPPED's event is reset, as NT's I/O manager
    resets the event every NtXxxFile call names, so a wait on it ends at this operation's
    completion and not at an earlier one's (a reader reusing one manual-reset event)."""
    if not overlapped:
        return
    event = abi.read_ptr(p, overlapped + 2 * abi.word(p) + 8) & ~1
    if event:
        from .kernel32_sync import sys_kernel32_ResetEvent
        error = p.win32.last_error
        sys_kernel32_ResetEvent(p, event)
        p.win32.last_error = error      # a bad event is the caller's to find at its wait


def nt_begin(p, handle, event: int) -> None:
    """An NT caller's request starts on handle: its Event is reset, and the file object
    itself (what a wait on the handle waits for), as NT's I/O manager does."""
    if event:
        from .kernel32_sync import sys_kernel32_ResetEvent
        error = p.win32.last_error
        sys_kernel32_ResetEvent(p, event & ~1)
        p.win32.last_error = error      # a bad event is the caller's to find at its wait
    _signal_file(p, handle, False)


def _signal_file(p, handle, state: bool) -> None:
    """The file object's own signal: set when a request on it completes, reset when one
    starts (a wait on a file handle: kernel32_wait.py)."""
    try:
        p.fds.get(abi.fd_of_handle(handle)).nt_signalled = state
    except Exception:   # NtError / KernelError: no such descriptor (closed meanwhile)
        pass


def nt_apc(p, routine: int):
    """The ApcRoutine an NT caller named, to run in this thread (None for none)."""
    from .apc import thread_queue
    return (thread_queue(p), routine) if routine else None


def ops_deadline(ops: list) -> float | None:
    """The first time one of ops completes by itself (a poll's timeout), for a blocked wait
    to look again then; None when none does."""
    times = [op.deadline for op in ops if op.deadline is not None]
    return min(times) if times else None


def start_pending(p, op: Pending) -> int:
    """An operation that has to wait: OVERLAPPED says STATUS_PENDING, the call fails with
    ERROR_IO_PENDING (what the caller returns)."""
    set_status(p, op.iosb or op.overlapped, STATUS_PENDING, 0)
    pending_list(p, op.handle).append(op)
    p.win32.last_error = ERROR_IO_PENDING
    return 0


def nt_success(status: int) -> bool:
    """NT_SUCCESS: a success or informational status (STATUS_TIMEOUT of a poll among them),
    which kernelbase's GetQueuedCompletionStatus and GetOverlappedResult return TRUE for."""
    return status & 0xFFFFFFFF < 0x80000000


def set_status(p, overlapped: int, status: int, count: int) -> None:
    abi.write_ptr(p, overlapped, status)
    abi.write_ptr(p, overlapped + abi.word(p), count)


def _no_packet(p, overlapped: int) -> bool:
    """OVERLAPPED.hEvent with its low bit set: the operation's completion is not queued to
    the handle's port (libuv reads pipes synchronously through one so)."""
    w = abi.word(p)
    return bool(abi.read_ptr(p, overlapped + 2 * w + 8) & 1)


FILE_SKIP_COMPLETION_PORT_ON_SUCCESS = 0x1


def complete(p, handle, overlapped, count, status=STATUS_SUCCESS, at_once=False,
             iosb=None, event: int = 0, apc=None) -> None:
    """An overlapped operation finished: its OVERLAPPED says so, its event is set, its
    port gets a packet (unless it finished in the call that started it and the handle
    asked SetFileCompletionNotificationModes to skip the port then). An NT caller's
    operation (iosb given) has its IO_STATUS_BLOCK apart: `overlapped` is then only its
    completion context (ApcContext), the packet's, and its Event and ApcRoutine are given:
    the event is set, the routine queued as a user APC to the thread that started it
    (ApcRoutine(ApcContext, IoStatusBlock, 0) at its next alertable wait) instead of a
    packet. The file object is signalled either way."""
    _signal_file(p, handle, True)
    if iosb is not None:
        set_status(p, iosb, status, count)
        if event:
            from .kernel32_sync import sys_kernel32_SetEvent
            error = p.win32.last_error
            sys_kernel32_SetEvent(p, event & ~1)
            p.win32.last_error = error
        if apc is not None:
            queue, routine = apc
            queue.append(("done", routine, overlapped, iosb, 0))
            return
    else:
        set_status(p, overlapped, status, count)
        event = abi.read_ptr(p, overlapped + 2 * abi.word(p) + 8) & ~1
        if event:
            from .kernel32_sync import sys_kernel32_SetEvent
            error = p.win32.last_error
            sys_kernel32_SetEvent(p, event)
            p.win32.last_error = error  # not the caller's result: a bad event changes nothing
    if at_once and status == STATUS_SUCCESS and \
            p.win32.completion_modes.get(handle, 0) & FILE_SKIP_COMPLETION_PORT_ON_SUCCESS:
        return
    port = port_of(p, handle)
    if port is None or (iosb is None and _no_packet(p, overlapped)) or \
            (iosb is not None and not overlapped):
        return
    port.packets.append((count, p.win32.associations[handle][1], overlapped, status))


def finish_ready(p, ops: list) -> bool:
    """Complete the pending operations that are ready; True if any completed."""
    done = False
    for op in list(ops):
        if op.gone(p):
            ops.remove(op)
        elif op.ready(p):
            ops.remove(op)
            op.finish(p)
            done = True
    return done


def cancel(p, handle, overlapped: int | None) -> bool:
    """Cancel the pending operations of handle (only the one at overlapped, an OVERLAPPED
    or an NT caller's IO_STATUS_BLOCK, if given): each completes with STATUS_CANCELLED, a
    packet to its port as on Windows."""
    found = False
    for ops in [p.win32.unported_reads] + [port.pending for port in (
            object_of(p, h, "port") for h, _ in set(p.win32.associations.values()))
            if port is not None]:
        for op in list(ops):
            if op.handle == handle and overlapped in (None, op.overlapped, op.iosb):
                ops.remove(op)
                op.done(p, 0, STATUS_CANCELLED)
                found = True
    return found


def handle_closing(p, handle) -> None:
    """A handle is being closed: its pending operations complete cancelled (a packet each
    to its port, as Windows posts them: libuv waits for them before it finishes closing),
    and its port association and notification modes go (the number will be reused)."""
    win32 = Win32Process.of(p)
    if win32 is None:
        return
    from .kernel32_pipe import forget_instance
    cancel(p, handle, None)
    forget_instance(p, handle)
    win32.associations.pop(handle, None)
    win32.completion_modes.pop(handle, None)


def sys_kernel32_CreateIoCompletionPort(p, FileHandle, ExistingCompletionPort, CompletionKey,
                                        NumberOfConcurrentThreads):
    invalid = (1 << p.sysvec.word_bits) - 1
    port_handle = ExistingCompletionPort
    if not port_handle:
        port_handle = new_handle(p, Port())
    elif object_of(p, port_handle, "port") is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    if FileHandle != invalid:
        p.win32.associations[FileHandle] = (port_handle, CompletionKey)
    return port_handle


def sys_kernel32_SetFileCompletionNotificationModes(p, FileHandle, Flags):
    """FILE_SKIP_COMPLETION_PORT_ON_SUCCESS (libuv, Go): an operation done at once posts
    nothing; FILE_SKIP_SET_EVENT_ON_HANDLE changes nothing here (handles are no events)."""
    try:
        p.fds.get(abi.fd_of_handle(FileHandle))
    except Exception:   # NtError / KernelError: no such descriptor
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    p.win32.completion_modes[FileHandle] = Flags & 0xFF
    return 1


def sys_kernel32_CancelIoEx(p, hFile, lpOverlapped):
    from .kernel32_misc import cancel_synchronous_on
    found = cancel(p, hFile, lpOverlapped or None)
    if not lpOverlapped:
        found = cancel_synchronous_on(p, hFile) or found
    if not found:
        p.win32.last_error = ERROR_NOT_FOUND
        return 0
    return 1


def sys_kernel32_CancelIo(p, hFile):
    cancel(p, hFile, None)
    return 1


def _ready(p, ops: list) -> bool:
    return any(op.gone(p) or op.ready(p) for op in ops)


def progress_unported(p) -> list:
    """Finish the port-less pending operations that are ready (their OVERLAPPED events are
    set, their completion routines queued), as Windows completes I/O whether or not anyone
    asks: a wait on the event, or an alertable wait, must see it. Returns what still waits."""
    ops = p.win32.unported_reads
    if ops:
        finish_ready(p, ops)
    return ops


def unported_ready(p, ops: list) -> bool:
    """For a blocked wait's predicate: one of the port-less operations can finish now."""
    return bool(ops) and _ready(p, ops)


def unported_host_fds(p, ops: list) -> list:
    return _host_fds(p, ops) if ops else []


def wait_deadline(p, milliseconds: int):
    """The wall-clock end of a finite wait, kept across the call's restarts."""
    if milliseconds == 0xFFFFFFFF:
        return None
    if p.win32.wait_until is None:
        p.win32.wait_until = time.monotonic() + milliseconds / 1000
    return p.win32.wait_until


def _packets_or_timeout(p, port, milliseconds: int) -> bool:
    """True once the port holds packets; False when the wait's time is up (WAIT_TIMEOUT
    set); otherwise the thread blocks until a packet comes or the time is up."""
    finish_ready(p, port.pending)
    if port.packets:
        p.win32.wait_until = None
        return True
    deadline = wait_deadline(p, milliseconds)
    if milliseconds == 0 or (deadline is not None and time.monotonic() >= deadline):
        p.win32.wait_until = None
        p.win32.last_error = WAIT_TIMEOUT
        return False
    wake = [t for t in (deadline, ops_deadline(port.pending)) if t is not None]
    raise Block(lambda: bool(port.packets) or _ready(p, port.pending),
                deadline=min(wake) if wake else None, host_fds=_host_fds(p, port.pending))


def _host_fds(p, ops: list) -> list:
    """Host descriptors the wait also watches (a socket bridged to the host): without them
    a wait whose only waker is the host sleeps with nothing to wake it (a false deadlock)."""
    fds: set = set()
    for op in ops:
        for handle in op.watched_handles():
            try:
                f = p.fds.get(abi.fd_of_handle(handle))
            except Exception:   # NtError / KernelError: closed; its op finishes or goes
                continue
            fds.update(readiness.host_fds(f))
    return sorted(fds)


def sys_kernel32_GetQueuedCompletionStatus(p, CompletionPort, lpNumberOfBytesTransferred,
                                           lpCompletionKey, lpOverlapped, dwMilliseconds):
    port = object_of(p, CompletionPort, "port")
    if port is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    if not _packets_or_timeout(p, port, dwMilliseconds):
        abi.write_ptr(p, lpOverlapped, 0)
        return 0
    count, key, overlapped, status = port.packets.pop(0)
    p.mm.write_u32(lpNumberOfBytesTransferred, count)
    abi.write_ptr(p, lpCompletionKey, key)
    abi.write_ptr(p, lpOverlapped, overlapped)
    if not nt_success(status):
        p.win32.last_error = sys_ntdll_RtlNtStatusToDosError(p, status)
        return 0
    return 1


def sys_kernel32_GetQueuedCompletionStatusEx(p, CompletionPort, lpCompletionPortEntries,
                                             ulCount, ulNumEntriesRemoved, dwMilliseconds,
                                             fAlertable):
    """Up to ulCount packets at once, each an OVERLAPPED_ENTRY (key, OVERLAPPED, its status,
    the byte count); a failed operation's packet is an entry like any other."""
    port = object_of(p, CompletionPort, "port")
    if port is None or not ulCount:
        p.win32.last_error = ERROR_INVALID_HANDLE if port is None else ERROR_INVALID_PARAMETER
        return 0
    if not _packets_or_timeout(p, port, dwMilliseconds):
        p.mm.write_u32(ulNumEntriesRemoved, 0)
        return 0
    word = abi.word(p)
    taken = port.packets[:ulCount]
    del port.packets[:ulCount]
    for i, (count, key, overlapped, status) in enumerate(taken):
        entry = lpCompletionPortEntries + i * 4 * word
        abi.write_ptr(p, entry, key)
        abi.write_ptr(p, entry + word, overlapped)
        abi.write_ptr(p, entry + 2 * word, status)
        p.mm.write_u32(entry + 3 * word, count)
    p.mm.write_u32(ulNumEntriesRemoved, len(taken))
    return 1


def sys_kernel32_PostQueuedCompletionStatus(p, CompletionPort, dwNumberOfBytesTransferred,
                                            dwCompletionKey, lpOverlapped):
    port = object_of(p, CompletionPort, "port")
    if port is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    port.packets.append((dwNumberOfBytesTransferred, dwCompletionKey, lpOverlapped, 0))
    return 1


def overlapped_result(p, handle, overlapped: int, wait: bool) -> tuple[int, int] | None:
    """(NTSTATUS, count) of a finished operation; None when it is still pending and the
    caller does not wait (ERROR_IO_INCOMPLETE set); blocks when it waits."""
    status = abi.read_ptr(p, overlapped) & 0xFFFFFFFF
    if status == STATUS_PENDING:
        ops = pending_list(p, handle)
        finish_ready(p, ops)
        status = abi.read_ptr(p, overlapped) & 0xFFFFFFFF
        if status == STATUS_PENDING:
            if not wait:
                p.win32.last_error = ERROR_IO_INCOMPLETE
                return None
            mine = [op for op in ops if op.overlapped == overlapped]
            raise Block(lambda: _ready(p, mine) or not any(op in ops for op in mine),
                        deadline=ops_deadline(mine), host_fds=_host_fds(p, mine))
    return status, abi.read_ptr(p, overlapped + abi.word(p)) & 0xFFFFFFFF


def sys_kernel32_GetOverlappedResult(p, hFile, lpOverlapped, lpNumberOfBytesTransferred, bWait):
    result = overlapped_result(p, hFile, lpOverlapped, bool(bWait))
    if result is None:
        return 0
    status, count = result
    p.mm.write_u32(lpNumberOfBytesTransferred, count)
    if not nt_success(status):
        p.win32.last_error = sys_ntdll_RtlNtStatusToDosError(p, status)
        return 0
    return 1
