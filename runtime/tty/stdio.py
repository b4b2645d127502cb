"""A spawned process's standard descriptors and its terminal: a new machine pty whose
host-side Terminal the caller gets (tty=True), or the host's descriptors, where one on a
terminal makes the host's terminal the guest's. The process leads the session the
terminal is attached to."""
from __future__ import annotations

from ..files import INR_OPEN_CUR, FdTable, HostStdio
from .host import HostTerminal, TerminalSafeStream, host_terminal
from .terminal import Terminal, host_sources
from .tty import terminals


def restore_host_terminals(kernel) -> None:
    """The run is over (or failing): bridged ptys show what is left and hang up, and every
    host terminal gets the settings it started with."""
    from .hostsig import HostSignals
    for source in list(host_sources(kernel)):
        if isinstance(source, (Terminal, HostSignals)):
            source.close()
    for t in list(terminals(kernel)):
        if isinstance(t, HostTerminal):
            t.restore()


class Stdio:
    def __init__(self, kernel, stdio, tty: bool):
        self.kernel = kernel
        self.fds = FdTable(min(kernel.limits.max_fds, INR_OPEN_CUR))   # RLIMIT_NOFILE's soft
        self.terminal = self.ctty = None
        if tty:
            self.terminal = Terminal(kernel)
            self.ctty = self.terminal.pty
            slave = self.terminal.slave()
            for guest_fd in range(3):
                self.fds.install(slave if guest_fd == 0 else slave.incref(), lowest=guest_fd)
            return
        for guest_fd, host_fd in enumerate(stdio):
            if host_fd is not None:
                f = HostStdio(host_fd, readable=guest_fd == 0)
                if f.isatty():
                    f.tty = host_terminal(kernel, host_fd)
                    self.ctty = self.ctty or f.tty
                elif not kernel.limits.max_output:
                    f.answer_in_c()
                self.fds.install(f, lowest=guest_fd)

    def failed(self) -> None:
        """The program did not start: a pty made for it goes away."""
        if self.terminal is not None:
            self.fds.close_all()
            self.terminal.close()

    def started(self, pcb, tracer) -> None:
        if self.ctty is not None and self.ctty.session is None:
            self.ctty.attach(pcb, hangup=False)
        if tracer is not None and tracer.stream is not None and self.ctty is not None \
                and not isinstance(tracer.stream, TerminalSafeStream):
            tracer.stream = TerminalSafeStream(tracer.stream, self.kernel)
