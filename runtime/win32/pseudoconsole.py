"""ConPTY: CreatePseudoConsole gives a program a console for the children it starts, driven
through two pipes it holds the other ends of -- what it writes into the input pipe is typed
at the console, and what the console shows comes out of the output pipe as text with VT
sequences (pywinpty, node-pty and terminal emulators run shells so).

The console is a pseudo-terminal of the machine (runtime/tty/pty.py): a child started with
PROC_THREAD_ATTRIBUTE_PSEUDOCONSOLE gets its slave as its standard handles and controlling
terminal, so the console calls (modes, colours, cursor moves, input records) work on it as
on the run's own terminal, and the line discipline echoes and edits cooked input as conhost
does. The bytes between the pipes and the master are moved between time slices (the
kernel's host sources), as conhost's threads move them."""
from __future__ import annotations

from ..errors import BrokenPipe, KernelError, WouldBlock
from ..files import O_RDWR
from ..nt import abi
from ..tty.pty import Pty, PtyMaster, PtySlave
from .kernel32_sync import close_sync_handle, new_handle, object_of

S_OK, E_INVALIDARG, E_HANDLE = 0, 0x80070057, 0x80070006
PROC_THREAD_ATTRIBUTE_PSEUDOCONSOLE = 0x20016
CHUNK = 16384
PENDING_MAX = 1 << 20     # console output held while the output pipe is full


class PseudoConsole:
    """A pty and the two pipe ends conhost would hold: the input pipe's read end and the
    output pipe's write end (references of their own, kept until ClosePseudoConsole)."""

    kind = "pseudoconsole"

    def __init__(self, kernel, rows: int, cols: int, input_end, output_end):
        self.kernel = kernel
        self.pty = Pty(kernel)
        self.pty.locked = False
        self.pty.winsize = (rows, cols, 0, 0)
        self.pty.ldisc.crlf_whole = True     # conhost's newlines: CR LF stays one
        self.pty.ldisc.echo_when_read = True # conhost's cooked reads echo their keys
        self.master = PtyMaster(self.pty, O_RDWR)
        self.input_end, self.output_end = input_end.incref(), output_end.incref()
        self.typed = b""             # input read from the pipe the line discipline has no room for
        self.shown = bytearray()     # console output the output pipe has no room for yet
        self.closed = False
        kernel.host_sources.append(self)

    # --- a host source: pumped by the scheduler between time slices ---------------------------

    def host_fds(self) -> list:
        return []

    def pump(self) -> None:
        if self.closed:
            return
        self._type_input()
        self._show_output()

    def _type_input(self) -> None:
        while True:
            if not self.typed:
                if self.input_end is None:
                    return
                try:
                    self.typed = bytes(self.input_end.read(CHUNK))
                except (WouldBlock, KernelError):
                    return
                if not self.typed:               # the program closed its end of the input
                    self.input_end.decref()
                    self.input_end = None
                    return
            try:
                taken = self.master.write(self.typed)
            except WouldBlock:
                return
            self.typed = self.typed[taken:]

    def _show_output(self) -> None:
        while len(self.shown) < PENDING_MAX:
            try:
                data = self.master.read(CHUNK)
            except (WouldBlock, KernelError):
                break
            if not data:
                break
            self.shown += data
        while self.shown and self.output_end is not None:
            try:
                written = self.output_end.write(bytes(self.shown[:CHUNK]))
            except WouldBlock:
                return
            except (BrokenPipe, KernelError):    # nobody reads the output any more
                self.shown.clear()
                return
            del self.shown[:written]

    # --- the console's life -------------------------------------------------------------------

    def resize(self, rows: int, cols: int) -> None:
        self.pty.set_winsize((rows, cols, 0, 0))     # SIGWINCH to the foreground group

    def attach_child(self, fds, explicit: list[bool]) -> None:
        """The child's console: its standard handles the caller did not name are the
        console's, and the console is its session's terminal (^C reaches its group)."""
        for target in range(3):
            if explicit[target]:
                continue
            slave = PtySlave(self.pty, O_RDWR)
            if target in fds.fds:
                fds.replace(target, slave)
            else:
                fds.install(slave, lowest=target)

    def take_session(self, child) -> None:
        child.sid = child.pgid = child.pid
        self.pty.attach(child, hangup=False)

    def close(self, p=None) -> None:
        """ClosePseudoConsole: what the console still shows goes out, the clients hear the
        hang-up (they end), and the pipes' ends are let go (the reader then sees the end)."""
        if self.closed:
            return
        self._show_output()
        self.closed = True
        if self in self.kernel.host_sources:
            self.kernel.host_sources.remove(self)
        self.master.decref()
        for end in (self.input_end, self.output_end):
            if end is not None:
                end.decref()
        self.input_end = self.output_end = None


def _coord(value: int) -> tuple[int, int]:
    """COORD by value: (rows, columns) from X in the low 16 bits and Y in the high."""
    cols, rows = value & 0xFFFF, (value >> 16) & 0xFFFF
    return (rows - 0x10000 if rows & 0x8000 else rows), (cols - 0x10000 if cols & 0x8000 else cols)


def _file(p, handle):
    try:
        return p.fds.get(abi.fd_of_handle(handle))
    except Exception:   # NtError / KernelError: not a descriptor
        return None


def sys_kernel32_CreatePseudoConsole(p, size, hInput, hOutput, dwFlags, phPC):
    rows, cols = _coord(size)
    if rows <= 0 or cols <= 0 or not phPC:
        return E_INVALIDARG
    input_end, output_end = _file(p, hInput), _file(p, hOutput)
    if input_end is None or output_end is None:
        return E_HANDLE
    console = PseudoConsole(p.kernel, rows, cols, input_end, output_end)
    abi.write_ptr(p, phPC, new_handle(p, console))
    return S_OK


def sys_kernel32_ResizePseudoConsole(p, hPC, size):
    console = object_of(p, hPC, "pseudoconsole")
    rows, cols = _coord(size)
    if console is None:
        return E_HANDLE
    if rows <= 0 or cols <= 0:
        return E_INVALIDARG
    console.resize(rows, cols)
    return S_OK


def sys_kernel32_ClosePseudoConsole(p, hPC):
    if object_of(p, hPC, "pseudoconsole") is not None:
        close_sync_handle(p, hPC)


def console_of_startup(p, startup: int):
    """The pseudo console STARTUPINFOEX's attribute list names, or None."""
    from .kernel32_process import _attributes
    for attribute, value, _size in _attributes(p, startup):
        if attribute == PROC_THREAD_ATTRIBUTE_PSEUDOCONSOLE:
            return object_of(p, value, "pseudoconsole")
    return None


# conpty.dll: Windows Terminal's redistributable ConPTY (pywinpty and node-pty ship it). Its
# own code starts OpenConsole.exe as a console server over the console driver, which the
# machine does not have; its functions are these, generated as Windows' own DLLs are.
def sys_conpty_ConptyCreatePseudoConsole(p, size, hInput, hOutput, dwFlags, phPC):
    return sys_kernel32_CreatePseudoConsole(p, size, hInput, hOutput, dwFlags, phPC)


def sys_conpty_ConptyResizePseudoConsole(p, hPC, size):
    return sys_kernel32_ResizePseudoConsole(p, hPC, size)


def sys_conpty_ConptyClosePseudoConsole(p, hPC):
    return sys_kernel32_ClosePseudoConsole(p, hPC)


def sys_conpty_ConptyShowHidePseudoConsole(p, hPC, show):
    """The console has no window to show or hide."""
    return S_OK if object_of(p, hPC, "pseudoconsole") is not None else E_HANDLE


def sys_conpty_ConptyReleasePseudoConsole(p, hPC):
    """The console no longer keeps its clients' session alive: nothing to let go here."""
    return S_OK if object_of(p, hPC, "pseudoconsole") is not None else E_HANDLE
