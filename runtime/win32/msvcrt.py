"""msvcrt.dll: the C runtime a default mingw-w64 program imports: start-up (__getmainargs,
_initterm is native code in the DLL), memory, strings, stdio on the three standard streams,
and exit. Output goes through kernel32-style NT calls, so the trace shows NtWriteFile."""
from __future__ import annotations


from ..errors import KernelError
from ..nt import abi
from .crtstream import give_back, is_regular_file, nt_read, read_stream, write_size, write_stream
from .kernel32 import sys_kernel32_ExitProcess
from .stdout import (STDOUT_BUFFER, _line_buffered, _nt_write, _stdout_buffer,  # noqa: F401
                     flush_all, flush_for, flush_stdout)
from .printf import CallArgs, VaList, format_guest

FILE_SIZE = {4: 32, 8: 48}
EOF = 0xFFFFFFFF


def _crt(p) -> dict:
    return p.win32.crt


def standard_index(p, stream: int) -> int | None:
    """0, 1 or 2 for stdin, stdout and stderr (_iob's first three FILEs), else None."""
    index, rest = divmod(stream - _crt(p)["_iob"], FILE_SIZE[abi.word(p)])
    return index if rest == 0 and 0 <= index < 3 else None


def _stream_fd(p, stream: int) -> int | None:
    """The descriptor behind a FILE*: one of _iob's three (None once fclose closed it), or a
    stream fopen made."""
    index = standard_index(p, stream)
    if index is not None:
        return None if p.win32.stream_flags.get(stream, {}).get("closed") else index
    entry = p.win32.files.get(stream)
    return abi.fd_of_handle(entry["handle"]) if entry else None


def stream_state(p, stream: int) -> tuple[int | None, dict | None]:
    """(descriptor, the stream's state): a stream fopen made, or a standard one (its flags
    kept apart, as it has no entry of its own); (None, None) for neither."""
    fd = _stream_fd(p, stream)
    entry = p.win32.files.get(stream)
    if entry is None and fd is not None:
        entry = p.win32.stream_flags.setdefault(stream, {"eof": False})
    return fd, entry


def _stdout_fd(p) -> int | None:
    """1, the descriptor printf and puts write to, or None once fclose(stdout) closed it."""
    return _stream_fd(p, _crt(p)["_iob"] + FILE_SIZE[abi.word(p)])


def _write_fd(p, fd: int, data: bytes) -> int:
    """stdout is buffered as msvcrt buffers it (by lines on a terminal); the rest is
    written at once, after what stdout and a stream over fd hold (a stream's own writes
    are gathered before this: _stream_write)."""
    if not data:
        return 0
    if p.win32.pushback.get(fd):
        give_back(p, fd)        # a file read ahead: the write goes where the reading stopped
    if fd == 1:
        buf = _stdout_buffer(p)
        buf += data
        if len(buf) >= STDOUT_BUFFER or (b"\n" in data and _line_buffered(p)):
            flush_stdout(p)
        return len(data)
    flush_for(p, fd)
    return _nt_write(p, fd, data)


def sys_msvcrt_nothing(p, arg):
    return 0


def sys_msvcrt_nothing0(p):
    return 0


def _string_vector(p, items: list[bytes]) -> int:
    """A NULL-terminated array of NUL-terminated strings on the process heap (argv, envp)."""
    w, heap = abi.word(p), p.win32.heap
    vec = heap.alloc(w * (len(items) + 1))
    for i, item in enumerate(items):
        s = heap.alloc(len(item) + 1)
        p.mm.write(s, item + b"\0")
        abi.write_ptr(p, vec + w * i, s)
    abi.write_ptr(p, vec + w * len(items), 0)
    return vec


def crt_argv(p) -> list[str]:
    """The arguments the C runtime gives main: its command line parsed, as the CRT parses
    it (a program started from the Linux side is C:\\prog.exe there, not /prog.exe)."""
    from .kernel32_process import command_line_to_argv
    from .wide import read_wstr
    line = read_wstr(p, p.win32.command_line_w) if p.win32.command_line_w else ""
    args = command_line_to_argv(line)
    return args if args else [a.decode("utf-8", "replace") if isinstance(a, bytes) else a
                              for a in p.argv]


def sys_msvcrt___getmainargs(p, argc, argv, envp, dowildcard, startinfo):
    args = [a.encode("utf-8", "replace") for a in crt_argv(p)]
    vec = _string_vector(p, args)
    env = _string_vector(p, [f"{k}={v}".encode() for k, v in p.win32.env.items()])
    p.mm.write_u32(argc, len(args))
    abi.write_ptr(p, argv, vec)
    abi.write_ptr(p, envp, env)
    crt = _crt(p)
    p.mm.write_u32(crt["__argc"], len(args))
    abi.write_ptr(p, crt["__argv"], vec)
    abi.write_ptr(p, crt["__initenv"], env)
    return 0


def sys_msvcrt___p__acmdln(p):
    return _crt(p)["_acmdln"]


def sys_msvcrt___p__commode(p):
    return _crt(p)["_commode"]


def sys_msvcrt___p__fmode(p):
    return _crt(p)["_fmode"]


def sys_msvcrt__amsg_exit(p, code):
    _write_fd(p, 2, f"runtime error R60{code:02d}\n".encode())
    return sys_kernel32_ExitProcess(p, 255)


def sys_msvcrt__errno(p):
    return _crt(p)["errno"]


def sys_msvcrt__onexit(p, func):
    p.win32.atexit.append(func)
    return func


def sys_msvcrt_atexit(p, func):
    sys_msvcrt__onexit(p, func)
    return 0


def sys_msvcrt___dllonexit(p, func, pbegin, pend):
    """A DLL's atexit: func appended to the DLL's own table (*pbegin to *pend, a block its
    start code allocated, grown here with realloc), which the DLL runs and frees when it is
    detached -- at FreeLibrary, before its code is gone. NULL when there is no table."""
    w = abi.word(p)
    begin, end = abi.read_ptr(p, pbegin), abi.read_ptr(p, pend)
    if not begin or not end or end < begin:
        return 0
    count = (end - begin) // w + 1
    table = p.win32.heap.realloc(begin, count * w)
    if not table:
        return 0
    abi.write_ptr(p, table + (count - 1) * w, func)
    abi.write_ptr(p, pbegin, table)
    abi.write_ptr(p, pend, table + count * w)
    return func


def sys_msvcrt___p___initenv(p):
    """Where the environment main was given is kept (msvcrt's __initenv)."""
    return _crt(p)["__initenv"]


def sys_msvcrt_abort(p):
    _write_fd(p, 2, b"\nThis application has requested the Runtime to terminate it in an unusual way.\n")
    return sys_kernel32_ExitProcess(p, 3)


def sys_msvcrt_fflush(p, stream):
    """The stream's buffer written (0, or EOF when the write fails); an input stream's
    read-ahead let go, its descriptor back at the stream's position. NULL: every output
    stream's buffer."""
    if not stream:
        return 0 if flush_all(p) else _flush_failed(p)
    fd = _stream_fd(p, stream)
    if fd is None and standard_index(p, stream) is not None:
        return EOF                                  # fclose closed it
    if fd is not None:
        give_back(p, fd)
    if fd == 1:
        return 0 if flush_stdout_checked(p) else EOF
    return 0 if flush_for(p, fd) else _flush_failed(p)


def _flush_failed(p) -> int:
    """EOF, errno as _write sets it for the write that failed (its stream's error flag is
    set: stdout.flush_stream)."""
    from .crterrno import errno_of_win32, set_errno
    set_errno(p, errno_of_win32(p.win32.last_error))
    return EOF


def flush_stdout_checked(p) -> bool:
    """flush_stdout, telling whether the write went through (fclose and fflush report it:
    errno as _write sets it, and stdout's error flag)."""
    from .crterrno import errno_of_win32, set_errno
    buf = _stdout_buffer(p)
    if not buf:
        return True
    data = bytes(buf)
    buf.clear()
    if _nt_write(p, 1, data) >= 0:
        return True
    set_errno(p, errno_of_win32(p.win32.last_error))
    _, entry = stream_state(p, _crt(p)["_iob"] + FILE_SIZE[abi.word(p)])
    if entry is not None:
        entry["error"] = True
    return False


def sys_msvcrt__flushall(p):
    """Every stream flushed (output buffers written, read-ahead let go); the number of
    open streams (the standard ones fclose left and those fopen made)."""
    iob, size = _crt(p)["_iob"], FILE_SIZE[abi.word(p)]
    flush_all(p)
    fds = [fd for fd in (_stream_fd(p, iob + size * i) for i in range(3)) if fd is not None]
    fds += [abi.fd_of_handle(entry["handle"]) for entry in p.win32.files.values()]
    for fd in fds:
        give_back(p, fd)
    return len(fds)


def sys_msvcrt_malloc(p, size):
    return p.win32.heap.alloc(size)


def sys_msvcrt_calloc(p, count, size):
    return p.win32.heap.alloc(count * size, zero=True)


def sys_msvcrt_realloc(p, block, size):
    return p.win32.heap.realloc(block, size)


def sys_msvcrt_free(p, block):
    p.win32.heap.free(block)
    return 0


def sys_msvcrt_memcpy(p, dest, src, count):
    p.mm.write(dest, p.mm.read(src, count))
    return dest


def sys_msvcrt_memset(p, dest, c, count):
    """Checked first (a wild count faults at once), then filled a piece at a time: a
    gigabyte memset holds no gigabyte of host memory."""
    from .guestmem import check_writable, fill
    check_writable(p, dest, count)
    byte = bytes([c & 0xFF])
    fill(p, dest, count, lambda n: byte * n)
    return dest


def sys_msvcrt_memcmp(p, a, b, count):
    x, y = p.mm.read(a, count), p.mm.read(b, count)
    return (x > y) - (x < y)


def sys_msvcrt_strlen(p, s):
    return len(p.mm.read_cstr(s, 1 << 30))


def sys_msvcrt_strcmp(p, a, b):
    x, y = p.mm.read_cstr(a, 1 << 30), p.mm.read_cstr(b, 1 << 30)
    return (x > y) - (x < y)


def sys_msvcrt_strncmp(p, a, b, count):
    x = _cstr_prefix(p, a, count)
    y = _cstr_prefix(p, b, count)
    return (x > y) - (x < y)


def _cstr_prefix(p, addr: int, count: int) -> bytes:
    """At most count bytes of a string, up to its NUL: read a page at a time, never past the
    page the NUL is in (as native code reads it), with no limit on the string's length."""
    out = bytearray()
    while len(out) < count:
        at = addr + len(out)
        chunk = p.mm.read(at, min(count - len(out), 0x1000 - (at & 0xFFF)))
        end = chunk.find(b"\0")
        if end >= 0:
            out += chunk[:end]
            break
        out += chunk
    return bytes(out)


NUMBER_PREFIX = 4096     # a number's text is read this far (a longer run of digits: all of it)
NUMBER_CHARS = b" \t\n\r\v\f+-.0123456789abcdefxpinty" + b"ABCDEFXPINTY"


def number_text(p, addr: int) -> bytes:
    """The start of a string a number is parsed from (atoi, strtol, strtod): its first 4 KiB
    -- the rest of a long string (a serialised tree of numbers) plays no part -- or the
    whole string when the prefix is all characters a number may be made of."""
    text = _cstr_prefix(p, addr, NUMBER_PREFIX)
    if len(text) == NUMBER_PREFIX and not text.strip(NUMBER_CHARS):
        text = p.mm.read_cstr(addr, 1 << 30)
    return text


def sys_msvcrt_strchr(p, s, c):
    text = p.mm.read_cstr(s, 1 << 30) + b"\0"
    i = text.find(bytes([c & 0xFF]))
    return s + i if i >= 0 else 0


def sys_msvcrt_strcpy(p, dest, src):
    p.mm.write(dest, p.mm.read_cstr(src, 1 << 30) + b"\0")
    return dest


def sys_msvcrt_strcat(p, dest, src):
    end = dest + len(p.mm.read_cstr(dest, 1 << 30))
    p.mm.write(end, p.mm.read_cstr(src, 1 << 30) + b"\0")
    return dest


def sys_msvcrt_wcslen(p, s):
    n = 0
    while p.mm.read(s + 2 * n, 2) != b"\0\0":
        n += 1
    return n


def sys_msvcrt_atoi(p, s):
    text = number_text(p, s).decode("latin-1").strip()
    digits = ""
    for i, ch in enumerate(text):
        if ch.isdigit() or (i == 0 and ch in "+-"):
            digits += ch
        else:
            break
    try:
        return int(digits) & 0xFFFFFFFF
    except ValueError:
        return 0


def _static_string(p, key: str, text: bytes) -> int:
    cache = p.win32.strings
    if key not in cache:
        addr = p.win32.heap.alloc(len(text) + 1)
        if not addr:
            return 0             # no room in the heap: NULL, as the CRT's allocation fails
        p.mm.write(addr, text + b"\0")
        cache[key] = addr
    return cache[key]


def sys_msvcrt_strerror(p, errnum):
    from .crterrno import message
    return _static_string(p, f"err{errnum & 0xFFFFFFFF}", message(errnum).encode())


CHAR_MAX = 127       # an lconv char field's "not available in this locale"


# The C runtime's locale categories (LC_ALL asks for all of them).
LC_ALL, LC_COLLATE, LC_CTYPE, LC_MONETARY, LC_NUMERIC, LC_TIME = range(6)
CATEGORY_NAMES = ("LC_COLLATE", "LC_CTYPE", "LC_MONETARY", "LC_NUMERIC", "LC_TIME")
USER_DEFAULT = "English_United States.1252"    # what "" means: the machine's language
# en-US's numeric and monetary conventions, as Windows' UCRT gives them.
EN_US_NUMERIC = {"decimal_point": ".", "thousands_sep": ",", "grouping": "\x03"}
EN_US_MONETARY = {"int_curr_symbol": "USD", "currency_symbol": "$", "mon_decimal_point": ".",
                  "mon_thousands_sep": ",", "mon_grouping": "\x03", "positive_sign": "",
                  "negative_sign": "-"}
EN_US_MONETARY_CHARS = (2, 2, 1, 0, 1, 0, 3, 0)   # frac digits, precedes/space, sign places
LCONV_STRINGS = ("decimal_point", "thousands_sep", "grouping", "int_curr_symbol",
                 "currency_symbol", "mon_decimal_point", "mon_thousands_sep", "mon_grouping",
                 "positive_sign", "negative_sign")
LCONV_WIDE = ("decimal_point", "thousands_sep", "int_curr_symbol", "currency_symbol",
              "mon_decimal_point", "mon_thousands_sep", "positive_sign", "negative_sign")


def _categories(p) -> dict:
    """Each category's locale name (all "C" at start, as a C program's are)."""
    return p.win32.strings.setdefault("locale categories", {c: "C" for c in CATEGORY_NAMES})


def sys_msvcrt_localeconv(p):
    """struct lconv as the UCRT lays it out: ten char*, eight char fields, then eight
    wchar_t* (CPython reads _W_decimal_point and _W_thousands_sep). The C locale's for a
    category in "C" ("." and the rest empty or CHAR_MAX), en-US's for one in English."""
    names = _categories(p)
    numeric, monetary = names["LC_NUMERIC"] != "C", names["LC_MONETARY"] != "C"
    key = f"lconv {int(numeric)}{int(monetary)}"
    cache = p.win32.strings
    if key not in cache:
        values = {name: "" for name in LCONV_STRINGS}
        values["decimal_point"] = "."
        values.update(EN_US_NUMERIC if numeric else {})
        values.update(EN_US_MONETARY if monetary else {})
        chars = EN_US_MONETARY_CHARS if monetary else (CHAR_MAX,) * 8
        w = abi.word(p)
        lconv = p.win32.heap.alloc(w * 18 + 8, zero=True)
        if not lconv:
            return 0
        for i, name in enumerate(LCONV_STRINGS):
            text = values[name].encode("latin-1")
            abi.write_ptr(p, lconv + w * i, _static_string(p, "lc " + values[name], text))
        p.mm.write(lconv + w * 10, bytes(chars))
        for i, name in enumerate(LCONV_WIDE):
            text = values[name].encode("utf-16-le") + b"\0"
            abi.write_ptr(p, lconv + w * 10 + 8 + w * i,
                          _static_string(p, "lcw " + values[name], text))
        cache[key] = lconv
    return cache[key]


def _locale_name(name: str) -> str | None:
    """What setlocale sets for a name: the C locale for "C" and "POSIX", the machine's
    language (en-US) for "" and a bare code page, English names as given, and nothing
    (NULL) for any other language, whose conventions are not here."""
    if name in ("C", "POSIX"):
        return "C"
    if name == "":
        return USER_DEFAULT
    low = name.lower()
    if low.startswith("."):                     # a code page of the user's language
        page = low[1:].replace("-", "")
        return USER_DEFAULT if page in ("1252", "acp", "ocp") else \
            "English_United States." + ("utf8" if page == "utf8" else name[1:])
    if low.startswith(("en", "english", "american")):
        return name
    return None


def _set_locale(p, category: int, name: str | None) -> str | None:
    """Set a category (LC_ALL: every one) and return setlocale's answer; a query when name
    is None. None when the category or the name is not one the C runtime accepts."""
    names = _categories(p)
    if not 0 <= category <= LC_TIME:
        return None
    chosen = CATEGORY_NAMES if category == LC_ALL else (CATEGORY_NAMES[category - 1],)
    if name is not None and category == LC_ALL and "=" in name:
        # what setlocale(LC_ALL, NULL) gave for a mixed state, given back to restore it
        parts = dict(part.partition("=")[::2] for part in name.split(";") if part)
        locales = {c: _locale_name(v) for c, v in parts.items() if c in CATEGORY_NAMES}
        if not locales or None in locales.values():
            return None
        names.update(locales)
        name = None
    if name is not None:
        locale = _locale_name(name)
        if locale is None:
            return None
        for c in chosen:
            names[c] = locale
    values = [names[c] for c in chosen]
    if len(set(values)) == 1:
        return values[0]
    return ";".join(f"{c}={names[c]}" for c in CATEGORY_NAMES)


def sys_msvcrt_setlocale(p, category, locale):
    name = _set_locale(p, category, p.mm.read_cstr(locale).decode("latin-1") if locale else None)
    if name is None:
        return 0
    return _static_string(p, "setlocale " + name, name.encode("latin-1", "replace"))


def sys_msvcrt__wsetlocale(p, category, locale):
    """setlocale with UTF-16 names (msvcp140 14.5x sets its locale so at load)."""
    from .wide import read_wstr
    name = _set_locale(p, category, read_wstr(p, locale) if locale else None)
    if name is None:
        return 0
    return _static_string(p, "wsetlocale " + name, name.encode("utf-16-le") + b"\0\0")


def _stream_write(p, stream: int, data: bytes) -> int:
    """A write through a stream, gathered in its buffer when it is over a file: the count,
    or -1 -- a failed write sets the stream's error flag, which ferror reports until
    clearerr."""
    fd, entry = stream_state(p, stream)
    if fd is None:
        return -1
    size = write_size(p, fd, entry) if data else 0
    n = write_stream(p, fd, data, size) if size else _write_fd(p, fd, data)
    if n < 0:
        entry["error"] = True
    return n


def sys_msvcrt_fwrite(p, buffer, size, count, stream):
    total = size * count
    if total == 0:
        return 0
    return count if _stream_write(p, stream, p.mm.read(buffer, total)) == total else 0


def sys_msvcrt_fputc(p, c, stream):
    return c & 0xFF if _stream_write(p, stream, bytes([c & 0xFF])) == 1 else EOF


def sys_msvcrt_putchar(p, c):
    fd = _stdout_fd(p)
    return c & 0xFF if fd is not None and _write_fd(p, fd, bytes([c & 0xFF])) == 1 else EOF


def sys_msvcrt_puts(p, s):
    fd = _stdout_fd(p)
    if fd is None:
        return EOF
    return 0 if _write_fd(p, fd, p.mm.read_cstr(s, 1 << 30) + b"\n") >= 0 else EOF


def sys_msvcrt_fputs(p, s, stream):
    return 0 if _stream_write(p, stream, p.mm.read_cstr(s, 1 << 30)) >= 0 else EOF


def _print(p, fd, fmt, args) -> int:
    data = format_guest(p, p.mm.read_cstr(fmt, 1 << 20), args)
    return _write_fd(p, fd, data) if fd is not None else -1


def sys_msvcrt_printf(p, format):
    return _print(p, _stdout_fd(p), format, CallArgs(p, 1)) & 0xFFFFFFFF


def _fprint(p, stream, fmt, args) -> int:
    """fprintf's count, or -1 (a stream that is not open; a write that failed)."""
    if _stream_fd(p, stream) is None:
        return -1
    return _stream_write(p, stream, format_guest(p, p.mm.read_cstr(fmt, 1 << 20), args))


def sys_msvcrt_fprintf(p, stream, format):
    return _fprint(p, stream, format, CallArgs(p, 2)) & 0xFFFFFFFF


def sys_msvcrt_vfprintf(p, stream, format, args):
    return _fprint(p, stream, format, VaList(p, args)) & 0xFFFFFFFF


def sys_msvcrt_vprintf(p, format, args):
    return _print(p, _stdout_fd(p), format, VaList(p, args)) & 0xFFFFFFFF


def sys_msvcrt_sprintf(p, buffer, format):
    data = format_guest(p, p.mm.read_cstr(format, 1 << 20), CallArgs(p, 2))
    p.mm.write(buffer, data + b"\0")
    return len(data)


def sys_msvcrt___iob_func(p):
    return _crt(p)["_iob"]


def sys_msvcrt____mb_cur_max_func(p):
    return 1


def sys_msvcrt___p___mb_cur_max(p):
    """Where __mb_cur_max is kept (1: the C locale's characters are single bytes)."""
    return _crt(p)["__mb_cur_max"]


def sys_msvcrt_getchar(p):
    from .stdlib import sys_msvcrt_fgetc
    return sys_msvcrt_fgetc(p, _crt(p)["_iob"])


def _read_fd(p, fd: int, n: int) -> bytes:
    """_read's bytes: what a stream over fd took and did not give out comes first (ungetc's,
    read-ahead), then the descriptor's -- for a pipe or terminal only when none were held,
    as a read that waits after taking some would lose them when it restarts."""
    flush_for(p, fd)
    pushed = p.win32.pushback.get(fd)
    if not pushed:
        return nt_read(p, fd, n)
    data = bytes(pushed[:n])
    del pushed[:n]
    if n > len(data) and is_regular_file(p, fd):
        data += nt_read(p, fd, n - len(data))
    return data


def sys_msvcrt_fgets(p, buffer, n, stream):
    """A line (at most n-1 bytes), read as the stream is buffered (crtstream.py): a file a
    buffer at a time, a pipe or terminal a byte at a time, so nothing after the line is
    taken from it. The end of the input sets the stream's end-of-file flag."""
    from .stdlib import _file
    fd, entry = _file(p, stream)
    n = (n & 0xFFFFFFFF) - ((n & 0x80000000) << 1)          # an int
    if fd is None or n <= 0:
        return 0
    line = read_stream(p, fd, entry, n - 1, line=True)
    if not line:
        return 0
    p.mm.write(buffer, line + b"\0")
    return buffer


def sys_msvcrt___strncnt(p, string, count):
    """The UCRT's internal strnlen (the C++ library's)."""
    return sys_msvcrt_strnlen(p, string, count)


def sys_msvcrt_strnlen(p, s, maxlen):
    """strnlen: the length, reading no further than maxlen bytes."""
    maxlen = min(maxlen & ((1 << p.sysvec.word_bits) - 1), 1 << 30)
    if not maxlen:
        return 0
    try:
        return len(p.mm.read_cstr(s, maxlen))
    except KernelError:       # no NUL in the first maxlen bytes (a bad address is a Fault)
        return maxlen
