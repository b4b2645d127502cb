"""Win32 handlers end in NT services: nt_call runs an NT handler of the process's own table by
name, traces it like a trapped call, and returns its NTSTATUS."""
from __future__ import annotations

from sysvec.compiler.errnames import NTSTATUS
from sysvec.compiler.abi import MAX_ARGS

from ..errors import Fault, KernelError

STATUS_TO_WIN32 = {NTSTATUS[name]: error for name, error in (
    ("STATUS_OBJECT_NAME_NOT_FOUND", 2), ("STATUS_OBJECT_PATH_NOT_FOUND", 3),
    ("STATUS_ACCESS_DENIED", 5), ("STATUS_INVALID_HANDLE", 6), ("STATUS_NO_MEMORY", 8),
    ("STATUS_OBJECT_NAME_COLLISION", 80), ("STATUS_PIPE_BROKEN", 109),
    ("STATUS_INVALID_PARAMETER", 87), ("STATUS_ACCESS_VIOLATION", 998),
    ("STATUS_FILE_IS_A_DIRECTORY", 5), ("STATUS_INVALID_INFO_CLASS", 87),
    ("STATUS_INVALID_DEVICE_REQUEST", 1), ("STATUS_NOT_A_REPARSE_POINT", 4390))}


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


def set_last_error_from(p, status: int) -> None:
    p.win32.last_error = STATUS_TO_WIN32.get(status, 31)  # ERROR_GEN_FAILURE


ERROR_MR_MID_NOT_FOUND = 317   # "the system cannot find message text": no Win32 equivalent


def sys_ntdll_RtlNtStatusToDosError(p, Status):
    """The Win32 error an NTSTATUS becomes, as kernel32 sets it."""
    status = Status & 0xFFFFFFFF
    if status == 0 or status < 0x80000000 and status not in STATUS_TO_WIN32:
        return 0
    return STATUS_TO_WIN32.get(status, ERROR_MR_MID_NOT_FOUND)

