"""Win32 handlers end in NT services: nt_call runs an NT handler of the process's own table by
name, traces it like a trapped call, and returns its NTSTATUS."""
from __future__ import annotations

from ..errors import Fault, KernelError

STATUS_TO_WIN32 = {
    0xC0000034: 2, 0xC000003A: 3, 0xC0000022: 5, 0xC0000008: 6, 0xC0000017: 8,
    0xC0000035: 80, 0xC000014B: 109, 0xC000000D: 87, 0xC0000005: 998, 0xC00000BA: 5,
}


def nt_call(p, name: str, *args) -> int:
    sysvec = p.sysvec
    index = sysvec.__dict__.get("_by_name")
    if index is None:   # built once per table (setdefault would build it on every call)
        index = sysvec.__dict__["_by_name"] = {c.name: c for c in sysvec.calls.values()}
    call = index[name]
    try:
        result = call.fn(p, *args)
    except Fault:
        result = sysvec.efault_result
    except KernelError as exc:
        status = getattr(exc, "status", None)
        result = status if status is not None else sysvec.error_result(exc.errno)
    tracer = p.kernel.tracer
    if tracer is not None:
        tracer.call(p, call.number, list(args) + [0] * (17 - len(args)), result, nested=True)
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
