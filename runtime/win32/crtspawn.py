"""The C runtime's _spawn and _exec families (the v-forms: an argv array, an optional
environment array, a PATH search with p; the l-forms: the arguments listed in the call, up
to a NULL, then the environment array for e). As Microsoft's CRT does, the arguments are joined
with spaces into the child's command line, unquoted (a program quotes an argument with blanks
itself), and every inheritable descriptor goes with the child. _P_WAIT waits and gives the
exit code; _P_NOWAIT gives the process handle (_cwait waits on it); _P_DETACH lets the child
go; _exec and _P_OVERLAY start the child and end the caller with 0, as Windows' CRT does:
there is no exec on Windows, so whoever waits for the caller sees it end at once."""
from __future__ import annotations

from ..errors import ExecError, KernelError
from ..nt import abi
from .crterrno import EINVAL, ENOENT, set_errno
from .wide import read_wstr

P_WAIT, P_NOWAIT, P_OVERLAY, P_NOWAITO, P_DETACH = 0, 1, 2, 3, 4
MAX_ARGS = 32768
WAITING = "spawn child"        # the thread's shells key of a _P_WAIT child being waited for


def _strings(p, array: int, wide: bool) -> list[str]:
    """A NULL-terminated array of string pointers."""
    out = []
    w = abi.word(p)
    for i in range(MAX_ARGS):
        at = abi.read_ptr(p, array + i * w)
        if not at:
            break
        out.append(read_wstr(p, at) if wide else p.mm.read_cstr(at).decode("latin-1"))
    return out


def _program(p, name: str, search: bool) -> str | None:
    """The guest path of the program: as named (relative to the current directory, ".exe"
    tried when it has no extension), or with p, searched for as CreateProcess searches."""
    from .kernel32_process import _find_program
    if not search and not ("\\" in name or "/" in name or name[1:2] == ":"):
        name = ".\\" + name
    return _find_program(p, name)


def _spawn(p, mode: int, cmdname: int, argv: int, envp: int, search: bool, wide: bool) -> int:
    from .kernel32 import sys_kernel32_ExitProcess
    from .kernel32_process import (ProcessObject, _child_fds, command_line_to_argv,
                                   exit_code_of, start_child)
    from .kernel32_sync import new_handle
    from .crtshell import _wait
    waiting = p.win32.shells.get(WAITING)
    if waiting is not None:                      # a _P_WAIT child, run again until it ends
        return _wait(p, WAITING, waiting)
    if mode not in (P_WAIT, P_NOWAIT, P_OVERLAY, P_NOWAITO, P_DETACH) or not cmdname or not argv:
        set_errno(p, EINVAL)
        return (1 << (8 * abi.word(p))) - 1
    name = read_wstr(p, cmdname) if wide else p.mm.read_cstr(cmdname).decode("latin-1")
    path = _program(p, name, search)
    if path is None:
        set_errno(p, ENOENT)
        return (1 << (8 * abi.word(p))) - 1
    command_line = " ".join(_strings(p, argv, wide))
    env = [s.encode("utf-8", "replace") for s in _strings(p, envp, wide)] if envp else None
    from .kernel32_files import _path
    from .stdout import flush_all
    flush_all(p)                      # the child sees what the C runtime has buffered
    try:
        child = start_child(p, path, command_line_to_argv(command_line) or [name],
                            _child_fds(p, True, 0, None), _path(p, p.win32.cwd), command_line,
                            env)
    except (ExecError, KernelError):
        set_errno(p, ENOENT)
        return (1 << (8 * abi.word(p))) - 1
    if mode == P_OVERLAY:   # the child goes on for this process, which ends
        p.continued_by = child
        return sys_kernel32_ExitProcess(p, 0)
    if mode == P_WAIT:
        return _wait(p, WAITING, child) if child.alive else exit_code_of(child)
    if mode == P_DETACH:
        return 0
    return new_handle(p, ProcessObject(child))


def sys_msvcrt__spawnv(p, mode, cmdname, argv):
    return _spawn(p, mode, cmdname, argv, 0, False, False)


def sys_msvcrt__spawnve(p, mode, cmdname, argv, envp):
    return _spawn(p, mode, cmdname, argv, envp, False, False)


def sys_msvcrt__spawnvp(p, mode, cmdname, argv):
    return _spawn(p, mode, cmdname, argv, 0, True, False)


def sys_msvcrt__spawnvpe(p, mode, cmdname, argv, envp):
    return _spawn(p, mode, cmdname, argv, envp, True, False)


def sys_msvcrt__wspawnv(p, mode, cmdname, argv):
    return _spawn(p, mode, cmdname, argv, 0, False, True)


def sys_msvcrt__wspawnve(p, mode, cmdname, argv, envp):
    return _spawn(p, mode, cmdname, argv, envp, False, True)


def sys_msvcrt__wspawnvp(p, mode, cmdname, argv):
    return _spawn(p, mode, cmdname, argv, 0, True, True)


def sys_msvcrt__wspawnvpe(p, mode, cmdname, argv, envp):
    return _spawn(p, mode, cmdname, argv, envp, True, True)


def sys_msvcrt__execv(p, cmdname, argv):
    return _spawn(p, P_OVERLAY, cmdname, argv, 0, False, False)


def sys_msvcrt__execve(p, cmdname, argv, envp):
    return _spawn(p, P_OVERLAY, cmdname, argv, envp, False, False)


def sys_msvcrt__execvp(p, cmdname, argv):
    return _spawn(p, P_OVERLAY, cmdname, argv, 0, True, False)


def sys_msvcrt__execvpe(p, cmdname, argv, envp):
    return _spawn(p, P_OVERLAY, cmdname, argv, envp, True, False)


def sys_msvcrt__wexecv(p, cmdname, argv):
    return _spawn(p, P_OVERLAY, cmdname, argv, 0, False, True)


def sys_msvcrt__wexecve(p, cmdname, argv, envp):
    return _spawn(p, P_OVERLAY, cmdname, argv, envp, False, True)


def sys_msvcrt__wexecvp(p, cmdname, argv):
    return _spawn(p, P_OVERLAY, cmdname, argv, 0, True, True)


def sys_msvcrt__wexecvpe(p, cmdname, argv, envp):
    return _spawn(p, P_OVERLAY, cmdname, argv, envp, True, True)


def sys_msvcrt__cwait(p, termstat, procHandle, action):
    """Wait for a _P_NOWAIT child by its handle: the handle back, its exit code in
    *termstat; a handle that is no process's: -1 with ECHILD."""
    from .crterrno import ECHILD
    from .crtshell import _wait
    from .kernel32_process import process_of_handle
    child = p.win32.shells.get("cwait child") or process_of_handle(p, procHandle)
    if child is None:
        set_errno(p, ECHILD)
        return (1 << (8 * abi.word(p))) - 1
    code = _wait(p, "cwait child", child)
    if termstat:
        p.mm.write_u32(termstat, code)
    return procHandle


def _spawn_listed(p, mode: int, cmdname: int, first: int, with_env: bool, search: bool,
                  wide: bool) -> int:
    """An l-form: its listed arguments (the call's from position `first` to a NULL, then
    the environment array for e) gathered into an argv array for _spawn."""
    from .printf import CallArgs
    args, w = CallArgs(p, first), abi.word(p)
    pointers = []
    while len(pointers) < MAX_ARGS:
        at = args.slot() & ((1 << (8 * w)) - 1)
        if not at:
            break
        pointers.append(at)
    envp = args.slot() if with_env else 0
    array = p.win32.heap.alloc(w * (len(pointers) + 1))
    try:
        p.mm.write(array, b"".join(at.to_bytes(w, "little") for at in pointers + [0]))
        return _spawn(p, mode, cmdname, array, envp, search, wide)
    finally:
        p.win32.heap.free(array)


def _listed(spawn: bool, with_env: bool, search: bool, wide: bool):
    """The handler of one l-form: _spawnl's take a mode first, _execl's replace the program."""
    if spawn:
        return lambda p, mode, cmdname: _spawn_listed(p, mode, cmdname, 2, with_env, search,
                                                      wide)
    return lambda p, cmdname: _spawn_listed(p, P_OVERLAY, cmdname, 1, with_env, search, wide)


# (spawn, with an environment, searching PATH, wide)
sys_msvcrt__spawnl = _listed(True, False, False, False)
sys_msvcrt__spawnle = _listed(True, True, False, False)
sys_msvcrt__spawnlp = _listed(True, False, True, False)
sys_msvcrt__spawnlpe = _listed(True, True, True, False)
sys_msvcrt__execl = _listed(False, False, False, False)
sys_msvcrt__execle = _listed(False, True, False, False)
sys_msvcrt__execlp = _listed(False, False, True, False)
sys_msvcrt__execlpe = _listed(False, True, True, False)
sys_msvcrt__wspawnl = _listed(True, False, False, True)
sys_msvcrt__wspawnle = _listed(True, True, False, True)
sys_msvcrt__wspawnlp = _listed(True, False, True, True)
sys_msvcrt__wspawnlpe = _listed(True, True, True, True)
sys_msvcrt__wexecl = _listed(False, False, False, True)
sys_msvcrt__wexecle = _listed(False, True, False, True)
sys_msvcrt__wexeclp = _listed(False, False, True, True)
sys_msvcrt__wexeclpe = _listed(False, True, True, True)
