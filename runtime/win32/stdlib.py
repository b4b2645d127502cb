"""More of msvcrt: strings, conversions, character classes, environment, time, random
numbers, formatted output to buffers, and stdio on files opened with fopen."""
from __future__ import annotations

import os

import time as host_time

from ..files import O_APPEND
from ..nt import abi
from ..nt.paths import win32_to_nt
from . import crtstream
from .crtdata import FILE_SIZE
from .crterrno import EACCES, EBADF, EINVAL, ENOENT, ENOMEM, ERANGE
from .crtstream import BUFSIZ, _IOFBF, _IOLBF, _IONBF
from .guestmem import check_writable, fill
from .kernel32 import create_file, sys_kernel32_CloseHandle
from .kernel32_wait import sys_kernel32_InitializeCriticalSection
from .msvcrt import (EOF, _cstr_prefix, _flush_failed, _stream_fd, _static_string, _write_fd,
                     flush_stdout_checked, number_text, standard_index, stream_state)
from .printf import CallArgs, VaList, format_guest
from .stdout import flush_for
from .wide import read_wstr


def _cstr(p, addr: int) -> bytes:
    return p.mm.read_cstr(addr, 1 << 30)


def sys_msvcrt_strrchr(p, s, c):
    text = _cstr(p, s) + b"\0"
    i = text.rfind(bytes([c & 0xFF]))
    return s + i if i >= 0 else 0


def sys_msvcrt_strstr(p, haystack, needle):
    i = _cstr(p, haystack).find(_cstr(p, needle))
    return haystack + i if i >= 0 else 0


def sys_msvcrt_strncpy(p, dest, src, count):
    check_writable(p, dest, count)         # it pads the whole count with NULs
    data = _cstr_prefix(p, src, count)
    p.mm.write(dest, data)
    fill(p, dest + len(data), count - len(data))
    return dest


def sys_msvcrt_strncat(p, dest, src, count):
    end = dest + len(_cstr(p, dest))
    p.mm.write(end, _cstr_prefix(p, src, count) + b"\0")
    return dest


def sys_msvcrt__strdup(p, s):
    data = _cstr(p, s)
    copy = p.win32.heap.alloc(len(data) + 1)
    if copy:
        p.mm.write(copy, data + b"\0")
    return copy


def sys_msvcrt__wcsdup(p, s):
    data = read_wstr(p, s).encode("utf-16-le") + b"\0\0"
    copy = p.win32.heap.alloc(len(data))
    if copy:
        p.mm.write(copy, data)
    return copy


def _strtol(p, s, endptr, base, signed: bool, bits: int = 32):
    value, used, out_of_range = parse_integer(number_text(p, s), base, signed, bits)
    if endptr:
        abi.write_ptr(p, endptr, s + used)
    if out_of_range:
        p.mm.write_u32(p.win32.crt["errno"], ERANGE)
    return value


def parse_integer(text: bytes, base: int, signed: bool, bits: int) -> tuple[int, int, bool]:
    """strtol's parse of text: (the value clamped to its type, as an unsigned word of `bits`;
    the characters used, 0 when there is no number; whether it was out of range)."""
    base &= 0xFFFFFFFF
    if base not in (0,) and not 2 <= base <= 36:
        return 0, 0, False
    i = 0
    while i < len(text) and text[i:i + 1].isspace():
        i += 1
    start = i
    if text[i:i + 1] in (b"+", b"-"):
        i += 1
    if base in (0, 16) and text[i:i + 2].lower() == b"0x" and \
            (text[i + 2:i + 3] or b"?").decode("latin-1").lower() in "0123456789abcdef":
        i += 2
        base = 16
    elif base == 0:
        base = 8 if text[i:i + 1] == b"0" else 10
    digits_start = i
    while i < len(text) and chr(text[i]).lower() in "0123456789abcdefghijklmnopqrstuvwxyz"[:base]:
        i += 1
    if i == digits_start:
        value, i = 0, 0
    else:
        value = int(text[start:i].replace(b"0x", b"").replace(b"0X", b""), base)
    top = 1 << bits
    if signed:
        clamped = max(-top // 2, min(top // 2 - 1, value))
    else:
        magnitude = -value if value < 0 else value
        clamped = top - 1 if magnitude > top - 1 else value   # strtoul negates in range
    return clamped & (top - 1), i, clamped != value


def sys_msvcrt_strtol(p, s, endptr, base):
    return _strtol(p, s, endptr, base, True)


def sys_msvcrt_strtoul(p, s, endptr, base):
    return _strtol(p, s, endptr, base, False)


def sys_msvcrt__strtoi64(p, s, endptr, base):
    return _return_64(p, _strtol(p, s, endptr, base, True, 64))


def sys_msvcrt__strtoui64(p, s, endptr, base):
    return _return_64(p, _strtol(p, s, endptr, base, False, 64))


def _env_value(p, key: str) -> str | None:
    env = p.win32.env
    # Windows environment names are case-insensitive.
    return env.get(key, next((v for k, v in env.items() if k.upper() == key.upper()), None))


def sys_msvcrt_getenv(p, name):
    key = _cstr(p, name).decode("latin-1")
    value = _env_value(p, key)
    return _static_string(p, "env:" + key, value.encode()) if value is not None else 0


def sys_msvcrt__wgetenv(p, name):
    from .wide import read_wstr
    key = read_wstr(p, name)
    value = _env_value(p, key)
    # the cached string ends in two NULs: the one _static_string adds and this one
    return _static_string(p, "wenv:" + key, value.encode("utf-16-le") + b"\0") \
        if value is not None else 0


def _put_env(p, name: str, value: str) -> int:
    """The C runtime's _putenv: the process's one environment (GetEnvironmentVariable sees it);
    an empty value removes the name."""
    from .crterrno import set_errno
    from .kernel32_system import _env, _env_key
    if not name or "=" in name:
        set_errno(p, 22)            # EINVAL
        return -1
    key = _env_key(p, name)
    if key is not None:
        del _env(p)[key]
    if value:
        _env(p)[name] = value
    p.win32.strings.pop("env:" + name, None)
    p.win32.strings.pop("wenv:" + name, None)
    return 0


def sys_msvcrt__putenv(p, envstring):
    name, _, value = _cstr(p, envstring).decode("latin-1").partition("=")
    return _put_env(p, name, value)


def sys_msvcrt__wputenv(p, envstring):
    from .wide import read_wstr
    name, _, value = read_wstr(p, envstring).partition("=")
    return _put_env(p, name, value)


def sys_msvcrt__putenv_s(p, name, value):
    """errno_t: 0, or EINVAL."""
    result = _put_env(p, _cstr(p, name).decode("latin-1"), _cstr(p, value).decode("latin-1"))
    return 22 if result else 0


def sys_msvcrt__wputenv_s(p, name, value):
    from .wide import read_wstr
    return 22 if _put_env(p, read_wstr(p, name), read_wstr(p, value)) else 0


def sys_msvcrt_time(p, timer):
    now = int(host_time.time())
    if timer:
        p.mm.write(timer, now.to_bytes(4 if abi.word(p) == 4 else 8, "little"))
    return now


def sys_msvcrt_srand(p, seed):
    p.win32.rand_state = seed
    return 0


def sys_msvcrt_rand_s(p, randomValue):
    """A random unsigned int from the system's generator (RtlGenRandom), not rand's sequence."""
    if not randomValue:
        return 22   # EINVAL
    p.mm.write(randomValue, os.urandom(4))
    return 0


def sys_msvcrt_rand(p):
    """msvcrt's linear congruential generator, so seeded sequences match Windows."""
    state = (p.win32.rand_state * 214013 + 2531011) & 0xFFFFFFFF
    p.win32.rand_state = state
    return (state >> 16) & 0x7FFF


def _ctype(test):
    return lambda p, c: int(0 <= c < 256 and test(chr(c)))


sys_msvcrt_isdigit = _ctype(str.isdigit)
sys_msvcrt_isalpha = _ctype(lambda ch: ch.isascii() and ch.isalpha())
sys_msvcrt_isspace = _ctype(lambda ch: ch in " \t\n\v\f\r")
sys_msvcrt_isalnum = _ctype(lambda ch: ch.isascii() and ch.isalnum())
sys_msvcrt_isupper = _ctype(lambda ch: "A" <= ch <= "Z")
sys_msvcrt_islower = _ctype(lambda ch: "a" <= ch <= "z")
sys_msvcrt_isxdigit = _ctype(lambda ch: ch in "0123456789abcdefABCDEF")


def sys_msvcrt_toupper(p, c):
    return c - 32 if ord("a") <= c <= ord("z") else c


def sys_msvcrt_tolower(p, c):
    return c + 32 if ord("A") <= c <= ord("Z") else c


def sys_msvcrt_abs(p, n):
    return abs(n)


def _to_buffer(p, buffer, count, data: bytes) -> int:
    """_snprintf semantics: the length if it fits (NUL added), else -1 with count bytes."""
    if len(data) < count:
        p.mm.write(buffer, data + b"\0")
        return len(data)
    if count:
        p.mm.write(buffer, data[:count])
    return 0xFFFFFFFF


def sys_msvcrt__snprintf(p, buffer, count, format):
    return _to_buffer(p, buffer, count, format_guest(p, _cstr(p, format), CallArgs(p, 3)))


def sys_msvcrt__vsnprintf(p, buffer, count, format, args):
    return _to_buffer(p, buffer, count, format_guest(p, _cstr(p, format), VaList(p, args)))


def sys_msvcrt__vscprintf(p, format, args):
    """The length vsprintf would write, without its NUL."""
    return len(format_guest(p, _cstr(p, format), VaList(p, args)))


def sys_msvcrt_vsprintf(p, buffer, format, args):
    data = format_guest(p, _cstr(p, format), VaList(p, args))
    p.mm.write(buffer, data + b"\0")
    return len(data)


def _files(p) -> dict:
    return p.win32.files


def _open_stream(p, name: str, m: str) -> int:
    """fopen's work once the name and mode are text: a FILE for the file, or NULL and errno."""
    access = {"r": 0x80000000, "w": 0x40000000, "a": 0x40000000 | 0x4}[m[:1]] \
        if m[:1] and m[:1] in "rwa" else 0
    if "+" in m:
        access |= 0xC0000000
    disposition = {"r": 3, "w": 2, "a": 4}.get(m[:1])
    if not access or disposition is None:
        p.mm.write_u32(p.win32.crt["errno"], EINVAL)   # no valid mode
        return 0
    # a stream's file is inherited by a child the program spawns, unless the mode says N
    handle = create_file(p, name, access, 3, disposition, 0x80, inherit="N" not in m)
    if handle == (1 << p.sysvec.word_bits) - 1:
        p.mm.write_u32(p.win32.crt["errno"], ENOENT)
        return 0
    if m[:1] == "a":
        # "a" mode: every write at the end of the file, as _open's O_APPEND (an "a+"
        # stream reads anywhere)
        f = p.fds.get(abi.fd_of_handle(handle))
        f.lseek(0, 2)
        f.status_flags |= O_APPEND
    return _new_stream(p, handle, text="b" not in m, write=_writes(m))


def _writes(mode: str) -> bool:
    """Whether a stream opened with mode is written to ("w", "a", or any "+")."""
    return mode[:1] in ("w", "a") or "+" in mode


CRITICAL_SECTION_SIZE = {4: 24, 8: 40}


def _new_stream(p, handle: int, text: bool = False, write: bool = False) -> int:
    """A FILE, as msvcrt makes one past _iob: a _FILEX, the FILE followed by its lock, a
    CRITICAL_SECTION that mingw-w64's _lock_file enters (its printf and libstdc++ do).
    text: opened in text mode, whose reads turn CRLF into LF (writes keep LF as it is: see
    the README). write: opened for writing, whose writes to a file are buffered."""
    w = abi.word(p)
    stream = p.win32.heap.alloc(FILE_SIZE[w] + CRITICAL_SECTION_SIZE[w], zero=True)
    if not stream:
        p.mm.write_u32(p.win32.crt["errno"], ENOMEM)
        return 0
    sys_kernel32_InitializeCriticalSection(p, stream + FILE_SIZE[w])
    _files(p)[stream] = {"handle": handle, "eof": False, "text": text, "write": write}
    return stream


def sys_msvcrt_fopen(p, filename, mode):
    return _open_stream(p, _cstr(p, filename).decode("latin-1"),
                        _cstr(p, mode).decode("latin-1"))


def sys_msvcrt__wfopen(p, filename, mode):
    return _open_stream(p, read_wstr(p, filename), read_wstr(p, mode))


def _fdopen(p, fd: int, mode: str) -> int:
    """A FILE over a descriptor the program already has (a mode of "", _popen's, leaves its
    writes unbuffered)."""
    try:
        p.fds.get(fd)
    except Exception:   # KernelError: not open
        p.mm.write_u32(p.win32.crt["errno"], EBADF)
        return 0
    return _new_stream(p, abi.handle_of_fd(fd), write=bool(mode) and _writes(mode))


def sys_msvcrt__fdopen(p, fd, mode):
    return _fdopen(p, fd, _cstr(p, mode).decode("latin-1") if mode else "")


def sys_msvcrt__wfdopen(p, fd, mode):
    return _fdopen(p, fd, read_wstr(p, mode) if mode else "")


_file = stream_state              # (descriptor, state) of a FILE*, by the name scanf.py uses


def _reopen(p, name: str | None, mode: str, stream: int) -> int:
    """freopen: the stream's file closed and the named one opened in its place, the FILE*
    kept (freopen("log.txt", "w", stdout) sends stdout there); NULL and errno when the
    file cannot be opened. A NULL name keeps the file (a mode change, not tracked)."""
    fd, entry = _file(p, stream)
    index = standard_index(p, stream)
    if fd is None and index is None:
        p.mm.write_u32(p.win32.crt["errno"], EINVAL)
        return 0
    if name is None:
        return stream
    flush_for(p, fd, stdout=fd == 1)          # what the stream holds goes to its old file
    fresh = _open_stream(p, name, mode)
    if not fresh:
        return 0
    new = _files(p).pop(fresh)
    p.win32.heap.free(fresh)
    if stream in _files(p):                   # a stream fopen made: it takes the new handle
        sys_kernel32_CloseHandle(p, entry["handle"])
        entry.update(handle=new["handle"], text=new["text"], write=new["write"], eof=False,
                     error=False)
    else:                                     # a standard stream: its descriptor does (again,
        new_fd = abi.fd_of_handle(new["handle"])   # after fclose closed it)
        f = p.fds.get(new_fd)
        f.incref()
        if index in p.fds.fds:
            p.fds.replace(index, f)
        else:
            p.fds.install(f, lowest=index)
        p.fds.close(new_fd)
        p.win32.pushback.pop(index, None)     # the old file's read-ahead
        p.win32.stream_flags[stream] = {"eof": False}
    return stream


def sys_msvcrt_freopen(p, path, mode, stream):
    return _reopen(p, _cstr(p, path).decode("latin-1") if path else None,
                   _cstr(p, mode).decode("latin-1"), stream)


def sys_msvcrt__wfreopen(p, path, mode, stream):
    return _reopen(p, read_wstr(p, path) if path else None, read_wstr(p, mode), stream)


def _reopen_s(p, pFile, stream_of) -> int:
    if not pFile:
        return EINVAL
    stream = stream_of()
    abi.write_ptr(p, pFile, stream)
    return 0 if stream else p.mm.read_u32(p.win32.crt["errno"]) or EINVAL


def sys_msvcrt_freopen_s(p, pFile, path, mode, stream):
    return _reopen_s(p, pFile, lambda: sys_msvcrt_freopen(p, path, mode, stream))


def sys_msvcrt__wfreopen_s(p, pFile, path, mode, stream):
    return _reopen_s(p, pFile, lambda: sys_msvcrt__wfreopen(p, path, mode, stream))


def sys_msvcrt_fclose(p, stream):
    """0, or EOF when its buffer's write failed (the file is closed all the same). A
    standard stream is flushed and its descriptor closed too, as msvcrt does (gnulib's
    close_stdout checks that fclose(stdout) succeeds); the stream is then closed to stdio,
    and a later _write to the descriptor fails with EBADF."""
    entry = _files(p).get(stream)
    if entry is None:
        index = standard_index(p, stream)
        if index is None or _stream_fd(p, stream) is None:
            p.mm.write_u32(p.win32.crt["errno"], EINVAL)
            return EOF
        return _close_standard(p, stream, index)
    flushed = flush_for(p, abi.fd_of_handle(entry["handle"]), stdout=False)
    if not flushed:
        _flush_failed(p)                            # errno as _write sets it
    del _files(p)[stream]
    sys_kernel32_CloseHandle(p, entry["handle"])
    p.win32.heap.free(stream)
    return 0 if flushed else EOF


def sys_msvcrt__fcloseall(p):
    """Every stream fopen made is closed, the standard ones left open: how many."""
    streams = list(_files(p))
    for stream in streams:
        sys_msvcrt_fclose(p, stream)
    return len(streams)


def _close_standard(p, stream: int, index: int) -> int:
    """fclose of stdin, stdout or stderr: 0, or EOF when the flush or the close failed."""
    from .crtio import sys_msvcrt__close
    flushed = flush_stdout_checked(p) if index == 1 else True
    closed = sys_msvcrt__close(p, index) == 0             # (EBADF when it was not open)
    p.win32.stream_flags[stream] = {"eof": False, "closed": True}
    return 0 if flushed and closed else EOF


def sys_msvcrt_fread(p, buffer, size, count, stream):
    """Whole items read; a text stream's CRLF is LF, read on until the items are whole or
    the input ends, which sets the end-of-file flag."""
    fd, entry = _file(p, stream)
    if fd is None or size * count == 0:
        return 0
    data = crtstream.read_stream(p, fd, entry, size * count)
    p.mm.write(buffer, data)
    return len(data) // size


SEEK_ORIGINS = (0, 1, 2)                   # SEEK_SET, SEEK_CUR, SEEK_END


def sys_msvcrt_fseek(p, stream, offset, origin):
    fd, entry = _file(p, stream)
    if fd is None or origin not in SEEK_ORIGINS:
        p.mm.write_u32(p.win32.crt["errno"], EINVAL)
        return EOF
    try:
        crtstream.seek(p, fd, offset, origin)
    except Exception:   # KernelError: a pipe, or before the start
        p.mm.write_u32(p.win32.crt["errno"], EINVAL)
        return EOF
    entry["eof"] = False
    return 0


def _tell(p, stream) -> int:
    """The stream's position, -1 (EBADF, or EINVAL for a pipe) when it has none."""
    fd, _ = _file(p, stream)
    try:
        return crtstream.position(p, fd)
    except Exception:   # KernelError: a pipe or terminal
        p.mm.write_u32(p.win32.crt["errno"], EINVAL if fd is not None else EBADF)
        return -1


def sys_msvcrt_ftell(p, stream):
    return _tell(p, stream) & 0xFFFFFFFF


def sys_msvcrt__atoi64(p, s):
    """A 64-bit atoi: the value, saturated as the UCRT's _atoi64 is at its type's ends."""
    value, _, _ = parse_integer(number_text(p, s), 10, True, 64)
    return _return_64(p, value)


def _return_64(p, value: int) -> int:
    """A 64-bit result: rax, or edx:eax on i386."""
    value &= 2**64 - 1
    if abi.word(p) == 4:
        from unicorn import x86_const as X
        p.engine.uc.reg_write(X.UC_X86_REG_EDX, value >> 32)
    return value


def sys_msvcrt_fgetpos(p, stream, pos):
    offset = _tell(p, stream)
    if offset < 0:
        return EOF
    p.mm.write(pos, offset.to_bytes(8, "little", signed=True))
    return 0


def sys_msvcrt_fsetpos(p, stream, pos):
    return sys_msvcrt_fseek(p, stream, int.from_bytes(p.mm.read(pos, 8), "little",
                                                      signed=True), 0)


def sys_msvcrt__filelengthi64(p, fd):
    try:
        return _return_64(p, p.fds.get(fd).fstat().st_size)
    except Exception:
        p.mm.write_u32(p.win32.crt["errno"], EBADF)
        return _return_64(p, -1)


def sys_msvcrt__filelength(p, fd):
    """The file's length as a long: -1 (EBADF) for no such descriptor."""
    try:
        return p.fds.get(fd).fstat().st_size & 0xFFFFFFFF
    except Exception:
        p.mm.write_u32(p.win32.crt["errno"], EBADF)
        return 0xFFFFFFFF


def sys_msvcrt_feof(p, stream):
    _, entry = _file(p, stream)
    return int(bool(entry and entry["eof"]))


def sys_msvcrt_ferror(p, stream):
    _, entry = _file(p, stream)
    return int(bool(entry and entry.get("error")))


def sys_msvcrt_fgetc(p, stream):
    fd, entry = _file(p, stream)
    return crtstream.getc(p, fd, entry) if fd is not None else EOF


def sys_msvcrt_remove(p, filename):
    name = win32_to_nt(_cstr(p, filename).decode("latin-1"), p.win32.cwd)
    from ..nt.paths import fold_case, split_nt_path
    try:
        path = fold_case(p.kernel.fs, "/", split_nt_path(name), p)
        p.kernel.fs.unlink("/", path, p)
    except Exception:
        p.mm.write_u32(p.win32.crt["errno"], ENOENT)
        return 0xFFFFFFFF
    return 0


def sys_msvcrt_perror(p, s):
    from .crterrno import message
    code = p.mm.read_u32(p.win32.crt["errno"])
    prefix = _cstr(p, s) + b": " if s and _cstr(p, s) else b""
    _write_fd(p, 2, prefix + message(code).encode() + b"\n")
    return 0


def sys_msvcrt__getpid(p):
    return p.tgid      # the process's id from any of its threads


def sys_msvcrt_clock(p):
    if p.win32.clock_start is None:
        p.win32.clock_start = host_time.monotonic()
    start = p.win32.clock_start
    return int((host_time.monotonic() - start) * 1000)


def sys_msvcrt__assert(p, message, file, line):
    text = b"Assertion failed: " + _cstr(p, message) + b", file " + _cstr(p, file) + \
        f", line {line}\n".encode()
    _write_fd(p, 2, text)
    from .msvcrt import sys_msvcrt_abort
    return sys_msvcrt_abort(p)


def sys_msvcrt__wassert(p, message, file, line):
    """_assert with wide strings (the UCRT's assert macro), written as UTF-8."""
    text = f"Assertion failed: {read_wstr(p, message)}, file {read_wstr(p, file)}, " \
        f"line {line}\n".encode("utf-8", "replace")
    _write_fd(p, 2, text)
    from .msvcrt import sys_msvcrt_abort
    return sys_msvcrt_abort(p)


def sys_msvcrt___p___argc(p):
    return p.win32.crt["__argc"]


def sys_msvcrt___p___argv(p):
    return p.win32.crt["__argv"]


def sys_msvcrt__strnicmp(p, a, b, count):
    x, y = _cstr_prefix(p, a, count).lower(), _cstr_prefix(p, b, count).lower()
    return ((x > y) - (x < y)) & 0xFFFFFFFF


def sys_msvcrt__stricmp(p, a, b):
    x, y = _cstr(p, a).lower(), _cstr(p, b).lower()
    return ((x > y) - (x < y)) & 0xFFFFFFFF


def sys_msvcrt__stricoll(p, a, b):
    """Case-insensitive collation; in the C locale, _stricmp's order."""
    return sys_msvcrt__stricmp(p, a, b)


INT_MAX = 0x7FFFFFFF
MAX_READ_AHEAD = 1 << 20         # a bigger setvbuf buffer reads ahead this far


def sys_msvcrt_setvbuf(p, stream, buffer, mode, size):
    """How far reads of the stream read ahead and how many bytes its writes to a file
    gather: _IONBF none, _IOFBF and _IOLBF (the same on Windows) size bytes, 2 to INT_MAX.
    0, or -1 and EINVAL. (stdout's output keeps its own buffering, by lines on a terminal:
    stdout.py.)"""
    _, entry = _file(p, stream)
    size &= (1 << p.sysvec.word_bits) - 1
    buffered = mode in (_IOFBF, _IOLBF)
    if entry is None or not (buffered or mode == _IONBF) or \
            buffered and not 2 <= size <= INT_MAX:
        p.mm.write_u32(p.win32.crt["errno"], EINVAL)
        return EOF
    entry["vbuf"] = mode
    entry["bufsize"] = min(size, MAX_READ_AHEAD) if buffered else BUFSIZ
    return 0


def sys_msvcrt_ungetc(p, c, stream):
    """Push one character back: the stream's next read returns it first."""
    fd, entry = _file(p, stream)
    if fd is None or c == 0xFFFFFFFF or c == -1:
        return EOF
    crtstream.unread(p, fd, c)
    entry["eof"] = False
    return c & 0xFF


def sys_msvcrt_rewind(p, stream):
    sys_msvcrt_fseek(p, stream, 0, 0)
    sys_msvcrt_clearerr(p, stream)
    return 0


def sys_msvcrt_clearerr(p, stream):
    _, entry = _file(p, stream)
    if entry is not None:
        entry["eof"] = entry["error"] = False
    return 0


def sys_msvcrt__fileno(p, stream):
    fd = _stream_fd(p, stream)
    return fd if fd is not None else 0xFFFFFFFF


def sys_msvcrt_rename(p, old, new):
    from .kernel32_system import move_file
    return 0 if move_file(p, _cstr(p, old), _cstr(p, new)) else 0xFFFFFFFF


# --- aligned blocks: the heap block's own address is kept in the word below the aligned one

def sys_msvcrt__aligned_malloc(p, size, alignment):
    return sys_msvcrt__aligned_offset_malloc(p, size, alignment, 0)


def sys_msvcrt__aligned_free(p, memblock):
    if memblock:
        p.win32.heap.free(abi.read_ptr(p, memblock - abi.word(p)))
    return 0


def sys_msvcrt__aligned_realloc(p, memblock, size, alignment):
    if not memblock:
        return sys_msvcrt__aligned_malloc(p, size, alignment)
    if not size:
        sys_msvcrt__aligned_free(p, memblock)
        return 0
    block = abi.read_ptr(p, memblock - abi.word(p))
    old_size = (p.win32.heap.size_of(block) or 0) - (memblock - block)
    fresh = sys_msvcrt__aligned_malloc(p, size, alignment)
    if fresh:
        p.mm.write(fresh, p.mm.read(memblock, min(old_size, size)))
        sys_msvcrt__aligned_free(p, memblock)
    return fresh


def sys_msvcrt__msize(p, memblock):
    size = p.win32.heap.size_of(memblock) if memblock else None
    if size is None:
        p.mm.write_u32(p.win32.crt["errno"], EINVAL)
        return (1 << p.sysvec.word_bits) - 1
    return size


def sys_msvcrt__recalloc(p, memblock, num, size):
    """realloc to num * size bytes, the bytes past the old size zeroed (calloc's half)."""
    total = num * size
    if size and total // size != num or total >= 1 << (p.sysvec.word_bits - 1):
        p.mm.write_u32(p.win32.crt["errno"], ENOMEM)
        return 0
    old = p.win32.heap.size_of(memblock) if memblock else 0
    if memblock and old is None:
        p.mm.write_u32(p.win32.crt["errno"], EINVAL)
        return 0
    fresh = p.win32.heap.realloc(memblock, total)
    if fresh and total > old:
        p.mm.write(fresh + old, bytes(total - old))
    return fresh


TMPNAM_CHARS = 260                    # L_tmpnam: MAX_PATH


def _tmpnam(p, buf: int, wide: bool) -> int:
    """tmpnam: a name in the temporary folder no file has yet, in buf or (NULL) in the
    thread's static buffer."""
    from .kernel32_files import _stat, _temp_dir
    from .wide import encode
    temp, count = _temp_dir(p), p.win32.strings.get("tmpnam count", 0)
    error = p.win32.last_error
    while True:
        count += 1
        name = f"{temp}s{p.tgid:x}{count:x}.tmp"
        if _stat(p, name) is None:
            break
    p.win32.last_error = error            # (the look did not fail the caller)
    p.win32.strings["tmpnam count"] = count
    unit = 2 if wide else 1
    if not buf:
        key = "wtmpnam" if wide else "tmpnam"
        buf = p.win32.strings.get(key) or p.win32.heap.alloc(TMPNAM_CHARS * unit)
        p.win32.strings[key] = buf
    p.mm.write(buf, encode(name[:TMPNAM_CHARS - 1], wide) + b"\0" * unit)
    return buf


def sys_msvcrt_tmpnam(p, buf):
    return _tmpnam(p, buf, False)


def sys_msvcrt__wtmpnam(p, buf):
    return _tmpnam(p, buf, True)


def sys_msvcrt__set_new_handler(p, pNewHandler):
    """operator new's handler for a failed allocation (_callnewh calls it); the old one back."""
    old = p.win32.strings.get("new handler", 0)
    p.win32.strings["new handler"] = pNewHandler
    return old


def sys_msvcrt__callnewh(p, size):
    """Call the new handler with the size: its answer (non-zero: try again); 0, the
    allocation failed, when none is installed."""
    from . import callback
    handler = p.win32.strings.get("new handler", 0)
    if not handler:
        return 0
    chain = callback.start(p)
    return callback.call(p, chain, handler, [size],
                         lambda result: callback.finish(p, chain, int(bool(result & 0xFFFFFFFF))))


def sys_msvcrt__invoke_watson(p, expression, function, file, line, reserved):
    """An invalid parameter with no handler: the process ends as Windows ends it, with
    STATUS_INVALID_CRUNTIME_PARAMETER."""
    from ..nt.status import STATUS_INVALID_CRUNTIME_PARAMETER
    from .kernel32 import nt_call
    nt_call(p, "NtTerminateProcess", (1 << p.sysvec.word_bits) - 1,
            STATUS_INVALID_CRUNTIME_PARAMETER)
    return 0


def sys_msvcrt__fsopen(p, filename, mode, shflag):
    """fopen with a sharing mode (files here are shared as the host shares them)."""
    return sys_msvcrt_fopen(p, filename, mode)


def sys_msvcrt__wfsopen(p, filename, mode, shflag):
    return sys_msvcrt__wfopen(p, filename, mode)


def sys_msvcrt__wremove(p, filename):
    from .crtdir import sys_msvcrt__wunlink
    return sys_msvcrt__wunlink(p, filename)


def sys_msvcrt__wrename(p, old, new):
    from .crterrno import set_errno_from_last_error
    from .kernel32_files import _move
    from .wide import read_wstr
    if _move(p, read_wstr(p, old), read_wstr(p, new), 0):
        return 0
    set_errno_from_last_error(p)
    return 0xFFFFFFFF


_HEAPEND = -5


def sys_msvcrt__heapwalk(p, entryinfo):
    """The heap's blocks are not walked: the walk is at its end at once."""
    return _HEAPEND & 0xFFFFFFFF


def sys_msvcrt_setbuf(p, stream, buffer):
    """setvbuf with BUFSIZ, or (NULL) _IONBF."""
    mode = _IOFBF if buffer else _IONBF
    sys_msvcrt_setvbuf(p, stream, buffer, mode, BUFSIZ)
    return 0


def sys_msvcrt__fseeki64(p, stream, offset, origin):
    return sys_msvcrt_fseek(p, stream, offset, origin)


def sys_msvcrt__ftelli64(p, stream):
    return _return_64(p, _tell(p, stream))


def sys_msvcrt__set_error_mode(p, mode):
    """Where runtime errors are reported: kept, the previous one returned (_OUT_TO_DEFAULT)."""
    previous = p.win32.crt_error_mode
    if mode != 3:                     # _REPORT_ERRMODE only asks
        p.win32.crt_error_mode = mode
    return previous


def sys_msvcrt__set_abort_behavior(p, flags, mask):
    previous = p.win32.abort_behavior
    p.win32.abort_behavior = (previous & ~mask) | (flags & mask)
    return previous


def sys_msvcrt_llabs(p, n):
    """llabs, _abs64, imaxabs: a 64-bit magnitude (rax, or edx:eax on i386)."""
    n &= 2**64 - 1
    return _return_64(p, 2**64 - n if n >> 63 else n)


def sys_ucrtbase__invalid_parameter_noinfo(p):
    """A C runtime function found a bad argument: the program's invalid-parameter handler
    runs (the caller then fails with EINVAL); with none, the process ends as Windows ends
    it (_invoke_watson)."""
    return _invalid_parameter(p, returns=True)


def sys_ucrtbase__invalid_parameter_noinfo_noreturn(p):
    """The same, and the process ends even when the handler returns."""
    return _invalid_parameter(p, returns=False)


def _invalid_parameter(p, returns: bool) -> int:
    from . import callback
    handler = p.win32.invalid_parameter_handler
    if not handler:
        return sys_msvcrt__invoke_watson(p, 0, 0, 0, 0, 0)
    chain = callback.start(p)
    then = (lambda result: callback.finish(p, chain, 0)) if returns else \
        (lambda result: sys_msvcrt__invoke_watson(p, 0, 0, 0, 0, 0))
    return callback.call(p, chain, handler, [0, 0, 0, 0, 0], then)


def sys_msvcrt__byteswap_ushort(p, value):
    return int.from_bytes((value & 0xFFFF).to_bytes(2, "little"), "big")


def sys_msvcrt__byteswap_ulong(p, value):
    return int.from_bytes((value & 0xFFFFFFFF).to_bytes(4, "little"), "big")


def sys_msvcrt__byteswap_uint64(p, value):
    from .crttime import _ret64       # edx:eax on i386
    return _ret64(p, int.from_bytes((value & 0xFFFFFFFFFFFFFFFF).to_bytes(8, "little"), "big"))


def sys_msvcrt_tmpfile(p):
    """A new file in the temporary folder, open "w+b" and deleted when it is closed (or the
    process ends), as the UCRT opens it; NULL with errno when none can be made."""
    from ..nt.sharing import DELETE, FILE_SHARE_DELETE
    from .kernel32 import FILE_FLAG_DELETE_ON_CLOSE
    from .kernel32_files import _temp_dir
    temp = _temp_dir(p)
    for _ in range(64):
        count = p.win32.strings.get("tmpnam count", 0) + 1
        p.win32.strings["tmpnam count"] = count
        name = f"{temp}t{p.tgid:x}{count:x}.tmp"
        handle = create_file(p, name, 0xC0000000 | DELETE, 3 | FILE_SHARE_DELETE, 1,
                             0x80 | FILE_FLAG_DELETE_ON_CLOSE, inherit=True)   # CREATE_NEW
        if handle != (1 << p.sysvec.word_bits) - 1:
            return _new_stream(p, handle, write=True)
        if p.win32.last_error != 80:                                     # ERROR_FILE_EXISTS
            break
    p.mm.write_u32(p.win32.crt["errno"], EACCES)
    return 0


def sys_msvcrt_tmpfile_s(p, pFilePtr):
    if not pFilePtr:
        return EINVAL
    stream = sys_msvcrt_tmpfile(p)
    abi.write_ptr(p, pFilePtr, stream)
    return 0 if stream else p.mm.read_u32(p.win32.crt["errno"])


def _strerror_text(p, s: bytes | None) -> bytes:
    from .crterrno import message
    code = p.mm.read_u32(p.win32.crt["errno"])
    return (s + b": " if s else b"") + message(code).encode() + b"\n"


def sys_msvcrt__strerror(p, strErrMsg):
    """"MSG: " and errno's text and a newline, in the thread's buffer (NULL: the text alone)."""
    text = _strerror_text(p, _cstr(p, strErrMsg)[:94] if strErrMsg else None)
    buf = p.win32.strings.get("_strerror") or p.win32.heap.alloc(256)
    p.win32.strings["_strerror"] = buf
    p.mm.write(buf, text[:255] + b"\0")
    return buf


def sys_msvcrt__wcserror(p, errnum):
    """strerror's text, wide, in the thread's buffer."""
    from .crterrno import message
    buf = p.win32.strings.get("_wcserror") or p.win32.heap.alloc(2 * 96)
    p.win32.strings["_wcserror"] = buf
    p.mm.write(buf, message(errnum)[:94].encode("utf-16-le") + b"\0\0")
    return buf


def sys_msvcrt__wperror(p, s):
    from .crterrno import message
    code = p.mm.read_u32(p.win32.crt["errno"])
    prefix = read_wstr(p, s) if s else ""
    line = (prefix + ": " if prefix else "") + message(code) + "\n"
    _write_fd(p, 2, line.encode("utf-8", "replace"))
    return 0


MAX_STDIO_LIMIT = 8192          # the UCRT's ceiling for _setmaxstdio


def sys_msvcrt__getmaxstdio(p):
    return p.win32.strings.get("maxstdio", 512)


def sys_msvcrt__setmaxstdio(p, new_max):
    """The number of FILEs that may be open at once: 20 to 8192, else -1 (EINVAL)."""
    new_max = ((new_max & 0xFFFFFFFF) ^ 0x80000000) - 0x80000000
    if not 20 <= new_max <= MAX_STDIO_LIMIT:
        p.mm.write_u32(p.win32.crt["errno"], EINVAL)
        return 0xFFFFFFFF
    p.win32.strings["maxstdio"] = new_max
    return new_max


def sys_msvcrt__aligned_offset_malloc(p, size, alignment, offset):
    """A block whose byte at offset is aligned (vccorlib140's objects); _aligned_free
    frees it as it frees _aligned_malloc's."""
    word = abi.word(p)
    if alignment & (alignment - 1) or not alignment or (size and offset >= size):
        p.mm.write_u32(p.win32.crt["errno"], EINVAL)   # not a power of two, or offset past the end
        return 0
    alignment = max(alignment, word)
    block = p.win32.heap.alloc(size + alignment + word)
    if not block:
        p.mm.write_u32(p.win32.crt["errno"], ENOMEM)
        return 0
    aligned = ((block + word + offset + alignment - 1) & ~(alignment - 1)) - offset
    abi.write_ptr(p, aligned - word, block)
    return aligned


def sys_msvcrt__heapmin(p):
    """Unused heap memory goes back to the system: nothing is kept back here."""
    return 0


def _tempnam(p, directory: int, prefix: int, wide: bool) -> int:
    """A malloc'd name no file has, in %TMP% when it is set (as the UCRT prefers it), else
    the directory given, else the temporary folder; NULL with errno when none is found."""
    from .kernel32_files import _stat, _temp_dir
    from .kernel32_system import _env, _env_key
    from .wide import encode, read_str
    key = _env_key(p, "TMP")
    folder = _env(p)[key] if key is not None else \
        (read_str(p, directory, wide) if directory else "") or _temp_dir(p)
    head = read_str(p, prefix, wide) if prefix else ""
    error = p.win32.last_error
    count = p.win32.strings.get("tmpnam count", 0)
    for _ in range(1 << 16):
        count += 1
        name = f"{folder.rstrip(chr(92) + '/')}\\{head}{p.tgid:x}{count:x}"
        if _stat(p, name) is None:
            break
    else:
        p.mm.write_u32(p.win32.crt["errno"], EEXIST_CRT)
        return 0
    p.win32.last_error = error
    p.win32.strings["tmpnam count"] = count
    data = encode(name, wide) + (b"\0\0" if wide else b"\0")
    buf = p.win32.heap.alloc(len(data))
    if buf:
        p.mm.write(buf, data)
    return buf


EEXIST_CRT = 17


def sys_msvcrt__tempnam(p, dir, prefix):
    return _tempnam(p, dir, prefix, False)


def sys_msvcrt__wtempnam(p, dir, prefix):
    return _tempnam(p, dir, prefix, True)


def sys_ucrtbase__set_doserrno(p, error_value):
    p.mm.write_u32(p.win32.crt["_doserrno"], error_value & 0xFFFFFFFF)
    return 0


# --- std::terminate's handler (set_terminate): called by terminate, then abort -------------

def sys_ucrtbase_set_terminate(p, new_handler):
    old = p.win32.strings.get("terminate handler", 0)
    p.win32.strings["terminate handler"] = new_handler
    return old


def sys_ucrtbase__get_terminate(p):
    return p.win32.strings.get("terminate handler", 0)


def sys_ucrtbase_terminate(p):
    """The handler set_terminate installed runs (it should not return); then abort."""
    from . import callback
    from .msvcrt import sys_msvcrt_abort
    handler = p.win32.strings.pop("terminate handler", 0)
    if not handler:
        return sys_msvcrt_abort(p)
    chain = callback.start(p)
    return callback.call(p, chain, handler, [], lambda _result: sys_msvcrt_abort(p))
