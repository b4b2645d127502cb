"""Host signals tblc hands to the guest (^C, ^Z, ^\\ on the host terminal, a window resize).
A Python signal handler may run in the middle of any kernel work, so it only queues the
action and wakes the scheduler through a pipe; the scheduler runs the queue between slices."""
from __future__ import annotations

import os
import signal as host_signal

from .. import signals
from .terminal import Terminal, host_sources

# The host's signal numbers -> the guest's (the same on Linux, named once each).
KEY_SIGNALS = {host_signal.SIGINT: signals.SIGINT, host_signal.SIGQUIT: signals.SIGQUIT,
               host_signal.SIGTSTP: signals.SIGTSTP}


def terminal_signal(kernel, signum: int) -> bool:
    """Called from tblc's host signal handler. A window resize reaches the guests on a host
    terminal; ^C, ^\\ and ^Z (the host's line discipline turned them into SIGINT, SIGQUIT,
    SIGTSTP for tblc) go to the foreground group of the host terminal the guests are on.
    False: no guest has the terminal, the signal is tblc's own."""
    from .host import HostTerminal
    host = next((t for t in kernel.terminals if isinstance(t, HostTerminal)), None)
    bridged = [s for s in kernel.host_sources if isinstance(s, Terminal) and s.in_fd is not None]
    if signum == host_signal.SIGWINCH:
        for term in bridged:
            _post(kernel, term.follow_host_size)
        if host is not None:
            _post(kernel, host.host_resized)
        return True
    if signum in KEY_SIGNALS and host is not None and host.foreground_alive():
        _post(kernel, lambda: host.signal_group(KEY_SIGNALS[signum]))
        return True
    return False


def keyboard_wakes(kernel) -> list:
    """What an idle machine can wait on when nothing else may wake a guest: while a group
    of guests is in the foreground of the host terminal, ^C, ^\\ or ^Z can still signal
    it (terminal_signal), so waiting for a key is no deadlock -- the descriptor the keys'
    actions wake the scheduler through. [] when no guest has the host terminal."""
    from .host import HostTerminal
    host = next((t for t in kernel.terminals if isinstance(t, HostTerminal)), None)
    if host is None or not host.foreground_alive():
        return []
    queue = next((s for s in kernel.host_sources if isinstance(s, HostSignals)), None)
    return (queue or HostSignals(kernel)).host_fds()


def _post(kernel, action) -> None:
    queue = next((s for s in kernel.host_sources if isinstance(s, HostSignals)), None)
    (queue or HostSignals(kernel)).post(action)


class HostSignals:
    def __init__(self, kernel):
        self.kernel = kernel
        self.r, self.w = os.pipe()
        os.set_blocking(self.r, False)
        os.set_blocking(self.w, False)
        self.queue: list = []
        host_sources(kernel).append(self)

    def post(self, action) -> None:
        """From a signal handler: run action at the scheduler's next safe point."""
        self.queue.append(action)
        try:
            os.write(self.w, b"!")
        except OSError:
            pass     # the pipe is full: a wake-up is already pending

    def pump(self) -> None:
        try:
            while os.read(self.r, 512):
                pass
        except OSError:
            pass
        while self.queue:
            self.queue.pop(0)()

    def host_fds(self) -> list:
        return [self.r]

    def close(self) -> None:
        if self in host_sources(self.kernel):
            host_sources(self.kernel).remove(self)
        for fd in (self.r, self.w):
            try:
                os.close(fd)
            except OSError:
                pass
