"""Console control events: Ctrl+C and Ctrl+Break reach a Windows program as Windows delivers
them, in a new thread of the process (kernel32's CtrlRoutine) that calls the handlers
SetConsoleCtrlHandler registered, last registered first, then the C runtime's SIGINT or
SIGBREAK action (signal()'s: CPython raises KeyboardInterrupt through it); when none
handles the event the process ends with STATUS_CONTROL_C_EXIT, which its parent sees as
ended by SIGINT.

The events come from the guest's SIGINT and SIGQUIT (^C and ^\\ on the terminal tblc runs
on, a Linux kill) and from GenerateConsoleCtrlEvent, which sends one to every Windows
process of a process group of the caller's console (subprocess's send_signal(
CTRL_BREAK_EVENT) to a child started with CREATE_NEW_PROCESS_GROUP)."""
from __future__ import annotations

from .. import signals
from ..nt.status import STATUS_CONTROL_C_EXIT
from ..signals import SA_RESTART, SigAction

CTRL_C_EVENT, CTRL_BREAK_EVENT = 0, 1
CRT_SIGINT, CRT_SIGBREAK = 2, 21
SIG_DFL, SIG_IGN = 0, 1
ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER = 6, 87
CTRL_THREAD_EXPORT = "CtrlRoutine"
# The signal action that stands for "deliver as a console event" (never called: the NT
# personality's signal_frame sees it); SA_RESTART, so a wait in progress goes on.
EVENT_OF_SIGNAL = {signals.SIGINT: CTRL_C_EVENT, signals.SIGQUIT: CTRL_BREAK_EVENT}
CONSOLE_EVENT = 0x7FFE0C7C


def take_console_signals(proc) -> None:
    """At exec: SIGINT and SIGQUIT become console events (unless they are ignored, as a
    background job's are)."""
    for sig in EVENT_OF_SIGNAL:
        action = proc.sigactions.get(sig)
        if action is None or action.handler == signals.SIG_DFL:
            proc.sigactions[sig] = SigAction(CONSOLE_EVENT, SA_RESTART)


def is_console_event(action) -> bool:
    return action is not None and action.handler == CONSOLE_EVENT


def deliver(kernel, proc, sig: int) -> None:
    """The signal's event in a new thread (GenerateConsoleCtrlEvent sends its event as the
    signal: events of one kind sent together come as one, as pending signals do)."""
    event = EVENT_OF_SIGNAL[sig]
    if event == CTRL_C_EVENT and proc.win32.ignore_ctrl_c:
        return
    _start_ctrl_thread(proc, event)


def _start_ctrl_thread(p, event: int) -> None:
    from .kernel32 import _module_base
    from .kernel32_sync import close_sync_handle
    from .threads import create_thread
    start = _module_base(p, "kernel32") + p.win32.modules["kernel32"][1][CTRL_THREAD_EXPORT]
    handle = create_thread(p, 0, start, event, 0, 0)
    if handle:
        close_sync_handle(p, handle)


def sys_kernel32_CtrlRoutine(p, lpParameter):
    """The event thread: each handler until one returns TRUE, then the C runtime's action,
    else the default (the process ends)."""
    from . import callback
    event = lpParameter & 0xFFFFFFFF
    handlers = list(reversed(p.win32.ctrl_handlers))
    chain = callback.start(p, stdcall_args=1)

    def step(index: int, result: int = 0) -> int:
        if result & 0xFFFFFFFF:
            return callback.finish(p, chain, 0)
        if index < len(handlers):
            return callback.call(p, chain, handlers[index], [event],
                                 lambda r: step(index + 1, r))
        return _crt_action(p, chain, event)
    return step(0)


def _crt_action(p, chain, event: int) -> int:
    """UCRT's own handler: SIG_IGN handles the event, a function is called (its action
    back to SIG_DFL first), SIG_DFL leaves it to the default, which ends the process."""
    from . import callback
    from .crtio import _signal_key
    sig = CRT_SIGINT if event == CTRL_C_EVENT else CRT_SIGBREAK
    handlers = p.win32.signal_handlers
    action = handlers.get(_signal_key(sig), SIG_DFL)
    if action == SIG_IGN:
        return callback.finish(p, chain, 0)
    if action != SIG_DFL:
        handlers[_signal_key(sig)] = SIG_DFL
        return callback.call(p, chain, action, [sig], lambda _r=0: callback.finish(p, chain, 0))
    from .kernel32 import sys_kernel32_ExitProcess
    return sys_kernel32_ExitProcess(p, STATUS_CONTROL_C_EXIT)


def sys_kernel32_GenerateConsoleCtrlEvent(p, dwCtrlEvent, dwProcessGroupId):
    """The event to every Windows process of the group (0: all sharing the caller's
    console, the caller too) in the caller's session; a process that freed its console has
    none to send it through."""
    event = dwCtrlEvent & 0xFFFFFFFF
    if event not in (CTRL_C_EVENT, CTRL_BREAK_EVENT):
        p.win32.last_error = ERROR_INVALID_PARAMETER
        return 0
    if p.win32.console_freed:
        p.win32.last_error = ERROR_INVALID_HANDLE
        return 0
    group = dwProcessGroupId & 0xFFFFFFFF
    attached = [q for q in _console_processes(p) if not q.win32.console_freed]
    # A group is one CreateProcess made with CREATE_NEW_PROCESS_GROUP (the first process is
    # in its shell's group on Windows, not a group of its own)
    made = {q.pid for q in attached if q.win32.new_process_group}
    targets = [q for q in attached if group == 0 or q.pgid == group and group in made]
    if not targets:     # no such group: as for 0, every process of the console gets it (the
        targets = attached      # well-known result of os.kill(pid, CTRL_C_EVENT) on Windows)
    elif group and event == CTRL_C_EVENT:
        return 1        # "succeeds, but the processes of the group do not receive" Ctrl+C
    for target in targets:
        signals.send_process(target, signals.SIGINT if event == CTRL_C_EVENT
                             else signals.SIGQUIT)
    return 1


def _console_processes(p) -> list:
    """The Windows processes of the caller's session: those sharing its console."""
    from .state import Win32Process
    return [q for q in p.kernel.procs.values() if q.alive and q.pid == q.tgid
            and q.sid == p.sid and Win32Process.of(q) is not None]


def sys_kernel32_GetConsoleProcessList(p, lpdwProcessList, dwProcessCount):
    """The processes attached to the caller's console (its session's Windows processes,
    the caller first): the number of them, written when the list has room."""
    ids = [p.tgid] + sorted(q.pid for q in _console_processes(p) if q.pid != p.tgid)
    if p.win32.console_freed:
        return 0
    if (dwProcessCount & 0xFFFFFFFF) >= len(ids):
        for i, pid in enumerate(ids):
            p.mm.write_u32(lpdwProcessList + 4 * i, pid)
    return len(ids)
