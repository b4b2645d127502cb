"""The C runtime's calls that run a command through the shell: system, _popen and _pclose
(and the wide forms), which start `cmd.exe /c COMMAND` (runtime/win32/cmd.py) as a child
with the caller's standard files, or with one of them a pipe to the caller's new stream.

system and _pclose wait for the shell: their handler blocks and runs again when it has
ended, finding the child it started in the thread's state instead of starting another."""
from __future__ import annotations

from ..errors import ExecError, KernelError
from .crterrno import ECHILD, EINVAL, ENOENT, set_errno
from .wide import read_wstr

SHELL = "/Windows/System32/cmd.exe"
SHELL_NAME = "C:\\Windows\\System32\\cmd.exe"


def _shell(p, command: str, fds) -> object | None:
    """cmd.exe /c command as a child, or None (errno set)."""
    from .kernel32_files import _path
    from .kernel32_process import start_child
    from .stdout import flush_all
    flush_all(p)                      # the child sees what the C runtime has buffered
    try:
        return start_child(p, SHELL, [SHELL_NAME, "/c", command], fds, _path(p, p.win32.cwd),
                           f'"{SHELL_NAME}" /c {command}')
    except (ExecError, KernelError):
        set_errno(p, ENOENT)
        return None


def _inherited(p, replace: dict | None = None):
    """The child's descriptor table: the caller's standard files 0-2, some replaced."""
    from .kernel32_process import standard_files_table
    files = []
    for fd in range(3):
        f = (replace or {}).get(fd)
        if f is None:
            try:
                f = p.fds.get(fd)
            except KernelError:
                f = None
        files.append(f)
    return standard_files_table(p, files)


def _wait(p, key: str, child) -> int:
    """Block until child ends, then its exit code (the handler runs again meanwhile, and
    finds the child under key in the thread's shells)."""
    from ..kernel import Block
    from .kernel32_process import exit_code_of
    waiting = p.win32.shells
    if child.alive:
        waiting[key] = child
        raise Block(lambda: not child.alive)
    waiting.pop(key, None)
    return exit_code_of(child)


def _system(p, command: str | None) -> int:
    if command is None:
        return 1                      # a shell is there
    child = p.win32.shells.get("system child")
    if child is None:
        child = _shell(p, command, _inherited(p))
        if child is None:
            return 0xFFFFFFFF
    return _wait(p, "system child", child)


def sys_msvcrt_system(p, command):
    return _system(p, p.mm.read_cstr(command).decode("latin-1") if command else None)


def sys_msvcrt__wsystem(p, command):
    return _system(p, read_wstr(p, command) if command else None)


def _popen(p, command: str, mode: str) -> int:
    """A stream reading the shell's standard output ("r") or writing its standard input
    ("w")."""
    from ..files import make_pipe
    from .stdlib import sys_msvcrt__fdopen
    kind = mode.lstrip()[:1]
    if kind not in ("r", "w"):
        set_errno(p, EINVAL)
        return 0
    read_end, write_end = make_pipe()
    ours, theirs = (read_end, write_end) if kind == "r" else (write_end, read_end)
    child = _shell(p, command, _inherited(p, {1 if kind == "r" else 0: theirs}))
    theirs.decref()
    if child is None:
        ours.decref()
        return 0
    fd = p.fds.install(ours, cloexec=True)
    stream = sys_msvcrt__fdopen(p, fd, 0)
    p.win32.popen_children[stream] = child
    return stream


def sys_msvcrt__popen(p, command, mode):
    return _popen(p, p.mm.read_cstr(command).decode("latin-1"),
                  p.mm.read_cstr(mode).decode("latin-1"))


def sys_msvcrt__wpopen(p, command, mode):
    return _popen(p, read_wstr(p, command), read_wstr(p, mode))


def sys_msvcrt__pclose(p, stream):
    """Close the stream, wait for the shell, and give its exit code (-1, ECHILD, for a stream
    _popen did not make)."""
    from .stdlib import sys_msvcrt_fclose
    child = p.win32.shells.get("pclose child")
    if child is None:
        child = p.win32.popen_children.pop(stream, None)
        if child is None:
            set_errno(p, ECHILD)
            return 0xFFFFFFFF
        sys_msvcrt_fclose(p, stream)
    return _wait(p, "pclose child", child)
