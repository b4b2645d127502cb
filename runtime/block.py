"""How a handler waits: it raises Block, and the call is restarted once the wait is over. Its
own module, so the signal code and the personalities' handlers import it without the kernel."""
from __future__ import annotations


class Block(Exception):
    """Raised by a handler that must wait: the call is restarted once `ready()` is true."""

    def __init__(self, ready, host_fds=(), deadline: float | None = None, restartable=True,
                 partial: int = 0, on_interrupt=None):
        self.ready, self.host_fds, self.deadline = ready, tuple(host_fds), deadline
        self.restartable = restartable   # SA_RESTART may re-run it after a handler
        self.partial = partial           # done before blocking: a signal returns this count
        self.on_interrupt = on_interrupt # forget the progress when a signal ends the call
