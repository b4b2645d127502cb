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
