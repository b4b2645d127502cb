"""Anonymous and named pipes and their overlapped reads, the way ninja and other build tools
collect their children's output: a named pipe's server end is the read end of a machine
pipe, a client opening `\\\\.\\pipe\\NAME` gets its write end, and an overlapped read
finishes when the pipe has data or no writer, posting a packet to the port the handle is
associated with (kernel32_iocp)."""
from __future__ import annotations

import os
import struct
from collections import deque
from dataclasses import dataclass

from ..errors import KernelError, WouldBlock
from ..files import EMPTY_MESSAGE, make_pipe
from ..nt.named_pipes import pipe_ends
from ..nt import abi
from ..nt.status import (STATUS_BUFFER_OVERFLOW, STATUS_PENDING, STATUS_PIPE_BROKEN,
                         STATUS_SUCCESS)
from .kernel32_iocp import ERROR_IO_PENDING, Pending, complete, set_status, start_pending

ERROR_INVALID_HANDLE, ERROR_BROKEN_PIPE, ERROR_PIPE_CONNECTED = 6, 109, 535
ERROR_MORE_DATA = 234
PIPE_NOWAIT, PIPE_READMODE_MESSAGE, PIPE_TYPE_MESSAGE = 0x1, 0x2, 0x4
ERROR_FILE_NOT_FOUND, ERROR_PIPE_BUSY, ERROR_SEM_TIMEOUT = 2, 231, 121
NMPWAIT_USE_DEFAULT_WAIT, NMPWAIT_WAIT_FOREVER = 0, 0xFFFFFFFF
DEFAULT_WAIT_MS = 50
PIPE_PREFIX = "\\\\.\\pipe\\"


@dataclass(eq=False)
class PendingRead(Pending):
    """ReadFile with an OVERLAPPED on a pipe that had nothing to give yet."""
    handle: int
    buffer: int
    length: int
    overlapped: int

    def gone(self, p) -> bool:
        return _read_end(p, self.handle) is None

    def ready(self, p) -> bool:
        return _read_end(p, self.handle).readable_now()

    def finish(self, p) -> None:
        try:
            data = _take(_read_end(p, self.handle), self.length)
        except (WouldBlock, KernelError):
            data = b""
        if len(data):
            p.mm.write(self.buffer, data)
        status = STATUS_SUCCESS if data else STATUS_PIPE_BROKEN
        if data and _message_more(_read_end(p, self.handle)):
            status = STATUS_BUFFER_OVERFLOW     # the message goes on: ERROR_MORE_DATA
        complete(p, self.handle, self.overlapped, len(data), status)


def sys_kernel32_CreatePipe(p, hReadPipe, hWritePipe, lpPipeAttributes, nSize):
    r, w = make_pipe()
    size = (nSize & 0xFFFFFFFF) or DEFAULT_PIPE_BUFFER
    r.pipe_info = w.pipe_info = PipeInfo(server=r, max_instances=1, out_size=size,
                                         in_size=size)
    inherit = _inherit(p, lpPipeAttributes)
    rfd = p.fds.install(r, cloexec=not inherit)
    wfd = p.fds.install(w, cloexec=not inherit)
    abi.write_ptr(p, hReadPipe, abi.handle_of_fd(rfd))
    abi.write_ptr(p, hWritePipe, abi.handle_of_fd(wfd))
    return 1


def _inherit(p, attributes: int) -> bool:
    """SECURITY_ATTRIBUTES.bInheritHandle (after nLength and the descriptor pointer)."""
    if not attributes:
        return False
    return bool(p.mm.read_u32(attributes + 2 * abi.word(p)))


def sys_kernel32_CreateNamedPipeA(p, lpName, dwOpenMode, dwPipeMode, nMaxInstances,
                                  nOutBufferSize, nInBufferSize, nDefaultTimeOut,
                                  lpSecurityAttributes):
    return _create_named(p, p.mm.read_cstr(lpName).decode("latin-1"), dwOpenMode,
                         lpSecurityAttributes, nDefaultTimeOut, dwPipeMode,
                         (nMaxInstances, nOutBufferSize, nInBufferSize))


def sys_kernel32_CreateNamedPipeW(p, lpName, dwOpenMode, dwPipeMode, nMaxInstances,
                                  nOutBufferSize, nInBufferSize, nDefaultTimeOut,
                                  lpSecurityAttributes):
    from .wide import read_wstr
    return _create_named(p, read_wstr(p, lpName), dwOpenMode, lpSecurityAttributes,
                         nDefaultTimeOut, dwPipeMode,
                         (nMaxInstances, nOutBufferSize, nInBufferSize))


PIPE_ACCESS_INBOUND, PIPE_ACCESS_OUTBOUND = 1, 2      # both: PIPE_ACCESS_DUPLEX
FILE_FLAG_OVERLAPPED, FILE_FLAG_FIRST_PIPE_INSTANCE = 0x40000000, 0x80000
ERROR_ACCESS_DENIED = 5


def pipe_key(name: str) -> str | None:
    """A pipe's name as the table keeps it (`\\\\?\\pipe\\` is `\\\\.\\pipe\\` too), or None
    for a name that is no pipe's."""
    key = name.lower()
    if key.startswith("\\\\?\\pipe\\"):
        key = PIPE_PREFIX + key[len("\\\\?\\pipe\\"):]
    return key if key.startswith(PIPE_PREFIX) else None


@dataclass
class PipeInfo:
    """What CreateNamedPipe (or CreatePipe) was given, for GetNamedPipeInfo on either end."""
    server: object
    max_instances: int
    out_size: int
    in_size: int


DEFAULT_PIPE_BUFFER = 4096


def _create_named(p, name: str, mode: int, attributes: int, default_timeout: int,
                  pipe_mode: int = 0, sizes: tuple = (255, 0, 0)) -> int:
    """The server end reads (PIPE_ACCESS_INBOUND, what build tools use), writes (OUTBOUND)
    or both (DUPLEX: libuv's pipes to a child's standard streams); the client end that
    CreateFile opens is its opposite."""
    key = pipe_key(name)
    access = mode & 3
    if key is None or not access:
        p.win32.last_error = 123 if key is None else 87   # ERROR_INVALID_NAME / _PARAMETER
        return (1 << p.sysvec.word_bits) - 1
    if mode & FILE_FLAG_FIRST_PIPE_INSTANCE and _live_instances(_names(p), key):
        # the name is another server's: a second daemon learns so and leaves (biome's)
        p.win32.last_error = ERROR_ACCESS_DENIED
        return (1 << p.sysvec.word_bits) - 1
    server = _instance(key, (bool(access & PIPE_ACCESS_INBOUND),
                             bool(access & PIPE_ACCESS_OUTBOUND)), pipe_mode,
                       (sizes[0] & 0xFF or 255, sizes[1] & 0xFFFFFFFF, sizes[2] & 0xFFFFFFFF),
                       bool(mode & FILE_FLAG_OVERLAPPED),
                       default_timeout or DEFAULT_WAIT_MS)   # NMPWAIT_USE_DEFAULT_WAIT
    fd = p.fds.install(server, cloexec=not _inherit(p, attributes))
    _names(p).setdefault(key, []).append(server)   # one more instance of the name
    return abi.handle_of_fd(fd)


def _instance(key: str, direction: tuple, pipe_mode: int, sizes: tuple, asynchronous: bool,
              default_timeout: int):
    """A named pipe instance's server end, its client end waiting for a CreateFile."""
    server, client = pipe_ends(*direction)
    server.pipe_name = key
    server.pipe_shape = (direction, pipe_mode, sizes)      # what a reconnection remakes
    server.pipe_info = client.pipe_info = PipeInfo(server, *sizes)
    if pipe_mode & PIPE_TYPE_MESSAGE:     # writes are messages, both ways; reads keep to them
        for pipe in {server.pipe, getattr(server, "peer", server.pipe)}:   # when asked to
            pipe.messages = deque()
        server.message_reads = bool(pipe_mode & PIPE_READMODE_MESSAGE)
    server.nt_asynchronous = asynchronous
    server.waiting_client = client
    server.pending_connect = None     # (process, handle, overlapped) of an overlapped connect
    server.default_timeout = default_timeout
    return server


def _names(p) -> dict:
    """The machine's named pipes: a client in any process opens an instance a server made."""
    return p.sysvec.personality.machine(p.kernel).pipe_names


def _live_instances(names: dict, key: str) -> list | None:
    """The name's open instances (dead servers' dropped), or None when no server has the
    name (it is gone with its last instance)."""
    instances = names.get(key)
    if instances:        # a server that exited without closing its instance left a dead one
        instances[:] = [s for s in instances if not s.closed]
    if not instances:
        names.pop(key, None)
        return None
    return instances


def _free(instances: list) -> list:
    """The instances no client has opened yet."""
    return [s for s in instances if s.waiting_client is not None]


def instance_free(p, name: str, milliseconds: int) -> bool:
    """WaitNamedPipe: True once the pipe has an instance a client can open; False with
    ERROR_FILE_NOT_FOUND when no server has the name, or ERROR_SEM_TIMEOUT when the wait's
    time is up (NMPWAIT_USE_DEFAULT_WAIT: the server's nDefaultTimeOut, 50 ms when it gave
    0). Blocks meanwhile."""
    import time

    from ..block import Block
    from .kernel32_iocp import wait_deadline
    key = pipe_key(name) or name.lower()
    names = _names(p)
    instances = _live_instances(names, key)
    if instances is None or _free(instances):
        p.win32.wait_until = None
        if instances is None:
            p.win32.last_error = ERROR_FILE_NOT_FOUND
        return instances is not None
    if milliseconds == NMPWAIT_USE_DEFAULT_WAIT:     # the server's nDefaultTimeOut
        milliseconds = instances[0].default_timeout
    deadline = wait_deadline(p, milliseconds)
    if deadline is not None and time.monotonic() >= deadline:
        p.win32.wait_until = None
        p.win32.last_error = ERROR_SEM_TIMEOUT
        return False
    raise Block(lambda: (_live_instances(names, key) is None
                         or bool(_free(names[key]))), deadline=deadline)


def sys_kernel32_WaitNamedPipeA(p, lpNamedPipeName, nTimeOut):
    return int(instance_free(p, p.mm.read_cstr(lpNamedPipeName).decode("latin-1"),
                             nTimeOut & 0xFFFFFFFF))


def sys_kernel32_WaitNamedPipeW(p, lpNamedPipeName, nTimeOut):
    from .wide import read_wstr
    return int(instance_free(p, read_wstr(p, lpNamedPipeName), nTimeOut & 0xFFFFFFFF))


def open_pipe_client(p, name: str, overlapped: bool = False) -> int | None:
    """CreateFile of `\\\\.\\pipe\\NAME`: the client end of the pipe's first instance no
    client has opened (its server's pending ConnectNamedPipe completes), or None if there is
    none (ERROR_PIPE_BUSY while the name has instances, else ERROR_FILE_NOT_FOUND)."""
    key = pipe_key(name) or name.lower()
    names = _names(p)
    instances = _live_instances(names, key)
    free = _free(instances) if instances is not None else []
    if not free:
        p.win32.last_error = ERROR_PIPE_BUSY if instances is not None else ERROR_FILE_NOT_FOUND
        return None
    server = free[0]
    client, server.waiting_client = server.waiting_client, None
    client.nt_asynchronous = overlapped
    fd = p.fds.install(client, cloexec=True)
    connect, server.pending_connect = server.pending_connect, None
    if connect is not None:          # the server's overlapped ConnectNamedPipe completes
        owner, handle, ov = connect
        if owner.alive and owner.mm is not None:
            complete(owner, handle, ov, 0)
    return abi.handle_of_fd(fd)


def sys_kernel32_CallNamedPipeA(p, lpNamedPipeName, lpInBuffer, nInBufferSize, lpOutBuffer,
                                nOutBufferSize, lpBytesRead, nTimeOut):
    """Wait up to nTimeOut for a free instance, open it, write the request, read the
    answer, close: one exchange (PostgreSQL sends its processes' signals so, and a second
    signal comes while the server is still making its next instance). The wait for the
    answer keeps the open instance in the thread's state across the handler's restarts."""
    from ..kernel import Block
    from .kernel32 import sys_kernel32_CloseHandle, sys_kernel32_WriteFile
    handle = p.win32.shells.get("call pipe")
    if handle is None:
        name = p.mm.read_cstr(lpNamedPipeName).decode("latin-1")
        if not instance_free(p, name, nTimeOut & 0xFFFFFFFF):
            return 0
        handle = open_pipe_client(p, name)
        if handle is None:
            return 0            # ERROR_FILE_NOT_FOUND, or ERROR_PIPE_BUSY (set)
        if nInBufferSize and not sys_kernel32_WriteFile(p, handle, lpInBuffer, nInBufferSize,
                                                         0, 0):
            sys_kernel32_CloseHandle(p, handle)
            return 0
        p.win32.shells["call pipe"] = handle
    f = p.fds.get(abi.fd_of_handle(handle))
    try:
        data = f.read(nOutBufferSize & 0xFFFFFFFF) if nOutBufferSize else b""
    except WouldBlock:
        raise Block(f.readable_now) from None
    p.win32.shells.pop("call pipe", None)
    sys_kernel32_CloseHandle(p, handle)
    if data:
        p.mm.write(lpOutBuffer, data)
    if lpBytesRead:
        p.mm.write_u32(lpBytesRead, len(data))
    return 1


def sys_kernel32_DisconnectNamedPipe(p, hNamedPipe):
    """The server ends the exchange with its client (whose end is broken from now on, what
    it had not read lost) and the same handle is an instance a new client may open: a
    single-instance server's loop (PostgreSQL's signal pipe) connects, reads, disconnects
    and connects again."""
    fd = abi.fd_of_handle(hNamedPipe)
    try:
        server = p.fds.get(fd)
    except Exception:   # NtError / KernelError: not a descriptor
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    if getattr(server, "pipe_name", None) is None:
        p.win32.last_error = 1      # ERROR_INVALID_FUNCTION: not a named pipe's server end
        return 0
    if server.waiting_client is not None:
        return 1                    # no client came: the instance still waits for one
    direction, pipe_mode, sizes = server.pipe_shape
    fresh = _instance(server.pipe_name, direction, pipe_mode, sizes, server.nt_asynchronous,
                      server.default_timeout)
    fresh.message_reads = getattr(server, "message_reads", False)
    instances = _names(p).get(server.pipe_name)
    if instances is not None and server in instances:
        instances[instances.index(server)] = fresh
    p.fds.replace(fd, fresh)        # the old server end goes: its client reads the end
    return 1


def sys_kernel32_ConnectNamedPipe(p, hNamedPipe, lpOverlapped):
    from .kernel32_iocp import begin
    begin(p, lpOverlapped)
    try:
        server = p.fds.get(abi.fd_of_handle(hNamedPipe))
    except Exception:   # NtError / KernelError: not a descriptor
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    waiting = p.win32.shells.pop("connecting", None)
    if getattr(server, "waiting_client", None) is None:
        if waiting is server:
            return 1                   # the blocking wait below ended: a client came
        p.win32.last_error = ERROR_PIPE_CONNECTED   # its client has already opened it
        return 0
    if not lpOverlapped:
        # A synchronous connect waits until a client (of any process) opens the instance.
        from ..kernel import Block
        p.win32.shells["connecting"] = server
        raise Block(lambda: server.waiting_client is None or server.closed)
    set_status(p, lpOverlapped, STATUS_PENDING, 0)
    server.pending_connect = (p, hNamedPipe, lpOverlapped)
    p.win32.last_error = ERROR_IO_PENDING
    return 0


def forget_instance(p, handle) -> None:
    """A server end's handle is closing: a client can no longer connect to it, and its
    pending ConnectNamedPipe ends cancelled (libuv waits for that before a close ends)."""
    from ..nt.status import STATUS_CANCELLED
    try:
        server = p.fds.get(abi.fd_of_handle(handle))
    except Exception:   # NtError / KernelError: not a descriptor
        return
    pending = getattr(server, "pending_connect", None)
    if pending is not None and pending[1] == handle:
        server.pending_connect = None
        complete(p, handle, pending[2], 0, STATUS_CANCELLED)
    name = getattr(server, "pipe_name", None)
    names = _names(p)
    instances = names.get(name)
    if instances is not None and server in instances:
        instances.remove(server)
        if not instances:
            del names[name]     # no instance left: the name is gone


def _read_end(p, handle):
    try:
        f = p.fds.get(abi.fd_of_handle(handle))
    except Exception:   # NtError / KernelError: not a descriptor
        return None
    return f if hasattr(f, "pipe") else None


def complete_overlapped(p, handle, overlapped: int, count: int) -> None:
    """An operation given an OVERLAPPED that finished at once: its status, and its packet."""
    complete(p, handle, overlapped, count, STATUS_SUCCESS, at_once=True)


def overlapped_read(p, handle, buffer, length, count_out, overlapped) -> int:
    """ReadFile with an OVERLAPPED on a pipe: done now (and still posted to the port, as
    Windows does), or pending until the pipe has data or loses its writers."""
    f = _read_end(p, handle)
    if f is None:
        return None   # not a pipe: the caller does a plain read
    try:
        data = _take(f, length)
    except WouldBlock:
        return start_pending(p, PendingRead(handle, buffer, length, overlapped))
    if not data:
        set_status(p, overlapped, STATUS_PIPE_BROKEN, 0)
        p.win32.last_error = ERROR_BROKEN_PIPE
        return 0
    if len(data):
        p.mm.write(buffer, data)
    if count_out:
        p.mm.write_u32(count_out, len(data))
    if _message_more(f):      # a message longer than the buffer: its rest comes next
        complete(p, handle, overlapped, len(data), STATUS_BUFFER_OVERFLOW, at_once=True)
        p.win32.last_error = ERROR_MORE_DATA
        return 0
    complete(p, handle, overlapped, len(data), at_once=True)
    return 1


def _message_more(f) -> bool:
    """Whether the last read of a message pipe stopped inside a message (and forget it)."""
    more = getattr(f, "message_more", False)
    if more:
        f.message_more = False
    return more


_Ready = type(EMPTY_MESSAGE)   # a zero-length read's result when the pipe has data: true

def _take(f, length: int) -> bytes:
    """Up to length bytes of the pipe. A zero-length read (libuv's way of waiting for data
    without a buffer) takes nothing: ready when data waits, EOF when no writer is left."""
    if length:
        return f.read(length)
    messages = f.pipe.messages
    if messages and messages[0] == 0:        # an empty message: read whole
        messages.popleft()
        return _Ready()
    if f.pipe.size:
        if messages is not None and getattr(f, "message_reads", False):
            f.message_more = True            # a message that does not fit: ERROR_MORE_DATA,
        return _Ready()                      # and it stays (multiprocessing's wait)
    if f.pipe.writers == 0:
        return b""
    raise WouldBlock()


def _peek_host_pipe(p, handle, bytes_read: int, total_avail: int, left: int) -> int:
    """A pipe of the host's (the standard input tblc was given): how many bytes wait in it
    (FIONREAD), ERROR_BROKEN_PIPE at its end. Its bytes cannot be looked at without taking
    them, so none are copied (libuv asks only the count before it reads)."""
    import fcntl
    import stat as S
    import termios
    try:
        f = p.fds.get(abi.fd_of_handle(handle))
        host_fd = getattr(f, "host_fd", -1)
        if host_fd < 0 or not S.S_ISFIFO(os.fstat(host_fd).st_mode):
            raise OSError
        waiting = struct.unpack("<i", fcntl.ioctl(host_fd, termios.FIONREAD, b"\0" * 4))[0]
    except Exception:   # no descriptor, not a pipe, or the host says no
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    if not waiting and f.readable_now():      # readable with nothing in it: the end
        p.win32.last_error = ERROR_BROKEN_PIPE
        return 0
    for out, value in ((bytes_read, 0), (total_avail, waiting), (left, 0)):
        if out:
            p.mm.write_u32(out, value)
    return 1


def sys_kernel32_PeekNamedPipe(p, hNamedPipe, lpBuffer, nBufferSize, lpBytesRead,
                               lpTotalBytesAvail, lpBytesLeftThisMessage):
    f = _read_end(p, hNamedPipe)
    if f is None:
        return _peek_host_pipe(p, hNamedPipe, lpBytesRead, lpTotalBytesAvail,
                               lpBytesLeftThisMessage)
    data = f.pipe.peek(f.pipe.size)
    if not data and f.pipe.writers == 0:
        p.win32.last_error = ERROR_BROKEN_PIPE
        return 0
    if lpBuffer and nBufferSize:
        p.mm.write(lpBuffer, data[:nBufferSize])
    if lpBytesRead:
        p.mm.write_u32(lpBytesRead, min(len(data), nBufferSize))
    if lpTotalBytesAvail:
        p.mm.write_u32(lpTotalBytesAvail, len(data))
    if lpBytesLeftThisMessage:
        messages = f.pipe.messages
        p.mm.write_u32(lpBytesLeftThisMessage, messages[0] if messages else 0)
    return 1


# --- a pipe handle's mode ------------------------------------------------------------------

ERROR_INVALID_PARAMETER, ERROR_NOT_SUPPORTED = 87, 50


def _pipe_end(p, handle):
    try:
        f = p.fds.get(abi.fd_of_handle(handle))
    except Exception:   # NtError / KernelError: not a descriptor
        return None
    return f if getattr(f, "kind", None) == "pipe" else None


def sys_kernel32_SetNamedPipeHandleState(p, hNamedPipe, lpMode, lpMaxCollectionCount,
                                         lpCollectDataTimeout):
    """Byte or message reads (message reads only on a message pipe, as Windows refuses
    them on a byte one with ERROR_INVALID_PARAMETER); reads that wait (PIPE_NOWAIT is not
    offered); the collection limits only matter to a remote client. Something not a pipe is
    refused with ERROR_INVALID_PARAMETER, as Windows does."""
    f = _pipe_end(p, hNamedPipe)
    if f is None:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    if not lpMode:
        return 1
    mode = p.mm.read_u32(lpMode)
    if mode & PIPE_READMODE_MESSAGE and f.pipe.messages is None:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    if mode & PIPE_NOWAIT:
        p.win32.last_error = ERROR_NOT_SUPPORTED
        return 0
    f.message_reads = bool(mode & PIPE_READMODE_MESSAGE)
    return 1


def _handle_state(p, hNamedPipe, lpState, lpCurInstances) -> int:
    if _pipe_end(p, hNamedPipe) is None:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    if lpState:
        p.mm.write_u32(lpState, 0)             # PIPE_WAIT | PIPE_READMODE_BYTE
    if lpCurInstances:
        p.mm.write_u32(lpCurInstances, 1)
    return 1


def sys_kernel32_GetNamedPipeHandleStateW(p, hNamedPipe, lpState, lpCurInstances,
                                          lpMaxCollectionCount, lpCollectDataTimeout,
                                          lpUserName, nMaxUserNameSize):
    return _handle_state(p, hNamedPipe, lpState, lpCurInstances)


def sys_kernel32_GetNamedPipeHandleStateA(p, hNamedPipe, lpState, lpCurInstances,
                                          lpMaxCollectionCount, lpCollectDataTimeout,
                                          lpUserName, nMaxUserNameSize):
    return _handle_state(p, hNamedPipe, lpState, lpCurInstances)


def sys_kernel32_GetNamedPipeServerProcessId(p, Pipe, ServerProcessId):
    """Named pipes here connect a process's own ends (and its children's through
    inheritance): the server is the process that made them, this one."""
    if _pipe_end(p, Pipe) is None:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    p.mm.write_u32(ServerProcessId, p.tgid)
    return 1


sys_kernel32_GetNamedPipeClientProcessId = sys_kernel32_GetNamedPipeServerProcessId

PIPE_SERVER_END, PIPE_TYPE_MESSAGE_FLAG = 1, 4


def sys_kernel32_GetNamedPipeInfo(p, hNamedPipe, lpFlags, lpOutBufferSize, lpInBufferSize,
                                  lpMaxInstances):
    """Which end the handle is and the pipe's type, buffer sizes and instance limit, as its
    CreateNamedPipe (or CreatePipe: the read end is the server's) gave them."""
    f = _pipe_end(p, hNamedPipe)
    info = getattr(f, "pipe_info", None)
    if info is None:
        p.win32.last_error = ERROR_INVALID_PARAMETER if f is None else ERROR_INVALID_HANDLE
        return 0
    flags = (PIPE_SERVER_END if f is info.server else 0) | \
        (PIPE_TYPE_MESSAGE_FLAG if f.pipe.messages is not None else 0)
    for at, value in ((lpFlags, flags), (lpOutBufferSize, info.out_size),
                      (lpInBufferSize, info.in_size), (lpMaxInstances, info.max_instances)):
        if at:
            p.mm.write_u32(at, value)
    return 1


ERROR_BAD_PIPE = 230


def sys_kernel32_TransactNamedPipe(p, hNamedPipe, lpInBuffer, nInBufferSize, lpOutBuffer,
                                   nOutBufferSize, lpBytesRead, lpOverlapped):
    """Write a message and read the answering one, on a message pipe in message-read mode
    (ERROR_BAD_PIPE otherwise); an answer longer than the buffer is ERROR_MORE_DATA, its
    rest left for ReadFile. Done synchronously: an OVERLAPPED given is completed at once.
    The written request is remembered across the read's wait."""
    from ..kernel import Block
    from .kernel32 import sys_kernel32_WriteFile
    f = _pipe_end(p, hNamedPipe)
    if f is None:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    if getattr(f, "pipe", None) is None or f.pipe.messages is None or \
            not getattr(f, "message_reads", False):
        p.win32.last_error = ERROR_BAD_PIPE        # a host's pipe, or not in message mode
        return 0
    if p.win32.shells.get("transact") != hNamedPipe:
        if not sys_kernel32_WriteFile(p, hNamedPipe, lpInBuffer, nInBufferSize, 0, 0):
            return 0
        p.win32.shells["transact"] = hNamedPipe
    try:
        data = _take(f, nOutBufferSize & 0xFFFFFFFF)
    except WouldBlock:
        raise Block(f.readable_now) from None
    p.win32.shells.pop("transact", None)
    if not data:
        p.win32.last_error = ERROR_BROKEN_PIPE
        return 0
    if len(data):
        p.mm.write(lpOutBuffer, data)
    if lpBytesRead:
        p.mm.write_u32(lpBytesRead, len(data))
    more = _message_more(f)
    if lpOverlapped:
        complete(p, hNamedPipe, lpOverlapped, len(data),
                 STATUS_BUFFER_OVERFLOW if more else STATUS_SUCCESS, at_once=True)
    if more:
        p.win32.last_error = ERROR_MORE_DATA
        return 0
    return 1
