"""The Universal CRT (ucrtbase.dll, reached through the api-ms-win-crt-* contracts) where it
differs from msvcrt: the start-up calls of MSVC 2015+ programs (argv and environment set up
on request and read through __p_ accessors, onexit tables, app type and modes), stdio through
__acrt_iob_func and the __stdio_common_v* entry points (the same printf engine, with the
UCRT's option bits), and vcruntime140's few calls of its own. Everything msvcrt has,
ucrtbase.dll and vcruntime140.dll export too (compiler/emit_dll.py DLL_EXTENDS)."""
from __future__ import annotations

from ..nt import abi
from .crterrno import EILSEQ, ERANGE
from .crtdata import FILE_SIZE
from .msvcrt import _crt, _fprint, _stream_write, stream_state, sys_msvcrt___getmainargs
from .printf import CallArgs, VaList, format_guest

# __stdio_common_vsprintf's options (corecrt_stdio_config.h)
LEGACY_VSPRINTF_NULL_TERMINATION, STANDARD_SNPRINTF_BEHAVIOR = 0x1, 0x2
EXCEPTION_CONTINUE_SEARCH = 0


def _ensure_args(p) -> None:
    """argv, the environment and their globals, built once (msvcrt's __getmainargs does)."""
    if not p.win32.ucrt_args:
        scratch = p.win32.scratch
        w = abi.word(p)
        sys_msvcrt___getmainargs(p, scratch, scratch + w, scratch + 2 * w, 0, 0)
        p.win32.ucrt_args = True


def sys_ucrtbase__configure_narrow_argv(p, mode):
    _ensure_args(p)
    return 0


def sys_ucrtbase__initialize_narrow_environment(p):
    _ensure_args(p)
    return 0


def sys_ucrtbase__get_initial_narrow_environment(p):
    _ensure_args(p)
    return abi.read_ptr(p, _crt(p)["__initenv"])


def _wide_vector(p, items: list[str]) -> int:
    w, heap = abi.word(p), p.win32.heap
    vec = heap.alloc(w * (len(items) + 1))
    for i, item in enumerate(items):
        data = item.encode("utf-16-le") + b"\0\0"
        s = heap.alloc(len(data))
        p.mm.write(s, data)
        abi.write_ptr(p, vec + w * i, s)
    abi.write_ptr(p, vec + w * len(items), 0)
    return vec


def _wide_slot(p, name: str, build) -> int:
    """A heap word holding a wide vector's address, made once (the __p___wargv kind)."""
    slots = p.win32.ucrt_wide
    if name not in slots:
        slot = p.win32.heap.alloc(abi.word(p))
        abi.write_ptr(p, slot, build())
        slots[name] = slot
    return slots[name]


def sys_ucrtbase___p___wargv(p):
    from .msvcrt import crt_argv
    return _wide_slot(p, "wargv", lambda: _wide_vector(p, crt_argv(p)))


def sys_ucrtbase___p__wenviron(p):
    env = [f"{k}={v}" for k, v in p.win32.env.items()]
    return _wide_slot(p, "wenviron", lambda: _wide_vector(p, env))


def sys_msvcrt___wgetmainargs(p, argc, argv, envp, dowildcard, startinfo):
    """msvcrt's wide __getmainargs (a wmain program's start code): the wide argv and
    environment, kept in __wargv and __winitenv too."""
    vec = abi.read_ptr(p, sys_ucrtbase___p___wargv(p))
    env = abi.read_ptr(p, sys_ucrtbase___p__wenviron(p))
    p.mm.write_u32(argc, len(p.argv))
    abi.write_ptr(p, argv, vec)
    abi.write_ptr(p, envp, env)
    crt = _crt(p)
    p.mm.write_u32(crt["__argc"], len(p.argv))
    abi.write_ptr(p, crt["__wargv"], vec)
    abi.write_ptr(p, crt["__winitenv"], env)
    return 0


def sys_msvcrt___p__wcmdln(p):
    return _crt(p)["_wcmdln"]


def sys_msvcrt___p___winitenv(p):
    return _crt(p)["__winitenv"]


# msvcrt's wide printf family: its %s is a wide string in them (the legacy specifiers)

def _wide_print(p, stream, format, args) -> int:
    from .printf import format_text
    from .wide import read_wstr
    if stream_state(p, stream)[0] is None:
        return 0xFFFFFFFF
    return _wide_out(p, stream, format_text(p, read_wstr(p, format), args, True)) \
        & 0xFFFFFFFF


def _stdout(p) -> int:
    """stdout's FILE (_iob's second)."""
    return _crt(p)["_iob"] + FILE_SIZE[abi.word(p)]


def sys_msvcrt_fwprintf(p, stream, format):
    return _wide_print(p, stream, format, CallArgs(p, 2))


def sys_msvcrt_vfwprintf(p, stream, format, args):
    return _wide_print(p, stream, format, VaList(p, args))


def sys_msvcrt_wprintf(p, format):
    return _wide_print(p, _stdout(p), format, CallArgs(p, 1))


def sys_msvcrt_vwprintf(p, format, args):
    return _wide_print(p, _stdout(p), format, VaList(p, args))


def _wide_to_buffer(p, buffer, count, text: str) -> int:
    """_snwprintf: the length if it fits (NUL added), else -1 with count characters."""
    data = text.encode("utf-16-le", errors="surrogatepass")
    chars = len(data) // 2
    if chars < count:
        p.mm.write(buffer, data + b"\0\0")
        return chars
    if count:
        p.mm.write(buffer, data[:2 * count])
    return 0xFFFFFFFF


def sys_msvcrt__snwprintf(p, buffer, count, format):
    from .printf import format_text
    from .wide import read_wstr
    return _wide_to_buffer(p, buffer, count,
                           format_text(p, read_wstr(p, format), CallArgs(p, 3), True))


def sys_msvcrt__vscwprintf(p, format, args):
    """The wide characters the formatted text would take, without its NUL."""
    from .printf import format_text
    from .wide import read_wstr
    return len(format_text(p, read_wstr(p, format), VaList(p, args), True))


def sys_msvcrt__scwprintf(p, format):
    from .printf import format_text
    from .wide import read_wstr
    return len(format_text(p, read_wstr(p, format), CallArgs(p, 1), True))


def sys_msvcrt__vsnwprintf(p, buffer, count, format, args):
    from .printf import format_text
    from .wide import read_wstr
    return _wide_to_buffer(p, buffer, count,
                           format_text(p, read_wstr(p, format), VaList(p, args), True))


def sys_ucrtbase__get_initial_wide_environment(p):
    return abi.read_ptr(p, sys_ucrtbase___p__wenviron(p))


def sys_ucrtbase__configure_wide_argv(p, mode):
    sys_ucrtbase___p___wargv(p)
    return 0


def sys_ucrtbase__initialize_wide_environment(p):
    sys_ucrtbase___p__wenviron(p)
    return 0


def sys_ucrtbase___p__environ(p):
    _ensure_args(p)
    return _crt(p)["__initenv"]


def sys_ucrtbase___p___argc(p):
    _ensure_args(p)
    return _crt(p)["__argc"]


def sys_ucrtbase___p___argv(p):
    _ensure_args(p)
    return _crt(p)["__argv"]


def sys_ucrtbase__set_new_mode(p, newhandlermode):
    old = p.win32.new_mode
    p.win32.new_mode = newhandlermode
    return old


def sys_ucrtbase__set_fmode(p, mode):
    p.mm.write_u32(_crt(p)["_fmode"], mode)
    return 0


def sys_ucrtbase__configthreadlocale(p, flag):
    return 2   # _DISABLE_PER_THREAD_LOCALE: one locale for the process


def sys_ucrtbase__set_invalid_parameter_handler(p, handler):
    old = p.win32.invalid_parameter_handler
    p.win32.invalid_parameter_handler = handler
    return old


def sys_ucrtbase__set_thread_local_invalid_parameter_handler(p, handler):
    """This thread's handler, over the process's (CPython suppresses the CRT's checks around
    its own calls so)."""
    handlers = p.win32.thread_local("invalid_parameter", dict)
    old = handlers.get("handler", 0)
    handlers["handler"] = handler
    return old


def sys_ucrtbase__get_thread_local_invalid_parameter_handler(p):
    return p.win32.thread_local("invalid_parameter", dict).get("handler", 0)


def sys_ucrtbase___doserrno(p):
    """The address of _doserrno: the Win32 error behind the last errno the CRT set."""
    return _crt(p)["_doserrno"]


def sys_ucrtbase___sys_nerr(p):
    return _crt(p)["_sys_nerr"]


def sys_ucrtbase___sys_errlist(p):
    return _crt(p)["_sys_errlist"]


FLT_ROUNDS_OF_RC = {0: 1, 1: 3, 2: 2, 3: 0}     # MXCSR rounding control -> FLT_ROUNDS


def sys_ucrtbase___fpe_flt_rounds(p):
    """FLT_ROUNDS: the current rounding direction (1, to nearest, unless changed)."""
    from unicorn import x86_const as X
    return FLT_ROUNDS_OF_RC[(p.engine.uc.reg_read(X.UC_X86_REG_MXCSR) >> 13) & 3]


def _winmain_command_line(text: str) -> str:
    """What WinMain gets: the command line after the program's name (quoted or not) and the
    blanks that follow it."""
    if text.startswith('"'):
        end = text.find('"', 1)
        rest = text[end + 1:] if end >= 0 else ""
    else:
        cut = [i for i in (text.find(" "), text.find("\t")) if i >= 0]
        rest = text[min(cut):] if cut else ""
    return rest.lstrip(" \t")


def sys_ucrtbase__get_wide_winmain_command_line(p):
    from .wide import read_wstr
    cache = p.win32.thread_local("winmain_line", dict)      # (made once, kept for the caller)
    if "w" not in cache:
        text = _winmain_command_line(read_wstr(p, p.win32.command_line_w))
        data = (text + "\0").encode("utf-16-le")
        cache["w"] = p.win32.heap.alloc(len(data))
        p.mm.write(cache["w"], data)
    return cache["w"]


def sys_ucrtbase__get_narrow_winmain_command_line(p):
    cache = p.win32.thread_local("winmain_line", dict)
    if "a" not in cache:
        text = _winmain_command_line(p.mm.read_cstr(p.win32.command_line_a).decode("latin-1"))
        data = text.encode("latin-1") + b"\0"
        cache["a"] = p.win32.heap.alloc(len(data))
        p.mm.write(cache["a"], data)
    return cache["a"]


# --- onexit tables -------------------------------------------------------------------------
# The program's functions run when it exits (msvcrt's atexit list); the table in guest memory
# is kept empty, so the runtime's own _execute_onexit_table has nothing left to run twice.

def sys_ucrtbase__initialize_onexit_table(p, table):
    p.mm.write(table, b"\0" * 3 * abi.word(p))
    return 0


def sys_ucrtbase__register_onexit_function(p, table, function):
    p.win32.atexit.append(function)
    return 0


def sys_ucrtbase__execute_onexit_table(p, table):
    return 0


def sys_ucrtbase__crt_atexit(p, function):
    p.win32.atexit.append(function)
    return 0


def sys_ucrtbase__register_thread_local_exe_atexit_callback(p, callback):
    """The exe's destructor of thread_local objects, called like a TLS callback: each thread
    that ends runs it with DLL_THREAD_DETACH (threads.py), as the image's own callbacks."""
    if callback and callback not in p.win32.tls_callbacks:
        p.win32.tls_callbacks = [*p.win32.tls_callbacks, callback]
    return 0


def sys_ucrtbase__crt_at_quick_exit(p, function):
    return 0


def sys_ucrtbase__seh_filter_exe(p, ExceptionNum, ExceptionPtr):
    return EXCEPTION_CONTINUE_SEARCH   # no signal handler takes structured exceptions here


sys_ucrtbase__seh_filter_dll = sys_ucrtbase__seh_filter_exe   # a DLL's CRT start-up filter


# --- stdio ---------------------------------------------------------------------------------

def sys_ucrtbase___acrt_iob_func(p, index):
    return _crt(p)["_iob"] + FILE_SIZE[abi.word(p)] * (index & 0xFFFFFFFF)


def sys_ucrtbase___stdio_common_vfprintf(p, options, stream, format, locale, arglist):
    return _fprint(p, stream, format, VaList(p, arglist)) & 0xFFFFFFFF


def sys_ucrtbase___stdio_common_vsprintf(p, options, buffer, count, format, locale, arglist):
    """snprintf and friends: the C99 behaviour (the full length, truncated and terminated)
    when asked for, else the legacy one (-1 when it does not fit)."""
    data = format_guest(p, p.mm.read_cstr(format, 1 << 20), VaList(p, arglist))
    if options & STANDARD_SNPRINTF_BEHAVIOR or not buffer:
        if buffer and count:
            p.mm.write(buffer, data[:count - 1] + b"\0")
        return len(data)
    if len(data) < count:
        p.mm.write(buffer, data + b"\0")
        return len(data)
    if count:
        cut = data[:count] if options & LEGACY_VSPRINTF_NULL_TERMINATION else \
            data[:count - 1] + b"\0"
        p.mm.write(buffer, cut)
    return 0xFFFFFFFF


def sys_ucrtbase___stdio_common_vsprintf_s(p, options, buffer, count, format, locale, arglist):
    data = format_guest(p, p.mm.read_cstr(format, 1 << 20), VaList(p, arglist))
    if len(data) >= count:
        if buffer and count:
            p.mm.write(buffer, b"\0")
        return 0xFFFFFFFF
    p.mm.write(buffer, data + b"\0")
    return len(data)


# --- the wide printf family -----------------------------------------------------------------

LEGACY_WIDE_SPECIFIERS = 0x4      # %s and %c of a wide format take wide arguments (MSVC's default)
WEOF = 0xFFFF


def _wide_text(p, options, format, arglist) -> str:
    from .printf import format_text
    from .wide import read_wstr
    return format_text(p, read_wstr(p, format), VaList(p, arglist),
                       bool(options & LEGACY_WIDE_SPECIFIERS))


def sys_ucrtbase___stdio_common_vswprintf(p, options, buffer, count, format, locale, arglist):
    """swprintf and friends, counting in wide characters as their narrow twins count bytes."""
    data = _wide_text(p, options, format, arglist).encode("utf-16-le")
    chars = len(data) // 2
    if options & STANDARD_SNPRINTF_BEHAVIOR or not buffer:
        if buffer and count:
            p.mm.write(buffer, data[:2 * (count - 1)] + b"\0\0")
        return chars
    if chars < count:
        p.mm.write(buffer, data + b"\0\0")
        return chars
    if count:
        cut = data[:2 * count] if options & LEGACY_VSPRINTF_NULL_TERMINATION else \
            data[:2 * (count - 1)] + b"\0\0"
        p.mm.write(buffer, cut)
    return 0xFFFFFFFF


def sys_ucrtbase___stdio_common_vswprintf_s(p, options, buffer, count, format, locale, arglist):
    data = _wide_text(p, options, format, arglist).encode("utf-16-le")
    if len(data) // 2 >= count:
        if buffer and count:
            p.mm.write(buffer, b"\0\0")
        return 0xFFFFFFFF
    p.mm.write(buffer, data + b"\0\0")
    return len(data) // 2


def _wide_out(p, stream, text: str) -> int:
    """Wide characters through a stream as its descriptor's translation mode says: UTF-16
    or UTF-8 for the Unicode modes, else the C locale's single bytes. Returns the
    characters written, -1."""
    from .crtio import _O_U16TEXT, _O_U8TEXT, _O_WTEXT
    fd, _ = stream_state(p, stream)
    mode = p.win32.fd_modes.get(fd)
    if mode in (_O_U16TEXT, _O_WTEXT):
        data = text.encode("utf-16-le", errors="surrogatepass")
    elif mode == _O_U8TEXT:
        data = text.encode("utf-8", errors="replace")
    else:
        data = text.encode("latin-1", errors="replace")
    if fd is None or (data and _stream_write(p, stream, data) < 0):
        return -1
    return len(text)


def sys_ucrtbase___stdio_common_vfwprintf(p, options, stream, format, locale, arglist):
    return _wide_out(p, stream, _wide_text(p, options, format, arglist)) & 0xFFFFFFFF


def sys_msvcrt_fputwc(p, wc, stream):
    ch = chr(wc & 0xFFFF)
    return wc & 0xFFFF if _wide_out(p, stream, ch) == 1 else WEOF


# --- conversion and time basics ------------------------------------------------------------
# The C locale's multibyte characters are single bytes (code page 1252 characters as their
# own code points, as latin-1 decodes them).

def sys_ucrtbase_mbrtowc(p, pwc, s, n, ps):
    if not s:
        return 0
    if n == 0:
        return 2**64 - 2 if abi.word(p) == 8 else 0xFFFFFFFE   # (size_t)-2: incomplete
    c = p.mm.read(s, 1)[0]
    if pwc:
        p.mm.write(pwc, c.to_bytes(2, "little"))
    return 0 if c == 0 else 1


def sys_ucrtbase_wcrtomb(p, s, wc, ps):
    if not s:
        return 1
    wc &= 0xFFFF
    if wc > 0xFF:
        p.mm.write_u32(_crt(p)["errno"], EILSEQ)
        return 2**64 - 1 if abi.word(p) == 8 else 0xFFFFFFFF
    p.mm.write(s, bytes([wc]))
    return 1


def _time_globals(p) -> dict:
    """_daylight, _timezone and _tzname for UTC, made once: _tzname points at two 64-byte
    buffers holding the zone's names as GetTimeZoneInformation gives them ("Coordinated
    Universal Time"), which the UCRT's tzset copies there."""
    from .crtdata import TZNAME_SIZE
    from .kernel32_timezone import zone_names
    g = p.win32.ucrt_time
    if g is None:
        w, heap = abi.word(p), p.win32.heap
        block = heap.alloc(8 + 2 * w + 2 * TZNAME_SIZE + 4)
        p.mm.write(block, b"\0" * 8)                      # _daylight = 0, _timezone = 0
        names = block + 8 + 2 * w
        for i, name in enumerate(zone_names()):
            at = names + i * TZNAME_SIZE
            p.mm.write(at, name.encode("latin-1")[:TZNAME_SIZE - 1].ljust(TZNAME_SIZE, b"\0"))
            abi.write_ptr(p, block + 8 + i * w, at)
        dstbias = names + 2 * TZNAME_SIZE
        p.mm.write(dstbias, b"\0" * 4)        # _dstbias: 0, as tzset leaves it with no DST
        g = p.win32.ucrt_time = {"daylight": block, "timezone": block + 4, "tzname": block + 8,
                                 "dstbias": dstbias}
    return g


def sys_ucrtbase___daylight(p):
    return _time_globals(p)["daylight"]


def sys_ucrtbase___timezone(p):
    return _time_globals(p)["timezone"]


def sys_ucrtbase___dstbias(p):
    return _time_globals(p)["dstbias"]


def _get_long(p, out: int, value: int) -> int:
    """The _get_* accessors: the value through a pointer, errno_t as the result."""
    if not out:
        return 22          # EINVAL
    p.mm.write_u32(out, value & 0xFFFFFFFF)
    return 0


def sys_ucrtbase__get_timezone(p, seconds):
    return _get_long(p, seconds, p.mm.read_u32(_time_globals(p)["timezone"]))


def sys_ucrtbase__get_daylight(p, hours):
    return _get_long(p, hours, p.mm.read_u32(_time_globals(p)["daylight"]))


def sys_ucrtbase__get_dstbias(p, seconds):
    return _get_long(p, seconds, 0)      # UTC: no daylight saving


def sys_ucrtbase___tzname(p):
    return _time_globals(p)["tzname"]


def sys_ucrtbase__get_tzname(p, pReturnValue, timeZoneName, sizeInBytes, index):
    """The standard (index 0) or daylight (1) time zone's name, as _tzname has it; its
    size with the NUL in *pReturnValue; EINVAL for another index, ERANGE when it does not
    fit."""
    if not pReturnValue or index not in (0, 1) or (not timeZoneName and sizeInBytes):
        return 22                                            # EINVAL
    names = abi.read_ptr(p, _time_globals(p)["tzname"] + index * abi.word(p))
    name = p.mm.read_cstr(names, 64) + b"\0"
    abi.write_ptr(p, pReturnValue, len(name))
    if not timeZoneName:
        return 0
    if sizeInBytes < len(name):
        return 34                                            # ERANGE
    p.mm.write(timeZoneName, name)
    return 0


def sys_ucrtbase__tzset(p):
    return 0   # the machine's time zone is UTC


# --- vcruntime140 ----------------------------------------------------------------------------

def sys_vcruntime140___current_exception(p):
    """The address of this thread's current-exception slot (the C++ runtime's)."""
    slot = p.win32.thread_local("current_exception", lambda: p.win32.heap.alloc(2 * abi.word(p)))
    return slot


def sys_vcruntime140___current_exception_context(p):
    return sys_vcruntime140___current_exception(p) + abi.word(p)


def sys_vcruntime140___std_exception_copy(p, src, dst):
    """std::exception's what() string, copied when it owns it (_DoFree)."""
    w = abi.word(p)
    what = abi.read_ptr(p, src)
    do_free = p.mm.read(src + w, 1)[0]
    if do_free and what:
        text = p.mm.read_cstr(what, 1 << 16) + b"\0"
        copy = p.win32.heap.alloc(len(text))
        p.mm.write(copy, text)
        abi.write_ptr(p, dst, copy)
        p.mm.write(dst + w, b"\1")
    else:
        abi.write_ptr(p, dst, what)
        p.mm.write(dst + w, b"\0")
    return 0


def sys_vcruntime140___std_exception_destroy(p, data):
    w = abi.word(p)
    if p.mm.read(data + w, 1)[0]:
        p.win32.heap.free(abi.read_ptr(p, data))
    abi.write_ptr(p, data, 0)
    p.mm.write(data + w, b"\0")
    return 0


def sys_vcruntime140___std_type_info_destroy_list(p, root):
    return 0   # type names are never cached here


def sys_vcruntime140__purecall(p):
    from .msvcrt import _write_fd, sys_msvcrt_abort
    _write_fd(p, 2, b"R6025\r\n- pure virtual function call\r\n")
    return sys_msvcrt_abort(p)


# __crt_stdio_stream_data's first fields: _ptr, _base, _cnt (x64: 0, 8, 16; i386: 0, 4, 8)
def sys_ucrtbase__get_stream_buffer_pointers(p, stream, base, ptr, count):
    """Where a FILE keeps its buffer pointers and count, for the STL's basic_filebuf to share.
    sysvec's streams buffer on the host, so these stay null and zero and the STL calls the
    stdio functions for every character."""
    w = abi.word(p)
    for out, offset in ((ptr, 0), (base, w), (count, 2 * w)):
        if out:
            abi.write_ptr(p, out, stream + offset)
    return 0


TRUNCATE = (1 << 64) - 1   # _TRUNCATE: (size_t)-1


def sys_ucrtbase___stdio_common_vsnprintf_s(p, options, buffer, sizeOfBuffer, count, format,
                                            locale, arglist):
    """_vsnprintf_s: at most count characters (or, with _TRUNCATE, what fits) and a NUL in a
    buffer of sizeOfBuffer; -1 when the text was cut, and when it cannot fit at all an empty
    buffer and ERANGE (the invalid-parameter path, not taken further here)."""
    mask = (1 << p.sysvec.word_bits) - 1
    size, count = sizeOfBuffer & mask, count & mask
    if count == mask:
        count = TRUNCATE
    data = format_guest(p, p.mm.read_cstr(format, 1 << 20), VaList(p, arglist))
    if not buffer or not size:
        return 0xFFFFFFFF
    if len(data) <= count and len(data) < size:
        p.mm.write(buffer, data + b"\0")
        return len(data)
    if count == TRUNCATE or count < size:
        p.mm.write(buffer, data[:min(count, size - 1)] + b"\0")
        return 0xFFFFFFFF
    p.mm.write(buffer, b"\0")
    p.mm.write_u32(_crt(p)["errno"], ERANGE)
    return 0xFFFFFFFF
