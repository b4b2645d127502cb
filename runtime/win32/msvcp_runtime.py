"""MSVCP140.dll's non-template support code that inline STL code calls out to, x64: the new
handler, the library's locks (_Lockit), the error-code tables behind std::system_category
and std::generic_category, and the _X* functions that throw the standard exceptions
(std::length_error from vector::reserve, std::out_of_range from string::at ...) and
std::random_device's source.

Their exports have C++ decorated names (the table spells each after its handler). The
exceptions are the runtime's own objects (cxxrtti.throw_std): a program catches them as
std::length_error, std::logic_error or std::exception and reads what()."""
from __future__ import annotations

import os

from . import cxxrtti
from .msvcp import (MTX_RECURSIVE, sys_msvcp140__Mtx_init_in_situ, sys_msvcp140__Mtx_lock,
                    sys_msvcp140__Mtx_unlock)

# std::errc as the MSVC STL numbers it (<xerrc.h>: the UCRT's errno values), and
# _Syserror_map's text for each: its name with spaces.
ERRC = {
    "address_family_not_supported": 102, "address_in_use": 100, "address_not_available": 101,
    "already_connected": 113, "argument_list_too_long": 7, "argument_out_of_domain": 33,
    "bad_address": 14, "bad_file_descriptor": 9, "bad_message": 104, "broken_pipe": 32,
    "connection_aborted": 106, "connection_already_in_progress": 103,
    "connection_refused": 107, "connection_reset": 108, "cross_device_link": 18,
    "destination_address_required": 109, "device_or_resource_busy": 16,
    "directory_not_empty": 41, "executable_format_error": 8, "file_exists": 17,
    "file_too_large": 27, "filename_too_long": 38, "function_not_supported": 40,
    "host_unreachable": 110, "identifier_removed": 111, "illegal_byte_sequence": 42,
    "inappropriate_io_control_operation": 25, "interrupted": 4, "invalid_argument": 22,
    "invalid_seek": 29, "io_error": 5, "is_a_directory": 21, "message_size": 115,
    "network_down": 116, "network_reset": 117, "network_unreachable": 118,
    "no_buffer_space": 119, "no_child_process": 10, "no_link": 121, "no_lock_available": 39,
    "no_message_available": 120, "no_message": 122, "no_protocol_option": 123,
    "no_space_on_device": 28, "no_stream_resources": 124, "no_such_device_or_address": 6,
    "no_such_device": 19, "no_such_file_or_directory": 2, "no_such_process": 3,
    "not_a_directory": 20, "not_a_socket": 128, "not_a_stream": 125, "not_connected": 126,
    "not_enough_memory": 12, "not_supported": 129, "operation_canceled": 105,
    "operation_in_progress": 112, "operation_not_permitted": 1, "operation_not_supported": 130,
    "operation_would_block": 140, "owner_dead": 133, "permission_denied": 13,
    "protocol_error": 134, "protocol_not_supported": 135, "read_only_file_system": 30,
    "resource_deadlock_would_occur": 36, "resource_unavailable_try_again": 11,
    "result_out_of_range": 34, "state_not_recoverable": 127, "stream_timeout": 137,
    "text_file_busy": 139, "timed_out": 138, "too_many_files_open_in_system": 23,
    "too_many_files_open": 24, "too_many_links": 31, "too_many_symbolic_link_levels": 114,
    "value_too_large": 132, "wrong_protocol_type": 136}
ERRC_TEXT = {value: name.replace("_", " ") for name, value in ERRC.items()} | {0: "success"}

# _Winerror_map: the Win32 errors the STL gives a generic meaning (others: 0)
WIN32_ERRC = {
    1: "function_not_supported", 2: "no_such_file_or_directory",
    3: "no_such_file_or_directory", 4: "too_many_files_open", 5: "permission_denied",
    6: "invalid_argument", 8: "not_enough_memory", 12: "permission_denied",
    14: "not_enough_memory", 15: "no_such_device", 16: "permission_denied",
    17: "cross_device_link", 19: "permission_denied", 20: "no_such_device",
    21: "resource_unavailable_try_again", 25: "io_error", 29: "io_error", 30: "io_error",
    32: "permission_denied", 33: "no_lock_available", 39: "no_space_on_device",
    50: "not_supported", 53: "no_such_file_or_directory", 55: "no_such_device",
    67: "no_such_file_or_directory", 80: "file_exists", 82: "permission_denied",
    87: "invalid_argument", 109: "broken_pipe", 110: "io_error", 111: "filename_too_long",
    112: "no_space_on_device", 121: "timed_out", 123: "no_such_file_or_directory",
    131: "invalid_argument", 142: "device_or_resource_busy", 145: "directory_not_empty",
    170: "device_or_resource_busy", 183: "file_exists", 206: "filename_too_long",
    212: "no_lock_available", 258: "timed_out", 267: "invalid_argument",
    995: "operation_canceled", 998: "permission_denied", 1011: "io_error", 1012: "io_error",
    1013: "io_error", 1237: "resource_unavailable_try_again", 1460: "timed_out",
    2401: "device_or_resource_busy", 2404: "device_or_resource_busy", 4393: "invalid_argument",
    10004: "interrupted", 10009: "bad_file_descriptor", 10013: "permission_denied",
    10014: "bad_address", 10022: "invalid_argument", 10024: "too_many_files_open",
    10035: "operation_would_block", 10036: "operation_in_progress",
    10037: "connection_already_in_progress", 10038: "not_a_socket",
    10039: "destination_address_required", 10040: "message_size",
    10041: "wrong_protocol_type", 10042: "no_protocol_option", 10043: "protocol_not_supported",
    10045: "operation_not_supported", 10047: "address_family_not_supported",
    10048: "address_in_use", 10049: "address_not_available", 10050: "network_down",
    10051: "network_unreachable", 10052: "network_reset", 10053: "connection_aborted",
    10054: "connection_reset", 10055: "no_buffer_space", 10056: "already_connected",
    10057: "not_connected", 10060: "timed_out", 10061: "connection_refused",
    10063: "filename_too_long", 10065: "host_unreachable"}

# _Throw_Cpp_error's codes (<xthreads.h> _RESOURCE_DEADLOCK_WOULD_OCCUR ...) and their errc
CPP_ERRORS = ["device_or_resource_busy", "invalid_argument", "no_such_process",
              "not_enough_memory", "operation_not_permitted", "resource_deadlock_would_occur",
              "resource_unavailable_try_again"]


# --- the new handler -------------------------------------------------------------------------

def sys_msvcp140_set_new_handler(p, pnew):
    """std::set_new_handler: the handler operator new calls when memory runs out (kept for
    std::get_new_handler; sysvec's allocator reports failure without calling it)."""
    old = p.win32.new_handler
    p.win32.new_handler = pnew
    return old


def sys_msvcp140_get_new_handler(p):
    return p.win32.new_handler


# --- _Lockit: the library's global locks, one recursive mutex per kind -------------------------

LOCKIT_KINDS = 8   # _LOCK_LOCALE, _LOCK_MALLOC, _LOCK_STREAM, _LOCK_DEBUG, _LOCK_AT_THREAD_EXIT ...


def _lockit_mutex(p, kind: int) -> int:
    mutexes = p.win32.lockits
    kind = kind if 0 <= kind < LOCKIT_KINDS else 0
    if kind not in mutexes:
        mutexes[kind] = p.win32.heap.alloc(80)
        sys_msvcp140__Mtx_init_in_situ(p, mutexes[kind], MTX_RECURSIVE | 0x1)
    return mutexes[kind]


def sys_msvcp140_Lockit_ctor_kind(p, this, kind):
    """_Lockit::_Lockit(int kind): remember the kind in the object, take its lock (blocking
    restarts this call, which finds the object as it was)."""
    kind = kind & 0xFFFFFFFF
    p.mm.write_u32(this, kind)
    sys_msvcp140__Mtx_lock(p, _lockit_mutex(p, kind))
    return this


def sys_msvcp140_Lockit_ctor(p, this):
    return sys_msvcp140_Lockit_ctor_kind(p, this, 0)


def sys_msvcp140_Lockit_dtor(p, this):
    sys_msvcp140__Mtx_unlock(p, _lockit_mutex(p, p.mm.read_u32(this)))
    return 0


def sys_msvcp140_Lockit_ctor_static(p, kind):
    sys_msvcp140__Mtx_lock(p, _lockit_mutex(p, kind & 0xFFFFFFFF))
    return 0


def sys_msvcp140_Lockit_dtor_static(p, kind):
    sys_msvcp140__Mtx_unlock(p, _lockit_mutex(p, kind & 0xFFFFFFFF))
    return 0


# --- error codes -------------------------------------------------------------------------------

def sys_msvcp140_Winerror_map(p, errcode):
    """The generic error (errc) a Win32 error means, or 0."""
    name = WIN32_ERRC.get(errcode & 0xFFFFFFFF)
    return ERRC[name] if name else 0


def sys_msvcp140_Syserror_map(p, errcode):
    """The text of a generic error: a string the library owns."""
    from .msvcrt import _static_string
    code = errcode & 0xFFFFFFFF
    text = ERRC_TEXT.get(code, "unknown error")
    return _static_string(p, f"errc:{text}", text.encode())


def _system_message(p, code: int) -> bytes | None:
    from .messages import system_message
    text = system_message(code)
    return None if text is None else text.rstrip().encode("ascii", "replace")


def sys_msvcp140_Winerror_message(p, message_id, narrow, size):
    """The system's message for a Win32 error, trailing blanks trimmed, in the caller's
    buffer: its length, or 0 (none, or it does not fit)."""
    text = _system_message(p, message_id & 0xFFFFFFFF)
    size &= 0xFFFFFFFF
    if text is None or len(text) >= size:
        return 0
    p.mm.write(narrow, text + b"\0")
    return len(text)


def sys_msvcp140___std_system_error_allocate_message(p, message_id, ptr_str):
    """The same message in a block __std_system_error_deallocate_message frees: its length
    (0 and a null pointer when there is none)."""
    from ..nt import abi
    text = _system_message(p, message_id & 0xFFFFFFFF)
    block = 0
    if text is not None:
        block = p.win32.heap.alloc(len(text) + 1)
        p.mm.write(block, text + b"\0")
    abi.write_ptr(p, ptr_str, block)
    return len(text) if text is not None else 0


def sys_msvcp140___std_system_error_deallocate_message(p, str):
    if str:
        p.win32.heap.free(str)
    return 0


# --- throwing the standard exceptions ------------------------------------------------------------

def _throw(p, cls: str, message) -> int:
    return cxxrtti.throw_std(p, cls, message if isinstance(message, str) else
                             p.mm.read_cstr(message, 4096).decode("utf-8", "replace")
                             if message else "")


def sys_msvcp140_Xbad_alloc(p):
    return _throw(p, "bad_alloc", "bad allocation")


def sys_msvcp140_Xbad_function_call(p):
    return _throw(p, "bad_function_call", "bad function call")


def sys_msvcp140_Xlength_error(p, message):
    return _throw(p, "length_error", message)


def sys_msvcp140_Xout_of_range(p, message):
    return _throw(p, "out_of_range", message)


def sys_msvcp140_Xinvalid_argument(p, message):
    return _throw(p, "invalid_argument", message)


def sys_msvcp140_Xruntime_error(p, message):
    return _throw(p, "runtime_error", message)


def sys_msvcp140_Xoverflow_error(p, message):
    return _throw(p, "overflow_error", message)


def sys_msvcp140_Throw_Cpp_error(p, code):
    """std::system_error(errc, generic_category(), text) for a thread-support failure; its
    what() is the text, ": ", and the category's message, as the STL builds it."""
    code &= 0xFFFFFFFF
    name = CPP_ERRORS[code] if code < len(CPP_ERRORS) else "invalid_argument"
    text = name.replace("_", " ")
    return cxxrtti.throw_std(p, "system_error", f"{text}: {text}", code=ERRC[name])


# _Thrd_result (nomem, timedout, busy, error) -> _Throw_Cpp_error's code
C_ERRORS = {1: 6, 2: 6, 3: 0, 4: 1}


def sys_msvcp140_Throw_C_error(p, code):
    """A _Thrd_result that failed, as a std::system_error (anything else aborts)."""
    cpp = C_ERRORS.get(code & 0xFFFFFFFF)
    if cpp is None:
        from .msvcrt import sys_msvcrt_abort
        return sys_msvcrt_abort(p)
    return sys_msvcp140_Throw_Cpp_error(p, cpp)


# --- std::random_device ---------------------------------------------------------------------

def sys_msvcp140_Random_device(p):
    """std::random_device's operator(): 32 bits from the system's generator (rand_s on
    Windows, the host's random source here)."""
    return int.from_bytes(os.urandom(4), "little")
