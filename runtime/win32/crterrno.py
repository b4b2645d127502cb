"""The C runtime's errno as Windows' CRTs define it: the values (which differ from Linux's
above 34: ENAMETOOLONG is 38, ENOTEMPTY 41), the texts strerror and perror print (the UCRT's
_sys_errlist, not glibc's), and the map from a Win32 error to an errno that the CRT applies
when a system call under it fails (_dosmaperr)."""
from __future__ import annotations

EPERM, ENOENT, EINTR, EIO, E2BIG, ENOEXEC, EBADF, ECHILD, EAGAIN, ENOMEM, EACCES = \
    1, 2, 4, 5, 7, 8, 9, 10, 11, 12, 13
EEXIST, EXDEV, EINVAL, EMFILE, ENOSPC, EPIPE, EDOM, ERANGE = 17, 18, 22, 24, 28, 32, 33, 34
ENOTEMPTY, EILSEQ, STRUNCATE = 41, 42, 80

ERRLIST = [
    "No error", "Operation not permitted", "No such file or directory", "No such process",
    "Interrupted function call", "Input/output error", "No such device or address",
    "Arg list too long", "Exec format error", "Bad file descriptor", "No child processes",
    "Resource temporarily unavailable", "Not enough space", "Permission denied",
    "Bad address", "Unknown error", "Resource device", "File exists", "Improper link",
    "No such device", "Not a directory", "Is a directory", "Invalid argument",
    "Too many open files in system", "Too many open files",
    "Inappropriate I/O control operation", "Unknown error", "File too large",
    "No space left on device", "Invalid seek", "Read-only file system", "Too many links",
    "Broken pipe", "Domain error", "Result too large", "Unknown error",
    "Resource deadlock avoided", "Unknown error", "Filename too long", "No locks available",
    "Function not implemented", "Directory not empty", "Illegal byte sequence",
    "Unknown error"]


def message(errnum: int) -> str:
    """strerror's text for an errno value."""
    errnum &= 0xFFFFFFFF
    return ERRLIST[errnum] if errnum < len(ERRLIST) else "Unknown error"


# _dosmaperr's table: Win32 error -> errno (anything else is EINVAL, as the CRT's default)
ERRNO_OF_WIN32 = {
    1: EINVAL, 2: ENOENT, 3: ENOENT, 4: EMFILE, 5: EACCES, 6: EBADF, 7: ENOMEM, 8: ENOMEM,
    9: ENOMEM, 10: E2BIG, 11: ENOEXEC, 12: EINVAL, 13: EINVAL, 15: ENOENT, 16: EACCES,
    17: EXDEV, 18: ENOENT, 33: EACCES, 53: ENOENT, 65: EACCES, 67: ENOENT, 80: EEXIST,
    82: EACCES, 83: EACCES, 87: EINVAL, 89: EAGAIN, 108: EACCES, 109: EPIPE, 112: ENOSPC,
    114: EBADF, 128: ECHILD, 129: ECHILD, 130: EBADF, 131: EINVAL, 132: EACCES, 145: ENOTEMPTY,
    158: EACCES, 161: ENOENT, 164: EAGAIN, 167: EACCES, 183: EEXIST, 206: ENOENT,
    215: EAGAIN, 1816: ENOMEM}


def errno_of_win32(error: int) -> int:
    error &= 0xFFFFFFFF
    if error in ERRNO_OF_WIN32:
        return ERRNO_OF_WIN32[error]
    if 19 <= error <= 36:          # the write-protect .. sharing-buffer-exceeded range
        return EACCES
    if 188 <= error <= 202:        # the invalid-executable range
        return ENOEXEC
    return EINVAL


def set_errno(p, value: int) -> None:
    p.mm.write_u32(p.win32.crt["errno"], value)


def set_errno_from_last_error(p) -> None:
    """After a kernel32 call under a CRT function failed: errno from its last error."""
    set_errno(p, errno_of_win32(p.win32.last_error))
