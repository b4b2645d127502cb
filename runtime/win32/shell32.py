"""shell32.dll's command-line splitter, CommandLineToArgvW: what programs with a wide `main`
of their own (cmake, LLVM's tools) call on GetCommandLineW. The array and its strings are one
LocalAlloc block the caller frees with LocalFree."""
from __future__ import annotations

from ..nt import abi
from .kernel32_process import command_line_to_argv
from .kernel32_system import module_file_name
from .wide import read_wstr

ERROR_NOT_ENOUGH_MEMORY = 8


def program_and_arguments(line: str) -> list[str]:
    """The program name ends at the first blank, or at the closing quote when it starts with
    one, without the backslash rules; the arguments after it follow them."""
    if line.startswith('"'):
        end = line.find('"', 1)
        first, rest = (line[1:], "") if end < 0 else (line[1:end], line[end + 1:])
    else:
        cut = next((i for i, ch in enumerate(line) if ch in " \t"), len(line))
        first, rest = line[:cut], line[cut:]
    return [first] + command_line_to_argv(rest)


def sys_shell32_CommandLineToArgvW(p, lpCmdLine, pNumArgs):
    if not pNumArgs:
        p.win32.last_error = 87     # ERROR_INVALID_PARAMETER
        return 0
    line = read_wstr(p, lpCmdLine)
    # An empty line stands for the program alone: its own path is argv[0].
    args = program_and_arguments(line) if line else [module_file_name(p, 0) or ""]
    word = abi.word(p)
    strings = [a.encode("utf-16-le") + b"\0\0" for a in args]
    table = word * (len(args) + 1)
    block = p.win32.heap.alloc(table + sum(len(s) for s in strings))
    if not block:
        p.win32.last_error = ERROR_NOT_ENOUGH_MEMORY
        return 0
    at = block + table
    for i, data in enumerate(strings):
        abi.write_ptr(p, block + i * word, at)
        p.mm.write(at, data)
        at += len(data)
    abi.write_ptr(p, block + len(args) * word, 0)
    p.mm.write_u32(pNumArgs, len(args))
    return block


# --- ShellExecute: "open" a program, or learn that nothing is associated -------------------

SEE_MASK_NOCLOSEPROCESS = 0x40
SE_ERR_FNF, SE_ERR_NOASSOC = 2, 31
ERROR_FILE_NOT_FOUND, ERROR_NO_ASSOCIATION = 2, 1155
PROGRAM_EXTENSIONS = (".exe", ".com", ".bat", ".cmd")
RUNNING_VERBS = ("", "open", "runas")           # runas: elevated, and the guest already is


def _execute(p, verb: str, file: str, parameters: str, directory: str | None):
    """(0 with a process handle, or an SE_ERR_* code and the last error). A program starts
    with the parameters as its command line's tail; a document or URL has no program
    associated with it on this machine."""
    from .kernel32_process import _create_process
    from .kernel32_sync import close_sync_handle
    name = file.strip('"')
    is_program = name.lower().endswith(PROGRAM_EXTENSIONS) or "." not in name.rsplit("\\", 1)[-1]
    if verb.lower() not in RUNNING_VERBS or not is_program or "://" in name:
        p.win32.last_error = ERROR_NO_ASSOCIATION
        return SE_ERR_NOASSOC, 0
    w = abi.word(p)
    info = p.win32.heap.alloc(2 * w + 8, zero=True)
    try:
        command = f'"{name}"' + (f" {parameters}" if parameters else "")
        if not _create_process(p, None, command, 0, 0, 0, directory, 0, info):
            return SE_ERR_FNF, 0
        process, thread = abi.read_ptr(p, info), abi.read_ptr(p, info + w)
        close_sync_handle(p, thread)
        return 0, process
    finally:
        p.win32.heap.free(info)


def _info_fields(p) -> dict:
    """SHELLEXECUTEINFO's offsets for the process's word size."""
    w = abi.word(p)
    fields, at = {}, 0
    for name, size in (("cbSize", 4), ("fMask", 4), ("hwnd", w), ("lpVerb", w), ("lpFile", w),
                       ("lpParameters", w), ("lpDirectory", w), ("nShow", 4),
                       ("hInstApp", w), ("lpIDList", w), ("lpClass", w), ("hkeyClass", w),
                       ("dwHotKey", 4), ("hIcon", w), ("hProcess", w)):
        at = (at + size - 1) // size * size
        fields[name] = at
        at += size
    return fields


def _shell_execute_ex(p, info: int, read) -> int:
    from .kernel32_sync import close_sync_handle
    f = _info_fields(p)
    text = lambda name: read(abi.read_ptr(p, info + f[name])) or ""   # noqa: E731
    mask = p.mm.read_u32(info + f["fMask"])
    directory = text("lpDirectory") or None
    code, process = _execute(p, text("lpVerb"), text("lpFile"), text("lpParameters"), directory)
    abi.write_ptr(p, info + f["hInstApp"], code if code else 42)      # > 32: success
    abi.write_ptr(p, info + f["hProcess"], 0)
    if code:
        return 0
    if mask & SEE_MASK_NOCLOSEPROCESS:
        abi.write_ptr(p, info + f["hProcess"], process)
    else:
        close_sync_handle(p, process)
    return 1


def sys_shell32_ShellExecuteExW(p, pExecInfo):
    return _shell_execute_ex(p, pExecInfo, lambda a: read_wstr(p, a) if a else "")


def sys_shell32_ShellExecuteExA(p, pExecInfo):
    return _shell_execute_ex(p, pExecInfo,
                             lambda a: p.mm.read_cstr(a).decode("latin-1") if a else "")


def _shell_execute(p, verb: str, file: str, parameters: str, directory: str | None) -> int:
    """ShellExecute's HINSTANCE: above 32 when it started the program, else the error."""
    from .kernel32_sync import close_sync_handle
    code, process = _execute(p, verb, file, parameters, directory)
    if code:
        return code
    close_sync_handle(p, process)
    return 42


def sys_shell32_ShellExecuteW(p, hwnd, lpOperation, lpFile, lpParameters, lpDirectory, nShowCmd):
    read = lambda a: read_wstr(p, a) if a else ""   # noqa: E731
    return _shell_execute(p, read(lpOperation), read(lpFile), read(lpParameters),
                          read(lpDirectory) or None)


def sys_shell32_ShellExecuteA(p, hwnd, lpOperation, lpFile, lpParameters, lpDirectory, nShowCmd):
    read = lambda a: p.mm.read_cstr(a).decode("latin-1") if a else ""   # noqa: E731
    return _shell_execute(p, read(lpOperation), read(lpFile), read(lpParameters),
                          read(lpDirectory) or None)
