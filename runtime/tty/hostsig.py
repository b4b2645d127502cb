"""Host signals tblc hands to the guest (^C, ^Z, ^\\ on the host terminal, a window resize).
A Python signal handler may run in the middle of any kernel work, so it only queues the
action and wakes the scheduler through a pipe; the scheduler runs the queue between slices."""
from __future__ import annotations

import os

from .terminal import host_sources


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
