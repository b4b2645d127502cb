"""The error names a spec may use, and their values: the one home of both.

errno names come from Python's `errno` module, the module every Linux handler raises with, so
a name means the same number in a spec, in a handler and in a trace line. sysvec runs on a
Linux host, and Linux numbers errno the same on x86 and x86-64 (asm-generic/errno*.h).
NTSTATUS names are listed here, as ntstatus.h spells them."""
from __future__ import annotations

import errno as _errno

# Where Python's errno module has two names for one number, the kernel's own (the one strace
# prints) comes first.
_PREFERRED = ("EOPNOTSUPP", "EAGAIN", "EDEADLK")

ERRNO: dict[str, int] = {name: getattr(_errno, name) for name in dir(_errno)
                         if name.startswith("E") and isinstance(getattr(_errno, name), int)}
ERRNO_NAMES: dict[int, str] = {**_errno.errorcode, **{ERRNO[n]: n for n in _PREFERRED}}

NTSTATUS: dict[str, int] = {
    "STATUS_SUCCESS": 0x00000000,
    "STATUS_ALERTED": 0x00000101,
    "STATUS_TIMEOUT": 0x00000102,
    "STATUS_PENDING": 0x00000103,
    "STATUS_GUARD_PAGE_VIOLATION": 0x80000001,
    "STATUS_BREAKPOINT": 0x80000003,
    "STATUS_BUFFER_OVERFLOW": 0x80000005,
    "STATUS_NO_MORE_FILES": 0x80000006,
    "STATUS_UNSUCCESSFUL": 0xC0000001,
    "STATUS_NOT_IMPLEMENTED": 0xC0000002,
    "STATUS_INVALID_INFO_CLASS": 0xC0000003,
    "STATUS_INFO_LENGTH_MISMATCH": 0xC0000004,
    "STATUS_ACCESS_VIOLATION": 0xC0000005,
    "STATUS_STACK_OVERFLOW": 0xC00000FD,
    "STATUS_INVALID_HANDLE": 0xC0000008,
    "STATUS_INVALID_PARAMETER": 0xC000000D,
    "STATUS_NO_SUCH_FILE": 0xC000000F,
    "STATUS_NOT_COMMITTED": 0xC000002D,
    "STATUS_INVALID_DEVICE_REQUEST": 0xC0000010,
    "STATUS_END_OF_FILE": 0xC0000011,
    "STATUS_NO_MEMORY": 0xC0000017,
    "STATUS_CONFLICTING_ADDRESSES": 0xC0000018,
    "STATUS_INVALID_SYSTEM_SERVICE": 0xC000001C,
    "STATUS_ILLEGAL_INSTRUCTION": 0xC000001D,
    "STATUS_ACCESS_DENIED": 0xC0000022,
    "STATUS_BUFFER_TOO_SMALL": 0xC0000023,
    "STATUS_OBJECT_NAME_INVALID": 0xC0000033,
    "STATUS_NAME_TOO_LONG": 0xC0000106,
    "STATUS_CONTROL_C_EXIT": 0xC000013A,
    "STATUS_OBJECT_NAME_NOT_FOUND": 0xC0000034,
    "STATUS_OBJECT_NAME_COLLISION": 0xC0000035,
    "STATUS_OBJECT_PATH_NOT_FOUND": 0xC000003A,
    "STATUS_SHARING_VIOLATION": 0xC0000043,
    "STATUS_INVALID_PAGE_PROTECTION": 0xC0000045,
    "STATUS_FILE_LOCK_CONFLICT": 0xC0000054,
    "STATUS_LOCK_NOT_GRANTED": 0xC0000055,
    "STATUS_PRIVILEGE_NOT_HELD": 0xC0000061,
    "STATUS_RANGE_NOT_LOCKED": 0xC000007E,
    "STATUS_PROCEDURE_NOT_FOUND": 0xC000007A,
    "STATUS_INVALID_IMAGE_FORMAT": 0xC000007B,
    "STATUS_DISK_FULL": 0xC000007F,
    "STATUS_INTEGER_DIVIDE_BY_ZERO": 0xC0000094,
    "STATUS_FILE_IS_A_DIRECTORY": 0xC00000BA,
    "STATUS_NOT_SUPPORTED": 0xC00000BB,
    "STATUS_DIRECTORY_NOT_EMPTY": 0xC0000101,
    "STATUS_NOT_A_DIRECTORY": 0xC0000103,
    "STATUS_TOO_MANY_OPENED_FILES": 0xC000011F,
    "STATUS_CANNOT_DELETE": 0xC0000121,
    "STATUS_PIPE_BROKEN": 0xC000014B,
    "STATUS_PIPE_CLOSING": 0xC00000B1,
    "STATUS_STACK_BUFFER_OVERRUN": 0xC0000409,
    "STATUS_CANCELLED": 0xC0000120,
    "STATUS_NOT_FOUND": 0xC0000225,
    "STATUS_DLL_NOT_FOUND": 0xC0000135,
    "STATUS_ENTRYPOINT_NOT_FOUND": 0xC0000139,
    "STATUS_DLL_INIT_FAILED": 0xC0000142,
    "STATUS_INVALID_CRUNTIME_PARAMETER": 0xC0000417,
    "STATUS_NOT_A_REPARSE_POINT": 0xC0000275,
    "STATUS_IO_REPARSE_DATA_INVALID": 0xC0000278,
    "STATUS_IO_REPARSE_TAG_NOT_HANDLED": 0xC0000279,
    # the network's, as AFD completes socket operations with them
    "STATUS_IO_TIMEOUT": 0xC00000B5,
    "STATUS_LOCAL_DISCONNECT": 0xC000013B,
    "STATUS_REMOTE_DISCONNECT": 0xC000013C,
    "STATUS_INVALID_CONNECTION": 0xC0000140,
    "STATUS_ADDRESS_ALREADY_EXISTS": 0xC000020A,
    "STATUS_CONNECTION_RESET": 0xC000020D,
    "STATUS_CONNECTION_REFUSED": 0xC0000236,
    "STATUS_NETWORK_UNREACHABLE": 0xC000023C,
    "STATUS_HOST_UNREACHABLE": 0xC000023D,
    "STATUS_CONNECTION_ABORTED": 0xC0000241,
}
NTSTATUS_NAMES: dict[int, str] = {value: name for name, value in NTSTATUS.items()}

# What an `errors ntstatus` table returns for a failure a handler raised as an errno: the
# status Windows gives for the same failure; any other errno is STATUS_UNSUCCESSFUL.
NTSTATUS_OF_ERRNO: dict[int, int] = {getattr(_errno, e): NTSTATUS[s] for e, s in (
    ("EFAULT", "STATUS_ACCESS_VIOLATION"), ("ENOENT", "STATUS_OBJECT_NAME_NOT_FOUND"),
    ("EACCES", "STATUS_ACCESS_DENIED"), ("EBADF", "STATUS_INVALID_HANDLE"),
    ("EINVAL", "STATUS_INVALID_PARAMETER"), ("ENOMEM", "STATUS_NO_MEMORY"),
    ("EEXIST", "STATUS_OBJECT_NAME_COLLISION"), ("ENOTDIR", "STATUS_NOT_A_DIRECTORY"),
    ("EISDIR", "STATUS_FILE_IS_A_DIRECTORY"), ("ENOSYS", "STATUS_INVALID_SYSTEM_SERVICE"),
    ("EPIPE", "STATUS_PIPE_BROKEN"), ("EMFILE", "STATUS_TOO_MANY_OPENED_FILES"),
    ("ELOOP", "STATUS_OBJECT_NAME_NOT_FOUND"), ("ENAMETOOLONG", "STATUS_OBJECT_NAME_INVALID"),
    ("ENOTEMPTY", "STATUS_DIRECTORY_NOT_EMPTY"), ("EAGAIN", "STATUS_NO_MEMORY"),
    ("ENOEXEC", "STATUS_INVALID_IMAGE_FORMAT"), ("EPERM", "STATUS_ACCESS_DENIED"))}

# The names each error convention (the `errors` header line) accepts.
NAMES_BY_CONVENTION: dict[str, dict[str, int]] = {"errno": ERRNO, "ntstatus": NTSTATUS}


def error_result(convention: str, name: str) -> int:
    """What a call that fails with NAME returns under CONVENTION: -errno, or the NTSTATUS."""
    value = NAMES_BY_CONVENTION[convention][name]
    return -value if convention == "errno" else value


def errno_name(code: int) -> str:
    """The kernel's name for errno CODE (EOPNOTSUPP, not its alias ENOTSUP)."""
    return ERRNO_NAMES.get(code, str(code))
