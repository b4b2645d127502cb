"""The named-pipe file system as NT services reach it: `\\??\\PIPE\\` opens the file system
itself, NtCreateNamedPipeFile relative to it with no name makes an anonymous pipe's server
end, and NtOpenFile relative to that end with no name opens its client end. Rust's standard
library makes the pipes to its children so (they support overlapped I/O, CreatePipe's do
not). The ends are the machine's pipes: inbound, outbound or both ways, as the server's
access asks."""
from __future__ import annotations

from ..files import OpenFile, make_duplex_pipe, make_pipe
from . import abi
from .files import FILE_CREATED, FILE_OPENED, FILE_READ_DATA, FILE_WRITE_DATA, GENERIC_READ, \
    GENERIC_WRITE
from .status import (STATUS_INVALID_PARAMETER, STATUS_OBJECT_NAME_NOT_FOUND, STATUS_SUCCESS,
                     NtError)

PIPE_FS_NAMES = ("\\??\\pipe\\", "\\device\\namedpipe\\")
OBJ_INHERIT = 0x2


def pipe_ends(server_reads: bool, server_writes: bool) -> tuple:
    """(server end, client end) of a new pipe: one way (the client writes what the server
    reads, or the other way round) or both ways (two pipes crossed)."""
    if server_reads and server_writes:
        return make_duplex_pipe()
    r, w = make_pipe()
    return (r, w) if server_reads or not server_writes else (w, r)


class PipeFileSystem(OpenFile):
    """A handle to the named-pipe file system: the root new anonymous pipes are made in."""

    kind = "pipefs"

    def __init__(self):
        super().__init__(0, "\\Device\\NamedPipe\\")


def _install(p, f, handle_out: int, iosb: int, attributes: int, info: int) -> int:
    fd = p.fds.install(f, cloexec=not attributes & OBJ_INHERIT)
    abi.write_ptr(p, handle_out, abi.handle_of_fd(fd))
    abi.write_iosb(p, iosb, STATUS_SUCCESS, info)
    return STATUS_SUCCESS


def open_pipe_object(p, handle_out: int, object_attributes: int, iosb: int) -> int | None:
    """NtOpenFile/NtCreateFile of the pipe file system, or of an anonymous pipe's client end
    (no name, relative to its server end); None for any other name."""
    root, name, attributes = abi.read_object_attributes(p, object_attributes)
    if not root and name.lower() in PIPE_FS_NAMES:
        return _install(p, PipeFileSystem(), handle_out, iosb, attributes, FILE_OPENED)
    if root and not name:
        server = abi.file_of(p, root)
        client = getattr(server, "anonymous_client", None)
        if client is not None:
            server.anonymous_client = None        # one client per pipe (MaximumInstances 1)
            return _install(p, client, handle_out, iosb, attributes, FILE_OPENED)
        if hasattr(server, "pipe"):
            raise NtError(STATUS_OBJECT_NAME_NOT_FOUND)   # its client is open already
    return None


def sys_NtCreateNamedPipeFile(p, FileHandle, DesiredAccess, ObjectAttributes, IoStatusBlock,
                              ShareAccess, CreateDisposition, CreateOptions, NamedPipeType,
                              ReadMode, CompletionMode, MaximumInstances, InboundQuota,
                              OutboundQuota, DefaultTimeout):
    """An anonymous pipe in the pipe file system (a name is not offered here: kernel32's
    CreateNamedPipe keeps named ones)."""
    root, name, attributes = abi.read_object_attributes(p, ObjectAttributes)
    if name or not root or abi.file_of(p, root).kind != "pipefs":
        raise NtError(STATUS_INVALID_PARAMETER)
    access = DesiredAccess & 0xFFFFFFFF
    server, client = pipe_ends(bool(access & (GENERIC_READ | FILE_READ_DATA)),
                               bool(access & (GENERIC_WRITE | FILE_WRITE_DATA)))
    server.anonymous_client = client
    return _install(p, server, FileHandle, IoStatusBlock, attributes, FILE_CREATED)
