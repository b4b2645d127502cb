"""msvcrt's low-level I/O on descriptors (_open, _read, _write, _close, _lseek), div/ldiv,
raise, and the kernel32 heap and file-pointer calls programs pair with them. Descriptors are
the process's: 0, 1 and 2 are the standard streams, _open adds more."""
from __future__ import annotations

import struct

from unicorn import x86_const as X

from ..nt import abi
from .crterrno import EACCES, EBADF, EINVAL, errno_of_win32
from .kernel32 import sys_kernel32_CloseHandle, sys_kernel32_ExitProcess
from .kernel32_system import ERROR_ACCESS_DENIED
from .msvcrt import _crt, _nt_write, _read_fd, _write_fd, flush_stdout
from .stdout import flush_for, flush_for_handle

O_WRONLY, O_RDWR, O_APPEND, O_CREAT, O_TRUNC, O_EXCL = 1, 2, 8, 0x100, 0x200, 0x400


def _fail(p, code: int) -> int:
    p.mm.write_u32(_crt(p)["errno"], code)
    return 0xFFFFFFFF


# _sopen's sharing modes -> CreateFile's FILE_SHARE_* (_open is _SH_DENYNO)
_SH_DENYRW, _SH_DENYWR, _SH_DENYRD, _SH_DENYNO = 0x10, 0x20, 0x30, 0x40
SHARE_OF = {_SH_DENYRW: 0, _SH_DENYWR: 1, _SH_DENYRD: 2, _SH_DENYNO: 3}
_O_TEMPORARY = 0x40               # deleted when the last descriptor closes


def sys_msvcrt__open(p, filename, oflag, pmode):
    return _open_name(p, p.mm.read_cstr(filename).decode("latin-1"), oflag)


def sys_msvcrt__wopen(p, filename, oflag, pmode):
    from .wide import read_wstr
    return _open_name(p, read_wstr(p, filename), oflag)


def sys_msvcrt__sopen(p, filename, oflag, shflag, pmode):
    """_open with a sharing mode."""
    return _open_name(p, p.mm.read_cstr(filename).decode("latin-1"), oflag, shflag)


def sys_msvcrt__wsopen(p, filename, oflag, shflag, pmode):
    from .wide import read_wstr
    return _open_name(p, read_wstr(p, filename), oflag, shflag)


def _open_s(p, pfh, fd: int) -> int:
    """The _s forms: the descriptor through pfh (-1 on failure), errno as the result."""
    if pfh:
        p.mm.write_u32(pfh, fd & 0xFFFFFFFF)
    return 0 if fd != 0xFFFFFFFF else p.mm.read_u32(_crt(p)["errno"])


def sys_msvcrt__sopen_s(p, pfh, filename, oflag, shflag, pmode):
    return _open_s(p, pfh, sys_msvcrt__sopen(p, filename, oflag, shflag, pmode))


def sys_msvcrt__wsopen_s(p, pfh, filename, oflag, shflag, pmode):
    return _open_s(p, pfh, sys_msvcrt__wsopen(p, filename, oflag, shflag, pmode))


def sys_msvcrt__sopen_dispatch(p, filename, oflag, shflag, pmode, pfh, secure):
    """The UCRT's common entry of _open, _sopen and their _s forms (errno_t, fd through pfh)."""
    return _open_s(p, pfh, sys_msvcrt__sopen(p, filename, oflag, shflag, pmode))


def sys_msvcrt__wsopen_dispatch(p, filename, oflag, shflag, pmode, pfh, secure):
    return _open_s(p, pfh, sys_msvcrt__wsopen(p, filename, oflag, shflag, pmode))


def _open_name(p, name: str, oflag: int, shflag: int = _SH_DENYNO) -> int:
    from ..nt.sharing import DELETE, FILE_SHARE_DELETE
    from .kernel32 import FILE_FLAG_DELETE_ON_CLOSE, create_file
    access = {0: 0x80000000, O_WRONLY: 0x40000000, O_RDWR: 0xC0000000}.get(oflag & 3)
    share = SHARE_OF.get(shflag & 0xFFFFFFFF)
    if access is None or share is None:
        return _fail(p, EINVAL)
    flags = 0x80                                  # FILE_ATTRIBUTE_NORMAL
    if oflag & _O_TEMPORARY:                      # as the UCRT opens it
        flags, access, share = flags | FILE_FLAG_DELETE_ON_CLOSE, access | DELETE, \
            share | FILE_SHARE_DELETE
    if oflag & O_CREAT:
        disposition = 1 if oflag & O_EXCL else (2 if oflag & O_TRUNC else 4)   # NEW/ALWAYS/OPEN_ALWAYS
    else:
        disposition = 5 if oflag & O_TRUNC else 3                             # TRUNCATE/OPEN_EXISTING
    # the C runtime's files are inherited by a child it spawns, unless _O_NOINHERIT
    handle = create_file(p, name, access, share, disposition, flags,
                         inherit=not oflag & _O_NOINHERIT)
    if handle == (1 << p.sysvec.word_bits) - 1:
        return _fail(p, errno_of_win32(p.win32.last_error))
    fd = abi.fd_of_handle(handle)
    f = p.fds.get(fd)
    translation = oflag & (_O_TEXT | _O_BINARY | _O_WTEXT | _O_U16TEXT | _O_U8TEXT)
    p.win32.fd_modes[fd] = translation if translation in MODES else _O_TEXT
    if oflag & O_APPEND:
        f.lseek(0, 2)
        f.status_flags |= 0o2000   # every write at the end
    return fd


def sys_msvcrt__read(p, fd, buffer, count):
    try:
        p.fds.get(fd)
    except Exception:
        return _fail(p, EBADF)
    data = _read_fd(p, fd, count) if count else b""
    p.mm.write(buffer, data)
    return len(data)


def sys_msvcrt__write(p, fd, buffer, count):
    try:
        p.fds.get(fd)
    except Exception:
        return _fail(p, EBADF)
    data = p.mm.read(buffer, count) if count else b""
    flush_for(p, fd)   # _write bypasses the stdio buffers, after what they hold
    n = _nt_write(p, fd, data) if data else 0
    if n >= 0:
        return n
    # the UCRT's _write: ERROR_ACCESS_DENIED is EBADF, any other error _dosmaperr's (a
    # closed pipe's ERROR_NO_DATA is EINVAL, which LLVM and others take for EPIPE)
    error = p.win32.last_error
    p.mm.write_u32(_crt(p)["_doserrno"], error)
    return _fail(p, EBADF if error == ERROR_ACCESS_DENIED else errno_of_win32(error))


def sys_msvcrt__close(p, fd):
    if fd in (0, 1, 2):
        flush_stdout(p)
    p.win32.fd_modes.pop(fd, None)
    return 0 if sys_kernel32_CloseHandle(p, abi.handle_of_fd(fd)) else _fail(p, EBADF)


def sys_msvcrt__lseek(p, fd, offset, origin):
    flush_for(p, fd, stdout=False)        # a stream's unwritten bytes go where they were put
    try:
        position = p.fds.get(fd).lseek(offset, origin)
    except Exception:
        return _fail(p, EINVAL)
    if offset or origin != 1:
        p.win32.pushback.pop(fd, None)    # a stream's read-ahead is of the old place
    return position


def sys_msvcrt__lseeki64(p, fd, offset, origin):
    value = sys_msvcrt__lseek(p, fd, offset, origin)
    if abi.word(p) == 4:   # a 64-bit result: edx:eax
        p.engine.uc.reg_write(X.UC_X86_REG_EDX, 0xFFFFFFFF if value == 0xFFFFFFFF else value >> 32)
    return value if value != 0xFFFFFFFF else (1 << 64) - 1


def sys_msvcrt__lseeki64_32(p, fd, offset_lo, offset_hi, origin):
    """i386: the 64-bit offset takes two stack words."""
    offset = offset_lo | offset_hi << 32
    return sys_msvcrt__lseeki64(p, fd, offset - (1 << 64) if offset >> 63 else offset, origin)


def _idiv_fault(p, numer: int, denom: int, bits: int) -> int | None:
    """msvcrt's div family divides with idiv: a zero divisor, or the one quotient that does not
    fit (the most negative number over -1), is the CPU's fault, which Windows raises as
    STATUS_INTEGER_DIVIDE_BY_ZERO or STATUS_INTEGER_OVERFLOW (not the C runtime's SIGFPE)."""
    from .seh import STATUS_INTEGER_DIVIDE_BY_ZERO, STATUS_INTEGER_OVERFLOW, raise_at_caller
    if denom == 0:
        return raise_at_caller(p, STATUS_INTEGER_DIVIDE_BY_ZERO)
    if denom == -1 and numer == -(1 << (bits - 1)):
        return raise_at_caller(p, STATUS_INTEGER_OVERFLOW)
    return None


def sys_msvcrt_div(p, numer, denom):
    """div/ldiv return {quot, rem}: in rax on x64, edx:eax on i386. C truncates toward 0."""
    fault = _idiv_fault(p, numer, denom, 32)
    if fault is not None:
        return fault
    quot = abs(numer) // abs(denom) * (1 if (numer < 0) == (denom < 0) else -1)
    rem = numer - quot * denom
    if abi.word(p) == 4:
        p.engine.uc.reg_write(X.UC_X86_REG_EDX, rem & 0xFFFFFFFF)
        return quot & 0xFFFFFFFF
    return (quot & 0xFFFFFFFF) | (rem & 0xFFFFFFFF) << 32


def sys_msvcrt_lldiv(p, result, numer, denom):
    """lldiv_t {quot, rem} of 64-bit numbers: 16 bytes, so returned through the hidden
    pointer (result), which comes back in rax/eax."""
    from .printf import _signed
    numer, denom = _signed(numer, 64), _signed(denom, 64)
    fault = _idiv_fault(p, numer, denom, 64)
    if fault is not None:
        return fault
    quot = abs(numer) // abs(denom) * (1 if (numer < 0) == (denom < 0) else -1)
    p.mm.write(result, struct.pack("<qq", quot, numer - quot * denom))
    return result


# The C runtime's signals (signal.h): SIGINT, SIGILL, SIGFPE, SIGSEGV, SIGTERM, SIGBREAK,
# SIGABRT (and its old number 6). A handler set by signal() runs when raise() names its
# signal; before it runs, the signal's action goes back to SIG_DFL, as the CRT does.
C_SIGNALS = {2, 4, 6, 8, 11, 15, 21, 22}
SIG_DFL, SIG_IGN, SIGABRT_COMPAT, SIGABRT = 0, 1, 6, 22


def _signal_key(sig: int) -> int:
    return SIGABRT if sig == SIGABRT_COMPAT else sig


def sys_msvcrt_signal(p, sig, func):
    """The previous action; SIG_ERR (-1) and EINVAL for a signal the CRT does not know."""
    if sig not in C_SIGNALS:
        _fail(p, EINVAL)
        return (1 << p.sysvec.word_bits) - 1
    handlers = p.win32.signal_handlers
    old = handlers.get(_signal_key(sig), SIG_DFL)
    handlers[_signal_key(sig)] = func
    return old


def sys_msvcrt_raise(p, sig):
    """The signal's action: a handler is called with the signal number, SIG_IGN does
    nothing, and SIG_DFL ends the process with 3 (SIGABRT's message first)."""
    from . import callback
    if sig not in C_SIGNALS:
        return _fail(p, EINVAL)
    handlers = p.win32.signal_handlers
    action = handlers.get(_signal_key(sig), SIG_DFL)
    if action == SIG_IGN:
        return 0
    if action != SIG_DFL:
        handlers[_signal_key(sig)] = SIG_DFL
        chain = callback.start(p)
        return callback.call(p, chain, action, [sig],
                             lambda _result=0: callback.finish(p, chain, 0))
    if _signal_key(sig) == SIGABRT:
        _write_fd(p, 2, b"\nThis application has requested the Runtime to terminate it in an unusual way.\n")
    return sys_kernel32_ExitProcess(p, 3)


def sys_kernel32_HeapCreate(p, flOptions, dwInitialSize, dwMaximumSize):
    return p.win32.heap.handle   # one heap serves every heap handle


def sys_kernel32_HeapDestroy(p, hHeap):
    return 1


def sys_kernel32_HeapSize(p, hHeap, dwFlags, lpMem):
    size = p.win32.heap.size_of(lpMem)
    return size if size is not None else (1 << p.sysvec.word_bits) - 1


def sys_kernel32_HeapValidate(p, hHeap, dwFlags, lpMem):
    """Whether a block (none: the whole heap) is sound; the heap's bookkeeping is outside
    the guest's reach here, so only that lpMem is a block can be wrong."""
    return int(not lpMem or p.win32.heap.size_of(lpMem) is not None)


HEAP_COMPACT_FREE = 1 << 20      # what HeapCompact reports as the largest free block


def sys_kernel32_HeapCompact(p, hHeap, dwFlags):
    return HEAP_COMPACT_FREE


def sys_kernel32_SetFilePointer(p, hFile, lDistanceToMove, lpDistanceToMoveHigh, dwMoveMethod):
    high = p.mm.read_u32(lpDistanceToMoveHigh) if lpDistanceToMoveHigh else \
        (0xFFFFFFFF if lDistanceToMove < 0 else 0)
    distance = (lDistanceToMove & 0xFFFFFFFF) | high << 32
    if distance >> 63:
        distance -= 1 << 64
    flush_for_handle(p, hFile, stdout=False)   # a C runtime stream's bytes where they were put
    try:
        pos = abi.file_of(p, hFile).lseek(distance, dwMoveMethod)
    except Exception:
        p.win32.last_error = 131   # ERROR_NEGATIVE_SEEK
        return 0xFFFFFFFF
    if lpDistanceToMoveHigh:
        p.mm.write_u32(lpDistanceToMoveHigh, pos >> 32)
    return pos & 0xFFFFFFFF


# --- descriptors and OS handles, translation modes -------------------------------------------

_O_TEXT, _O_BINARY, _O_WTEXT, _O_U16TEXT, _O_U8TEXT = 0x4000, 0x8000, 0x10000, 0x20000, 0x40000
_O_NOINHERIT = 0x80
MODES = {_O_TEXT, _O_BINARY, _O_WTEXT, _O_U16TEXT, _O_U8TEXT}


def _valid_fd(p, fd: int) -> bool:
    try:
        p.fds.get(fd)
        return True
    except Exception:   # KernelError: not open
        return False


def sys_msvcrt__commit(p, fd):
    """Flush a descriptor's file to disk: what a stream over it holds is written; the
    writes reach the host file as they are made, so no more than the descriptor is
    checked (EBADF)."""
    if not _valid_fd(p, fd & 0xFFFFFFFF):
        return _fail(p, EBADF)
    flush_for(p, fd, stdout=False)
    return 0


def sys_msvcrt__setmode(p, fd, mode):
    """The descriptor's translation mode, returning the previous one. The mode is kept for
    the program to read back; the stdio here writes bytes as they are in every mode (a
    newline stays one byte), which is what a program that asks for _O_BINARY wants."""
    if not _valid_fd(p, fd):
        return _fail(p, EBADF)
    if mode not in MODES:
        return _fail(p, EINVAL)
    previous = p.win32.fd_modes.get(fd, _O_TEXT)
    p.win32.fd_modes[fd] = mode
    return previous


def sys_msvcrt__get_osfhandle(p, fd):
    if not _valid_fd(p, fd):
        _fail(p, EBADF)
        return (1 << (8 * abi.word(p))) - 1       # INVALID_HANDLE_VALUE
    return abi.handle_of_fd(fd)


def sys_msvcrt__open_osfhandle(p, osfhandle, flags):
    """A descriptor for an OS handle: here every handle to a file is one already."""
    try:
        fd = abi.fd_of_handle(osfhandle)
    except Exception:   # not a file handle
        return _fail(p, EBADF)
    return fd if _valid_fd(p, fd) else _fail(p, EBADF)


def _chsize(p, fd, size) -> int:
    """The file's length set to size (zeros added or the tail cut): 0, or an errno."""
    if size < 0:
        return EINVAL
    try:
        f = p.fds.get(fd)
    except Exception:   # KernelError: no such descriptor
        return EBADF
    try:
        f.truncate(size)
    except Exception:   # KernelError: not a regular file, or opened read-only
        return EACCES
    return 0


def sys_msvcrt__chsize(p, fd, size):
    error = _chsize(p, fd, size if size < 1 << 31 else size - (1 << 32))
    return _fail(p, error) if error else 0


def sys_msvcrt__chsize_s(p, fd, size):
    """The UCRT's: the errno itself is the result (and errno is set too)."""
    error = _chsize(p, fd, size if size < 1 << 63 else size - (1 << 64))
    if error:
        _fail(p, error)
    return error


def sys_msvcrt__chsize_s_32(p, fd, size_lo, size_hi):
    """i386: the 64-bit size takes two stack words."""
    return sys_msvcrt__chsize_s(p, fd, size_lo | size_hi << 32)


def sys_msvcrt__creat(p, filename, pmode):
    """_open(filename, _O_CREAT | _O_TRUNC | _O_WRONLY)."""
    return _open_name(p, p.mm.read_cstr(filename).decode("latin-1"), O_CREAT | O_TRUNC | O_WRONLY)


def sys_msvcrt__wcreat(p, filename, pmode):
    from .wide import read_wstr
    return _open_name(p, read_wstr(p, filename), O_CREAT | O_TRUNC | O_WRONLY)


def sys_msvcrt__pipe(p, pfds, psize, textmode):
    """A pipe's read and write descriptors in pfds[0] and pfds[1] (_O_NOINHERIT: not
    inherited by children; otherwise they are, as the CRT's are)."""
    from ..files import make_pipe
    r, w = make_pipe()
    private = bool(textmode & _O_NOINHERIT)
    rfd = p.fds.install(r, cloexec=private)
    wfd = p.fds.install(w, cloexec=private)
    mode = textmode & (_O_TEXT | _O_BINARY) or _O_TEXT
    p.win32.fd_modes[rfd] = p.win32.fd_modes[wfd] = mode
    p.mm.write(pfds, struct.pack("<ii", rfd, wfd))
    return 0


_LK_UNLCK, _LK_LOCK, _LK_NBLCK, _LK_RLCK, _LK_NBRLCK = 0, 1, 2, 3, 4


def sys_msvcrt__locking(p, fd, mode, nbytes):
    """Lock or unlock nbytes from the descriptor's position (LockFile's exclusive locks;
    the blocking modes wait for the range, the others fail at once with EACCES)."""
    from .kernel32_files import _lock_range
    try:
        position = p.fds.get(fd).lseek(0, 1)
    except Exception:   # KernelError: no such descriptor, or not one that seeks
        return _fail(p, EBADF)
    if nbytes < 0 or mode not in (_LK_UNLCK, _LK_LOCK, _LK_NBLCK, _LK_RLCK, _LK_NBRLCK):
        return _fail(p, EINVAL)
    handle = abi.handle_of_fd(fd)
    if mode == _LK_UNLCK:
        done = _lock_range(p, handle, position, nbytes, None, False)
    else:
        done = _lock_range(p, handle, position, nbytes, True, wait=mode in (_LK_LOCK, _LK_RLCK))
    return 0 if done else _fail(p, EACCES)


# --- the console's character calls (conio.h): the terminal is the console -----------------
# Written to standard error, which is the terminal when there is one (the console on Windows is
# not standard output: getpass's prompt must not land in a pipe), and read from standard input.

WEOF = 0xFFFF


def sys_msvcrt__putwch(p, c):
    return c & 0xFFFF if _write_fd(p, 2, chr(c & 0xFFFF).encode("utf-8", "replace")) else WEOF


def sys_msvcrt__putch(p, c):
    return c & 0xFF if _write_fd(p, 2, bytes([c & 0xFF])) else 0xFFFFFFFF


def _getch_bytes(p) -> bytes:
    """One character's bytes from standard input (a pushed-back one first); b"" at its end."""
    pushed = p.win32.thread_local("console_pushback", list)
    if pushed:
        return pushed.pop().encode("utf-8")
    first = _read_fd(p, 0, 1)
    if not first or first[0] < 0x80:
        return first
    more = 1 if first[0] < 0xE0 else 2 if first[0] < 0xF0 else 3
    return first + _read_fd(p, 0, more)


def sys_msvcrt__getwch(p):
    data = _getch_bytes(p)
    return ord(data.decode("utf-8", "replace")[:1]) if data else WEOF


def sys_msvcrt__getwche(p):
    c = sys_msvcrt__getwch(p)
    if c != WEOF:
        sys_msvcrt__putwch(p, c)
    return c


def sys_msvcrt__ungetwch(p, c):
    p.win32.thread_local("console_pushback", list).append(chr(c & 0xFFFF))
    return c & 0xFFFF


def sys_msvcrt__ungetch(p, c):
    p.win32.thread_local("console_pushback", list).append(chr(c & 0xFF))
    return c & 0xFF


def sys_msvcrt__tell(p, fd):
    return sys_msvcrt__lseek(p, fd, 0, 1)


def sys_msvcrt__telli64(p, fd):
    return sys_msvcrt__lseeki64(p, fd, 0, 1)


# --- the console I/O of <conio.h>: to the console, which _putch writes to (see there) -------

def _console_write(p, data: bytes) -> int:
    return len(data) if _write_fd(p, 2, data) else -1


def sys_msvcrt__cputs(p, str_):
    return 0 if _console_write(p, p.mm.read_cstr(str_, 1 << 20)) >= 0 else 0xFFFFFFFF


def sys_msvcrt__cputws(p, str_):
    from .wide import read_wstr
    text = read_wstr(p, str_).encode("utf-8", "replace")
    return 0 if _console_write(p, text) >= 0 else 0xFFFFFFFF


def sys_ucrtbase___conio_common_vcprintf(p, options, format, locale, arglist):
    """_cprintf and _vcprintf: formatted onto the console; the count of bytes."""
    from .printf import VaList, format_guest
    data = format_guest(p, p.mm.read_cstr(format, 1 << 20), VaList(p, arglist))
    return _console_write(p, data) & 0xFFFFFFFF


def sys_ucrtbase___conio_common_vcwprintf(p, options, format, locale, arglist):
    from .printf import VaList, format_text
    from .wide import read_wstr
    text = format_text(p, read_wstr(p, format), VaList(p, arglist), True)
    written = _console_write(p, text.encode("utf-8", "replace"))
    return (len(text) if written >= 0 else -1) & 0xFFFFFFFF


def sys_msvcrt__cprintf(p, format):
    """msvcrt's variadic _cprintf."""
    from .printf import CallArgs, format_guest
    data = format_guest(p, p.mm.read_cstr(format, 1 << 20), CallArgs(p, 1))
    return _console_write(p, data) & 0xFFFFFFFF
