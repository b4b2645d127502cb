"""FormatMessage: the system's message table (Windows' English texts for the Win32 and
Winsock errors programs report) and the message formatter, one implementation for the A and W
forms: inserts (%1 .. %99, with a printf format between bangs), %n %0 %% and the other
escapes, FORMAT_MESSAGE_MAX_WIDTH_MASK (line breaks become blanks; a width is not wrapped to),
a caller's buffer or one LocalFree frees.

Rust's io::Error, Go's syscall.Errno, the STL's system_category and gai_strerror print these
texts, so they are Windows' own words ("The system cannot find the file specified.")."""
from __future__ import annotations

import re
import struct

from ..nt import abi
from .wide import read_wstr

FORMAT_MESSAGE_ALLOCATE_BUFFER, FORMAT_MESSAGE_IGNORE_INSERTS = 0x100, 0x200
FORMAT_MESSAGE_FROM_STRING, FORMAT_MESSAGE_FROM_HMODULE = 0x400, 0x800
FORMAT_MESSAGE_FROM_SYSTEM, FORMAT_MESSAGE_ARGUMENT_ARRAY = 0x1000, 0x2000
FORMAT_MESSAGE_MAX_WIDTH_MASK = 0xFF
ERROR_INVALID_PARAMETER, ERROR_INSUFFICIENT_BUFFER = 87, 122
ERROR_MR_MID_NOT_FOUND = 317
MAX_MESSAGE = 0x10000   # a larger result fails, as FormatMessage's 64 KB limit

SYSTEM_MESSAGES = {
    0: "The operation completed successfully.",
    1: "Incorrect function.",
    2: "The system cannot find the file specified.",
    3: "The system cannot find the path specified.",
    4: "The system cannot open the file.",
    5: "Access is denied.",
    6: "The handle is invalid.",
    7: "The storage control blocks were destroyed.",
    8: "Not enough memory resources are available to process this command.",
    9: "The storage control block address is invalid.",
    10: "The environment is incorrect.",
    11: "An attempt was made to load a program with an incorrect format.",
    12: "The access code is invalid.",
    13: "The data is invalid.",
    14: "Not enough memory resources are available to complete this operation.",
    15: "The system cannot find the drive specified.",
    16: "The directory cannot be removed.",
    17: "The system cannot move the file to a different disk drive.",
    18: "There are no more files.",
    19: "The media is write protected.",
    20: "The system cannot find the device specified.",
    21: "The device is not ready.",
    22: "The device does not recognize the command.",
    23: "Data error (cyclic redundancy check).",
    24: "The program issued a command but the command length is incorrect.",
    25: "The drive cannot locate a specific area or track on the disk.",
    29: "The system cannot write to the specified device.",
    30: "The system cannot read from the specified device.",
    31: "A device attached to the system is not functioning.",
    32: "The process cannot access the file because it is being used by another process.",
    33: "The process cannot access the file because another process has locked a portion of "
        "the file.",
    38: "Reached the end of the file.",
    39: "The disk is full.",
    50: "The request is not supported.",
    53: "The network path was not found.",
    55: "The specified network resource or device is no longer available.",
    67: "The network name cannot be found.",
    80: "The file exists.",
    82: "The directory or file cannot be created.",
    87: "The parameter is incorrect.",
    109: "The pipe has been ended.",
    110: "The system cannot open the device or file specified.",
    111: "The file name is too long.",
    112: "There is not enough space on the disk.",
    120: "This function is not supported on this system.",
    121: "The semaphore timeout period has expired.",
    122: "The data area passed to a system call is too small.",
    123: "The filename, directory name, or volume label syntax is incorrect.",
    126: "The specified module could not be found.",
    127: "The specified procedure could not be found.",
    128: "There are no child processes to wait for.",
    131: "An attempt was made to move the file pointer before the beginning of the file.",
    145: "The directory is not empty.",
    161: "The specified path is invalid.",
    170: "The requested resource is in use.",
    183: "Cannot create a file when that file already exists.",
    193: "%1 is not a valid Win32 application.",
    203: "The system could not find the environment option that was entered.",
    206: "The filename or extension is too long.",
    212: "The segment is locked and cannot be reallocated.",
    230: "The pipe state is invalid.",
    231: "All pipe instances are busy.",
    232: "The pipe is being closed.",
    233: "No process is on the other end of the pipe.",
    234: "More data is available.",
    258: "The wait operation timed out.",
    259: "No more data is available.",
    267: "The directory name is invalid.",
    288: "Attempt to release mutex not owned by caller.",
    298: "Too many posts were made to a semaphore.",
    299: "Only part of a ReadProcessMemory or WriteProcessMemory request was completed.",
    317: "The system cannot find message text for message number 0x%1 in the message file "
         "for %2.",
    487: "Attempt to access invalid address.",
    534: "Arithmetic result exceeded 32 bits.",
    535: "There is a process on other end of the pipe.",
    536: "Waiting for a process to open the other end of the pipe.",
    995: "The I/O operation has been aborted because of either a thread exit or an "
         "application request.",
    996: "Overlapped I/O event is not in a signaled state.",
    997: "Overlapped I/O operation is in progress.",
    998: "Invalid access to memory location.",
    1001: "Recursion too deep; the stack overflowed.",
    1004: "Invalid flags.",
    1113: "No mapping for the Unicode character exists in the target multi-byte code page.",
    1168: "Element not found.",
    1223: "The operation was canceled by the user.",
    1314: "A required privilege is not held by the client.",
    1460: "This operation returned because the timeout period expired.",
    1813: "The specified resource type cannot be found in the image file.",
    4390: "The file or directory is not a reparse point.",
    10004: "A blocking operation was interrupted by a call to WSACancelBlockingCall.",
    10009: "The file handle supplied is not valid.",
    10013: "An attempt was made to access a socket in a way forbidden by its access "
           "permissions.",
    10014: "The system detected an invalid pointer address in attempting to use a pointer "
           "argument in a call.",
    10022: "An invalid argument was supplied.",
    10024: "Too many open sockets.",
    10035: "A non-blocking socket operation could not be completed immediately.",
    10036: "A blocking operation is currently executing.",
    10037: "An operation was attempted on a non-blocking socket that already had an "
           "operation in progress.",
    10038: "An operation was attempted on something that is not a socket.",
    10047: "An address incompatible with the requested protocol was used.",
    10048: "Only one usage of each socket address (protocol/network address/port) is "
           "normally permitted.",
    10049: "The requested address is not valid in its context.",
    10050: "A socket operation encountered a dead network.",
    10051: "A socket operation was attempted to an unreachable network.",
    10053: "An established connection was aborted by the software in your host machine.",
    10054: "An existing connection was forcibly closed by the remote host.",
    10057: "A request to send or receive data was disallowed because the socket is not "
           "connected and (when sending on a datagram socket using a sendto call) no "
           "address was supplied.",
    10060: "A connection attempt failed because the connected party did not properly "
           "respond after a period of time, or established connection failed because "
           "connected host has failed to respond.",
    10061: "No connection could be made because the target machine actively refused it.",
    10065: "A socket operation was attempted to an unreachable host.",
    10093: "Either the application has not called WSAStartup, or WSAStartup failed.",
    11001: "No such host is known.",
    11002: "This is usually a temporary error during hostname resolution and means that the "
           "local server did not receive a response from an authoritative server.",
    # COM's HRESULTs (winerror.h's FACILITY_NULL, _RPC, _ITF), which the system table has
    # too: a COM call here that finds no class reports REGDB_E_CLASSNOTREG, and programs
    # print its text (mpv's media keys, the windows crate's Error)
    0x8000FFFF: "Catastrophic failure",
    0x80004001: "Not implemented",
    0x80004002: "No such interface supported",
    0x80004003: "Invalid pointer",
    0x80004004: "Operation aborted",
    0x80004005: "Unspecified error",
    0x80010106: "Cannot change thread mode after it is set.",
    0x80040110: "Class does not support aggregation (or class object is remote)",
    0x80040111: "ClassFactory cannot supply requested class",
    0x80040154: "Class not registered",
    0x800401F0: "CoInitialize has not been called.",
    0x800401F3: "Invalid class string",
}


def system_message(code: int) -> str | None:
    """The system message for a Win32 error (an HRESULT of FACILITY_WIN32 too), with the
    line break Windows' message table ends it with; None when there is none."""
    if code & 0xFFFF0000 == 0x80070000:
        code &= 0xFFFF
    text = SYSTEM_MESSAGES.get(code)
    return None if text is None else text + "\r\n"


# --- the formatter ---------------------------------------------------------------------------

_INSERT = re.compile(r"%(?:([1-9][0-9]?)(?:!([^!]*)!)?|(.))", re.S)


class _Arguments:
    """The inserts' values: an array of words, or a va_list (a pointer to the next word)."""

    def __init__(self, p, arguments: int, array: bool):
        self.p, self.word = p, abi.word(p)
        self.base = arguments if array or not arguments else abi.read_ptr(p, arguments)

    def __getitem__(self, index: int) -> int:
        return abi.read_ptr(self.p, self.base + self.word * index)


def _insert(p, value: int, spec: str, wide: bool) -> str:
    """One insert with its printf format (s when none): strings are read in the call's
    width unless the format says otherwise (S, ls, hs)."""
    spec = spec or "s"
    conv = spec[-1]
    if conv in "sS":
        if not value:
            return "(null)"
        wide_arg = (conv == "S") != wide if "l" not in spec and "h" not in spec else "l" in spec
        return (read_wstr(p, value) if wide_arg
                else p.mm.read_cstr(value, 1 << 16).decode("latin-1"))
    if conv == "c":
        return chr(value & 0xFFFF)
    flags = spec[:-1].replace("l", "").replace("h", "").replace("I64", "").replace("I", "")
    if "*" in flags:
        flags = flags.replace("*", "")
    word = abi.word(p) * 8
    if conv in "di":
        value &= (1 << word) - 1
        value = value - (1 << word) if value >> (word - 1) else value
        if "I64" not in spec and word == 64 and "ll" not in spec:   # a 32-bit int
            value = (value + (1 << 31)) % (1 << 32) - (1 << 31)
    elif conv in "uxXo" and "I64" not in spec and "ll" not in spec:
        value &= 0xFFFFFFFF
    try:
        return ("%" + flags + conv) % value if conv in "diuxXo" else ("%" + spec) % value
    except (TypeError, ValueError):
        return str(value)


# FormatMessage's control escapes; any other escaped character stands for itself
_ESCAPES = {"n": "\r\n", "r": "\r", "t": "\t"}


def format_text(p, template: str, flags: int, args: _Arguments | None, wide: bool) -> str:
    """Expand a message's escapes and inserts; %0 ends the message without its line break."""
    ignore = flags & FORMAT_MESSAGE_IGNORE_INSERTS or args is None
    width = flags & FORMAT_MESSAGE_MAX_WIDTH_MASK
    out, pos = [], 0
    for m in _INSERT.finditer(template):
        text = template[pos:m.start()]
        pos = m.end()
        if width:   # ordinary line breaks become spaces; %n still breaks
            text = text.replace("\r\n", " ").replace("\n", " ")
        out.append(text)
        number, spec, escape = m.groups()
        if number:
            if ignore:
                out.append(m.group(0))
            else:
                out.append(_insert(p, args[int(number) - 1], spec, wide))
        elif escape == "0":
            return "".join(out)
        else:              # %n %r %t, or %% %. %! %space as itself
            out.append(_ESCAPES.get(escape, escape))
    tail = template[pos:]
    if width:
        tail = tail.replace("\r\n", " ").replace("\n", " ")
    out.append(tail)
    return "".join(out)


RT_MESSAGETABLE = 11


def module_message(p, module: int, message_id: int, language: int) -> str | None:
    """A message of a module's RT_MESSAGETABLE resource: MESSAGE_RESOURCE_DATA's blocks of
    IDs, each entry a length, a flag (1: UTF-16) and the text."""
    from ..errors import Fault
    from .resources import resource_data
    found = resource_data(p, module, RT_MESSAGETABLE, 1, language or None)
    if found is None:
        return None
    table, size = found
    try:
        blocks = p.mm.read_u32(table)
        for i in range(min(blocks, 4096)):
            low, high, offset = struct.unpack("<III", p.mm.read(table + 4 + 12 * i, 12))
            if low <= message_id <= high:
                at = table + offset
                for _ in range(message_id - low):
                    at += struct.unpack("<H", p.mm.read(at, 2))[0] or 4
                length, flag = struct.unpack("<HH", p.mm.read(at, 4))
                raw = p.mm.read(at + 4, max(length - 4, 0))
                text = raw.decode("utf-16-le" if flag & 1 else "latin-1", "replace")
                return text.rstrip("\0")
    except Fault:
        return None
    return None


def format_message(p, flags, source, message_id, language_id, buffer, size, arguments,
                   wide: bool) -> int:
    """FormatMessageA/W: the length stored (in characters, not counting the NUL), or 0 with
    the last error set."""
    flags, message_id, size = flags & 0xFFFFFFFF, message_id & 0xFFFFFFFF, size & 0xFFFFFFFF
    if flags & FORMAT_MESSAGE_FROM_STRING:
        if not source:
            p.win32.last_error = ERROR_INVALID_PARAMETER
            return 0
        template = read_wstr(p, source) if wide else \
            p.mm.read_cstr(source, MAX_MESSAGE).decode("latin-1")
    elif flags & (FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_FROM_HMODULE):
        # A module's message table first (lpSource, NULL: the program), then the system's.
        template = module_message(p, source, message_id, language_id & 0xFFFF) \
            if flags & FORMAT_MESSAGE_FROM_HMODULE else None
        if template is None and flags & FORMAT_MESSAGE_FROM_SYSTEM:
            template = system_message(message_id)
        if template is None:
            p.win32.last_error = ERROR_MR_MID_NOT_FOUND
            return 0
    else:
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    args = _Arguments(p, arguments, bool(flags & FORMAT_MESSAGE_ARGUMENT_ARRAY)) \
        if arguments else None
    text = format_text(p, template, flags, args, wide)
    data = text.encode("utf-16-le") if wide else text.encode("latin-1", "replace")
    unit = 2 if wide else 1
    terminated = data + b"\0" * unit
    if len(text) >= MAX_MESSAGE:
        p.win32.last_error = ERROR_INSUFFICIENT_BUFFER
        return 0
    if flags & FORMAT_MESSAGE_ALLOCATE_BUFFER:
        block = p.win32.heap.alloc(max(len(terminated), size * unit))
        if not block:
            p.win32.last_error = 8
            return 0
        p.mm.write(block, terminated)
        abi.write_ptr(p, buffer, block)
        return len(text)
    if size < len(text) + 1:
        p.win32.last_error = ERROR_INSUFFICIENT_BUFFER
        return 0
    p.mm.write(buffer, terminated)
    return len(text)


def sys_kernel32_FormatMessageA(p, dwFlags, lpSource, dwMessageId, dwLanguageId, lpBuffer,
                                nSize, Arguments):
    return format_message(p, dwFlags, lpSource, dwMessageId, dwLanguageId, lpBuffer, nSize,
                          Arguments, wide=False)


def sys_kernel32_FormatMessageW(p, dwFlags, lpSource, dwMessageId, dwLanguageId, lpBuffer,
                                nSize, Arguments):
    return format_message(p, dwFlags, lpSource, dwMessageId, dwLanguageId, lpBuffer, nSize,
                          Arguments, wide=True)
