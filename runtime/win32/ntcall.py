"""Win32 handlers end in NT services: nt_call runs an NT handler of the process's own table by
name, traces it like a trapped call, and returns its NTSTATUS."""
from __future__ import annotations

from sysvec.compiler.errnames import NTSTATUS
from sysvec.compiler.abi import MAX_ARGS

from ..errors import Fault, KernelError

# RtlNtStatusToDosError's table for the statuses sysvec's services return (Windows' own
# mapping; callers such as CreateFileW refine a few, as kernelbase does).
STATUS_TO_WIN32 = {NTSTATUS[name]: error for name, error in (
    ("STATUS_TIMEOUT", 258), ("STATUS_PENDING", 997), ("STATUS_BUFFER_OVERFLOW", 234),
    ("STATUS_FILE_LOCK_CONFLICT", 33), ("STATUS_LOCK_NOT_GRANTED", 33),
    ("STATUS_RANGE_NOT_LOCKED", 158),
    ("STATUS_UNSUCCESSFUL", 31), ("STATUS_NOT_IMPLEMENTED", 1), ("STATUS_INVALID_INFO_CLASS", 87),
    ("STATUS_INFO_LENGTH_MISMATCH", 24), ("STATUS_ACCESS_VIOLATION", 998),
    ("STATUS_INVALID_HANDLE", 6), ("STATUS_INVALID_PARAMETER", 87),
    ("STATUS_INVALID_DEVICE_REQUEST", 1), ("STATUS_END_OF_FILE", 38), ("STATUS_NO_MEMORY", 8),
    ("STATUS_CONFLICTING_ADDRESSES", 487), ("STATUS_INVALID_SYSTEM_SERVICE", 1),
    ("STATUS_UNABLE_TO_FREE_VM", 87), ("STATUS_UNABLE_TO_DELETE_SECTION", 87),
    ("STATUS_FREE_VM_NOT_AT_BASE", 487), ("STATUS_MEMORY_NOT_ALLOCATED", 487),
    ("STATUS_INVALID_PARAMETER_2", 87), ("STATUS_INVALID_PARAMETER_3", 87),
    ("STATUS_INVALID_PARAMETER_4", 87),
    ("STATUS_ACCESS_DENIED", 5), ("STATUS_BUFFER_TOO_SMALL", 122),
    ("STATUS_OBJECT_NAME_INVALID", 123), ("STATUS_OBJECT_NAME_NOT_FOUND", 2),
    ("STATUS_OBJECT_NAME_COLLISION", 183), ("STATUS_OBJECT_PATH_NOT_FOUND", 3),
    ("STATUS_INVALID_PAGE_PROTECTION", 87), ("STATUS_PRIVILEGE_NOT_HELD", 1314),
    ("STATUS_PROCEDURE_NOT_FOUND", 127), ("STATUS_INVALID_IMAGE_FORMAT", 193),
    ("STATUS_DISK_FULL", 112), ("STATUS_FILE_IS_A_DIRECTORY", 5), ("STATUS_NOT_SUPPORTED", 50),
    ("STATUS_DIRECTORY_NOT_EMPTY", 145), ("STATUS_NOT_A_DIRECTORY", 267),
    ("STATUS_TOO_MANY_OPENED_FILES", 4), ("STATUS_DLL_NOT_FOUND", 126),
    ("STATUS_ENTRYPOINT_NOT_FOUND", 127), ("STATUS_PIPE_BROKEN", 109),
    ("STATUS_PIPE_CLOSING", 232),
    ("STATUS_NOT_A_REPARSE_POINT", 4390), ("STATUS_NO_MORE_FILES", 18),
    ("STATUS_IO_REPARSE_DATA_INVALID", 4392), ("STATUS_IO_REPARSE_TAG_NOT_HANDLED", 1920),
    ("STATUS_NO_SUCH_FILE", 2), ("STATUS_NOT_COMMITTED", 487), ("STATUS_CANCELLED", 995),
    ("STATUS_IO_TIMEOUT", 121), ("STATUS_LOCAL_DISCONNECT", 64), ("STATUS_REMOTE_DISCONNECT", 64),
    ("STATUS_INVALID_CONNECTION", 1229), ("STATUS_ADDRESS_ALREADY_EXISTS", 52),
    ("STATUS_CONNECTION_RESET", 64), ("STATUS_CONNECTION_REFUSED", 1225),
    ("STATUS_NETWORK_UNREACHABLE", 1231), ("STATUS_HOST_UNREACHABLE", 1232),
    ("STATUS_CONNECTION_ABORTED", 1236), ("STATUS_SHARING_VIOLATION", 32),
    ("STATUS_CANNOT_DELETE", 5), ("STATUS_FILE_INVALID", 1006),
    ("STATUS_INVALID_ADDRESS", 487))}


def nt_call(p, name: str, *args) -> int:
    sysvec = p.sysvec
    call = sysvec.call_named(name)
    try:
        result = call.fn(p, *args)
    except Fault:
        result = sysvec.efault_result
    except KernelError as exc:
        result = sysvec.personality.error_result(sysvec, exc)
    tracer = p.kernel.tracer
    if tracer is not None:
        tracer.call(p, call.number, list(args) + [0] * (MAX_ARGS - len(args)), result, nested=True)
    return result & 0xFFFFFFFF


ERROR_MR_MID_NOT_FOUND = 317   # "the system cannot find message text": no Win32 equivalent


def set_last_error_from(p, status: int) -> None:
    p.win32.last_error = sys_ntdll_RtlNtStatusToDosError(p, status)


def sys_ntdll_RtlNtStatusToDosError(p, Status):
    """The Win32 error an NTSTATUS becomes, as kernel32 sets it."""
    status = Status & 0xFFFFFFFF
    if status >> 16 in (0x8007, 0xC007):   # a Win32 error as an HRESULT or an NTSTATUS
        return status & 0xFFFF
    if status == 0 or status < 0x80000000 and status not in STATUS_TO_WIN32:
        return 0
    return STATUS_TO_WIN32.get(status, ERROR_MR_MID_NOT_FOUND)

